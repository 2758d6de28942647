// The page finder on pages drawn with known corners on a textured table.
#include <gtest/gtest.h>

#include <cmath>

#include <opencv2/imgproc.hpp>

#include "TestPages.h"
#include "noticescan/page/PageFinder.h"
#include "noticescan/page/PagePreparer.h"
#include "noticescan/page/Quality.h"

using namespace noticescan;
using namespace noticescan::page;

namespace {

/// Lays `sheet` (BGR) onto `table` (BGR) with its corners at `corners`.
cv::Mat placeSheet(cv::Mat table, cv::Mat sheet, const std::vector<cv::Point2f>& corners) {
  const std::vector<cv::Point2f> from = {{0, 0},
                                         {static_cast<float>(sheet.cols), 0},
                                         {static_cast<float>(sheet.cols), static_cast<float>(sheet.rows)},
                                         {0, static_cast<float>(sheet.rows)}};
  const cv::Mat h = cv::getPerspectiveTransform(from, corners);
  cv::Mat mask(sheet.size(), CV_8U, cv::Scalar(255)), warpedMask;
  cv::warpPerspective(sheet, sheet, h, table.size());
  cv::warpPerspective(mask, warpedMask, h, table.size());
  sheet.copyTo(table, warpedMask);
  return table;
}

/// A 3000 x 4000 photo: wood-brown table with a stripe texture, a white sheet with text lines
/// whose corners are `corners`.
cv::Mat photo(const std::vector<cv::Point2f>& corners) {
  cv::Mat image(4000, 3000, CV_8UC3, cv::Scalar(50, 90, 140));
  for (int x = 0; x < image.cols; x += 37) cv::line(image, {x, 0}, {x + 200, image.rows}, cv::Scalar(40, 75, 120), 9);
  cv::Mat sheet(2200, 1700, CV_8UC3, cv::Scalar(235, 240, 242));
  for (int y = 150; y < 1200; y += 45) cv::line(sheet, {120, y}, {1500, y}, cv::Scalar(30, 30, 30), 6);
  return placeSheet(image, sheet, corners);
}

double cornerError(const Quad& found, const std::vector<cv::Point2f>& truth) {
  double worst = 0;
  for (std::size_t i = 0; i < 4; ++i) worst = std::max(worst, std::hypot(found[i].x - truth[i].x, found[i].y - truth[i].y));
  return worst;
}

}  // namespace

TEST(PageFinderTest, FindsATiltedSheetWithinOnePercentOfTheDiagonal) {
  const std::vector<std::vector<cv::Point2f>> cases = {
      {{500, 600}, {2400, 500}, {2600, 3500}, {350, 3600}},  // turned a little
      {{800, 700}, {2200, 700}, {2700, 3400}, {300, 3400}},  // strong perspective: top edge far away
      {{300, 300}, {2700, 300}, {2700, 3700}, {300, 3700}},  // square on
  };
  const double diagonal = std::hypot(3000.0, 4000.0);
  for (const auto& corners : cases) {
    const auto found = findPage(photo(corners));
    ASSERT_TRUE(found.has_value());
    EXPECT_LT(cornerError(found->corners, corners), 0.01 * diagonal);
    EXPECT_FALSE(found->cutByFrame);
  }
}

TEST(PageFinderTest, FindsASheetOnAPaleTableUnderAShadowWithAFold) {
  // White paper on a light grey table: the lit part of the table is brighter than the shadowed
  // part of the sheet, and a fold across the sheet is a straight edge of its own.
  const std::vector<cv::Point2f> corners = {{450, 700}, {2500, 560}, {2650, 3450}, {380, 3600}};
  cv::Mat sheet(2200, 1700, CV_8UC3, cv::Scalar(245, 247, 248));
  for (int y = 150; y < 1000; y += 45) cv::line(sheet, {120, y}, {1500, y}, cv::Scalar(40, 40, 40), 5);
  sheet(cv::Rect(0, 1400, 1700, 800)) -= cv::Scalar(18, 18, 18);  // the fold's far panel, turned from the light
  cv::Mat image = placeSheet(cv::Mat(4000, 3000, CV_8UC3, cv::Scalar(200, 205, 210)), sheet, corners);
  // Light: bright on the left, a soft shadow over the right half.
  cv::Mat light(image.size(), CV_32F);
  for (int x = 0; x < image.cols; ++x) light.col(x).setTo(1.12 - 0.4 * x / image.cols);
  cv::GaussianBlur(light, light, cv::Size(0, 0), 60);
  cv::Mat lit;
  image.convertTo(lit, CV_32FC3);
  cv::Mat light3;
  cv::merge(std::vector<cv::Mat>{light, light, light}, light3);
  lit = lit.mul(light3);
  lit.convertTo(image, CV_8UC3);

  const auto found = findPage(image);
  ASSERT_TRUE(found.has_value());
  EXPECT_LT(cornerError(found->corners, corners), 0.01 * std::hypot(3000.0, 4000.0));
}

