#include "noticescan/Scanner.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <mutex>
#include <system_error>
#include <thread>

#include <opencv2/imgproc.hpp>

#include "noticescan/barcode/Barcode.h"
#include "noticescan/extract/Extractor.h"
#include "noticescan/load/Loader.h"
#include "noticescan/ocr/OcrEngine.h"
#include "noticescan/page/PagePreparer.h"
#include "noticescan/read/HeaderFirst.h"
#include "noticescan/report/Report.h"
#include "noticescan/util/AtomicFile.h"
#include "noticescan/util/Leptonica.h"
#include "noticescan/util/Sha256.h"

namespace noticescan {
namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// When a scan must give up. Thrown past it: scanBytes reports ErrorCode::Timeout.
struct TimedOut {};
class Deadline {
 public:
  explicit Deadline(int limitMs) : limitMs_(limitMs) {
    if (limitMs > 0) at_ = Clock::now() + std::chrono::milliseconds(limitMs);
  }
  /// The time point for an OCR engine (the epoch: none).
  Clock::time_point at() const { return at_; }
  int limitMs() const { return limitMs_; }
  void check() const {
    if (limitMs_ > 0 && Clock::now() > at_) throw TimedOut{};
  }

 private:
  int limitMs_;
  Clock::time_point at_{};
};

/// Moves the fields whose calibrated confidence is under `floor` from result.fields to
/// result.withheld, in their order, and tells the person on each one's page what to do. The
/// message names the kind of number and its confidence, never its value. An online access code
/// stays: its confidence is not calibrated (extract::calibrate), and it was asked for by name.
void withholdUncertain(ScanResult& result, double floor) {
  const auto uncertain = std::stable_partition(result.fields.begin(), result.fields.end(), [&](const Field& f) {
    return f.type == FieldType::OnlineAccessCode || f.confidence >= floor;
  });
  for (auto it = uncertain; it != result.fields.end(); ++it) {
    const char* kind = it->type == FieldType::ANumber               ? "an A-number"
                       : it->type == FieldType::OnlineAccountNumber ? "an online account number"
                                                                    : "a receipt number";
    // Rounded down: a value withheld under 0.5 never reads "0.50".
    char confidence[16];
    std::snprintf(confidence, sizeof confidence, "%.2f", std::floor(it->confidence * 100) / 100);
    result.warnings.push_back({"value_withheld", it->page,
                               std::string(kind) + " was read too uncertainly to report (confidence " + confidence +
                                   ", listed under withheld_fields): check it against the paper, or photograph or "
                                   "scan the notice again, closer and in focus"});
    result.withheld.push_back(std::move(*it));
  }
  result.fields.erase(uncertain, result.fields.end());
}

/// The OCR engine's orientation guess is followed above this confidence (Tesseract OSD scale).
constexpr double kMinOrientationConfidence = 3.0;

/// Below this mean word confidence an OCR page gets a warning: its fields deserve a second look.
constexpr double kLowOcrConfidence = 0.6;

/// A file-name-safe stem for debug images.
std::string debugStem(const std::string& file) {
  std::string stem = std::filesystem::path(file).filename().string();
  for (char& c : stem) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
  }
  return stem.empty() ? "stdin" : stem;
}

/// Writes one debug image as PNG, atomically (util/AtomicFile.h).
void writeDebugImage(const std::filesystem::path& dir, const std::string& stem, int page, int step,
                     const std::string& name, const cv::Mat& image) {
  char file[64];
  std::snprintf(file, sizeof file, "-p%03d-%d-", page, step);
  std::error_code ignored;
  std::filesystem::create_directories(dir, ignored);
  const std::string png = util::encodePng(image);
  if (!png.empty()) util::writeFileAtomically(dir / (stem + file + name + ".png"), png);
}

/// The words as read, one per line (x y width height confidence text), beside the debug images.
/// Words inside `secrets` (online access codes) are written as "[secret]"; identifier-shaped words
/// are masked unless `values` (ScanOptions::logValues).
void writeDebugWords(const std::filesystem::path& dir, const std::string& stem, int page, const std::vector<Word>& words,
                     const std::vector<Rect>& secrets, bool values) {
  char file[32];
  std::snprintf(file, sizeof file, "-p%03d-words.tsv", page);
  std::ostringstream out;
  out << "x\ty\twidth\theight\tconfidence\ttext\n";
  const auto hidden = [&](const Rect& box) {
    return std::any_of(secrets.begin(), secrets.end(), [&](const Rect& s) { return box.intersects(s); });
  };
  for (const Word& w : words) {
    out << w.box.x << '\t' << w.box.y << '\t' << w.box.width << '\t' << w.box.height << '\t' << w.confidence << '\t'
        << (hidden(w.box) ? std::string("[secret]") : values ? w.text : report::maskIdentifiers(w.text)) << '\n';
  }
  util::writeFileAtomically(dir / (stem + file), out.str());
}

