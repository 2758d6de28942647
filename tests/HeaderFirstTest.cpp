// Header-first reading: where a page is cut, when the header settles a page, and that a page it
// does not settle is read whole.
#include <gtest/gtest.h>

#include <random>

#include <opencv2/imgproc.hpp>

#include "WordLayout.h"
#include "noticescan/read/HeaderFirst.h"

using namespace noticescan;
using testing_words::layOut;

namespace {

/// A letter-size page at 100 dpi: text lines as dark bars, and (when `grid`) a header of ruled
/// boxes from y 120 to 300, its rules drawn at `ruleLevel`.
cv::Mat page(bool grid, int ruleLevel = 0) {
  cv::Mat gray(1100, 850, CV_8UC1, cv::Scalar(255));
  if (grid) {
    for (int y : {120, 180, 240, 300}) cv::line(gray, {50, y}, {800, y}, cv::Scalar(ruleLevel), 2);
    for (int x : {50, 300, 550, 800}) cv::line(gray, {x, 120}, {x, 300}, cv::Scalar(ruleLevel), 2);
  }
  // Lines of text every 30 px below the header, with a blank gap around y 330.
  for (int y = 40; y < 1050; y += 30) {
    if (y > 100 && y < 360) continue;
    cv::rectangle(gray, {60, y}, {700, y + 12}, cv::Scalar(30), cv::FILLED);
  }
  return gray;
}

/// Reads whatever it is shown as the words of a script: `whole` for the whole page, `header` for
/// the first band, `rest` for anything after it (boxes in the shown image's frame).
class BandEngine final : public ocr::OcrEngine {
 public:
  std::vector<Word> header, whole, rest;
  std::vector<int> shownRows;
  std::vector<Word> recognize(const cv::Mat& gray) override {
    shownRows.push_back(gray.rows);
    if (gray.rows == 1100) return whole;
    return shownRows.size() == 1 ? header : rest;
  }
  std::string name() const override { return "bands"; }
};

std::vector<Word> completeHeader(double confidence = 0.96) {
  return layOut({{60, 130, "Receipt Number"}, {60, 150, "IOE0912345678", confidence}, {310, 130, "Case Type"},
                 {310, 150, "I130 - PETITION FOR ALIEN RELATIVE"}, {560, 190, "Beneficiary A123456789"},
                 {60, 250, "Notice Date"}, {60, 270, "05/09/2026"}, {600, 20, "Form I-797C, Notice of Action"}});
}

/// Reading options without re-reads (the scripted engines have no line mode).
read::ReadOptions noReread(bool headerFirst = true, bool checkOrientation = false) {
  read::ReadOptions options;
  options.headerFirst = headerFirst;
  options.reread = false;
  options.checkOrientation = checkOrientation;
  return options;
}

/// What hasRuledBoxes is meant to answer, spelled with OpenCV's morphology: two or more separate
/// rows, and two or more separate columns, that an opening with a long thin element leaves ink in.
bool ruledByOpening(const cv::Mat& band) {
  cv::Mat ink;
  cv::threshold(band, ink, read::kInkLevel, 255, cv::THRESH_BINARY_INV);
  const int across = std::max(8, static_cast<int>(read::kMinRuleShare * band.cols));
  const int down = std::max(8, band.rows / 12);
  cv::Mat horizontal, vertical, rows, columns;
  cv::morphologyEx(ink, horizontal, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(across, 1)));
  cv::morphologyEx(ink, vertical, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(1, down)));
  cv::reduce(horizontal, rows, 1, cv::REDUCE_MAX);
  cv::reduce(vertical, columns, 0, cv::REDUCE_MAX);
  const auto runs = [](const cv::Mat& line) {
    int count = 0;
    bool inRun = false;
    for (int i = 0; i < static_cast<int>(line.total()); ++i) {
      const bool on = line.at<unsigned char>(i) > 0;
      count += on && !inRun ? 1 : 0;
      inRun = on;
    }
    return count;
  };
  return runs(rows) >= 2 && runs(columns) >= 2;
}

}  // namespace

