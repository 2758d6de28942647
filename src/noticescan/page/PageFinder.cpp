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

namespace {

/// Local normalisation window for the second mask, in search-copy pixels.
constexpr int kNearbyWindow = 201;
/// The brightest-nearby surface is blurred on a copy this many times smaller.
constexpr int kNearbyReduce = 2;
/// Contrast across a page edge (paper brighter inside, on the 0-255 score) that counts as full
/// support; an edge of the opposite polarity counts against.
constexpr double kFullEdgeContrast = 30.0;
/// How much a larger outline is preferred: support (-1..1) plus this times the frame share.
constexpr double kAreaPreference = 0.3;
/// A side that runs along the picture's border (the page is cut there) cannot be seen: it counts
/// as this much support.
constexpr double kFrameSideSupport = 0.3;
/// Print is a dark mark thinner than kPrintWindow search-copy pixels (letters and rules are a few
/// pixels there) that is darker than its surroundings, closed over it, by at least this share: a
/// closing leaves a step between two surfaces as it is, so the edge of a dark table, a screen's
/// frame or a shadow is not print.
constexpr double kPrintContrast = 0.25;
constexpr int kPrintWindow = 7;
/// Print found just beyond a side (from kBeyondStart to kBeyondStart + kBeyondDepth search-copy
/// pixels outside it) means the side runs across the page, not along its edge: a fold's or a
/// shadow's line. The first pixels are skipped: a side may sit a few pixels off its edge.
constexpr int kBeyondStart = 10;
constexpr int kBeyondDepth = 30;
/// An outline loses this much score per unit of its perimeter with print beyond it, beyond the
/// first kPrintBeyondAllowance of each side. A side with print beyond all along then costs more
/// than its best support can bring; a few specks beyond a true edge (a screen's buttons, a crumb on
/// the table) cost nothing. Measured on the corpora's 243 JPEG and WebP photos (docs/EVALUATION.md).
constexpr double kPrintBeyondPenalty = 3.0;
constexpr double kPrintBeyondAllowance = 0.1;

/// The largest bright region of a paper-likeness map as a convex outline, or nothing. `share`
/// receives the region's share of the frame (0 when there is none).
std::optional<std::vector<cv::Point2f>> maskOutline(const cv::Mat& score8, double frameArea, double& share) {
  share = 0;
  cv::Mat mask;
  cv::threshold(score8, mask, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
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
  std::vector<cv::Point> hull;
  cv::convexHull(*largest, hull);
  share = cv::contourArea(hull) / frameArea;
  if (share < kMinPageArea || share > kMaxPageArea) return std::nullopt;
  return fourCorners(hull);
}

cv::Mat to8bit(cv::Mat score) {
  cv::normalize(score, score, 0, 255, cv::NORM_MINMAX);
  cv::Mat out;
  score.convertTo(out, CV_8U);
  cv::GaussianBlur(out, out, cv::Size(5, 5), 0);
  return out;
}

/// The unit normal of the side a->b (length > 0) that points towards `centre`, into the outline.
cv::Point2f inwardNormal(cv::Point2f a, cv::Point2f b, cv::Point2f centre) {
  const cv::Point2f along = b - a;
  const float length = std::hypot(along.x, along.y);
  const cv::Point2f normal(-along.y / length, along.x / length);
  return normal.dot(centre - a) < 0 ? -normal : normal;
}

/// The mean of `perSide(a, b, centre)` over an outline's sides a->b, weighted by their lengths.
template <typename PerSide>
double overSides(const Quad& q, PerSide perSide) {
  cv::Point2f centre(0, 0);
  for (const Point& p : q) centre += cv::Point2f(static_cast<float>(p.x), static_cast<float>(p.y)) * 0.25f;
  double total = 0, perimeter = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const cv::Point2f a(static_cast<float>(q[i].x), static_cast<float>(q[i].y));
    const cv::Point2f b(static_cast<float>(q[(i + 1) % 4].x), static_cast<float>(q[(i + 1) % 4].y));
    const double length = std::hypot(b.x - a.x, b.y - a.y);
    total += length * perSide(a, b, centre);
    perimeter += length;
  }
  return perimeter > 0 ? total / perimeter : 0;
}

/// How well the side a->b of an outline sits on a paper edge: the mean contrast between just
/// inside and just outside, signed (paper brighter inside) and scaled to -1..1.
double sideSupport(const cv::Mat& image, cv::Point2f a, cv::Point2f b, cv::Point2f centre) {
  const cv::Point2f along = b - a;
  const double length = std::hypot(along.x, along.y);
  if (length < 1) return 0;
  const cv::Point2f normal = inwardNormal(a, b, centre);
  const float w = static_cast<float>(image.cols - 1), h = static_cast<float>(image.rows - 1);
  const auto onBorder = [&](cv::Point2f p) { return p.x < 3 || p.y < 3 || p.x > w - 3 || p.y > h - 3; };
  if (onBorder(a) && onBorder(b) && onBorder((a + b) * 0.5f)) return kFrameSideSupport;
  double sum = 0;
  int n = 0;
  const int steps = std::max(8, static_cast<int>(length / 4));
  for (int i = 1; i < steps; ++i) {
    const cv::Point2f p = a + along * (static_cast<float>(i) / static_cast<float>(steps));
    // Near and farther out: a page edge is bright on one side and darker on the other all the
    // way; the edge of a printed line is dark only for the line's width.
    double d = kFullEdgeContrast;
    bool seen = true;
    for (const float offset : {3.0f, 8.0f}) {
      const cv::Point2f in = p + normal * offset, out = p - normal * offset;
      if (in.x < 0 || in.y < 0 || out.x < 0 || out.y < 0 || in.x > w || out.x > w || in.y > h || out.y > h) {
        seen = false;
        break;
      }
      d = std::min(d, static_cast<double>(image.at<float>(cv::Point(cvRound(in.x), cvRound(in.y))) -
                                          image.at<float>(cv::Point(cvRound(out.x), cvRound(out.y)))));
    }
    if (!seen) continue;
    sum += std::clamp(d / kFullEdgeContrast, -1.0, 1.0);
    ++n;
  }
  return n > 0 ? sum / n : kFrameSideSupport;
}

/// Where print is on the search copy (gray), thickened a little so that a ray between the letters
/// of a line still meets it.
cv::Mat printMap(const cv::Mat& gray) {
  cv::Mat closed;
  cv::morphologyEx(gray, closed, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(kPrintWindow, kPrintWindow)));
  // gray < closed * (1 - contrast), in whole numbers: 100 * gray < (100 - 100 * contrast) * closed.
  cv::Mat g16, c16, print;
  gray.convertTo(g16, CV_16U, 100);
  closed.convertTo(c16, CV_16U, 100.0 * (1.0 - kPrintContrast));
  cv::compare(g16, c16, print, cv::CMP_LT);
  cv::dilate(print, print, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 5)));
  return print;
}

