#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "WordLayout.h"
#include "noticescan/extract/Extractor.h"

using namespace noticescan;
using namespace noticescan::extract;
using testing_words::layOut;
using testing_words::Text;

namespace {

PageExtraction run(const std::vector<Text>& texts, TextSource source = TextSource::Ocr) {
  return extractPage(layOut(texts), 1, source);
}

const Field* find(const PageExtraction& e, FieldType type) {
  const auto it = std::find_if(e.fields.begin(), e.fields.end(), [&](const Field& f) { return f.type == type; });
  return it == e.fields.end() ? nullptr : &*it;
}

/// Checks that `e` found a field of `type` with `value`, named by the label `label`.
void expectLabelled(const PageExtraction& e, FieldType type, const std::string& value, const std::string& label) {
  const Field* field = find(e, type);
  ASSERT_NE(field, nullptr) << value;
  EXPECT_EQ(field->value, value);
  EXPECT_EQ(field->label, label);
}

/// The modern I-797C header grid: labels on top of each box, values under them.
std::vector<Text> modernHeader() {
  return {
      {0, 0, "Receipt Number"},        {300, 0, "USCIS Online Account Number"}, {700, 0, "Case Type"},
      {0, 30, "IOE0912345678"},        {300, 30, "123456789012"},                {700, 30, "I130 - PETITION FOR ALIEN RELATIVE"},
      {0, 80, "Received Date"},        {300, 80, "Priority Date"},               {700, 80, "Petitioner A123 456 789"},
      {0, 110, "01/15/2024"},          {700, 110, "JOHN EXAMPLE"},
      {0, 160, "Notice Date"},         {300, 160, "Page"},                       {700, 160, "Beneficiary A# 098-170-274"},
      {0, 190, "01/18/2024"},          {300, 190, "1 of 1"},                     {700, 190, "MARIA EXAMPLE"},
      {0, 260, "Customer Service Telephone: 800-375-5283"},
      {0, 290, "PO BOX 660867 DALLAS TX 75266-0867"},
      {0, 320, "Amount received: $675.00 U.S. Form I-797C 07/11/14"},
  };
}

}  // namespace

TEST(ExtractorTest, ModernHeaderGridYieldsEveryIdentifierWithLabelAndRole) {
  const PageExtraction e = run(modernHeader());
  ASSERT_EQ(e.fields.size(), 4u);
  expectLabelled(e, FieldType::ReceiptNumber, "IOE0912345678", "Receipt Number");
  expectLabelled(e, FieldType::OnlineAccountNumber, "123456789012", "USCIS Online Account Number");

  std::vector<std::pair<std::string, std::string>> aNumbers;
  for (const Field& f : e.fields) {
    if (f.type == FieldType::ANumber) aNumbers.emplace_back(f.value, f.role.value_or("?"));
  }
  std::sort(aNumbers.begin(), aNumbers.end());
  EXPECT_EQ(aNumbers, (std::vector<std::pair<std::string, std::string>>{{"A098170274", "beneficiary"},
                                                                        {"A123456789", "petitioner"}}));
}

TEST(ExtractorTest, ReadsDocumentFacts) {
  const PageExtraction e = run(modernHeader());
  EXPECT_EQ(e.facts.formType, "I-130");
  EXPECT_EQ(e.facts.noticeType, "I-797C");
  EXPECT_EQ(e.facts.receivedDate, "2024-01-15");
  EXPECT_EQ(e.facts.noticeDate, "2024-01-18");
  EXPECT_EQ(e.facts.priorityDate, std::nullopt);
}

TEST(ExtractorTest, DistractorsAloneYieldNothing) {
  const PageExtraction e = run({
      {0, 0, "Call 800-375-5283 or TTY 1-800-767-1833 between 8 and 8."},
      {0, 30, "SPRINGFIELD IL 62704-1234 P.O. Box 660867 fee $1,225.00"},
      {0, 60, "Form G-1145 REV. 08/01/16 Page 1 of 1 Social Security Number 123-45-6789"},
      {0, 90, "Passport Number X12345678 I-94 Number 12345678901"},
  });
  EXPECT_TRUE(e.fields.empty());
}

