#pragma once
// Helpers shared by the fuzz targets: reading structured values off the fuzzer's bytes, and a
// check that stops the run (so the fuzzer keeps the input) when an invariant breaks.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace fuzz {

/// Takes values off the front of the input; past its end everything is zero or empty.
class Bytes {
 public:
  Bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  /// Up to `max` bytes, ending early at `stop` (which is consumed, not returned).
  std::string text(std::size_t max, char stop = '\n') {
    std::string out;
    while (pos_ < size_ && out.size() < max) {
      const char c = static_cast<char>(data_[pos_++]);
      if (c == stop) break;
      out += c;
    }
    return out;
  }
  bool empty() const { return pos_ >= size_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

/// Aborts with `what` when `ok` is false: the fuzzer records the input as a crash.
inline void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
  }
}

}  // namespace fuzz
