#include "noticescan/page/PageFinder.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace noticescan::page {
namespace {

/// The page is searched for on a copy this long: corners land within a few pixels of a 12 MP frame.
constexpr int kSearchLongSide = 800;

double distance(const Point& a, const Point& b) { return std::hypot(a.x - b.x, a.y - b.y); }

/// Orders four points clockwise from the top-left (smallest x + y).
Quad orderCorners(std::vector<cv::Point2f> points) {
  cv::Point2f centre(0, 0);
  for (const auto& p : points) centre += p;
  centre *= 0.25f;
  std::sort(points.begin(), points.end(), [&](const cv::Point2f& a, const cv::Point2f& b) {
    return std::atan2(a.y - centre.y, a.x - centre.x) < std::atan2(b.y - centre.y, b.x - centre.x);
  });
  // atan2 order runs clockwise on screen starting from the left; rotate so top-left comes first.
  std::size_t first = 0;
  for (std::size_t i = 1; i < 4; ++i) {
    if (points[i].x + points[i].y < points[first].x + points[first].y) first = i;
  }
  Quad quad;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& p = points[(first + i) % 4];
    quad[i] = {p.x, p.y};
  }
  return quad;
}

/// Four corners of a convex outline: simplify until four points remain, else the four hull points
/// that span the largest quadrilateral.
std::optional<std::vector<cv::Point2f>> fourCorners(const std::vector<cv::Point>& hull) {
  const double perimeter = cv::arcLength(hull, true);
  for (double eps = 0.01; eps <= 0.08; eps += 0.005) {
    std::vector<cv::Point> approx;
    cv::approxPolyDP(hull, approx, eps * perimeter, true);
    if (approx.size() == 4 && cv::isContourConvex(approx)) {
      return std::vector<cv::Point2f>(approx.begin(), approx.end());
    }
    if (approx.size() < 4) break;
  }
  if (hull.size() < 4) return std::nullopt;
  // Largest-area quadrilateral on the hull (hulls here have few points after simplification).
  std::vector<cv::Point> simple;
  cv::approxPolyDP(hull, simple, 0.005 * perimeter, true);
  if (simple.size() < 4 || simple.size() > 40) return std::nullopt;
  double best = 0;
  std::vector<cv::Point2f> out;
  const std::size_t n = simple.size();
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = a + 1; b < n; ++b)
      for (std::size_t c = b + 1; c < n; ++c)
        for (std::size_t d = c + 1; d < n; ++d) {
          const std::vector<cv::Point> q = {simple[a], simple[b], simple[c], simple[d]};
          const double area = cv::contourArea(q);
          if (area > best) {
            best = area;
            out = {simple[a], simple[b], simple[c], simple[d]};
          }
        }
  return out;
}

}  // namespace

std::optional<FoundPage> findPage(const cv::Mat& image) {
  const double scale = std::min(1.0, kSearchLongSide / static_cast<double>(std::max(image.cols, image.rows)));
  cv::Mat small;
  cv::resize(image, small, cv::Size(), scale, scale, cv::INTER_AREA);

  // Paper is bright and colourless; tables, cloth and wood are darker or coloured.
  cv::Mat score;
  if (small.channels() == 3) {
    cv::Mat hsv;
    cv::cvtColor(small, hsv, cv::COLOR_BGR2HSV);
    std::vector<cv::Mat> hsvPlanes;
    cv::split(hsv, hsvPlanes);
    cv::Mat value, saturation;
    hsvPlanes[2].convertTo(value, CV_32F);
    hsvPlanes[1].convertTo(saturation, CV_32F);
    score = value - saturation;
  } else {
    small.convertTo(score, CV_32F);
  }
  cv::normalize(score, score, 0, 255, cv::NORM_MINMAX);
  score.convertTo(score, CV_8U);
  cv::GaussianBlur(score, score, cv::Size(5, 5), 0);
  cv::Mat mask;
  cv::threshold(score, mask, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  // Close the holes that text makes in the paper, then drop specks of the background.
  const int k = std::max(5, kSearchLongSide / 40);
  cv::morphologyEx(mask, mask, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(k, k)));
  cv::morphologyEx(mask, mask, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(k / 2, k / 2)));

  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  if (contours.empty()) return std::nullopt;
  const auto largest = std::max_element(contours.begin(), contours.end(), [](const auto& a, const auto& b) {
    return cv::contourArea(a) < cv::contourArea(b);
  });
  const double frameArea = static_cast<double>(small.cols) * small.rows;
  std::vector<cv::Point> hull;
  cv::convexHull(*largest, hull);
  const double share = cv::contourArea(hull) / frameArea;
  if (share < kMinPageArea || share > kMaxPageArea) return std::nullopt;
  const auto corners = fourCorners(hull);
  if (!corners) return std::nullopt;

  FoundPage page;
  page.areaShare = share;
  page.corners = orderCorners(*corners);
  const double margin = 3;
  for (Point& p : page.corners) {
    page.cutByFrame = page.cutByFrame || p.x < margin || p.y < margin || p.x > small.cols - 1 - margin ||
                      p.y > small.rows - 1 - margin;
    p = {p.x / scale, p.y / scale};
  }
  // A sliver is not a page: every side must be a real fraction of the frame.
  const double minSide = 0.2 * std::min(image.cols, image.rows);
  for (std::size_t i = 0; i < 4; ++i) {
    if (distance(page.corners[i], page.corners[(i + 1) % 4]) < minSide) return std::nullopt;
  }
  return page;
}

cv::Size flatSize(const Quad& c, int minHeight, int maxHeight) {
  const double width = std::max(distance(c[0], c[1]), distance(c[3], c[2]));
  const double height = std::max(distance(c[0], c[3]), distance(c[1], c[2]));
  const double scale = std::clamp(height, static_cast<double>(minHeight), static_cast<double>(maxHeight)) / height;
  return {static_cast<int>(std::lround(width * scale)), static_cast<int>(std::lround(height * scale))};
}

cv::Mat evenOutLight(const cv::Mat& gray) {
  // The blank paper, estimated on a small copy: a max filter wipes out the text (dark on light),
  // a blur smooths what is left. Dividing by it flattens light and shadow alike.
  const double scale = 0.125;
  cv::Mat small, paper;
  cv::resize(gray, small, cv::Size(), scale, scale, cv::INTER_AREA);
  cv::dilate(small, paper, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(9, 9)));
  cv::GaussianBlur(paper, paper, cv::Size(0, 0), 6);
  cv::resize(paper, paper, gray.size(), 0, 0, cv::INTER_LINEAR);
  cv::Mat out;
  cv::divide(gray, paper, out, 245.0, CV_8U);
  return out;
}

}  // namespace noticescan::page
