// Tesseract's line images are written as PNG and read back (ocr/StoredPng.h). Inside a
// StoredPngScope they must be stored, not compressed, and still decode to the same pixels;
// everywhere else (debug images, previews, other threads) PNGs must stay compressed.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "noticescan/ocr/StoredPng.h"
#include "noticescan/util/Leptonica.h"

using noticescan::ocr::pngsStored;
using noticescan::ocr::StoredPngScope;
using noticescan::util::encodePng;

namespace {

/// Dark strokes on light paper, like a line of print: zlib squeezes it to a small part of its size.
cv::Mat lineOfPrint() {
  cv::Mat image(60, 400, CV_8UC1, cv::Scalar(235));
  for (int x = 10; x < 390; x += 14) {
    image(cv::Rect(x, 15, 3, 30)).setTo(30);
    image(cv::Rect(x, 15, 9, 3)).setTo(40);
  }
  return image;
}

bool decodesTo(const std::string& png, const cv::Mat& expected) {
  const std::vector<uchar> bytes(png.begin(), png.end());
  const cv::Mat decoded = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
  return !decoded.empty() && decoded.type() == expected.type() && decoded.size() == expected.size() &&
         cv::countNonZero(decoded != expected) == 0;
}

}  // namespace

TEST(StoredPngTest, PngsWrittenInsideAScopeAreStoredAndDecodeToTheSamePixels) {
  const cv::Mat image = lineOfPrint();
  const std::string before = encodePng(image);
  std::string inside;
  {
    const StoredPngScope scope;
    EXPECT_TRUE(pngsStored());
    inside = encodePng(image);
  }
  EXPECT_FALSE(pngsStored());
  const std::string after = encodePng(image);

  EXPECT_LT(before.size(), image.total() / 4) << "outside a scope PNGs keep Leptonica's compression";
  EXPECT_GE(inside.size(), image.total()) << "inside a scope every pixel byte is stored";
  EXPECT_EQ(after.size(), before.size()) << "the scope's end restores compression";
  EXPECT_TRUE(decodesTo(before, image));
  EXPECT_TRUE(decodesTo(inside, image));
}

TEST(StoredPngTest, AScopeOnOneThreadLeavesOtherThreadsCompressing) {
  const cv::Mat image = lineOfPrint();
  const StoredPngScope scope;
  std::string elsewhere;
  std::thread([&] { elsewhere = encodePng(image); }).join();
  EXPECT_LT(elsewhere.size(), image.total() / 4);
  EXPECT_GE(encodePng(image).size(), image.total());
}

TEST(StoredPngTest, ScopesNest) {
  const cv::Mat image = lineOfPrint();
  {
    const StoredPngScope outer;
    {
      const StoredPngScope inner;
    }
    EXPECT_TRUE(pngsStored()) << "an inner scope's end must not end the outer one";
    EXPECT_GE(encodePng(image).size(), image.total());
  }
  EXPECT_FALSE(pngsStored());
}
