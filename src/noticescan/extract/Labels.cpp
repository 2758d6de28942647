#include "noticescan/extract/Labels.h"

#include <algorithm>
#include <cmath>

namespace noticescan::extract {
namespace {

/// A value this many line heights to the right of its label on the same line still belongs to it.
constexpr double kMaxRightGap = 20.0;
/// A value this many line heights below its label (same column) still belongs to it.
constexpr double kMaxBelowGap = 3.5;
/// A line of running text is at least this many line heights wide (header boxes are narrower).
constexpr double kMinProseWidth = 25.0;
/// A label whose first word the picture's edge cut must keep this many of that word's letters.
constexpr std::size_t kCutLabelLetters = 3;
/// How far a value that starts the next line of wrapped prose is from a label ending the line.
constexpr double kWrappedDistance = 1.5;

/// Whether OCR commonly reads the letter `letter` as the digit `digit` in a word of print
/// ("US015" for "USCIS", "Numb3r"): such a substitution in a label costs nothing.
bool lookAlike(char a, char b) {
  const auto pair = [](char digit, char letter) {
    switch (digit) {
      case '0': return letter == 'o';
      case '1': return letter == 'i' || letter == 'l';
      case '5': return letter == 's';
      case '8': return letter == 'b';
      default: return false;
    }
  };
  return pair(a, b) || pair(b, a);
}

}  // namespace

int allowedEdits(std::size_t length) {
  if (length <= 4) return 0;
  if (length <= 8) return 1;
  if (length <= 14) return 2;
  return 3;
}

int editDistance(std::string_view a, std::string_view b, int limit) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > limit) return limit + 1;
  std::vector<int> previous(static_cast<std::size_t>(m) + 1), current(static_cast<std::size_t>(m) + 1);
  for (int j = 0; j <= m; ++j) previous[static_cast<std::size_t>(j)] = j;
  for (int i = 1; i <= n; ++i) {
    current[0] = i;
    int rowMin = i;
    for (int j = 1; j <= m; ++j) {
      const char x = a[static_cast<std::size_t>(i - 1)], y = b[static_cast<std::size_t>(j - 1)];
      const int cost = x == y || lookAlike(x, y) ? 0 : 1;
      current[static_cast<std::size_t>(j)] = std::min({previous[static_cast<std::size_t>(j)] + 1,
                                                       current[static_cast<std::size_t>(j - 1)] + 1,
                                                       previous[static_cast<std::size_t>(j - 1)] + cost});
      rowMin = std::min(rowMin, current[static_cast<std::size_t>(j)]);
    }
    if (rowMin > limit) return limit + 1;
    std::swap(previous, current);
  }
  return previous[static_cast<std::size_t>(m)];
}

