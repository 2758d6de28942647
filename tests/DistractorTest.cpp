// Every distractor DOMAIN.md lists, on one page, with its own label and without one: nothing is an
// identifier.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "WordLayout.h"
#include "noticescan/extract/Extractor.h"

using namespace noticescan;
using testing_words::Text;

namespace {

/// Each distractor as printed with its label, and the bare value.
struct Distractor {
  std::string labelled;
  std::string bare;
};

const std::vector<Distractor> kDistractors = {
    {"Customer Service Telephone: 800-375-5283", "800-375-5283"},
    {"Telephone: 1-800-375-5283", "1-800-375-5283"},
    {"TTY 1-800-767-1833", "1-800-767-1833"},
    {"Social Security Number 123-45-6789", "123-45-6789"},
    {"SSN: 078-05-1120", "078-05-1120"},
    {"I-94 Number 12345678901", "12345678901"},
    {"Admission Number: 987654321 01", "98765432101"},
    {"SPRINGFIELD IL 62704", "62704"},
    {"MADISON WI 53703-1234", "53703-1234"},
    {"P.O. Box 660867", "PO BOX 660867"},
    {"Form I-797C REV. 08/01/16", "08/01/16"},
    {"Amount received: $1,225.00", "$675.00 U.S."},
    {"Page 1 of 1", "1 of 1"},
    {"Notice Date 01/18/2024", "January 18, 2024"},
    {"NVC Case Number: BMB2010534003", "BMB2010534003"},
    {"NVC Case: GZO2020715049", "GZO2020715049"},
    {"Card Number: SRC1234567890", "card"},
    {"Online Access Code: 123456789012", "access"},
    {"Passport Number X12345678", "X12345678"},
    {"Passport No. 530123456", "passport"},
};

std::vector<Field> fieldsOf(const std::vector<Text>& lines) {
  std::vector<extract::PageExtraction> pages;
  pages.push_back(extract::extractPage(testing_words::layOut(lines), 1, TextSource::Ocr));
  DocumentFacts facts;
  return extract::combinePages(pages, facts);
}

std::string describe(const std::vector<Field>& fields) {
  std::string out;
  for (const Field& f : fields) out += std::string(toString(f.type)) + " from '" + f.raw + "'; ";
  return out;
}

}  // namespace

TEST(DistractorTest, EveryDistractorWithItsLabelYieldsNothing) {
  std::vector<Text> lines;
  double y = 0;
  for (const Distractor& d : kDistractors) {
    lines.push_back({0, y, d.labelled});
    y += 40;
  }
  auto fields = fieldsOf(lines);
  // The access code's own field is a secret the scanner drops unless asked (ScannerFakeEngineTest);
  // what matters here is that no identifier comes from any distractor.
  std::erase_if(fields, [](const Field& f) { return f.type == FieldType::OnlineAccessCode; });
  EXPECT_TRUE(fields.empty()) << describe(fields);
}

TEST(DistractorTest, BareDistractorValuesYieldNothing) {
  // Values whose shape alone rules them out; a card number or access code without its label is
  // not in this list: only the label tells them from a receipt or an account number.
  std::vector<Text> lines;
  double y = 0;
  for (const Distractor& d : kDistractors) {
    if (d.bare == "card" || d.bare == "access" || d.bare == "passport") continue;
    lines.push_back({0, y, d.bare});
    y += 40;
  }
  const auto fields = fieldsOf(lines);
  EXPECT_TRUE(fields.empty()) << describe(fields);
}

TEST(DistractorTest, DistractorsInProseNextToARealNumberLeaveOnlyTheNumber) {
  const auto fields = fieldsOf({{0, 0, "Receipt Number"},
                                {0, 30, "IOE0912345678"},
                                {0, 80, "If you have questions, call 800-375-5283 (TTY 1-800-767-1833). The fee of $675.00"},
                                {0, 110, "was received. NVC Case Number: BMB2010534003. Passport Number X12345678."}});
  ASSERT_EQ(fields.size(), 1u) << describe(fields);
  EXPECT_EQ(fields[0].value, "IOE0912345678");
}

TEST(DistractorTest, ATelephoneNumberReadShortIsNotAnANumberEvenNearItsLabel) {
  // A fax's "TTY 1-800-767-1833" read as "(MTY 800-767-188." has an A-number's 3-3-3 grouping,
  // and an A-Number box above it; the USCIS numbers' first six digits give it away, read clean or
  // with letters for digits.
  for (const char* tty : {"(MTY 800-767-188.", "TTY 1-800-767-183", "(MTY 8OO-767-188", "call 800-375-528"}) {
    const auto fields = fieldsOf({{0, 0, "A-Number"}, {0, 30, tty}});
    EXPECT_TRUE(fields.empty()) << tty << ": " << describe(fields);
  }
  // A real A-number under the same label is still read, grouped the same way.
  const auto real = fieldsOf({{0, 0, "A-Number"}, {0, 30, "080-767-188"}});
  ASSERT_EQ(real.size(), 1u) << describe(real);
  EXPECT_EQ(real[0].value, "A080767188");
}
