// The second look at uncertain identifiers: which spans are chosen, and how the readings vote.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>

#include <opencv2/imgproc.hpp>

#include "WordLayout.h"
#include "noticescan/extract/Extractor.h"
#include "noticescan/reread/Reread.h"

using namespace noticescan;
using testing_words::layOut;

namespace {

/// Answers line reads from a script, one reading per call, and remembers what it was shown.
/// Readings come back with `confidence`, in a box at the image's corner or, with `boxesAtInk`,
/// around the print in the image shown, as Tesseract's would be.
class ScriptedEngine final : public ocr::OcrEngine {
 public:
  explicit ScriptedEngine(std::deque<std::string> readings, double confidence = 0.9)
      : readings_(std::move(readings)), confidence_(confidence) {}
  std::vector<Word> recognize(const cv::Mat&) override { return {}; }
  std::vector<Word> recognizeLine(const cv::Mat& gray, const std::string& allowed) override {
    shown.push_back(gray.size());
    allowedChars = allowed;
    if (readings_.empty()) return {};
    std::string text = readings_.front();
    readings_.pop_front();
    Rect box{0, 0, 100, 20};
    if (boxesAtInk) {
      cv::Mat ink;
      cv::threshold(gray, ink, 128, 255, cv::THRESH_BINARY_INV);
      const cv::Rect r = cv::boundingRect(ink);
      box = {static_cast<double>(r.x), static_cast<double>(r.y), static_cast<double>(r.width),
             static_cast<double>(r.height)};
    }
    return {Word{text, box, confidence_}};
  }
  std::string name() const override { return "scripted"; }
  std::vector<cv::Size> shown;
  std::string allowedChars;
  bool boxesAtInk = false;

 private:
  std::deque<std::string> readings_;
  double confidence_;
};

const cv::Mat kPage(1200, 1000, CV_8UC1, cv::Scalar(255));

/// kPage with something printed where a receipt box's value goes (under a label at y 100).
cv::Mat pageWithValue() {
  cv::Mat page = kPage.clone();
  cv::putText(page, "IOE0912345678", cv::Point(102, 158), cv::FONT_HERSHEY_SIMPLEX, 0.7, cv::Scalar(0), 2);
  return page;
}

std::vector<Word> receiptBox(const std::string& value, double confidence) {
  return layOut({{100, 100, "Receipt Number"}, {100, 130, value, confidence}, {600, 100, "Case Type"},
                 {600, 130, "I485 - APPLICATION TO REGISTER"}});
}

const Field* find(const std::vector<Field>& fields, FieldType type) {
  const auto it = std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return f.type == type; });
  return it == fields.end() ? nullptr : &*it;
}

/// The receipt number found after `first` is re-read with `effort`, the engine answering from
/// `script` at `confidence` ("" when none is found); `reads` gets how many crops it was shown.
std::string receiptAfterReread(const std::vector<Word>& first, const std::deque<std::string>& script,
                               reread::Effort effort, double confidence, std::size_t& reads) {
  ScriptedEngine engine(script, confidence);
  const auto words = reread::rereadUncertain(first, kPage, engine, extract::defaultModels(), nullptr, effort);
  reads = engine.shown.size();
  const auto page = extract::extractPage(words, 1, TextSource::Ocr);
  const Field* receipt = find(page.fields, FieldType::ReceiptNumber);
  return receipt ? receipt->value : std::string();
}

}  // namespace

TEST(RereadTest, AConfidentCleanValueIsLeftAlone) {
  EXPECT_TRUE(reread::findUncertainSpans(receiptBox("IOE0912345678", 0.96)).empty());
}

TEST(RereadTest, ARepairedValueUnderItsLabelIsReadAgain) {
  const std::vector<Word> words = receiptBox("EAC2I90012345", 0.96);
  const auto spans = reread::findUncertainSpans(words);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_TRUE(spans[0].labelled);
  ASSERT_EQ(spans[0].words.size(), 1u);
  EXPECT_EQ(words[static_cast<std::size_t>(spans[0].words[0])].text, "EAC2I90012345");
}

TEST(RereadTest, AnUnparseableValueUnderAnIdentifierLabelIsReadAgain) {
  // "AG9OS16402" needs three repairs: no grammar takes it, but it sits where an A-number goes.
  const std::vector<Word> words = layOut({{100, 100, "Applicant"}, {100, 130, "AG9OS16402", 0.3}});
  ASSERT_EQ(reread::findUncertainSpans(words).size(), 1u);
}

TEST(RereadTest, TelephoneNumbersAndProseAreNotReadAgain) {
  const std::vector<Word> words =
      layOut({{100, 100, "Customer Service Telephone: 800-375-5283"},
              {100, 160, "Please bring this notice and photo identification with you.", 0.5}});
  EXPECT_TRUE(reread::findUncertainSpans(words).empty());
}

