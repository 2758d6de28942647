// Fuzz target: the PDF loader on arbitrary bytes: open, read each page's text layer, or render it
// (at a low resolution, to keep runs short) when it has none. A LoadError is the expected answer
// to bad bytes; anything else escaping, a crash or a sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "FuzzInput.h"
#include "noticescan/load/Loader.h"

using namespace noticescan;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ScanOptions options;
  options.pdfDpi = 24;
  options.maxPixelsPerPage = 1'000'000;
  options.maxPages = 8;
  try {
    auto document = load::openPdf(bytes, options);
    for (int i = 0; i < document->pageCount() && i < 3; ++i) {
      try {
        const load::LoadedPage page = document->page(i);
        fuzz::require(page.hasTextLayer || !page.image.empty(), "a page with neither text nor pixels");
      } catch (const load::LoadError&) {
      }
    }
  } catch (const load::LoadError&) {
  }
  return 0;
}
