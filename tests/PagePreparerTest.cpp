// The page stage on pages drawn with a known rotation or slant: the estimate must undo it.
#include <gtest/gtest.h>

#include <ostream>

#include <opencv2/imgproc.hpp>

#include "noticescan/page/PagePreparer.h"

using namespace noticescan;
using namespace noticescan::page;

namespace {

/// A letter-sized page at 150 dpi with lines of text, upright.
cv::Mat textPage() {
  cv::Mat page(1650, 1275, CV_8UC1, cv::Scalar(255));
  const char* lines[] = {"The above application or petition has been received. It usually takes",
                         "several months to process this type of case. Please save this notice,",
                         "and any other notice we send you about this case, and please make and",
                         "keep a copy of any papers you send us by any means, along with proof"};
  for (int i = 0; i < 36; ++i) {
    cv::putText(page, lines[i % 4], cv::Point(90, 120 + i * 40), cv::FONT_HERSHEY_SIMPLEX, 0.85,
                cv::Scalar(0), 2, cv::LINE_AA);
  }
  return page;
}

cv::Mat rotated(const cv::Mat& page, double degrees) {
  const cv::Mat m = cv::getRotationMatrix2D(cv::Point2f(static_cast<float>(page.cols) / 2, static_cast<float>(page.rows) / 2), degrees, 1.0);
  cv::Mat out;
  cv::warpAffine(page, out, m, page.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255));
  return out;
}

cv::Mat quarter(const cv::Mat& page, int clockwise) {
  cv::Mat out;
  if (clockwise == 90) cv::rotate(page, out, cv::ROTATE_90_CLOCKWISE);
  if (clockwise == 180) cv::rotate(page, out, cv::ROTATE_180);
  if (clockwise == 270) cv::rotate(page, out, cv::ROTATE_90_COUNTERCLOCKWISE);
  if (clockwise == 0) out = page.clone();
  return out;
}

}  // namespace

class SkewTest : public ::testing::TestWithParam<double> {};

TEST_P(SkewTest, EstimatesTheAngleItWasGiven) {
  // Up to 15 degrees either way is promised (README), the edges of that range included.
  const double degrees = GetParam();
  const PreparedPage prepared = preparePage(rotated(textPage(), degrees));
  EXPECT_EQ(prepared.rotation, 0);
  EXPECT_NEAR(prepared.skewDegrees, degrees, 0.3);
}

INSTANTIATE_TEST_SUITE_P(Angles, SkewTest, ::testing::Values(-15.0, -14.0, -7.5, -2.0, 0.0, 1.0, 4.5, 12.0, 15.0));

class OrientationTest : public ::testing::TestWithParam<int> {};

TEST_P(OrientationTest, TurnsThePageUpright) {
  const int turned = GetParam();
  const PreparedPage prepared = preparePage(quarter(textPage(), turned));
  EXPECT_EQ(prepared.rotation, (360 - turned) % 360);
  // Upright: portrait again, in the page's proportions (small text may have been enlarged).
  EXPECT_NEAR(static_cast<double>(prepared.gray.rows) / prepared.gray.cols, 1650.0 / 1275.0, 0.01);
}

INSTANTIATE_TEST_SUITE_P(QuarterTurns, OrientationTest, ::testing::Values(0, 90, 180, 270));

TEST(PagePreparerTest, TransformMapsPreparedPixelsBackToTheInput) {
  const cv::Mat input = quarter(rotated(textPage(), 5.0), 90);
  const PreparedPage prepared = preparePage(input);
  // The centre of the prepared page is the centre of the input (rotations are about the centre).
  const Point c = apply(prepared.toInput, Point{prepared.gray.cols / 2.0, prepared.gray.rows / 2.0});
  EXPECT_NEAR(c.x, input.cols / 2.0, 2.0);
  EXPECT_NEAR(c.y, input.rows / 2.0, 2.0);
}