TEST(ExtractorTest, SameShapeNumbersUnderOtherLabelsAreRejected) {
  const PageExtraction e = run({
      {0, 0, "NVC Case Number: BMB2010534003"},
      {0, 30, "Card Number: SRC1234567890"},
      {0, 60, "Online Access Code: 123456789012"},
  });
  // The access code of twelve digits is never taken for an account number: it is found only as
  // what its label says (the scanner leaves it out unless asked, ScannerFakeEngineTest).
  ASSERT_EQ(e.fields.size(), 1u) << e.fields[0].value;
  EXPECT_EQ(e.fields[0].type, FieldType::OnlineAccessCode);
  EXPECT_EQ(e.fields[0].value, "123456789012");
}

TEST(ExtractorTest, AccessCodeIsTheCapitalsAndDigitsAfterOrUnderItsLabel) {
  const auto code = [](const std::vector<Text>& texts) {
    const PageExtraction e = run(texts);
    const Field* f = find(e, FieldType::OnlineAccessCode);
    return f ? f->value + "|" + f->raw : std::string("none");
  };
  EXPECT_EQ(code({{0, 0, "Your Online Access Code: KD7P-2QXM-9TRA. It expires in 30 days."}}),
            "KD7P2QXM9TRA|KD7P-2QXM-9TRA");
  EXPECT_EQ(code({{0, 0, "ONLINE ACCESS CODE"}, {0, 30, "KD7P 2QXM 9TRA W4HB"}}), "KD7P2QXM9TRAW4HB|KD7P 2QXM 9TRA W4HB");
  EXPECT_EQ(code({{0, 0, "Online Access Code:"}, {400, 0, "KD7P-2QXM-9TRA"}}), "KD7P2QXM9TRA|KD7P-2QXM-9TRA");
  EXPECT_EQ(code({{0, 0, "Access Code: see the enclosed sheet"}}), "none");  // prose, not a code
  EXPECT_EQ(code({{0, 0, "Access Code: AB12"}}), "none");                    // too short to be one
}

TEST(ExtractorTest, ALabelEndingALineOfProseGovernsTheValueStartingTheNext) {
  // A passport number that happens to start with "A" is still a passport number when the prose
  // wraps between its label and the value.
  const PageExtraction e = run({
      {0, 0, "Submit a copy of the biographic page of the applicant's passport (number"},
      {0, 30, "A48967898) and evidence of the bona fide relationship."},
  });
  EXPECT_TRUE(e.fields.empty()) << e.fields.size() << " fields, first " << e.fields[0].value;
  // Without the label the same line is an A-number.
  const PageExtraction alone = run({{0, 30, "A48967898) and evidence of the bona fide relationship."}});
  ASSERT_EQ(alone.fields.size(), 1u);
}

TEST(ExtractorTest, NonAsciiLookAlikesAreReadAsWhatWasPrinted) {
  // OCR's euro sign for E and en dashes for hyphens, in values printed in plain ASCII.
  const PageExtraction e = run({{0, 0, "Receipt Number 10\u20AC0956181682"}, {0, 30, "Case EAC\u201321\u2013900\u201312345"}});
  std::vector<std::string> got;
  for (const Field& f : e.fields) got.push_back(f.value);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"EAC2190012345", "IOE0956181682"}));
}

TEST(ExtractorTest, UnknownPrefixNeedsALabelAndScoresLow) {
  EXPECT_TRUE(run({{0, 0, "reference XYZ0912345678 enclosed"}}).fields.empty());
  const PageExtraction labelled = run({{0, 0, "Receipt Number: XYZ0912345678"}});
  ASSERT_EQ(labelled.fields.size(), 1u);
  EXPECT_LT(labelled.fields[0].confidence, 0.7);
  const PageExtraction known = run({{0, 0, "Receipt Number: EAC2190012345"}});
  ASSERT_EQ(known.fields.size(), 1u);
  EXPECT_GT(known.fields[0].confidence, labelled.fields[0].confidence);
}

