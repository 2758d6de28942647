#include <csetjmp>
#include <cstdio>
#include <cmath>
#include <memory>

#include <jpeglib.h>
#include <libexif/exif-data.h>
#include <opencv2/imgproc.hpp>

#include "noticescan/load/Loader.h"
#include "noticescan/util/Leptonica.h"

namespace noticescan::load {
namespace {

/// JPEGs with more pixels than this are decoded at a reduced size (half, or a quarter beyond four
/// times this): 24 MP keeps a photographed letter page well above 300 dpi.
constexpr std::uint64_t kFullDecodePixels = 24'000'000;

/// The EXIF orientation of a JPEG (1-8; 1 when there is none).
int exifOrientation(std::string_view bytes) {
  const std::unique_ptr<ExifData, void (*)(ExifData*)> exif(
      exif_data_new_from_data(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<unsigned>(bytes.size())),
      exif_data_unref);
  if (!exif) return 1;
  ExifEntry* entry = exif_content_get_entry(exif->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
  if (!entry || entry->format != EXIF_FORMAT_SHORT || entry->components < 1) return 1;
  const int value = exif_get_short(entry->data, exif_data_get_byte_order(exif.get()));
  return value >= 1 && value <= 8 ? value : 1;
}

/// Turns and mirrors a decoded image the way its EXIF orientation says it is meant to be shown.
cv::Mat applyOrientation(cv::Mat image, int orientation) {
  if (orientation >= 5) cv::transpose(image, image);  // 5-8 swap rows and columns
  switch (orientation) {
    case 2: case 6: cv::flip(image, image, 1); break;   // mirrored; 6: with the transpose, a quarter turn clockwise
    case 3: case 7: cv::flip(image, image, -1); break;  // half turn; 7: with the transpose, the other diagonal
    case 4: case 8: cv::flip(image, image, 0); break;   // upside down mirrored; 8: a quarter turn anticlockwise
    default: break;                                     // 1 as stored; 5: the transpose alone
  }
  return image;
}

/// libjpeg reports a fatal error by calling error_exit, which must not return: it jumps back to
/// decodeJpeg's setjmp. Warnings (damaged data that still decodes) are not printed.
struct JpegErrors {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
};

extern "C" void jpegFail(j_common_ptr info) { std::longjmp(reinterpret_cast<JpegErrors*>(info->err)->jump, 1); }
extern "C" void jpegQuiet(j_common_ptr) {}

enum class JpegDecode { Done, NotGrayOrRgb, Damaged };

/// Decodes a gray or colour JPEG at 1/`reduction` of its size straight into `out` (gray or BGR,
/// the layout OpenCV uses), with no intermediate copy: about 40% faster than through a PIX.
/// NotGrayOrRgb: CMYK and the like, which libjpeg cannot turn into BGR (Leptonica can).
/// Only plain data lives in this frame: a longjmp out of libjpeg must not skip a destructor.
JpegDecode decodeJpeg(std::string_view bytes, int reduction, cv::Mat* out) {
  jpeg_decompress_struct info;
  JpegErrors errors;
  info.err = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = jpegFail;
  errors.manager.output_message = jpegQuiet;
  if (setjmp(errors.jump)) {
    jpeg_destroy_decompress(&info);
    return JpegDecode::Damaged;
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&info, TRUE);
  const bool gray = info.jpeg_color_space == JCS_GRAYSCALE;
  if (!gray && info.jpeg_color_space != JCS_YCbCr && info.jpeg_color_space != JCS_RGB) {
    jpeg_destroy_decompress(&info);
    return JpegDecode::NotGrayOrRgb;
  }
  info.out_color_space = gray ? JCS_GRAYSCALE : JCS_EXT_BGR;
  info.scale_num = 1;
  info.scale_denom = static_cast<unsigned>(reduction);
  jpeg_start_decompress(&info);
  out->create(static_cast<int>(info.output_height), static_cast<int>(info.output_width), gray ? CV_8UC1 : CV_8UC3);
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = out->ptr<unsigned char>(static_cast<int>(info.output_scanline));
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  return JpegDecode::Done;
}

/// Decodes a JPEG (at 1/`reduction` of its size), PNG, WebP, BMP or GIF; empty when the data
/// cannot be decoded. Transparent pixels are laid on white paper.
cv::Mat decode(std::string_view bytes, Format format, int reduction) {
  if (format == Format::Jpeg) {
    cv::Mat image;
    switch (decodeJpeg(bytes, reduction, &image)) {
      case JpegDecode::Done: return applyOrientation(std::move(image), exifOrientation(bytes));
      case JpegDecode::Damaged: return {};  // Leptonica's reader is the same libjpeg: no second try
      case JpegDecode::NotGrayOrRgb: break;
    }
  }
  // Everything else, and the JPEGs libjpeg will not give as gray or BGR (CMYK), through Leptonica.
  const auto* data = reinterpret_cast<const l_uint8*>(bytes.data());
  util::PixPtr pix;
  if (format == Format::Jpeg) {
    l_int32 warnings = 0;
    pix.reset(pixReadMemJpeg(data, bytes.size(), 0, reduction, &warnings, 0));
  } else {
    pix.reset(pixReadMem(data, bytes.size()));
  }
  if (!pix) return {};
  if (pixGetDepth(pix.get()) == 32 && pixGetSpp(pix.get()) == 4) {
    pix.reset(pixAlphaBlendUniform(pix.get(), 0xffffff00));
    if (!pix) return {};
  }
  cv::Mat image = util::pixToMat(pix.get());
  return format == Format::Jpeg ? applyOrientation(std::move(image), exifOrientation(bytes)) : image;
}

/// Whether a decoded raster holds nothing but pure black and pure white.
bool isBilevel(const cv::Mat& image) {
  if (image.empty() || image.channels() != 1 || image.depth() != CV_8U) return false;
  cv::Mat between;
  cv::inRange(image, 1, 254, between);
  return cv::countNonZero(between) == 0;
}

/// One decoded frame: JPEG (turned by its EXIF orientation), PNG, WebP, BMP, GIF, and HEIC photos.
class SingleImage final : public Document {
 public:
  SingleImage(cv::Mat image, double reduction) : image_(std::move(image)), reduction_(reduction) {}
  std::string kind() const override { return "image"; }
  int pageCount() const override { return 1; }
  LoadedPage page(int) override {
    LoadedPage page;
    page.image = image_;
    page.bilevel = isBilevel(image_);
    // Coordinates are reported in the full-size photo's pixels even when it was decoded reduced.
    page.sourceWidth = image_.cols * reduction_;
    page.sourceHeight = image_.rows * reduction_;
    page.toSource = cv::Matx33d(reduction_, 0, 0, 0, reduction_, 0, 0, 0, 1);
    return page;
  }

 private:
  cv::Mat image_;
  double reduction_;
};

/// TIFF (possibly many pages, possibly fax resolution), decoded by Leptonica one page at a time
/// when it is asked for. Every page's size is read from its header first, so a page that would
/// exceed the pixel limit is refused before anything is allocated for it.
class TiffImage final : public Document {
 public:
  TiffImage(std::string_view bytes, const ScanOptions& options)
      : data_(reinterpret_cast<const l_uint8*>(bytes.data())), size_(bytes.size()), options_(options) {
    util::quietLeptonica();
    for (int n = 0;; ++n) {
      l_int32 w = 0, h = 0, bps = 0, spp = 0, res = 0, cmap = 0, format = 0;
      if (readHeaderMemTiff(data_, size_, n, &w, &h, &bps, &spp, &res, &cmap, &format) != 0) break;
      if (n >= options_.maxPages) {
        throw LoadError(ErrorCode::TooLarge, "the TIFF has more than " + std::to_string(options_.maxPages) +
                                                 " pages, the limit: split it");
      }
      sizes_.emplace_back(w, h);
    }
    if (sizes_.empty()) throw LoadError(ErrorCode::Unreadable, "the TIFF file is damaged or truncated");
  }
  std::string kind() const override { return "image"; }
  int pageCount() const override { return static_cast<int>(sizes_.size()); }
  LoadedPage page(int index) override {
    const cv::Size size = sizes_.at(static_cast<std::size_t>(index));
    checkPixelLimit(static_cast<std::uint64_t>(size.width), static_cast<std::uint64_t>(size.height), options_);
    util::PixPtr pix(pixReadMemTiff(data_, size_, index));
    if (!pix) {
      throw LoadError(ErrorCode::Unreadable, "TIFF page " + std::to_string(index + 1) + " is damaged or truncated");
    }
    LoadedPage page;
    page.image = util::pixToMat(pix.get());
    page.bilevel = isBilevel(page.image);
    page.sourceWidth = page.image.cols;
    page.sourceHeight = page.image.rows;
    // Fax pages often have non-square pixels (204 x 98 dpi): stretch to square pixels so text
    // has its normal shape, and keep the map back to the stored pixels. Only ratios a scanner or
    // fax makes (up to 4:1) are followed: the tags are the file's word, and a made-up 1000:1
    // would make a page of a thousand times the pixels its header declares (or of none).
    const int xres = pixGetXRes(pix.get());
    const int yres = pixGetYRes(pix.get());
    const double ratio = xres > 0 && yres > 0 ? static_cast<double>(xres) / yres : 1.0;
    const double difference = std::abs(static_cast<double>(xres) - static_cast<double>(yres));
    if (ratio >= 0.25 && ratio <= 4 && difference > 0.1 * std::max(xres, yres)) {
      checkPixelLimit(static_cast<std::uint64_t>(page.image.cols),
                      static_cast<std::uint64_t>(std::ceil(page.image.rows * ratio)), options_);
      cv::resize(page.image, page.image,
                 cv::Size(page.image.cols, std::max(1, static_cast<int>(std::lround(page.image.rows * ratio)))), 0,
                 0, cv::INTER_CUBIC);
      page.toSource = cv::Matx33d(1, 0, 0, 0, 1 / ratio, 0, 0, 0, 1);
    }
    return page;
  }

 private:
  const l_uint8* data_;
  std::size_t size_;
  ScanOptions options_;
  std::vector<cv::Size> sizes_;
};

/// libjpeg decodes a truncated file with a warning and fills the rest with grey, which would
/// OCR as a blank half page: insist on the end-of-image marker after the first scan instead.
bool jpegIsComplete(std::string_view bytes) {
  std::size_t pos = 2;  // after SOI
  while (pos + 4 <= bytes.size()) {
    if (static_cast<unsigned char>(bytes[pos]) != 0xFF) return false;
    const auto marker = static_cast<unsigned char>(bytes[pos + 1]);
    if (marker == 0xFF) { ++pos; continue; }  // fill byte
    const std::size_t length = (static_cast<unsigned char>(bytes[pos + 2]) << 8) |
                               static_cast<unsigned char>(bytes[pos + 3]);
    if (marker == 0xDA) {  // start of scan: EOI must follow somewhere after the entropy data
      return bytes.find("\xFF\xD9", pos + 2 + length) != std::string_view::npos;
    }
    pos += 2 + length;
  }
  return false;
}

bool pngIsComplete(std::string_view bytes) {
  const std::size_t tail = bytes.size() > 64 ? bytes.size() - 64 : 0;
  return bytes.find("IEND", tail) != std::string_view::npos;
}

}  // namespace

std::unique_ptr<Document> openImage(std::string_view bytes, Format format, const ScanOptions& options) {
  if (format == Format::Tiff) return std::make_unique<TiffImage>(bytes, options);
  if ((format == Format::Jpeg && !jpegIsComplete(bytes)) ||
      (format == Format::Png && !pngIsComplete(bytes))) {
    throw LoadError(ErrorCode::Unreadable, std::string("the ") + formatName(format) +
                                               " image is truncated (the file ends before the image does)");
  }
  // Every image is measured from its header before it is decoded: too many pixels are refused
  // before any allocation (a 100000 x 100000 PNG is a few hundred bytes), and a very large photo
  // (24-48 MP) is decoded straight to a half or quarter size by libjpeg, which is all OCR needs.
  int reduction = 1;
  util::quietLeptonica();
  l_int32 headerFormat = 0, width = 0, height = 0, bps = 0, spp = 0, colormap = 0;
  if (pixReadHeaderMem(reinterpret_cast<const l_uint8*>(bytes.data()), bytes.size(), &headerFormat, &width, &height,
                       &bps, &spp, &colormap) == 0) {
    checkPixelLimit(static_cast<std::uint64_t>(width), static_cast<std::uint64_t>(height), options);
    const auto pixels = static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height);
    if (format == Format::Jpeg && pixels > 4 * kFullDecodePixels) {
      reduction = 4;
    } else if (format == Format::Jpeg && pixels > kFullDecodePixels) {
      reduction = 2;
    }
  }
  cv::Mat image = decode(bytes, format, reduction);
  if (image.empty()) {
    throw LoadError(ErrorCode::Unreadable, std::string("the ") + formatName(format) +
                                               " image is damaged or truncated and cannot be decoded");
  }
  checkPixelLimit(static_cast<std::uint64_t>(image.cols), static_cast<std::uint64_t>(image.rows), options);
  return singleImageDocument(std::move(image), static_cast<double>(reduction));
}

std::unique_ptr<Document> singleImageDocument(cv::Mat image, double reduction) {
  return std::make_unique<SingleImage>(std::move(image), reduction);
}

}  // namespace noticescan::load
