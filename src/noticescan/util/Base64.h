#pragma once

#include <string>
#include <string_view>

namespace noticescan::util {

/// Standard base64 (RFC 4648, with padding) of `bytes` (OpenSSL).
std::string base64(std::string_view bytes);

}  // namespace noticescan::util
