#include "noticescan/barcode/Barcode.h"

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

namespace noticescan::barcode {

std::vector<Barcode> readBarcodes(const cv::Mat& gray) {
  CV_Assert(gray.type() == CV_8UC1);
  std::vector<Barcode> out;
  if (gray.empty()) return out;
  const cv::Mat image = gray.isContinuous() ? gray : gray.clone();
  const ZXing::ImageView view(image.data, image.cols, image.rows, ZXing::ImageFormat::Lum,
                              static_cast<int>(image.step[0]));
  ZXing::DecodeHints hints;
  // The symbologies that can carry letters and digits (ITF, EAN and friends carry digits only).
  hints.setFormats(ZXing::BarcodeFormat::Code128 | ZXing::BarcodeFormat::Code39 | ZXing::BarcodeFormat::Code93);
  // The page is already upright (page/); a printed barcode is horizontal on it.
  hints.setTryRotate(false);
  hints.setTryHarder(true);
  // Pages come at OCR resolution, where bars are at least a pixel wide: no pyramid is needed. It
  // also must not run: Debian's zxing 1.4 keeps its assertions, and merging the readings of one
  // barcode found at two scales trips one (`lineCount() == 1`), which would abort the process.
  hints.setTryDownscale(false);
  // The local-average binarizer suits scans and photos with uneven light; thin anti-aliased bars
  // (screenshots, pages enlarged for OCR) melt under it and come apart at a fixed threshold, so
  // that is the second try when the first finds nothing.
  for (const ZXing::Binarizer binarizer : {ZXing::Binarizer::LocalAverage, ZXing::Binarizer::FixedThreshold}) {
    hints.setBinarizer(binarizer);
    for (const ZXing::Result& r : ZXing::ReadBarcodes(view, hints)) {
      if (!r.isValid()) continue;
      Barcode b;
      b.text = r.text();
      b.symbology = ZXing::ToString(r.format());
      const auto& p = r.position();
      for (std::size_t i = 0; i < 4; ++i) {
        b.quad[i] = Point{static_cast<double>(p[i].x), static_cast<double>(p[i].y)};
      }
      out.push_back(std::move(b));
    }
    if (!out.empty()) break;
  }
  return out;
}

}  // namespace noticescan::barcode
