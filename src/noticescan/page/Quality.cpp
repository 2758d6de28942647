#include "noticescan/page/Quality.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace noticescan::page {
namespace {

/// Quality is measured at one scale whatever the input, so figures compare across pages.
constexpr int kMeasureLongSide = 1650;
/// The steepest edges (as a share of pixels) that sharpness looks at: text strokes, not paper.
constexpr double kEdgeShare = 0.005;
/// Laplacian response per unit of contrast that crisp 300 dpi print reaches (measured on the
/// corpus's clean scans); sharpness is the page's response as a share of it.
constexpr double kCrispResponse = 1.6;

/// The value below which a share `q` of the counted values lies, from a histogram whose bin i
/// counts the value i. The same figure as sorting the values and taking the element at
/// floor(q * (n - 1)), without copying or reordering millions of pixels.
double percentile(const std::vector<std::uint32_t>& histogram, double q) {
  std::uint64_t n = 0;
  for (std::uint32_t c : histogram) n += c;
  if (n == 0) return 0;
  const auto k = static_cast<std::uint64_t>(q * static_cast<double>(n - 1));
  std::uint64_t seen = 0;
  for (std::size_t value = 0; value < histogram.size(); ++value) {
    seen += histogram[value];
    if (seen > k) return static_cast<double>(value);
  }
  return static_cast<double>(histogram.size() - 1);
}

/// How many pixels of an 8-bit image have each gray level.
std::vector<std::uint32_t> grayHistogram(const cv::Mat& gray) {
  CV_Assert(gray.type() == CV_8UC1);
  std::vector<std::uint32_t> levels(256, 0);
  for (int y = 0; y < gray.rows; ++y) {
    const std::uint8_t* row = gray.ptr<std::uint8_t>(y);
    for (int x = 0; x < gray.cols; ++x) ++levels[row[x]];
  }
  return levels;
}

}  // namespace

double grayPercentile(const cv::Mat& gray, double q) { return percentile(grayHistogram(gray), q); }

PageQuality measureQuality(const cv::Mat& gray) {
  CV_Assert(gray.type() == CV_8UC1);
  PageQuality q;
  const double scale = std::min(1.0, kMeasureLongSide / static_cast<double>(std::max(gray.cols, gray.rows)));
  cv::Mat small;
  cv::resize(gray, small, cv::Size(), scale, scale, cv::INTER_AREA);
  const std::vector<std::uint32_t> levels = grayHistogram(small);
  const double dark = percentile(levels, 0.01), light = percentile(levels, 0.90);
  const double range = std::max(1.0, light - dark);
  q.contrast = std::clamp(range / 200.0, 0.0, 1.0);
  // The 4-neighbour Laplacian of whole gray levels is a whole number of at most 4 * 255 in size, so
  // its percentile too comes exactly from a histogram.
  cv::Mat laplacian;
  cv::Laplacian(small, laplacian, CV_16S, 1);
  std::vector<std::uint32_t> responses(4 * 255 + 1, 0);
  for (int y = 0; y < laplacian.rows; ++y) {
    const std::int16_t* row = laplacian.ptr<std::int16_t>(y);
    for (int x = 0; x < laplacian.cols; ++x) ++responses[static_cast<std::size_t>(std::abs(row[x]))];
  }
  const double response = percentile(responses, 1.0 - kEdgeShare) / range;
  q.sharpness = std::clamp(response / kCrispResponse, 0.0, 1.0);
  return q;
}

}  // namespace noticescan::page
