// util/Leptonica.h: a page handed to Leptonica or Tesseract must arrive pixel for pixel, whatever
// its width (rows of a PIX are padded to 32-bit words) and whether or not the Mat is a view.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>

#include "noticescan/util/Leptonica.h"

using noticescan::util::matToPix;
using noticescan::util::pixToMat;

namespace {

cv::Mat noise(int rows, int cols, int type) {
  cv::Mat m(rows, cols, type);
  cv::randu(m, 0, 256);
  return m;
}

}  // namespace

TEST(LeptonicaTest, GrayPixelsLandWhereLeptonicaReadsThemAtEveryRowPadding) {
  for (int cols : {1, 2, 3, 4, 5, 7, 33}) {
    const cv::Mat gray = noise(5, cols, CV_8UC1);
    const noticescan::util::PixPtr pix = matToPix(gray);
    ASSERT_EQ(pixGetDepth(pix.get()), 8);
    ASSERT_EQ(pixGetWidth(pix.get()), cols);
    for (int y = 0; y < gray.rows; ++y) {
      const l_uint32* line = pixGetData(pix.get()) + y * pixGetWpl(pix.get());
      for (int x = 0; x < cols; ++x) {
        ASSERT_EQ(GET_DATA_BYTE(line, x), gray.at<std::uint8_t>(y, x)) << "width " << cols << " at " << x << "," << y;
      }
      // The bytes past the last pixel stay clear: Leptonica's operations may read them.
      for (int x = cols; x < 4 * pixGetWpl(pix.get()); ++x) ASSERT_EQ(GET_DATA_BYTE(line, x), 0u) << "width " << cols;
    }
  }
}

TEST(LeptonicaTest, AViewIntoALargerImageIsCopiedByItsOwnRows) {
  const cv::Mat page = noise(40, 50, CV_8UC1);
  const cv::Mat view = page(cv::Rect(3, 5, 21, 17));
  const cv::Mat back = pixToMat(matToPix(view).get());
  ASSERT_EQ(back.size(), view.size());
  EXPECT_EQ(cv::countNonZero(back != view), 0);
}

TEST(LeptonicaTest, ColourSurvivesTheRoundTrip) {
  const cv::Mat bgr = noise(6, 9, CV_8UC3);
  const cv::Mat back = pixToMat(matToPix(bgr).get());
  ASSERT_EQ(back.type(), CV_8UC3);
  EXPECT_EQ(cv::norm(back, bgr, cv::NORM_INF), 0.0);
}