TEST(RereadTest, AgreeingReadingsReplaceAMisreadValue) {
  ScriptedEngine engine({"LIN-20-912-43380", "LIN-20-912-43380", "LIN-20-912-43380"});
  reread::Stats stats;
  const std::vector<Word> words =
      reread::rereadUncertain(receiptBox("LIN-28-912-43388", 0.3), kPage, engine, extract::defaultModels(), &stats);
  EXPECT_EQ(stats.spans, 1);
  EXPECT_EQ(stats.changed, 1);
  // Only the value's own crop is shown to the engine, with the identifier alphabet.
  ASSERT_FALSE(engine.shown.empty());
  for (const cv::Size& size : engine.shown) EXPECT_LT(size.height, 200);
  EXPECT_EQ(engine.allowedChars.find('a'), std::string::npos);

  const auto page = extract::extractPage(words, 1, TextSource::Ocr);
  const Field* receipt = find(page.fields, FieldType::ReceiptNumber);
  ASSERT_NE(receipt, nullptr);
  EXPECT_EQ(receipt->value, "LIN2091243380");
  EXPECT_NE(std::find(receipt->evidence.begin(), receipt->evidence.end(), "reread"), receipt->evidence.end());
  EXPECT_EQ(receipt->label, "Receipt Number");
}

TEST(RereadTest, ReadingsOfTheTypeTheLabelAnnouncesOutvoteOthers) {
  // A fax's IOE0911638009 under its Receipt Number label: read "10E0911638009" (two letters taken
  // for digits, repairable) and twice "100911638009" (the E lost), which parses as a 12-digit
  // account number. Only the receipt reading is what the label announces.
  ScriptedEngine engine({"100911638009", "100911638009", "10E0911638009"});
  const std::vector<Word> first = receiptBox("10E0911638009", 0.7);
  const auto spans = reread::findUncertainSpans(first);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].labelKind, "receipt_number");
  const auto page = extract::extractPage(reread::rereadUncertain(first, kPage, engine), 1, TextSource::Ocr);
  ASSERT_EQ(page.fields.size(), 1u);
  EXPECT_EQ(page.fields[0].type, FieldType::ReceiptNumber);
  EXPECT_EQ(page.fields[0].value, "IOE0911638009");
}

TEST(RereadTest, TheReadingThatKeptTheANumbersOwnAIsTheOnePutBack) {
  // A fax's "Applicant A# 065-059-387" read as "AN 065-059-387": no A-number shape, and a role
  // label alone does not make bare digits an A-number. The re-readings find the "A" again.
  ScriptedEngine engine({"A 065-059-387", "A 065-059-387", "AW 065-089-387"});
  const std::vector<Word> first = layOut({{100, 100, "Applicant"}, {100, 130, "AN 065-059-387", 0.5}});
  EXPECT_TRUE(extract::extractPage(first, 1, TextSource::Ocr).fields.empty());
  const auto page = extract::extractPage(reread::rereadUncertain(first, kPage, engine), 1, TextSource::Ocr);
  ASSERT_EQ(page.fields.size(), 1u);
  EXPECT_EQ(page.fields[0].value, "A065059387");
  EXPECT_EQ(page.fields[0].role, "applicant");
}

TEST(RereadTest, WhenMostReadingsSawTheAThePrefixedReadingIsPutBackDespiteItsRepair) {
  // "Petitioner A041164952" on a shaken photo: the page read "AQ@41164952" (eight bare digits
  // after a speck), the re-readings "AQ41164952" (the 0 read as Q). Both mean A041164952, but
  // only the reading with its "A" counts beside a party's label: the bare digits with no repair
  // must not be what goes back.
  ScriptedEngine engine({"AQ41164952", "AQ41164952", "AQ41164952", "AQ41164952"});
  const std::vector<Word> first = layOut({{100, 100, "Petitioner"}, {230, 100, "AQ@41164952", 0.5}});
  EXPECT_TRUE(extract::extractPage(first, 1, TextSource::Ocr).fields.empty());
  const auto page = extract::extractPage(reread::rereadUncertain(first, kPage, engine), 1, TextSource::Ocr);
  ASSERT_EQ(page.fields.size(), 1u);
  EXPECT_EQ(page.fields[0].value, "A041164952");
  EXPECT_EQ(page.fields[0].role, "petitioner");
  // Bare digits that most readings saw as bare stay bare: one reading's "A" is no majority.
  ScriptedEngine mostlyBare({"41164952", "41164952", "AQ41164952"});
  const std::vector<Word> bareFirst = layOut({{100, 100, "Petitioner"}, {230, 100, "4l164952", 0.5}});
  EXPECT_TRUE(extract::extractPage(reread::rereadUncertain(bareFirst, kPage, mostlyBare), 1, TextSource::Ocr).fields.empty());
}

TEST(RereadTest, DisagreeingReadingsKeepTheFirstReadingWithLessTrust) {
  const std::vector<Word> first = receiptBox("LIN-28-912-43388", 0.5);
  const auto before = extract::extractPage(first, 1, TextSource::Ocr);
  ScriptedEngine engine({"LIN-26-912-43386", "LIN-20-912-43385", "LIN-29-912-43380"});
  reread::Stats stats;
  const auto after = extract::extractPage(reread::rereadUncertain(first, kPage, engine, extract::defaultModels(), &stats),
                                          1, TextSource::Ocr);
  EXPECT_EQ(stats.disputed, 1);
  const Field* a = find(before.fields, FieldType::ReceiptNumber);
  const Field* b = find(after.fields, FieldType::ReceiptNumber);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->value, "LIN2891243388");
  EXPECT_LT(b->confidence, a->confidence);
}

