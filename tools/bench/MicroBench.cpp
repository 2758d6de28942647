// Microbenchmarks of the hot stages that do not need Tesseract: candidate grammars, layout and
// label anchoring, the whole extractor on a full page of words, the page stage on a 300 dpi page.
//   build/noticescan-microbench [--benchmark_filter=Extract]
#include <benchmark/benchmark.h>

#include <sstream>

#include <opencv2/imgproc.hpp>

#include "noticescan/extract/Extractor.h"
#include "noticescan/extract/Grammar.h"
#include "noticescan/page/PagePreparer.h"

using namespace noticescan;

namespace {

/// A full page of words as OCR returns them: a header grid and 40 lines of body text.
std::vector<Word> pageOfWords() {
  std::vector<std::pair<Point, std::string>> lines = {
      {{150, 380}, "Receipt Number"}, {{900, 380}, "USCIS Online Account Number"}, {{1540, 380}, "Case Type"},
      {{150, 440}, "IOE0912345678"}, {{900, 440}, "123456789012"}, {{1540, 440}, "I130 - PETITION FOR ALIEN RELATIVE"},
      {{150, 520}, "Received Date"}, {{900, 520}, "Priority Date"}, {{1540, 520}, "Petitioner A123 456 789"},
      {{150, 580}, "01/15/2024"}, {{150, 660}, "Notice Date"}, {{900, 660}, "Page"},
      {{1540, 660}, "Beneficiary A# 098-170-274"}, {{150, 720}, "01/18/2024"}, {{900, 720}, "1 of 1"}};
  for (int i = 0; i < 40; ++i) {
    lines.push_back({{150, 1100.0 + 56 * i},
                     "The above petition has been received. Call 800-375-5283 or write to PO BOX 660867 DALLAS TX 75266-0867."});
  }
  std::vector<Word> words;
  for (const auto& [at, text] : lines) {
    double x = at.x;
    std::istringstream in(text);
    for (std::string w; in >> w;) {
      words.push_back({w, {x, at.y, 22.0 * static_cast<double>(w.size()), 30}, 0.93});
      x += 22.0 * static_cast<double>(w.size() + 1);
    }
  }
  return words;
}

void FindCandidates(benchmark::State& state) {
  const std::string line = "Beneficiary A# 098-170-274 Receipt Number: IOE0912345678 call 800-375-5283";
  for (auto _ : state) benchmark::DoNotOptimize(extract::findCandidates(line));
}
BENCHMARK(FindCandidates);

void BuildLayoutAndLabels(benchmark::State& state) {
  const std::vector<Word> words = pageOfWords();
  for (auto _ : state) {
    const extract::Layout layout = extract::buildLayout(words);
    benchmark::DoNotOptimize(extract::findLabels(layout, extract::defaultModels()));
  }
  state.counters["words"] = static_cast<double>(words.size());
}
BENCHMARK(BuildLayoutAndLabels)->Unit(benchmark::kMillisecond);

void ExtractPage(benchmark::State& state) {
  const std::vector<Word> words = pageOfWords();
  for (auto _ : state) benchmark::DoNotOptimize(extract::extractPage(words, 1, TextSource::Ocr));
}
BENCHMARK(ExtractPage)->Unit(benchmark::kMillisecond);

void PreparePage(benchmark::State& state) {
  cv::Mat page(3300, 2550, CV_8UC1, cv::Scalar(255));
  for (int i = 0; i < 50; ++i) {
    cv::putText(page, "The above application or petition has been received. Please save this notice.",
                cv::Point(150, 300 + 55 * i), cv::FONT_HERSHEY_SIMPLEX, 1.3, cv::Scalar(0), 3);
  }
  const cv::Mat skewed = [&] {
    cv::Mat out;
    cv::warpAffine(page, out, cv::getRotationMatrix2D(cv::Point2f(1275, 1650), 4.0, 1.0), page.size(),
                   cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255));
    return out;
  }();
  for (auto _ : state) benchmark::DoNotOptimize(page::preparePage(skewed));
}
BENCHMARK(PreparePage)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
