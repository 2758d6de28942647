#pragma once
// The page `noticescan serve` answers at / (src/web/), compiled into the executable so that it
// works offline from any directory.

#include <string_view>

namespace cli {

struct WebAsset {
  std::string_view path;         ///< as requested, e.g. "/app.js"
  std::string_view contentType;  ///< with charset
  std::string_view body;
};

/// The asset served at `path` ("/" is the page itself), or null.
const WebAsset* findWebAsset(std::string_view path);

}  // namespace cli
