// The whole Scanner with scripted OCR engines: no Tesseract data needed.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "TestPages.h"
#include "WordLayout.h"
#include "noticescan/Scanner.h"
#include "noticescan/ocr/OcrEngine.h"

using namespace noticescan;

namespace {

class ScriptedEngine : public ocr::OcrEngine {
 public:
  explicit ScriptedEngine(std::vector<Word> words, int* calls = nullptr) : words_(std::move(words)), calls_(calls) {}
  std::vector<Word> recognize(const cv::Mat&) override {
    if (calls_) ++*calls_;
    return words_;
  }
  std::string name() const override { return "scripted"; }

 private:
  std::vector<Word> words_;
  int* calls_;
};

/// Says every page is turned by a fixed amount, with a fixed confidence.
class TurnedPageEngine : public ScriptedEngine {
 public:
  TurnedPageEngine(int turn, double confidence) : ScriptedEngine({}), turn_(turn), confidence_(confidence) {}
  std::optional<ocr::OrientationGuess> detectOrientation(const cv::Mat&) override {
    return ocr::OrientationGuess{turn_, confidence_};
  }

 private:
  int turn_;
  double confidence_;
};

/// Remembers the size of the last page it was given.
class SizeRecordingEngine : public ScriptedEngine {
 public:
  explicit SizeRecordingEngine(cv::Size* seen) : ScriptedEngine({}), seen_(seen) {}
  std::vector<Word> recognize(const cv::Mat& gray) override {
    *seen_ = gray.size();
    return {};
  }

 private:
  cv::Size* seen_;
};

/// Reads like an engine that honours its deadline: it works until the deadline (or for at most
/// `workMs` when it has none) and counts its reads and the deadlines it was given.
class DeadlineAwareEngine : public ocr::OcrEngine {
 public:
  DeadlineAwareEngine(int workMs, int* calls, int* withDeadline) : workMs_(workMs), calls_(calls), withDeadline_(withDeadline) {}
  std::vector<Word> recognize(const cv::Mat&) override {
    ++*calls_;
    const auto none = std::chrono::steady_clock::time_point{};
    if (deadline_ != none) ++*withDeadline_;
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(workMs_);
    while (std::chrono::steady_clock::now() < end && (deadline_ == none || std::chrono::steady_clock::now() <= deadline_)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return {};
  }
  std::string name() const override { return "deadline-aware"; }

 private:
  int workMs_;
  int* calls_;
  int* withDeadline_;
};

/// Reads `first` from pages as wide as the first it is given, `other` from any other.
class TwoViewEngine : public ocr::OcrEngine {
 public:
  TwoViewEngine(std::vector<Word> first, std::vector<Word> other, std::vector<int>* widths)
      : first_(std::move(first)), other_(std::move(other)), widths_(widths) {}
  std::vector<Word> recognize(const cv::Mat& gray) override {
    widths_->push_back(gray.cols);
    return gray.cols == widths_->front() ? first_ : other_;
  }
  std::string name() const override { return "two-view"; }

