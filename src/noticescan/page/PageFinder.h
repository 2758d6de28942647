#pragma once
// Finds the sheet of paper in a photo: its four corners, so that it can be warped flat.

#include <optional>

#include <opencv2/core.hpp>

#include "noticescan/Types.h"

namespace noticescan::page {

/// A page smaller than this share of the frame is not trusted as the page.
inline constexpr double kMinPageArea = 0.15;
/// A page covering more than this share of the frame is a scan: nothing to flatten.
inline constexpr double kMaxPageArea = 0.93;

struct FoundPage {
  Quad corners{};              ///< top-left, top-right, bottom-right, bottom-left, in image pixels
  double areaShare = 0;        ///< of the frame, 0..1
  bool cutByFrame = false;     ///< part of the page lies outside the picture
};

/// The paper's outline in a photo (BGR or gray), or nullopt when no page stands out from its
/// background, the page fills the frame, or no outline in view scores better than the frame itself
/// (a close-up whose sheet runs past the picture, perhaps with a shadow's edge across it).
std::optional<FoundPage> findPage(const cv::Mat& image);

/// Size of the flat page for a found outline, in pixels: the outline's edge lengths, scaled so the
/// page is between `minHeight` and `maxHeight` tall.
cv::Size flatSize(const Quad& corners, int minHeight = 2200, int maxHeight = 3300);

/// Evens out lighting and shadows: divides a gray page by an estimate of its blank paper.
cv::Mat evenOutLight(const cv::Mat& gray);


}  // namespace noticescan::page
