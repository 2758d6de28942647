#include <gtest/gtest.h>

#include <algorithm>

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <opencv2/imgproc.hpp>

#include "WordLayout.h"
#include "noticescan/barcode/Barcode.h"
#include "noticescan/extract/Extractor.h"

using namespace noticescan;
using namespace noticescan::extract;
using testing_words::layOut;
using testing_words::Text;

namespace {

/// A white page with `text` as a 1-D barcode drawn at `(x, y)`, `module` pixels per narrow bar.
cv::Mat pageWithBarcode(const std::string& text, ZXing::BarcodeFormat format, double module, int x = 300,
                        int y = 1500) {
  cv::Mat page(2000, 1600, CV_8UC1, cv::Scalar(250));
  const ZXing::BitMatrix bars = ZXing::MultiFormatWriter(format).setMargin(0).encode(text, 0, 1);
  // Drawn at 8x and shrunk with area averaging: thin bars come out grey-edged as in a scan.
  cv::Mat big(2000 * 4, 1600 * 4, CV_8UC1, cv::Scalar(250));
  for (int i = 0; i < bars.width(); ++i) {
    if (!bars.get(i, 0)) continue;
    const int left = static_cast<int>((x + i * module) * 4), right = static_cast<int>((x + (i + 1) * module) * 4);
    big(cv::Rect(left, y * 4, right - left, 100 * 4)).setTo(20);
  }
  cv::resize(big, page, page.size(), 0, 0, cv::INTER_AREA);
  return page;
}

const Field* findValue(const PageExtraction& e, const std::string& value) {
  const auto it = std::find_if(e.fields.begin(), e.fields.end(), [&](const Field& f) { return f.value == value; });
  return it == e.fields.end() ? nullptr : &*it;
}

bool has(const Field& f, const std::string& evidence) {
  return std::find(f.evidence.begin(), f.evidence.end(), evidence) != f.evidence.end();
}

barcode::Barcode code(const std::string& text) {
  return {text, "Code128", {Point{100, 900}, Point{400, 900}, Point{400, 960}, Point{100, 960}}};
}

PageExtraction header(const std::string& receiptAsRead) {
  return extractPage(layOut({{0, 0, "Receipt Number"}, {0, 30, receiptAsRead}, {0, 300, "Notice Type: Receipt Notice"}}),
                     1, TextSource::Ocr);
}

}  // namespace

TEST(BarcodeReaderTest, ReadsCode128AndCode39WithTheirPositions) {
  for (const auto format : {ZXing::BarcodeFormat::Code128, ZXing::BarcodeFormat::Code39}) {
    const std::vector<barcode::Barcode> found = barcode::readBarcodes(pageWithBarcode("IOE0912345678", format, 3.0));
    ASSERT_EQ(found.size(), 1u) << ZXing::ToString(format);
    EXPECT_EQ(found[0].text, "IOE0912345678");
    const Rect box = bounds(found[0].quad);
    EXPECT_NEAR(box.x, 300, 12);
    EXPECT_GT(box.y, 1490);
    EXPECT_LT(box.bottom(), 1610);
  }
}

TEST(BarcodeReaderTest, ReadsThinAntiAliasedBarsEnlargedForOcr) {
  // 1.45 px per bar in a screenshot of a PDF viewer, enlarged 1.6 times (page/ does that to bring
  // small text to the size OCR reads best): the bars' edges are smeared grey.
  const cv::Mat screenshot = pageWithBarcode("EAC2319050123", ZXing::BarcodeFormat::Code128, 1.45);
  cv::Mat enlarged;
  cv::resize(screenshot, enlarged, {}, 1.6, 1.6, cv::INTER_CUBIC);
  const std::vector<barcode::Barcode> found = barcode::readBarcodes(enlarged);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].text, "EAC2319050123");
}

TEST(BarcodeReaderTest, APageWithoutBarcodesYieldsNothing) {
  cv::Mat page(1200, 900, CV_8UC1, cv::Scalar(245));
  cv::putText(page, "Receipt Number IOE0912345678", {50, 200}, cv::FONT_HERSHEY_SIMPLEX, 1.2, cv::Scalar(10), 2);
  for (int x = 50; x < 850; x += 40) cv::line(page, {x, 400}, {x, 600}, cv::Scalar(0), 1);  // a ruled table
  EXPECT_TRUE(barcode::readBarcodes(page).empty());
  EXPECT_TRUE(barcode::readBarcodes(cv::Mat()).empty());
}

TEST(ApplyBarcodesTest, AgreeingBarcodeIsRecordedAsEvidence) {
  PageExtraction e = header("IOE0912345678");
  applyBarcodes(e, {code("IOE0912345678")}, 1);
  ASSERT_EQ(e.fields.size(), 1u);
  EXPECT_TRUE(has(e.fields[0], "barcode_agrees"));
  EXPECT_EQ(e.fields[0].source, TextSource::Ocr);
}