 private:
  std::vector<Word> first_, other_;
  std::vector<int>* widths_;
};

class CrashingEngine : public ocr::OcrEngine {
 public:
  std::vector<Word> recognize(const cv::Mat&) override { throw std::runtime_error("engine exploded"); }
  std::string name() const override { return "crashing"; }
};

std::string pngBytes(int width, int height) {
  cv::Mat page(height, width, CV_8UC1, cv::Scalar(255));
  std::vector<unsigned char> png;
  cv::imencode(".png", page, png);
  return {png.begin(), png.end()};
}

}  // namespace

TEST(ScannerFakeEngineTest, ANumberRunningOffAPhotosEdgeIsWithheldWithAWarning) {
  // A 12 MP camera frame; the second A-number's last digits are outside the picture (what was read,
  // "A0123456", is a valid 7-digit A-number, but not the one printed).
  // A 9-digit A-number ending a character's width from the edge is complete; an 8-digit one
  // there has probably lost its last digit. A value of full length whose ink reaches the edge is
  // withheld too: its last character may be half cut and misread (a 4 read as 2).
  auto engine = std::make_unique<ScriptedEngine>(testing_words::layOut({{2790, 300, "Applicant A123456789"},
                                                                        {2800, 400, "Beneficiary A0123456"},
                                                                        {2785, 500, "Petitioner A12345678"},
                                                                        {2720, 600, "Receipt Number IOE0912345678"}}));
  Scanner scanner({}, std::move(engine));
  const ScanResult result = scanner.scanBytes(pngBytes(3000, 4000), "photo.png");
  ASSERT_TRUE(result.ok()) << result.error->message;
  ASSERT_EQ(result.fields.size(), 1u);
  EXPECT_EQ(result.fields[0].value, "A123456789");
  const bool warned = std::any_of(result.warnings.begin(), result.warnings.end(),
                                  [](const Warning& w) { return w.code == "identifier_cut" && w.page == 1; });
  EXPECT_TRUE(warned);
}

TEST(ScannerFakeEngineTest, AValueMoreLikelyWrongThanRightIsWithheldButKeptForAPerson) {
  // A receipt number with a prefix no office uses, beside one with a known prefix: more likely a
  // misreading than a number, which a case tracker importing the fields would look up as someone
  // else's case. It is kept apart, with a warning that says what to do and does not carry the
  // value; asking for every value (minimum 0) lists it with the rest.
  const auto scan = [](double minConfidence) {
    ScanOptions options;
    options.minConfidence = minConfidence;
    Scanner scanner(options, std::make_unique<ScriptedEngine>(testing_words::layOut(
                                 {{150, 270, "Receipt Number IOE0912345678"}, {150, 900, "Receipt Number TQE1357924680"}})));
    return scanner.scanBytes(pngBytes(2550, 3300), "page.png");
  };
  const ScanResult held = scan(ScanOptions{}.minConfidence);
  ASSERT_TRUE(held.ok()) << held.error->message;
  ASSERT_EQ(held.fields.size(), 1u);
  EXPECT_EQ(held.fields[0].value, "IOE0912345678");
  ASSERT_EQ(held.withheld.size(), 1u);
  EXPECT_EQ(held.withheld[0].value, "TQE1357924680");
  EXPECT_LT(held.withheld[0].confidence, 0.5);
  const auto warning = std::find_if(held.warnings.begin(), held.warnings.end(),
                                    [](const Warning& w) { return w.code == "value_withheld"; });
  ASSERT_NE(warning, held.warnings.end());
  EXPECT_EQ(warning->page, 1);
  EXPECT_EQ(warning->message.find("1357924680"), std::string::npos);

  const ScanResult all = scan(0);
  EXPECT_EQ(all.fields.size(), 2u);
  EXPECT_TRUE(all.withheld.empty());
  EXPECT_TRUE(std::none_of(all.warnings.begin(), all.warnings.end(),
                           [](const Warning& w) { return w.code == "value_withheld"; }));
}

TEST(ScannerFakeEngineTest, ABlurredPagesFieldsAreTrustedLess) {
  // The same words read from a crisp page and from that page blurred: the blurred one is warned
  // about and its field reported with lower confidence.
  const cv::Mat page = testing_pages::printedPage();
  cv::Mat blurred;
  cv::GaussianBlur(page, blurred, cv::Size(0, 0), 6);
  const auto scan = [](const cv::Mat& image) {
    std::vector<unsigned char> png;
    cv::imencode(".png", image, png);
    Scanner scanner({}, std::make_unique<ScriptedEngine>(testing_words::layOut({{150, 270, "Receipt Number IOE0912345678"}})));
    return scanner.scanBytes(std::string(png.begin(), png.end()), "page.png");
  };
  const ScanResult crisp = scan(page), soft = scan(blurred);
  ASSERT_TRUE(crisp.ok() && soft.ok());
  ASSERT_EQ(crisp.fields.size(), 1u);
  ASSERT_EQ(soft.fields.size(), 1u);
  EXPECT_LT(soft.fields[0].confidence, crisp.fields[0].confidence);
  const auto warned = [](const ScanResult& r) {
    return std::any_of(r.warnings.begin(), r.warnings.end(), [](const Warning& w) { return w.code == "low_sharpness"; });
  };
  EXPECT_TRUE(warned(soft));
  EXPECT_FALSE(warned(crisp));
}

TEST(ScannerFakeEngineTest, ALabelCutByAPhotosEdgeStillNamesItsValue) {
  // The photo cut off "Acco" of "Account Number": a line beginning at the picture's left edge
  // reads "unt Number". An account number needs its label, and here it has it. The same words
  // inside the picture are no label, so the bare digits are not reported.
  const auto accounts = [](double x) {
    Scanner scanner({}, std::make_unique<ScriptedEngine>(testing_words::layOut({{x, 300, "unt Number 330682558768"}})));
    const ScanResult result = scanner.scanBytes(pngBytes(3000, 4000), "photo.png");
    return result.fields.size();
  };
  EXPECT_EQ(accounts(0), 1u);
  EXPECT_EQ(accounts(400), 0u);
}

TEST(ScannerFakeEngineTest, FieldsComeBackInSourceCoordinates) {
  auto engine = std::make_unique<ScriptedEngine>(testing_words::layOut({{100, 200, "Receipt Number: IOE0912345678"}}));
  Scanner scanner({}, std::move(engine));
  const ScanResult result = scanner.scanBytes(pngBytes(1000, 1300), "page.png");
  ASSERT_TRUE(result.ok()) << result.error->message;
  ASSERT_EQ(result.fields.size(), 1u);
  EXPECT_EQ(result.fields[0].value, "IOE0912345678");
  // A blank page is not rotated, so page pixels are source pixels.
  EXPECT_NEAR(result.fields[0].polygon[0].x, 260, 1);
  EXPECT_NEAR(result.fields[0].polygon[0].y, 200, 1);
  EXPECT_EQ(result.document.kind, "image");
  EXPECT_EQ(result.document.pageCount, 1);
  ASSERT_EQ(result.pages.size(), 1u);
  EXPECT_EQ(result.sha256.size(), 64u);
}

TEST(ScannerFakeEngineTest, EngineIsReusedAcrossFiles) {
  int calls = 0;
  Scanner scanner({}, std::make_unique<ScriptedEngine>(std::vector<Word>{}, &calls));
  scanner.scanBytes(pngBytes(300, 400), "a.png");
  scanner.scanBytes(pngBytes(300, 400), "b.png");
  EXPECT_EQ(calls, 2);
}

TEST(ScannerFakeEngineTest, EmptyPageIsOkWithAWarningAndNoFields) {
  Scanner scanner({}, std::make_unique<ScriptedEngine>(std::vector<Word>{}));
  const ScanResult result = scanner.scanBytes(pngBytes(300, 400), "blank.png");
  EXPECT_TRUE(result.ok());
  EXPECT_TRUE(result.fields.empty());
  const bool warned = std::any_of(result.warnings.begin(), result.warnings.end(),
                                  [](const Warning& w) { return w.code == "low_ocr_confidence"; });
  EXPECT_TRUE(warned);
}

TEST(ScannerFakeEngineTest, UncertainOrientationFollowsAConfidentEngine) {
  // A blank page gives the page stage nothing to go on, so the engine is asked.
  Scanner sure({}, std::make_unique<TurnedPageEngine>(90, 12.0));
  const ScanResult turned = sure.scanBytes(pngBytes(300, 400), "turned.png");
  ASSERT_TRUE(turned.ok());
  EXPECT_EQ(turned.pages.at(0).rotation, 270);

  Scanner unsure({}, std::make_unique<TurnedPageEngine>(90, 1.0));
  EXPECT_EQ(unsure.scanBytes(pngBytes(300, 400), "kept.png").pages.at(0).rotation, 0);
}

TEST(ScannerFakeEngineTest, EngineFailureIsAnInternalErrorNotACrash) {
  Scanner scanner({}, std::make_unique<CrashingEngine>());
  const ScanResult result = scanner.scanBytes(pngBytes(300, 400), "x.png");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->code, ErrorCode::Internal);
  EXPECT_TRUE(result.fields.empty());
}

