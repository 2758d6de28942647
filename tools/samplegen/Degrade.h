#pragma once
// Imperfections of real scans, applied to a clean 8-bit gray page render.

#include <opencv2/core.hpp>

#include "Rng.h"

namespace samplegen {

/// A flatbed scan: off-white paper, slight optical blur, sensor noise, uneven exposure.
cv::Mat scanLook(const cv::Mat& clean, Rng& rng, double strength = 1.0);
/// What scanner software's "background cleanup" does: light paper becomes pure white.
cv::Mat whitenBackground(const cv::Mat& scan, int threshold = 200);
/// Black-and-white scan mode: a fixed threshold, as office scanners and fax machines do.
cv::Mat binarise(const cv::Mat& scan, int threshold = 150);
/// Rotates by `degrees` counter-clockwise into a larger canvas filled like a scanner lid.
cv::Mat skew(const cv::Mat& page, double degrees, Rng& rng);
/// Rotates by a multiple of 90 degrees clockwise.
cv::Mat quarterTurn(const cv::Mat& page, int clockwise);
/// Encodes as JPEG of the given quality; optionally with an EXIF orientation tag (1..8).
std::vector<unsigned char> encodeJpeg(const cv::Mat& image, int quality, int exifOrientation = 0);

}  // namespace samplegen
