#include "noticescan/page/Quality.h"

#include <algorithm>

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

double percentile(const cv::Mat& values, double q) {
  std::vector<float> v(values.begin<float>(), values.end<float>());
  if (v.empty()) return 0;
  const auto k = static_cast<std::ptrdiff_t>(q * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[static_cast<std::size_t>(k)];
}

}  // namespace

PageQuality measureQuality(const cv::Mat& gray) {
  PageQuality q;
  const double scale = std::min(1.0, kMeasureLongSide / static_cast<double>(std::max(gray.cols, gray.rows)));
  cv::Mat small;
  cv::resize(gray, small, cv::Size(), scale, scale, cv::INTER_AREA);
  cv::Mat f;
  small.convertTo(f, CV_32F);
  const double dark = percentile(f, 0.01), light = percentile(f, 0.90);
  const double range = std::max(1.0, light - dark);
  q.contrast = std::clamp(range / 200.0, 0.0, 1.0);
  cv::Mat laplacian;
  cv::Laplacian(f, laplacian, CV_32F, 1);
  laplacian = cv::abs(laplacian);
  const double response = percentile(laplacian, 1.0 - kEdgeShare) / range;
  q.sharpness = std::clamp(response / kCrispResponse, 0.0, 1.0);
  return q;
}

}  // namespace noticescan::page