TEST(PageFinderTest, FindsATurnedSheetWithACornerJustOutOfFrame) {
  // A folded letter turned on the table so that its top-right corner lies 3% past the frame's
  // right side: the sheet's four edges are in view, and the upper crease (a brighter panel above
  // it) is a straight edge across the sheet that must not be taken for its top.
  const std::vector<cv::Point2f> corners = {{556, 88}, {3090, 420}, {2777, 3642}, {185, 3465}};
  cv::Mat sheet(2200, 1700, CV_8UC3, cv::Scalar(222, 226, 228));
  sheet(cv::Rect(0, 0, 1700, 733)) += cv::Scalar(22, 22, 22);
  // Ten rows of words, not ruled lines: rows of print are straight edges too, and many long ones
  // would crowd the sheet's own edges out of the lines the finder keeps.
  for (int y = 150; y < 900; y += 75) {
    for (int x = 120; x < 1450; x += 150 + (x * 7 + y) % 60) cv::rectangle(sheet, cv::Rect(x, y, 110, 18), cv::Scalar(30, 30, 30), cv::FILLED);
  }
  cv::Mat image(4000, 3000, CV_8UC3, cv::Scalar(120, 118, 115)), grain(image.size(), CV_8UC3);
  cv::RNG(7).fill(grain, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(30));  // not the shared RNG: same grain in any test order
  image += grain;  // grey cloth
  const auto found = findPage(placeSheet(image, sheet, corners));
  ASSERT_TRUE(found.has_value());
  EXPECT_LT(cornerError(found->corners, corners), 0.01 * std::hypot(3000.0, 4000.0));
}

TEST(PageFinderTest, AShadowAcrossTheSheetIsNotTakenForItsEdge) {
  // The sheet's upper third lies in shadow, hardly brighter than the cloth around it, and holds
  // the print; the shadow's edge across the sheet is the strongest straight edge in the picture.
  // The print just beyond that line tells that it runs across the sheet, not along its edge.
  const std::vector<cv::Point2f> corners = {{520, 600}, {2450, 520}, {2600, 3500}, {420, 3580}};
  cv::Mat sheet(2200, 1700, CV_8UC3, cv::Scalar(240, 242, 243));
  sheet(cv::Rect(0, 0, 1700, 760)) -= cv::Scalar(85, 85, 85);
  for (int y = 120; y < 720; y += 60) {
    for (int x = 120; x < 1500; x += 140 + (x * 7 + y) % 50) cv::rectangle(sheet, cv::Rect(x, y, 100, 18), cv::Scalar(20, 20, 20), cv::FILLED);
  }
  cv::Mat image(4000, 3000, CV_8UC3, cv::Scalar(128, 130, 132)), grain(image.size(), CV_8UC3);
  cv::RNG(11).fill(grain, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(24));
  image += grain;
  const auto found = findPage(placeSheet(image, sheet, corners));
  ASSERT_TRUE(found.has_value());
  EXPECT_LT(cornerError(found->corners, corners), 0.01 * std::hypot(3000.0, 4000.0));
}

namespace {

/// A close-up: the sheet runs past every side of the frame but for a wedge of table at the top
/// left, and a deep shadow covers its left part, its edge a straight line down the sheet with rows
/// of words on both sides of it.
cv::Mat shadowedCloseUp() {
  cv::Mat sheet(2200, 1700, CV_8UC3, cv::Scalar(238, 240, 242));
  for (int y = 100; y < 2100; y += 70) {
    for (int x = 60; x < 1640; x += 130 + (x * 7 + y) % 40) cv::rectangle(sheet, cv::Rect(x, y, 90, 16), cv::Scalar(25, 25, 25), cv::FILLED);
  }
  cv::Mat image(4000, 3000, CV_8UC3, cv::Scalar(50, 90, 140)), grain(image.size(), CV_8UC3);
  cv::RNG(5).fill(grain, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(20));
  image += grain;  // wood
  image = placeSheet(image, sheet, {{1100, -500}, {3600, -300}, {3500, 4500}, {-500, 4400}});
  // The shadow: everything left of a line from (1300, 0) to (500, 4000) at 45% of its light.
  cv::Mat shade(image.size(), CV_32F, cv::Scalar(1.0f));
  for (int y = 0; y < image.rows; ++y) {
    const int edge = 1300 - y / 5;
    shade.row(y).colRange(0, edge).setTo(0.45f);
  }
  cv::GaussianBlur(shade, shade, cv::Size(0, 0), 6);
  cv::Mat lit, shade3;
  image.convertTo(lit, CV_32FC3);
  cv::merge(std::vector<cv::Mat>{shade, shade, shade}, shade3);
  lit = lit.mul(shade3);
  lit.convertTo(image, CV_8UC3);
  return image;
}

}  // namespace