std::vector<LabelHit> findLabels(const Layout& layout, const Models& models) {
  struct Variant {
    const LabelEntry* entry;
    std::string joined;  // words concatenated: matching this way survives split and merged words
    std::size_t words;
    std::size_t firstLength;  // of the first word
  };
  std::vector<Variant> variants;
  std::size_t maxWords = 1;
  for (const LabelEntry& entry : models.labels) {
    for (const auto& tokens : entry.variants) {
      std::string joined;
      for (const auto& t : tokens) joined += t;
      variants.push_back({&entry, joined, tokens.size(), tokens.empty() ? 0 : tokens.front().size()});
      maxWords = std::max(maxWords, tokens.size());
    }
  }

  std::vector<LabelHit> hits;
  for (std::size_t s = 0; s < layout.segments.size(); ++s) {
    const Segment& segment = layout.segments[s];
    std::vector<std::string> normalised;
    for (const int index : segment.words) normalised.push_back(normaliseLabelWord(layout.words[static_cast<std::size_t>(index)].text));

    std::vector<LabelHit> candidates;
    for (std::size_t start = 0; start < normalised.size(); ++start) {
      std::string joined;
      for (std::size_t count = 1; count <= maxWords + 1 && start + count <= normalised.size(); ++count) {
        joined += normalised[start + count - 1];
        if (joined.empty()) continue;
        const bool cut = layout.words[static_cast<std::size_t>(segment.words[start])].cutBefore;
        for (const Variant& v : variants) {
          if (count + 1 < v.words || count > v.words + 1) continue;
          const int limit = allowedEdits(v.joined.size());
          // The "#" of "USCIS#" or "Alien #" is what makes it a label: "USCIS" alone is a name in
          // running text. OCR may misread the sign ("USCIS At") but the match may not drop it.
          if (v.joined.find('#') != std::string::npos && joined.size() < v.joined.size()) continue;
          // Likewise the lone letter that starts "A Number" or "A Nbr": "Number" alone is no label.
          if (v.firstLength == 1 && joined.front() != v.joined.front()) continue;
          int edits = editDistance(joined, v.joined, limit);
          bool matched = edits <= limit;
          // A word the picture's edge cut may be a label of several words without the start of its
          // first word: "unt Number" is "Account Number" with "Acco" outside the photo. At least
          // kCutLabelLetters of that first word must be left, and every word after it.
          if (!matched && cut && v.words >= 2 && count <= v.words && joined.size() < v.joined.size() &&
              joined.size() + v.firstLength >= v.joined.size() + kCutLabelLetters) {
            const std::string_view ending = std::string_view(v.joined).substr(v.joined.size() - joined.size());
            const int suffixLimit = allowedEdits(joined.size());
            const int suffixEdits = editDistance(joined, ending, suffixLimit);
            // A label read only in part ranks below one read whole.
            matched = suffixEdits <= suffixLimit;
            edits = suffixEdits + 1;
          }
          if (!matched) continue;
          LabelHit hit;
          hit.entry = v.entry;
          hit.segment = static_cast<int>(s);
          // Byte span of words [start, start + count) in the segment's text.
          std::size_t begin = 0;
          while (begin < segment.charWord.size() && segment.charWord[begin] != static_cast<int>(start)) ++begin;
          std::size_t end = begin;
          while (end < segment.charWord.size() &&
                 (segment.charWord[end] < 0 || segment.charWord[end] < static_cast<int>(start + count))) {
            ++end;
          }
          while (end > begin && segment.charWord[end - 1] < 0) --end;
          hit.begin = begin;
          hit.end = end;
          hit.box = spanBox(layout, segment, begin, end);
          hit.edits = edits;
          candidates.push_back(hit);
        }
      }
    }
    // Longest label first, then fewest edits; a word belongs to one label only.
    std::sort(candidates.begin(), candidates.end(), [](const LabelHit& a, const LabelHit& b) {
      if (a.end - a.begin != b.end - b.begin) return a.end - a.begin > b.end - b.begin;
      return a.edits < b.edits;
    });
    std::vector<bool> used(segment.text.size(), false);
    for (const LabelHit& hit : candidates) {
      bool free = true;
      for (std::size_t i = hit.begin; i < hit.end && free; ++i) free = !used[i];
      if (!free) continue;
      for (std::size_t i = hit.begin; i < hit.end; ++i) used[i] = true;
      hits.push_back(hit);
    }
  }
  return hits;
}

std::optional<double> labelDistance(const Layout& layout, const LabelHit& label, int valueSegment,
                                    std::size_t valueBegin, const Rect& valueBox) {
  const Segment& labelSegment = layout.segments[static_cast<std::size_t>(label.segment)];
  const Line& labelLine = layout.lines[static_cast<std::size_t>(labelSegment.line)];
  const double h = labelLine.height;
  const Segment& value = layout.segments[static_cast<std::size_t>(valueSegment)];

  if (label.segment == valueSegment) {
    // The label may sit inside the printed value ("USCIS A# 012345678" read as one span).
    if (label.begin > valueBegin && label.begin >= valueBegin + 2) return std::nullopt;
    return std::max(0.0, valueBox.x - label.box.right()) / h * 0.5;
  }
  if (value.line == labelSegment.line) {
    const double gap = valueBox.x - label.box.right();
    if (gap < -h || gap / h > kMaxRightGap) return std::nullopt;
    return 1.0 + std::max(0.0, gap) / h;
  }
  // Prose that wraps: the label ends a line of running text and the value starts the next line
  // at the same margin ("...the passport (number" / "F02003163) and evidence").
  const Line& valueLine = layout.lines[static_cast<std::size_t>(value.line)];
  const bool prose = labelLine.segments.size() == 1 && labelSegment.box.width > kMinProseWidth * h;
  const bool labelEndsLine = label.end + 1 >= labelSegment.text.size();
  if (prose && labelEndsLine && value.line == labelSegment.line + 1 && valueLine.segments.front() == valueSegment &&
      valueBegin <= 1 && std::abs(value.box.x - labelSegment.box.x) < 2.0 * h) {
    return kWrappedDistance;
  }
  // Below, in the label's column: the value starts under the label (allowing a little indent
  // either way) and within a few lines.
  const double below = valueBox.y - label.box.bottom();
  if (below < -0.25 * h || below / h > kMaxBelowGap) return std::nullopt;
  const double columnLeft = label.box.x - 2.0 * h;
  const double columnRight = std::max(label.box.right(), label.box.x + 4.0 * h);
  if (valueBox.x < columnLeft || valueBox.x > columnRight) return std::nullopt;
  return 1.0 + below / h + std::abs(valueBox.x - label.box.x) / h * 0.1;
}

}  // namespace noticescan::extract
