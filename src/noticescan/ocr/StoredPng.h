#pragma once
// Tesseract 5.3 hands each text line to its LSTM as a PNG: the line's image is written with
// Leptonica's pixWriteMem and decoded again before it is read (Debian's build lacks
// TESSERACT_IMAGEDATA_AS_PIX, the compile-time option that keeps the image as it is). PNG is
// lossless whatever its zlib level, so the level decides only the time, and Leptonica asks for
// zlib's default, 6: on a phone photo that round trip was about a tenth of all the time spent.
//
// StoredPng.cpp therefore defines libpng's png_set_compression_level in the program itself (the
// library's link options export it, so Leptonica's call reaches it before libpng's). While a
// StoredPngScope lives on a thread, PNGs written on that thread are stored (level 0, no row
// filter); at any other time the call passes straight to libpng with the level it was given, so
// the debug images and previews are compressed as before.

namespace noticescan::ocr {

class StoredPngScope {
 public:
  StoredPngScope();
  ~StoredPngScope();
  StoredPngScope(const StoredPngScope&) = delete;
  StoredPngScope& operator=(const StoredPngScope&) = delete;

 private:
  bool outer_;  ///< the thread's state before this scope (scopes nest)
};

/// True while a StoredPngScope lives on the calling thread.
bool pngsStored();

}  // namespace noticescan::ocr