cv::Mat drawFields(const cv::Mat& gray, const std::vector<Field>& fields, bool values) {
  cv::Mat out;
  cv::cvtColor(gray, out, cv::COLOR_GRAY2BGR);
  const double scale = std::max(0.5, gray.cols / 2500.0);
  for (const Field& f : fields) {
    std::vector<cv::Point> poly;
    for (const Point& p : f.polygon) poly.emplace_back(static_cast<int>(p.x), static_cast<int>(p.y));
    const cv::Scalar colour = f.type == FieldType::ReceiptNumber ? cv::Scalar(0, 140, 255)
                              : f.type == FieldType::ANumber     ? cv::Scalar(0, 170, 0)
                              : f.type == FieldType::OnlineAccountNumber ? cv::Scalar(220, 60, 0)
                                                                         : cv::Scalar(160, 0, 160);
    cv::polylines(out, poly, true, colour, static_cast<int>(3 * scale));
    // The access code is a secret: its box is drawn, its value is not.
    const std::string shown = f.type == FieldType::OnlineAccessCode ? "(not shown)"
                              : values                               ? f.value
                                                                     : report::redactValue(f.value);
    // The page's own score: the calibrated confidence of the JSON is made once every page is
    // read, so the caption says which number it is.
    char caption[112];
    std::snprintf(caption, sizeof caption, "%s %s score %.2f", toString(f.type), shown.c_str(), f.confidence);
    cv::putText(out, caption, poly[0] + cv::Point(0, static_cast<int>(-8 * scale)), cv::FONT_HERSHEY_SIMPLEX,
                0.8 * scale, colour, static_cast<int>(2 * scale));
  }
  return out;
}

/// Whether a field read from a photo may have lost characters at the picture's edge: its outline
/// (source pixels) reaches the edge (within a tenth of the text's height: cut text ends at the
/// edge itself), or it is an A-number printed with fewer than nine digits that ends within a
/// character of the edge (the missing digit is the likelier story than an old short number).
bool runsOffFrame(const Field& field, double width, double height) {
  const Rect box = bounds(field.polygon);
  const double textHeight = std::min(box.width, box.height);
  const auto near = [&](double margin) {
    return box.x < margin || box.y < margin || box.right() > width - margin || box.bottom() > height - margin;
  };
  if (near(std::max(2.0, 0.1 * textHeight))) return true;
  if (field.type != FieldType::ANumber) return false;
  const auto digits = std::count_if(field.raw.begin(), field.raw.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) && c != 'A' && c != 'a';
  });
  return digits < 9 && near(textHeight);
}

/// Marks the words of a photo that begin at the edge of the picture (the middle of their left side,
/// in source pixels, within a quarter of their height of it): the picture may have cut their
/// first letters off.
void markCutWords(std::vector<Word>& words, const page::Transform& toSource, double width, double height) {
  for (Word& word : words) {
    const Point start = page::apply(toSource, Point{word.box.x, word.box.centerY()});
    const double margin = std::max(2.0, 0.25 * word.box.height);
    word.cutBefore = start.x < margin || start.y < margin || start.x > width - margin || start.y > height - margin;
  }
}

/// Tells a person what to do when a photo (or a fax) is too poor to trust.
void addQualityWarnings(const page::PreparedPage& prepared, int page, std::vector<Warning>& warnings) {
  const page::PageQuality& quality = prepared.quality;
  if (prepared.cameraFrame && !prepared.flattened) {
    warnings.push_back({"page_not_found", page,
                        "could not find the edges of the page: lay the notice on a darker, plain surface "
                        "with all four corners in view and retake the photo"});
  }
  if (prepared.flattened && prepared.pageAreaShare < page::kSmallPageShare) {
    warnings.push_back({"too_small", page, "the page is small in the photo: move closer so the notice fills the frame"});
  }
  if (quality.sharpness < page::kLowSharpness) {
    warnings.push_back({"low_sharpness", page,
                        "the image is blurry: retake the photo closer, hold the phone still and let it focus"});
  }
  if (quality.contrast < page::kLowContrast) {
    warnings.push_back({"low_contrast", page, "the page is too faded or dark: retake the photo in better light"});
  }
  if (prepared.coarseFax) {
    warnings.push_back({"coarse_fax", page,
                        "this page was faxed in standard resolution (about 100 lines per inch), where digits are "
                        "often misread: check the numbers against the paper, or have it faxed again in fine mode"});
  }
}