TEST(PagePreparerTest, BlankPageIsLeftAloneWithAWarning) {
  const cv::Mat blank(800, 600, CV_8UC1, cv::Scalar(255));
  const PreparedPage prepared = preparePage(blank);
  EXPECT_EQ(prepared.rotation, 0);
  EXPECT_EQ(prepared.skewDegrees, 0);
  ASSERT_FALSE(prepared.warnings.empty());
  EXPECT_EQ(prepared.warnings[0].code, "skew_uncertain");
}

TEST(PagePreparerTest, TurnPageKeepsTheMapToTheInput) {
  const cv::Mat input = textPage();
  PreparedPage prepared = preparePage(input);
  const int width = prepared.gray.cols, height = prepared.gray.rows;
  turnPage(prepared, 90);
  EXPECT_EQ(prepared.rotation, 90);
  EXPECT_EQ(prepared.gray.cols, height);
  // The input's top-left corner is now the top-right corner of the turned page.
  const Point corner = apply(prepared.toInput, Point{static_cast<double>(prepared.gray.cols), 0});
  EXPECT_NEAR(corner.x, 0, 1.0);
  EXPECT_NEAR(corner.y, 0, 1.0);
  turnPage(prepared, 270);
  EXPECT_EQ(prepared.rotation, 0);
  EXPECT_EQ(prepared.gray.cols, width);
}

TEST(PagePreparerTest, SmallTextIsEnlargedAndStillMapsBack) {
  // textPage() is 150 dpi-like: its characters are about 12-15 px tall.
  const cv::Mat input = textPage();
  const PreparedPage small = preparePage(input);
  EXPECT_GT(small.gray.cols, input.cols * 1.3);
  // Enlarging softens edges; the page's quality is measured as it was captured, so crisp small
  // text is not reported as blurry.
  EXPECT_GE(small.quality.sharpness, kLowSharpness);
  const Point corner = apply(small.toInput, Point{static_cast<double>(small.gray.cols), static_cast<double>(small.gray.rows)});
  EXPECT_NEAR(corner.x, input.cols, 2.0);
  EXPECT_NEAR(corner.y, input.rows, 2.0);

  // The same page at twice the size has text big enough already.
  cv::Mat large;
  cv::resize(input, large, cv::Size(), 2.0, 2.0, cv::INTER_LINEAR);
  const PreparedPage big = preparePage(large);
  EXPECT_EQ(big.gray.cols, large.cols);
}

TEST(PagePreparerTest, EnlargedLettersOfABlackAndWhitePageAreSmoothed) {
  // A black-and-white page with small text (a fax): enlarged, its letters' stair steps are
  // smoothed into grays; a gray page's are enlarged as they are.
  cv::Mat input;
  cv::threshold(textPage(), input, 128, 255, cv::THRESH_BINARY);
  PrepareOptions options;
  const PreparedPage plain = preparePage(input, options);
  options.bilevel = true;
  const PreparedPage smoothed = preparePage(input, options);
  ASSERT_EQ(plain.gray.size(), smoothed.gray.size());
  ASSERT_GT(plain.gray.cols, input.cols * 1.3);
  const auto grays = [](const cv::Mat& image) {
    cv::Mat between;
    cv::inRange(image, 32, 223, between);
    return cv::countNonZero(between);
  };
  EXPECT_GT(grays(smoothed.gray), 1.5 * grays(plain.gray));
  // The text is still there: as much ink, give or take the smoothing.
  EXPECT_NEAR(cv::mean(smoothed.gray)[0], cv::mean(plain.gray)[0], 2.0);
}

