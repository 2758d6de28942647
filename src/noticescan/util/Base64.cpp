#include "noticescan/util/Base64.h"

#include <openssl/evp.h>

namespace noticescan::util {

std::string base64(std::string_view bytes) {
  // EVP_EncodeBlock writes 4 characters per 3 bytes (rounded up) and a terminating NUL.
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

}  // namespace noticescan::util