TEST(HeaderFirstTest, RuledBoxesAreFoundAsOpeningTheBandWithLongElementsFindsThem) {
  // Bands of random sizes with a few strokes each: lengths near the rule lengths, strokes that
  // run into the band's edges (where the opening counts the world beyond as ink) and gray levels
  // either side of the ink threshold.
  std::mt19937 random(20261206);
  const auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
  int ruled = 0, plain = 0;
  for (int trial = 0; trial < 400; ++trial) {
    cv::Mat band(uniform(16, 120), uniform(32, 320), CV_8UC1, cv::Scalar(255));
    const int across = std::max(8, static_cast<int>(read::kMinRuleShare * band.cols));
    const int down = std::max(8, band.rows / 12);
    for (int stroke = uniform(2, 14); stroke > 0; --stroke) {
      const cv::Scalar level(uniform(read::kInkLevel - 2, read::kInkLevel + 2));
      if (uniform(0, 1)) {
        const int length = uniform(across / 2 - 2, across + 6), y = uniform(0, band.rows - 1);
        const int x = uniform(-length / 2, band.cols - length / 2);
        cv::line(band, {x, y}, {x + length - 1, y}, level);
      } else {
        const int length = uniform(down / 2 - 2, down + 6), x = uniform(0, band.cols - 1);
        const int y = uniform(-length / 2, band.rows - length / 2);
        cv::line(band, {x, y}, {x, y + length - 1}, level);
      }
    }
    const bool expected = ruledByOpening(band);
    ASSERT_EQ(read::hasRuledBoxes(band), expected) << "trial " << trial << ", band " << band.cols << " x " << band.rows;
    (expected ? ruled : plain) += 1;
  }
  // Both answers were put to the test.
  EXPECT_GT(ruled, 20) << plain;
  EXPECT_GT(plain, 20) << ruled;
}

TEST(HeaderFirstTest, APageWithAHeaderGridIsCutAtABlankRowBelowIt) {
  const cv::Mat gray = page(true);
  const std::vector<int> cuts = read::bandCuts(gray);
  ASSERT_EQ(cuts.size(), 2u);
  EXPECT_EQ(cuts.back(), gray.rows);
  // In the blank gap between the grid (ends at 300) and the next line of text (at 370)...
  EXPECT_GT(cuts[0], 301);
  EXPECT_LT(cuts[0], 370);
  // ...and the rows on the cut are blank.
  EXPECT_EQ(cv::countNonZero(gray.row(cuts[0]) < 128), 0);
}

TEST(HeaderFirstTest, AGridPhotographedOutOfFocusIsStillCut) {
  // A defocused photo's thin rules come out grey, lighter than its text (on the test corpus's
  // blurred photos the darkest point of a rule was 130-160).
  const cv::Mat gray = page(true, 150);
  const std::vector<int> cuts = read::bandCuts(gray);
  ASSERT_EQ(cuts.size(), 2u);
  EXPECT_GT(cuts[0], 301);
  EXPECT_LT(cuts[0], 370);
  // Paper's own shading is not a rule.
  EXPECT_FALSE(read::hasRuledBoxes(page(true, 200).rowRange(0, 330)));
}

TEST(HeaderFirstTest, DarkEdgesDownThePageSidesDoNotKeepItFromBeingCut) {
  // A flattened photo can keep a sliver of the table, or the sheet's shadowed edge, at either
  // side: dark on every row, blank rows included.
  cv::Mat gray = page(true);
  gray.colRange(0, 12).setTo(40);
  gray.colRange(gray.cols - 10, gray.cols).setTo(60);
  const std::vector<int> cuts = read::bandCuts(gray);
  ASSERT_EQ(cuts.size(), 2u);
  EXPECT_GT(cuts[0], 301);
  EXPECT_LT(cuts[0], 370);
}

TEST(HeaderFirstTest, APageWithoutRuledBoxesOrTooWideIsReadWhole) {
  EXPECT_EQ(read::bandCuts(page(false)), std::vector<int>{1100});
  const cv::Mat wide(600, 900, CV_8UC1, cv::Scalar(255));
  EXPECT_EQ(read::bandCuts(wide), std::vector<int>{600});
  EXPECT_TRUE(read::hasRuledBoxes(page(true).rowRange(0, 330)));
  EXPECT_FALSE(read::hasRuledBoxes(page(false).rowRange(0, 330)));
}

TEST(HeaderFirstTest, ACompleteHeaderSettlesThePage) {
  EXPECT_EQ(read::judgeHeader(completeHeader()), read::HeaderEvidence::Complete);
}

