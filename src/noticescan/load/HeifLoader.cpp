// HEIC/HEIF (iPhone photos) through libheif. libheif applies the file's rotation and mirroring, so
// the pixels come out as the photo is meant to be seen, like EXIF orientation for JPEG.
//
// The image is decoded in the layout libheif prefers (planar RGB for a phone's YCbCr 4:2:0 photo)
// and interleaved into BGR here with OpenCV: asking libheif for interleaved RGB instead does more
// conversion work (0.1-0.35 s more per 12 MP photo on one core in a harness; docs/PERFORMANCE.md).
// Other layouts go through libheif's conversion.
#include <memory>

#include <libheif/heif.h>
#include <opencv2/imgproc.hpp>

#include "noticescan/load/Loader.h"

namespace noticescan::load {
namespace {

void check(const heif_error& error, const char* what) {
  if (error.code != heif_error_Ok) {
    throw LoadError(ErrorCode::Unreadable, std::string("the HEIC/HEIF photo cannot be read (") + what + ": " +
                                               (error.message ? error.message : "unknown error") + ")");
  }
}

using ImagePtr = std::unique_ptr<heif_image, decltype(&heif_image_release)>;

ImagePtr decode(heif_image_handle* handle, heif_colorspace colorspace, heif_chroma chroma) {
  heif_image* raw = nullptr;
  check(heif_decode_image(handle, &raw, colorspace, chroma, nullptr), "decoding");
  return {raw, &heif_image_release};
}

/// One plane of `image` as 8-bit samples, or an empty Mat when the plane is missing. Deeper
/// samples (10- and 12-bit HDR photos) are scaled down to 8 bits.
cv::Mat plane(const heif_image* image, heif_channel channel) {
  if (!heif_image_has_channel(image, channel)) return {};
  const int bits = heif_image_get_bits_per_pixel_range(image, channel);
  int stride = 0;
  const uint8_t* data = heif_image_get_plane_readonly(image, channel, &stride);
  const int width = heif_image_get_width(image, channel), height = heif_image_get_height(image, channel);
  if (!data || width <= 0 || height <= 0 || bits < 8 || bits > 16) return {};
  if (bits == 8) return cv::Mat(height, width, CV_8UC1, const_cast<uint8_t*>(data), static_cast<std::size_t>(stride));
  const cv::Mat deep(height, width, CV_16UC1, const_cast<uint8_t*>(data), static_cast<std::size_t>(stride));
  cv::Mat out;
  deep.convertTo(out, CV_8U, 255.0 / ((1 << bits) - 1));
  return out;
}

/// The decoded image in OpenCV's layout (BGR, or gray for a monochrome picture), for the layouts
/// libheif hands out when asked for none in particular: planar RGB (what it makes of the usual
/// YCbCr 4:2:0 photo) and monochrome. Empty for anything else.
cv::Mat toOpenCv(const heif_image* image) {
  if (heif_image_has_channel(image, heif_channel_Alpha)) return {};
  const heif_colorspace colorspace = heif_image_get_colorspace(image);
  if (colorspace == heif_colorspace_RGB && heif_image_get_chroma_format(image) == heif_chroma_444) {
    const cv::Mat r = plane(image, heif_channel_R), g = plane(image, heif_channel_G), b = plane(image, heif_channel_B);
    if (r.empty() || g.empty() || b.empty() || r.size() != g.size() || r.size() != b.size()) return {};
    const cv::Mat channels[3] = {b, g, r};
    cv::Mat bgr;
    cv::merge(channels, 3, bgr);
    return bgr;
  }
  if (colorspace == heif_colorspace_monochrome) return plane(image, heif_channel_Y).clone();
  return {};
}

/// libheif's own conversion to interleaved 8-bit RGB, reordered to BGR.
cv::Mat bgrThroughLibheif(heif_image_handle* handle) {
  const ImagePtr image = decode(handle, heif_colorspace_RGB, heif_chroma_interleaved_RGB);
  int stride = 0;
  const uint8_t* data = heif_image_get_plane_readonly(image.get(), heif_channel_interleaved, &stride);
  const int width = heif_image_get_width(image.get(), heif_channel_interleaved);
  const int height = heif_image_get_height(image.get(), heif_channel_interleaved);
  if (!data || width <= 0 || height <= 0) {
    throw LoadError(ErrorCode::Unreadable, "the HEIC/HEIF photo has no colour image to read");
  }
  const cv::Mat rgb(height, width, CV_8UC3, const_cast<uint8_t*>(data), static_cast<std::size_t>(stride));
  cv::Mat bgr;
  cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
  return bgr;
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
  cv::Mat image;
  {
    const ImagePtr decoded = decode(handle.get(), heif_colorspace_undefined, heif_chroma_undefined);
    image = toOpenCv(decoded.get());
  }
  // Other layouts (an alpha channel, say) are decoded a second time, straight to RGB.
  if (image.empty()) image = bgrThroughLibheif(handle.get());
  return singleImageDocument(std::move(image));
}

}  // namespace noticescan::load
