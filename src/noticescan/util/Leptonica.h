#pragma once
// Owning wrappers and conversions for Leptonica's PIX, so no raw PIX* escapes a function.

#include <memory>

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
/// Silences Leptonica's messages on stderr (call once; idempotent).
void quietLeptonica();

}  // namespace noticescan::util
