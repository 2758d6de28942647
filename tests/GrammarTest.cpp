#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "noticescan/extract/Grammar.h"

using namespace noticescan;
using namespace noticescan::extract;

namespace {

/// Normalised values of the candidates of one type found in `text`.
std::vector<std::string> values(std::string_view text, FieldType type) {
  std::vector<std::string> out;
  for (const Candidate& c : findCandidates(text)) {
    if (c.type == type) out.push_back(c.normalised.value);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST(GrammarTest, ReceiptPrintedForms) {
  EXPECT_EQ(values("IOE0912345678", FieldType::ReceiptNumber), V{"IOE0912345678"});
  EXPECT_EQ(values("EAC-15-123-45678", FieldType::ReceiptNumber), V{"EAC1512345678"});
  EXPECT_EQ(values("VSC 12 017 70920", FieldType::ReceiptNumber), V{"VSC1201770920"});
  EXPECT_EQ(values("Receipt: EAC*2190012345.", FieldType::ReceiptNumber), V{"EAC2190012345"});
  EXPECT_EQ(values("NBC*000123456", FieldType::ReceiptNumber), V{"NBC*000123456"});
}

TEST(GrammarTest, AHyphenWithASpaceBesideItStillPartsGroups) {
  // OCR often ends a word at a printed hyphen: "EAC-15-123-45678" comes back as "EAC-15- 123- 45678".
  EXPECT_EQ(values("SRC-25- 256- 57699", FieldType::ReceiptNumber), V{"SRC2525657699"});
  EXPECT_EQ(values("SRC -25 - 256 -57699", FieldType::ReceiptNumber), V{"SRC2525657699"});
  EXPECT_EQ(values("A# 214-719- 786", FieldType::ANumber), V{"A214719786"});
  EXPECT_EQ(values("4462- 8201- 5012", FieldType::OnlineAccountNumber), V{"446282015012"});
  // Still one separator between groups: two spaces, or a hyphen with spaces on both sides and more,
  // part two numbers.
  EXPECT_TRUE(values("SRC-25  256-57699", FieldType::ReceiptNumber).empty());
  EXPECT_TRUE(values("A# 214--719-786", FieldType::ANumber).empty());
  // A telephone number does not become an A-number by its spaces.
  EXPECT_TRUE(values("call 800- 375- 5283 today", FieldType::ANumber).empty());
}

TEST(GrammarTest, ReceiptKeepsLeadingZeros) {
  const auto v = values("IOE0000000001", FieldType::ReceiptNumber);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0], "IOE0000000001");
}

TEST(GrammarTest, ReceiptRepairsByPositionAndRecordsIt) {
  const auto candidates = findCandidates("I0E09l2345678");
  const auto it = std::find_if(candidates.begin(), candidates.end(),
                               [](const Candidate& c) { return c.type == FieldType::ReceiptNumber; });
  ASSERT_NE(it, candidates.end());
  EXPECT_EQ(it->normalised.value, "IOE0912345678");
  EXPECT_EQ(it->normalised.repairs, (std::vector<std::string>{"0->O at 1", "l->1 at 5"}));
}

TEST(GrammarTest, KnownPrefixMayNeedTwoLetterRepairs) {
  // "10E" is how OCR often reads IOE: two repairs, believable because IOE is a real prefix.
  const auto candidates = findCandidates("10E0921376770");
  ASSERT_EQ(values("10E0921376770", FieldType::ReceiptNumber), V{"IOE0921376770"});
  EXPECT_EQ(candidates.front().normalised.repairs, (std::vector<std::string>{"1->I at 0", "0->O at 1"}));
  // The same two repairs towards a prefix nobody uses stay a number, not a receipt.
  EXPECT_TRUE(values("10X0921376770", FieldType::ReceiptNumber).empty());
  // A dollar sign is OCR's S.
  EXPECT_EQ(values("$RC2091519835", FieldType::ReceiptNumber), V{"SRC2091519835"});
  EXPECT_TRUE(values("fee $1,225.00 paid 2091519835", FieldType::ReceiptNumber).empty());
  // And a prefix with no letter read at all is a digit run.
  EXPECT_TRUE(values("1050921376770", FieldType::ReceiptNumber).empty());
}

TEST(GrammarTest, ABracketOrParenthesisInAPrefixIsTheIItWasPrintedAs) {
  // Faxes and scans next to a table rule give IOE as "[OE" or "(OE": one upright stroke.
  for (const char* text : {"[OE0980658865.", "(OE0929823720", "Receipt: [OE0980658865"}) {
    ASSERT_EQ(values(text, FieldType::ReceiptNumber), V{text[0] == '(' ? "IOE0929823720" : "IOE0980658865"}) << text;
  }
  EXPECT_EQ(findCandidates("[OE0980658865").front().normalised.repairs, (std::vector<std::string>{"[->I at 0"}));
  // A receipt in brackets is still read whole.
  EXPECT_EQ(values("(IOE0912345678)", FieldType::ReceiptNumber), V{"IOE0912345678"});
  EXPECT_EQ(values("[IOE0912345678]", FieldType::ReceiptNumber), V{"IOE0912345678"});
  EXPECT_EQ(values("quote it (EAC2190012345) when", FieldType::ReceiptNumber), V{"EAC2190012345"});
  // A bracket is no letter of its own: prose in brackets stays prose.
  EXPECT_TRUE(values("(see 0980658865)", FieldType::ReceiptNumber).empty());
  EXPECT_TRUE(values("[(( 0980658865", FieldType::ReceiptNumber).empty());
}

TEST(GrammarTest, ReceiptDropsTableRuleGluedInFront) {
  for (const char* text : {"1IOE0912345678", "|IOE0912345678"}) {
    const auto candidates = findCandidates(text);
    ASSERT_EQ(values(text, FieldType::ReceiptNumber), V{"IOE0912345678"}) << text;
    EXPECT_TRUE(candidates.front().strippedRule) << text;
  }
  // A "|" is a rule for sure, so the misread prefix after it may still be repaired; a "1" might be
  // the prefix's own I, so there the repair is one guess too many.
  EXPECT_EQ(values("|10E0912345678", FieldType::ReceiptNumber), V{"IOE0912345678"});
  EXPECT_TRUE(values("110E0912345678", FieldType::ReceiptNumber).empty());
}

TEST(GrammarTest, AccountNumberDropsTableRuleGluedInFront) {
  const std::vector<Candidate> found = findCandidates("| 1438259016719");
  const auto it = std::find_if(found.begin(), found.end(), [](const Candidate& c) { return c.type == FieldType::OnlineAccountNumber; });
  ASSERT_NE(it, found.end());
  EXPECT_EQ(it->normalised.value, "438259016719");
  EXPECT_TRUE(it->strippedRule);
  EXPECT_EQ(it->raw, "1438259016719");
  // A twelve-digit number starting with 1 keeps its 1; a rule before repaired digits is one guess too many.
  EXPECT_EQ(values("123456789012", FieldType::OnlineAccountNumber), V{"123456789012"});
  EXPECT_TRUE(values("143825901671O", FieldType::OnlineAccountNumber).empty());
  EXPECT_TRUE(values("2438259016719", FieldType::OnlineAccountNumber).empty());
}

TEST(GrammarTest, ReceiptRejectsWrongLengthAndProse) {
  EXPECT_TRUE(values("IOE091234567", FieldType::ReceiptNumber).empty());    // 9 digits
  EXPECT_TRUE(values("IOE09123456789", FieldType::ReceiptNumber).empty());  // 11 digits
  EXPECT_TRUE(values("The BOOKS ISSUED SOON", FieldType::ReceiptNumber).empty());
  EXPECT_TRUE(values("1234567890123", FieldType::ReceiptNumber).empty());   // no letters in the prefix
  // Too many repairs: a word is not a number.
  EXPECT_TRUE(values("ABCOOSOOBZZIG", FieldType::ReceiptNumber).empty());
}

TEST(GrammarTest, AKnownPrefixWithOneCommonlyConfusedLetterIsTold) {
  const Models& m = defaultModels();
  // The prefix it is, if any.
  const auto printed = [](std::string_view read, const std::map<std::string, double>& known) -> std::optional<std::string> {
    const std::optional<Normalised> n = misreadKnownPrefix(read, known);
    return n ? std::optional<std::string>(n->value) : std::nullopt;
  };
  EXPECT_EQ(printed("JOE", m.prefixPriors), "IOE");
  EXPECT_EQ(misreadKnownPrefix("JOE", m.prefixPriors)->repairs, std::vector<std::string>{"J->I at 0"});
  EXPECT_EQ(printed("IOF", m.prefixPriors), "IOE");
  EXPECT_EQ(printed("SRO", m.prefixPriors), "SRC");
  EXPECT_EQ(printed("NBG", m.prefixPriors), "NBC");
  EXPECT_EQ(printed("IOE", m.prefixPriors), std::nullopt);  // already known
  EXPECT_EQ(printed("IOH", m.prefixPriors), std::nullopt);  // H for E: no common confusion
  EXPECT_EQ(printed("BMB", m.prefixPriors), std::nullopt);  // an NVC consulate
  EXPECT_EQ(printed("JOF", m.prefixPriors), std::nullopt);  // two letters off
  // "OSC" is CSC with C read O, "MSC" with M read O is no confusion: one candidate. Where two
  // offices are each one confusion away there is no guess.
  EXPECT_EQ(printed("OSC", m.prefixPriors), "CSC");
  const std::map<std::string, double> two = {{"IOC", 0.9}, {"JOO", 0.9}};
  EXPECT_EQ(printed("JOC", two), std::nullopt);  // IOC with I read J, or JOO with O read C
  EXPECT_EQ(printed("LOC", two), "IOC");
}

TEST(GrammarTest, ANumberPrintedForms) {
  EXPECT_EQ(values("A# 123-456-789", FieldType::ANumber), V{"A123456789"});
  EXPECT_EQ(values("Applicant A123 456 789", FieldType::ANumber), V{"A123456789"});
  EXPECT_EQ(values("A012345678", FieldType::ANumber), V{"A012345678"});
  EXPECT_EQ(values("A12345678", FieldType::ANumber), V{"A012345678"});  // 8 digits: pad
  EXPECT_EQ(values("A1234567", FieldType::ANumber), V{"A001234567"});   // 7 digits: pad
  EXPECT_EQ(values("A-123456789", FieldType::ANumber), V{"A123456789"});
}

TEST(GrammarTest, ANumbersLeadingZeroBlurredToARoundDigitIsRepaired) {
  // Nine-digit A-numbers start with 1 or 2; a 6, 8 or 9 there is a blurred 0, and a repair.
  for (const char* text : {"A# 612-345-678", "A812345678", "Applicant A912 345 678"}) {
    EXPECT_EQ(values(text, FieldType::ANumber), V{"A012345678"}) << text;
    for (const Candidate& c : findCandidates(text)) {
      ASSERT_EQ(c.normalised.repairs.size(), 1u) << text;
      EXPECT_EQ(c.normalised.repairs[0].substr(1), "->0 at 1") << text;
    }
  }
  // A letter read for the round digit is still one misread character, and one repair.
  for (const Candidate& c : findCandidates("A# G12-345-678")) {
    EXPECT_EQ(c.normalised.value, "A012345678");
    EXPECT_EQ(c.normalised.repairs, std::vector<std::string>{"G->0 at 1"});
  }
  // Digits a 0 is not read as stay, as do 1 and 2, and an eight-digit number's leading 9.
  EXPECT_EQ(values("A312345678", FieldType::ANumber), V{"A312345678"});
  EXPECT_EQ(values("A212345678", FieldType::ANumber), V{"A212345678"});
  EXPECT_EQ(values("A91234567", FieldType::ANumber), V{"A091234567"});
  for (const Candidate& c : findCandidates("A91234567")) EXPECT_TRUE(c.normalised.repairs.empty());
}

TEST(GrammarTest, ANumberDoesNotSwallowAFollowingYear) {
  EXPECT_EQ(values("A# 123-456-789 2026", FieldType::ANumber), V{"A123456789"});
}

TEST(GrammarTest, ANumberRejectsTenDigitsAndWordInternalA) {
  const auto v = values("A0123456789", FieldType::ANumber);
  EXPECT_TRUE(std::find(v.begin(), v.end(), "A012345678") == v.end());
  EXPECT_TRUE(values("CA123456789", FieldType::ANumber).empty());
}

TEST(GrammarTest, BareDigitsAreOfferedOnlyAsLabelDependentShapes) {
  for (const Candidate& c : findCandidates("USCIS# 000-000-811")) {
    if (c.type == FieldType::ANumber) {
      EXPECT_EQ(c.shape, CandidateShape::BareDigits9);
    }
  }
  for (const Candidate& c : findCandidates("1234 5678 9012")) {
    if (c.type == FieldType::OnlineAccountNumber) {
      EXPECT_EQ(c.shape, CandidateShape::BareDigits12);
    }
  }
  EXPECT_EQ(values("1234 5678 9012", FieldType::OnlineAccountNumber), V{"123456789012"});
}

TEST(GrammarTest, BareDigitsNextToMoreDigitsAreAFragment) {
  EXPECT_TRUE(values("287 284654049", FieldType::ANumber).empty());
  EXPECT_TRUE(values("284654049 2871", FieldType::ANumber).empty());
  EXPECT_TRUE(values("12 1234 5678 9012", FieldType::OnlineAccountNumber).empty());
  // An A-prefixed number is anchored by its "A" and may be followed by a year.
  EXPECT_EQ(values("A284654049 2026", FieldType::ANumber), V{"A284654049"});
}

TEST(GrammarTest, AQuestionMarkAmongDigitsIsATwoThatLostItsBase) {
  // A 98-line fax drops a 2's base stroke and OCR reads the rest as "?": a repair, recorded.
  const auto repairsOf = [](std::string_view text) {
    const std::vector<Candidate> found = findCandidates(text);
    return found.size() == 1 ? found[0].normalised.repairs : std::vector<std::string>{"(not one candidate)"};
  };
  EXPECT_EQ(values("L1N26?3655190", FieldType::ReceiptNumber), V{"LIN2623655190"});
  EXPECT_EQ(repairsOf("L1N26?3655190"), (std::vector<std::string>{"1->I at 1", "?->2 at 5"}));
  // Its seven last digits are no A-number of their own.
  EXPECT_TRUE(values("L1N26?3655190", FieldType::ANumber).empty());
  // In a receipt number, after its prefix letters, it may start or end the digits.
  EXPECT_EQ(values("EAC ?3-202-52969", FieldType::ReceiptNumber), V{"EAC2320252969"});
  EXPECT_EQ(values("SRC?59049165?", FieldType::ReceiptNumber), V{"SRC2590491652"});
  // In an A-number or account number too, but not before their digits (an "A#" misread).
  EXPECT_EQ(values("A# 123-?56-789", FieldType::ANumber), V{"A123256789"});
  EXPECT_EQ(values("02329144200?", FieldType::OnlineAccountNumber), V{"023291442002"});
  EXPECT_TRUE(values("A?12345678", FieldType::ANumber).empty());
  // After a number of its full length a "?" is punctuation.
  EXPECT_EQ(values("Is it 123456789? Yes", FieldType::ANumber), V{"A123456789"});
  EXPECT_EQ(values("A123456789?", FieldType::ANumber), V{"A123456789"});
  EXPECT_EQ(values("IOE0912345678?", FieldType::ReceiptNumber), V{"IOE0912345678"});
  // Nor are the digits on either side of a "?" inside a longer run a number of their own.
  EXPECT_TRUE(values("123456789?1234", FieldType::ANumber).empty());
  EXPECT_TRUE(values("4?123456789", FieldType::ANumber).empty());
}

TEST(GrammarTest, EveryCharacterThePatternsTakeForADigitHasADigitReading) {
  // The patterns' class (NOTICESCAN_DIGIT_LIKE) and the repairs must agree: a character the
  // patterns accept but no repair reads as a digit would make a match that is silently dropped.
  const std::string digitLike = NOTICESCAN_DIGIT_LIKE;
  ASSERT_EQ(digitLike.substr(0, 4), "[0-9");
  for (const char c : digitLike.substr(4, digitLike.size() - 5)) {
    const std::string text = std::string("0232914") + c + "4200";
    const std::vector<std::string> found = values(text, FieldType::OnlineAccountNumber);
    ASSERT_EQ(found.size(), 1u) << text;
    EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(found[0][7]))) << text;
  }
}

