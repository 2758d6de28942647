// Fuzz target: the JSON writer. Builds a result from arbitrary bytes (file names and messages that
// are not UTF-8, any values), writes it as compact and as pretty JSON, CSV and receipts, and checks
// the JSON parses back to the same fields (values with bad bytes come back with U+FFFD).
#include <cstddef>
#include <cstdint>
#include <sstream>

#include <nlohmann/json.hpp>

#include "FuzzInput.h"
#include "noticescan/report/Report.h"

using namespace noticescan;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Bytes in(data, size);
  ScanResult result;
  result.file = in.text(64);
  result.sha256 = std::string(64, 'a');
  if (in.byte() % 4 == 0) result.error = ScanError{static_cast<ErrorCode>(in.byte() % 7), in.text(64)};
  result.document.kind = in.byte() % 2 ? "pdf" : "image";
  result.document.pageCount = 1 + in.byte() % 4;
  if (in.byte() % 2) result.document.formType = in.text(16);
  while (!in.empty() && result.fields.size() < 8) {
    Field f;
    f.type = static_cast<FieldType>(in.byte() % 4);
    f.value = in.text(24);
    f.raw = in.text(24);
    f.confidence = in.byte() / 255.0;
    f.page = 1 + in.byte() % 4;
    if (in.byte() % 2) f.label = in.text(24);
    f.evidence.push_back(in.text(16));
    result.fields.push_back(std::move(f));
    if (in.byte() % 3 == 0) result.warnings.push_back({in.text(16), in.byte() % 4, in.text(48)});
  }
  if (result.error) result.fields.clear();  // as the scanner leaves a failed result
  for (const bool redact : {false, true}) {
    report::ReportOptions options;
    options.redact = redact;
    const nlohmann::ordered_json json = report::toJson(result, options);
    const std::string compact = json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    const std::string pretty = report::prettyJson(json);
    const auto back = nlohmann::ordered_json::parse(compact);
    fuzz::require(back == nlohmann::ordered_json::parse(pretty), "pretty and compact JSON differ");
    fuzz::require(back["fields"].size() == (result.ok() ? result.fields.size() : 0u), "fields lost in JSON");
    const ScanResult again = report::fromJson(back);
    fuzz::require(again.fields.size() == back["fields"].size(), "fields lost reading JSON back");
    std::ostringstream csv, receipts;
    report::writeCsvRows(csv, result, options);
    report::writeReceipts(receipts, result, options);
  }
  return 0;
}