TEST(ExtractorTest, BareDigitsNeedTheirLabel) {
  EXPECT_TRUE(run({{0, 0, "reference 123456789 enclosed"}}).fields.empty());
  EXPECT_TRUE(run({{0, 0, "order 123456789012 shipped"}}).fields.empty());
  const PageExtraction e = run({{0, 0, "A-Number 098-170-274"}, {0, 30, "ALIEN NUMBER 12345678"}});
  std::vector<std::string> values;
  for (const Field& f : e.fields) values.push_back(f.value);
  std::sort(values.begin(), values.end());
  EXPECT_EQ(values, (std::vector<std::string>{"A012345678", "A098170274"}));
}

TEST(ExtractorTest, AnANumberWithItsAReadAsFourIsTakenUnderItsLabelOnly) {
  const PageExtraction e = run({{0, 0, "A-Number:"}, {150, 0, "4208726873"}});
  ASSERT_EQ(e.fields.size(), 1u);
  EXPECT_EQ(e.fields[0].value, "A208726873");
  const PageExtraction clean = run({{0, 0, "A-Number:"}, {150, 0, "A208726873"}});
  ASSERT_EQ(clean.fields.size(), 1u);
  EXPECT_LT(e.fields[0].confidence, clean.fields[0].confidence);
  EXPECT_TRUE(run({{0, 0, "call 4208726873 today"}}).fields.empty());
}

TEST(ExtractorTest, ABareNumberNearestALabelOfAnotherIdentifierIsNotTakenForItsOwnType) {
  // OCR read eight of the account number's twelve digits; an A-number label further off does not
  // make them an A-number.
  EXPECT_TRUE(run({{0, 0, "A-Number"}, {200, 0, "Online Account Number"}, {440, 0, "61226677"}}).fields.empty());
  // Under its own label the same digits are an A-number.
  const PageExtraction e = run({{0, 0, "A-Number:"}, {150, 0, "61226677"}, {0, 60, "USCIS Online Account Number"}});
  ASSERT_EQ(e.fields.size(), 1u);
  EXPECT_EQ(e.fields[0].value, "A061226677");
}

TEST(ExtractorTest, TwelveDigitsInTheBoxBesideTheReceiptNumberAreTheAccountNumberWhenItsLabelIsUnread) {
  // A faxed header whose account-number label came out as noise: the twelve digits alone in the
  // box right of the receipt number's are the account number (DOMAIN.md), trusted less than under
  // their label.
  std::vector<Text> texts = modernHeader();
  texts[1].text = "Ilsces Oiuhme Aeeeuvnt Nivnrbey";
  const PageExtraction e = run(texts);
  const Field* account = find(e, FieldType::OnlineAccountNumber);
  ASSERT_NE(account, nullptr);
  EXPECT_EQ(account->value, "123456789012");
  EXPECT_TRUE(hasEvidence(*account, "beside_receipt"));
  EXPECT_FALSE(hasEvidence(*account, "label"));
  const PageExtraction underLabel = run(modernHeader());
  const Field* labelled = find(underLabel, FieldType::OnlineAccountNumber);
  ASSERT_NE(labelled, nullptr);
  EXPECT_LT(account->confidence, labelled->confidence);

  // Without a receipt number read beside them the digits have nothing to say what they are.
  std::vector<Text> noReceipt = texts;
  noReceipt[3].text = "Ieaeeeu";
  EXPECT_EQ(find(run(noReceipt), FieldType::OnlineAccountNumber), nullptr);
  // Nor when they are not alone in their box, or needed a repair to be twelve digits.
  std::vector<Text> notAlone = texts;
  notAlone[4].text = "123456789012 Plus";
  EXPECT_EQ(find(run(notAlone), FieldType::OnlineAccountNumber), nullptr);
  std::vector<Text> repaired = texts;
  repaired[4].text = "1234567B9012";
  EXPECT_EQ(find(run(repaired), FieldType::OnlineAccountNumber), nullptr);
}