/// The page as loaded, reduced to `longSide` pixels on its long side, as JPEG.
PagePreview makePreview(const load::LoadedPage& loaded, int longSide) {
  const cv::Mat& image = loaded.image;
  const double scale = std::min(1.0, longSide / static_cast<double>(std::max(image.cols, image.rows)));
  cv::Mat small;
  cv::resize(image, small, cv::Size(), scale, scale, cv::INTER_AREA);
  PagePreview preview;
  preview.jpeg = util::encodeJpeg(small, 80);
  preview.width = small.cols;
  preview.height = small.rows;
  preview.sourceWidth = loaded.sourceWidth;
  preview.sourceHeight = loaded.sourceHeight;
  return preview;
}

/// Milliseconds per pipeline stage.
struct StageTimes {
  double load = 0, page = 0, ocr = 0, reread = 0, barcode = 0, extract = 0;
  void add(const StageTimes& o) {
    load += o.load;
    page += o.page;
    ocr += o.ocr;
    reread += o.reread;
    barcode += o.barcode;
    extract += o.extract;
  }
};

/// What one page yields before the pages are combined.
struct PageOutcome {
  PageReport report;
  std::vector<Warning> warnings;
  extract::PageExtraction extraction;
  std::string unreadable;  ///< the reason, when the page could not be loaded
  StageTimes times;
};

