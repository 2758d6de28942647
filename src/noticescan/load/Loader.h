#pragma once
// load/: bytes -> pages. A Document hands out its pages one at a time, so a long PDF is never
// held in memory whole.

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/core/matx.hpp>

#include "noticescan/Scanner.h"
#include "noticescan/Types.h"
#include "noticescan/load/Format.h"

namespace noticescan::load {

/// An input problem found while loading; the Scanner turns it into ScanResult::error.
class LoadError : public std::runtime_error {
 public:
  LoadError(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

/// One page as loaded: either words from a text layer or a raster to OCR.
struct LoadedPage {
  /// True when `words` came from a PDF text layer; `image` is then empty, or a small rendering
  /// when ScanOptions::previewLongSide asks for one (`toSource` maps it).
  bool hasTextLayer = false;
  /// Text-layer words, boxes in source units (PDF points, origin top-left).
  std::vector<Word> words;
  /// 8-bit gray or BGR raster, upright as stored (EXIF orientation already applied).
  cv::Mat image;
  /// Maps raster pixels to source units: identity for ordinary images, a scale for rendered PDF
  /// pages (72/dpi) and for images with non-square pixels (fax).
  cv::Matx33d toSource = cv::Matx33d::eye();
  /// The raster was stored black and white (a fax, a 1-bit scan): only pure black and pure white
  /// before any stretching. Its letters' edges are stair steps of whole pixels.
  bool bilevel = false;
  /// Page size in source units.
  double sourceWidth = 0;
  double sourceHeight = 0;
};

class Document {
 public:
  virtual ~Document() = default;
  /// "image" or "pdf".
  virtual std::string kind() const = 0;
  virtual int pageCount() const = 0;
  /// Loads page `index` (0-based). Throws LoadError when that page cannot be read.
  virtual LoadedPage page(int index) = 0;
};

/// Throws `too_large` when an image of `width` x `height` pixels exceeds the per-page limit. Called
/// before decoding wherever the size can be read from a header.
void checkPixelLimit(std::uint64_t width, std::uint64_t height, const ScanOptions& options);

/// Opens `bytes` (which must outlive the Document). Throws LoadError for unsupported, unreadable
/// or encrypted input.
std::unique_ptr<Document> openDocument(std::string_view bytes, const ScanOptions& options);

std::unique_ptr<Document> openImage(std::string_view bytes, Format format, const ScanOptions& options);
/// A one-page document holding an already decoded 8-bit gray or BGR image; `reduction` is how many
/// source pixels one decoded pixel stands for (2 when a large JPEG was decoded at half size).
std::unique_ptr<Document> singleImageDocument(cv::Mat image, double reduction = 1);
std::unique_ptr<Document> openPdf(std::string_view bytes, const ScanOptions& options);
std::unique_ptr<Document> openHeif(std::string_view bytes, const ScanOptions& options);

}  // namespace noticescan::load