TEST(RereadTest, ABlurredPageIsReadInMoreRenderingsAndTheirMajorityWins) {
  // A blurred photo's dotted zero: the page read and two re-readings say 6, the later, moved and
  // rescaled views mostly 0. A normal page stops as soon as two fresh readings agree with the first
  // one; a blurred page reads on until four do, and here the majority of its views overturns it.
  const std::deque<std::string> script = {"IOE6995217322", "IOE6995217322", "IOE0995217322", "IOE0995217322",
                                          "IOE0995217322", "IOE6995217322", "IOE0995217322", "IOE0995217322",
                                          "IOE0995217322", "IOE0995217322", "IOE0995217322", "IOE0995217322"};
  const std::vector<Word> first = receiptBox("IOE6995217322", 0.5);
  std::size_t normalReads = 0, blurredReads = 0;
  EXPECT_EQ(receiptAfterReread(first, script, reread::Effort::Normal, 0.9, normalReads), "IOE6995217322");
  EXPECT_EQ(normalReads, 2u);
  EXPECT_EQ(receiptAfterReread(first, script, reread::Effort::Blurred, 0.9, blurredReads), "IOE0995217322");
  EXPECT_EQ(blurredReads, script.size());
}

TEST(RereadTest, AHeaderLabelWithNoValueUnderItIsAnEmptySlotReadFromThePage) {
  // OCR skipped the receipt box's value (blur, or the box's rules glued to it): the label is there,
  // nothing under it. The account box beside it gives the values' height (20 px).
  const std::vector<Word> words = layOut({{100, 100, "Receipt Number"},
                                          {500, 100, "USCIS Online Account Number"},
                                          {500, 130, "123456789012"},
                                          {100, 200, "Received Date"},
                                          {100, 230, "01/15/2024"}});
  const auto spans = reread::findUncertainSpans(words);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_TRUE(spans[0].words.empty());
  EXPECT_TRUE(spans[0].labelled);
  EXPECT_NEAR(spans[0].textHeight, 20, 1e-9);
  // Under the label, above the next row's label.
  EXPECT_GT(spans[0].box.y, 120);
  EXPECT_LE(spans[0].box.bottom(), 200);
  EXPECT_LT(spans[0].box.x, 100);
  EXPECT_GT(spans[0].box.right(), 100 + 13 * 10);  // room for 13 characters of the values' size

  ScriptedEngine engine({"IOE0912345678", "IOE0912345678", "IOE0912345678"});
  const std::vector<Field> fields = extract::extractPage(reread::rereadUncertain(words, pageWithValue(), engine), 1,
                                                         TextSource::Ocr).fields;
  const Field* receipt = find(fields, FieldType::ReceiptNumber);
  ASSERT_NE(receipt, nullptr);
  EXPECT_EQ(receipt->value, "IOE0912345678");
  EXPECT_EQ(receipt->label, "Receipt Number");
  EXPECT_NE(std::find(receipt->evidence.begin(), receipt->evidence.end(), "reread"), receipt->evidence.end());
}

TEST(RereadTest, AnEmptySlotNeedsTwoAgreeingReadingsAndLabelsInProseHaveNone) {
  const std::vector<Word> empty = layOut({{100, 100, "Receipt Number"}, {100, 200, "Received Date"}});
  ScriptedEngine engine({"IOE0912345678", "lOE09I2", ""});
  const std::vector<Word> after = reread::rereadUncertain(empty, pageWithValue(), engine);
  EXPECT_EQ(engine.shown.size(), 3u);
  EXPECT_EQ(after.size(), empty.size());
  EXPECT_TRUE(extract::extractPage(after, 1, TextSource::Ocr).fields.empty());

  // A label inside a sentence is not a header box: nothing is printed under it for it.
  EXPECT_TRUE(reread::findUncertainSpans(layOut({{100, 100, "Please quote your receipt number when you call."},
                                                 {100, 130, "We will answer within 30 days."}}))
                  .empty());
}

TEST(RereadTest, AnEmptySlotThatIsBlankOnThePageIsNotReadAndCountsAsSettled) {
  // A box the form left empty (an appointment notice's USCIS A#), drawn with its rules.
  cv::Mat page = kPage.clone();
  cv::rectangle(page, cv::Rect(80, 90, 420, 100), cv::Scalar(0), 2);
  cv::putText(page, "Receipt Number", cv::Point(100, 115), cv::FONT_HERSHEY_SIMPLEX, 0.5, cv::Scalar(0), 1);
  const std::vector<Word> words = layOut({{100, 100, "Receipt Number"}, {100, 200, "Received Date"}});
  const auto spans = reread::findUncertainSpans(words);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_TRUE(reread::isBlankSlot(page, spans[0]));
  EXPECT_FALSE(reread::isBlankSlot(pageWithValue(), spans[0]));
  ScriptedEngine engine({"IOE0912345678", "IOE0912345678", "IOE0912345678"});
  reread::Stats stats;
  reread::rereadUncertain(words, page, engine, extract::defaultModels(), &stats);
  EXPECT_TRUE(engine.shown.empty());
  EXPECT_EQ(stats.spans, 0);
  // A span of words is never a blank slot.
  EXPECT_FALSE(reread::isBlankSlot(page, reread::findUncertainSpans(receiptBox("EAC2I90012345", 0.96))[0]));
}

TEST(RereadTest, ASpanAlreadyReadASecondTimeIsNotReadAgain) {
  // An earlier band's re-read (read/HeaderFirst.h) marked the value: it has had its second look.
  std::vector<Word> words = receiptBox("EAC2I90012345", 0.96);
  ASSERT_EQ(reread::findUncertainSpans(words).size(), 1u);
  for (Word& w : words) {
    if (w.text == "EAC2I90012345") w.reread = true;
  }
  EXPECT_TRUE(reread::findUncertainSpans(words).empty());
}