/// Prepares, reads and extracts one loaded page. `engine` is asked for the OCR engine only when
/// the page needs OCR (a text-layer page never starts one).
PageOutcome scanPage(const ScanOptions& options, load::LoadedPage loaded, int pageNumber,
                     const std::function<ocr::OcrEngine&()>& engine, const std::string& stem, const Deadline& deadline) {
  const bool debug = !options.debugDir.empty();
  PageOutcome outcome;
  StageTimes& times = outcome.times;
  std::vector<Warning>& warnings = outcome.warnings;
  auto t = Clock::now();
  PageReport report;
  report.page = pageNumber;
  report.outline = {Point{0, 0}, Point{loaded.sourceWidth, 0}, Point{loaded.sourceWidth, loaded.sourceHeight},
                    Point{0, loaded.sourceHeight}};
  page::Transform toSource = page::Transform::eye();
  std::vector<Word> words;
  std::vector<barcode::Barcode> barcodes;  // in the frame of the words
  std::optional<page::PreparedPage> debugPage;  // kept only with --debug-dir
  std::vector<Word> secondWords;                // a second reading's (page::PreparedPage::secondView)
  double qualityFactor = 1.0;
  bool photo = false;
  if (options.previewLongSide > 0 && !loaded.image.empty()) report.preview = makePreview(loaded, options.previewLongSide);
  if (loaded.hasTextLayer) {
    report.textSource = TextSource::TextLayer;
    words = std::move(loaded.words);
  } else {
    t = Clock::now();
    page::PrepareOptions prepareOptions;
    prepareOptions.keepDebugImages = debug;
    prepareOptions.bilevel = loaded.bilevel;
    prepareOptions.rowStretch = loaded.toSource(0, 0) / loaded.toSource(1, 1);
    page::PreparedPage prepared = page::preparePage(loaded.image, prepareOptions);
    times.page += msSince(t);
    deadline.check();
    // Header first (read/HeaderFirst.h). When the page's way up is not known for sure, its first
    // band tells: print read the right way up needs no orientation detection; otherwise the OCR
    // engine's orientation detection may turn the page, which is then read from the top.
    read::ReadOptions readOptions;
    readOptions.headerFirst = options.headerFirst;
    readOptions.reread = options.reread;
    readOptions.blurred = prepared.quality.sharpness < page::kLowSharpness;
    readOptions.blackAndWhite = loaded.bilevel;
    readOptions.checkOrientation = !prepared.orientationSure;
    readOptions.turnPage = [&]() -> const cv::Mat* {
      const auto began = Clock::now();
      const auto guess = engine().detectOrientation(prepared.gray);
      times.ocr += msSince(began);
      deadline.check();
      if (!guess || guess->confidence < kMinOrientationConfidence || guess->clockwiseTurn == 0) return nullptr;
      page::turnPage(prepared, 360 - guess->clockwiseTurn);
      return &prepared.gray;
    };
    read::ReadStats readStats;
    words = read::readPage(prepared.gray, engine(), readOptions, &readStats, [&deadline] { deadline.check(); });
    times.ocr += readStats.ocrMs;
    times.reread += readStats.rereadMs;
    deadline.check();  // the engine may have stopped early at the deadline: its words are partial
    // A coarse fax's second rendering (page::kCoarseRowStretch) is read the same way, its words
    // brought into the frame of the first reading's; not when the header settled the page, nor
    // when re-reading is off.
    const bool settledByHeader = readStats.bandsRead < readStats.bands;
    if (!prepared.secondView.empty() && !settledByHeader && options.reread) {
      read::ReadOptions again = readOptions;
      again.checkOrientation = false;
      again.turnPage = nullptr;
      read::ReadStats secondStats;
      secondWords = read::readPage(prepared.secondView, engine(), again, &secondStats, [&deadline] { deadline.check(); });
      times.ocr += secondStats.ocrMs;
      times.reread += secondStats.rereadMs;
      deadline.check();
      const double toFirst = 1.0 / prepared.secondViewScale;
      for (Word& w : secondWords) {
        w.box = Rect{w.box.x * toFirst, w.box.y * toFirst, w.box.width * toFirst, w.box.height * toFirst};
      }
      prepared.secondView.release();
    }
    photo = prepared.cameraFrame;
    report.rotation = prepared.rotation;
    report.skewDegrees = prepared.skewDegrees;
    for (Warning w : prepared.warnings) {
      w.page = pageNumber;
      warnings.push_back(std::move(w));
    }
    toSource = loaded.toSource * prepared.toInput;
    report.outline = page::apply(loaded.toSource, prepared.outline);
    if (photo) markCutWords(words, toSource, loaded.sourceWidth, loaded.sourceHeight);
    report.sharpness = prepared.quality.sharpness;
    report.contrast = prepared.quality.contrast;
    addQualityWarnings(prepared, pageNumber, warnings);
    qualityFactor = prepared.quality.sharpness < page::kLowSharpness ? 0.5 + prepared.quality.sharpness : 1.0;
    double sum = 0, weight = 0;
    for (const Word& w : words) {
      sum += w.confidence * static_cast<double>(w.text.size());
      weight += static_cast<double>(w.text.size());
    }
    report.ocrConfidence = weight > 0 ? sum / weight : 0.0;
    if (*report.ocrConfidence < kLowOcrConfidence) {
      warnings.push_back({"low_ocr_confidence", pageNumber,
                          words.empty() ? "no text was found on this page"
                                        : "the text on this page was hard to read: check the numbers by eye"});
    }
    if (options.barcodes) {
      t = Clock::now();
      barcodes = barcode::readBarcodes(prepared.gray);
      times.barcode += msSince(t);
    }
    if (debug) debugPage = std::move(prepared);
  }

  t = Clock::now();
  extract::PageExtraction extraction = extract::extractPage(words, pageNumber, report.textSource);
  if (!secondWords.empty()) {
    extract::mergeSecondReading(extraction, extract::extractPage(secondWords, pageNumber, report.textSource));
  }
  std::vector<Rect> secrets;  // where access codes are printed: hidden in debug output
  for (const Field& f : extraction.fields) {
    if (f.type == FieldType::OnlineAccessCode) secrets.push_back(bounds(f.polygon));
  }
  if (!options.includeAccessCode) {
    std::erase_if(extraction.fields, [](const Field& f) { return f.type == FieldType::OnlineAccessCode; });
  }
  extract::applyBarcodes(extraction, barcodes, pageNumber);
  // A blurred photo's readings deserve less trust than the words alone suggest.
  for (Field& field : extraction.fields) field.confidence *= qualityFactor;
  if (debugPage) {
    int step = 1;
    for (const auto& [name, image] : debugPage->debugImages) {
      writeDebugImage(options.debugDir, stem, pageNumber, step++, name, image);
    }
    writeDebugImage(options.debugDir, stem, pageNumber, step, "fields", drawFields(debugPage->gray, extraction.fields, options.logValues));
    writeDebugWords(options.debugDir, stem, pageNumber, words, secrets, options.logValues);
  }
  for (Field& field : extraction.fields) field.polygon = page::apply(toSource, field.polygon);
  // In a photo, a number that runs to the edge of the picture may have lost characters
  // there ("A06531146" of A065311468): it is not reported, and the person is told why.
  if (photo) {
    const auto cut = std::erase_if(extraction.fields, [&](const Field& field) {
      return runsOffFrame(field, loaded.sourceWidth, loaded.sourceHeight);
    });
    if (cut > 0) {
      warnings.push_back({"identifier_cut", pageNumber,
                          "a number runs off the edge of the photo: retake it with the whole page in view"});
    }
  }
  times.extract += msSince(t);
  outcome.report = report;
  outcome.extraction = std::move(extraction);
  return outcome;
}

}  // namespace