TEST(ScannerFakeEngineTest, BadInputsGiveTheirErrorCodes) {
  Scanner scanner({}, std::make_unique<CrashingEngine>());
  EXPECT_EQ(scanner.scanBytes("", "empty").error->code, ErrorCode::Unreadable);
  EXPECT_EQ(scanner.scanBytes("just some text", "t.txt").error->code, ErrorCode::UnsupportedFormat);
  std::string png = pngBytes(300, 400);
  EXPECT_EQ(scanner.scanBytes(png.substr(0, png.size() / 2), "half.png").error->code, ErrorCode::Unreadable);
  EXPECT_EQ(scanner.scanBytes("%PDF-1.4\ngarbage garbage", "broken.pdf").error->code, ErrorCode::Unreadable);
  EXPECT_EQ(scanner.scanFile("/nonexistent/notice.pdf").error->code, ErrorCode::NotFound);
  EXPECT_EQ(scanner.scanFile("/").error->code, ErrorCode::Unreadable);
}

TEST(ScannerFakeEngineTest, DecodesEveryPromisedImageFormat) {
  const cv::Mat page(400, 300, CV_8UC1, cv::Scalar(255));
  for (const char* ext : {".png", ".jpg", ".webp", ".bmp", ".tif"}) {
    std::vector<unsigned char> bytes;
    ASSERT_TRUE(cv::imencode(ext, page, bytes)) << ext;
    Scanner scanner({}, std::make_unique<ScriptedEngine>(std::vector<Word>{}));
    const ScanResult result = scanner.scanBytes(std::string(bytes.begin(), bytes.end()), std::string("page") + ext);
    EXPECT_TRUE(result.ok()) << ext << ": " << (result.ok() ? "" : result.error->message);
    EXPECT_EQ(result.document.pageCount, 1) << ext;
  }
}

