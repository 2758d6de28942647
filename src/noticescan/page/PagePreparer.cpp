#include "noticescan/page/PagePreparer.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include <opencv2/imgproc.hpp>

#include "noticescan/page/PageFinder.h"
#include "noticescan/page/Shake.h"
#include "noticescan/util/Leptonica.h"

namespace noticescan::page {
namespace {

/// Skew and orientation are found on a copy of about 150 dpi for a letter page: enough for text
/// lines, four times fewer pixels than the page.
constexpr int kAnalysisLongSide = 1650;

/// Text lines run across the page unless the skew peaks found down it are this many times sharper.
constexpr double kClearlySharper = 1.5;

struct SkewEstimate {
  double angle = 0;       // degrees, Leptonica's sign: positive means rotate clockwise to fix
  double confidence = 0;
  double score = 0;
};

/// Leptonica's skew sweep, shearing `binary` about its left edge (`pivot` L_SHEAR_ABOUT_CORNER) or
/// its middle (L_SHEAR_ABOUT_CENTER).
SkewEstimate findSkew(PIX* binary, double range, int pivot = L_SHEAR_ABOUT_CORNER) {
  SkewEstimate estimate;
  l_float32 angle = 0, conf = 0, score = 0;
  if (pixFindSkewSweepAndSearchScorePivot(binary, &angle, &conf, &score, 2, 2, 0.0f, static_cast<l_float32>(range),
                                          1.0f, 0.01f, pivot) == 0) {
    estimate = {angle, conf, score};
  }
  return estimate;
}

util::PixPtr binarise(const cv::Mat& gray) {
  cv::Mat bw;
  cv::threshold(gray, bw, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  util::PixPtr pix8 = util::matToPix(bw);
  return util::PixPtr(pixThresholdToBinary(pix8.get(), 128));
}

/// Rotates `gray` by `degrees` counter-clockwise into a canvas large enough to keep every corner.
cv::Mat rotateExpanded(const cv::Mat& gray, double degrees, Transform& forward) {
  const double a = std::abs(degrees) * CV_PI / 180.0;
  const double w = gray.cols, h = gray.rows;
  const double nw = std::ceil(w * std::cos(a) + h * std::sin(a));
  const double nh = std::ceil(w * std::sin(a) + h * std::cos(a));
  forward = rotation(degrees, w / 2, h / 2, (nw - w) / 2, (nh - h) / 2);
  const cv::Matx23d m(forward(0, 0), forward(0, 1), forward(0, 2), forward(1, 0), forward(1, 1),
                      forward(1, 2));
  cv::Mat out;
  cv::warpAffine(gray, out, m, cv::Size(static_cast<int>(nw), static_cast<int>(nh)), cv::INTER_LINEAR,
                 cv::BORDER_CONSTANT, cv::Scalar(255));
  return out;
}

cv::Mat rotateQuarter(const cv::Mat& image, int clockwise) {
  cv::Mat out;
  switch (clockwise) {
    case 90: cv::rotate(image, out, cv::ROTATE_90_CLOCKWISE); break;
    case 180: cv::rotate(image, out, cv::ROTATE_180); break;
    case 270: cv::rotate(image, out, cv::ROTATE_90_COUNTERCLOCKWISE); break;
    default: out = image; break;
  }
  return out;
}

/// The image to draw a found outline on, in colour.
cv::Mat colourCopy(const cv::Mat& image) {
  cv::Mat out;
  if (image.channels() == 3) return image.clone();
  cv::cvtColor(image, out, cv::COLOR_GRAY2BGR);
  return out;
}

/// A photo taken while the phone moved: the smear is measured and undone within `region` of the
/// camera's frame, where it is the same everywhere (after flattening, perspective would make it
/// differ across the page). The quality measured later is of the flattened page before this, as
/// the photo was taken, so its warning still tells the person to hold the phone still.
void undoShake(cv::Mat& gray, const cv::Rect& region, const PrepareOptions& options, PreparedPage& out) {
  const cv::Rect inside = region & cv::Rect(0, 0, gray.cols, gray.rows);
  if (!options.removeShake || inside.empty()) return;
  out.shake = findShake(gray(inside));
  if (!out.shake) return;
  cv::Mat sharp = gray.clone();
  removeShake(gray(inside), *out.shake).copyTo(sharp(inside));
  gray = sharp;
  if (options.keepDebugImages) out.debugImages.emplace_back("unshaken", gray);
}

/// Step 1. A photographed sheet is warped flat and its light evened out; a camera frame with no
/// sheet found is reduced to a working size. Returns the map from the input to the result.
Transform flattenPhoto(const cv::Mat& image, cv::Mat& gray, const PrepareOptions& options, PreparedPage& out) {
  const std::optional<FoundPage> found = options.findPage ? findPage(image) : std::nullopt;
  if (!found) {
    if (options.keepDebugImages) out.debugImages.emplace_back("input", gray);
    Transform reduce = Transform::eye();
    if (std::max(gray.cols, gray.rows) > kReduceAbove) {
      const double s = kMaxWorkingSide / static_cast<double>(std::max(gray.cols, gray.rows));
      cv::resize(gray, gray, cv::Size(), s, s, cv::INTER_AREA);
      reduce = Transform(s, 0, 0, 0, s, 0, 0, 0, 1);
    }
    // A close-up of part of a page from a phone: no sheet's edge in view, but it may be shaken,
    // and its light is as uneven as a flattened sheet's (a hand's or the phone's shadow across it).
    if (out.cameraFrame) {
      const cv::Mat taken = gray;
      undoShake(gray, cv::Rect(0, 0, gray.cols, gray.rows), options, out);
      if (out.shake) out.takenQuality = measureQuality(evenOutLight(taken));
      gray = evenOutLight(gray);
      if (options.keepDebugImages) out.debugImages.emplace_back("cleaned", gray);
    }
    return reduce;
  }
  const cv::Mat taken = gray;
  {
    std::vector<cv::Point> corners;
    for (const Point& p : found->corners) corners.emplace_back(static_cast<int>(p.x), static_cast<int>(p.y));
    undoShake(gray, cv::boundingRect(corners), options, out);
  }
  const cv::Size size = flatSize(found->corners);
  std::vector<cv::Point2f> from, to = {{0, 0}, {static_cast<float>(size.width), 0},
                                       {static_cast<float>(size.width), static_cast<float>(size.height)},
                                       {0, static_cast<float>(size.height)}};
  for (const Point& p : found->corners) from.emplace_back(static_cast<float>(p.x), static_cast<float>(p.y));
  const Transform warp(cv::getPerspectiveTransform(from, to));
  cv::Mat flat;
  cv::warpPerspective(gray, flat, cv::Mat(warp), size, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  if (options.keepDebugImages) {
    cv::Mat shown = colourCopy(image);
    std::vector<cv::Point> poly;
    for (const Point& p : found->corners) poly.emplace_back(static_cast<int>(p.x), static_cast<int>(p.y));
    cv::polylines(shown, poly, true, cv::Scalar(0, 200, 0), std::max(3, image.cols / 400), cv::LINE_AA);
    out.debugImages.emplace_back("outline", shown);
    out.debugImages.emplace_back("flattened", flat);
  }
  gray = evenOutLight(flat);
  if (out.shake) {
    // The page as photographed, flattened the same way, for the quality measure.
    cv::Mat flatTaken;
    cv::warpPerspective(taken, flatTaken, cv::Mat(warp), size, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    out.takenQuality = measureQuality(evenOutLight(flatTaken));
  }
  out.flattened = true;
  out.pageAreaShare = found->areaShare;
  out.outline = found->corners;
  if (options.keepDebugImages) out.debugImages.emplace_back("cleaned", gray);
  return warp;
}

/// Text lines photographed at a slant converge on a vanishing point off the page, so their angle
/// changes steadily down the page and no one angle straightens them all. A fan is that change:
/// measured in horizontal strips, the slope of the lines (dy/dx, y down) is `slope` at the
/// strip's middle row `centre` and changes by `change` per row below it.
struct LineFan {
  double slope = 0;
  double change = 0;
  double centre = 0;
  double spread = 0;  // degrees between the lines' angles at the top and at the bottom
  double score = 0;   // the strips' skew scores, summed: which way the lines run
};

/// Fits a fan to the skew of kFanStrips horizontal strips of `binary`: nullopt unless at least
/// `minStrips` strips give a confident angle and every such angle lies within kFanTolerance of the
/// fit.
std::optional<LineFan> findLineFan(PIX* binary, double range, std::size_t minStrips) {
  const int w = pixGetWidth(binary), h = pixGetHeight(binary);
  struct Strip {
    double row, slope, weight, score;
  };
  std::vector<Strip> strips;
  for (int k = 0; k < kFanStrips; ++k) {
    const int top = k * h / kFanStrips, bottom = (k + 1) * h / kFanStrips;
    BOX* box = boxCreate(0, top, w, bottom - top);
    util::PixPtr strip(pixClipRectangle(binary, box, nullptr));
    boxDestroy(&box);
    if (!strip) continue;
    // Sheared about its left edge, a strip a fifth of the page tall loses the print of its far
    // side at the larger angles, more where the print lies right (an upside-down page): about its
    // middle, half as much, the same for the page either way up.
    const SkewEstimate s = findSkew(strip.get(), range, L_SHEAR_ABOUT_CENTER);
    // Leptonica's angle is the clockwise turn that straightens the lines: they rise to the right.
    if (s.confidence >= kMinSkewConfidence) {
      strips.push_back({(top + bottom) / 2.0, -std::tan(s.angle * CV_PI / 180.0), s.confidence, s.score});
    }
  }
  if (strips.size() < minStrips) return std::nullopt;
  // Weighted least squares of slope against row.
  double sw = 0, sy = 0, ss = 0;
  for (const Strip& s : strips) {
    sw += s.weight;
    sy += s.weight * s.row;
    ss += s.weight * s.slope;
  }
  LineFan fan;
  fan.centre = h / 2.0;
  const double meanRow = sy / sw, meanSlope = ss / sw;
  double syy = 0, sys = 0;
  for (const Strip& s : strips) {
    syy += s.weight * (s.row - meanRow) * (s.row - meanRow);
    sys += s.weight * (s.row - meanRow) * (s.slope - meanSlope);
  }
  fan.change = syy > 0 ? sys / syy : 0;
  fan.slope = meanSlope + fan.change * (fan.centre - meanRow);
  const double tolerance = std::tan(kFanTolerance * CV_PI / 180.0);
  for (const Strip& s : strips) {
    if (std::abs(fan.slope + fan.change * (s.row - fan.centre) - s.slope) > tolerance) return std::nullopt;
    fan.score += s.score;
  }
  fan.spread = std::abs(std::atan(fan.slope - fan.change * fan.centre) - std::atan(fan.slope + fan.change * fan.centre)) *
               180.0 / CV_PI;
  return fan;
}

/// A fan's lines made level: the map from the page to the levelled page, and that page's size.
struct Levelling {
  Transform map;
  cv::Size size;
};

/// Makes a fan's lines level: a turn that levels the line through the page's middle, then the
/// projective map that sends the lines' vanishing point to infinity, about the middle of a
/// `width` x `height` page (`fan` measured on a copy `scale` times the page's size). Nullopt when
/// the vanishing point is so near that one side of the page would be enlarged more than
/// kMaxFanStretch times the other.
std::optional<Levelling> levelFan(const LineFan& fan, double scale, double width, double height) {
  const double turn = std::atan(fan.slope), c = std::cos(turn), s = std::sin(turn);
  // About the middle and turned level, the slope of the lines through the vanishing point changes
  // by -1 / d per row, d being the point's distance along the level: the map's third row divides
  // by 1 - x / d.
  const double change = fan.change * scale;
  const Transform centre(1, 0, -width / 2, 0, 1, -fan.centre / scale, 0, 0, 1);
  const Transform level(c, s, 0, -s, c, 0, 0, 0, 1);
  const Transform project(1, 0, 0, 0, 1, 0, change * c, 0, 1);
  const Transform map = project * level * centre;
  const Rect page{0, 0, width, height};
  double lowest = 1e300, highest = 0;
  for (const Point& p : {Point{0, 0}, Point{width, 0}, Point{width, height}, Point{0, height}}) {
    const double w = (map * cv::Vec3d(p.x, p.y, 1))[2];
    if (w <= 0) return std::nullopt;  // the vanishing line crosses the page
    // Near a point whose third coordinate is w, the map scales lengths by about 1 / w.
    lowest = std::min(lowest, w);
    highest = std::max(highest, w);
  }
  if (highest / lowest > kMaxFanStretch) return std::nullopt;
  const Rect levelled = bounds(apply(map, page));
  Levelling out;
  out.map = Transform(1, 0, -levelled.x, 0, 1, -levelled.y, 0, 0, 1) * map;
  out.size = cv::Size(static_cast<int>(std::ceil(levelled.width)), static_cast<int>(std::ceil(levelled.height)));
  return out;
}

/// Step 2. Text lines across or down the page, then the skew removed. Returns the map from
/// `gray` to `upright`; sets out.rotation (0 or 90), out.skewDegrees, out.skewConfidence.
Transform straighten(const cv::Mat& gray, double analysisScale, const PrepareOptions& options, cv::Mat& upright,
                     PreparedPage& out) {
  cv::Mat small;
  cv::resize(gray, small, cv::Size(), analysisScale, analysisScale, cv::INTER_AREA);
  util::PixPtr binary = binarise(small);
  // Whichever axis gives the sharper skew peak is the one the text lines run along.
  const SkewEstimate across = findSkew(binary.get(), options.maxSkewDegrees);
  util::PixPtr turned(pixRotate90(binary.get(), 1));
  const SkewEstimate down = findSkew(turned.get(), options.maxSkewDegrees);
  const bool sideways = down.score > across.score * kClearlySharper && down.confidence >= kMinSkewConfidence;
  const SkewEstimate skew = sideways ? down : across;
  out.rotation = sideways ? 90 : 0;

  Transform forward = quarterTurns(out.rotation, gray.cols, gray.rows);
  upright = rotateQuarter(gray, out.rotation);
  out.skewConfidence = skew.confidence;
  const bool sure = skew.confidence >= kMinSkewConfidence;
  // Lines that fan out (a photo taken at a slant, its sheet not flattened by a found outline, or
  // not quite): with no one angle for the whole page, or a camera's page whose lines' angles
  // differ by kMinFanSpread or more from top to bottom, each line is levelled.
  std::optional<LineFan> fan;
  bool fanSideways = sideways;
  if (!sure || out.cameraFrame) {
    // As for the whole page, the way with the sharper peaks is the way the lines run; the strips
    // tell it better when the lines fan out, which blunts the whole page's peak.
    const std::size_t minStrips = sure ? kMinFanStrips : kMinFanStripsUnsure;
    const std::optional<LineFan> fanAcross = findLineFan(binary.get(), options.maxSkewDegrees, minStrips);
    const std::optional<LineFan> fanDown = findLineFan(turned.get(), options.maxSkewDegrees, minStrips);
    const double acrossScore = std::max(across.score, fanAcross ? fanAcross->score : 0.0);
    const double downScore = std::max(down.score, fanDown ? fanDown->score : 0.0);
    if (downScore > kClearlySharper * acrossScore) {
      fanSideways = true;
    } else if (acrossScore > kClearlySharper * downScore) {
      fanSideways = false;
    }
    fan = fanSideways ? fanDown : fanAcross;
    // A clear angle for the whole page, the same way, does as well unless the lines spread.
    if (sure && fanSideways == sideways && fan && fan->spread < kMinFanSpread) fan.reset();
  }
  if (fan) {
    const int rotation = fanSideways ? 90 : 0;
    const cv::Mat turnedPage = rotation == out.rotation ? upright : rotateQuarter(gray, rotation);
    if (const std::optional<Levelling> level = levelFan(*fan, analysisScale, turnedPage.cols, turnedPage.rows)) {
      out.rotation = rotation;
      cv::warpPerspective(turnedPage, upright, cv::Mat(level->map), level->size, cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                          cv::Scalar(255));
      // The tilt removed at the page's middle, in Leptonica's sense as below.
      out.skewDegrees = -std::atan(fan->slope) * 180.0 / CV_PI;
      return level->map * quarterTurns(rotation, gray.cols, gray.rows);
    }
  }
  if (sure && std::abs(skew.angle) >= kMinSkewDegrees) {
    Transform deskew;
    // Leptonica's angle is the clockwise turn that straightens the text.
    upright = rotateExpanded(upright, -skew.angle, deskew);
    forward = deskew * forward;
    out.skewDegrees = skew.angle;
  } else if (!sure) {
    out.warnings.push_back({"skew_uncertain", 0,
                            "could not measure the page's skew reliably; the page was not straightened"});
  }
  return forward;
}

/// Step 3. Up or down: Leptonica compares ascenders and descenders of roman text. Only a sure
/// verdict is taken (out.orientationSure); otherwise the caller asks the OCR engine (turnPage).
/// `small` is `upright` at the analysis scale; both are turned together.
Transform settleUpDown(cv::Mat& upright, cv::Mat& small, PreparedPage& out) {
  util::PixPtr binary = binarise(small);
  l_float32 upConfidence = 0;
  if (pixUpDownDetect(binary.get(), &upConfidence, 0, 0, 0) != 0 || std::abs(upConfidence) < kSureUpDownConfidence) {
    return Transform::eye();
  }
  out.orientationSure = true;
  if (upConfidence > 0) return Transform::eye();
  const Transform flip = quarterTurns(180, upright.cols, upright.rows);
  upright = rotateQuarter(upright, 180);
  small = rotateQuarter(small, 180);
  out.rotation = (out.rotation + 180) % 360;
  return flip;
}

/// Median height of character-sized ink blobs in `small` (the page at `analysisScale`), in
/// full-page pixels; 0 when there is no text.
double medianCharacterHeight(const cv::Mat& small, double analysisScale) {
  cv::Mat ink;
  cv::threshold(small, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  std::vector<int> heights;
  for (int i = 1; i < n; ++i) {
    const int hgt = stats.at<int>(i, cv::CC_STAT_HEIGHT), wid = stats.at<int>(i, cv::CC_STAT_WIDTH);
    // Letters and digits: a few pixels tall, not much wider than tall (rules and specks excluded).
    if (hgt >= 3 && hgt <= 80 && wid <= 3 * hgt && wid >= 1) heights.push_back(hgt);
  }
  if (heights.size() < 50) return 0;
  std::nth_element(heights.begin(), heights.begin() + static_cast<std::ptrdiff_t>(heights.size() / 2), heights.end());
  return heights[heights.size() / 2] / analysisScale;
}

/// Step 4. Small text (low-resolution scans, faxes) is enlarged to the size Tesseract reads best:
/// the factor that brings a median character of `height` pixels to `target` (1: left as is).
double enlargementFor(double height, double target) {
  if (height <= 0 || height >= kMinCharacterHeight) return 1.0;
  return std::min(kMaxEnlargement, target / height);
}

/// `upright` enlarged by `factor`; a black-and-white page's enlarged letters are smoothed
/// (kBilevelSmoothing).
cv::Mat enlarged(const cv::Mat& upright, double factor, bool bilevel) {
  if (factor == 1.0) return upright;
  cv::Mat out;
  cv::resize(upright, out, cv::Size(), factor, factor, cv::INTER_LINEAR);
  if (bilevel) cv::GaussianBlur(out, out, cv::Size(), kBilevelSmoothing * factor);
  return out;
}

}  // namespace

PreparedPage preparePage(const cv::Mat& image, const PrepareOptions& options) {
  util::quietLeptonica();
  PreparedPage out;
  cv::Mat gray;
  if (image.channels() == 3) {
    cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
  } else {
    gray = image;
  }
  const double w = image.cols, h = image.rows;
  out.cameraFrame = looksLikeCameraFrame(image.cols, image.rows);
  out.outline = {Point{0, 0}, Point{w, 0}, Point{w, h}, Point{0, h}};

  const Transform flatten = flattenPhoto(image, gray, options, out);
  const double analysisScale = std::min(1.0, kAnalysisLongSide / static_cast<double>(std::max(gray.cols, gray.rows)));
  cv::Mat upright;
  const Transform turnAndDeskew = straighten(gray, analysisScale, options, upright, out);
  // One small copy of the straightened page serves the up/down check, the quality measure (both
  // work at kAnalysisLongSide) and the character-height estimate.
  cv::Mat small;
  cv::resize(upright, small, cv::Size(), analysisScale, analysisScale, cv::INTER_AREA);
  const Transform upDown = settleUpDown(upright, small, out);
  out.quality = out.takenQuality ? *out.takenQuality : measureQuality(small);
  const double height = medianCharacterHeight(small, analysisScale);
  const double factor = enlargementFor(height, kTargetCharacterHeight);
  out.coarseFax = options.bilevel && options.rowStretch >= kCoarseRowStretch;
  if (out.coarseFax) {
    const double second = enlargementFor(height, kSecondViewCharacterHeight);
    if (second != factor) {
      out.secondView = enlarged(upright, second, true);
      out.secondViewScale = second / factor;
    }
  }
  upright = enlarged(upright, factor, options.bilevel);
  const Transform enlarge(factor, 0, 0, 0, factor, 0, 0, 0, 1);

  out.gray = upright;
  out.toInput = (enlarge * upDown * turnAndDeskew * flatten).inv();
  if (options.keepDebugImages) out.debugImages.emplace_back("upright", out.gray);
  return out;
}

bool looksLikeCameraFrame(int width, int height) {
  const double longSide = std::max(width, height), shortSide = std::max(1, std::min(width, height));
  const double ratio = longSide / shortSide;
  // Sensor proportions are exact in the files cameras write; scans of letter (1.29) or A4 (1.41)
  // pages, with or without margins, rarely land within half a percent of them.
  return longSide >= 1600 && (std::abs(ratio - 4.0 / 3.0) < 0.005 || std::abs(ratio - 16.0 / 9.0) < 0.005);
}

void turnPage(PreparedPage& page, int clockwise) {
  clockwise = ((clockwise % 360) + 360) % 360;
  if (clockwise == 0) return;
  const Transform turn = quarterTurns(clockwise, page.gray.cols, page.gray.rows);
  page.gray = rotateQuarter(page.gray, clockwise);
  if (!page.secondView.empty()) page.secondView = rotateQuarter(page.secondView, clockwise);
  page.toInput = page.toInput * turn.inv();
  page.rotation = (page.rotation + clockwise) % 360;
  if (!page.debugImages.empty()) page.debugImages.back().second = page.gray;
}

}  // namespace noticescan::page
