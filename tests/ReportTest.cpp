#include <gtest/gtest.h>

#include <sstream>

#include "noticescan/report/Report.h"

using namespace noticescan;
using namespace noticescan::report;

namespace {

ScanResult sample() {
  ScanResult r;
  r.file = "notice, \"copy\".pdf";
  r.sha256 = std::string(64, 'a');
  r.document.kind = "pdf";
  r.document.pageCount = 1;
  r.document.formType = "I-130";
  Field f;
  f.type = FieldType::ReceiptNumber;
  f.value = "IOE0912345678";
  f.raw = "I0E0912345678";
  f.confidence = 0.91234;
  f.label = "Receipt Number";
  r.fields.push_back(f);
  // Read too uncertainly to report (ScanOptions::minConfidence): kept for a person, never listed.
  f.value = f.raw = "TQE0912345679";
  f.confidence = 0.26;
  f.label.reset();
  r.withheld.push_back(f);
  return r;
}

}  // namespace

TEST(ReportTest, JsonKeepsContractKeysInOrder) {
  const auto json = toJson(sample());
  std::vector<std::string> keys;
  for (const auto& item : json.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"schema_version", "file", "sha256", "status", "error", "document",
                                            "fields", "withheld_fields", "pages", "warnings", "timings_ms"}));
  EXPECT_EQ(json["fields"][0]["value"], "IOE0912345678");
  EXPECT_EQ(json["fields"][0]["confidence"], 0.912);
  EXPECT_TRUE(json["fields"][0]["role"].is_null());
  EXPECT_EQ(json["withheld_fields"][0]["value"], "TQE0912345679");
  EXPECT_EQ(json["withheld_fields"][0]["confidence"], 0.26);
}

TEST(ReportTest, RedactKeepsLastFourCharacters) {
  ReportOptions options;
  options.redact = true;
  const auto json = toJson(sample(), options);
  EXPECT_EQ(json["fields"][0]["value"], "*********5678");
  EXPECT_EQ(json["fields"][0]["raw"], "*********5678");
  EXPECT_EQ(json["withheld_fields"][0]["value"], "*********5679");
  EXPECT_EQ(json.dump().find("0912345678"), std::string::npos);
  EXPECT_EQ(json.dump().find("0912345679"), std::string::npos);
}

TEST(ReportTest, StoredJsonReadsBackItsFieldsAndWithheldValues) {
  // What `noticescan export` reads from a store: the withheld values stay apart from the fields.
  const ScanResult back = fromJson(toJson(sample()));
  ASSERT_EQ(back.fields.size(), 1u);
  EXPECT_EQ(back.fields[0].value, "IOE0912345678");
  ASSERT_EQ(back.withheld.size(), 1u);
  EXPECT_EQ(back.withheld[0].value, "TQE0912345679");
  EXPECT_DOUBLE_EQ(back.withheld[0].confidence, 0.26);
}

TEST(ReportTest, PrettyJsonLeavesBracketsInsideStringsAlone) {
  // Found by FuzzJsonReport: "[ 8]" inside a file name was taken for an array of numbers.
  ScanResult result = sample();
  result.file = "scan [ 8] \"quoted [ 1 ]\".pdf";
  const auto json = toJson(result);
  EXPECT_EQ(nlohmann::ordered_json::parse(prettyJson(json))["file"], result.file);
  EXPECT_EQ(nlohmann::ordered_json::parse(prettyJson(json)), json);
}

TEST(ReportTest, LogTextMasksEveryIdentifierShapeAndNothingElse) {
  EXPECT_EQ(maskIdentifiers("IOE0912345678.pdf"), "*********5678.pdf");
  EXPECT_EQ(maskIdentifiers("/scans/A012345678 notice.jpg"), "/scans/******5678 notice.jpg");
  EXPECT_EQ(maskIdentifiers("A-012-345-678"), "*-***-**5-678");
  EXPECT_EQ(maskIdentifiers("acct 1234 5678 9012.png"), "acct **** **** 9012.png");
  EXPECT_EQ(maskIdentifiers("case_EAC2190012345_final"), "case_*********2345_final");
  EXPECT_EQ(maskIdentifiers("A12345678"), "*****5678");  // eight-digit A-numbers too
  // Text without seven digits in a row (or in one grouped number) is left as it is.
  EXPECT_EQ(maskIdentifiers("notice page 12 of 3, v2.pdf"), "notice page 12 of 3, v2.pdf");
  EXPECT_EQ(maskIdentifiers("the PDF has 1200 pages"), "the PDF has 1200 pages");
  EXPECT_EQ(maskIdentifiers(""), "");
}

TEST(ReportTest, ErrorObjectHasCodeAndNoDocument) {
  ScanResult r;
  r.file = "x";
  r.error = ScanError{ErrorCode::EncryptedPdf, "the PDF is password-protected"};
  const auto json = toJson(r);
  EXPECT_EQ(json["status"], "error");
  EXPECT_EQ(json["error"]["code"], "encrypted_pdf");
  EXPECT_TRUE(json["document"].is_null());
  EXPECT_TRUE(json["sha256"].is_null());
}

TEST(ReportTest, CsvQuotesFieldsAndReceiptsListOnePerLine) {
  std::ostringstream csv;
  writeCsvHeader(csv);
  writeCsvRows(csv, sample());
  EXPECT_NE(csv.str().find("\"notice, \"\"copy\"\".pdf\",ok,receipt_number,IOE0912345678,0.912,1,Receipt Number,,I-130"),
            std::string::npos)
      << csv.str();
  EXPECT_EQ(csv.str().find("TQE0912345679"), std::string::npos) << "a withheld value is no row";
  std::ostringstream receipts;
  writeReceipts(receipts, sample());
  EXPECT_EQ(receipts.str(), "IOE0912345678\n");
}

TEST(ReportTest, PrettyJsonKeepsPointsOnOneLineAndParsesBack) {
  ScanResult r = sample();
  r.fields[0].polygon = {Point{1, 2.5}, Point{3, 4}, Point{5, 6}, Point{7, 8}};
  const auto json = toJson(r);
  const std::string pretty = prettyJson(json);
  EXPECT_NE(pretty.find("[1.0, 2.5]"), std::string::npos) << pretty;
  EXPECT_EQ(nlohmann::ordered_json::parse(pretty), json);
}