TEST(ExtractorTest, RepairsLowerConfidenceAndAreRecorded) {
  const PageExtraction clean = run({{0, 0, "Receipt Number IOE0912345678"}});
  const PageExtraction mangled = run({{0, 0, "Receipt Number I0E09l2345678"}});
  ASSERT_EQ(clean.fields.size(), 1u);
  ASSERT_EQ(mangled.fields.size(), 1u);
  EXPECT_EQ(mangled.fields[0].value, "IOE0912345678");
  EXPECT_EQ(mangled.fields[0].raw, "I0E09l2345678");
  EXPECT_EQ(mangled.fields[0].repairs.size(), 2u);
  EXPECT_LT(mangled.fields[0].confidence, clean.fields[0].confidence);
}

TEST(ExtractorTest, LowOcrConfidenceLowersFieldConfidence) {
  const PageExtraction sure = run({{0, 0, "Receipt Number IOE0912345678", 0.95}});
  const PageExtraction unsure = run({{0, 0, "Receipt Number IOE0912345678", 0.40}});
  EXPECT_LT(unsure.fields.at(0).confidence, sure.fields.at(0).confidence);
}

TEST(ExtractorTest, ReceiptInProseIsFound) {
  const PageExtraction e = run({{0, 0, "We received your Form I-130. Your receipt number is EAC-21-900-12345. Please"}});
  ASSERT_EQ(e.fields.size(), 1u);
  EXPECT_EQ(e.fields[0].value, "EAC2190012345");
}

TEST(ExtractorTest, PolygonCoversOnlyTheValue) {
  const PageExtraction e = run({{100, 50, "Receipt Number: IOE0912345678"}});
  ASSERT_EQ(e.fields.size(), 1u);
  const Quad& q = e.fields[0].polygon;
  // "Receipt Number: " is 16 characters at 10 px: the value starts at x = 260.
  EXPECT_NEAR(q[0].x, 260, 1);
  EXPECT_NEAR(q[1].x, 390, 1);
  EXPECT_NEAR(q[0].y, 50, 1);
  EXPECT_NEAR(q[2].y, 70, 1);
}

TEST(ExtractorTest, CombineMergesPagesAndResolvesApplicantOrPetitioner) {
  std::vector<PageExtraction> pages;
  pages.push_back(extractPage(layOut({{0, 0, "Case Type"}, {0, 30, "I130 - PETITION FOR ALIEN RELATIVE"},
                                      {0, 80, "Applicant/Petitioner A123 456 789"}}),
                              1, TextSource::Ocr));
  pages.push_back(extractPage(layOut({{0, 0, "USCIS A# A123456789"}}), 2, TextSource::Ocr));
  DocumentFacts facts;
  const std::vector<Field> fields = combinePages(pages, facts);
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].value, "A123456789");
  EXPECT_EQ(fields[0].role, "petitioner");
  EXPECT_NE(std::find(fields[0].evidence.begin(), fields[0].evidence.end(), "repeated"), fields[0].evidence.end());
  EXPECT_EQ(facts.formType, "I-130");
}

/// The combined fields of one page of `texts`.
std::vector<Field> combinedPage(const std::vector<testing_words::Text>& texts) {
  std::vector<PageExtraction> pages;
  pages.push_back(extractPage(layOut(texts), 1, TextSource::Ocr));
  DocumentFacts facts;
  return combinePages(pages, facts);
}

