#pragma once
// How readable a prepared page is: the figures behind the low_sharpness and low_contrast warnings.

#include <opencv2/core.hpp>

namespace noticescan::page {

/// Below this sharpness a photo is too blurred to trust (measured: blurred phone photos score
/// 0.28-0.44, every scan in the corpus 0.55 or more).
inline constexpr double kLowSharpness = 0.45;
/// Below this contrast the page is too faded or dark (clean sparse pages score 0.39 and up).
inline constexpr double kLowContrast = 0.2;
/// A found page covering less of the photo than this is too far away to read well.
inline constexpr double kSmallPageShare = 0.25;

struct PageQuality {
  double sharpness = 0;  ///< 0..1: edge steepness relative to contrast; crisp print scores near 1
  double contrast = 0;   ///< 0..1: spread between paper and ink gray levels
};

/// The gray level below which a share `q` (0..1) of the pixels of an 8-bit image (or region of one)
/// lies: the element at floor(q * (n - 1)) of its sorted pixels, from a histogram.
double grayPercentile(const cv::Mat& gray, double q);

/// Measures an 8-bit gray page (after flattening and lighting correction).
PageQuality measureQuality(const cv::Mat& gray);

}  // namespace noticescan::page