TEST(RereadTest, AValueAfterAWordIsFoundWhateverLettersThatWordEndsIn) {
  // "Beneficiary 496623829": a match of the span pattern can begin inside "Beneficiary" ("iary"
  // as a prefix); it is not a value, and it must not hide the value after it.
  std::vector<Word> words = layOut({{100, 100, "Beneficiary 496623829", 0.0}});
  auto spans = reread::findUncertainSpans(words);
  ASSERT_EQ(spans.size(), 1u);
  ASSERT_EQ(spans[0].words.size(), 1u);
  EXPECT_EQ(words[static_cast<std::size_t>(spans[0].words[0])].text, "496623829");
  EXPECT_EQ(spans[0].labelKind, "role");

  // The same in prose: "is IO" is no prefix of the receipt number that follows.
  words = layOut({{100, 100, "Your receipt number is IOE0997924779. Please use", 0.35}});
  spans = reread::findUncertainSpans(words);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(words[static_cast<std::size_t>(spans[0].words[0])].text, "IOE0997924779.");
  EXPECT_EQ(spans[0].after, ".");
}

TEST(RereadTest, AValueBeforeAWordThatStartsLikeDigitsIsFound) {
  // "A# 017-009-201 Social Security": the "So" of "Social" reads as digits (5, 0), so the longest
  // match of the span pattern ends inside that word. The value before it is still a span.
  const auto spanTexts = [](const std::string& text) {
    const std::vector<Word> words = layOut({{100, 100, text, 0.6}});
    std::vector<std::string> out;
    for (const reread::Span& span : reread::findUncertainSpans(words)) {
      std::string joined;
      for (const int i : span.words) joined += (joined.empty() ? "" : " ") + words[static_cast<std::size_t>(i)].text;
      out.push_back(joined);
    }
    return out;
  };
  EXPECT_EQ(spanTexts("under A# 017-009-201 Social Security Numbers"),
            (std::vector<std::string>{"A# 017-009-201"}));
  EXPECT_EQ(spanTexts("Beneficiary A253 244 487 ZIP code"), (std::vector<std::string>{"A253 244 487"}));
  // The value keeps every group of its own: it is cut back only to the word end before "Gone".
  EXPECT_EQ(spanTexts("Receipt IOE 0912 345678 Gone"), (std::vector<std::string>{"IOE 0912 345678"}));
}

TEST(RereadTest, StrayMarksInAnANumberStillMakeOneSpanFromItsA) {
  // The words of the one span found in `text`, its role label unreadable.
  const auto spanWords = [](const std::string& text) {
    const std::vector<Word> words = layOut({{100, 100, text, 0.3}});
    std::vector<std::string> out;
    const auto spans = reread::findUncertainSpans(words);
    if (spans.size() == 1) {
      for (const int i : spans[0].words) out.push_back(words[static_cast<std::size_t>(i)].text);
    }
    return out;
  };
  // "A# 292-256-161" on a fax: hyphens and spaces came out as a colon and typographic quotes.
  EXPECT_EQ(spanWords("Pew Alf\u2019 292: \u2018256-161"),
            (std::vector<std::string>{"Alf\u2019", "292:", "\u2018256-161"}));
  // "A# 202-863-580" in a blurred photo: the "#" came out as "=". The span keeps the "A=" word, so
  // the re-read's crop has the A that makes the digits an A-number.
  EXPECT_EQ(spanWords("Seeicay A= 202-863-580"), (std::vector<std::string>{"A=", "202-863-580"}));
  // "A094 124 471" on a fax, its 7 broken into a slash: the last group stays in the span.
  EXPECT_EQ(spanWords("THE BENEFICIARY AQg4 124 4/1 MUST ALSO APPEAR"),
            (std::vector<std::string>{"AQg4", "124", "4/1"}));
  // A date and a page number are no such span, a date whose zeros blur read as 8s neither.
  EXPECT_TRUE(reread::findUncertainSpans(layOut({{100, 100, "Notice Date: 04/17/2024 Page 1 of 2", 0.3}})).empty());
  EXPECT_TRUE(reread::findUncertainSpans(layOut({{100, 100, "Received 84/19/2821 Priority", 0.3}})).empty());
}

TEST(RereadTest, AnANumbersAReadAsFourVotesForTheANumberWithItsA) {
  // "Applicant A96008157" on a fax: the page read it right, the re-readings as "496008157", nine
  // bare digits that would make the A-number A496008157 under a role label.
  ScriptedEngine engine({"496008157", "496008157", "496008157"});
  const std::vector<Word> first = layOut({{100, 100, "Applicant"}, {100, 130, "A96008157", 0.8}});
  const auto page = extract::extractPage(reread::rereadUncertain(first, kPage, engine), 1, TextSource::Ocr);
  ASSERT_EQ(page.fields.size(), 1u);
  EXPECT_EQ(page.fields[0].value, "A096008157");
  // With no reading that kept the "A", bare digits are what they are: no "A" is made up.
  ScriptedEngine bare({"496008157", "496008157", "496008157"});
  const std::vector<Word> unreadable = layOut({{100, 100, "Applicant"}, {100, 130, "Ag6OO8157", 0.4}});
  const std::vector<Word> after = reread::rereadUncertain(unreadable, kPage, bare);
  EXPECT_NE(std::find_if(after.begin(), after.end(), [](const Word& w) { return w.text == "496008157"; }), after.end());
}

