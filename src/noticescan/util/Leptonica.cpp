#include "noticescan/util/Leptonica.h"

#include <bit>
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
  if (depth == 8) {
    // Leptonica keeps a row's bytes in 32-bit words, first pixel in the most significant byte:
    // copying the rows and then putting each word's bytes in that order is the same as setting
    // each pixel with SET_DATA_BYTE, and many times faster on a page.
    for (int y = 0; y < image.rows; ++y) {
      std::memcpy(data + static_cast<std::ptrdiff_t>(y) * wpl, image.ptr<std::uint8_t>(y),
                  static_cast<std::size_t>(image.cols));
    }
    pixEndianByteSwap(pix.get());
    return pix;
  }
  for (int y = 0; y < image.rows; ++y) {
    l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * wpl;
    const std::uint8_t* src = image.ptr<std::uint8_t>(y);
    for (int x = 0; x < image.cols; ++x) composeRGBPixel(src[3 * x + 2], src[3 * x + 1], src[3 * x], line + x);
  }
  return pix;
}

namespace {

std::string takeBytes(l_uint8* data, std::size_t size, bool ok) {
  std::string out = ok && data ? std::string(reinterpret_cast<const char*>(data), size) : std::string();
  lept_free(data);
  return out;
}

}  // namespace

std::string encodePng(const cv::Mat& image) {
  const PixPtr pix = matToPix(image);
  l_uint8* data = nullptr;
  std::size_t size = 0;
  const bool ok = pixWriteMemPng(&data, &size, pix.get(), 0.0f) == 0;
  return takeBytes(data, size, ok);
}

std::string encodeJpeg(const cv::Mat& image, int quality) {
  const PixPtr pix = matToPix(image);
  l_uint8* data = nullptr;
  std::size_t size = 0;
  const bool ok = pixWriteMemJpeg(&data, &size, pix.get(), quality, 0) == 0;
  return takeBytes(data, size, ok);
}

cv::Mat pixToMat(PIX* pix) {
  if (!pix) throw std::invalid_argument("pixToMat: null PIX");
  const bool colour = pixGetDepth(pix) == 32 || (pixGetColormap(pix) && [&] {
                        l_int32 hasColor = 0;
                        pixcmapHasColor(pixGetColormap(pix), &hasColor);
                        return hasColor != 0;
                      }());
  // A PIX already of the depth wanted is shared, not copied (pixConvertTo* copy it).
  const bool ready = colour ? pixGetDepth(pix) == 32 : pixGetDepth(pix) == 8 && !pixGetColormap(pix);
  PixPtr converted(ready ? pixClone(pix) : colour ? pixConvertTo32(pix) : pixConvertTo8(pix, 0));
  if (!converted) throw std::runtime_error(colour ? "cannot convert the image to RGB" : "cannot convert the image to gray");
  const int width = pixGetWidth(converted.get()), height = pixGetHeight(converted.get());
  const int wpl = pixGetWpl(converted.get());
  l_uint32* data = pixGetData(converted.get());
  if constexpr (std::endian::native == std::endian::little) {
    // Leptonica keeps each 32-bit word's bytes in big-endian order: read as bytes, a word of four
    // gray pixels comes out reversed, and an RGB pixel (R G B A from the top byte) as A B G R.
    const cv::Mat words(height, wpl, CV_8UC4, data, static_cast<std::size_t>(wpl) * 4);
    if (colour) {
      cv::Mat out(height, width, CV_8UC3);
      const int fromTo[] = {1, 0, 2, 1, 3, 2};  // A B G R -> B G R
      const cv::Mat pixels = words.colRange(0, width);
      cv::mixChannels(&pixels, 1, &out, 1, fromTo, 3);
      return out;
    }
    cv::Mat bytes(height, wpl, CV_8UC4);
    const int fromTo[] = {0, 3, 1, 2, 2, 1, 3, 0};
    cv::mixChannels(&words, 1, &bytes, 1, fromTo, 4);
    return bytes.reshape(1, height).colRange(0, width).clone();
  } else {
    cv::Mat out(height, width, colour ? CV_8UC3 : CV_8UC1);
    for (int y = 0; y < height; ++y) {
      const l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * wpl;
      auto* dst = out.ptr<std::uint8_t>(y);
      for (int x = 0; x < width; ++x) {
        if (colour) {
          l_int32 r = 0, g = 0, b = 0;
          extractRGBValues(line[x], &r, &g, &b);
          dst[3 * x] = static_cast<std::uint8_t>(b);
          dst[3 * x + 1] = static_cast<std::uint8_t>(g);
          dst[3 * x + 2] = static_cast<std::uint8_t>(r);
        } else {
          dst[x] = static_cast<std::uint8_t>(GET_DATA_BYTE(line, x));
        }
      }
    }
    return out;
  }
}

}  // namespace noticescan::util
