#pragma once
// Hand shake: a photo taken while the phone moved smears every stroke along one straight line.
// Such a smear is measurable and, once measured, largely reversible, unlike defocus.

#include <optional>

#include <opencv2/core.hpp>

namespace noticescan::page {

/// A straight-line smear of the whole picture.
struct Shake {
  double angleDegrees = 0;  ///< direction of the smear, from +x towards +y, in [0, 180)
  double length = 0;        ///< in pixels of the image measured
  /// How far below its neighbours (in log power) the spectrum lies along the smear's first zero
  /// line: the median over that line's points.
  double strength = 0;
};

/// Smears shorter than this many pixels blur no more than a slight defocus does; a best length at
/// this, the search's shortest, is the search's edge and not taken.
inline constexpr double kMinShakeLength = 5.0;
/// Below this strength the spectrum shows no smear's mark. Measured on phone photos (tuning
/// corpus, seed 2, 120 photos): shaken ones 1.26-3.1 (two of 35, smeared 5 and 8 pixels, at 0.77),
/// defocused or sharp ones at most 0.94.
inline constexpr double kMinShakeStrength = 1.2;

/// Measures a hand shake on an 8-bit gray image of print. A straight smear of L pixels multiplies
/// the image's spectrum by a sinc whose zeros are straight lines across it, 1/L apart and square
/// to the smear; the direction and length whose first zero line lies darkest below its
/// neighbours, in the mean power spectrum of the image's busiest tiles, is the smear. Defocus
/// makes no such line. nullopt when there is no clear smear.
std::optional<Shake> findShake(const cv::Mat& gray);

/// Undoes `shake` on an 8-bit gray page by Wiener deconvolution with a straight-line kernel; the
/// result is 8-bit and the same size.
cv::Mat removeShake(const cv::Mat& gray, const Shake& shake);

}  // namespace noticescan::page