TEST(RereadTest, ASpanEndingInsideAWordIsCroppedWithTheRestOfThatWord) {
  // The span's box ends where the characters' share of the word's width puts it, which can cut
  // the last digit in half; the crop takes the whole word. The same number without its full stop
  // is a word of its own: its crop is the word, 10 px narrower.
  const auto cropShown = [](const std::string& text) {
    ScriptedEngine engine({"IOE0997924779.", "IOE0997924779.", "IOE0997924779."});
    reread::rereadUncertain(layOut({{100, 100, "Your receipt number is " + text + " Please use", 0.35}}), kPage, engine);
    EXPECT_FALSE(engine.shown.empty());
    // A full stop is one of the characters the reading may give: without it Tesseract forces the
    // mark into a digit or rates the whole line at confidence 0.
    EXPECT_NE(engine.allowedChars.find('.'), std::string::npos);
    return engine.shown.empty() ? cv::Size() : engine.shown[0];
  };
  const cv::Size withStop = cropShown("IOE0997924779."), alone = cropShown("IOE0997924779");
  EXPECT_EQ(withStop.height, alone.height);
  EXPECT_GT(withStop.width, alone.width + 10);
}

TEST(RereadTest, TheNewWordsGoWhereTheReadingFoundThem) {
  // The page read glued a table rule and specks far left of the receipt into its word, so the
  // word starts left of the label's column and no label claims it. The re-reading finds the
  // value where it is printed (from x 102), and that is where its words go.
  const cv::Mat page = pageWithValue();
  std::vector<Word> first = layOut({{100, 100, "Receipt Number"}});
  first.push_back({"IOE0912345678", {20, 140, 290, 22}, 0.5});
  ASSERT_EQ(find(extract::extractPage(first, 1, TextSource::Ocr).fields, FieldType::ReceiptNumber)->label, std::nullopt);

  ScriptedEngine engine({"IOE0912345678", "IOE0912345678", "IOE0912345678"});
  engine.boxesAtInk = true;
  const auto fields = extract::extractPage(reread::rereadUncertain(first, page, engine), 1, TextSource::Ocr).fields;
  const Field* receipt = find(fields, FieldType::ReceiptNumber);
  ASSERT_NE(receipt, nullptr);
  const Rect box = bounds(receipt->polygon);
  EXPECT_NEAR(box.x, 102, 4);
  EXPECT_GT(box.width, 150);
  EXPECT_EQ(receipt->label, "Receipt Number");
}

TEST(RereadTest, ReadingsTesseractGaveNoConfidenceHaveNoSay) {
  // A fax's "call 800-375-5283": re-read, "call" gives an "A" and the last digit is lost, three
  // times alike but each at confidence 0. No A-number may come of it.
  ScriptedEngine telephone({"A 800-375-528", "A 800-375-528", "A 800-375-528"}, 0.0);
  const std::vector<Word> line = layOut({{100, 100, "If you have questions, call B00-375+5283 today", 0.5}});
  const auto fromTelephone = extract::extractPage(reread::rereadUncertain(line, kPage, telephone), 1, TextSource::Ocr);
  EXPECT_EQ(find(fromTelephone.fields, FieldType::ANumber), nullptr);

  // Nor do they overturn a first reading ("IOE" read "TOE" each time).
  ScriptedEngine overturning({"TOE0972364673", "TOE0972364673", "TOE0972364673"}, 0.0);
  const auto kept = extract::extractPage(reread::rereadUncertain(receiptBox("IOE0972364673", 0.3), kPage, overturning),
                                         1, TextSource::Ocr);
  const Field* receipt = find(kept.fields, FieldType::ReceiptNumber);
  ASSERT_NE(receipt, nullptr);
  EXPECT_EQ(receipt->value, "IOE0972364673");
}

TEST(RereadTest, AReadingMayShowATwoThatLostItsBaseAsAQuestionMark) {
  // A 98-line fax loses the base of a 2: the page read gives "LIN?503059191". Without "?" in the
  // re-read's alphabet Tesseract must call that glyph something else, mostly a 7; with it, the
  // readings that saw the "?" vote for the 2 the grammar reads it as, and outvote the one 7.
  ScriptedEngine engine({"LIN?503059191", "LIN7503059191", "LIN?503059191"}, 0.6);
  const std::vector<Word> words = reread::rereadUncertain(receiptBox("LIN?503059191", 0.5), kPage, engine);
  EXPECT_NE(engine.allowedChars.find('?'), std::string::npos);
  const auto page = extract::extractPage(words, 1, TextSource::Ocr);
  const Field* receipt = find(page.fields, FieldType::ReceiptNumber);
  ASSERT_NE(receipt, nullptr);
  EXPECT_EQ(receipt->value, "LIN2503059191");
}

TEST(RereadTest, APageStoredBlackAndWhiteIsReadInOneGreyRenderingMore) {
  // A fax's "EAC ?3-202-52969": the page read and one grey re-reading show the 2 that lost its
  // base as "?", the other grey one and the black-and-white one call it a 7. On a fax a further
  // grey reading (28 px) has its say, and the 2 wins.
  const std::deque<std::string> script = {"EAC 73-202-52969", "EAC 73-202-52969", "EAC ?3-202-52969",
                                          "EAC 23-202-52969"};
  const std::vector<Word> first = receiptBox("EAC ?3-202-52969", 0.5);
  std::size_t normalReads = 0, faxReads = 0;
  EXPECT_EQ(receiptAfterReread(first, script, reread::Effort::Normal, 0.6, normalReads), "EAC7320252969");
  EXPECT_EQ(normalReads, 3u);
  EXPECT_EQ(receiptAfterReread(first, script, reread::Effort::BlackAndWhite, 0.6, faxReads), "EAC2320252969");
  EXPECT_EQ(faxReads, 4u);
}

