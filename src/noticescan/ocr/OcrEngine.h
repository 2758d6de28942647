#pragma once
// ocr/: clean page -> words. Only TesseractEngine.cpp includes Tesseract; tests use fakes.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "noticescan/Types.h"

namespace noticescan::ocr {

/// What an engine's script and orientation detection says about a page.
struct OrientationGuess {
  int clockwiseTurn = 0;    ///< how far the page image is turned clockwise from upright: 0/90/180/270
  double confidence = 0;    ///< engine-specific; Tesseract's OSD is reliable above about 3
};

/// Reads the words of a page image. One engine per thread: implementations keep state.
class OcrEngine {
 public:
  virtual ~OcrEngine() = default;
  /// Reads `gray` (8-bit, one channel, upright). Word boxes are in `gray`'s pixels; confidences
  /// 0..1. Throws std::runtime_error if the engine fails (not for a page with no text).
  virtual std::vector<Word> recognize(const cv::Mat& gray) = 0;
  /// Reads `gray` as one line of text using only `allowedChars` (for re-reading a single value).
  /// Default: an ordinary page read, for engines that have no line mode.
  virtual std::vector<Word> recognizeLine(const cv::Mat& gray, const std::string& allowedChars) {
    (void)allowedChars;
    return recognize(gray);
  }
  /// Guesses how the page is turned; nullopt when the engine cannot tell (default: never can).
  virtual std::optional<OrientationGuess> detectOrientation(const cv::Mat& gray) {
    (void)gray;
    return std::nullopt;
  }
  /// Name and version for reports, e.g. "tesseract 5.3.0".
  virtual std::string name() const = 0;

  /// Reads that are still running at `deadline` may stop early and return what they have (the
  /// caller checks the clock afterwards). A default-constructed time point means no deadline.
  /// Engines that cannot stop early ignore it.
  void setDeadline(std::chrono::steady_clock::time_point deadline) { deadline_ = deadline; }

 protected:
  std::chrono::steady_clock::time_point deadline_{};
};

/// Creates the Tesseract engine. `tessdataDir` empty = Tesseract's default search; `language`
/// e.g. "eng". Throws noticescan::DependencyError when the language data cannot be loaded.
std::unique_ptr<OcrEngine> makeTesseractEngine(const std::string& tessdataDir, const std::string& language);

}  // namespace noticescan::ocr
