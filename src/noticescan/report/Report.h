#pragma once
// report/: ScanResult -> JSON (schema_version 1, docs/schema/result-v1.schema.json), CSV, receipts.

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "noticescan/Types.h"

namespace noticescan::report {

/// Output options that change what is written, not what was found.
struct ReportOptions {
  /// Mask identifier values, keeping their last four characters ("*********5678").
  bool redact = false;
};

/// The JSON object of one result (the contract in DESIGN.md).
nlohmann::ordered_json toJson(const ScanResult& result, const ReportOptions& options = {});

/// The result a JSON object (toJson's output, as stored by `noticescan batch`) describes: file,
/// status and error, document facts and fields (type, value, raw, confidence, page, label, role,
/// source, evidence, repairs) and withheld fields. Pages, warnings and timings are not read back.
ScanResult fromJson(const nlohmann::ordered_json& json);

/// Indented JSON for people: like dump(2), but arrays of plain numbers (points) stay on one line;
/// bytes that are not UTF-8 (from file names) are written as U+FFFD.
std::string prettyJson(const nlohmann::ordered_json& json);

/// CSV: a header line, then one row per field (a file with no field or an error gets one row).
void writeCsvHeader(std::ostream& out);
void writeCsvRows(std::ostream& out, const ScanResult& result, const ReportOptions& options = {});
/// One receipt number per line, the form a case tracker imports.
void writeReceipts(std::ostream& out, const ScanResult& result, const ReportOptions& options = {});

/// "*********5678"-style mask used by --redact.
std::string redactValue(const std::string& value);

/// `text` (a file name, a path, a message) with every identifier-shaped run masked the way
/// --redact masks values: letters, then digit groups (a single '-' or ' ' between groups)
/// holding seven digits or more keep only their last four characters ("IOE0912345678.pdf" ->
/// "*********5678.pdf", "A-012-345-678" -> "*-***-**5-678"). What log lines print instead of names
/// that may carry a receipt number, an A-number or an account number.
std::string maskIdentifiers(std::string_view text);

}  // namespace noticescan::report