TEST(RereadTest, LineReadingsAnswerOnlyForTheSamePixelsAndTheSameCharacters) {
  ScriptedEngine engine({"first", "second", "third"});
  reread::LineReadings earlier;
  const cv::Mat page = pageWithValue();
  const cv::Mat crop = page(cv::Rect(90, 130, 220, 40));  // a view into the page, rows not contiguous
  ASSERT_FALSE(crop.isContinuous());
  EXPECT_EQ(earlier.read(engine, crop, "0123").at(0).text, "first");
  // The same pixels, held elsewhere: the reading made before, without asking the engine.
  EXPECT_EQ(earlier.read(engine, crop.clone(), "0123").at(0).text, "first");
  EXPECT_EQ(engine.shown.size(), 1u);
  // One pixel different, or other characters allowed: a fresh reading.
  cv::Mat changed = crop.clone();
  changed.at<unsigned char>(20, 110) ^= 1;
  EXPECT_EQ(earlier.read(engine, changed, "0123").at(0).text, "second");
  EXPECT_EQ(earlier.read(engine, crop, "0123A").at(0).text, "third");
  EXPECT_EQ(engine.shown.size(), 3u);
  // An empty reading (the engine may have been stopped by the deadline) is not kept.
  const cv::Mat other = page(cv::Rect(300, 300, 50, 30));
  EXPECT_TRUE(earlier.read(engine, other, "0123").empty());
  EXPECT_TRUE(earlier.read(engine, other, "0123").empty());
  EXPECT_EQ(engine.shown.size(), 5u);
}

TEST(RereadTest, ASpanReadAgainOnTheSamePageReusesItsCropsReadings) {
  // The header band's re-reads, then the whole page's: the same span, the same crops.
  ScriptedEngine engine({"LIN-20-912-43380", "LIN-20-912-43380", "LIN-20-912-43380", "LIN-20-912-43380",
                         "LIN-20-912-43380", "LIN-20-912-43380"});
  const cv::Mat page = pageWithValue();
  const std::vector<Word> first = receiptBox("LIN-28-912-43388", 0.3);
  reread::LineReadings earlier;
  const std::vector<Word> band = reread::rereadUncertain(first, page, engine, extract::defaultModels(), nullptr,
                                                         reread::Effort::Normal, &earlier);
  const std::size_t bandReads = engine.shown.size();
  ASSERT_GT(bandReads, 0u);
  const std::vector<Word> whole = reread::rereadUncertain(first, page, engine, extract::defaultModels(), nullptr,
                                                          reread::Effort::Normal, &earlier);
  EXPECT_EQ(engine.shown.size(), bandReads);
  ASSERT_EQ(whole.size(), band.size());
  for (std::size_t i = 0; i < band.size(); ++i) {
    EXPECT_EQ(whole[i].text, band[i].text);
    EXPECT_EQ(whole[i].confidence, band[i].confidence);
    EXPECT_EQ(whole[i].box.x, band[i].box.x);
  }
  // The same value read where its box lies a few pixels off is cut as another crop: read afresh.
  std::vector<Word> moved = first;
  for (Word& w : moved) w.box.y += 3;
  reread::rereadUncertain(moved, page, engine, extract::defaultModels(), nullptr, reread::Effort::Normal, &earlier);
  EXPECT_GT(engine.shown.size(), bandReads);
}

namespace {

/// The receipt number found in `words` once `engine` has read its uncertain spans again on `page`,
/// with the page's earlier readings; "none" when there is none.
std::string receiptReadAgain(const std::vector<Word>& words, const cv::Mat& page, ocr::OcrEngine& engine,
                             reread::LineReadings& earlier) {
  const std::vector<Word> after = reread::rereadUncertain(words, page, engine, extract::defaultModels(), nullptr,
                                                          reread::Effort::Normal, &earlier);
  const auto fields = extract::extractPage(after, 1, TextSource::Ocr).fields;
  const Field* receipt = find(fields, FieldType::ReceiptNumber);
  return receipt ? receipt->value : std::string("none");
}

}  // namespace

TEST(RereadTest, AValueReadAgainInAnotherCropKeepsItsEarlierReadingsVotes) {
  // The header band's read of a blurred receipt, re-read: every reading says ...678. The band did
  // not settle the page, which is read whole again; its read puts the value a few pixels lower
  // and reads it ...673, and so do two of the three readings of the new crop. Alone, the new
  // crop's readings would put ...673 on the page; with the band's readings of the same print,
  // ...678 stands.
  const cv::Mat page = pageWithValue();
  ScriptedEngine engine({"IOE0912345678", "IOE0912345678", "IOE0912345673", "IOE0912345678", "IOE0912345673"});
  reread::LineReadings earlier;
  EXPECT_EQ(receiptReadAgain(receiptBox("IOE0912345678", 0.3), page, engine, earlier), "IOE0912345678");
  ASSERT_EQ(engine.shown.size(), 2u);
  std::vector<Word> whole = receiptBox("IOE0912345673", 0.3);
  for (Word& w : whole) w.box.y += 3;
  EXPECT_EQ(receiptReadAgain(whole, page, engine, earlier), "IOE0912345678");
  EXPECT_EQ(engine.shown.size(), 5u);

  // A span elsewhere on the page (a value on the next line) recalls nothing.
  ScriptedEngine alone({"IOE0912345670", "IOE0912345678", "IOE0912345670"});
  std::vector<Word> below = receiptBox("IOE0912345670", 0.3);
  for (Word& w : below) w.box.y += 60;
  EXPECT_EQ(receiptReadAgain(below, page, alone, earlier), "IOE0912345670");
}

