#include "noticescan/ocr/StoredPng.h"

#include <dlfcn.h>

namespace noticescan::ocr {
namespace {
thread_local bool stored = false;
}  // namespace

StoredPngScope::StoredPngScope() : outer_(stored) { stored = true; }
StoredPngScope::~StoredPngScope() { stored = outer_; }

bool pngsStored() { return stored; }

}  // namespace noticescan::ocr

// libpng's own setter is found once, as the next definition after this program's. The PNG
// structure is passed through untouched, so an opaque pointer is all this needs of libpng.h.
extern "C" __attribute__((visibility("default"))) void png_set_compression_level(void* png, int level) {
  using SetLevel = void (*)(void*, int);
  using SetFilter = void (*)(void*, int, int);
  static const auto libpngSetLevel = reinterpret_cast<SetLevel>(dlsym(RTLD_NEXT, "png_set_compression_level"));
  static const auto libpngSetFilter = reinterpret_cast<SetFilter>(dlsym(RTLD_NEXT, "png_set_filter"));
  if (libpngSetLevel == nullptr) return;  // no libpng behind this one: nothing to set
  if (noticescan::ocr::pngsStored()) {
    constexpr int kStored = 0;            // Z_NO_COMPRESSION
    constexpr int kBaseFilterMethod = 0;  // PNG_FILTER_TYPE_BASE
    constexpr int kNoFilter = 0x08;       // PNG_FILTER_NONE: filters only help compression
    libpngSetLevel(png, kStored);
    if (libpngSetFilter != nullptr) libpngSetFilter(png, kBaseFilterMethod, kNoFilter);
    return;
  }
  libpngSetLevel(png, level);
}
