#pragma once

#include <string>
#include <string_view>

namespace noticescan::util {

/// Lower-case hex SHA-256 of `bytes` (OpenSSL).
std::string sha256Hex(std::string_view bytes);

}  // namespace noticescan::util
