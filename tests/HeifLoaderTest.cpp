// The HEIC/HEIF loader: a phone's HEIC photo comes out in OpenCV's BGR order with the colours
// libheif's own RGB conversion gives, 10-bit photos too, and damaged files are an input problem.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <unistd.h>

#include <libheif/heif.h>
#include <opencv2/imgproc.hpp>

#include "Heif.h"
#include "noticescan/load/Loader.h"

namespace noticescan::load {
namespace {

/// `bgr` written as HEIC by the corpus generator (as a phone does: HEVC, YCbCr 4:2:0), as bytes.
std::string heic(const cv::Mat& bgr) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("noticescan-heif-test-" + std::to_string(::getpid()) + ".heic");
  std::string error;
  EXPECT_TRUE(samplegen::writeHeic(bgr, path.string(), 90, error)) << error;
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::filesystem::remove(path);
  return bytes;
}

/// The same file decoded by libheif straight to interleaved RGB, reordered to BGR: the reference.
cv::Mat libheifRgb(const std::string& bytes) {
  heif_context* ctx = heif_context_alloc();
  heif_context_read_from_memory_without_copy(ctx, bytes.data(), bytes.size(), nullptr);
  heif_image_handle* handle = nullptr;
  heif_context_get_primary_image_handle(ctx, &handle);
  heif_image* image = nullptr;
  heif_decode_image(handle, &image, heif_colorspace_RGB, heif_chroma_interleaved_RGB, nullptr);
  int stride = 0;
  const uint8_t* data = heif_image_get_plane_readonly(image, heif_channel_interleaved, &stride);
  const cv::Mat rgb(heif_image_get_height(image, heif_channel_interleaved),
                    heif_image_get_width(image, heif_channel_interleaved), CV_8UC3, const_cast<uint8_t*>(data),
                    static_cast<std::size_t>(stride));
  cv::Mat bgr;
  cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
  heif_image_release(image);
  heif_image_handle_release(handle);
  heif_context_free(ctx);
  return bgr;
}

TEST(HeifLoaderTest, PhotoComesOutAsBgrWithLibheifsColours) {
  // Red and blue halves on a page-coloured ground, with dark print: odd sizes, so the 4:2:0
  // chroma planes are rounded up.
  cv::Mat image(121, 255, CV_8UC3, cv::Scalar(225, 232, 238));
  image(cv::Rect(0, 0, 64, 64)).setTo(cv::Scalar(0, 0, 255));
  image(cv::Rect(128, 0, 64, 64)).setTo(cv::Scalar(255, 0, 0));
  cv::putText(image, "IOE0912345678", cv::Point(5, 100), cv::FONT_HERSHEY_SIMPLEX, 0.8, cv::Scalar(20, 20, 20), 2);
  const std::string bytes = heic(image);
  ASSERT_FALSE(bytes.empty());
  const std::unique_ptr<Document> doc = openHeif(bytes, ScanOptions{});
  ASSERT_EQ(doc->pageCount(), 1);
  const LoadedPage page = doc->page(0);
  ASSERT_EQ(page.image.type(), CV_8UC3);
  ASSERT_EQ(page.image.size(), image.size());
  EXPECT_EQ(page.sourceWidth, 255);
  EXPECT_EQ(page.sourceHeight, 121);
  const cv::Vec3b red = page.image.at<cv::Vec3b>(32, 32), blue = page.image.at<cv::Vec3b>(32, 160);
  EXPECT_GT(red[2], 200);
  EXPECT_LT(red[0], 60);
  EXPECT_GT(blue[0], 200);
  EXPECT_LT(blue[2], 60);
  // Pixel for pixel what libheif's own RGB output is (rounding apart).
  EXPECT_LE(cv::norm(page.image, libheifRgb(bytes), cv::NORM_INF), 2.0);
}

/// A 10-bit HEIC (as phones write HDR photos) of one colour, given as 10-bit R, G, B levels.
std::string tenBitHeic(int width, int height, const uint16_t rgb[3]) {
  heif_context* ctx = heif_context_alloc();
  heif_encoder* encoder = nullptr;
  heif_context_get_encoder_for_format(ctx, heif_compression_HEVC, &encoder);
  heif_encoder_set_lossy_quality(encoder, 90);
  heif_image* image = nullptr;
  heif_image_create(width, height, heif_colorspace_RGB, heif_chroma_444, &image);
  const heif_channel channels[3] = {heif_channel_R, heif_channel_G, heif_channel_B};
  for (int c = 0; c < 3; ++c) {
    heif_image_add_plane(image, channels[c], width, height, 10);
    int stride = 0;
    uint8_t* plane = heif_image_get_plane(image, channels[c], &stride);
    for (int y = 0; y < height; ++y) {
      auto* row = reinterpret_cast<uint16_t*>(plane + static_cast<std::ptrdiff_t>(y) * stride);
      std::fill(row, row + width, rgb[c]);
    }
  }
  std::string bytes;
  if (heif_context_encode_image(ctx, image, encoder, nullptr, nullptr).code == heif_error_Ok) {
    heif_writer writer{};
    writer.writer_api_version = 1;
    writer.write = [](heif_context*, const void* data, size_t size, void* out) {
      static_cast<std::string*>(out)->append(static_cast<const char*>(data), size);
      return heif_error{heif_error_Ok, heif_suberror_Unspecified, "ok"};
    };
    heif_context_write(ctx, &writer, &bytes);
  }
  heif_image_release(image);
  heif_encoder_release(encoder);
  heif_context_free(ctx);
  return bytes;
}

TEST(HeifLoaderTest, TenBitPhotoIsScaledToEightBits) {
  const uint16_t orange[3] = {1000, 500, 100};  // of 1023
  const std::string bytes = tenBitHeic(96, 64, orange);
  ASSERT_FALSE(bytes.empty());
  const LoadedPage page = openHeif(bytes, ScanOptions{})->page(0);
  ASSERT_EQ(page.image.type(), CV_8UC3);
  ASSERT_EQ(page.image.size(), cv::Size(96, 64));
  const cv::Vec3b pixel = page.image.at<cv::Vec3b>(32, 48);  // B, G, R
  EXPECT_NEAR(pixel[2], 1000 * 255 / 1023, 6);
  EXPECT_NEAR(pixel[1], 500 * 255 / 1023, 6);
  EXPECT_NEAR(pixel[0], 100 * 255 / 1023, 6);
  EXPECT_LE(cv::norm(page.image, libheifRgb(bytes), cv::NORM_INF), 2.0);
}

TEST(HeifLoaderTest, DamagedHeicIsAnInputProblemNotACrash) {
  cv::Mat image(64, 64, CV_8UC3, cv::Scalar(90, 160, 30));
  std::string bytes = heic(image);
  ASSERT_GT(bytes.size(), 200u);
  bytes.resize(bytes.size() / 2);  // the coded picture cut off
  try {
    openHeif(bytes, ScanOptions{});
    FAIL() << "a truncated HEIC was decoded";
  } catch (const LoadError& e) {
    EXPECT_EQ(e.code(), ErrorCode::Unreadable);
  }
}

}  // namespace
}  // namespace noticescan::load