TEST(ScannerFakeEngineTest, ReadsEveryPageOfAMultiPageTiff) {
  const std::string path = ::testing::TempDir() + "three-pages.tif";
  const std::vector<cv::Mat> pages(3, cv::Mat(400, 300, CV_8UC1, cv::Scalar(255)));
  ASSERT_TRUE(cv::imwrite(path, pages));
  int calls = 0;
  Scanner scanner({}, std::make_unique<ScriptedEngine>(std::vector<Word>{}, &calls));
  const ScanResult result = scanner.scanFile(path);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.document.pageCount, 3);
  EXPECT_EQ(result.pages.size(), 3u);
  EXPECT_EQ(calls, 3);
}

TEST(ScannerFakeEngineTest, A98LineFaxIsReadTwiceAndWhatEitherReadingFoundIsReported) {
  // A black-and-white page of small print stored at 204 x 98 dpi (a "standard" fax) is read from
  // two renderings; an A-number only the second reading made out is reported with the receipt.
  // The same page with square pixels is read from one.
  cv::Mat page(1650, 1275, CV_8UC1, cv::Scalar(255));
  for (int i = 0; i < 36; ++i) {
    cv::putText(page, "several months to process this type of case. Please save this notice,",
                cv::Point(90, 120 + i * 40), cv::FONT_HERSHEY_SIMPLEX, 0.85, cv::Scalar(0), 2);
  }
  const auto fax = [&](int ydpi) {
    cv::Mat stored;
    cv::resize(page, stored, cv::Size(page.cols, page.rows * ydpi / 204), 0, 0, cv::INTER_AREA);
    cv::threshold(stored, stored, 128, 255, cv::THRESH_BINARY);
    std::vector<unsigned char> bytes;
    cv::imencode(".tif", stored, bytes, {cv::IMWRITE_TIFF_RESUNIT, 2, cv::IMWRITE_TIFF_XDPI, 204, cv::IMWRITE_TIFF_YDPI, ydpi});
    return std::string(bytes.begin(), bytes.end());
  };
  const std::vector<Word> first = testing_words::layOut({{100, 60, "Receipt Number IOE0912345678"}});
  const std::vector<Word> second = testing_words::layOut({{100, 60, "Receipt Number IOE0912345678"},
                                                          {900, 60, "Beneficiary A123456789"}});
  const auto values = [](const ScanResult& result) {
    std::vector<std::string> out;
    for (const Field& f : result.fields) out.push_back(f.value);
    std::sort(out.begin(), out.end());
    return out;
  };

  std::vector<int> widths;
  Scanner coarse({}, std::make_unique<TwoViewEngine>(first, second, &widths));
  const ScanResult twice = coarse.scanBytes(fax(98), "standard.tif");
  ASSERT_TRUE(twice.ok()) << twice.error->message;
  EXPECT_EQ(values(twice), (std::vector<std::string>{"A123456789", "IOE0912345678"}));
  ASSERT_FALSE(widths.empty());
  EXPECT_TRUE(std::any_of(widths.begin(), widths.end(), [&](int w) { return w < widths.front(); }));

  widths.clear();
  Scanner fine({}, std::make_unique<TwoViewEngine>(first, second, &widths));
  const ScanResult once = fine.scanBytes(fax(204), "fine.tif");
  ASSERT_TRUE(once.ok()) << once.error->message;
  EXPECT_EQ(values(once), (std::vector<std::string>{"IOE0912345678"}));
  EXPECT_TRUE(std::all_of(widths.begin(), widths.end(), [&](int w) { return w == widths.front(); }));

  // Only the 98-line page carries the warning that its digits are often misread.
  const auto coarseWarned = [](const ScanResult& result) {
    return std::count_if(result.warnings.begin(), result.warnings.end(),
                         [](const Warning& w) { return w.code == "coarse_fax" && w.page == 1; });
  };
  EXPECT_EQ(coarseWarned(twice), 1);
  EXPECT_EQ(coarseWarned(once), 0);
}

