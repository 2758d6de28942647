#include "noticescan/extract/Layout.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <string_view>
#include <utility>

#include "noticescan/util/Median.h"

namespace noticescan::extract {
namespace {

using util::median;

double verticalOverlap(const Rect& a, const Rect& b) {
  return std::max(0.0, std::min(a.bottom(), b.bottom()) - std::max(a.y, b.y));
}

/// OCR's non-ASCII look-alikes of characters identifiers are printed with, and those characters.
/// Notices are printed in ASCII, so in a word these are misreadings ("10€0956181682", "¥SC...").
constexpr std::pair<std::string_view, std::string_view> kLookAlikes[] = {
    {"\u20AC", "E"},  // euro sign
    {"\u00A5", "Y"},  // yen sign
    {"\u2013", "-"},  // en dash
    {"\u2014", "-"},  // em dash
    {"\u2212", "-"},  // minus sign
};

void foldLookAlikes(std::string& text) {
  if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x80; })) return;
  for (const auto& [from, to] : kLookAlikes) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
      text.replace(at, from.size(), to);
    }
  }
}

}  // namespace

/// A word this many times the page's median word height is of ordinary height: a label or value in
/// a larger or smaller font still is; a speck read as "." is not, nor a word read with the specks
/// above and below it.
constexpr double kOrdinaryHeightRange[] = {0.5, 1.6};

