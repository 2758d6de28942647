#include "noticescan/page/Shake.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace noticescan::page {
namespace {

/// The smear is measured on the image's busiest squares of this many pixels (print, not margins).
constexpr int kTileSide = 256;
constexpr int kMaxTiles = 12;
/// The longest smear looked for, in pixels: a shaken 12 MP phone photo smears over 5-15.
constexpr int kMaxShakeLength = 30;
/// The directions and lengths tried.
constexpr double kCoarseAngleStep = 4.0;
constexpr double kCoarseLengthStep = 0.5;
constexpr double kAngleStep = 1.0;
constexpr double kLengthStep = 0.25;
/// Frequencies beyond this many cycles per pixel are mostly grain in a photo of print.
constexpr double kMaxFrequency = 0.35;
/// How far either side of the zero line its neighbours are taken, as a share of the line's
/// distance from the origin.
constexpr double kNeighbour = 0.3;
/// Frequencies beyond this are taken as grain alone.
constexpr double kGrainFrequency = 0.42;
/// A zero line's neighbours must stand this far (in log power) above the grain to count.
constexpr double kAboveGrain = 1.5;
/// A zero line is judged on at least this many of its points.
constexpr std::size_t kMinLinePoints = 12;
/// Wiener deconvolution: the noise-to-signal power ratio that keeps the kernel's zeros from
/// amplifying the photo's grain.
constexpr double kNoiseToSignal = 0.01;
/// removeShake computes the sine afresh every this many columns of the spectrum.
constexpr int kSineRestart = 64;

double radians(double degrees) { return degrees * CV_PI / 180.0; }

/// The image's busiest tiles (most gradient energy), as float images of their gray levels.
std::vector<cv::Mat> busiestTiles(const cv::Mat& gray) {
  struct Scored {
    double energy;
    cv::Rect rect;
  };
  std::vector<Scored> scored;
  cv::Mat gx, gy, small;
  // Scores come from a copy a quarter the size: only which tiles hold text matters.
  cv::resize(gray, small, cv::Size(), 0.25, 0.25, cv::INTER_AREA);
  cv::Sobel(small, gx, CV_32F, 1, 0, 3);
  cv::Sobel(small, gy, CV_32F, 0, 1, 3);
  cv::Mat energy = gx.mul(gx) + gy.mul(gy);
  const int step = kTileSide / 4;
  for (int y = 0; y + step <= small.rows; y += step) {
    for (int x = 0; x + step <= small.cols; x += step) {
      scored.push_back({cv::sum(energy(cv::Rect(x, y, step, step)))[0], cv::Rect(x * 4, y * 4, kTileSide, kTileSide)});
    }
  }
  std::sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) { return a.energy > b.energy; });
  std::vector<cv::Mat> tiles;
  for (const Scored& s : scored) {
    if (static_cast<int>(tiles.size()) == kMaxTiles) break;
    const cv::Rect inside = s.rect & cv::Rect(0, 0, gray.cols, gray.rows);
    if (inside.width < kTileSide || inside.height < kTileSide) continue;
    cv::Mat tile;
    gray(inside).convertTo(tile, CV_32F, 1.0 / 255.0);
    tiles.push_back(tile);
  }
  return tiles;
}

/// The tiles' mean power spectrum, in log, the zero frequency at (0, 0): each tile less its mean
/// and tapered to its edges by a Hann window, so that the tile's border adds no stripes.
cv::Mat logPowerSpectrum(const std::vector<cv::Mat>& tiles) {
  cv::Mat window, sum;
  cv::createHanningWindow(window, cv::Size(kTileSide, kTileSide), CV_32F);
  for (const cv::Mat& tile : tiles) {
    cv::Mat centred = (tile - cv::mean(tile)[0]).mul(window), spectrum;
    cv::dft(centred, spectrum, cv::DFT_COMPLEX_OUTPUT);
    std::vector<cv::Mat> parts;
    cv::split(spectrum, parts);
    cv::Mat power = parts[0].mul(parts[0]) + parts[1].mul(parts[1]);
    if (sum.empty()) sum = power; else sum += power;
  }
  cv::Mat out;
  cv::log(sum / static_cast<double>(tiles.size()) + 1e-6, out);
  return out;
}

