// Hand shake on pages drawn with a known smear: the measure must find the smear that was drawn
// and nothing on pages that are merely out of focus or sharp; undoing it must bring the page back.
#include <gtest/gtest.h>

#include <cmath>

#include <opencv2/imgproc.hpp>

#include "noticescan/page/PagePreparer.h"
#include "noticescan/page/Shake.h"

using namespace noticescan::page;

namespace {

/// Lines of print, in two sizes, on a white page about the size a phone photo's page takes.
cv::Mat printedPage() {
  cv::Mat page(2000, 1600, CV_8UC1, cv::Scalar(245));
  const char* lines[] = {"RECEIPT NUMBER IOE0912345678 CASE TYPE I130 PETITION FOR",
                         "The above application has been received. Please save this notice",
                         "USCIS A# 012-345-678 RECEIVED DATE 03/11/2024 NOTICE DATE",
                         "and any other notice we send you about this case, and keep a copy"};
  for (int i = 0; i < 40; ++i) {
    cv::putText(page, lines[i % 4], cv::Point(60, 80 + i * 46), cv::FONT_HERSHEY_SIMPLEX, i % 3 == 0 ? 1.0 : 0.8,
                cv::Scalar(20), 2, cv::LINE_AA);
  }
  return page;
}

/// `page` smeared over `length` pixels along `degrees` (a line drawn finely and shrunk, so its
/// length and direction are not rounded to whole pixels), with a camera's grain.
cv::Mat shaken(const cv::Mat& page, double degrees, double length) {
  constexpr int kFine = 8;
  const int side = 2 * static_cast<int>(std::ceil(length / 2)) + 3;
  cv::Mat fine(side * kFine, side * kFine, CV_32F, cv::Scalar(0));
  const double c = std::cos(degrees * CV_PI / 180), s = std::sin(degrees * CV_PI / 180), mid = side * kFine / 2.0;
  cv::line(fine, cv::Point2d(mid - c * length * kFine / 2, mid - s * length * kFine / 2),
           cv::Point2d(mid + c * length * kFine / 2, mid + s * length * kFine / 2), cv::Scalar(1), kFine, cv::LINE_AA);
  cv::Mat kernel;
  cv::resize(fine, kernel, cv::Size(side, side), 0, 0, cv::INTER_AREA);
  kernel /= cv::sum(kernel)[0];
  cv::Mat out;
  cv::filter2D(page, out, CV_32F, kernel, cv::Point(-1, -1), 0, cv::BORDER_REPLICATE);
  return out;
}

cv::Mat withGrain(const cv::Mat& image, double sigma) {
  cv::Mat noise(image.size(), CV_32F), out;
  cv::setRNGSeed(7);
  cv::randn(noise, 0, sigma);
  cv::Mat f;
  image.convertTo(f, CV_32F);
  cv::Mat(f + noise).convertTo(out, CV_8U);
  return out;
}

/// The share of pixels that are ink in one page and paper in the other, each split into ink and
/// paper as a reader would (Otsu's threshold): grain the restoration amplifies counts only where
/// it changes what is ink.
double inkDisagreement(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat inkA, inkB, differ;
  cv::threshold(a, inkA, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  cv::threshold(b, inkB, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  cv::bitwise_xor(inkA, inkB, differ);
  return cv::countNonZero(differ) / static_cast<double>(differ.total());
}

double angleBetween(double a, double b) {
  const double d = std::fmod(std::abs(a - b), 180.0);
  return std::min(d, 180.0 - d);
}

}  // namespace

struct Smear {
  double degrees, length;
};

class ShakeTest : public ::testing::TestWithParam<Smear> {};

TEST_P(ShakeTest, MeasuresTheSmearThatWasDrawn) {
  const Smear smear = GetParam();
  const std::optional<Shake> found = findShake(withGrain(shaken(printedPage(), smear.degrees, smear.length), 4));
  ASSERT_TRUE(found.has_value());
  EXPECT_LE(angleBetween(found->angleDegrees, smear.degrees), 5.0);
  EXPECT_NEAR(found->length, smear.length, 1.0);
}

TEST_P(ShakeTest, UndoingItBringsThePageBack) {
  const Smear smear = GetParam();
  const cv::Mat sharp = printedPage();
  const cv::Mat blurred = withGrain(shaken(sharp, smear.degrees, smear.length), 4);
  const std::optional<Shake> found = findShake(blurred);
  ASSERT_TRUE(found.has_value());
  const cv::Mat restored = removeShake(blurred, *found);
  ASSERT_EQ(restored.size(), blurred.size());
  ASSERT_EQ(restored.type(), CV_8UC1);
  EXPECT_LT(inkDisagreement(restored, sharp), 0.5 * inkDisagreement(blurred, sharp))
      << inkDisagreement(restored, sharp) << " vs " << inkDisagreement(blurred, sharp);
}

TEST(ShakeTest, UndoingItOnAPartOfAPictureLooksOnlyAtThatPart) {
  // The page's box in a photo: the table around it must not leak into the page's edges.
  cv::Mat photo(1200, 1000, CV_8UC1, cv::Scalar(60));
  const cv::Rect sheet(150, 100, 700, 950);
  cv::Mat page = withGrain(shaken(printedPage(), 30, 12), 4)(cv::Rect(0, 0, sheet.width, sheet.height));
  page.copyTo(photo(sheet));
  const Shake shake{30, 12, 2};
  const cv::Mat inPlace = removeShake(photo(sheet), shake);
  const cv::Mat alone = removeShake(photo(sheet).clone(), shake);
  EXPECT_EQ(cv::norm(inPlace, alone, cv::NORM_INF), 0);
}

/// An approval notice's header as photographed: the boxes of the grid (long rules across and
/// down), a value in a monospaced font in each, on security paper's fine wavy pattern.
cv::Mat headerGridPage() {
  cv::Mat page(2000, 1600, CV_8UC1, cv::Scalar(245));
  for (int y = 0; y < page.rows; y += 9) {
    for (int x = 0; x + 4 < page.cols; x += 4) {
      const int dy = static_cast<int>(std::lround(3 * std::sin(x / 40.0)));
      cv::line(page, cv::Point(x, y + dy), cv::Point(x + 4, y + dy), cv::Scalar(225), 1, cv::LINE_AA);
    }
  }
  for (int row = 0; row < 6; ++row) {
    const int top = 200 + row * 260;
    cv::line(page, cv::Point(60, top), cv::Point(1540, top), cv::Scalar(40), 3);
    for (int col = 0; col < 3; ++col) {
      const int left = 60 + col * 493;
      cv::line(page, cv::Point(left, top), cv::Point(left, top + 260), cv::Scalar(40), 3);
      cv::putText(page, "RECEIPT NUMBER", cv::Point(left + 14, top + 40), cv::FONT_HERSHEY_SIMPLEX, 0.7, cv::Scalar(30), 1,
                  cv::LINE_AA);
      cv::putText(page, col == 1 ? "327735935509" : "IOE0951010391", cv::Point(left + 14, top + 110),
                  cv::FONT_HERSHEY_PLAIN, 2.2, cv::Scalar(20), 2, cv::LINE_AA);
      cv::putText(page, "02/14/2024", cv::Point(left + 14, top + 200), cv::FONT_HERSHEY_PLAIN, 2.2, cv::Scalar(20), 2,
                  cv::LINE_AA);
    }
  }
  return page;
}

TEST(ShakeGridTest, MeasuresTheSmearOnAHeaderGridOnSecurityPaper) {
  for (const Smear smear : {Smear{78.6, 12}, Smear{66, 10}, Smear{25, 11}, Smear{100, 12}, Smear{120, 9}}) {
    const std::optional<Shake> found = findShake(withGrain(shaken(headerGridPage(), smear.degrees, smear.length), 4));
    ASSERT_TRUE(found.has_value()) << smear.degrees;
    EXPECT_LE(angleBetween(found->angleDegrees, smear.degrees), 5.0) << smear.degrees << " " << found->angleDegrees;
    EXPECT_NEAR(found->length, smear.length, 1.0) << smear.degrees;
  }
}

INSTANTIATE_TEST_SUITE_P(Directions, ShakeTest,
                         ::testing::Values(Smear{0, 9}, Smear{17, 7.5}, Smear{63, 12}, Smear{90, 10}, Smear{151, 8},
                                           Smear{172, 14}));

TEST(ShakeTest, FindsNoneOnASharpPage) { EXPECT_FALSE(findShake(withGrain(printedPage(), 4)).has_value()); }

TEST(ShakeTest, FindsNoneOnAPageOutOfFocus) {
  // Defocus blurs every direction alike: there is no smear to undo, and undoing one would add
  // ghosts.
  for (const double sigma : {1.2, 2.0, 3.0}) {
    cv::Mat blurred;
    cv::GaussianBlur(printedPage(), blurred, cv::Size(0, 0), sigma);
    EXPECT_FALSE(findShake(withGrain(blurred, 4)).has_value()) << "sigma " << sigma;
  }
}

TEST(ShakeTest, FindsNoneOnABlankPage) {
  EXPECT_FALSE(findShake(withGrain(cv::Mat(1200, 900, CV_8UC1, cv::Scalar(240)), 4)).has_value());
  EXPECT_FALSE(findShake(cv::Mat(100, 80, CV_8UC1, cv::Scalar(240))).has_value());
}

TEST(ShakeTest, APhotoKeepsTheQualityItWasTakenWith) {
  // A shaken close-up from a phone (a camera frame's proportions, no page edge): the smear is
  // removed before reading, but the page's quality, and so the low_sharpness warning, is that of
  // the photo as taken.
  cv::Mat frame(3000, 4000, CV_8UC1, cv::Scalar(245));
  cv::resize(printedPage(), frame(cv::Rect(0, 0, 4000, 3000)), cv::Size(4000, 3000));
  const cv::Mat photo = withGrain(shaken(frame, 30, 16), 4);
  const PreparedPage prepared = preparePage(photo);
  ASSERT_TRUE(prepared.shake.has_value());
  ASSERT_TRUE(prepared.takenQuality.has_value());
  EXPECT_LT(prepared.quality.sharpness, kLowSharpness);
  PrepareOptions keep;
  keep.removeShake = false;
  const PreparedPage untouched = preparePage(photo, keep);
  EXPECT_FALSE(untouched.shake.has_value());
  EXPECT_NEAR(prepared.quality.sharpness, untouched.quality.sharpness, 0.1);
}
