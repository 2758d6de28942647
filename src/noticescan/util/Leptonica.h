#pragma once
// Owning wrappers and conversions for Leptonica's PIX, so no raw PIX* escapes a function.

#include <memory>
#include <string>

#include <leptonica/allheaders.h>
#include <opencv2/core.hpp>

namespace noticescan::util {

struct PixDeleter {
  void operator()(PIX* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

/// Copies an 8-bit gray or BGR Mat into a new PIX (8 bpp gray or 32 bpp RGB).
PixPtr matToPix(const cv::Mat& image);
/// Copies any PIX into an 8-bit gray (depth <= 8, no colour) or BGR Mat.
cv::Mat pixToMat(PIX* pix);
/// An 8-bit gray or BGR Mat as PNG bytes (empty if encoding fails).
std::string encodePng(const cv::Mat& image);
/// An 8-bit gray or BGR Mat as JPEG bytes of `quality` 1-100 (empty if encoding fails).
std::string encodeJpeg(const cv::Mat& image, int quality);
/// Silences Leptonica's messages on stderr (call once; idempotent).
void quietLeptonica();

}  // namespace noticescan::util
