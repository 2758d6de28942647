#pragma once
// The public entry point: one call from bytes or a file to a ScanResult.
//
//   noticescan::ScanOptions options;
//   noticescan::Scanner scanner(options);     // one Scanner per thread: it owns an OCR engine
//   noticescan::ScanResult result = scanner.scanFile("notice.jpg");
//   if (!result.ok()) { ... result.error->message ... }

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "noticescan/Types.h"

namespace noticescan {

namespace ocr {
class OcrEngine;
}

/// Options of a scan. Every field states its unit and default.
struct ScanOptions {
  /// Directory that receives one image per pipeline stage and page; empty = none. Default: empty.
  std::filesystem::path debugDir;
  /// Identifier values may appear in --debug-dir's words.tsv and field captions. Off: every
  /// identifier-shaped word there is masked (report::maskIdentifiers). Default: off.
  bool logValues = false;
  /// Tesseract data directory; empty = TESSDATA_PREFIX or Tesseract's built-in default.
  std::string tessdataDir;
  /// Tesseract language(s), "+"-separated. Default: "eng".
  std::string language = "eng";
  /// Resolution at which image-only PDF pages are rendered for OCR, in dots per inch. Default 300.
  int pdfDpi = 300;
  /// Inputs larger than this many bytes are refused with `too_large`. Default 256 MiB.
  std::uint64_t maxInputBytes = 256ull << 20;
  /// Pages with more pixels than this are refused with `too_large`. Default 120 megapixels.
  std::uint64_t maxPixelsPerPage = 120'000'000;
  /// Documents with more pages than this (PDF, multi-page TIFF) are refused with `too_large`.
  /// Default 1000.
  int maxPages = 1000;
  /// A PDF page counts as having a text layer when it holds at least this many letters and digits.
  int minTextLayerChars = 40;
  /// Read uncertain identifiers a second time from their own crop of the page and let the
  /// readings vote (reread/), and read a 98-line fax page a second time from another rendering
  /// (page::kCoarseRowStretch). Default: on; off only to measure what it brings, or for speed.
  bool reread = true;
  /// Read a page from the top, band by band, and stop once the header's evidence is complete
  /// (read/HeaderFirst.h): the rest of the page is read only when it may hold more. Default: on;
  /// off reads every page whole (`--full-page`).
  bool headerFirst = true;
  /// Read the page's 1-D barcodes and check receipt numbers against them (barcode/). Default: on;
  /// off only to measure what it brings.
  bool barcodes = true;
  /// Report the online access code of an Account Access Notice (type online_access_code). It is a
  /// one-time login secret: off by default, and never written to a log or a debug image.
  bool includeAccessCode = false;
  /// Pages of one document read side by side on this many threads, each with its own OCR engine
  /// (about 100 MB more each). The result is the same as with one. Default 1: parallelise across
  /// documents first (`noticescan batch` raises it when a worker would otherwise sit idle).
  int pageThreads = 1;
  /// Each page's result carries a JPEG of the page as loaded, this many pixels on its long side
  /// (PagePreview), for drawing the fields' outlines on; 0 = none. It shows the whole notice:
  /// treat it as you would the file. Default: 0.
  int previewLongSide = 0;
  /// A scan still running after this many milliseconds stops at its next check (between pages and
  /// stages, and between words inside an OCR read) and reports `timeout`; 0 = no limit. The check
  /// is cooperative: a single PDF page render or image decode is not interrupted (the pixel limit
  /// bounds those). For a hard limit run the scan in another process (`noticescan batch
  /// --timeout`). Default: 0.
  int timeLimitMs = 0;
  /// Report calibrated confidences (models/calibration.json). Off gives the extractor's raw
  /// scores, which is what tools/calibrate.py fits on. Default: on.
  bool calibrate = true;
  /// A field whose calibrated confidence is below this goes to ScanResult::withheld instead of
  /// fields, and its page gets a `value_withheld` warning. At the default, 0.5, these are the
  /// fields more likely wrong than right: a script importing the numbers never takes a probable
  /// misreading (another person's case) for one read. 0 reports every field. Applies only when
  /// `calibrate` is on (raw scores are not probabilities), and never to the online access code,
  /// whose confidence is not calibrated. Default: 0.5.
  double minConfidence = 0.5;
};

/// Thrown when the environment lacks something the scanner needs (e.g. Tesseract's language
/// data). Input problems never throw: they are reported in ScanResult::error.
class DependencyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Scans notices. Not thread-safe: use one Scanner per thread. The OCR engine is created on the
/// first page that needs OCR and reused for every later page.
///
/// Set OMP_THREAD_LIMIT=1 in the environment before the process starts (the OpenMP runtime reads
/// it when it is loaded): Tesseract's own threads otherwise oversubscribe small machines, making a
/// page several times slower. Parallelise with one Scanner per thread instead. The noticescan
/// command line does this for itself.
class Scanner {
 public:
  explicit Scanner(ScanOptions options = {});
  /// For tests and other engines: the scanner uses `engine` instead of creating Tesseract.
  Scanner(ScanOptions options, std::unique_ptr<ocr::OcrEngine> engine);
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  /// Reads and scans a file. `displayName` goes into ScanResult::file (default: the path).
  ScanResult scanFile(const std::filesystem::path& path, std::string displayName = {});
  /// Scans bytes already in memory (e.g. stdin or an upload).
  ScanResult scanBytes(std::string_view bytes, std::string displayName);

  /// Creates the OCR engine now instead of on the first page that needs it, so that a server
  /// finds a missing language before its first request and answers that one at full speed.
  /// Throws DependencyError when the engine cannot be created.
  void prepare() { engine(); }

  const ScanOptions& options() const { return options_; }
  /// Changes ScanOptions::pageThreads for the next scans.
  void setPageThreads(int threads) { options_.pageThreads = threads; }
  /// Changes ScanOptions::includeAccessCode for the next scans.
  void setIncludeAccessCode(bool include) { options_.includeAccessCode = include; }
  /// Changes ScanOptions::previewLongSide for the next scans.
  void setPreviewLongSide(int pixels) { options_.previewLongSide = pixels; }
  /// Changes ScanOptions::minConfidence for the next scans.
  void setMinConfidence(double confidence) { options_.minConfidence = confidence; }
  /// Changes ScanOptions::timeLimitMs for the next scans.
  void setTimeLimitMs(int milliseconds) { options_.timeLimitMs = milliseconds; }

 private:
  ocr::OcrEngine& engine();

  ScanOptions options_;
  std::unique_ptr<ocr::OcrEngine> engine_;
  bool injectedEngine_ = false;
  std::vector<std::unique_ptr<ocr::OcrEngine>> extraEngines_;  ///< for page threads beyond the first
};

}  // namespace noticescan