TEST(RereadTest, AnEarlierPageReadVotesOnlyWhereTheLaterOneFoundNothing) {
  // The header band's read gave ...678 at 0.84; its crop's readings split. Each value's vote holds
  // one page read: the later one's words when it has them, else (an empty slot: the whole page's
  // read found nothing under the label) the band's.
  const cv::Mat page = pageWithValue();
  const auto readAgain = [&](const std::vector<Word>& later, std::deque<std::string> script) {
    ScriptedEngine engine({"IOE0912345673", "IOE0912345678", "IOE0912345673"}, 0.3);
    reread::LineReadings earlier;
    EXPECT_EQ(receiptReadAgain(receiptBox("IOE0912345678", 0.84), page, engine, earlier), "IOE0912345678");
    ScriptedEngine again(std::move(script), 0.3);
    return receiptReadAgain(later, page, again, earlier);
  };
  // The whole page's read found no value under the label: the band's read votes, and ...678 wins.
  const std::vector<Word> slot = layOut({{100, 100, "Receipt Number"}, {100, 200, "Received Date"}});
  EXPECT_EQ(readAgain(slot, {"IOE0912345673", "IOE0912345673", "IOE0912345678"}), "IOE0912345678");
  // The whole page's read has its own words (...673): the band's read has no say, and the crops'
  // readings, three to three, go with the page read that has.
  std::vector<Word> words = receiptBox("IOE0912345673", 0.3);
  for (Word& w : words) w.box.y += 3;
  EXPECT_EQ(readAgain(words, {"IOE0912345678", "IOE0912345673", "IOE0912345678"}), "IOE0912345673");
}

namespace {

/// A white strip with `text` printed one character centred at each of `centres` (baseline 60),
/// blurred as a defocused photo blurs it.
cv::Mat printedAt(const std::string& text, const std::vector<int>& centres, double blur) {
  cv::Mat strip(90, centres.back() + 40, CV_8UC1, cv::Scalar(255));
  for (std::size_t i = 0; i < text.size(); ++i) {
    int baseline = 0;
    const cv::Size size = cv::getTextSize(std::string(1, text[i]), cv::FONT_HERSHEY_SIMPLEX, 1.2, 3, &baseline);
    cv::putText(strip, std::string(1, text[i]), cv::Point(centres[i] - size.width / 2, 60), cv::FONT_HERSHEY_SIMPLEX,
                1.2, cv::Scalar(0), 3);
  }
  cv::GaussianBlur(strip, strip, cv::Size(), blur);
  return strip;
}

/// `text` printed one character every `pitch` pixels.
cv::Mat printedAtPitch(const std::string& text, int pitch, double blur) {
  std::vector<int> centres;
  for (std::size_t i = 0; i < text.size(); ++i) centres.push_back(30 + pitch * static_cast<int>(i));
  return printedAt(text, centres, blur);
}

}  // namespace

TEST(RereadTest, GlyphBoxesCutBlurJoinedDigitsApartAndLeaveOutHyphens) {
  // Digits printed close and blurred run into each other: the ink of "80" and of "48" touches.
  const std::vector<int> centres = {30, 52, 90, 124, 158, 192, 214};
  const cv::Mat strip = printedAt("80-8048", centres, 2.0);
  const std::vector<cv::Rect> glyphs = reread::glyphBoxes(strip, cv::Rect(0, 0, strip.cols, strip.rows));
  ASSERT_EQ(glyphs.size(), 6u);
  const std::vector<int> digitCentres = {30, 52, 124, 158, 192, 214};
  for (std::size_t i = 0; i < glyphs.size(); ++i) {
    EXPECT_NEAR(glyphs[i].x + glyphs[i].width / 2.0, digitCentres[i], 5) << "glyph " << i;
  }
}

TEST(RereadTest, DigitsPrintedAlikeAreReadAlike) {
  // "800" on a blurred photo: the page read and most views said 0 for the first zero, but the
  // second zero came out 6 more often than 0. Both are the same glyph, so the votes of both
  // positions decide, and 0 wins for both. On its own the last position would stay 6.
  const cv::Mat strip = printedAtPitch("800", 34, 1.5);
  const auto cells = reread::glyphBoxes(strip, cv::Rect(0, 0, strip.cols, strip.rows));
  ASSERT_EQ(cells.size(), 3u);
  const reread::DigitVotes votes = {{{'8', 2.0}}, {{'0', 1.6}, {'6', 0.4}}, {{'6', 1.0}, {'0', 0.6}}};
  EXPECT_EQ(reread::harmoniseAlikeDigits(strip, cells, "806", votes), "800");
}