TEST(ExtractorTest, ANumberReadTwiceWithOneDigitSlipIsOneNumber) {
  // The header says A284 494 597 with a label; the body's reading slipped on one digit.
  const std::vector<Field> fields = combinedPage(
      {{0, 0, "Beneficiary A284 494 597"}, {0, 200, "the beneficiary A264494597 must also appear", 0.5}});
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].value, "A284494597");
}

TEST(ExtractorTest, AReceiptReadTwiceWithADigitGainedAndOneLostIsOneNumber) {
  // A shaken photo: the body's reading is right; the header's took a speck for a digit after the
  // year and lost the last 1, which shifts every digit between. The less trusted reading goes.
  const std::vector<Field> fields = combinedPage(
      {{0, 0, "Receipt Number"}, {0, 30, "NBC2259073915", 0.6}, {0, 200, "Receipt Number: NBC2590739151", 0.9}});
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].value, "NBC2590739151");
  EXPECT_TRUE(hasEvidence(fields[0], "outvoted_misread_twin"));
  // Consecutive receipts of one family's filings differ in their last digit (or last two, when
  // the count carries): two numbers, both kept.
  for (const auto& [first, second] : {std::pair{"NBC2590739177", "NBC2590739178"},
                                      std::pair{"NBC2590739179", "NBC2590739180"}}) {
    const std::vector<Field> two = combinedPage({{0, 0, "Receipt Number"},
                                                 {0, 30, first, 0.6},
                                                 {0, 200, std::string("Receipt Number: ") + second, 0.9}});
    EXPECT_EQ(two.size(), 2u) << first << " " << second;
  }
}

TEST(ExtractorTest, AReceiptReadAgainWithOneLetterOfItsPrefixMisreadIsOneNumber) {
  // A fax: the header's receipt number read right, the letter's copy with "E" read "H".
  const std::vector<Field> fields = combinedPage(
      {{0, 0, "Receipt Number"}, {0, 30, "IOE0917467764", 0.6}, {0, 200, "Receipt Number: IOH0917467764", 0.9}});
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].value, "IOE0917467764");
  EXPECT_FALSE(hasEvidence(fields[0], "outvoted_misread_twin"));
  // Alone, that prefix is reported as read: "H" for "E" is no common confusion to guess at.
  const std::vector<Field> alone = combinedPage({{0, 200, "Receipt Number: IOH0917467764"}});
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(alone[0].value, "IOH0917467764");
  EXPECT_TRUE(hasEvidence(alone[0], "unknown_prefix"));
  // Two known prefixes with the same digits are two numbers.
  EXPECT_EQ(combinedPage({{0, 0, "Receipt Number: EAC2190012345"}, {0, 200, "Receipt Number: WAC2190012345"}}).size(), 2u);
}

TEST(ExtractorTest, ALabelledReceiptWhosePrefixIsAKnownOneWithALetterMisreadIsThatOnesRepaired) {
  const std::vector<Field> misread = combinedPage({{0, 0, "Receipt Number: JOE0917467764"}});
  ASSERT_EQ(misread.size(), 1u);
  EXPECT_EQ(misread[0].value, "IOE0917467764");
  EXPECT_TRUE(hasEvidence(misread[0], "known_prefix"));
  EXPECT_EQ(misread[0].repairs, std::vector<std::string>{"J->I at 0"});
  const std::vector<Field> clean = combinedPage({{0, 0, "Receipt Number: IOE0917467764"}});
  ASSERT_EQ(clean.size(), 1u);
  EXPECT_LT(misread[0].confidence, clean[0].confidence);
  // Without its label the misread prefix is no receipt number at all (NVC and card numbers share
  // the shape), and a letter that is no common confusion of either office's (L for E or W) is
  // not guessed at.
  EXPECT_TRUE(combinedPage({{0, 0, "see JOE0917467764 enclosed"}}).empty());
  const std::vector<Field> unlisted = combinedPage({{0, 0, "Receipt Number: LAC1990846078"}});
  ASSERT_EQ(unlisted.size(), 1u);
  EXPECT_EQ(unlisted[0].value, "LAC1990846078");
}

