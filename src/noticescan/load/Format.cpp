#include "noticescan/load/Format.h"

#include <algorithm>

namespace noticescan::load {
namespace {

bool startsWith(std::string_view bytes, std::string_view magic) {
  return bytes.size() >= magic.size() && bytes.substr(0, magic.size()) == magic;
}

}  // namespace

Format sniffFormat(std::string_view bytes) {
  using namespace std::string_view_literals;
  if (startsWith(bytes, "\xFF\xD8\xFF"sv)) return Format::Jpeg;
  if (startsWith(bytes, "\x89PNG\r\n\x1A\n"sv)) return Format::Png;
  if (startsWith(bytes, "II*\0"sv) || startsWith(bytes, "MM\0*"sv)) return Format::Tiff;
  if (bytes.size() >= 12 && startsWith(bytes, "RIFF"sv) && bytes.substr(8, 4) == "WEBP"sv) {
    return Format::Webp;
  }
  if (startsWith(bytes, "BM"sv) && bytes.size() >= 26) return Format::Bmp;
  if (startsWith(bytes, "GIF87a"sv) || startsWith(bytes, "GIF89a"sv)) return Format::Gif;
  if (bytes.size() >= 12 && bytes.substr(4, 4) == "ftyp"sv) {
    const std::string_view brand = bytes.substr(8, 4);
    for (std::string_view heif : {"heic"sv, "heix"sv, "hevc"sv, "heim"sv, "heis"sv, "mif1"sv,
                                  "msf1"sv, "avif"sv}) {
      if (brand == heif) return Format::Heif;
    }
  }
  // PDF readers accept the header anywhere in the first KiB (some files carry junk before it).
  const std::string_view head = bytes.substr(0, std::min<std::size_t>(bytes.size(), 1024));
  if (head.find("%PDF-"sv) != std::string_view::npos) return Format::Pdf;
  return Format::Unknown;
}

const char* formatName(Format format) {
  switch (format) {
    case Format::Jpeg: return "jpeg";
    case Format::Png: return "png";
    case Format::Tiff: return "tiff";
    case Format::Webp: return "webp";
    case Format::Bmp: return "bmp";
    case Format::Gif: return "gif";
    case Format::Heif: return "heif";
    case Format::Pdf: return "pdf";
    case Format::Unknown: return "unknown";
  }
  return "unknown";
}

}  // namespace noticescan::load
