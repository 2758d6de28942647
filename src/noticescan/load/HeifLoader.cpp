// HEIC/HEIF (iPhone photos) through libheif. libheif applies the file's rotation and mirroring, so
// the pixels come out as the photo is meant to be seen, like EXIF orientation for JPEG.
#include <memory>

#include <libheif/heif.h>

#include "noticescan/load/Loader.h"

namespace noticescan::load {
namespace {

void check(const heif_error& error, const char* what) {
  if (error.code != heif_error_Ok) {
    throw LoadError(ErrorCode::Unreadable, std::string("the HEIC/HEIF photo cannot be read (") + what + ": " +
                                               (error.message ? error.message : "unknown error") + ")");
  }
}

}  // namespace

std::unique_ptr<Document> openHeif(std::string_view bytes, const ScanOptions& options) {
  std::unique_ptr<heif_context, decltype(&heif_context_free)> ctx(heif_context_alloc(), &heif_context_free);
  check(heif_context_read_from_memory_without_copy(ctx.get(), bytes.data(), bytes.size(), nullptr), "container");
  heif_image_handle* rawHandle = nullptr;
  check(heif_context_get_primary_image_handle(ctx.get(), &rawHandle), "primary image");
  std::unique_ptr<heif_image_handle, decltype(&heif_image_handle_release)> handle(rawHandle, &heif_image_handle_release);

  // Refuse oversized images before decoding a single pixel.
  checkPixelLimit(static_cast<std::uint64_t>(heif_image_handle_get_width(handle.get())),
                  static_cast<std::uint64_t>(heif_image_handle_get_height(handle.get())), options);
  heif_image* rawImage = nullptr;
  check(heif_decode_image(handle.get(), &rawImage, heif_colorspace_RGB, heif_chroma_interleaved_RGB, nullptr),
        "decoding");
  std::unique_ptr<heif_image, decltype(&heif_image_release)> image(rawImage, &heif_image_release);
  int stride = 0;
  const uint8_t* plane = heif_image_get_plane_readonly(image.get(), heif_channel_interleaved, &stride);
  const int width = heif_image_get_width(image.get(), heif_channel_interleaved);
  const int height = heif_image_get_height(image.get(), heif_channel_interleaved);
  if (!plane || width <= 0 || height <= 0) {
    throw LoadError(ErrorCode::Unreadable, "the HEIC/HEIF photo has no colour image to read");
  }
  cv::Mat bgr(height, width, CV_8UC3);
  for (int y = 0; y < height; ++y) {
    const uint8_t* src = plane + static_cast<std::ptrdiff_t>(y) * stride;
    auto* dst = bgr.ptr<cv::Vec3b>(y);
    for (int x = 0; x < width; ++x) dst[x] = cv::Vec3b(src[3 * x + 2], src[3 * x + 1], src[3 * x]);
  }
  return singleImageDocument(std::move(bgr));
}

}  // namespace noticescan::load