Layout buildLayout(std::vector<Word> words) {
  Layout layout;
  for (Word& word : words) foldLookAlikes(word.text);
  // Table rules come back from OCR as blank "words" with boxes as large as the table.
  std::erase_if(words, [](const Word& word) {
    return std::all_of(word.text.begin(), word.text.end(), [](unsigned char c) { return std::isspace(c); });
  });
  layout.words = std::move(words);
  const auto& w = layout.words;

  std::vector<double> heights;
  for (const Word& word : w) heights.push_back(word.box.height);
  const double typical = std::max(1.0, median(heights));

  // Lines: words sorted by vertical centre join the line they overlap most (by at least half the
  // smaller height). What a word is measured against is the line's band, the box of its words of
  // ordinary height: one word read too tall (a faxed label with specks above and below it) would
  // otherwise stretch its line over the next row of a table and pull that row's values in after
  // the labels. Very tall "words" (table rules read as '|') stay on their own.
  std::vector<int> order(w.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::sort(order.begin(), order.end(), [&](int a, int b) { return w[a].box.centerY() < w[b].box.centerY(); });
  struct Building {
    Rect box;
    Rect band;              // the box of its words of ordinary height; of all its words till one joins
    bool ordinary = false;  // it has a word of ordinary height
    std::vector<int> words;
    bool closed = false;  // a very tall word: nothing else joins its line
  };
  const auto ordinaryHeight = [&](const Rect& box) {
    return box.height >= kOrdinaryHeightRange[0] * typical && box.height <= kOrdinaryHeightRange[1] * typical;
  };
  // What a word is measured against on a line: the line's word of ordinary height nearest it
  // across the page, and how far across that is. On a photo whose lines slope (perspective left in
  // a close-up with no sheet's edge to flatten by) the band of the whole line is taller than a line
  // and takes in words of the lines above and below; the neighbouring word of the same line is
  // level with the word.
  const auto horizontalGap = [](const Rect& a, const Rect& b) { return std::max({0.0, a.x - b.right(), b.x - a.right()}); };
  const auto nearestBand = [&](const Building& line, const Rect& box) -> std::pair<const Rect*, double> {
    if (!line.ordinary) return {&line.band, horizontalGap(line.box, box)};
    std::pair<const Rect*, double> nearest{&line.band, std::numeric_limits<double>::infinity()};
    for (const int i : line.words) {
      const Rect& other = w[static_cast<std::size_t>(i)].box;
      if (!ordinaryHeight(other)) continue;
      const double gap = horizontalGap(other, box);
      if (gap < nearest.second) nearest = {&other, gap};
    }
    return nearest;
  };
  std::vector<Building> building;
  for (const int index : order) {
    const Rect& box = w[index].box;
    int best = -1;
    double bestGap = 0, bestOverlap = 0;
    const bool tall = box.height > 3 * typical;
    if (!tall) {
      for (std::size_t l = building.size(); l-- > 0 && l + 8 >= building.size();) {
        if (building[l].closed) continue;
        // A line of specks only takes a word that lies half inside it: a speck must not gather
        // the words around it into a line of their own.
        const auto [band, gap] = nearestBand(building[l], box);
        const double overlap = verticalOverlap(*band, box) /
                               std::max(1.0, building[l].ordinary ? std::min(box.height, band->height) : box.height);
        // Of the lines the word is level with, the one it continues: the nearest across the page
        // (a sloping line's far end can be level with the next line's start), then the most level.
        if (overlap >= 0.5 && (best < 0 || gap < bestGap || (gap == bestGap && overlap > bestOverlap))) {
          best = static_cast<int>(l);
          bestGap = gap;
          bestOverlap = overlap;
        }
      }
    }
    if (best < 0) {
      building.push_back({box, box, ordinaryHeight(box), {index}, tall});
    } else {
      Building& line = building[static_cast<std::size_t>(best)];
      line.box = line.box.united(box);
      line.words.push_back(index);
      if (ordinaryHeight(box)) {
        line.band = line.ordinary ? line.band.united(box) : box;
        line.ordinary = true;
      } else if (!line.ordinary) {
        line.band = line.box;
      }
    }
  }
  std::sort(building.begin(), building.end(), [](const Building& a, const Building& b) { return a.box.y < b.box.y; });

  for (Building& b : building) {
    std::sort(b.words.begin(), b.words.end(), [&](int x, int y) { return w[x].box.x < w[y].box.x; });
    std::vector<double> lineHeights;
    for (const int index : b.words) lineHeights.push_back(w[index].box.height);
    Line line;
    line.box = b.box;
    line.height = std::max(1.0, median(lineHeights));
    const int lineIndex = static_cast<int>(layout.lines.size());

    Segment current;
    auto flush = [&] {
      if (current.words.empty()) return;
      current.line = lineIndex;
      line.segments.push_back(static_cast<int>(layout.segments.size()));
      layout.segments.push_back(std::move(current));
      current = Segment{};
    };
    for (const int index : b.words) {
      const Word& word = w[index];
      if (!current.words.empty() &&
          word.box.x - current.box.right() > kSegmentGapInLineHeights * line.height) {
        flush();
      }
      if (!current.words.empty()) {
        current.text += ' ';
        current.charWord.push_back(-1);
        current.charInWord.push_back(0);
      }
      const int slot = static_cast<int>(current.words.size());
      current.words.push_back(index);
      for (std::size_t c = 0; c < word.text.size(); ++c) {
        current.text += word.text[c];
        current.charWord.push_back(slot);
        current.charInWord.push_back(static_cast<int>(c));
      }
      current.box = current.box.united(word.box);
    }
    flush();
    layout.lines.push_back(std::move(line));
  }
  return layout;
}

Rect charactersBox(const Word& word, std::size_t first, std::size_t last) {
  const double n = static_cast<double>(std::max<std::size_t>(1, word.text.size()));
  return {word.box.x + word.box.width * static_cast<double>(first) / n, word.box.y,
          word.box.width * static_cast<double>(last - first) / n, word.box.height};
}

Rect spanBox(const Layout& layout, const Segment& segment, std::size_t begin, std::size_t end) {
  Rect box;
  end = std::min(end, segment.text.size());
  for (std::size_t i = begin; i < end;) {
    const int slot = segment.charWord[i];
    if (slot < 0) {
      ++i;
      continue;
    }
    const Word& word = layout.words[static_cast<std::size_t>(segment.words[static_cast<std::size_t>(slot)])];
    std::size_t j = i;
    while (j < end && segment.charWord[j] == slot) ++j;
    box = box.united(charactersBox(word, static_cast<std::size_t>(segment.charInWord[i]),
                                   static_cast<std::size_t>(segment.charInWord[j - 1]) + 1));
    i = j;
  }
  return box;
}

double spanConfidence(const Layout& layout, const Segment& segment, std::size_t begin, std::size_t end) {
  double lowest = 1.0;
  end = std::min(end, segment.text.size());
  for (std::size_t i = begin; i < end; ++i) {
    const int slot = segment.charWord[i];
    if (slot >= 0) {
      lowest = std::min(lowest, layout.words[static_cast<std::size_t>(segment.words[static_cast<std::size_t>(slot)])].confidence);
    }
  }
  return lowest;
}

}  // namespace noticescan::extract