TEST(RereadTest, DigitsPrintedDifferentlyKeepTheirReadings) {
  // A 0 beside a 6 that some views took for a 0: the glyphs differ, so the 0's votes do not count
  // for the 6, and the vote of the 6's own position stands.
  const cv::Mat strip = printedAtPitch("806", 34, 1.5);
  const auto cells = reread::glyphBoxes(strip, cv::Rect(0, 0, strip.cols, strip.rows));
  ASSERT_EQ(cells.size(), 3u);
  const reread::DigitVotes votes = {{{'8', 2.0}}, {{'0', 2.0}}, {{'6', 1.0}, {'0', 0.9}}};
  EXPECT_EQ(reread::harmoniseAlikeDigits(strip, cells, "806", votes), "806");
  // Cells that do not stand one for one for the digits change nothing.
  EXPECT_EQ(reread::harmoniseAlikeDigits(strip, {cells[0], cells[1]}, "806", votes), "806");
}

TEST(RereadTest, AZeroTheVoteMisreadIsReadLikeTheZerosPrintedBesideIt) {
  // A blurred receipt whose second zero most readings give as 6, while they read its other zeros,
  // printed alike, as 0: the value put back has all its zeros.
  cv::Mat page = kPage.clone();
  const std::string printed = "IOE0900305678";
  std::vector<int> centres;
  for (std::size_t i = 0; i < printed.size(); ++i) centres.push_back(117 + 34 * static_cast<int>(i));
  const cv::Mat strip = printedAt(printed, centres, 1.5);
  strip(cv::Rect(0, 0, strip.cols, 70)).copyTo(page(cv::Rect(0, 120, strip.cols, 70)));
  std::vector<Word> first = layOut({{100, 100, "Receipt Number"}});
  first.push_back({"IOE0960305678", {100, 142, 442, 40}, 0.5});
  const std::deque<std::string> script = {"IOE0900305678", "IOE0960305678", "IOE0960305678", "IOE0900305678",
                                          "IOE0960305678", "IOE0900305678", "IOE0960305678", "IOE0900305678",
                                          "IOE0960305678", "IOE0900305678", "IOE0960305678", "IOE0960305678"};
  ScriptedEngine engine(script, 0.6);
  const auto words =
      reread::rereadUncertain(first, page, engine, extract::defaultModels(), nullptr, reread::Effort::Blurred);
  const auto fields = extract::extractPage(words, 1, TextSource::Ocr).fields;
  const Field* receipt = find(fields, FieldType::ReceiptNumber);
  ASSERT_NE(receipt, nullptr);
  EXPECT_EQ(receipt->value, printed);
}

namespace {

/// `strip` with grain added (sensor noise, JPEG): the same digit printed twice no longer makes
/// identical pixels, as on a shaken photo.
cv::Mat grainy(const cv::Mat& strip, double sigma) {
  cv::Mat noise(strip.size(), CV_32F);
  cv::RNG rng(20261207);
  rng.fill(noise, cv::RNG::NORMAL, 0, sigma);
  cv::Mat out;
  strip.convertTo(out, CV_32F);
  out += noise;
  out.convertTo(out, CV_8U);
  return out;
}

/// Grain enough that no two glyphs correlate at kAlikeGlyphs, as under a shake of 10 px or more.
constexpr double kGrain = 20;

}  // namespace

TEST(RereadTest, ADigitTheReadingsSplitOnGoesWithTheFirmlyReadGlyphsItMatches) {
  // "0600" on a shaken photo: the readings were sure of the first 0, the 6 and the last 0, but
  // split on the third glyph, 6 more often than 0. Grain keeps any two glyphs from matching
  // closely, yet the third matches the firmly read zeros far better than the firmly read 6.
  const cv::Mat strip = grainy(printedAtPitch("0600", 34, 2.5), kGrain);
  const auto cells = reread::glyphBoxes(strip, cv::Rect(0, 0, strip.cols, strip.rows));
  ASSERT_EQ(cells.size(), 4u);
  const reread::DigitVotes votes = {{{'0', 2.0}}, {{'6', 2.0}}, {{'6', 1.2}, {'0', 0.8}}, {{'0', 2.0}}};
  EXPECT_EQ(reread::harmoniseAlikeDigits(strip, cells, "0660", votes), "0600");

  // A 6 the readings split on keeps its reading: it matches the firmly read 6 best.
  const cv::Mat six = grainy(printedAtPitch("0660", 34, 2.5), kGrain);
  const auto sixCells = reread::glyphBoxes(six, cv::Rect(0, 0, six.cols, six.rows));
  ASSERT_EQ(sixCells.size(), 4u);
  EXPECT_EQ(reread::harmoniseAlikeDigits(six, sixCells, "0660", votes), "0660");

  // A digit no reading saw there is never chosen: with no vote for 0 at the third place, it stays.
  const reread::DigitVotes unanimous = {{{'0', 2.0}}, {{'6', 2.0}}, {{'6', 1.2}, {'8', 0.8}}, {{'0', 2.0}}};
  EXPECT_EQ(reread::harmoniseAlikeDigits(strip, cells, "0660", unanimous), "0660");

  // Without a firmly read glyph of the digit it was taken for there is nothing to weigh it against:
  // "0800" read "0860" stays, however like the zeros its third glyph is.
  const cv::Mat eight = grainy(printedAtPitch("0800", 34, 2.5), kGrain);
  const auto eightCells = reread::glyphBoxes(eight, cv::Rect(0, 0, eight.cols, eight.rows));
  ASSERT_EQ(eightCells.size(), 4u);
  const reread::DigitVotes noSix = {{{'0', 2.0}}, {{'8', 2.0}}, {{'6', 1.2}, {'0', 0.8}}, {{'0', 2.0}}};
  EXPECT_EQ(reread::harmoniseAlikeDigits(eight, eightCells, "0860", noSix), "0860");
}