/// A spectrum with its periodic extension around it (half its size on every side), so that it can
/// be read at frequencies either side of zero without wrapping each index: the search reads it
/// about a million times per photo.
class WrappedSpectrum {
 public:
  explicit WrappedSpectrum(const cv::Mat& spectrum)
      : cols_(spectrum.cols), rows_(spectrum.rows), marginX_(spectrum.cols / 2 + 2), marginY_(spectrum.rows / 2 + 2) {
    cv::copyMakeBorder(spectrum, padded_, marginY_, marginY_, marginX_, marginX_, cv::BORDER_WRAP);
  }

  int cols() const { return cols_; }

  /// The value at frequency (fx, fy) in cycles per pixel (each within +/- 0.5), by bilinear
  /// interpolation.
  double at(double fx, double fy) const {
    const double x = fx * cols_, y = fy * rows_;
    const int x0 = static_cast<int>(std::floor(x)), y0 = static_cast<int>(std::floor(y));
    CV_Assert(x0 >= -marginX_ && x0 + 1 < cols_ + marginX_ && y0 >= -marginY_ && y0 + 1 < rows_ + marginY_);
    const double ax = x - x0, ay = y - y0;
    const float* top = padded_.ptr<float>(y0 + marginY_) + x0 + marginX_;
    const float* bottom = padded_.ptr<float>(y0 + 1 + marginY_) + x0 + marginX_;
    return (1 - ay) * ((1 - ax) * top[0] + ax * top[1]) + ay * ((1 - ax) * bottom[0] + ax * bottom[1]);
  }

 private:
  int cols_, rows_, marginX_, marginY_;
  cv::Mat padded_;
};

/// The log power of the photo's grain: the median over the highest frequencies, where print has
/// little left.
double grainLevel(const cv::Mat& spectrum) {
  std::vector<float> high;
  for (int y = 0; y < spectrum.rows; ++y) {
    for (int x = 0; x < spectrum.cols; ++x) {
      const double fx = std::min(x, spectrum.cols - x) / static_cast<double>(spectrum.cols);
      const double fy = std::min(y, spectrum.rows - y) / static_cast<double>(spectrum.rows);
      if (fx * fx + fy * fy >= kGrainFrequency * kGrainFrequency) high.push_back(spectrum.at<float>(y, x));
    }
  }
  std::nth_element(high.begin(), high.begin() + static_cast<std::ptrdiff_t>(high.size() / 2), high.end());
  return high[high.size() / 2];
}