/// The share of the side a->b (of an outline around `centre`) with print close beyond it.
double printBeyond(const cv::Mat& print, cv::Point2f a, cv::Point2f b, cv::Point2f centre) {
  const cv::Point2f along = b - a;
  const double length = std::hypot(along.x, along.y);
  if (length < 1) return 0;
  const cv::Point2f normal = -inwardNormal(a, b, centre);  // out of the page
  const int steps = std::max(8, static_cast<int>(length / 4));
  int looked = 0, printed = 0;
  for (int i = 1; i < steps; ++i) {
    const cv::Point2f p = a + along * (static_cast<float>(i) / static_cast<float>(steps));
    bool seen = false, found = false;
    for (int o = kBeyondStart; o <= kBeyondStart + kBeyondDepth && !found; ++o) {
      const cv::Point q(cvRound(p.x + normal.x * static_cast<float>(o)), cvRound(p.y + normal.y * static_cast<float>(o)));
      if (q.x < 0 || q.y < 0 || q.x >= print.cols || q.y >= print.rows) break;  // beyond the picture
      seen = true;
      found = print.at<unsigned char>(q) != 0;
    }
    looked += seen ? 1 : 0;
    printed += found ? 1 : 0;
  }
  return looked > 0 ? static_cast<double>(printed) / looked : 0;
}

/// printBeyond over an outline's sides past kPrintBeyondAllowance, weighted by their lengths.
double outlinePrintBeyond(const cv::Mat& print, const Quad& q) {
  return overSides(q, [&](cv::Point2f a, cv::Point2f b, cv::Point2f centre) {
    return std::max(0.0, printBeyond(print, a, b, centre) - kPrintBeyondAllowance);
  });
}

