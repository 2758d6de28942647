// Fuzz target: the extractor on arbitrary word layouts. Each input line is a line of text on the
// page; its first three bytes place it (row, column) and set its OCR confidence. Every field that
// comes out must have a well-formed value of its type and a confidence in [0, 1]. The OCR page's
// words also go through the re-read's span finder (pure: no image, no engine), whose spans must
// name words that exist.
#include <cstddef>
#include <cstdint>
#include <regex>
#include <sstream>
#include <vector>

#include "FuzzInput.h"
#include "noticescan/extract/Extractor.h"
#include "noticescan/report/Report.h"
#include "noticescan/reread/Reread.h"

using namespace noticescan;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Bytes in(data, size);
  std::vector<extract::PageExtraction> extractions;
  for (int page = 1; page <= 2 && !in.empty(); ++page) {
    std::vector<Word> words;
    for (int line = 0; line < 60 && !in.empty(); ++line) {
      const double y = 40.0 * (in.byte() % 64);
      double x = 12.0 * (in.byte() % 128);
      const double confidence = in.byte() / 255.0;
      std::istringstream text(in.text(200));
      for (std::string w; text >> w;) {
        words.push_back({w, {x, y, 12.0 * static_cast<double>(w.size()), 24}, confidence});
        x += 12.0 * static_cast<double>(w.size() + 1);
      }
    }
    if (page == 1) {
      for (const reread::Span& span : reread::findUncertainSpans(words)) {
        for (const int i : span.words) fuzz::require(i >= 0 && static_cast<std::size_t>(i) < words.size(), "span names no word");
      }
    }
    extractions.push_back(extract::extractPage(words, page, page == 1 ? TextSource::Ocr : TextSource::TextLayer));
  }
  ScanResult result;
  result.file = "fuzz";
  result.fields = extract::combinePages(extractions, result.document);
  extract::calibrate(result.fields, std::vector<std::vector<std::string>>(result.fields.size()));
  static const std::regex receipt("[A-Z]{3}[0-9]{10}|[A-Z]{3}\\*[0-9]{9}");
  static const std::regex aNumber("A[0-9]{9}");
  static const std::regex account("[0-9]{12}");
  for (const Field& f : result.fields) {
    fuzz::require(f.confidence >= 0 && f.confidence <= 1, "confidence outside [0, 1]");
    switch (f.type) {
      case FieldType::ReceiptNumber: fuzz::require(std::regex_match(f.value, receipt), "malformed receipt number"); break;
      case FieldType::ANumber: fuzz::require(std::regex_match(f.value, aNumber), "malformed A-number"); break;
      case FieldType::OnlineAccountNumber: fuzz::require(std::regex_match(f.value, account), "malformed account number"); break;
      default: break;
    }
  }
  (void)report::toJson(result).dump();
  return 0;
}