TEST(ExtractorTest, ConsecutiveReceiptNumbersAreBothKept) {
  // A family's filings get consecutive numbers: they differ at the end, and both are real.
  EXPECT_EQ(combinedPage({{0, 0, "Receipt Number: EAC2190012345"}, {0, 200, "related case EAC2190012346", 0.7}}).size(), 2u);
}

Field readAt(FieldType type, const std::string& value, double x, double y, double confidence) {
  Field f;
  f.type = type;
  f.value = value;
  f.raw = value;
  f.confidence = confidence;
  f.polygon = {Point{x, y}, Point{x + 200, y}, Point{x + 200, y + 30}, Point{x, y + 30}};
  return f;
}

TEST(ExtractorTest, ASecondReadingFillsInWhatTheFirstMissedAndSettlesDisagreementsByConfidence) {
  PageExtraction first;
  first.fields = {readAt(FieldType::ReceiptNumber, "IOE0912345678", 0, 0, 0.95),
                  readAt(FieldType::ANumber, "A012345678", 600, 0, 0.60),   // misread, unsure
                  readAt(FieldType::ANumber, "A087654321", 600, 300, 0.97)};
  PageExtraction second;
  second.facts.noticeType = "I-797C";
  second.fields = {readAt(FieldType::ReceiptNumber, "IOE0912345678", 2, 1, 0.90),  // read alike
                   readAt(FieldType::ANumber, "A012345670", 601, 1, 0.90),         // same place, surer
                   readAt(FieldType::ANumber, "A087654320", 601, 301, 0.70),       // same place, less sure
                   readAt(FieldType::OnlineAccessCode, "AB12CD34EF56", 0, 900, 0.9),
                   readAt(FieldType::OnlineAccountNumber, "012345678901", 0, 600, 0.85)};  // missed
  first.fields.push_back(readAt(FieldType::OnlineAccessCode, "AB12CD34EF56", 0, 900, 0.9));
  mergeSecondReading(first, second);
  std::vector<std::string> values;
  for (const Field& f : first.fields) values.push_back(f.value);
  EXPECT_EQ(values, (std::vector<std::string>{"IOE0912345678", "A012345670", "A087654321", "AB12CD34EF56",
                                              "012345678901"}));
  EXPECT_DOUBLE_EQ(first.fields[0].confidence, 0.95);  // the first reading's, kept
  ASSERT_TRUE(first.facts.noticeType.has_value());
  EXPECT_EQ(*first.facts.noticeType, "I-797C");

  // A different value where the first reading found none of its type is a number of its own.
  PageExtraction alone;
  alone.fields = {readAt(FieldType::ANumber, "A012345678", 600, 0, 0.9)};
  PageExtraction other;
  other.fields = {readAt(FieldType::ReceiptNumber, "IOE0912345678", 600, 0, 0.9)};
  mergeSecondReading(alone, other);
  EXPECT_EQ(alone.fields.size(), 2u);
}

TEST(ExtractorTest, CalibrationIsALogisticMapOfTheEvidence) {
  Models models = defaultModels();
  models.calibration = {{"logit_score", "label", "repairs", "low_sharpness"}, {1.0, 2.0, -1.0, -0.5}, 0.25};
  Field field;
  field.confidence = 0.5;  // logit 0
  field.evidence = {"label", "known_prefix"};
  field.repairs = {"O->0 at 4"};
  std::vector<Field> fields = {field, field};
  calibrate(fields, {{}, {"low_sharpness", "skew_uncertain"}}, models);
  EXPECT_NEAR(fields[0].confidence, 1 / (1 + std::exp(-(0.25 + 2.0 - 1.0))), 1e-9);
  EXPECT_NEAR(fields[1].confidence, 1 / (1 + std::exp(-(0.25 + 2.0 - 1.0 - 0.5))), 1e-9);
}