TEST(PageFinderTest, AShadowsEdgeAcrossACloseUpIsNoPageEdge) {
  // The shadow's edge is the only long straight edge with paper on its bright side, but rows of
  // words go on past it: the page does not end there. No outline in view beats the frame, so none
  // is reported and the whole picture is read.
  EXPECT_FALSE(findPage(shadowedCloseUp()).has_value());
}

TEST(PageFinderTest, AViewersWindowFrameAboveThePageIsNotPrint) {
  // A screenshot: the page on a viewer's grey backdrop, a darker title bar with light buttons a
  // little above it. The bar's edge is no print beyond the page's top; the thin dark strip under
  // each button, between it and the bar's edge, is print, but a few buttons' worth along a side
  // is let pass (kPrintBeyondAllowance).
  cv::Mat screen(1472, 1640, CV_8UC3, cv::Scalar(85, 85, 85));
  screen(cv::Rect(0, 0, 1640, 50)).setTo(cv::Scalar(51, 51, 51));
  for (int x = 250; x < 400; x += 40) cv::circle(screen, {x, 36}, 9, cv::Scalar(235, 235, 235), cv::FILLED);
  const cv::Rect page(290, 78, 1056, 1366);
  screen(page).setTo(cv::Scalar(250, 250, 250));
  for (int y = 140; y < 700; y += 40) cv::line(screen, {360, y}, {1270, y}, cv::Scalar(30, 30, 30), 4);
  const auto found = findPage(screen);
  ASSERT_TRUE(found.has_value());
  EXPECT_LT(cornerError(found->corners, {{290, 78}, {1346, 78}, {1346, 1444}, {290, 1444}}), 8);
}

TEST(PageFinderTest, ReportsASheetCutByTheFrame) {
  const auto found = findPage(photo({{400, 500}, {2600, 450}, {2800, 5200}, {200, 5300}}));
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->cutByFrame);
}

TEST(PageFinderTest, NoPageOnAPlainScan) {
  cv::Mat scan(3300, 2550, CV_8UC1, cv::Scalar(245));
  for (int y = 200; y < 3000; y += 60) cv::line(scan, {150, y}, {2400, y}, cv::Scalar(20), 5);
  EXPECT_FALSE(findPage(scan).has_value());
}

TEST(PageFinderTest, PreparedPhotoIsFlatAndMapsBackToThePhoto) {
  const std::vector<cv::Point2f> corners = {{500, 600}, {2400, 500}, {2600, 3500}, {350, 3600}};
  const PreparedPage prepared = preparePage(photo(corners));
  ASSERT_TRUE(prepared.flattened);
  EXPECT_EQ(prepared.rotation, 0);
  // The flat page's corners go back to the sheet's corners in the photo.
  const Point topLeft = apply(prepared.toInput, Point{0, 0});
  const Point bottomRight = apply(prepared.toInput, Point{static_cast<double>(prepared.gray.cols),
                                                          static_cast<double>(prepared.gray.rows)});
  EXPECT_LT(std::hypot(topLeft.x - 500, topLeft.y - 600), 50);
  EXPECT_LT(std::hypot(bottomRight.x - 2600, bottomRight.y - 3500), 50);
}

TEST(PageFinderTest, EvenOutLightRemovesAShadow) {
  cv::Mat page(1000, 800, CV_8UC1, cv::Scalar(230));
  page(cv::Rect(0, 0, 400, 1000)) = cv::Scalar(130);  // half the sheet in shadow
  for (int y = 100; y < 900; y += 50) cv::line(page, {50, y}, {750, y}, cv::Scalar(20), 3);
  const cv::Mat even = evenOutLight(page);
  // Blank paper in the shadow and in the light end up alike.
  EXPECT_NEAR(even.at<std::uint8_t>(125, 200), even.at<std::uint8_t>(125, 600), 20);
  // Text stays dark.
  EXPECT_LT(even.at<std::uint8_t>(100, 200), 140);
}

TEST(QualityTest, BlurLowersSharpnessBelowTheWarningLine) {
  const cv::Mat page = testing_pages::printedPage();
  cv::Mat blurred;
  cv::GaussianBlur(page, blurred, cv::Size(0, 0), 6);
  const PageQuality crisp = measureQuality(page);
  const PageQuality soft = measureQuality(blurred);
  EXPECT_GE(crisp.sharpness, kLowSharpness);
  EXPECT_LT(soft.sharpness, kLowSharpness);
  EXPECT_GT(crisp.contrast, kLowContrast);
}