TEST(HeaderFirstTest, AnIdentifierBoxLeftBlankOnTheFormDoesNotHoldThePageOpen) {
  // An online account box with its label and nothing under it: OCR may have missed the value,
  // unless the page shows the box empty.
  std::vector<Word> words = completeHeader();
  const std::vector<Word> box = layOut({{310, 250, "Online Account Number"}});
  words.insert(words.end(), box.begin(), box.end());
  EXPECT_EQ(read::judgeHeader(words), read::HeaderEvidence::Unsure);
  const cv::Mat blank(1100, 850, CV_8UC1, cv::Scalar(255));
  EXPECT_EQ(read::judgeHeader(words, extract::defaultModels(), &blank), read::HeaderEvidence::Complete);
  cv::Mat printed = blank.clone();
  cv::putText(printed, "123456789012", cv::Point(312, 290), cv::FONT_HERSHEY_SIMPLEX, 0.6, cv::Scalar(0), 2);
  EXPECT_EQ(read::judgeHeader(words, extract::defaultModels(), &printed), read::HeaderEvidence::Unsure);
}

TEST(HeaderFirstTest, AHeaderWithoutAPartyBoxOrAnUncertainValueDoesNot) {
  using read::HeaderEvidence;
  EXPECT_EQ(read::judgeHeader(completeHeader()), HeaderEvidence::Complete);
  // No Applicant / Petitioner / Beneficiary box: a legacy notice may name a number in its body,
  // which is read below a header that is otherwise sure.
  const std::vector<Word> noParty = layOut({{60, 130, "Receipt Number"}, {60, 150, "IOE0912345678"},
                                            {310, 130, "Case Type"}, {310, 150, "I130 - PETITION"},
                                            {600, 20, "Form I-797C, Notice of Action"}});
  EXPECT_EQ(read::judgeHeader(noParty), HeaderEvidence::NeedsBody);
  // "PETITION" inside the case type is not a party's box.
  EXPECT_EQ(read::judgeHeader(layOut({{60, 130, "Receipt Number"}, {60, 150, "IOE0912345678"},
                                      {310, 130, "Case Type"}, {310, 150, "I751 - PETITION TO REMOVE"},
                                      {600, 20, "Form I-797C, Notice of Action"}})),
            HeaderEvidence::NeedsBody);
  // No notice type anywhere in the header: it is printed below the grid or in the footer.
  std::vector<Word> words = completeHeader();
  words.erase(words.end() - 5, words.end());
  EXPECT_EQ(read::judgeHeader(words), HeaderEvidence::NeedsBody);
  // A value read with low confidence and not confirmed by a re-read: the header itself is unsure,
  // with or without a party box.
  EXPECT_EQ(read::judgeHeader(completeHeader(0.4)), HeaderEvidence::Unsure);
  EXPECT_EQ(read::judgeHeader(layOut({{60, 130, "Receipt Number"}, {60, 150, "IOE0912345678", 0.4},
                                      {600, 20, "Form I-797C, Notice of Action"}})),
            HeaderEvidence::Unsure);
  // A party label read poorly.
  EXPECT_EQ(read::judgeHeader(layOut({{60, 130, "Receipt Number"}, {60, 150, "IOE0912345678"},
                                      {560, 190, "Beneficiary", 0.3}, {560, 210, "A123456789"},
                                      {600, 20, "Form I-797C, Notice of Action"}})),
            HeaderEvidence::Unsure);
  // A Case Type box whose form type did not come out.
  EXPECT_EQ(read::judgeHeader(layOut({{60, 130, "Receipt Number"}, {60, 150, "IOE0912345678"},
                                      {310, 130, "Case Type"}, {310, 150, "~~ -- ~~"},
                                      {560, 190, "Beneficiary A123456789"}, {600, 20, "Form I-797C, Notice of Action"}})),
            HeaderEvidence::Unsure);
  // No receipt number label at all (a continuation page).
  EXPECT_EQ(read::judgeHeader(layOut({{60, 130, "Page 2 of 2"}, {60, 200, "Beneficiary"}})), HeaderEvidence::Unsure);
  // A number read poorly that no identifier accounts for: an A-number that lost its "A", its
  // party's label garbled beside it. Read with confidence, the same digits are someone's number
  // in plain sight (a sure header names no party here, so its body is read).
  for (const bool partyBox : {false, true}) {
    std::vector<Word> garbled = partyBox ? completeHeader() : noParty;
    const std::vector<Word> box = layOut({{60, 60, "Aggtcare", 0.0}, {160, 60, "987654321", 0.0}});
    garbled.insert(garbled.end(), box.begin(), box.end());
    EXPECT_EQ(read::judgeHeader(garbled), HeaderEvidence::Unsure) << partyBox;
    garbled.back().confidence = 0.9;
    EXPECT_NE(read::judgeHeader(garbled), HeaderEvidence::Unsure) << partyBox;
  }
  // A date's eight digits read poorly are not such a number.
  std::vector<Word> dated = completeHeader();
  for (Word& w : dated) {
    if (w.text == "05/09/2026") w.confidence = 0.3;
  }
  EXPECT_EQ(read::judgeHeader(dated), HeaderEvidence::Complete);
}

