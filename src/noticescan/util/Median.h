#pragma once
// The median of a handful of measurements (word heights, glyph widths).

#include <algorithm>
#include <cstddef>
#include <vector>

namespace noticescan::util {

/// The middle value of `values` (the upper of the two middle ones when their number is even); 0
/// when there are none. Takes a copy: the caller's order is kept.
template <typename T>
T median(std::vector<T> values) {
  if (values.empty()) return T{};
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

}  // namespace noticescan::util