TEST(GrammarTest, AnANumberWhoseGroupsRunOnPastNineDigitsIsNotCutShort) {
  // A faxed "A# 023-467-845" read as "All 023-467-845": the first groups are no A-number of their own.
  // Only the last nine digits remain, as a bare number that needs its label.
  EXPECT_EQ(values("BENEFICIARY All 023-467-845", FieldType::ANumber), V{"A023467845"});
  for (const Candidate& c : findCandidates("BENEFICIARY All 023-467-845")) {
    EXPECT_NE(c.shape, CandidateShape::APrefixed) << c.raw;
  }
  EXPECT_TRUE(values("A123-456-789-012", FieldType::ANumber).empty());
  EXPECT_TRUE(values("A123 456 789/12", FieldType::ANumber).empty());
  // A sentence's full stop after the number is no more digits.
  EXPECT_EQ(values("Your A-number is A123-456-789.", FieldType::ANumber), V{"A123456789"});
}

TEST(GrammarTest, AnANumberReadInTwoPiecesIsJoinedWhenThePiecesMakeNineDigits) {
  const std::vector<Candidate> found = findCandidates("Petitioner A0456774 32");
  const auto it = std::find_if(found.begin(), found.end(), [](const Candidate& c) { return c.type == FieldType::ANumber; });
  ASSERT_NE(it, found.end());
  EXPECT_EQ(it->normalised.value, "A045677432");
  EXPECT_EQ(it->raw, "A0456774 32");
  ASSERT_EQ(it->normalised.repairs.size(), 1u);  // the join is a guess and is recorded as one
  // Digits that would make more than nine, or a whole A-number followed by a number, stay apart.
  EXPECT_EQ(values("A0456774 321", FieldType::ANumber), V{"A000456774"});
  EXPECT_EQ(values("A045677432 12", FieldType::ANumber), V{"A045677432"});
}