/// How far below its neighbours the log power lies on the line of frequencies where a smear of
/// `length` along (c, s) has its first zero (a straight smear's response is a sinc of the
/// frequency's component along it, zero at 1 / length): at each point of that line within the band
/// |f| < kMaxFrequency, (mean of the two points kNeighbour / length either side) - (the point); the
/// median of those dips, where the print is strong enough to show a zero, weighed by the square
/// root of the share of the line's points that are. A straight dark line is the smear's mark, and
/// it runs along the print's spectrum (the smear leaves the print's power along its zero lines and
/// takes it off across them), so most of its points show. A line that only crosses that bright
/// band, where it dips a little at the few points inside it (a page grid and security paper's
/// pattern make such crossings), or touches the edge of a blurred page's round spectrum, has few
/// points that show; grain has no line. (Taking the median over the whole line, a point that
/// does not show counting as no dip, lost long smears, whose zero line runs out beyond the
/// frequencies print reaches: a 16-pixel smear went unfound.)
double smearEvidence(const WrappedSpectrum& spectrum, double floor, double degrees, double length) {
  const double c = std::cos(radians(degrees)), s = std::sin(radians(degrees));
  const double t = 1 / length, d = kNeighbour / length;
  std::vector<double> dips;
  std::size_t total = 0;  // the line's points within the band
  const double step = 1.0 / spectrum.cols();
  for (double u = -kMaxFrequency; u <= kMaxFrequency; u += step) {
    const auto point = [&](double along) { return spectrum.at(along * c - u * s, along * s + u * c); };
    if ((t + d) * (t + d) + u * u > kMaxFrequency * kMaxFrequency) continue;
    const double inner = point(t - d), outer = point(t + d);
    ++total;
    // Only where the print is stronger than the grain can a zero show.
    if (std::min(inner, outer) < floor + kAboveGrain) continue;
    dips.push_back(0.5 * (inner + outer) - point(t));
  }
  if (dips.size() < kMinLinePoints) return 0;
  std::nth_element(dips.begin(), dips.begin() + static_cast<std::ptrdiff_t>(dips.size() / 2), dips.end());
  return dips[dips.size() / 2] * std::sqrt(static_cast<double>(dips.size()) / static_cast<double>(total));
}

/// The Wiener filter H / (H^2 + k) for a smear's response H = sin(phase) / phase, given the sine.
/// A straight smear of length L along (c, s) responds to the frequency (fx, fy), in cycles per
/// pixel, with the sinc of phase pi L (fx c + fy s).
float wienerGain(double phase, double sine) {
  const double h = std::abs(phase) < 1e-9 ? 1.0 : sine / phase;
  return static_cast<float>(h / (h * h + kNoiseToSignal));
}

}  // namespace

std::optional<Shake> findShake(const cv::Mat& gray) {
  CV_Assert(gray.type() == CV_8UC1);
  const std::vector<cv::Mat> tiles = busiestTiles(gray);
  if (tiles.empty()) return std::nullopt;
  const cv::Mat logPower = logPowerSpectrum(tiles);
  const double floor = grainLevel(logPower);
  const WrappedSpectrum spectrum(logPower);
  Shake shake;
  double best = 0;
  const auto search = [&](double fromAngle, double toAngle, double angleStep, double fromLength, double toLength,
                          double lengthStep) {
    for (double a = fromAngle; a <= toAngle + 1e-9; a += angleStep) {
      for (double length = std::max(kMinShakeLength, fromLength); length <= std::min<double>(kMaxShakeLength, toLength) + 1e-9;
           length += lengthStep) {
        const double evidence = smearEvidence(spectrum, floor, a, length);
        if (evidence > best) {
          best = evidence;
          shake.angleDegrees = a;
          shake.length = length;
        }
      }
    }
  };
  // Coarsely over every direction and length, then finely around the best.
  search(0, 180 - kCoarseAngleStep, kCoarseAngleStep, kMinShakeLength, kMaxShakeLength, kCoarseLengthStep);
  const double angle = shake.angleDegrees, length = shake.length;
  search(angle - kCoarseAngleStep, angle + kCoarseAngleStep, kAngleStep, length - kCoarseLengthStep,
         length + kCoarseLengthStep, kLengthStep);
  shake.angleDegrees = std::fmod(shake.angleDegrees + 180.0, 180.0);
  shake.strength = best;
  // A best length at the shortest tried is the edge of the search, not a smear's own mark.
  if (shake.strength < kMinShakeStrength || shake.length <= kMinShakeLength) return std::nullopt;
  return shake;
}

