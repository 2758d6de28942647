// Golden tests: every sample in samples/ yields exactly the identifiers its sidecar lists, with
// the real Tesseract engine.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "noticescan/Scanner.h"
#include "noticescan/report/Report.h"

namespace fs = std::filesystem;
using namespace noticescan;

namespace {

std::vector<std::string> sampleFiles() {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(fs::path(NOTICESCAN_SOURCE_DIR) / "samples")) {
    const std::string name = entry.path().filename().string();
    const std::string suffix = ".expected.json";
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      files.push_back(name.substr(0, name.size() - suffix.size()));
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string testName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

}  // namespace

class SamplesTest : public ::testing::TestWithParam<std::string> {
 protected:
  static Scanner& scanner() {
    static Scanner instance;  // one engine for every sample, as in a batch
    return instance;
  }
};

TEST_P(SamplesTest, FindsExactlyTheExpectedIdentifiers) {
  const fs::path dir = fs::path(NOTICESCAN_SOURCE_DIR) / "samples";
  const nlohmann::json expected = nlohmann::json::parse(std::ifstream(dir / (GetParam() + ".expected.json")));
  const ScanResult result = scanner().scanFile(dir / GetParam());
  ASSERT_TRUE(result.ok()) << result.error->message;

  std::set<std::pair<std::string, std::string>> want, got;
  for (const auto& f : expected.at("fields")) want.emplace(f.at("type"), f.at("value"));
  for (const Field& f : result.fields) got.emplace(toString(f.type), f.value);
  EXPECT_EQ(got, want);

  for (const Field& f : result.fields) {
    EXPECT_GT(f.confidence, 0.5) << toString(f.type);
    EXPECT_GE(f.page, 1);
    EXPECT_LE(f.page, result.document.pageCount);
  }
  if (!expected.at("notice_type").is_null()) {
    EXPECT_EQ(result.document.noticeType, expected.at("notice_type").get<std::string>());
  }
  if (!expected.at("form_type").is_null()) {
    EXPECT_EQ(result.document.formType, expected.at("form_type").get<std::string>());
  }
}

INSTANTIATE_TEST_SUITE_P(Samples, SamplesTest, ::testing::ValuesIn(sampleFiles()), testName);

TEST(SamplesDirectoryTest, HasEveryKindTheFoundationPromises) {
  const auto files = sampleFiles();
  EXPECT_GE(files.size(), 5u);
  auto has = [&](const std::string& part) {
    return std::any_of(files.begin(), files.end(), [&](const std::string& f) { return f.find(part) != std::string::npos; });
  };
  EXPECT_TRUE(has("digital.pdf"));
  EXPECT_TRUE(has("scanned.pdf"));
  EXPECT_TRUE(has("skewed"));
  EXPECT_TRUE(has("sideways"));
  EXPECT_TRUE(has("photo-perspective-shadow"));
  EXPECT_TRUE(has("photo-exif-sideways"));
  EXPECT_TRUE(has(".heic"));
}

TEST(SamplesBarcodeTest, TheBarcodeOfAScannedReceiptConfirmsItsNumber) {
  const fs::path file = fs::path(NOTICESCAN_SOURCE_DIR) / "samples" / "receipt-scan-clean.png";
  const auto receiptEvidence = [&](bool barcodes) {
    ScanOptions options;
    options.barcodes = barcodes;
    const ScanResult result = Scanner(options).scanFile(file);
    EXPECT_TRUE(result.ok());
    for (const Field& f : result.fields) {
      if (f.type == FieldType::ReceiptNumber) return f.evidence;
    }
    return std::vector<std::string>{"no receipt number"};
  };
  const auto has = [](const std::vector<std::string>& evidence, const std::string& word) {
    return std::find(evidence.begin(), evidence.end(), word) != evidence.end();
  };
  const std::vector<std::string> with = receiptEvidence(true);
  EXPECT_TRUE(has(with, "barcode_agrees"));
  EXPECT_TRUE(has(with, "fiscal_year_agrees"));
  EXPECT_FALSE(has(receiptEvidence(false), "barcode_agrees"));
}

TEST(SamplesAccessCodeTest, TheAccessCodeIsReportedOnlyWhenAskedFor) {
  const fs::path dir = fs::path(NOTICESCAN_SOURCE_DIR) / "samples";
  const nlohmann::json expected = nlohmann::json::parse(std::ifstream(dir / "access-notice-scan.png.expected.json"));
  std::string code = expected.at("online_access_code");
  std::erase(code, '-');
  ScanOptions options;
  options.includeAccessCode = true;
  const ScanResult result = Scanner(options).scanFile(dir / "access-notice-scan.png");
  ASSERT_TRUE(result.ok());
  const auto it = std::find_if(result.fields.begin(), result.fields.end(),
                               [](const Field& f) { return f.type == FieldType::OnlineAccessCode; });
  ASSERT_NE(it, result.fields.end());
  EXPECT_EQ(it->value, code);
  EXPECT_EQ(it->label, "Online Access Code");
}

TEST(SamplesPageThreadsTest, PagesReadSideBySideGiveTheSameResult) {
  const fs::path dir = fs::path(NOTICESCAN_SOURCE_DIR) / "samples";
  for (const char* name : {"rfe-scan-sideways.tif", "approval-scanned.pdf", "receipt-digital.pdf"}) {
    std::string results[2];
    for (int threads = 1; threads <= 2; ++threads) {
      ScanOptions options;
      options.pageThreads = threads;
      ScanResult result = Scanner(options).scanFile(dir / name);
      ASSERT_TRUE(result.ok()) << name;
      result.timingsMs.clear();
      results[threads - 1] = report::toJson(result).dump();
    }
    EXPECT_EQ(results[0], results[1]) << name;
  }
}