TEST(ExtractorTest, ShippedCalibrationTrustsDisputedReadingsAndPoorlyReadPagesLess) {
  // (A blurred page's fields are trusted less before calibration: the scanner scales their score
  // by the page's sharpness, ScannerFakeEngineTest.ABlurredPagesFieldsAreTrustedLess.)
  Field field;
  field.confidence = 0.7;
  field.evidence = {"label", "known_prefix"};
  std::vector<Field> fields(4, field);
  fields[1].evidence.push_back("reread_disputed");
  // A value that won over a twin one digit apart may be the misread one of the two.
  fields[3].evidence.push_back("outvoted_misread_twin");
  calibrate(fields, {{}, {}, {"low_ocr_confidence"}, {}});
  EXPECT_GT(fields[0].confidence, fields[1].confidence);
  EXPECT_GT(fields[0].confidence, fields[2].confidence);
  EXPECT_GT(fields[0].confidence, fields[3].confidence);
}

namespace {

/// The receipt fields of a page with a Received Date box and `texts` below it.
std::vector<Field> receiptsReceivedOn(const std::string& receivedDate, const std::vector<testing_words::Text>& texts) {
  std::vector<testing_words::Text> all = {{600, 0, "Received Date"}, {600, 30, receivedDate}};
  all.insert(all.end(), texts.begin(), texts.end());
  std::vector<PageExtraction> pages;
  pages.push_back(extractPage(layOut(all), 1, TextSource::Ocr));
  DocumentFacts facts;
  std::vector<Field> fields = combinePages(pages, facts);
  std::erase_if(fields, [](const Field& f) { return f.type != FieldType::ReceiptNumber; });
  return fields;
}

}  // namespace

TEST(ExtractorTest, ReceiptFiscalYearIsCheckedAgainstTheReceivedDate) {
  // FY 2023 runs from October 1, 2022 to September 30, 2023.
  for (const std::string date : {"11/03/2022", "09/30/2023"}) {
    const std::vector<Field> f = receiptsReceivedOn(date, {{0, 0, "Receipt Number"}, {0, 30, "EAC2319050123"}});
    ASSERT_EQ(f.size(), 1u) << date;
    EXPECT_TRUE(hasEvidence(f[0], "fiscal_year_agrees")) << date;
  }
  const std::vector<Field> late = receiptsReceivedOn("10/02/2023", {{0, 0, "Receipt Number"}, {0, 30, "EAC2319050123"}});
  ASSERT_EQ(late.size(), 1u);
  EXPECT_TRUE(hasEvidence(late[0], "fiscal_year_disagrees"));  // ranked lower, never dropped
  // ... and trusted less than the same reading whose year agrees (before calibration, which has
  // no such reading to learn it from).
  const std::vector<Field> inTime = receiptsReceivedOn("09/30/2023", {{0, 0, "Receipt Number"}, {0, 30, "EAC2319050123"}});
  ASSERT_EQ(inTime.size(), 1u);
  EXPECT_LT(late[0].confidence, 0.7 * inTime[0].confidence);
  // IOE numbers carry no fiscal year.
  const std::vector<Field> ioe = receiptsReceivedOn("10/02/2023", {{0, 0, "Receipt Number"}, {0, 30, "IOE0912345678"}});
  ASSERT_EQ(ioe.size(), 1u);
  EXPECT_FALSE(hasEvidence(ioe[0], "fiscal_year_agrees"));
  EXPECT_FALSE(hasEvidence(ioe[0], "fiscal_year_disagrees"));
  EXPECT_FALSE(hasEvidence(ioe[0], "leading_digit_unusual"));
  // Nor does the asterisk form, whose digits do not follow the scheme.
  const std::vector<Field> star = receiptsReceivedOn("10/02/2023", {{0, 0, "Receipt Number"}, {0, 30, "NBC*000123456"}});
  ASSERT_EQ(star.size(), 1u);
  EXPECT_FALSE(hasEvidence(star[0], "fiscal_year_disagrees"));
  EXPECT_FALSE(hasEvidence(star[0], "workday_out_of_range"));
}