TEST(PagePreparerTest, OnlyACoarseFaxGetsASecondLessEnlargedView) {
  // A 98-line fax (rows stretched about twice to square pixels, stored black and white) is given
  // a second rendering, enlarged less, for a second reading; it turns with the page. It is marked
  // as a coarse fax (the scanner's `coarse_fax` warning).
  cv::Mat input;
  cv::threshold(textPage(), input, 128, 255, cv::THRESH_BINARY);
  PrepareOptions options;
  options.bilevel = true;
  options.rowStretch = 2.08;
  PreparedPage coarse = preparePage(input, options);
  EXPECT_TRUE(coarse.coarseFax);
  ASSERT_FALSE(coarse.secondView.empty());
  EXPECT_NEAR(coarse.secondViewScale, kSecondViewCharacterHeight / kTargetCharacterHeight, 1e-9);
  EXPECT_NEAR(coarse.secondView.cols, coarse.gray.cols * coarse.secondViewScale, 1.0);
  EXPECT_NEAR(coarse.secondView.rows, coarse.gray.rows * coarse.secondViewScale, 1.0);
  turnPage(coarse, 90);
  EXPECT_NEAR(coarse.secondView.rows, coarse.gray.rows * coarse.secondViewScale, 1.0);

  // A 196-line fax (square enough pixels) and a gray page with stretched rows are read once.
  options.rowStretch = 1.04;
  const PreparedPage fine = preparePage(input, options);
  EXPECT_TRUE(fine.secondView.empty());
  EXPECT_FALSE(fine.coarseFax);
  options.bilevel = false;
  options.rowStretch = 2.08;
  const PreparedPage gray = preparePage(input, options);
  EXPECT_TRUE(gray.secondView.empty());
  EXPECT_FALSE(gray.coarseFax);
}

TEST(PagePreparerTest, CameraProportionsAreToldApartFromScans) {
  EXPECT_TRUE(looksLikeCameraFrame(3024, 4032));   // 12 MP, 4:3
  EXPECT_TRUE(looksLikeCameraFrame(4032, 3024));
  EXPECT_TRUE(looksLikeCameraFrame(2448, 3264));   // 8 MP
  EXPECT_TRUE(looksLikeCameraFrame(2160, 3840));   // 16:9
  EXPECT_FALSE(looksLikeCameraFrame(2550, 3300));  // letter at 300 dpi
  EXPECT_FALSE(looksLikeCameraFrame(2480, 3508));  // A4 at 300 dpi
  EXPECT_FALSE(looksLikeCameraFrame(600, 800));    // too small to be a photo of a page
}

TEST(PagePreparerTest, AShadowedCloseUpIsEvenedOutLikeAFlattenedSheet) {
  // A close-up: the page fills the 12 MP frame, so there is no edge to flatten it by, and its left
  // half lies in a hand's shadow at 45% of the light. Read as it is, the shadow would be a grey
  // that a global threshold takes for ink.
  cv::Mat photo;
  cv::resize(textPage(), photo, cv::Size(), 2.6, 2.6, cv::INTER_LINEAR);
  photo = photo(cv::Rect(0, 0, 3000, 4000)).clone();
  photo.colRange(0, 1500) *= 0.45;
  cv::GaussianBlur(photo, photo, cv::Size(0, 0), 3);
  const PreparedPage prepared = preparePage(photo);
  ASSERT_FALSE(prepared.flattened);
  // The blank paper of each half: the brighter half of its pixels.
  const auto paper = [](const cv::Mat& half) {
    cv::Mat sorted = half.clone().reshape(1, 1);
    cv::sort(sorted, sorted, cv::SORT_ASCENDING);
    return static_cast<double>(sorted.at<std::uint8_t>(0, sorted.cols * 3 / 4));
  };
  const cv::Mat& g = prepared.gray;
  const double shaded = paper(g.colRange(g.cols / 10, g.cols * 4 / 10));
  const double lit = paper(g.colRange(g.cols * 6 / 10, g.cols * 9 / 10));
  EXPECT_GT(shaded, 200);
  EXPECT_NEAR(shaded, lit, 20);
}

namespace {

/// How far from level (degrees) the worst of `page`'s text lines lies once prepared, a text line
/// being the baseline of a textPage() line from x = 90 to x = 1100, drawn at `scale` times its
/// size and photographed through `shot` (page pixels -> photo pixels). Lines that leave the photo
/// are left out; `lines` counts the others.
double worstLineTilt(const PreparedPage& prepared, const cv::Matx33d& shot, double scale, cv::Size photo, int& lines) {
  const Transform toPrepared = prepared.toInput.inv();
  double worst = 0;
  lines = 0;
  for (int i = 0; i < 36; ++i) {
    const double y = (120 + i * 40) * scale;
    const Point a = apply(shot, Point{90 * scale, y}), b = apply(shot, Point{1100 * scale, y});
    const cv::Rect frame(0, 0, photo.width, photo.height);
    if (!frame.contains(cv::Point(static_cast<int>(a.x), static_cast<int>(a.y))) ||
        !frame.contains(cv::Point(static_cast<int>(b.x), static_cast<int>(b.y)))) {
      continue;
    }
    const Point pa = apply(toPrepared, a), pb = apply(toPrepared, b);
    worst = std::max(worst, std::abs(std::atan2(pb.y - pa.y, pb.x - pa.x)) * 180.0 / CV_PI);
    ++lines;
  }
  return worst;
}

}  // namespace

