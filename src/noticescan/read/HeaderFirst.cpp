#include "noticescan/read/HeaderFirst.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <regex>

#include <opencv2/imgproc.hpp>

#include "noticescan/extract/Extractor.h"
#include "noticescan/reread/Reread.h"

namespace noticescan::read {
namespace {

/// A row counts as blank when fewer than this many of its pixels are ink (specks and noise).
constexpr int kMaxInkInBlankRow = 2;

/// As many digits in a row as the shortest identifier holds (an A-number's 7); dates, telephone
/// numbers and ZIP+4 codes are broken up by their separators.
const std::regex& longDigitRun() {
  static const std::regex re("[0-9]{7,}");
  return re;
}

double msSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

/// Follows one line of pixels (a row or a column of a band), fed in order, and tells whether it
/// holds a rule at least `rule` long as OpenCV's opening with a centred 1 x `rule` element would
/// keep one: a run of ink that long, or shorter where it meets the line's end (the erosion takes
/// the world beyond the edge for ink). The opening's answer in one pass instead of `rule`.
class RuleFinder {
 public:
  RuleFinder(int length, int rule) : length_(length), rule_(rule), anchor_(rule / 2) {}
  void feed(bool ink) {
    if (ink && runStart_ < 0) runStart_ = position_;
    if (!ink && runStart_ >= 0) endRun(position_ - 1);
    ++position_;
  }
  bool found() {
    if (runStart_ >= 0) endRun(position_ - 1);
    return found_;
  }

