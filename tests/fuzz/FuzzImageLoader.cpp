// Fuzz target: the image loader (JPEG, PNG, TIFF, WebP, BMP, HEIC) on arbitrary bytes: open the
// document and load its first pages. A LoadError is the expected answer to bad bytes; anything
// else escaping, a crash or a sanitizer report is a finding. PDFs go to the PDF target.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "FuzzInput.h"
#include "noticescan/load/Loader.h"

using namespace noticescan;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (load::sniffFormat(bytes) == load::Format::Pdf) return 0;
  ScanOptions options;
  options.maxPixelsPerPage = 4'000'000;  // keeps each run short; the limit itself is under test too
  options.maxPages = 8;
  try {
    auto document = load::openDocument(bytes, options);
    fuzz::require(document->pageCount() >= 1, "a document without pages");
    for (int i = 0; i < document->pageCount() && i < 3; ++i) {
      try {
        const load::LoadedPage page = document->page(i);
        fuzz::require(!page.image.empty(), "an image page without pixels");
        fuzz::require(page.image.total() <= options.maxPixelsPerPage * 2, "the pixel limit was not kept");
        fuzz::require(page.sourceWidth > 0 && page.sourceHeight > 0, "a page without a size");
      } catch (const load::LoadError&) {
      }
    }
  } catch (const load::LoadError&) {
  }
  return 0;
}