double outlineSupport(const cv::Mat& image, const Quad& q) {
  return overSides(q, [&](cv::Point2f a, cv::Point2f b, cv::Point2f centre) { return sideSupport(image, a, b, centre); });
}

std::optional<cv::Point2f> intersect(const cv::Vec2f& l1, const cv::Vec2f& l2) {
  const double a1 = std::cos(l1[1]), b1 = std::sin(l1[1]), a2 = std::cos(l2[1]), b2 = std::sin(l2[1]);
  const double det = a1 * b2 - a2 * b1;
  if (std::abs(det) < 1e-6) return std::nullopt;
  return cv::Point2f(static_cast<float>((l1[0] * b2 - l2[0] * b1) / det), static_cast<float>((a1 * l2[0] - a2 * l1[0]) / det));
}

/// A sheet's corner may lie this far outside the picture (as a share of the frame's side): a page
/// photographed close, or turned, reaches past the frame with one corner while its edges are still
/// in view on either side of it.
constexpr float kCornerBeyondFrame = 0.10f;

/// Outlines made of straight edges: the strongest lines of the edge map, taken two nearly
/// parallel pairs at a time.
std::vector<std::vector<cv::Point2f>> lineOutlines(const cv::Mat& score8) {
  cv::Mat edges;
  cv::Canny(score8, edges, 20, 60);
  std::vector<cv::Vec2f> raw;
  cv::HoughLines(edges, raw, 1, CV_PI / 180, std::max(30, std::min(score8.cols, score8.rows) / 8));
  // The strongest distinct lines (HoughLines lists them strongest first).
  std::vector<cv::Vec2f> lines;
  for (const cv::Vec2f& l : raw) {
    const bool duplicate = std::any_of(lines.begin(), lines.end(), [&](const cv::Vec2f& k) {
      double dt = std::abs(l[1] - k[1]);
      double dr = std::abs(l[0] - k[0]);
      if (dt > CV_PI / 2) {  // the same line near theta 0 and pi has opposite rho
        dt = CV_PI - dt;
        dr = std::abs(l[0] + k[0]);
      }
      return dt < 4 * CV_PI / 180 && dr < 12;
    });
    if (!duplicate) lines.push_back(l);
    if (lines.size() == 20) break;
  }
  const auto angleBetween = [](const cv::Vec2f& a, const cv::Vec2f& b) {
    double d = std::abs(a[1] - b[1]);
    return std::min(d, CV_PI - d);
  };
  std::vector<std::pair<int, int>> pairs;
  for (std::size_t i = 0; i < lines.size(); ++i)
    for (std::size_t j = i + 1; j < lines.size(); ++j)
      if (angleBetween(lines[i], lines[j]) < 35 * CV_PI / 180) pairs.emplace_back(static_cast<int>(i), static_cast<int>(j));

  const float marginX = kCornerBeyondFrame * static_cast<float>(score8.cols);
  const float marginY = kCornerBeyondFrame * static_cast<float>(score8.rows);
  const double frameArea = static_cast<double>(score8.cols) * score8.rows;
  std::vector<std::vector<cv::Point2f>> out;
  for (std::size_t p = 0; p < pairs.size(); ++p) {
    for (std::size_t q = p + 1; q < pairs.size(); ++q) {
      const auto [i, j] = pairs[p];
      const auto [k, l] = pairs[q];
      if (i == k || i == l || j == k || j == l) continue;
      const double cross = angleBetween(lines[static_cast<std::size_t>(i)], lines[static_cast<std::size_t>(k)]);
      if (cross < 55 * CV_PI / 180) continue;
      std::vector<cv::Point2f> corners;
      for (const int a : {i, j})
        for (const int b : {k, l})
          if (auto x = intersect(lines[static_cast<std::size_t>(a)], lines[static_cast<std::size_t>(b)])) corners.push_back(*x);
      if (corners.size() != 4) continue;
      const bool inside = std::all_of(corners.begin(), corners.end(), [&](const cv::Point2f& c) {
        return c.x >= -marginX && c.y >= -marginY && c.x <= static_cast<float>(score8.cols) + marginX &&
               c.y <= static_cast<float>(score8.rows) + marginY;
      });
      if (!inside) continue;
      std::vector<cv::Point2f> hull;
      cv::convexHull(corners, hull);
      if (hull.size() != 4) continue;
      const double share = cv::contourArea(hull) / frameArea;
      if (share < kMinPageArea || share > kMaxPageArea) continue;
      out.push_back(hull);
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
  cv::max(score, 1.0f, score);
  const cv::Mat score8 = to8bit(score);
  const double frameArea = static_cast<double>(small.cols) * small.rows;
  double paperShare = 0, relativeShare = 0;
  const auto paper = maskOutline(score8, frameArea, paperShare);
  // Paper from edge to edge is a scan (or a photo with no table in view): nothing to flatten, and
  // the straight edges in it are printed boxes, not the sheet.
  if (paperShare > kMaxPageArea) return std::nullopt;

  // Light and shadow scale paper and table alike: compared with the brightest thing nearby, a
  // table next to the paper stays darker even where it is better lit than the paper.
  cv::Mat nearby, relative;
  cv::dilate(score, nearby, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(kNearbyWindow, kNearbyWindow)));
  // The blur's sigma is a quarter of the window (50 px). A 301-tap kernel over the whole search
  // copy took about 33 ms of every photo; run on a copy half the size and enlarged again, it gives
  // the same smooth surface for about a sixth of that. (A quarter the size moved one outline of 232
  // tried by 4 px, and that photo lost a value; half the size moved none.)
  {
    cv::Mat reduced;
    cv::resize(nearby, reduced, cv::Size(), 1.0 / kNearbyReduce, 1.0 / kNearbyReduce, cv::INTER_AREA);
    cv::GaussianBlur(reduced, reduced, cv::Size(0, 0), kNearbyWindow / 4.0 / kNearbyReduce);
    cv::resize(reduced, nearby, nearby.size(), 0, 0, cv::INTER_LINEAR);
  }
  cv::divide(score, nearby, relative);
  cv::min(relative, 1.0f, relative);
  const cv::Mat relative8 = to8bit(relative);

  // Candidates from both masks and from straight edges; the one whose sides sit best on edges
  // with paper inside wins.
  std::vector<std::vector<cv::Point2f>> candidates = lineOutlines(score8);
  if (paper) candidates.push_back(*paper);
  if (auto c = maskOutline(relative8, frameArea, relativeShare)) candidates.push_back(*c);
  // And the frame itself, for a page that runs past the picture on every side: its sides count as
  // sides along the border and its area is the whole frame. An outline that beats it has edges
  // that are seen; one that only encloses less, or crosses print (a shadow's edge across a
  // close-up), does not, and the page is read in the whole frame.
  {
    const auto right = static_cast<float>(small.cols - 1), bottom = static_cast<float>(small.rows - 1);
    candidates.push_back({{0, 0}, {right, 0}, {right, bottom}, {0, bottom}});
  }
  cv::Mat support;
  score8.convertTo(support, CV_32F);
  cv::Mat gray;
  if (small.channels() == 3) {
    cv::cvtColor(small, gray, cv::COLOR_BGR2GRAY);
  } else {
    gray = small;
  }
  const cv::Mat print = printMap(gray);
  std::optional<Quad> best;
  double bestSupport = -2;
  for (const auto& c : candidates) {
    const Quad q = orderCorners(c);
    // A fold or a printed box is a straight edge too, inside the page: of outlines that sit
    // about as well on their edges, the larger is the sheet.
    std::vector<cv::Point2f> poly;
    for (const Point& p : q) poly.emplace_back(static_cast<float>(p.x), static_cast<float>(p.y));
    double s = outlineSupport(support, q) + kAreaPreference * cv::contourArea(poly) / frameArea;
    // A fold or a shadow across the page has print beyond it (the penalty only lowers a score,
    // so it is looked for only where it could matter).
    if (s > bestSupport) s -= kPrintBeyondPenalty * outlinePrintBeyond(print, q);
    if (s > bestSupport) {
      bestSupport = s;
      best = q;
    }
  }
  if (!best) return std::nullopt;

  FoundPage page;
  std::vector<cv::Point2f> poly;
  for (const Point& p : *best) poly.emplace_back(static_cast<float>(p.x), static_cast<float>(p.y));
  page.areaShare = cv::contourArea(poly) / frameArea;
  if (page.areaShare < kMinPageArea || page.areaShare > kMaxPageArea) return std::nullopt;
  page.corners = *best;
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
