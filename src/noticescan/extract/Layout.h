#pragma once
// Words -> lines -> segments. A segment is a run of words on one line with no wide gap: one box of
// a header grid, one column, or one line of prose. Identifiers and labels are searched in segments.

#include <algorithm>
#include <string>
#include <vector>

#include "noticescan/Types.h"

namespace noticescan::extract {

/// A gap wider than this many line heights splits a line into segments.
inline constexpr double kSegmentGapInLineHeights = 1.5;

struct Segment {
  int line = 0;                  ///< index into Layout::lines
  std::vector<int> words;        ///< indices into Layout::words, left to right
  std::string text;              ///< word texts joined by single spaces
  std::vector<int> charWord;     ///< for each byte of `text`: index into `words` (the vector above), -1 for a joining space
  std::vector<int> charInWord;   ///< for each byte: offset inside its word
  Rect box;
};

struct Line {
  std::vector<int> segments;     ///< indices into Layout::segments, left to right
  Rect box;
  double height = 0;             ///< median word height
};

struct Layout {
  std::vector<Word> words;
  std::vector<Line> lines;       ///< top to bottom
  std::vector<Segment> segments;
};

/// Groups words (any order, any source) into lines and segments.
Layout buildLayout(std::vector<Word> words);

/// The part of `word`'s box that holds its bytes [first, last), cut in proportion to the characters.
Rect charactersBox(const Word& word, std::size_t first, std::size_t last);

/// The box of bytes [begin, end) of a segment's text; inside a word the box is cut in proportion
/// to the characters covered (charactersBox).
Rect spanBox(const Layout& layout, const Segment& segment, std::size_t begin, std::size_t end);
/// Whether any word touched by bytes [begin, end) satisfies `test`.
template <typename Test>
bool anyWordInSpan(const Layout& layout, const Segment& segment, std::size_t begin, std::size_t end, Test test) {
  end = std::min(end, segment.text.size());
  for (std::size_t i = begin; i < end; ++i) {
    const int slot = segment.charWord[i];
    if (slot >= 0 && test(layout.words[static_cast<std::size_t>(segment.words[static_cast<std::size_t>(slot)])])) {
      return true;
    }
  }
  return false;
}
/// The lowest word confidence among the words touched by bytes [begin, end).
double spanConfidence(const Layout& layout, const Segment& segment, std::size_t begin, std::size_t end);

}  // namespace noticescan::extract