 private:
  void endRun(int runEnd) {
    // Some pixel of the line has its element, clipped to the line, inside the run.
    const int lowest = runStart_ == 0 ? 0 : runStart_ + anchor_;
    const int highest = runEnd == length_ - 1 ? length_ - 1 : runEnd + anchor_ - rule_ + 1;
    found_ = found_ || std::max(0, lowest) <= std::min(length_ - 1, highest);
    runStart_ = -1;
  }
  int length_, rule_, anchor_;
  int position_ = 0, runStart_ = -1;
  bool found_ = false;
};

}  // namespace

bool hasRuledBoxes(const cv::Mat& band) {
  CV_Assert(band.type() == CV_8UC1);
  // Rules are long runs of ink, across and down; text makes none that long.
  const int acrossLength = std::max(8, static_cast<int>(kMinRuleShare * band.cols));
  const int down = std::max(8, band.rows / 12);
  std::vector<bool> ruledRows(static_cast<std::size_t>(band.rows)), ruledColumns(static_cast<std::size_t>(band.cols));
  std::vector<RuleFinder> columns(static_cast<std::size_t>(band.cols), RuleFinder(band.rows, down));
  for (int y = 0; y < band.rows; ++y) {
    const unsigned char* row = band.ptr<unsigned char>(y);
    RuleFinder across(band.cols, acrossLength);
    for (int x = 0; x < band.cols; ++x) {
      const bool ink = row[x] <= kInkLevel;
      across.feed(ink);
      columns[static_cast<std::size_t>(x)].feed(ink);
    }
    ruledRows[static_cast<std::size_t>(y)] = across.found();
  }
  for (int x = 0; x < band.cols; ++x) ruledColumns[static_cast<std::size_t>(x)] = columns[static_cast<std::size_t>(x)].found();
  // Count separate rules, not the rows of one thick rule.
  const auto runs = [](const std::vector<bool>& line) {
    int count = 0;
    bool inRun = false;
    for (const bool on : line) {
      count += on && !inRun ? 1 : 0;
      inRun = on;
    }
    return count;
  };
  return runs(ruledRows) >= 2 && runs(ruledColumns) >= 2;
}

std::vector<int> bandCuts(const cv::Mat& gray) {
  CV_Assert(gray.type() == CV_8UC1);
  if (gray.rows < kMinBandedAspect * gray.cols) return {gray.rows};
  const int target = static_cast<int>(kHeaderShare * gray.rows);
  const int reach = static_cast<int>(kCutSearch * gray.rows);
  const int from = std::max(1, target - reach), to = std::min(gray.rows - 1, target + reach);
  // Ink per row where the cut may fall, the row's ends aside: the page is already evened out and
  // upright, so a fixed threshold between paper and print is enough.
  cv::Mat ink, perRow;
  const int side = static_cast<int>(kBlankRowSideMargin * gray.cols);
  const cv::Mat searched = gray(cv::Range(from, to), cv::Range(side, gray.cols - side));
  cv::threshold(searched, ink, kInkLevel, 1, cv::THRESH_BINARY_INV);
  cv::reduce(ink, perRow, 1, cv::REDUCE_SUM, CV_32S);
  // The middle of the blank run nearest the target: a cut in a gap's middle stays clear of the
  // ascenders above and the descenders below.
  int cut = -1;
  int bestDistance = reach + 1;
  for (int y = from; y < to; ++y) {
    if (perRow.at<int>(y - from) > kMaxInkInBlankRow) continue;
    int runEnd = y;
    while (runEnd + 1 < to && perRow.at<int>(runEnd + 1 - from) <= kMaxInkInBlankRow) ++runEnd;
    const int middle = (y + runEnd) / 2;
    if (std::abs(middle - target) < bestDistance) {
      bestDistance = std::abs(middle - target);
      cut = middle;
    }
    y = runEnd;
  }
  if (cut < 0 || !hasRuledBoxes(gray.rowRange(0, cut))) return {gray.rows};
  return {cut, gray.rows};
}

HeaderEvidence judgeHeader(const std::vector<Word>& words, const extract::Models& models, const cv::Mat* gray) {
  const extract::Layout layout = extract::buildLayout(words);
  const std::vector<extract::LabelHit> labels = extract::findLabels(layout, models);
  const auto labelled = [&](const char* kind) {
    return std::any_of(labels.begin(), labels.end(), [&](const extract::LabelHit& hit) { return hit.entry->kind == kind; });
  };
  // No receipt number label: the band is not a notice's header, or it was read poorly.
  if (!labelled("receipt_number")) return HeaderEvidence::Unsure;
  const extract::PageExtraction page = extract::extractPage(layout, labels, 1, TextSource::Ocr, models);
  // A Case Type box whose form type did not come out was read poorly.
  if (labelled("case_type") && !page.facts.formType) return HeaderEvidence::Unsure;
  for (const Field& f : page.fields) {
    if (f.type == FieldType::OnlineAccessCode) continue;
    if (extract::hasEvidence(f, "reread_disputed")) return HeaderEvidence::Unsure;
    // Read with confidence, or confirmed by a second reading of its own crop (a second reading
    // of a value read very poorly confirms little).
    if (f.confidence < kSureFieldScore && !(extract::hasEvidence(f, "reread") && f.confidence >= kRereadFieldScore)) {
      return HeaderEvidence::Unsure;
    }
  }
  // A label read poorly is a box read poorly: its value may be there unread.
  for (const extract::LabelHit& hit : labels) {
    const std::string& kind = hit.entry->kind;
    if (kind != "receipt_number" && kind != "a_number" && kind != "online_account_number" && kind != "role") continue;
    for (const Word& w : layout.words) {
      if (w.box.intersects(hit.box) && w.confidence < kSureLabelConfidence) return HeaderEvidence::Unsure;
    }
  }
  if (std::any_of(words.begin(), words.end(), [](const Word& w) { return w.disputed; })) return HeaderEvidence::Unsure;
  // A long run of digits read poorly that no identifier accounts for: an identifier that lost its
  // prefix, its label garbled with it (a small label beside a large value on one line is one line
  // to Tesseract, read at one size). Nothing tells whose number it was.
  for (const Word& w : layout.words) {
    if (w.confidence >= kSureLabelConfidence || !std::regex_search(w.text, longDigitRun())) continue;
    const bool accounted = std::any_of(page.fields.begin(), page.fields.end(),
                                       [&](const Field& f) { return bounds(f.polygon).intersects(w.box); });
    if (!accounted) return HeaderEvidence::Unsure;
  }
  // Every identifier label alone in its box has its value, and nothing identifier-like is left
  // unsure.
  const std::vector<reread::Span> spans = reread::findUncertainSpans(words, models);
  if (!std::all_of(spans.begin(), spans.end(), [&](const reread::Span& span) { return gray && reread::isBlankSlot(*gray, span); })) {
    return HeaderEvidence::Unsure;
  }
  // A header that names the parties (Applicant, Petitioner, Beneficiary) holds their numbers in
  // their boxes; one that does not (a legacy appointment notice, a letter) may name a family
  // member's number in the body.
  const bool partyBox = std::any_of(labels.begin(), labels.end(), [](const extract::LabelHit& hit) {
    return hit.entry->kind == "role" && hit.begin == 0;  // a box's caption, not a word of a sentence
  });
  // The document facts a full read would find: the notice type is printed at the top and again
  // in the footer, so a header that did not yield it sends the reading on below.
  return partyBox && page.facts.noticeType ? HeaderEvidence::Complete : HeaderEvidence::NeedsBody;
}

bool looksUpright(const std::vector<Word>& words, const extract::Models& models) {
  double sum = 0, characters = 0;
  for (const Word& w : words) {
    sum += w.confidence * static_cast<double>(w.text.size());
    characters += static_cast<double>(w.text.size());
  }
  if (characters >= 20 && sum / characters >= kUprightConfidence) return true;
  const extract::Layout layout = extract::buildLayout(words);
  const std::vector<extract::LabelHit> labels = extract::findLabels(layout, models);
  return std::any_of(labels.begin(), labels.end(),
                     [](const extract::LabelHit& hit) { return hit.entry->kind == "receipt_number"; });
}

std::vector<Word> readPage(const cv::Mat& gray, ocr::OcrEngine& engine, const ReadOptions& options,
                           ReadStats* stats, const std::function<void()>& beforeBand, const extract::Models& models) {
  // Every read starts at the top: the header band, then (when the header is sure but the page
  // holds more below it) the rest of the page, or (when the header is unsure) the whole page
  // again, so that such a page gives exactly what a full-page read gives.
  const std::vector<int> bottoms = options.headerFirst ? bandCuts(gray) : std::vector<int>{gray.rows};
  ReadStats local;
  ReadStats& s = stats ? *stats : local;
  s = {};
  s.bands = static_cast<int>(bottoms.size());
  std::vector<Word> words;
  // When the band does not settle the page, the whole page's re-reads take the readings of the
  // crops the band's re-reads already made (reread::LineReadings).
  reread::LineReadings lineReadings;
  const reread::Effort effort = options.blurred         ? reread::Effort::Blurred
                                : options.blackAndWhite ? reread::Effort::BlackAndWhite
                                                        : reread::Effort::Normal;
  const auto rereadAll = [&] {
    const auto t = std::chrono::steady_clock::now();
    if (options.reread) words = reread::rereadUncertain(words, gray, engine, models, nullptr, effort, &lineReadings);
    s.rereadMs += msSince(t);
  };
  // Reads rows [top, bottom) of the page, its word boxes in the page's frame.
  const auto readRows = [&](int top, int bottom) {
    const auto t = std::chrono::steady_clock::now();
    std::vector<Word> read = engine.recognize(gray.rowRange(top, bottom));
    s.ocrMs += msSince(t);
    ++s.bandsRead;
    s.readRows += static_cast<double>(bottom - top) / std::max(1, gray.rows);
    for (Word& w : read) w.box.y += top;
    return read;
  };
  for (const int bottom : bottoms) {
    if (s.bandsRead > 0 && beforeBand) beforeBand();
    words = readRows(0, bottom);
    if (s.bandsRead == 1 && options.checkOrientation && !looksUpright(words, models)) {
      s.doubtfulOrientation = true;
      if (const cv::Mat* turned = options.turnPage ? options.turnPage() : nullptr) {
        // Read the turned page from the top; what was read of this one is of no use.
        ReadOptions again = options;
        again.checkOrientation = false;
        ReadStats turnedStats;
        std::vector<Word> turnedWords = readPage(*turned, engine, again, &turnedStats, beforeBand, models);
        turnedStats.doubtfulOrientation = true;
        turnedStats.ocrMs += s.ocrMs;
        turnedStats.readRows += s.readRows;
        s = turnedStats;
        return turnedWords;
      }
    }
    rereadAll();
    if (bottom == gray.rows) break;
    const HeaderEvidence evidence = judgeHeader(words, models, &gray);
    if (evidence == HeaderEvidence::Complete) break;
    if (evidence == HeaderEvidence::NeedsBody) {
      // The band's reading of the header stands; the rest of the page is read below the cut (a
      // blank row, so no line is split) and its uncertain spans re-read.
      if (beforeBand) beforeBand();
      std::vector<Word> rest = readRows(bottom, gray.rows);
      words.insert(words.end(), std::make_move_iterator(rest.begin()), std::make_move_iterator(rest.end()));
      s.restBelowHeader = true;
      rereadAll();
      break;
    }
  }
  return words;
}

}  // namespace noticescan::read
