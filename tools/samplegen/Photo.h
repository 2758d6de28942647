#pragma once
// A phone photo of a printed page lying on a table: perspective, background texture, uneven
// light, a soft shadow, blur, sensor noise.

#include <opencv2/core.hpp>

#include "Rng.h"

namespace samplegen {

struct Photo {
  cv::Mat image;            ///< BGR, upright as the camera saw it
  cv::Matx33d pageToImage;  ///< page pixels -> photo pixels
};

/// Photographs `page` (BGR or gray, upright). `topHalfOnly` frames the upper part of the page
/// and lets the rest fall outside the picture.
Photo phonePhoto(const cv::Mat& page, Rng& rng, bool topHalfOnly);

/// A screenshot of a PDF viewer showing `page` (BGR): grey viewer background, a toolbar.
cv::Mat viewerScreenshot(const cv::Mat& page, Rng& rng, cv::Matx33d& pageToImage);

}  // namespace samplegen
