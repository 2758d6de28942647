// The image loader. Its JPEG path (libjpeg straight into OpenCV's layout): channel order, gray stays
// gray, large photos decoded at a reduced size with their source size kept, and damaged data
// answered as an input problem; and black-and-white pages (faxes) told apart from gray ones.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include <jpeglib.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "noticescan/load/Loader.h"

namespace noticescan::load {
namespace {

std::string encode(const cv::Mat& image, const char* ext = ".jpg") {
  std::vector<unsigned char> bytes;
  cv::imencode(ext, image, bytes, {cv::IMWRITE_JPEG_QUALITY, 95});
  return {bytes.begin(), bytes.end()};
}

LoadedPage loadOnly(const std::string& bytes) {
  const std::unique_ptr<Document> doc = openImage(bytes, Format::Jpeg, ScanOptions{});
  EXPECT_EQ(doc->pageCount(), 1);
  return doc->page(0);
}

/// A CMYK JPEG (as some print workflows and scanners write) of `width` x `height` pixels, one ink
/// value everywhere: written with libjpeg, since OpenCV writes no CMYK.
std::string cmykJpeg(int width, int height, const unsigned char ink[4]) {
  jpeg_compress_struct info;
  jpeg_error_mgr errors;
  info.err = jpeg_std_error(&errors);
  jpeg_create_compress(&info);
  unsigned char* data = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&info, &data, &size);
  info.image_width = static_cast<JDIMENSION>(width);
  info.image_height = static_cast<JDIMENSION>(height);
  info.input_components = 4;
  info.in_color_space = JCS_CMYK;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, 95, TRUE);
  jpeg_start_compress(&info, TRUE);
  std::vector<unsigned char> row(static_cast<std::size_t>(width) * 4);
  for (int x = 0; x < width; ++x) std::copy(ink, ink + 4, row.begin() + 4 * x);
  while (info.next_scanline < info.image_height) {
    JSAMPROW line = row.data();
    jpeg_write_scanlines(&info, &line, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  std::string bytes(reinterpret_cast<const char*>(data), size);
  std::free(data);
  return bytes;
}

TEST(ImageLoaderTest, ColourJpegComesOutAsBgrInOpenCvOrder) {
  cv::Mat image(64, 128, CV_8UC3, cv::Scalar(0, 0, 255));                         // red (BGR)
  image(cv::Rect(64, 0, 64, 64)).setTo(cv::Scalar(255, 0, 0));                    // blue
  const LoadedPage page = loadOnly(encode(image));
  ASSERT_EQ(page.image.type(), CV_8UC3);
  ASSERT_EQ(page.image.size(), image.size());
  const cv::Vec3b red = page.image.at<cv::Vec3b>(32, 16), blue = page.image.at<cv::Vec3b>(32, 112);
  EXPECT_GT(red[2], 230);
  EXPECT_LT(red[0], 25);
  EXPECT_GT(blue[0], 230);
  EXPECT_LT(blue[2], 25);
}

TEST(ImageLoaderTest, GrayJpegStaysGrayAndMatchesOpenCvsDecoder) {
  cv::Mat image(300, 400, CV_8UC1, cv::Scalar(235));
  cv::putText(image, "IOE0912345678", cv::Point(10, 150), cv::FONT_HERSHEY_SIMPLEX, 1.2, cv::Scalar(20), 2);
  const std::string bytes = encode(image);
  const LoadedPage page = loadOnly(bytes);
  ASSERT_EQ(page.image.type(), CV_8UC1);
  const cv::Mat reference = cv::imdecode(std::vector<unsigned char>(bytes.begin(), bytes.end()), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(reference.type(), CV_8UC1);
  EXPECT_LE(cv::norm(page.image, reference, cv::NORM_INF), 1.0);
  EXPECT_EQ(page.sourceWidth, 400);
  EXPECT_EQ(page.sourceHeight, 300);
}

TEST(ImageLoaderTest, LargePhotoIsDecodedSmallerButKeepsItsSourceSize) {
  // 25 MP: above the full-decode limit, so libjpeg decodes it at half size.
  cv::Mat image(4100, 6100, CV_8UC3, cv::Scalar(200, 210, 220));
  cv::rectangle(image, cv::Rect(1000, 1000, 2000, 1000), cv::Scalar(30, 30, 30), cv::FILLED);
  const LoadedPage page = loadOnly(encode(image));
  EXPECT_EQ(page.image.cols, 3050);
  EXPECT_EQ(page.image.rows, 2050);
  EXPECT_EQ(page.sourceWidth, 6100);
  EXPECT_EQ(page.sourceHeight, 4100);
  // The dark box maps back to where it is in the file.
  const cv::Point2d centre = {page.toSource(0, 0) * 1000, page.toSource(1, 1) * 750};
  EXPECT_NEAR(centre.x, 2000, 4);
  EXPECT_NEAR(centre.y, 1500, 4);
  EXPECT_LT(page.image.at<cv::Vec3b>(750, 1000)[0], 60);
}

TEST(ImageLoaderTest, CmykJpegIsDecodedThroughLeptonica) {
  // libjpeg gives no BGR from CMYK; the loader hands such files to Leptonica, which converts them.
  const unsigned char ink[4] = {255, 255, 255, 255};  // Adobe's inverted CMYK: no ink, white paper
  const LoadedPage page = loadOnly(cmykJpeg(120, 80, ink));
  ASSERT_EQ(page.image.type(), CV_8UC3);
  EXPECT_EQ(page.image.size(), cv::Size(120, 80));
  const cv::Scalar mean = cv::mean(page.image);
  EXPECT_GT(mean[0] + mean[1] + mean[2], 3 * 200.0);
}

TEST(ImageLoaderTest, BlackAndWhitePagesAreToldApartFromGrayOnes) {
  // A fax as fax software writes it: 204 x 98 dpi, nothing but black and white. It is stretched
  // to square pixels, which makes grays; the page still says it was stored black and white, so
  // that its enlarged letters are smoothed before OCR.
  cv::Mat fax(98, 204, CV_8UC1, cv::Scalar(255));
  cv::putText(fax, "A012", cv::Point(10, 60), cv::FONT_HERSHEY_SIMPLEX, 1.0, cv::Scalar(0), 2);
  cv::threshold(fax, fax, 128, 255, cv::THRESH_BINARY);
  std::vector<unsigned char> bytes;
  cv::imencode(".tif", fax, bytes, {cv::IMWRITE_TIFF_RESUNIT, 2, cv::IMWRITE_TIFF_XDPI, 204, cv::IMWRITE_TIFF_YDPI, 98});
  const std::string tiff(bytes.begin(), bytes.end());
  const LoadedPage stretched = openImage(tiff, Format::Tiff, ScanOptions{})->page(0);
  EXPECT_EQ(stretched.image.rows, 204);
  EXPECT_TRUE(stretched.bilevel);
  EXPECT_TRUE(openImage(encode(fax, ".png"), Format::Png, ScanOptions{})->page(0).bilevel);

  // One gray pixel makes a gray page; so does a photo's JPEG.
  cv::Mat gray = fax.clone();
  gray.at<unsigned char>(5, 5) = 128;
  EXPECT_FALSE(openImage(encode(gray, ".png"), Format::Png, ScanOptions{})->page(0).bilevel);
  EXPECT_FALSE(loadOnly(encode(fax)).bilevel);
}

TEST(ImageLoaderTest, DamagedJpegDataIsAnInputProblemNotACrash) {
  cv::Mat image(200, 200, CV_8UC3, cv::Scalar(90, 160, 30));
  std::string bytes = encode(image);
  // Keep the headers and the end marker; scramble the entropy-coded data in between.
  for (std::size_t i = bytes.size() / 2; i + 2 < bytes.size(); i += 7) bytes[i] = static_cast<char>(0xFF);
  try {
    const LoadedPage page = loadOnly(bytes);
    EXPECT_FALSE(page.image.empty());  // libjpeg may still decode what it can, with warnings
  } catch (const LoadError& e) {
    EXPECT_EQ(e.code(), ErrorCode::Unreadable);
  }
}

}  // namespace
}  // namespace noticescan::load
