#include "noticescan/util/Leptonica.h"

#include <cstring>
#include <mutex>
#include <stdexcept>

namespace noticescan::util {

void quietLeptonica() {
  static std::once_flag once;
  std::call_once(once, [] {
    setMsgSeverity(L_SEVERITY_NONE);
    // Some messages (e.g. about damaged TIFFs) are written whatever the severity: drop them too.
    leptSetStderrHandler([](const char*) {});
  });
}

PixPtr matToPix(const cv::Mat& image) {
  CV_Assert(image.depth() == CV_8U && (image.channels() == 1 || image.channels() == 3));
  const int depth = image.channels() == 1 ? 8 : 32;
  PixPtr pix(pixCreate(image.cols, image.rows, depth));
  if (!pix) throw std::bad_alloc();
  l_uint32* data = pixGetData(pix.get());
  const int wpl = pixGetWpl(pix.get());
  for (int y = 0; y < image.rows; ++y) {
    l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * wpl;
    const std::uint8_t* src = image.ptr<std::uint8_t>(y);
    if (depth == 8) {
      for (int x = 0; x < image.cols; ++x) SET_DATA_BYTE(line, x, src[x]);
    } else {
      for (int x = 0; x < image.cols; ++x) {
        composeRGBPixel(src[3 * x + 2], src[3 * x + 1], src[3 * x], line + x);
      }
    }
  }
  return pix;
}

cv::Mat pixToMat(PIX* pix) {
  if (!pix) throw std::invalid_argument("pixToMat: null PIX");
  const bool colour = pixGetDepth(pix) == 32 || (pixGetColormap(pix) && [&] {
                        l_int32 hasColor = 0;
                        pixcmapHasColor(pixGetColormap(pix), &hasColor);
                        return hasColor != 0;
                      }());
  if (colour) {
    PixPtr rgb(pixConvertTo32(pix));
    if (!rgb) throw std::runtime_error("cannot convert the image to RGB");
    cv::Mat out(pixGetHeight(rgb.get()), pixGetWidth(rgb.get()), CV_8UC3);
    const l_uint32* data = pixGetData(rgb.get());
    const int wpl = pixGetWpl(rgb.get());
    for (int y = 0; y < out.rows; ++y) {
      const l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * wpl;
      auto* dst = out.ptr<std::uint8_t>(y);
      for (int x = 0; x < out.cols; ++x) {
        l_int32 r = 0, g = 0, b = 0;
        extractRGBValues(line[x], &r, &g, &b);
        dst[3 * x] = static_cast<std::uint8_t>(b);
        dst[3 * x + 1] = static_cast<std::uint8_t>(g);
        dst[3 * x + 2] = static_cast<std::uint8_t>(r);
      }
    }
    return out;
  }
  PixPtr gray(pixConvertTo8(pix, 0));
  if (!gray) throw std::runtime_error("cannot convert the image to gray");
  cv::Mat out(pixGetHeight(gray.get()), pixGetWidth(gray.get()), CV_8UC1);
  const l_uint32* data = pixGetData(gray.get());
  const int wpl = pixGetWpl(gray.get());
  for (int y = 0; y < out.rows; ++y) {
    const l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * wpl;
    auto* dst = out.ptr<std::uint8_t>(y);
    for (int x = 0; x < out.cols; ++x) dst[x] = static_cast<std::uint8_t>(GET_DATA_BYTE(line, x));
  }
  return out;
}

}  // namespace noticescan::util