TEST(ExtractorTest, ReceiptWorkdayIsCheckedInBothDigitSchemes) {
  const auto workdayFlag = [](const std::string& receipt) {
    const std::vector<Field> f = receiptsReceivedOn("01/05/2023", {{0, 0, "Receipt Number"}, {0, 30, receipt}});
    EXPECT_EQ(f.size(), 1u) << receipt;
    return !f.empty() && hasEvidence(f[0], "workday_out_of_range");
  };
  EXPECT_FALSE(workdayFlag("EAC2319050123"));  // classic: workday 190
  EXPECT_FALSE(workdayFlag("LIN2391230123"));  // lockbox: 9, workday 123
  EXPECT_TRUE(workdayFlag("EAC2300050123"));   // workday 000
  EXPECT_TRUE(workdayFlag("EAC2349050123"));   // lockbox workday 905
  EXPECT_TRUE(workdayFlag("SRC2331250123"));   // classic workday 312
}

TEST(ExtractorTest, AnIoeNumberNotStartingWithZeroIsTrustedLessAndLosesToItsTwin) {
  // IOE numbers commonly start with 0; a blurred 0 reads as 6. Such a reading is kept, trusted less.
  const std::vector<Field> six = receiptsReceivedOn("01/05/2023", {{0, 0, "Receipt Number"}, {0, 30, "IOE6989876013"}});
  const std::vector<Field> zero = receiptsReceivedOn("01/05/2023", {{0, 0, "Receipt Number"}, {0, 30, "IOE0989876013"}});
  ASSERT_EQ(six.size(), 1u);
  ASSERT_EQ(zero.size(), 1u);
  EXPECT_EQ(six[0].value, "IOE6989876013");
  EXPECT_TRUE(hasEvidence(six[0], "leading_digit_unusual"));
  EXPECT_LT(six[0].confidence, zero[0].confidence);
  // Read twice, the usual one wins though the other was read with more confidence.
  const std::vector<Field> twins = receiptsReceivedOn(
      "01/05/2023", {{0, 0, "Receipt Number"}, {0, 30, "IOE0989876013", 0.8}, {0, 200, "case IOE6989876013 of", 0.97}});
  ASSERT_EQ(twins.size(), 1u);
  EXPECT_EQ(twins[0].value, "IOE0989876013");
}

TEST(ExtractorTest, OfMisreadTwinsTheOneWhoseFiscalYearFailsGoes) {
  // The same receipt read twice, the second time the year slipped 3 -> 2; the slip was read with
  // more confidence, but only the first agrees with the Received Date.
  const std::vector<Field> f = receiptsReceivedOn(
      "01/05/2023", {{0, 0, "Receipt Number"}, {0, 30, "EAC2319050123", 0.8}, {0, 200, "case EAC2219050123 of", 0.97}});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].value, "EAC2319050123");
}

TEST(ExtractorTest, AWordReadTallDoesNotPullTheNextRowOfAGridIntoItsLine) {
  // A faxed header: "Receipt" read with the specks above and below it, 50 px tall where the rest
  // of the page's words are 20. The values' row must still be a row of its own under the labels.
  std::vector<Word> words = layOut(modernHeader());
  for (Word& w : words) {
    if (w.text == "Receipt" && w.box.y == 0) w.box = {w.box.x, -5, w.box.width, 50};
  }
  // A speck between the rows, as faxes have, read as a word.
  words.push_back({".", {250, 24, 2, 3}, 0.3});
  const PageExtraction e = extractPage(words, 1, TextSource::Ocr);
  expectLabelled(e, FieldType::OnlineAccountNumber, "123456789012", "USCIS Online Account Number");
  const Field* receipt = find(e, FieldType::ReceiptNumber);
  ASSERT_NE(receipt, nullptr);
  EXPECT_EQ(receipt->value, "IOE0912345678");
}