/// Where a photo shows the corners of a page drawn by textPage() at kSlantScale times its size: the
/// sheet fills a 12 MP frame (no edge to flatten it by) and its far side is smaller, so its text
/// lines converge on a point off to the right.
struct Slant {
  const char* name;
  std::vector<cv::Point2f> corners;
  int turned = 0;  ///< the photo turned clockwise by 0, 90 or 270 degrees (a landscape frame)
};

void PrintTo(const Slant& slant, std::ostream* os) { *os << slant.name; }

constexpr double kSlantScale = 2.6;

class SlantTest : public ::testing::TestWithParam<Slant> {};

TEST_P(SlantTest, LinesPhotographedAtASlantAreLevelled) {
  // No one angle straightens such a photo's lines: each must come out level.
  cv::Mat page;
  cv::resize(textPage(), page, cv::Size(), kSlantScale, kSlantScale, cv::INTER_LINEAR);
  const std::vector<cv::Point2f> corners = {{0, 0}, {static_cast<float>(page.cols), 0},
                                            {static_cast<float>(page.cols), static_cast<float>(page.rows)},
                                            {0, static_cast<float>(page.rows)}};
  cv::Matx33d shot(cv::getPerspectiveTransform(corners, GetParam().corners));
  cv::Size frame(3000, 4000);
  if (GetParam().turned == 90) {
    // (x, y) -> (height - 1 - y, x)
    shot = cv::Matx33d(0, -1, frame.height - 1.0, 1, 0, 0, 0, 0, 1) * shot;
    frame = cv::Size(frame.height, frame.width);
  } else if (GetParam().turned == 270) {
    // (x, y) -> (y, width - 1 - x)
    shot = cv::Matx33d(0, 1, 0, -1, 0, frame.width - 1.0, 0, 0, 1) * shot;
    frame = cv::Size(frame.height, frame.width);
  }
  cv::Mat photo;
  cv::warpPerspective(page, photo, cv::Mat(shot), frame, cv::INTER_AREA, cv::BORDER_REPLICATE);
  const PreparedPage prepared = preparePage(photo);
  EXPECT_EQ(prepared.rotation, (360 - GetParam().turned) % 360);
  int lines = 0;
  const double tilt = worstLineTilt(prepared, shot, kSlantScale, frame, lines);
  EXPECT_GE(lines, 20);
  EXPECT_LT(tilt, 0.5);
  for (const Warning& w : prepared.warnings) EXPECT_NE(w.code, "skew_uncertain");
}

INSTANTIATE_TEST_SUITE_P(
    Fans, SlantTest,
    ::testing::Values(
        // Lines tilted by about 5 degrees at the top of the frame and -5 at the bottom: the page
        // as a whole has no clear angle.
        Slant{"strong", {{-150, -250}, {3250, 50}, {3200, 4000}, {-200, 4300}}},
        // A milder slant: 2 degrees at the top, -0.8 at the bottom. The page's angle is clear
        // enough to take, but that one angle would leave the top and bottom lines more than a
        // degree off.
        Slant{"mild", {{-150, -250}, {3250, -130}, {3300, 4200}, {-200, 4250}}},
        // The strong slant in a landscape frame, turned either way: the lines run down the
        // picture.
        Slant{"turned_90", {{-150, -250}, {3250, 50}, {3200, 4000}, {-200, 4300}}, 90},
        Slant{"turned_270", {{-150, -250}, {3250, 50}, {3200, 4000}, {-200, 4300}}, 270}));
