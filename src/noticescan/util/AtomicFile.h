#pragma once

#include <filesystem>
#include <string_view>

namespace noticescan::util {

/// Writes `bytes` to `path` so that a reader sees the old file or the whole new one, never part:
/// a temporary file beside it, created private (mode 0600, mkstemp), written, flushed to disk,
/// then renamed over `path`. The file keeps mode 0600: what noticescan writes holds a notice's
/// content. Returns false on failure, leaving no temporary file behind.
bool writeFileAtomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace noticescan::util
