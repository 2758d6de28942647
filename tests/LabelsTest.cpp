#include <gtest/gtest.h>

#include <algorithm>

#include "WordLayout.h"
#include "noticescan/extract/Labels.h"

using namespace noticescan::extract;
using testing_words::layOut;

namespace {

std::vector<std::string> labelNames(const std::vector<testing_words::Text>& texts) {
  const Layout layout = buildLayout(layOut(texts));
  std::vector<std::string> names;
  for (const LabelHit& hit : findLabels(layout, defaultModels())) names.push_back(hit.entry->name);
  return names;
}

}  // namespace

TEST(LabelsTest, EditDistance) {
  EXPECT_EQ(editDistance("notice date", "notice dale", 3), 1);
  EXPECT_EQ(editDistance("abc", "abc", 0), 0);
  EXPECT_EQ(editDistance("receipt", "beneficiary", 2), 3);  // gives up past the limit
}

TEST(LabelsTest, MatchesMangledLabels) {
  EXPECT_EQ(labelNames({{0, 0, "Receipt Numbcr"}}), std::vector<std::string>{"Receipt Number"});
  EXPECT_EQ(labelNames({{0, 0, "Notice Dale"}}), std::vector<std::string>{"Notice Date"});
  EXPECT_EQ(labelNames({{0, 0, "Pctitioner"}}), std::vector<std::string>{"Petitioner"});
  EXPECT_EQ(labelNames({{0, 0, "Bencficiary"}}), std::vector<std::string>{"Beneficiary"});
  EXPECT_EQ(labelNames({{0, 0, "Case Typo"}}), std::vector<std::string>{"Case Type"});
  EXPECT_EQ(labelNames({{0, 0, "RECEIPT NUMBER"}}), std::vector<std::string>{"Receipt Number"});
  EXPECT_EQ(labelNames({{0, 0, "Receivedl Date"}}), std::vector<std::string>{"Received Date"});
}

TEST(LabelsTest, DigitsReadForLettersInALabelAreNoEdit) {
  EXPECT_EQ(editDistance("us015", "uscis", 3), 1);  // only the C costs: 1/i and 5/s are look-alikes
  EXPECT_EQ(labelNames({{0, 0, "US015 Online Account Nunbe"}}), std::vector<std::string>{"USCIS Online Account Number"});
  EXPECT_EQ(labelNames({{0, 0, "Rece1pt Number"}}), std::vector<std::string>{"Receipt Number"});
}

TEST(LabelsTest, TheSignOrLetterThatMakesALabelMustBeRead) {
  // "USCIS" in running text ("Your USCIS Online ...", "USCIS may ...") is not "USCIS#".
  EXPECT_TRUE(labelNames({{0, 0, "USCIS"}}).empty());
  EXPECT_TRUE(labelNames({{0, 0, "Alien"}}).empty());
  EXPECT_EQ(labelNames({{0, 0, "USCIS#"}}), std::vector<std::string>{"A-Number"});
  EXPECT_EQ(labelNames({{0, 0, "USCIS #"}}), std::vector<std::string>{"A-Number"});
  EXPECT_EQ(labelNames({{0, 0, "USCIS At"}}), std::vector<std::string>{"A-Number"});  // a sign misread
  // Nor is "Number" alone "A Number".
  EXPECT_TRUE(labelNames({{0, 0, "Number"}}).empty());
  EXPECT_EQ(labelNames({{0, 0, "A Numbor"}}), std::vector<std::string>{"A-Number"});
}

TEST(LabelsTest, ABlurredHashSignReadAsARoundSignStillMakesTheLabel) {
  // A "#" blurred shut is read "®" or "@"; "A" alone is no label.
  EXPECT_EQ(labelNames({{0, 0, "A\u00AE"}}), std::vector<std::string>{"A-Number"});
  EXPECT_EQ(labelNames({{0, 0, "A@"}}), std::vector<std::string>{"A-Number"});
  EXPECT_EQ(normaliseLabelWord("USCIS\u00AE"), "uscis#");
  EXPECT_TRUE(labelNames({{0, 0, "A"}}).empty());
  EXPECT_TRUE(labelNames({{0, 0, "A\u00A9"}}).empty());  // a copyright sign is no blurred "#"
}

