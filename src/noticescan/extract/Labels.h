#pragma once
// Fuzzy label anchoring: find the printed labels (models/labels.json) in a layout, tolerating OCR
// misspellings, and measure how well a label governs a value's position.

#include <optional>
#include <vector>

#include "noticescan/extract/Layout.h"
#include "noticescan/extract/Models.h"

namespace noticescan::extract {

struct LabelHit {
  const LabelEntry* entry = nullptr;
  int segment = 0;          ///< index into Layout::segments
  std::size_t begin = 0;    ///< byte span in the segment's text
  std::size_t end = 0;
  Rect box;
  int edits = 0;            ///< edit distance of the match
};

/// Edits allowed when matching a label text of `length` characters.
int allowedEdits(std::size_t length);
/// Levenshtein distance, giving up (returning limit + 1) once it exceeds `limit`. A digit in place
/// of the lower-case letter OCR confuses it with (0/o, 1/i, 1/l, 5/s, 8/b) is no edit.
int editDistance(std::string_view a, std::string_view b, int limit);

/// All label occurrences, longest variant first where they overlap.
std::vector<LabelHit> findLabels(const Layout& layout, const Models& models);

/// How far a value at `valueBox` in `valueSegment` is from `label`, in line heights, when the
/// layout puts it where a label's value goes: after it in the same segment, to its right on the
/// same line, or below it in the same column within a few lines. nullopt when it is not.
std::optional<double> labelDistance(const Layout& layout, const LabelHit& label, int valueSegment,
                                    std::size_t valueBegin, const Rect& valueBox);

}  // namespace noticescan::extract
