#pragma once

#include <string_view>

namespace noticescan::load {

/// Input formats, recognised from content (magic bytes), never from the file name.
enum class Format { Unknown, Jpeg, Png, Tiff, Webp, Bmp, Gif, Heif, Pdf };

/// Identifies the format of `bytes` from its first bytes. Unknown when nothing matches.
Format sniffFormat(std::string_view bytes);

/// Lower-case name for messages ("jpeg", "pdf", ...).
const char* formatName(Format format);

}  // namespace noticescan::load
