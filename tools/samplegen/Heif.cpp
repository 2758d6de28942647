#include "Heif.h"

#include <cstring>
#include <memory>

#include <libheif/heif.h>

namespace samplegen {

bool writeHeic(const cv::Mat& bgr, const std::string& path, int quality, std::string& error) {
  std::unique_ptr<heif_context, decltype(&heif_context_free)> ctx(heif_context_alloc(), &heif_context_free);
  heif_encoder* rawEncoder = nullptr;
  heif_error err = heif_context_get_encoder_for_format(ctx.get(), heif_compression_HEVC, &rawEncoder);
  if (err.code != heif_error_Ok) {
    error = err.message;
    return false;
  }
  std::unique_ptr<heif_encoder, decltype(&heif_encoder_release)> encoder(rawEncoder, &heif_encoder_release);
  heif_encoder_set_lossy_quality(encoder.get(), quality);

  heif_image* rawImage = nullptr;
  err = heif_image_create(bgr.cols, bgr.rows, heif_colorspace_RGB, heif_chroma_interleaved_RGB, &rawImage);
  if (err.code != heif_error_Ok) {
    error = err.message;
    return false;
  }
  std::unique_ptr<heif_image, decltype(&heif_image_release)> image(rawImage, &heif_image_release);
  heif_image_add_plane(image.get(), heif_channel_interleaved, bgr.cols, bgr.rows, 8);
  int stride = 0;
  uint8_t* plane = heif_image_get_plane(image.get(), heif_channel_interleaved, &stride);
  for (int y = 0; y < bgr.rows; ++y) {
    const auto* src = bgr.ptr<cv::Vec3b>(y);
    uint8_t* dst = plane + static_cast<std::ptrdiff_t>(y) * stride;
    for (int x = 0; x < bgr.cols; ++x) {
      dst[3 * x] = src[x][2];
      dst[3 * x + 1] = src[x][1];
      dst[3 * x + 2] = src[x][0];
    }
  }
  err = heif_context_encode_image(ctx.get(), image.get(), encoder.get(), nullptr, nullptr);
  if (err.code == heif_error_Ok) err = heif_context_write_to_file(ctx.get(), path.c_str());
  if (err.code != heif_error_Ok) {
    error = err.message;
    return false;
  }
  return true;
}

}  // namespace samplegen
