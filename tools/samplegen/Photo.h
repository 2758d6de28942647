#pragma once
// A phone photo of a printed page lying on a table: perspective, background texture, uneven
// light, a soft shadow, blur, sensor noise.

#include <string>
#include <opencv2/core.hpp>

#include "Rng.h"

namespace samplegen {

struct Photo {
  cv::Mat image;            ///< BGR, upright as the camera saw it
  cv::Matx33d pageToImage;  ///< page pixels -> photo pixels
  /// The blur drawn, for the truth file (to measure by kind): "defocus" (sigma), "shake" (length
  /// in photo pixels, angle in degrees from the x axis towards +y) or "slight".
  std::string blurKind;
  double blurSigma = 0, shakeLength = 0, shakeAngleDeg = 0;
};

/// Which of a photo's difficulties may be drawn (all of them in the corpus; a sample that tests
/// one thing leaves out the others).
struct PhotoOptions {
  bool topHalfOnly = false;   ///< frame the upper part of the page, the rest outside the picture
  bool heavyBlur = true;      ///< defocus and hand-shake blur (else only the lens's slight softness)
  bool paleTable = true;      ///< a white table, barely darker than the paper
};

/// Photographs `page` (BGR or gray, upright).
Photo phonePhoto(const cv::Mat& page, Rng& rng, const PhotoOptions& options);

/// A screenshot of a PDF viewer showing `page` (BGR): grey viewer background, a toolbar.
cv::Mat viewerScreenshot(const cv::Mat& page, Rng& rng, cv::Matx33d& pageToImage);

}  // namespace samplegen