Scanner::Scanner(ScanOptions options) : options_(std::move(options)) {}
Scanner::Scanner(ScanOptions options, std::unique_ptr<ocr::OcrEngine> engine)
    : options_(std::move(options)), engine_(std::move(engine)), injectedEngine_(true) {}
Scanner::~Scanner() = default;

ocr::OcrEngine& Scanner::engine() {
  if (!engine_) engine_ = ocr::makeTesseractEngine(options_.tessdataDir, options_.language);
  return *engine_;
}

ScanResult Scanner::scanFile(const std::filesystem::path& path, std::string displayName) {
  ScanResult result;
  result.file = displayName.empty() ? path.string() : std::move(displayName);
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    result.error = ScanError{ErrorCode::NotFound, "no such file"};
    return result;
  }
  if (std::filesystem::is_directory(status)) {
    result.error = ScanError{ErrorCode::Unreadable, "this is a directory, not a file (use `noticescan batch` for folders)"};
    return result;
  }
  if (!std::filesystem::is_regular_file(status)) {
    result.error = ScanError{ErrorCode::Unreadable, "not a regular file"};
    return result;
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > options_.maxInputBytes) {
    result.error = ScanError{ErrorCode::TooLarge, "the file is larger than the limit of " +
                                                      std::to_string(options_.maxInputBytes >> 20) + " MiB"};
    return result;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    result.error = ScanError{ErrorCode::Unreadable, "the file cannot be opened (check its permissions)"};
    return result;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    result.error = ScanError{ErrorCode::Unreadable, "the file cannot be read"};
    return result;
  }
  return scanBytes(buffer.str(), result.file);
}