TEST(ScannerFakeEngineTest, DocumentWithMorePagesThanTheLimitIsRefusedBeforeAnyPageIsRead) {
  const std::string path = ::testing::TempDir() + "three-pages-limit.tif";
  const std::vector<cv::Mat> pages(3, cv::Mat(400, 300, CV_8UC1, cv::Scalar(255)));
  ASSERT_TRUE(cv::imwrite(path, pages));
  ScanOptions options;
  options.maxPages = 2;
  int calls = 0;
  Scanner scanner(options, std::make_unique<ScriptedEngine>(std::vector<Word>{}, &calls));
  const ScanResult result = scanner.scanFile(path);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->code, ErrorCode::TooLarge);
  EXPECT_EQ(calls, 0);
  options.maxPages = 3;
  Scanner enough(options, std::make_unique<ScriptedEngine>(std::vector<Word>{}, &calls));
  EXPECT_TRUE(enough.scanFile(path).ok());
  EXPECT_EQ(calls, 3);
}

TEST(ScannerFakeEngineTest, ScanPastItsTimeLimitStopsWithTimeoutAndStartsNoFurtherPage) {
  const std::string path = ::testing::TempDir() + "three-slow-pages.tif";
  const std::vector<cv::Mat> pages(3, cv::Mat(400, 300, CV_8UC1, cv::Scalar(255)));
  ASSERT_TRUE(cv::imwrite(path, pages));

  // Each page would take the engine a minute; the limit stops the first read and no other starts.
  // The limit leaves room for loading and preparing the first page on a loaded machine (with
  // 100 ms, a busy machine spent it all before the first read began).
  int calls = 0, withDeadline = 0;
  ScanOptions limited;
  limited.timeLimitMs = 2000;
  Scanner scanner(limited, std::make_unique<DeadlineAwareEngine>(60'000, &calls, &withDeadline));
  const ScanResult result = scanner.scanFile(path);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->code, ErrorCode::Timeout);
  EXPECT_NE(result.error->message.find("of 2 s"), std::string::npos) << result.error->message;
  EXPECT_TRUE(result.fields.empty());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(withDeadline, 1);

  // Without a limit the same scanner-engine pair reads every page and the engine has no deadline.
  calls = withDeadline = 0;
  Scanner unlimited({}, std::make_unique<DeadlineAwareEngine>(20, &calls, &withDeadline));
  ASSERT_TRUE(unlimited.scanFile(path).ok());
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(withDeadline, 0);

  // The limit is per scan: the next scan of a scanner that timed out gets its own time.
  calls = withDeadline = 0;
  limited.timeLimitMs = 30'000;
  Scanner patient(limited, std::make_unique<DeadlineAwareEngine>(20, &calls, &withDeadline));
  ASSERT_TRUE(patient.scanFile(path).ok());
  patient.setTimeLimitMs(50);
  EXPECT_EQ(patient.scanFile(path).error->code, ErrorCode::Timeout);
  patient.setTimeLimitMs(30'000);
  EXPECT_TRUE(patient.scanFile(path).ok());
}

TEST(ScannerFakeEngineTest, LargePhotoIsDecodedReducedButReportedInFullSizePixels) {
  const cv::Mat photo(8000, 6000, CV_8UC3, cv::Scalar(200, 200, 200));  // 48 MP
  std::vector<unsigned char> jpeg;
  ASSERT_TRUE(cv::imencode(".jpg", photo, jpeg));
  cv::Size seen;
  Scanner scanner({}, std::make_unique<SizeRecordingEngine>(&seen));
  const ScanResult result = scanner.scanBytes(std::string(jpeg.begin(), jpeg.end()), "big.jpg");
  ASSERT_TRUE(result.ok());
  EXPECT_LE(std::max(seen.width, seen.height), 4000);
  EXPECT_NEAR(result.pages.at(0).outline[2].x, 6000, 1);
  EXPECT_NEAR(result.pages.at(0).outline[2].y, 8000, 1);
}

TEST(ScannerFakeEngineTest, OversizedJpegIsRefusedFromItsHeader) {
  const cv::Mat photo(3000, 2000, CV_8UC1, cv::Scalar(255));
  std::vector<unsigned char> jpeg;
  ASSERT_TRUE(cv::imencode(".jpg", photo, jpeg));
  ScanOptions options;
  options.maxPixelsPerPage = 5'000'000;
  Scanner scanner(options, std::make_unique<CrashingEngine>());
  const ScanResult result = scanner.scanBytes(std::string(jpeg.begin(), jpeg.end()), "six-mp.jpg");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->code, ErrorCode::TooLarge);
}

TEST(ScannerFakeEngineTest, OversizedInputIsRefusedBeforeDecoding) {
  ScanOptions options;
  options.maxInputBytes = 100;
  Scanner scanner(options, std::make_unique<CrashingEngine>());
  EXPECT_EQ(scanner.scanBytes(pngBytes(300, 400), "big.png").error->code, ErrorCode::TooLarge);
  options.maxInputBytes = 1 << 20;
  options.maxPixelsPerPage = 1000;
  Scanner pixels(options, std::make_unique<CrashingEngine>());
  EXPECT_EQ(pixels.scanBytes(pngBytes(300, 400), "big.png").error->code, ErrorCode::TooLarge);
}

TEST(ScannerFakeEngineTest, OnlineAccessCodeIsLeftOutUnlessAskedFor) {
  const std::vector<Word> words = testing_words::layOut({{100, 100, "ACCOUNT ACCESS NOTICE"},
                                                         {100, 200, "Receipt Number: IOE0912345678"},
                                                         {100, 300, "Online Access Code: KD7P-2QXM-9TRA"}});
  const auto types = [&](bool include) {
    ScanOptions options;
    options.includeAccessCode = include;
    Scanner scanner(options, std::make_unique<ScriptedEngine>(words));
    const ScanResult result = scanner.scanBytes(pngBytes(1000, 1300), "access.png");
    EXPECT_TRUE(result.ok());
    std::vector<std::string> out;
    for (const Field& f : result.fields) out.push_back(std::string(toString(f.type)) + " " + f.value);
    return out;
  };
  EXPECT_EQ(types(false), std::vector<std::string>{"receipt_number IOE0912345678"});
  EXPECT_EQ(types(true), (std::vector<std::string>{"receipt_number IOE0912345678", "online_access_code KD7P2QXM9TRA"}));
}

namespace {

/// One grammar rule seen through the whole scanner: what OCR returned, what must come out.
struct GrammarCase {
  std::string read;                   ///< the OCR engine's words for one line
  FieldType type;
  std::string value;                  ///< normalised
  std::vector<std::string> repairs;   ///< recorded, in order
};

void PrintTo(const GrammarCase& c, std::ostream* os) { *os << '"' << c.read << '"'; }

class GrammarThroughScannerTest : public ::testing::TestWithParam<GrammarCase> {};

}  // namespace

TEST_P(GrammarThroughScannerTest, NormalisesAndRecordsEachRepair) {
  const GrammarCase& c = GetParam();
  ScanOptions options;
  options.reread = false;  // the scripted engine has no line reader: the grammar alone decides
  Scanner scanner(options, std::make_unique<ScriptedEngine>(testing_words::layOut({{100, 200, c.read}})));
  const ScanResult result = scanner.scanBytes(pngBytes(1200, 1300), "page.png");
  ASSERT_TRUE(result.ok()) << result.error->message;
  ASSERT_EQ(result.fields.size(), 1u) << c.read;
  EXPECT_EQ(result.fields[0].type, c.type) << c.read;
  EXPECT_EQ(result.fields[0].value, c.value) << c.read;
  EXPECT_EQ(result.fields[0].repairs, c.repairs) << c.read;
}

INSTANTIATE_TEST_SUITE_P(
    Rules, GrammarThroughScannerTest,
    ::testing::Values(
        // Printed forms: no repair.
        GrammarCase{"Receipt Number: IOE0912345678", FieldType::ReceiptNumber, "IOE0912345678", {}},
        GrammarCase{"Receipt Number: EAC-21-900-12345", FieldType::ReceiptNumber, "EAC2190012345", {}},
        GrammarCase{"Receipt Number: VSC 12 017 70920", FieldType::ReceiptNumber, "VSC1201770920", {}},
        GrammarCase{"Receipt Number: EAC*2190012345", FieldType::ReceiptNumber, "EAC2190012345", {}},
        GrammarCase{"Receipt Number: NBC*000123456", FieldType::ReceiptNumber, "NBC*000123456", {}},
        GrammarCase{"Beneficiary A# 123-456-789", FieldType::ANumber, "A123456789", {}},
        GrammarCase{"USCIS# 123456789", FieldType::ANumber, "A123456789", {}},
        GrammarCase{"Applicant A123 456 789", FieldType::ANumber, "A123456789", {}},
        GrammarCase{"Petitioner A12345678", FieldType::ANumber, "A012345678", {}},
        GrammarCase{"Alien Number: A1234567", FieldType::ANumber, "A001234567", {}},
        GrammarCase{"USCIS Online Account Number 1234 5678 9012", FieldType::OnlineAccountNumber, "123456789012", {}},
        // A word ended at a printed hyphen: the space after it is no separator of its own.
        GrammarCase{"Receipt Number: SRC-25- 256- 57699", FieldType::ReceiptNumber, "SRC2525657699", {}},
        GrammarCase{"Beneficiary A# 214-719- 786", FieldType::ANumber, "A214719786", {}},
        // Confusions repaired by position: letters in the prefix, digits in the number.
        GrammarCase{"Receipt Number: I0E0912345678", FieldType::ReceiptNumber, "IOE0912345678", {"0->O at 1"}},
        GrammarCase{"Receipt Number: lOE0912345678", FieldType::ReceiptNumber, "IOE0912345678", {"l->I at 0"}},
        GrammarCase{"Receipt Number: EAC2l9O012345", FieldType::ReceiptNumber, "EAC2190012345",
                    {"l->1 at 4", "O->0 at 6"}},
        GrammarCase{"Receipt Number: SRC21900S2345", FieldType::ReceiptNumber, "SRC2190052345", {"S->5 at 8"}},
        GrammarCase{"Receipt Number: WAC21B0012345", FieldType::ReceiptNumber, "WAC2180012345", {"B->8 at 5"}},
        GrammarCase{"Receipt Number: LIN2Z90012345", FieldType::ReceiptNumber, "LIN2290012345", {"Z->2 at 4"}},
        GrammarCase{"Receipt Number: MSC219001234G", FieldType::ReceiptNumber, "MSC2190012346", {"G->6 at 12"}},
        GrammarCase{"Receipt Number: $RC2091519835", FieldType::ReceiptNumber, "SRC2091519835", {"$->S at 0"}},
        GrammarCase{"Beneficiary A# 1Z3-456-789", FieldType::ANumber, "A123456789", {"Z->2 at 2"}},
        GrammarCase{"USCIS Online Account Number 12345678901O", FieldType::OnlineAccountNumber, "123456789010",
                    {"O->0 at 11"}},
        // A table rule glued to the value is dropped, and that is recorded too.
        GrammarCase{"Receipt Number |IOE0912345678", FieldType::ReceiptNumber, "IOE0912345678",
                    {"dropped a table rule read before the value"}}));