TEST(HeaderFirstTest, ASureHeaderThatNamesNoPartyHasOnlyTheRestOfThePageRead) {
  // An appointment notice: its header is read with confidence but names no party, and its body
  // names a family member's A-number. The band's words stand, the rows below the cut are read
  // once, and the body's words come back in the page's frame.
  const cv::Mat gray = page(true);
  BandEngine engine;
  engine.header = layOut({{60, 130, "Receipt Number"}, {60, 150, "IOE0912345678"}, {310, 130, "Case Type"},
                          {310, 150, "I485 - APPLICATION TO REGISTER"}, {600, 20, "Form I-797C, Notice of Action"}});
  engine.rest = layOut({{60, 40, "NOTICE TYPE: ASC APPOINTMENT NOTICE"},
                        {60, 200, "THE BENEFICIARY A123456789 MUST ALSO APPEAR."}});
  engine.whole = completeHeader();
  read::ReadStats stats;
  const std::vector<Word> words = read::readPage(gray, engine, noReread(), &stats);
  const int cut = read::bandCuts(gray).front();
  ASSERT_EQ(engine.shownRows.size(), 2u);
  EXPECT_EQ(engine.shownRows[0], cut);
  EXPECT_EQ(engine.shownRows[1], gray.rows - cut);
  EXPECT_TRUE(stats.restBelowHeader);
  EXPECT_EQ(stats.bandsRead, 2);
  EXPECT_NEAR(stats.readRows, 1.0, 1e-9);
  ASSERT_EQ(words.size(), engine.header.size() + engine.rest.size());
  for (std::size_t i = 0; i < engine.header.size(); ++i) {
    EXPECT_EQ(words[i].text, engine.header[i].text);
    EXPECT_EQ(words[i].box.y, engine.header[i].box.y);
  }
  for (std::size_t i = 0; i < engine.rest.size(); ++i) {
    const Word& w = words[engine.header.size() + i];
    EXPECT_EQ(w.text, engine.rest[i].text);
    EXPECT_EQ(w.box.y, engine.rest[i].box.y + cut);
    EXPECT_EQ(w.box.x, engine.rest[i].box.x);
  }
}

TEST(HeaderFirstTest, ASettledHeaderEndsTheReadAndAnUnsettledOneIsReadWhole) {
  const cv::Mat gray = page(true);
  BandEngine engine;
  engine.header = completeHeader();
  engine.whole = completeHeader();
  read::ReadStats stats;
  std::vector<Word> words = read::readPage(gray, engine, noReread(), &stats);
  EXPECT_EQ(engine.shownRows.size(), 1u);
  EXPECT_EQ(stats.bandsRead, 1);
  EXPECT_LT(stats.readRows, 0.4);
  EXPECT_EQ(words.size(), engine.header.size());

  // The same header with an uncertain value: the whole page is read again from the top, and its
  // words alone are the answer (nothing of the first band is kept twice).
  BandEngine unsure;
  unsure.header = completeHeader(0.4);
  unsure.whole = completeHeader(0.4);
  words = read::readPage(gray, unsure, noReread(), &stats);
  ASSERT_EQ(unsure.shownRows.size(), 2u);
  EXPECT_EQ(unsure.shownRows[1], gray.rows);
  EXPECT_EQ(words.size(), unsure.whole.size());
  EXPECT_GT(stats.readRows, 1.0);
  EXPECT_FALSE(stats.restBelowHeader);

  // Header-first off: one read of the whole page.
  BandEngine full;
  full.header = full.whole = completeHeader();
  read::readPage(gray, full, noReread(false), &stats);
  EXPECT_EQ(full.shownRows, std::vector<int>{gray.rows});
}

