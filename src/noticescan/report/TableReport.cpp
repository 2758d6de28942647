#include "noticescan/report/Report.h"

namespace noticescan::report {
namespace {

/// RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled.
std::string csvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace

void writeCsvHeader(std::ostream& out) {
  out << "file,status,type,value,confidence,page,label,role,form_type,notice_type,notice_date,error\r\n";
}

void writeCsvRows(std::ostream& out, const ScanResult& result, const ReportOptions& options) {
  const auto opt = [](const std::optional<std::string>& v) { return v ? csvField(*v) : std::string(); };
  const std::string common = csvField(result.file) + "," + (result.ok() ? "ok" : "error");
  const std::string facts = opt(result.document.formType) + "," + opt(result.document.noticeType) + "," +
                            opt(result.document.noticeDate);
  if (result.fields.empty()) {
    out << common << ",,,,,,," << facts << "," << (result.ok() ? "" : csvField(result.error->message)) << "\r\n";
    return;
  }
  for (const Field& f : result.fields) {
    char confidence[16];
    std::snprintf(confidence, sizeof confidence, "%.3f", f.confidence);
    out << common << "," << toString(f.type) << "," << csvField(options.redact ? redactValue(f.value) : f.value)
        << "," << confidence << "," << f.page << "," << opt(f.label) << "," << opt(f.role) << "," << facts
        << ",\r\n";
  }
}

void writeReceipts(std::ostream& out, const ScanResult& result, const ReportOptions& options) {
  for (const Field& f : result.fields) {
    if (f.type == FieldType::ReceiptNumber) out << (options.redact ? redactValue(f.value) : f.value) << '\n';
  }
}

}  // namespace noticescan::report
