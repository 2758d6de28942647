#include "noticescan/load/Loader.h"

namespace noticescan::load {

void checkPixelLimit(std::uint64_t width, std::uint64_t height, const ScanOptions& options) {
  const std::uint64_t pixels = width * height;
  if (pixels > options.maxPixelsPerPage) {
    throw LoadError(ErrorCode::TooLarge, "the image has " + std::to_string(pixels / 1'000'000) +
                                             " megapixels, more than the limit of " +
                                             std::to_string(options.maxPixelsPerPage / 1'000'000));
  }
}

std::unique_ptr<Document> openDocument(std::string_view bytes, const ScanOptions& options) {
  if (bytes.empty()) throw LoadError(ErrorCode::Unreadable, "the file is empty");
  if (bytes.size() > options.maxInputBytes) {
    throw LoadError(ErrorCode::TooLarge, "the file is larger than the limit of " +
                                             std::to_string(options.maxInputBytes >> 20) + " MiB");
  }
  const Format format = sniffFormat(bytes);
  switch (format) {
    case Format::Pdf: return openPdf(bytes, options);
    case Format::Jpeg:
    case Format::Png:
    case Format::Tiff:
    case Format::Webp:
    case Format::Bmp: return openImage(bytes, format, options);
    case Format::Heif: return openHeif(bytes, options);
    case Format::Gif:
      throw LoadError(ErrorCode::UnsupportedFormat,
                      "GIF is not supported: save the notice as PNG, JPEG, TIFF or PDF");
    case Format::Unknown: break;
  }
  throw LoadError(ErrorCode::UnsupportedFormat,
                  "not a supported document: expected a JPEG, PNG, TIFF, WebP, BMP or HEIC image or a PDF");
}

}  // namespace noticescan::load