TEST(LabelsTest, LongestLabelWins) {
  EXPECT_EQ(labelNames({{0, 0, "USCIS Online Account Number"}}),
            std::vector<std::string>{"USCIS Online Account Number"});
  EXPECT_EQ(labelNames({{0, 0, "NVC Case Number"}}), std::vector<std::string>{"NVC Case Number"});
}

TEST(LabelsTest, ShortLabelsMustMatchExactly) {
  EXPECT_TRUE(labelNames({{0, 0, "SSA"}}).empty());
  EXPECT_TRUE(labelNames({{0, 0, "The quick brown fox"}}).empty());
}

TEST(LabelsTest, ValueBelowOrRightOfLabelBelongsToIt) {
  const Layout layout = buildLayout(layOut({{0, 0, "Receipt Number"}, {0, 30, "IOE0912345678"}, {400, 30, "far away"}}));
  const auto labels = findLabels(layout, defaultModels());
  ASSERT_EQ(labels.size(), 1u);
  int below = -1, far = -1;
  for (std::size_t s = 0; s < layout.segments.size(); ++s) {
    if (layout.segments[s].text == "IOE0912345678") below = static_cast<int>(s);
    if (layout.segments[s].text == "far away") far = static_cast<int>(s);
  }
  ASSERT_GE(below, 0);
  ASSERT_GE(far, 0);
  EXPECT_TRUE(labelDistance(layout, labels[0], below, 0, layout.segments[static_cast<std::size_t>(below)].box));
  EXPECT_FALSE(labelDistance(layout, labels[0], far, 0, layout.segments[static_cast<std::size_t>(far)].box));
}

TEST(LabelsTest, ALabelCutByThePicturesEdgeMatchesByItsEnding) {
  // A photo that cut off "Acco" of "Account Number": the first word is marked as beginning at the
  // picture's edge. Unmarked, the same words do not name an account number ("Number" alone is
  // close enough to "A-Number" either way).
  const auto namesAccount = [](const std::string& text, bool cut) {
    std::vector<noticescan::Word> words = layOut({{0, 0, text}});
    words.front().cutBefore = cut;
    const std::vector<LabelHit> hits = findLabels(buildLayout(words), defaultModels());
    return std::any_of(hits.begin(), hits.end(), [](const LabelHit& hit) { return hit.entry->kind == "online_account_number"; });
  };
  EXPECT_TRUE(namesAccount("unt Number 330682558768", true));
  EXPECT_FALSE(namesAccount("unt Number 330682558768", false));
  // At least three letters of the cut word must be left.
  EXPECT_FALSE(namesAccount("nt Number 330682558768", true));
}

TEST(LayoutTest, WordsOfSlopingLinesStayOnTheirLines) {
  // A close-up photo with no sheet's edge to flatten by: its lines of prose rise 14 px a word to
  // the right, so each line's words together span twice a line's height, while the lines are 60 px
  // apart. Each word belongs with its neighbours on its own line, in reading order.
  std::vector<noticescan::Word> words;
  const std::vector<std::string> lines[] = {{"Your", "receipt", "number", "is", "MSC2409251194", "whenever"},
                                            {"The", "above", "petition", "has", "been", "received."}};
  for (int l = 0; l < 2; ++l) {
    for (int i = 0; i < 6; ++i) {
      words.push_back({lines[l][static_cast<std::size_t>(i)], noticescan::Rect{100.0 + 130 * i, 300.0 + 60 * l - 14 * i, 110, 40}, 0.95});
    }
  }
  const Layout layout = buildLayout(words);
  std::vector<std::string> texts;
  for (const Line& line : layout.lines) {
    std::string text;
    for (const int s : line.segments) text += (text.empty() ? "" : " | ") + layout.segments[static_cast<std::size_t>(s)].text;
    texts.push_back(text);
  }
  EXPECT_EQ(texts, (std::vector<std::string>{"Your receipt number is MSC2409251194 whenever",
                                             "The above petition has been received."}));
}
