// The only file that includes Tesseract. Everything it returns is a plain value.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <stdexcept>

#include <opencv2/imgproc.hpp>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>

#include "noticescan/Scanner.h"
#include "noticescan/ocr/OcrEngine.h"
#include "noticescan/ocr/StoredPng.h"
#include "noticescan/util/Leptonica.h"

namespace noticescan::ocr {
namespace {

struct TextDeleter {
  void operator()(char* text) const { delete[] text; }
};

class TesseractEngine final : public OcrEngine {
 public:
  TesseractEngine(const std::string& tessdataDir, const std::string& language) : tessdataDir_(tessdataDir) {
    if (api_.Init(tessdataDir.empty() ? nullptr : tessdataDir.c_str(), language.c_str(),
                  tesseract::OEM_LSTM_ONLY) != 0) {
      throw DependencyError("Tesseract cannot load the '" + language +
                            "' language data: install tesseract-ocr-" + language +
                            " (tools/setup.sh does) or set TESSDATA_PREFIX");
    }
    api_.SetPageSegMode(tesseract::PSM_AUTO);
    // Notices are dark text on light paper; the inverted-text retry only costs time.
    api_.SetVariable("tessedit_do_invert", "0");
  }
  ~TesseractEngine() override {
    api_.End();
    if (osdReady_ > 0) osd_.End();
  }

  std::vector<Word> recognize(const cv::Mat& gray) override { return read(gray); }

  std::vector<Word> recognizeLine(const cv::Mat& gray, const std::string& allowedChars) override {
    api_.SetPageSegMode(tesseract::PSM_SINGLE_LINE);
    api_.SetVariable("tessedit_char_whitelist", allowedChars.c_str());
    std::vector<Word> words;
    try {
      words = read(gray);
    } catch (...) {
      restorePageMode();
      throw;
    }
    restorePageMode();
    return words;
  }

  std::optional<OrientationGuess> detectOrientation(const cv::Mat& gray) override {
    CV_Assert(gray.type() == CV_8UC1);
    if (!osdReady_) {
      // osd.traineddata is optional: without it the page keeps the orientation it has.
      osdReady_ = osd_.Init(tessdataDir_.empty() ? nullptr : tessdataDir_.c_str(), "osd",
                            tesseract::OEM_TESSERACT_ONLY) == 0
                      ? 1
                      : -1;
      if (osdReady_ > 0) {
        osd_.SetPageSegMode(tesseract::PSM_OSD_ONLY);
        // OSD's resolution guesses ("Invalid resolution 0 dpi") are noise to a user.
        osd_.SetVariable("debug_file", "/dev/null");
      }
    }
    if (osdReady_ < 0) return std::nullopt;
    // OSD needs letter shapes, not fine detail: about 150 dpi is as good as 300 and twice as fast.
    const double scale = std::min(1.0, kOsdLongSide / static_cast<double>(std::max(gray.cols, gray.rows)));
    cv::Mat small;
    cv::resize(gray, small, cv::Size(), scale, scale, cv::INTER_AREA);
    osd_.SetImage(small.data, small.cols, small.rows, 1, static_cast<int>(small.step));
    osd_.SetSourceResolution(static_cast<int>(300 * scale));
    int degrees = 0;
    float confidence = 0, scriptConfidence = 0;
    const char* script = nullptr;
    const bool ok = osd_.DetectOrientationScript(&degrees, &confidence, &script, &scriptConfidence);
    osd_.Clear();
    if (!ok) return std::nullopt;
    return OrientationGuess{((degrees % 360) + 360) % 360, confidence};
  }

  std::string name() const override { return std::string("tesseract ") + tesseract::TessBaseAPI::Version(); }

 private:
  std::vector<Word> read(const cv::Mat& gray) {
    CV_Assert(gray.type() == CV_8UC1);
    // Tesseract copies the image it is given, so the Pix lives only for the call; given raw bytes
    // it would first build a Pix of its own one pixel at a time.
    api_.SetImage(util::matToPix(gray).get());
    api_.SetSourceResolution(300);
    // Tesseract checks the monitor's end time between words and stops there; an unset end time
    // (the epoch) means none.
    tesseract::ETEXT_DESC monitor;
    monitor.end_time = deadline_;
    int failed = 0;
    {
      const StoredPngScope linesStored;  // StoredPng.h: Tesseract's line images, stored not compressed
      failed = api_.Recognize(&monitor);
    }
    if (failed != 0) {
      // Tesseract answers a passed deadline as a failure: that is the caller's timeout, not ours.
      api_.Clear();
      if (monitor.deadline_exceeded()) return {};
      throw std::runtime_error("Tesseract failed to recognise the page");
    }
    std::vector<Word> words;
    // WARNING: the iterator points into the API's state; it is valid only until the next
    // SetImage/Recognize/Clear on api_, so it never leaves this function.
    std::unique_ptr<tesseract::ResultIterator> it(api_.GetIterator());
    if (it) {
      do {
        std::unique_ptr<char, TextDeleter> text(it->GetUTF8Text(tesseract::RIL_WORD));
        if (!text || std::all_of(text.get(), text.get() + std::strlen(text.get()),
                                 [](unsigned char c) { return std::isspace(c); })) {
          continue;  // table rules and borders come back as blank words
        }
        int left = 0, top = 0, right = 0, bottom = 0;
        if (!it->BoundingBox(tesseract::RIL_WORD, &left, &top, &right, &bottom)) continue;
        Word word;
        word.text = text.get();
        word.box = {static_cast<double>(left), static_cast<double>(top),
                    static_cast<double>(right - left), static_cast<double>(bottom - top)};
        word.confidence = std::clamp(it->Confidence(tesseract::RIL_WORD) / 100.0, 0.0, 1.0);
        words.push_back(std::move(word));
      } while (it->Next(tesseract::RIL_WORD));
    }
    api_.Clear();
    return words;
  }

  void restorePageMode() {
    api_.SetPageSegMode(tesseract::PSM_AUTO);
    api_.SetVariable("tessedit_char_whitelist", "");
  }

  static constexpr double kOsdLongSide = 1650;
  std::string tessdataDir_;
  tesseract::TessBaseAPI api_;
  tesseract::TessBaseAPI osd_;
  int osdReady_ = 0;  ///< 0 not tried, 1 ready, -1 unavailable
};

}  // namespace

std::unique_ptr<OcrEngine> makeTesseractEngine(const std::string& tessdataDir, const std::string& language) {
  return std::make_unique<TesseractEngine>(tessdataDir, language);
}

}  // namespace noticescan::ocr