TEST(GrammarTest, AnANumberWhoseAWasReadAsFourIsOfferedAsNeedingItsLabel) {
  const std::vector<Candidate> found = findCandidates("USCIS A# 4208726873");
  const auto it = std::find_if(found.begin(), found.end(), [](const Candidate& c) { return c.type == FieldType::ANumber; });
  ASSERT_NE(it, found.end());
  EXPECT_EQ(it->normalised.value, "A208726873");
  EXPECT_EQ(it->shape, CandidateShape::BareDigits9);  // no "A" was read: its label must vouch for it
  ASSERT_FALSE(it->normalised.repairs.empty());
  EXPECT_EQ(it->normalised.repairs.front(), "4->A at 0");
  EXPECT_EQ(values("Applicant 4123 456 789", FieldType::ANumber), V{"A123456789"});
  // Eight digits after a 4 are as likely a bare nine-digit number; ten digits after it are none.
  EXPECT_EQ(values("412345678", FieldType::ANumber), V{"A412345678"});
  EXPECT_TRUE(values("42087268731", FieldType::ANumber).empty());
  EXPECT_TRUE(values("4208726873-12", FieldType::ANumber).empty());
}

TEST(GrammarTest, PhoneZipAndSsnAreNotANumberShapes) {
  EXPECT_TRUE(values("call 800-375-5283 today", FieldType::ANumber).empty());
  EXPECT_TRUE(values("call 1-800-375-5283", FieldType::ANumber).empty());
  EXPECT_TRUE(values("DALLAS TX 75266-0867", FieldType::ANumber).empty());
  EXPECT_TRUE(values("SSN 123-45-6789", FieldType::ANumber).empty());
}