TEST(ApplyBarcodesTest, AReadingTheBarcodeAgreesWithIsNoLessSureThanTheBarcodeAlone) {
  // A fax's receipt read poorly (low word confidence), its value right: the barcode confirms it.
  PageExtraction poor = extractPage(layOut({{0, 0, "Receipt Number"}, {0, 30, "MSC2092446902", 0.2}}), 1, TextSource::Ocr);
  ASSERT_EQ(poor.fields.size(), 1u);
  const double textAlone = poor.fields[0].confidence;
  applyBarcodes(poor, {code("MSC2092446902")}, 1);
  PageExtraction none = extractPage(layOut({{0, 0, "Notice Type: Receipt Notice"}}), 1, TextSource::Ocr);
  applyBarcodes(none, {code("MSC2092446902")}, 1);
  ASSERT_EQ(none.fields.size(), 1u);
  ASSERT_EQ(poor.fields.size(), 1u);
  EXPECT_GT(none.fields[0].confidence, textAlone);
  EXPECT_GE(poor.fields[0].confidence, none.fields[0].confidence);
  // A reading the text was surer of than the barcode alone keeps its own score.
  PageExtraction sure = header("MSC2092446902");
  const double sureAlone = sure.fields.at(0).confidence;
  applyBarcodes(sure, {code("MSC2092446902")}, 1);
  EXPECT_DOUBLE_EQ(sure.fields.at(0).confidence, std::max(sureAlone, none.fields[0].confidence));
}

TEST(ApplyBarcodesTest, BarcodeCorrectsAMisreadDigitAndKeepsTheReadingInRaw) {
  PageExtraction e = header("IOE0912845678");  // 3 read as 8
  applyBarcodes(e, {code("IOE0912345678")}, 1);
  ASSERT_EQ(e.fields.size(), 1u);
  EXPECT_EQ(e.fields[0].value, "IOE0912345678");
  EXPECT_EQ(e.fields[0].raw, "IOE0912845678");
  EXPECT_EQ(e.fields[0].label, "Receipt Number");
  EXPECT_TRUE(has(e.fields[0], "barcode_corrected"));
}

TEST(ApplyBarcodesTest, ADifferentNumberIsNotCorrectedButTheBarcodeStandsBesideIt) {
  PageExtraction e = header("IOE0912345678");
  applyBarcodes(e, {code("IOE0987654321")}, 1);  // another case's receipt: nine digits differ
  ASSERT_EQ(e.fields.size(), 2u);
  ASSERT_NE(findValue(e, "IOE0912345678"), nullptr);
  const Field* fromBarcode = findValue(e, "IOE0987654321");
  ASSERT_NE(fromBarcode, nullptr);
  EXPECT_EQ(fromBarcode->source, TextSource::Barcode);
  EXPECT_TRUE(has(*fromBarcode, "barcode"));
  EXPECT_FALSE(fromBarcode->label.has_value());
  EXPECT_NEAR(fromBarcode->polygon[0].x, 100, 1e-9);
}

TEST(ApplyBarcodesTest, ABarcodeAloneGivesTheReceiptWhenTheTextMissedIt) {
  PageExtraction e = extractPage(layOut({{0, 300, "Notice Type: Receipt Notice"}}), 2, TextSource::Ocr);
  ASSERT_TRUE(e.fields.empty());
  applyBarcodes(e, {code("*LIN-23-190-50123*"), code("lin2319050123")}, 2);
  // Decoders strip Code 39's start and stop asterisks, so text that keeps them is not a decoded
  // value; dashes and lower case are folded. One field.
  ASSERT_EQ(e.fields.size(), 1u);
  EXPECT_EQ(e.fields[0].value, "LIN2319050123");
  EXPECT_EQ(e.fields[0].page, 2);
}

TEST(ApplyBarcodesTest, BarcodesThatAreNotKnownReceiptsAreIgnored) {
  PageExtraction e = extractPage(layOut({{0, 300, "Notice Type: Receipt Notice"}}), 1, TextSource::Ocr);
  applyBarcodes(e, {code("BMB2010534003"),   // NVC case number: same shape, not a USCIS prefix
                    code("9400111899223197428490"),  // a postal tracking number
                    code("IOE091234567"),    // one digit short
                    code("")},
                1);
  EXPECT_TRUE(e.fields.empty());
}

TEST(ApplyBarcodesTest, TheBarcodesWordHoldsForEveryReadingOfTheNumber) {
  // The receipt in the header grid and again in the letter; the combined field keeps the
  // barcode's confirmation whichever reading it is placed at.
  PageExtraction e = extractPage(layOut({{0, 0, "Receipt Number"},
                                         {0, 30, "IOE0912345678", 0.6},
                                         {0, 300, "Please quote receipt number IOE0912345678 when you write"}}),
                                 1, TextSource::Ocr);
  ASSERT_EQ(e.fields.size(), 2u);
  applyBarcodes(e, {code("IOE0912345678")}, 1);
  DocumentFacts facts;
  const std::vector<Field> combined = combinePages({e}, facts);
  ASSERT_EQ(combined.size(), 1u);
  EXPECT_TRUE(has(combined[0], "barcode_agrees"));
  EXPECT_TRUE(has(combined[0], "repeated"));
}