ScanResult Scanner::scanBytes(std::string_view bytes, std::string displayName) {
  const auto start = Clock::now();
  const Deadline deadline(options_.timeLimitMs);
  ScanResult result;
  result.file = std::move(displayName);
  StageTimes times;
  try {
    result.sha256 = util::sha256Hex(bytes);
    auto t = Clock::now();
    std::unique_ptr<load::Document> document = load::openDocument(bytes, options_);
    times.load += msSince(t);
    deadline.check();
    result.document.kind = document->kind();
    result.document.pageCount = document->pageCount();
    const std::string stem = options_.debugDir.empty() ? std::string()
                             : debugStem(options_.logValues ? result.file : report::maskIdentifiers(result.file));

    // Pages are independent until they are combined: with several page threads each thread takes
    // the next page (loading is one at a time: decoders are not shared safely) and reads it with
    // its own engine. Outcomes are combined in page order, so the result is the same either way.
    const int pages = document->pageCount();
    std::vector<PageOutcome> outcomes(static_cast<std::size_t>(pages));
    std::vector<std::exception_ptr> failures(static_cast<std::size_t>(pages));
    std::mutex loading;
    int next = 0;
    const auto work = [&](const std::function<ocr::OcrEngine&()>& engine) {
      for (;;) {
        int index = 0;
        load::LoadedPage loaded;
        std::optional<load::LoadError> unreadable;
        double loadMs = 0;
        {
          std::lock_guard<std::mutex> lock(loading);
          if (next >= pages) return;
          try {
            deadline.check();
          } catch (...) {
            failures[static_cast<std::size_t>(next)] = std::current_exception();
            next = pages;  // no other thread starts a page either
            return;
          }
          index = next++;
          const auto began = Clock::now();
          try {
            loaded = document->page(index);
          } catch (const load::LoadError& e) {
            unreadable = e;
          } catch (...) {
            failures[static_cast<std::size_t>(index)] = std::current_exception();
            continue;
          }
          loadMs = msSince(began);
        }
        PageOutcome& outcome = outcomes[static_cast<std::size_t>(index)];
        try {
          if (unreadable) {
            if (unreadable->code() == ErrorCode::TooLarge) throw *unreadable;
            outcome.unreadable = unreadable->what();
            continue;
          }
          outcome = scanPage(options_, std::move(loaded), index + 1, engine, stem, deadline);
          outcome.times.load += loadMs;
        } catch (...) {
          failures[static_cast<std::size_t>(index)] = std::current_exception();
        }
      }
    };
    const std::function<ocr::OcrEngine&()> own = [this, &deadline]() -> ocr::OcrEngine& {
      ocr::OcrEngine& e = engine();
      e.setDeadline(deadline.at());
      return e;
    };
    const int threads = std::clamp(injectedEngine_ ? 1 : options_.pageThreads, 1, std::max(1, pages));
    if (threads == 1) {
      work(own);
    } else {
      while (static_cast<int>(extraEngines_.size()) < threads - 1) {
        extraEngines_.push_back(ocr::makeTesseractEngine(options_.tessdataDir, options_.language));
      }
      std::vector<std::function<ocr::OcrEngine&()>> helperEngines;
      for (int i = 1; i < threads; ++i) {
        ocr::OcrEngine* e = extraEngines_[static_cast<std::size_t>(i - 1)].get();
        helperEngines.push_back([e, &deadline]() -> ocr::OcrEngine& {
          e->setDeadline(deadline.at());
          return *e;
        });
      }
      std::vector<std::thread> helpers;
      for (const auto& helperEngine : helperEngines) helpers.emplace_back(work, std::cref(helperEngine));
      work(own);
      for (std::thread& h : helpers) h.join();
    }
    for (const std::exception_ptr& failure : failures) {
      if (failure) std::rethrow_exception(failure);
    }

    std::vector<extract::PageExtraction> extractions;
    int unreadablePages = 0;
    std::string lastPageError;
    for (int index = 0; index < pages; ++index) {
      PageOutcome& outcome = outcomes[static_cast<std::size_t>(index)];
      if (!outcome.unreadable.empty()) {
        ++unreadablePages;
        lastPageError = outcome.unreadable;
        result.warnings.push_back({"page_unreadable", index + 1, outcome.unreadable});
        continue;
      }
      for (Warning& w : outcome.warnings) result.warnings.push_back(std::move(w));
      result.pages.push_back(outcome.report);
      extractions.push_back(std::move(outcome.extraction));
      times.add(outcome.times);
    }
    if (unreadablePages == document->pageCount()) {
      throw load::LoadError(ErrorCode::Unreadable, lastPageError.empty() ? "no page could be read" : lastPageError);
    }
    t = Clock::now();
    result.fields = extract::combinePages(extractions, result.document);
    if (options_.calibrate) {
      std::vector<std::vector<std::string>> pageWarnings;
      for (const Field& field : result.fields) {
        std::vector<std::string>& codes = pageWarnings.emplace_back();
        for (const Warning& w : result.warnings) {
          if (w.page == field.page) codes.push_back(w.code);
        }
      }
      extract::calibrate(result.fields, pageWarnings);
      withholdUncertain(result, options_.minConfidence);
    }
    times.extract += msSince(t);
  } catch (const load::LoadError& e) {
    result.error = ScanError{e.code(), e.what()};
  } catch (const TimedOut&) {
    char limit[32];
    std::snprintf(limit, sizeof limit, "%.3g", deadline.limitMs() / 1000.0);
    result.error = ScanError{ErrorCode::Timeout, std::string("the scan took longer than its limit of ") + limit +
                                                     " s: split a long PDF, or allow more time"};
  } catch (const DependencyError&) {
    throw;
  } catch (const std::bad_alloc&) {
    result.error = ScanError{ErrorCode::TooLarge, "not enough memory to scan this file"};
  } catch (const std::exception& e) {
    result.error = ScanError{ErrorCode::Internal, std::string("internal error: ") + e.what()};
  }
  if (result.error) {
    result.fields.clear();
    result.withheld.clear();
    result.pages.clear();
  }
  result.timingsMs = {{"load", times.load},       {"page", times.page},       {"ocr", times.ocr},
                      {"reread", times.reread},   {"barcode", times.barcode}, {"extract", times.extract},
                      {"total", msSince(start)}};
  return result;
}

}  // namespace noticescan
