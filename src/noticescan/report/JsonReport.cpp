#include <algorithm>
#include <cctype>
#include <cmath>

#include "noticescan/Version.h"
#include "noticescan/report/Report.h"
#include "noticescan/util/Base64.h"

namespace noticescan::report {
namespace {

using json = nlohmann::ordered_json;

double round3(double v) { return std::round(v * 1000.0) / 1000.0; }
double round1(double v) { return std::round(v * 10.0) / 10.0; }

json optionalString(const std::optional<std::string>& value) { return value ? json(*value) : json(nullptr); }

json quadJson(const Quad& quad) {
  json points = json::array();
  for (const Point& p : quad) points.push_back({round1(p.x), round1(p.y)});
  return points;
}

}  // namespace

std::string redactValue(const std::string& value) {
  if (value.size() <= 4) return std::string(value.size(), '*');
  return std::string(value.size() - 4, '*') + value.substr(value.size() - 4);
}

std::string maskIdentifiers(std::string_view text) {
  std::string out(text);
  const auto alpha = [&](std::size_t i) { return i < out.size() && std::isalpha(static_cast<unsigned char>(out[i])); };
  const auto digit = [&](std::size_t i) { return i < out.size() && std::isdigit(static_cast<unsigned char>(out[i])); };
  std::size_t i = 0;
  while (i < out.size()) {
    const bool startsToken = (alpha(i) || digit(i)) && (i == 0 || !(alpha(i - 1) || digit(i - 1)));
    if (!startsToken) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (alpha(end)) ++end;
    const auto separator = [&](std::size_t k, bool afterLetters) {
      return k < out.size() && (out[k] == '-' || (afterLetters ? out[k] == '#' : out[k] == ' '));
    };
    if (end > i && separator(end, true) && digit(end + 1)) ++end;  // "A-012...", "A#012..."
    int digits = 0;
    while (digit(end)) {
      while (digit(end)) {
        ++digits;
        ++end;
      }
      if (separator(end, false) && digit(end + 1)) ++end;  // a separator inside the number
    }
    if (digits >= 7) {
      // Keep the last four letters or digits; mask the rest, separators stay.
      int keep = 4;
      for (std::size_t k = end; k-- > i;) {
        if (!std::isalnum(static_cast<unsigned char>(out[k]))) continue;
        if (keep > 0) {
          --keep;
        } else {
          out[k] = '*';
        }
      }
    }
    i = std::max(end, i + 1);
    while (alpha(i) || digit(i)) ++i;  // the rest of a token that did not qualify
  }
  return out;
}

json toJson(const ScanResult& result, const ReportOptions& options) {
  json out;
  out["schema_version"] = kSchemaVersion;
  out["file"] = result.file;
  out["sha256"] = result.sha256.empty() ? json(nullptr) : json(result.sha256);
  out["status"] = result.ok() ? "ok" : "error";
  out["error"] = result.ok() ? json(nullptr)
                             : json{{"code", toString(result.error->code)}, {"message", result.error->message}};
  const DocumentFacts& d = result.document;
  out["document"] = result.ok() ? json{{"kind", d.kind},
                                       {"page_count", d.pageCount},
                                       {"notice_type", optionalString(d.noticeType)},
                                       {"form_type", optionalString(d.formType)},
                                       {"notice_date", optionalString(d.noticeDate)},
                                       {"received_date", optionalString(d.receivedDate)},
                                       {"priority_date", optionalString(d.priorityDate)}}
                                : json(nullptr);
  const auto fieldsJson = [&](const std::vector<Field>& from) {
    json fields = json::array();
    for (const Field& f : from) {
      fields.push_back({{"type", toString(f.type)},
                        {"value", options.redact ? redactValue(f.value) : f.value},
                        {"raw", options.redact ? redactValue(f.raw) : f.raw},
                        {"confidence", round3(f.confidence)},
                        {"page", f.page},
                        {"polygon", quadJson(f.polygon)},
                        {"label", optionalString(f.label)},
                        {"role", optionalString(f.role)},
                        {"source", toString(f.source)},
                        {"evidence", f.evidence},
                        {"repairs", f.repairs}});
    }
    return fields;
  };
  out["fields"] = fieldsJson(result.fields);
  out["withheld_fields"] = fieldsJson(result.withheld);
  json pages = json::array();
  for (const PageReport& p : result.pages) {
    json page = {{"page", p.page},
                 {"text_source", toString(p.textSource)},
                 {"rotation", p.rotation},
                 {"skew_degrees", round1(p.skewDegrees)},
                 {"outline", quadJson(p.outline)},
                 {"sharpness", p.sharpness ? json(round3(*p.sharpness)) : json(nullptr)},
                 {"contrast", p.contrast ? json(round3(*p.contrast)) : json(nullptr)},
                 {"ocr_confidence", p.ocrConfidence ? json(round3(*p.ocrConfidence)) : json(nullptr)}};
    if (p.preview) {
      page["preview"] = {{"media_type", "image/jpeg"},
                         {"width", p.preview->width},
                         {"height", p.preview->height},
                         {"source_width", p.preview->sourceWidth},
                         {"source_height", p.preview->sourceHeight},
                         {"data", util::base64(p.preview->jpeg)}};
    }
    pages.push_back(std::move(page));
  }
  out["pages"] = std::move(pages);
  json warnings = json::array();
  for (const Warning& w : result.warnings) {
    warnings.push_back({{"code", w.code}, {"page", w.page}, {"message", w.message}});
  }
  out["warnings"] = std::move(warnings);
  json timings = json::object();
  for (const auto& [stage, ms] : result.timingsMs) timings[stage] = static_cast<std::int64_t>(std::llround(ms));
  out["timings_ms"] = std::move(timings);
  return out;
}

ScanResult fromJson(const json& in) {
  const auto text = [](const json& object, const char* key) -> std::optional<std::string> {
    if (!object.is_object() || !object.contains(key) || !object.at(key).is_string()) return std::nullopt;
    return object.at(key).get<std::string>();
  };
  ScanResult out;
  out.file = text(in, "file").value_or("");
  out.sha256 = text(in, "sha256").value_or("");
  if (in.value("status", std::string("error")) != "ok") {
    ScanError error;
    const json& e = in.contains("error") ? in.at("error") : json();
    const std::string code = text(e, "code").value_or("internal");
    for (const ErrorCode c : {ErrorCode::NotFound, ErrorCode::Unreadable, ErrorCode::UnsupportedFormat,
                              ErrorCode::EncryptedPdf, ErrorCode::TooLarge, ErrorCode::Timeout, ErrorCode::Internal}) {
      if (code == toString(c)) error.code = c;
    }
    error.message = text(e, "message").value_or("");
    out.error = error;
  }
  if (const json& d = in.contains("document") ? in.at("document") : json(); d.is_object()) {
    out.document.kind = text(d, "kind").value_or("");
    out.document.pageCount = d.value("page_count", 0);
    out.document.noticeType = text(d, "notice_type");
    out.document.formType = text(d, "form_type");
    out.document.noticeDate = text(d, "notice_date");
    out.document.receivedDate = text(d, "received_date");
    out.document.priorityDate = text(d, "priority_date");
  }
  const auto readFields = [&](const char* key, std::vector<Field>& into) {
    for (const json& f : in.value(key, json::array())) {
      Field field;
      const std::string type = text(f, "type").value_or("");
      for (const FieldType t : {FieldType::ReceiptNumber, FieldType::ANumber, FieldType::OnlineAccountNumber,
                                FieldType::OnlineAccessCode}) {
        if (type == toString(t)) field.type = t;
      }
      const std::string source = text(f, "source").value_or("ocr");
      for (const TextSource s : {TextSource::Ocr, TextSource::TextLayer, TextSource::Barcode}) {
        if (source == toString(s)) field.source = s;
      }
      field.value = text(f, "value").value_or("");
      field.raw = text(f, "raw").value_or("");
      field.confidence = f.value("confidence", 0.0);
      field.page = f.value("page", 1);
      field.label = text(f, "label");
      field.role = text(f, "role");
      field.evidence = f.value("evidence", std::vector<std::string>{});
      field.repairs = f.value("repairs", std::vector<std::string>{});
      if (f.contains("polygon") && f.at("polygon").is_array() && f.at("polygon").size() == 4) {
        for (std::size_t i = 0; i < 4; ++i) {
          const json& p = f.at("polygon").at(i);
          if (p.is_array() && p.size() == 2) field.polygon[i] = Point{p.at(0).get<double>(), p.at(1).get<double>()};
        }
      }
      into.push_back(std::move(field));
    }
  };
  readFields("fields", out.fields);
  readFields("withheld_fields", out.withheld);
  return out;
}

std::string prettyJson(const json& value) {
  // Invalid UTF-8 (a file name's bytes) becomes U+FFFD rather than an exception.
  const std::string text = value.dump(2, ' ', false, json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  bool inString = false;  // brackets inside strings (a file named "scan [ 2].pdf") are text
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (inString) {
      if (text[i] == '\\') {
        out += text[i++];  // the escaped character goes with it
      } else if (text[i] == '"') {
        inString = false;
      }
      out += text[i];
      continue;
    }
    if (text[i] == '"') inString = true;
    if (text[i] == '[') {
      // An innermost array holding only numbers: copy it without its line breaks.
      const std::size_t close = text.find_first_of("[]{}\"", i + 1);
      if (close != std::string::npos && text[close] == ']') {
        const std::string body = text.substr(i + 1, close - i - 1);
        if (body.find_first_not_of("0123456789.-+eE, \n") == std::string::npos &&
            body.find_first_of("0123456789") != std::string::npos) {
          out += '[';
          bool space = false;
          for (const char c : body) {
            if (c == ' ' || c == '\n') {
              space = true;
              continue;
            }
            if (space && out.back() == ',') out += ' ';
            space = false;
            out += c;
          }
          out += ']';
          i = close;
          continue;
        }
      }
    }
    out += text[i];
  }
  return out;
}

}  // namespace noticescan::report