TEST(GrammarTest, FormTypes) {
  const auto& forms = defaultModels().forms;
  EXPECT_EQ(normaliseFormType("I130 - PETITION FOR ALIEN RELATIVE", forms), "I-130");
  EXPECT_EQ(normaliseFormType("I-765", forms), "I-765");
  EXPECT_EQ(normaliseFormType("I129F", forms), "I-129F");
  EXPECT_EQ(normaliseFormType("N400 APPLICATION FOR NATURALIZATION", forms), "N-400");
  EXPECT_EQ(normaliseFormType("1765 - APPLICATION", forms), "I-765");
  EXPECT_EQ(normaliseFormType("I1S0", forms), std::nullopt);  // repaired to I-150: not a known form
  EXPECT_EQ(normaliseFormType("no form here", forms), std::nullopt);
}

TEST(GrammarTest, Dates) {
  EXPECT_EQ(findDate("01/18/2024"), "2024-01-18");
  EXPECT_EQ(findDate("Notice Date 1/5/2024"), "2024-01-05");
  EXPECT_EQ(findDate("January 5, 2024"), "2024-01-05");
  EXPECT_EQ(findDate("on Sept. 30, 2023 we"), "2023-09-30");
  EXPECT_EQ(findDate("13/45/2024"), std::nullopt);
  EXPECT_EQ(findDate("REV. 08/01/16"), std::nullopt);  // two-digit year: a form edition
}

TEST(GrammarTest, DigitsOfKeepsTheDigitsInOrder) {
  EXPECT_EQ(extract::digitsOf("1-800-375-5283"), "18003755283");
  EXPECT_EQ(extract::digitsOf("A# O46 853"), "46853");
  EXPECT_EQ(extract::digitsOf(""), "");
}
