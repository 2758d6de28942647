#pragma once
// Test helper: lays out text as words with plausible boxes (10 px per character, 20 px high), the
// way OCR or a PDF text layer would return them.

#include <sstream>
#include <string>
#include <vector>

#include "noticescan/Types.h"

namespace testing_words {

struct Text {
  double x;
  double y;
  std::string text;
  double confidence = 0.95;
};

inline std::vector<noticescan::Word> layOut(const std::vector<Text>& texts) {
  std::vector<noticescan::Word> words;
  for (const Text& t : texts) {
    double x = t.x;
    std::istringstream in(t.text);
    for (std::string w; in >> w;) {
      // Spaces inside a text become word gaps of one character.
      words.push_back({w, {x, t.y, 10.0 * static_cast<double>(w.size()), 20}, t.confidence});
      x += 10.0 * static_cast<double>(w.size() + 1);
    }
  }
  return words;
}

}  // namespace testing_words