TEST(HeaderFirstTest, AHeaderReadAgainWithTheWholePageHasItsValuesCropsReadOnce) {
  // An unsure receipt number in a header whose party label was read poorly: re-read after the
  // band, which does not settle the page, and again after the whole page, whose reading of the
  // header is the same. The whole page's re-reads of the same crops are the band's.
  class LineEngine final : public ocr::OcrEngine {
   public:
    std::vector<Word> header, whole;
    int lineReads = 0;
    std::vector<Word> recognize(const cv::Mat& gray) override { return gray.rows < 1100 ? header : whole; }
    std::vector<Word> recognizeLine(const cv::Mat& gray, const std::string&) override {
      ++lineReads;
      return {Word{"IOE0912345678", Rect{0, 0, static_cast<double>(gray.cols), static_cast<double>(gray.rows)}, 0.9}};
    }
    std::string name() const override { return "lines"; }
  } engine;
  engine.header = layOut({{60, 130, "Receipt Number"}, {60, 150, "IOE0912345678", 0.3},
                          {560, 190, "Beneficiary", 0.3}, {600, 20, "Form I-797C, Notice of Action"}});
  engine.whole = engine.header;
  const std::vector<Word> body = layOut({{60, 400, "Please quote the receipt number when you write to us."}});
  engine.whole.insert(engine.whole.end(), body.begin(), body.end());
  read::ReadOptions options;
  options.checkOrientation = false;
  read::ReadStats stats;
  cv::Mat gray = page(true);
  cv::putText(gray, "IOE0912345678", cv::Point(62, 166), cv::FONT_HERSHEY_SIMPLEX, 0.5, cv::Scalar(40), 1);
  read::readPage(gray, engine, options, &stats);
  ASSERT_EQ(stats.bands, 2);
  ASSERT_EQ(stats.bandsRead, 2);
  ASSERT_FALSE(stats.restBelowHeader);
  // Normal effort: the first reading and two fresh ones that agree with it settle the value.
  EXPECT_EQ(engine.lineReads, 2);
}

TEST(HeaderFirstTest, AnUpsideDownFirstBandHasThePageTurnedAndReadFromTheTop) {
  const cv::Mat gray = page(true);
  BandEngine engine;
  engine.header = layOut({{60, 130, "uoıʇɔ∀ ɟo ǝɔıʇoN", 0.3}, {60, 160, "ɹǝqɯnN ʇdıǝɔǝᴚ", 0.3}});
  engine.whole = completeHeader();
  cv::Mat turned;
  cv::rotate(gray, turned, cv::ROTATE_180);
  int turns = 0;
  read::ReadOptions options = noReread(true, true);
  options.turnPage = [&]() -> const cv::Mat* {
    ++turns;
    return &turned;
  };
  read::ReadStats stats;
  std::vector<Word> words = read::readPage(gray, engine, options, &stats);
  EXPECT_EQ(turns, 1);
  EXPECT_TRUE(stats.doubtfulOrientation);
  // The turned page is read as a page of its own (this one whole: turning this synthetic page
  // put its grid at the bottom), and nothing of the first read is kept.
  EXPECT_EQ(engine.shownRows.size(), 2u);
  EXPECT_EQ(engine.shownRows.back(), gray.rows);
  EXPECT_EQ(words.size(), engine.whole.size());

  // Not turned (the detector is unsure): the words already read are kept and the read goes on.
  BandEngine blank;
  int asked = 0;
  options.turnPage = [&]() -> const cv::Mat* {
    ++asked;
    return nullptr;
  };
  read::readPage(page(false), blank, options, &stats);
  EXPECT_EQ(asked, 1);
  EXPECT_EQ(blank.shownRows.size(), 1u);  // a page without a header grid is read once, whole

  EXPECT_TRUE(read::looksUpright(completeHeader()));
  EXPECT_FALSE(read::looksUpright(engine.header));
}