cv::Mat removeShake(const cv::Mat& gray, const Shake& shake) {
  CV_Assert(gray.type() == CV_8UC1);
  // A replicated margin wider than the smear keeps the page's edges from wrapping round.
  const int margin = static_cast<int>(std::ceil(shake.length)) + 8;
  // One replicated border gives both the margin and the padding to a size the transform is quick
  // at (replicating a replicated edge repeats the same pixels). Isolated: `gray` is often a part
  // of a larger picture, whose pixels beyond it OpenCV would otherwise take for the border.
  const int rows = cv::getOptimalDFTSize(gray.rows + 2 * margin), cols = cv::getOptimalDFTSize(gray.cols + 2 * margin);
  cv::Mat bordered, padded;
  cv::copyMakeBorder(gray, bordered, margin, rows - gray.rows - margin, margin, cols - gray.cols - margin,
                     cv::BORDER_REPLICATE | cv::BORDER_ISOLATED);
  bordered.convertTo(padded, CV_32F);
  // The real transform's packed layout (OpenCV's CCS) holds half the plane.
  cv::Mat spectrum;
  cv::dft(padded, spectrum);
  // The smear is symmetric about its middle, so its response H is real and even, and so is the
  // Wiener filter H / (H^2 + k): each frequency's real and imaginary parts are scaled alike.
  const double c = std::cos(radians(shake.angleDegrees)), s = std::sin(radians(shake.angleDegrees));
  // The sinc's phase (wienerGain) at row y of the spectrum (its frequency down, folded) and column
  // x: the row's share plus the same step per column.
  const double phaseStep = CV_PI * shake.length * c / cols;
  const auto rowPhase = [&](int y) {
    return CV_PI * shake.length * s * ((y <= rows / 2 ? y : y - rows) / static_cast<double>(rows));
  };
  const auto gain = [&](int y, int x) {
    const double phase = rowPhase(y) + phaseStep * x;
    return wienerGain(phase, std::sin(phase));
  };
  // Columns 1 .. (cols - 1) / 2: a (real, imaginary) pair per frequency on every row. Along a row
  // the sinc's phase grows by the same step per column, so its sine is carried forward by
  // rotation (exact sines every kSineRestart columns keep the rounding from piling up) instead of
  // a sine per frequency: with the passes saved above, that was nearly all of this function's time
  // besides the two transforms.
  const double stepCos = std::cos(phaseStep), stepSin = std::sin(phaseStep);
  for (int y = 0; y < rows; ++y) {
    auto* row = spectrum.ptr<float>(y);
    const double phaseOfRow = rowPhase(y);
    double sine = 0, cosine = 1;
    for (int x = 1; 2 * x < cols; ++x) {
      const double phase = phaseOfRow + phaseStep * x;
      if ((x - 1) % kSineRestart == 0) {
        sine = std::sin(phase);
        cosine = std::cos(phase);
      } else {
        const double next = sine * stepCos + cosine * stepSin;
        cosine = cosine * stepCos - sine * stepSin;
        sine = next;
      }
      const float g = wienerGain(phase, sine);
      row[2 * x - 1] *= g;
      row[2 * x] *= g;
    }
  }
  // The first column (frequency 0 across) and, for an even width, the last (frequency 1/2): their
  // frequencies down the plane packed the same way down the column.
  std::vector<std::pair<int, int>> packed = {{0, 0}};
  if (cols % 2 == 0) packed.emplace_back(cols - 1, cols / 2);
  for (const auto& [column, x] : packed) {
    spectrum.at<float>(0, column) *= gain(0, x);
    for (int y = 1; 2 * y < rows; ++y) {
      const float g = gain(y, x);
      spectrum.at<float>(2 * y - 1, column) *= g;
      spectrum.at<float>(2 * y, column) *= g;
    }
    if (rows % 2 == 0) spectrum.at<float>(rows - 1, column) *= gain(rows / 2, x);
  }
  cv::Mat restored;
  cv::idft(spectrum, restored, cv::DFT_SCALE | cv::DFT_REAL_OUTPUT);
  cv::Mat out;
  restored(cv::Rect(margin, margin, gray.cols, gray.rows)).convertTo(out, CV_8U);
  return out;
}

}  // namespace noticescan::page
