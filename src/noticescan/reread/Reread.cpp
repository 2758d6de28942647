#include "noticescan/reread/Reread.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>

#include <opencv2/imgproc.hpp>

#include "noticescan/extract/Extractor.h"
#include "noticescan/extract/Grammar.h"
#include "noticescan/extract/Labels.h"
#include "noticescan/extract/Layout.h"
#include "noticescan/page/Quality.h"
#include "noticescan/util/Median.h"

namespace noticescan::reread {
namespace {

/// A value read with no repair and at least this word confidence is left alone.
constexpr double kSureConfidence = 0.9;
/// A labelled span counts when it is at most this many line heights from its label.
constexpr double kMaxLabelDistance = 6.0;
/// A first reading with no repair and at least this word confidence is never changed by a vote.
constexpr double kOverturnableBelow = 0.85;
/// A span whose readings agree on nothing keeps its first reading at this share of its confidence.
constexpr double kDisputedFactor = 0.6;
/// A re-reading whose type is not the one its span's label announces votes with this weight.
constexpr double kOffLabelFactor = 0.25;
/// Blank slots (isBlankSlot): a pixel is ink below this share of the paper's brightness; a row or
/// column dark over this share of its length is a rule; a slot with ink on less than this share
/// of its area is blank (an identifier printed in it covers several percent).
constexpr double kInkShareOfPaper = 0.6;
constexpr double kRuleShare = 0.5;
constexpr double kBlankInkShare = 0.003;
/// LineReadings::recall: two crops are of the same print when they share this share of the
/// smaller one's area.
constexpr double kSamePrintOverlap = 0.5;
/// What identifiers are printed with; anything else in a re-read is a misreading. The space is
/// one of them: without it Tesseract cannot end a word, reads "A000 427 676" as one word and gives
/// it confidence 0, and such a reading has no say in the vote. So is the "?": a 2 whose base a fax
/// lost is a "?" to Tesseract and, without it, a 7 ("EAC 73-202-52969" for EAC2320252969); the
/// grammar reads a "?" between digits as the 2 it was.
constexpr const char* kAllowedChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-#*.,? ";

bool isBlank(const Word& w) {
  return std::all_of(w.text.begin(), w.text.end(), [](unsigned char c) { return std::isspace(c); });
}

/// Runs of a segment's text that could be an identifier, however badly read: an optional short
/// prefix, then groups of characters OCR gives for digits. Checked for size by the caller. Faxes
/// turn the hyphens and spaces between groups into stray marks ("A# 292-256-161" read as
/// "Alf' 292: '256-161", the quotes typographic), so up to three of them part groups, and break a
/// 7 into a slash ("A094 124 4/1"), so a slash may stand inside a group (dates are left out by the
/// caller). Blur closes the "#" of "A#" into "=" ("A= 202-863-580"): the prefix keeps it, so the
/// crop keeps the A. A "?" is a 2 that lost its base stroke ("L1N26?3655190"), one of the group.
#define NOTICESCAN_SEPARATOR "(?:[ \\-:;.,'`]|\xE2\x80[\x98\x99\x9C\x9D])"
#define NOTICESCAN_GROUP NOTICESCAN_DIGIT_LIKE "(?:/?" NOTICESCAN_DIGIT_LIKE ")+"
const std::regex& spanPattern() {
  static const std::regex re("(?:[A-Za-z0-9|!$]{1,4}[#*=]?" NOTICESCAN_SEPARATOR "{0,3})?" NOTICESCAN_GROUP
                             "(?:" NOTICESCAN_SEPARATOR "{0,3}" NOTICESCAN_GROUP "){0,4}");
  return re;
}
/// An "A" and a few marks ("A#", "A-", "Alf'"), then what could be 7 to 9 digits in groups.
const std::regex& aNumberLikePattern() {
  static const std::regex re("^A[A-Za-z#*=|!/]{0,3}" NOTICESCAN_SEPARATOR "{0,3}(?:" NOTICESCAN_DIGIT_LIKE
                             "|" NOTICESCAN_SEPARATOR "|/){7,20}$");
  return re;
}
const std::regex& receiptLikePattern() {
  static const std::regex re("^[A-Za-z0-9|!$]{3}[ \\-*]?(?:" NOTICESCAN_DIGIT_LIKE "|[ \\-]){8,}$");
  return re;
}
#undef NOTICESCAN_SEPARATOR
#undef NOTICESCAN_GROUP
/// A date ("02/12/2022", "4/16/2821" as a blurred 0 reads): never an identifier misread.
const std::regex& datePattern() {
  static const std::regex re("(?:^|[^0-9])[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}(?![0-9])");
  return re;
}
/// A telephone number read cleanly (3-3-4 digits) is never an identifier misread.
const std::regex& telephonePattern() {
  static const std::regex re("(?:^|[^0-9])[0-9]{3}[ \\-][0-9]{3}[ \\-][0-9]{4}(?![0-9])");
  return re;
}

/// The runs of `text` that `pattern` matches from a word's start to a word's end, left to right,
/// not overlapping. Tried at every word start: a match that begins inside a word ("iary 4966..."
/// in "Beneficiary 496623829") is not a value, and must not hide the value that follows it. A
/// match that runs into the next word ("A# 017-009-201 So" of "... Social", the "So" read as
/// digits) is tried again on the text up to an earlier word end, longest first.
std::vector<std::pair<std::size_t, std::size_t>> wordBoundedMatches(const std::string& text, const std::regex& pattern) {
  const auto inWord = [&](std::size_t i) { return std::isalnum(static_cast<unsigned char>(text[i])) != 0; };
  const auto atWordEnd = [&](std::size_t i) { return i == text.size() || !inWord(i); };
  // The end of the match of `pattern` at `pos` within text[pos, limit), if any and non-empty.
  const auto matchEnd = [&](std::size_t pos, std::size_t limit) -> std::size_t {
    std::smatch m;
    const auto first = text.begin() + static_cast<std::ptrdiff_t>(pos);
    if (!std::regex_search(first, text.begin() + static_cast<std::ptrdiff_t>(limit), m, pattern,
                           std::regex_constants::match_continuous)) {
      return pos;
    }
    return pos + static_cast<std::size_t>(m.length(0));
  };
  std::vector<std::pair<std::size_t, std::size_t>> found;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (pos > 0 && inWord(pos - 1)) {
      ++pos;
      continue;
    }
    std::size_t stop = matchEnd(pos, text.size());
    // Cut back to the word end before the word the match ran into, and match again there.
    while (stop > pos && !atWordEnd(stop)) {
      std::size_t limit = stop;
      while (limit > pos && inWord(limit - 1)) --limit;   // the start of the word run into
      while (limit > pos && !inWord(limit - 1)) --limit;  // back over what parts it from the one before
      stop = limit > pos ? matchEnd(pos, limit) : pos;
    }
    if (stop > pos) {
      found.emplace_back(pos, stop);
      pos = stop;
      continue;
    }
    ++pos;
  }
  return found;
}

/// Geometry of a header box (the I-797 grid: a small label on top, the value in a larger font
/// under it): where the value sits below the label, in label heights; how tall its text is when
/// no other value on the page tells, in label heights; how wide a slot is, in value text heights
/// (13 characters at about 0.6 of the height each, with room to spare).
constexpr double kSlotTop = 0.3;
constexpr double kSlotBottom = 2.6;
constexpr double kSlotTextHeight = 1.3;
constexpr double kSlotWidth = 11.0;

bool isIdentifierLabel(const std::string& kind) {
  return kind == "receipt_number" || kind == "a_number" || kind == "online_account_number";
}

double overlapShare(const Rect& a, const Rect& b) {
  const double w = std::min(a.right(), b.right()) - std::max(a.x, b.x);
  const double h = std::min(a.bottom(), b.bottom()) - std::max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  return w * h / std::max(1.0, std::min(a.width * a.height, b.width * b.height));
}

/// The best identifier reading in one line of text: the longest candidate, then the one with the
/// fewest repairs.
std::optional<extract::Candidate> bestCandidate(std::string_view text, const extract::Models& models) {
  std::optional<extract::Candidate> best;
  for (extract::Candidate& c : extract::findCandidates(text, models)) {
    if (!best || c.end - c.begin > best->end - best->begin ||
        (c.end - c.begin == best->end - best->begin && c.normalised.repairs.size() < best->normalised.repairs.size())) {
      best = std::move(c);
    }
  }
  return best;
}

/// Digits blur turns into one another (a dotted 0 into 6, 8 or 9; a 5 into 6 or 3): the ones whose
/// glyphs are compared.
bool blurConfusable(char c) { return c == '0' || c == '3' || c == '5' || c == '6' || c == '8' || c == '9'; }

/// Two glyphs whose grey images correlate at least this well are the same digit printed twice.
constexpr double kAlikeGlyphs = 0.97;
/// A digit whose readings are split is read as another digit when its glyph correlates at least
/// this well with a glyph firmly read as that digit, and by this much better than with any glyph
/// firmly read as the digit it was taken for. A glyph is read firmly when this share of the votes
/// for its place went to one digit. (Shake and heavy blur lower every correlation: there the same
/// digit printed twice correlates at 0.9 to 0.94, different digits at 0.8 or less.)
constexpr double kExemplarGlyphs = 0.85;
constexpr double kExemplarMargin = 0.05;
constexpr double kFirmVoteShare = 0.75;
/// glyphBoxes: a run of inked columns is a glyph when its ink is at least this share of the
/// tallest run's height (a hyphen, a full stop and a colon's dots are not).
constexpr double kGlyphHeightShare = 0.6;
/// glyphBoxes: a run at most this share of the tallest run's height wide can be a single glyph;
/// a digit is usually about this share of its height wide.
constexpr double kOneGlyphWidthShare = 0.9;
constexpr double kDigitWidthShare = 0.6;

/// The correlation of two glyphs' grey images (each its columns of `gray` over the rows of
/// `rows`), centred on each other, best over shifts of a pixel either way.
double glyphCorrelation(const cv::Mat& gray, const cv::Rect& a, const cv::Rect& b, const cv::Range& rows) {
  const int width = std::max(a.width, b.width) + 4;
  auto patch = [&](const cv::Rect& g) {
    cv::Mat out(rows.size() + 4, width, CV_32F, cv::Scalar(255));
    const int x0 = (width - g.width) / 2;
    gray(cv::Range(rows.start, rows.end), cv::Range(g.x, g.x + g.width))
        .convertTo(out(cv::Rect(x0, 2, g.width, rows.size())), CV_32F);
    return out;
  };
  // b's glyph slid over a's with a pixel to spare each way: nine placements, the best one counts.
  cv::Mat result;
  cv::matchTemplate(patch(a)(cv::Rect(1, 1, width - 2, rows.size() + 2)), patch(b)(cv::Rect(2, 2, width - 4, rows.size())),
                    result, cv::TM_CCOEFF_NORMED);
  double best = -1;
  cv::minMaxLoc(result, nullptr, &best);
  return best;
}

/// The indices in `raw` of the characters a value's digits were read from: its letters and digits
/// less an A-number's "A" and a receipt's three-letter prefix.
std::vector<std::size_t> printedDigitIndices(FieldType type, const std::string& raw) {
  std::vector<std::size_t> out;
  std::size_t skip = type == FieldType::ReceiptNumber ? 3 : 0;
  bool first = true;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (!std::isalnum(static_cast<unsigned char>(raw[i]))) continue;
    if (first && type == FieldType::ANumber && (raw[i] == 'A' || raw[i] == 'a')) skip = 1;
    first = false;
    if (skip > 0) {
      --skip;
      continue;
    }
    out.push_back(i);
  }
  return out;
}

/// Whether `c` prints as a glyph as tall as letters and digits (glyphBoxes keeps it).
bool tallCharacter(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '#'; }

/// One way of showing a crop to the line recogniser: scaled so its text is `textHeight` tall
/// (Tesseract's line recogniser reads capitals and digits of 25-40 px best), moved down by `shift`
/// text heights (negative: up), grey or black and white (Otsu).
struct Rendering {
  double textHeight;
  double shift;
  bool binary;
};
/// Every page's uncertain spans are read in these renderings, in this order. Otsu helps where
/// blur greys the strokes.
constexpr Rendering kRenderings[] = {{32, 0, false}, {32, 0, true}, {24, 0, false}};
/// A blurred page's spans may be read in these too. Tesseract's reading of a blurred glyph turns on
/// small things (a dotted zero read as 0, 6 or 8 as the crop's edge moves by a few pixels, as the
/// line's height normalisation shifts): more views, a little moved and scaled, outvote the chance.
constexpr Rendering kBlurredRenderings[] = {{32, 0.1, false}, {32, -0.1, false}, {24, 0.1, false},
                                            {24, -0.1, false}, {40, 0, false},   {28, 0, false},
                                            {24, 0, true},     {32, 0.1, true},  {32, -0.1, true}};
/// A page stored black and white (Effort::BlackAndWhite) is read in this one too.
constexpr Rendering kBlackAndWhiteRendering = {28, 0, false};
/// A first reading that this many fresh readings agree with is settled, on a normal page and on a
/// blurred one.
constexpr int kSettlingReadings = 2;
constexpr int kSettlingReadingsBlurred = 4;

/// A crop as shown to the line recogniser, and where its pixels come from on the page.
struct Rendered {
  cv::Mat image;
  cv::Rect source;  ///< the part of the page shown
  double scale = 1;
  int margin = 0;   ///< white added on every side

  /// `box` (in `image`'s pixels) in the page's pixels.
  Rect toPage(const Rect& box) const {
    return {source.x + (box.x - margin) / scale, source.y + (box.y - margin) / scale, box.width / scale,
            box.height / scale};
  }
};

/// `rendering` of the part of `gray` in `crop`; `textHeight` is the text's height there.
Rendered render(const cv::Mat& gray, const cv::Rect& crop, double textHeight, const Rendering& rendering) {
  const int shift = static_cast<int>(std::lround(rendering.shift * textHeight));
  const cv::Rect moved = (crop + cv::Point(0, shift)) & cv::Rect(0, 0, gray.cols, gray.rows);
  Rendered out;
  out.source = moved.area() > 0 ? moved : crop;
  out.scale = std::clamp(rendering.textHeight / std::max(1.0, textHeight), 0.4, 5.0);
  cv::resize(gray(out.source), out.image, cv::Size(), out.scale, out.scale,
             out.scale > 1 ? cv::INTER_CUBIC : cv::INTER_AREA);
  // A white margin: Tesseract finds the baseline better with room around the text.
  out.margin = static_cast<int>(rendering.textHeight / 2);
  cv::copyMakeBorder(out.image, out.image, out.margin, out.margin, out.margin, out.margin, cv::BORDER_CONSTANT,
                     cv::Scalar(255));
  if (rendering.binary) cv::threshold(out.image, out.image, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  return out;
}

/// Where on the page a line reading put the characters [begin, end) of `text`, its words joined by
/// single spaces: the words' boxes, cut in proportion inside a word. Nullopt when the reading's
/// boxes are not believable (outside the crop shown).
std::optional<Rect> readingBox(const std::vector<Word>& reading, std::size_t begin, std::size_t end,
                               const Rendered& rendered) {
  std::optional<Rect> box;
  std::size_t at = 0;
  for (const Word& w : reading) {
    const std::size_t from = std::max(at, begin), to = std::min(at + w.text.size(), end);
    if (from < to) {
      const Rect part = extract::charactersBox(w, from - at, to - at);
      box = box ? box->united(part) : part;
    }
    at += w.text.size() + 1;
  }
  if (!box || box->width <= 0 || box->height <= 0) return std::nullopt;
  const Rect page = rendered.toPage(*box);
  const Rect shown{static_cast<double>(rendered.source.x), static_cast<double>(rendered.source.y),
                   static_cast<double>(rendered.source.width), static_cast<double>(rendered.source.height)};
  if (overlapShare(page, shown) < 0.8) return std::nullopt;
  return page;
}

struct Ballot {
  double weight = 0;
  int count = 0;
  double confidenceSum = 0;
  std::string raw;  ///< the reading with the fewest repairs
  std::optional<Rect> rawBox;  ///< where a fresh reading found the value on the page
  std::size_t rawRepairs = 0;
  bool rawPrefixed = false;  ///< `raw` is an A-number with its "A"
  int prefixedCount = 0;     ///< readings that saw an A-number's "A"
  std::string prefixedRaw;   ///< of those, the one with the fewest repairs
  std::size_t prefixedRepairs = 0;
  std::optional<Rect> prefixedBox;

  /// When most readings saw the "A" ("AQ41164952" nine times, "41164952" once with a speck
  /// before it), the words put back keep it: a bare number needs an A-number label to count, and
  /// a party's label ("Petitioner") is not one.
  void preferPrefixed() {
    if (rawPrefixed || prefixedRaw.empty() || 2 * prefixedCount <= count) return;
    raw = prefixedRaw;
    rawRepairs = prefixedRepairs;
    rawPrefixed = true;
    if (prefixedBox) rawBox = prefixedBox;
  }
};

using Ballots = std::map<std::pair<FieldType, std::string>, Ballot>;

/// An A-number's "A" read as "4" ("A96008157" read "496008157", a bare nine-digit number) is a
/// reading of the A-number that other readings saw with its "A": its vote goes to that one.
void mergeAReadAsFour(Ballots& ballots) {
  for (auto it = ballots.begin(); it != ballots.end();) {
    const auto& [key, ballot] = *it;
    std::string digits;
    for (const char c : ballot.raw) {
      if (c != ' ' && c != '-') digits += c;
    }
    const std::string& value = key.second;
    std::optional<extract::Normalised> withA;
    if (key.first == FieldType::ANumber && !ballot.rawPrefixed && digits.size() >= 8 && digits.size() <= 9 &&
        value.size() == 10 && value[10 - digits.size()] == '4') {
      withA = extract::normaliseANumber(std::string_view(value).substr(11 - digits.size()), false);
    }
    const auto target = withA ? ballots.find({FieldType::ANumber, withA->value}) : ballots.end();
    if (target == ballots.end() || target == it || !target->second.rawPrefixed) {
      ++it;
      continue;
    }
    target->second.weight += ballot.weight;
    target->second.count += ballot.count;
    target->second.confidenceSum += ballot.confidenceSum;
    if (!target->second.rawBox) target->second.rawBox = ballot.rawBox;
    it = ballots.erase(it);
  }
}

/// Replaces the words of `span` with `span.before + raw + span.after`, keeping the text of the first
/// and last word that lies outside the span. The new words go where the winning reading found `raw`
/// (`readAt`) when it said; else they are spread over the old words' united box (an empty slot's
/// box when it has none), which takes in whatever the page read glued to them (a table rule, a
/// speck), and a value's box decides which label is its own.
void substitute(std::vector<Word>& words, const Span& span, const std::string& raw, const std::optional<Rect>& readAt,
                double confidence, std::vector<bool>& removed, std::vector<Word>& added) {
  Rect box = span.words.empty() ? span.box : words[static_cast<std::size_t>(span.words.front())].box;
  for (const int i : span.words) {
    box = box.united(words[static_cast<std::size_t>(i)].box);
    removed[static_cast<std::size_t>(i)] = true;
  }
  if (readAt && !raw.empty()) {
    const double perChar = readAt->width / static_cast<double>(raw.size());
    const double before = perChar * static_cast<double>(span.before.size());
    box = {readAt->x - before, readAt->y,
           readAt->width + before + perChar * static_cast<double>(span.after.size()), readAt->height};
  }
  const std::string text = span.before + raw + span.after;
  std::vector<std::string> tokens;
  std::size_t chars = 0;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t space = std::min(text.find(' ', start), text.size());
    if (space > start) {
      tokens.push_back(text.substr(start, space - start));
      chars += space - start;
    }
    start = space + 1;
  }
  // Tokens get widths in proportion to their characters; the gaps share what is left.
  const double perChar = box.width / static_cast<double>(std::max<std::size_t>(1, chars + tokens.size() - 1));
  double x = box.x;
  for (const std::string& token : tokens) {
    Word w;
    w.text = token;
    w.box = {x, box.y, perChar * static_cast<double>(token.size()), box.height};
    w.confidence = confidence;
    w.reread = true;
    added.push_back(std::move(w));
    x += perChar * static_cast<double>(token.size() + 1);
  }
}

/// A vote cast for a value of a span, with its weight.
using Cast = std::vector<std::pair<std::pair<FieldType, std::string>, double>>;

/// `raw`, the winning reading of `span` (of the value `key`), with the digits printed alike read
/// alike (harmoniseAlikeDigits), from the glyphs in `crop` and the votes `cast` for values of the
/// same type and length. Left as it is when the crop's glyphs do not match the span's text one
/// for one.
std::string harmoniseRaw(const cv::Mat& gray, const cv::Rect& crop, const Span& span,
                         const std::pair<FieldType, std::string>& key, const std::string& raw, const Cast& cast) {
  const auto& [type, value] = key;
  if (span.words.empty() || value.find('*') != std::string::npos) return raw;
  const std::size_t prefix = type == FieldType::ANumber ? 1 : type == FieldType::ReceiptNumber ? 3 : 0;
  if (value.size() <= prefix) return raw;
  const std::vector<std::size_t> at = printedDigitIndices(type, raw);
  const std::size_t n = at.size(), valueDigits = value.size() - prefix;
  if (n < 2 || n > valueDigits) return raw;
  // The glyphs in the span's rows (a little more: blur spreads ink) stand for its text's letters,
  // digits and signs, one for one.
  const std::string text = span.before + raw + span.after;
  const int grow = static_cast<int>(std::lround(0.1 * span.box.height));
  const cv::Rect band(crop.x, static_cast<int>(span.box.y) - grow, crop.width,
                      static_cast<int>(std::ceil(span.box.height)) + 2 * grow);
  const std::vector<cv::Rect> glyphs = glyphBoxes(gray, band);
  std::vector<std::size_t> glyphOf(text.size(), 0);
  std::size_t tall = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (tallCharacter(text[i])) glyphOf[i] = tall++;
  }
  if (glyphs.size() != tall) return raw;
  std::string digits;
  std::vector<cv::Rect> cells;
  DigitVotes votes(n);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t v = prefix + valueDigits - n + k;  // the value's character read from raw[at[k]]
    digits += value[v];
    cells.push_back(glyphs[glyphOf[span.before.size() + at[k]]]);
    for (const auto& [other, weight] : cast) {
      if (other.first == type && other.second.size() == value.size()) votes[k][other.second[v]] += weight;
    }
  }
  const std::string harmonised = harmoniseAlikeDigits(gray, cells, digits, votes);
  // Only the digits the glyphs changed are written over: the rest keep the reading's characters
  // (an "S" the grammar repairs to 5 stays an S, and its repair is reported).
  std::string out = raw;
  for (std::size_t k = 0; k < n; ++k) {
    if (harmonised[k] != digits[k]) out[at[k]] = harmonised[k];
  }
  return out;
}

}  // namespace

std::vector<Span> findUncertainSpans(const std::vector<Word>& words, const extract::Models& models) {
  std::vector<int> original;  // layout index -> index in `words` (blank words are not in the layout)
  std::vector<Word> kept;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (isBlank(words[i])) continue;
    original.push_back(static_cast<int>(i));
    kept.push_back(words[i]);
  }
  const extract::Layout layout = extract::buildLayout(kept);
  const std::vector<extract::LabelHit> labels = extract::findLabels(layout, models);
  const extract::PageExtraction first = extract::extractPage(layout, labels, 1, TextSource::Ocr, models);

  std::vector<Span> spans;
  for (std::size_t s = 0; s < layout.segments.size(); ++s) {
    const extract::Segment& segment = layout.segments[s];
    for (const auto& [begin, stop] : wordBoundedMatches(segment.text, spanPattern())) {
      const std::string text = segment.text.substr(begin, stop - begin);
      int alnum = 0, digits = 0;
      for (const char c : text) {
        alnum += std::isalnum(static_cast<unsigned char>(c)) || c == '|' || c == '!' ? 1 : 0;
        digits += std::isdigit(static_cast<unsigned char>(c)) ? 1 : 0;
      }
      if (alnum < 7 || alnum > 16 || digits < 4 || std::regex_search(text, telephonePattern()) ||
          std::regex_search(text, datePattern())) {
        continue;
      }

      const Rect box = extract::spanBox(layout, segment, begin, stop);
      const auto field = std::find_if(first.fields.begin(), first.fields.end(),
                                       [&](const Field& f) { return overlapShare(bounds(f.polygon), box) > 0.5; });
      // Labelled: an identifier label governs the span and no closer label says it is something
      // else (a telephone, an NVC case).
      double identifierLabel = kMaxLabelDistance + 1, otherLabel = identifierLabel;
      std::string labelKind;
      for (const extract::LabelHit& label : labels) {
        const std::string& kind = label.entry->kind;
        const auto d = extract::labelDistance(layout, label, static_cast<int>(s), begin, box);
        if (!d) continue;
        if (isIdentifierLabel(kind) || kind == "role") {
          if (*d < identifierLabel) labelKind = kind;
          identifierLabel = std::min(identifierLabel, *d);
        } else if (kind == "distractor" || kind == "online_access_code") {
          otherLabel = std::min(otherLabel, *d);
        }
      }
      const bool labelled = identifierLabel <= kMaxLabelDistance && identifierLabel <= otherLabel;
      if (field != first.fields.end()) {
        if (field->repairs.empty() && extract::spanConfidence(layout, segment, begin, stop) >= kSureConfidence) continue;
      } else if (!labelled && !std::regex_match(text, receiptLikePattern()) &&
                 !std::regex_match(text, aNumberLikePattern())) {
        continue;
      }

      Span span;
      span.box = box;
      span.labelled = labelled || field != first.fields.end();
      if (labelled) span.labelKind = labelKind;
      for (std::size_t i = begin; i < stop; ++i) {
        const int slot = segment.charWord[i];
        if (slot < 0) continue;
        const int index = original[static_cast<std::size_t>(segment.words[static_cast<std::size_t>(slot)])];
        if (span.words.empty() || span.words.back() != index) span.words.push_back(index);
      }
      if (span.words.empty()) continue;
      // A span already read a second time (an earlier band's re-read, read/) has had its look.
      if (std::all_of(span.words.begin(), span.words.end(), [&](int i) {
            const Word& w = words[static_cast<std::size_t>(i)];
            return w.reread || w.disputed;
          })) {
        continue;
      }
      const auto wordAt = [&](std::size_t i) -> const Word& {
        return layout.words[static_cast<std::size_t>(segment.words[static_cast<std::size_t>(segment.charWord[i])])];
      };
      if (segment.charWord[begin] >= 0) span.before = wordAt(begin).text.substr(0, static_cast<std::size_t>(segment.charInWord[begin]));
      if (segment.charWord[stop - 1] >= 0) span.after = wordAt(stop - 1).text.substr(static_cast<std::size_t>(segment.charInWord[stop - 1]) + 1);
      spans.push_back(std::move(span));
    }
  }

  // Empty slots: an identifier label alone in its segment (a header box's label, not a phrase of
  // the letter) with no value found under it or beside it. The values found elsewhere on the page
  // tell how tall its text is (the header's values share a font).
  std::vector<double> valueHeights;
  for (const Field& f : first.fields) {
    if (f.type != FieldType::OnlineAccessCode) valueHeights.push_back(bounds(f.polygon).height);  // not a header value
  }
  std::sort(valueHeights.begin(), valueHeights.end());
  for (const extract::LabelHit& label : labels) {
    if (!isIdentifierLabel(label.entry->kind)) continue;
    const extract::Segment& segment = layout.segments[static_cast<std::size_t>(label.segment)];
    const std::size_t rest = segment.text.find_first_not_of(" :#", label.end);
    if (label.begin != 0 || rest != std::string::npos) continue;
    const double h = label.box.height;
    const double textHeight = valueHeights.empty() ? kSlotTextHeight * h : valueHeights[valueHeights.size() / 2];
    const double width = std::max(label.box.width * 1.2, kSlotWidth * textHeight);
    Rect below{label.box.x - kSlotTop * h, label.box.bottom() + kSlotTop * h, width, (kSlotBottom - kSlotTop) * h};
    const Rect beside{label.box.right(), label.box.y - 0.5 * h, width, 2 * h};
    const bool valued = std::any_of(first.fields.begin(), first.fields.end(), [&](const Field& f) {
      const Rect box = bounds(f.polygon);
      return box.intersects(below) || box.intersects(beside);
    });
    // A slot that overlaps a span already chosen is that span's business.
    const bool taken = std::any_of(spans.begin(), spans.end(), [&](const Span& sp) { return sp.box.intersects(below); });
    if (valued || taken) continue;
    // Another label in the slot (the next row of the grid) ends it.
    for (const extract::LabelHit& other : labels) {
      if (&other != &label && other.box.intersects(below) && other.box.y > label.box.bottom()) {
        below.height = std::max(0.0, other.box.y - below.y);
      }
    }
    if (below.height < h) continue;
    Span span;
    span.box = below;
    span.labelled = true;
    span.labelKind = label.entry->kind;
    span.textHeight = textHeight;
    spans.push_back(std::move(span));
  }
  std::stable_sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.labelled && !b.labelled; });
  if (spans.size() > static_cast<std::size_t>(kMaxSpansPerPage)) spans.resize(kMaxSpansPerPage);
  return spans;
}

bool isBlankSlot(const cv::Mat& gray, const Span& span) {
  if (!span.words.empty()) return false;
  const cv::Rect box = cv::Rect(static_cast<int>(span.box.x), static_cast<int>(span.box.y), static_cast<int>(span.box.width),
                                static_cast<int>(span.box.height)) &
                       cv::Rect(0, 0, gray.cols, gray.rows);
  if (box.width < 4 || box.height < 4) return false;
  const cv::Mat crop = gray(box);
  // Ink is what is much darker than the paper around it (the crop's bright end).
  const double paper = page::grayPercentile(crop, 0.9);
  cv::Mat ink = crop < paper * kInkShareOfPaper;
  // A row or column dark over most of its length is a rule of the box, not print.
  cv::Mat rowDark, colDark;
  cv::reduce(ink, rowDark, 1, cv::REDUCE_AVG, CV_64F);
  cv::reduce(ink, colDark, 0, cv::REDUCE_AVG, CV_64F);
  for (int y = 0; y < ink.rows; ++y) {
    if (rowDark.at<double>(y, 0) > 255 * kRuleShare) ink.row(y).setTo(0);
  }
  for (int x = 0; x < ink.cols; ++x) {
    if (colDark.at<double>(0, x) > 255 * kRuleShare) ink.col(x).setTo(0);
  }
  return static_cast<double>(cv::countNonZero(ink)) < kBlankInkShare * static_cast<double>(ink.total());
}

std::vector<Word> LineReadings::read(ocr::OcrEngine& engine, const cv::Mat& image, const std::string& allowedChars) {
  CV_Assert(image.type() == CV_8UC1);
  const std::size_t rowBytes = static_cast<std::size_t>(image.cols);
  // The pixels' hash, row by row (a crop may be a view), with the size and the characters.
  std::size_t key = std::hash<std::string>{}(allowedChars) ^
                    (static_cast<std::size_t>(image.rows) * 0x9e3779b97f4a7c15ULL + rowBytes);
  for (int y = 0; y < image.rows; ++y) {
    const std::string_view row(reinterpret_cast<const char*>(image.ptr<unsigned char>(y)), rowBytes);
    key = key * 1099511628211ULL ^ std::hash<std::string_view>{}(row);
  }
  const auto [first, last] = readings_.equal_range(key);
  for (auto it = first; it != last; ++it) {
    const Reading& r = it->second;
    if (r.allowedChars == allowedChars && r.image.size() == image.size() && cv::countNonZero(r.image != image) == 0) {
      return r.words;
    }
  }
  std::vector<Word> words = engine.recognizeLine(image, allowedChars);
  // An empty reading may be a read the deadline stopped: it is not kept.
  if (!words.empty()) readings_.emplace(key, Reading{image.clone(), allowedChars, words});
  return words;
}

void LineReadings::remember(const cv::Rect& crop, std::vector<SpanReading> readings) {
  if (!readings.empty()) spans_.emplace_back(crop, std::move(readings));
}

std::vector<LineReadings::SpanReading> LineReadings::recall(const cv::Rect& crop) const {
  std::vector<SpanReading> out;
  for (const auto& [earlier, readings] : spans_) {
    if (earlier == crop) continue;  // the same crop: its readings come back from read() anyway
    const double common = static_cast<double>((earlier & crop).area());
    if (common < kSamePrintOverlap * std::min(earlier.area(), crop.area())) continue;
    out.insert(out.end(), readings.begin(), readings.end());
  }
  return out;
}

std::vector<cv::Rect> glyphBoxes(const cv::Mat& gray, const cv::Rect& band) {
  std::vector<cv::Rect> out;
  const cv::Rect inside = band & cv::Rect(0, 0, gray.cols, gray.rows);
  if (inside.width < 2 || inside.height < 2) return out;
  cv::Mat ink;
  cv::threshold(gray(inside), ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  std::vector<int> column(static_cast<std::size_t>(ink.cols));
  for (int x = 0; x < ink.cols; ++x) column[static_cast<std::size_t>(x)] = cv::countNonZero(ink.col(x));
  std::vector<cv::Range> runs;
  for (int x = 0; x < ink.cols;) {
    if (column[static_cast<std::size_t>(x)] == 0) {
      ++x;
      continue;
    }
    const int start = x;
    while (x < ink.cols && column[static_cast<std::size_t>(x)] > 0) ++x;
    runs.emplace_back(start, x);
  }
  auto box = [&](const cv::Range& r) {
    return cv::boundingRect(ink(cv::Range::all(), r)) + cv::Point(r.start + inside.x, inside.y);
  };
  std::vector<int> heights;
  for (const cv::Range& r : runs) heights.push_back(box(r).height);
  const int tallest = heights.empty() ? 0 : *std::max_element(heights.begin(), heights.end());
  std::vector<cv::Range> tallRuns;
  std::vector<int> widths;  // of runs narrow enough to be one glyph: no letter or digit is wider than tall
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (heights[i] < kGlyphHeightShare * tallest) continue;
    tallRuns.push_back(runs[i]);
    if (runs[i].size() <= kOneGlyphWidthShare * tallest) widths.push_back(runs[i].size());
  }
  if (tallRuns.empty()) return out;
  // Blur joins neighbouring glyphs into one run. A run as wide as k glyphs (the median width of
  // the runs narrow enough to be one, else a digit's usual share of its height) is cut into k, each
  // cut at the column with the least ink near where an even split puts it. Rounding is kept low so
  // that a wide letter (M, W) stays whole.
  const double glyph = widths.empty() ? kDigitWidthShare * tallest : util::median(widths);
  for (const cv::Range& r : tallRuns) {
    const int k = std::max(1, static_cast<int>(r.size() / glyph + 0.3));
    int from = r.start;
    for (int part = 1; part < k; ++part) {
      const int even = r.start + static_cast<int>(std::lround(part * r.size() / static_cast<double>(k)));
      const int reach = std::max(1, static_cast<int>(0.25 * r.size() / k));
      int cut = even;
      for (int x = std::max(from + 1, even - reach); x <= std::min(r.end - 2, even + reach); ++x) {
        if (column[static_cast<std::size_t>(x)] < column[static_cast<std::size_t>(cut)]) cut = x;
      }
      out.push_back(box(cv::Range(from, cut)));
      from = cut;
    }
    out.push_back(box(cv::Range(from, r.end)));
  }
  return out;
}

std::string harmoniseAlikeDigits(const cv::Mat& gray, const std::vector<cv::Rect>& cells, const std::string& digits,
                                 const DigitVotes& votes) {
  const std::size_t n = digits.size();
  if (n < 2 || cells.size() != n || votes.size() != n) return digits;
  // Touching glyphs make one run: a run much wider than the others is not one digit.
  std::vector<int> widths;
  for (const cv::Rect& c : cells) widths.push_back(c.width);
  const int median = util::median(widths);
  for (const cv::Rect& c : cells) {
    if (c.width > 1.6 * median) return digits;
  }
  int top = cells.front().y, bottom = cells.front().br().y;
  for (const cv::Rect& c : cells) {
    top = std::min(top, c.y);
    bottom = std::max(bottom, c.br().y);
  }
  const cv::Range rows(std::max(0, top - 1), std::min(gray.rows, bottom + 1));
  // Glyphs alike are joined into groups (union-find).
  std::vector<std::size_t> group(n);
  std::iota(group.begin(), group.end(), 0);
  auto root = [&](std::size_t i) {
    while (group[i] != i) i = group[i] = group[group[i]];
    return i;
  };
  // Every pair of digits blur confuses is compared once (the digits below stay among them).
  std::vector<std::vector<double>> correlation(n, std::vector<double>(n, -1));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      if (!blurConfusable(digits[i]) || !blurConfusable(digits[j])) continue;
      correlation[i][j] = correlation[j][i] = glyphCorrelation(gray, cells[i], cells[j], rows);
      if (correlation[i][j] >= kAlikeGlyphs) group[root(i)] = root(j);
    }
  }
  // A group whose glyphs were all read as one digit agrees with itself; the votes of every
  // position of a group that does not decide what all of them are.
  std::map<std::size_t, std::map<char, double>> pooled;
  std::map<std::size_t, std::string> readAs;
  for (std::size_t i = 0; i < n; ++i) {
    if (!blurConfusable(digits[i])) continue;
    readAs[root(i)] += digits[i];
    for (const auto& [digit, weight] : votes[i]) {
      if (blurConfusable(digit)) pooled[root(i)][digit] += weight;
    }
  }
  std::string out = digits;
  for (std::size_t i = 0; i < n; ++i) {
    if (!blurConfusable(digits[i])) continue;
    const std::string& members = readAs[root(i)];
    if (members.find_first_not_of(members.front()) == std::string::npos) continue;
    const auto& tally = pooled[root(i)];
    const auto best = std::max_element(tally.begin(), tally.end(),
                                       [](const auto& a, const auto& b) { return a.second < b.second; });
    if (best != tally.end()) out[i] = best->first;
  }
  // Under heavy blur or shake no two glyphs match that closely, but a glyph still looks most like
  // the others of its digit. A digit the readings were split on goes with the firmly read glyphs
  // it matches best, when they are of a digit some reading saw there and it matches them clearly
  // better than the firmly read glyphs of the digit it was taken for.
  const auto share = [&](std::size_t k, char digit) {
    double total = 0;
    for (const auto& entry : votes[k]) total += entry.second;
    const auto it = votes[k].find(digit);
    return total > 0 && it != votes[k].end() ? it->second / total : 0.0;
  };
  std::vector<bool> firm(n);
  for (std::size_t k = 0; k < n; ++k) firm[k] = blurConfusable(out[k]) && share(k, out[k]) >= kFirmVoteShare;
  std::string decided = out;
  for (std::size_t i = 0; i < n; ++i) {
    if (!blurConfusable(out[i]) || share(i, out[i]) >= 1.0) continue;
    std::map<char, double> closest;  // digit -> best correlation with a glyph firmly read as it
    for (std::size_t j = 0; j < n; ++j) {
      if (j == i || !firm[j]) continue;
      const double r = correlation[i][j];
      const auto [it, fresh] = closest.emplace(out[j], r);
      if (!fresh) it->second = std::max(it->second, r);
    }
    const auto own = closest.find(out[i]);
    if (own == closest.end()) continue;  // nothing to compare with
    double bestMatch = own->second + kExemplarMargin;
    for (const auto& [digit, r] : closest) {
      if (digit == out[i] || r < kExemplarGlyphs || r < bestMatch || share(i, digit) <= 0) continue;
      decided[i] = digit;
      bestMatch = r;
    }
  }
  return decided;
}

std::vector<Word> rereadUncertain(const std::vector<Word>& input, const cv::Mat& gray, ocr::OcrEngine& engine,
                                  const extract::Models& models, Stats* stats, Effort effort, LineReadings* earlier) {
  std::vector<Word> words = input;
  std::vector<Rendering> views(std::begin(kRenderings), std::end(kRenderings));
  if (effort == Effort::Blurred) views.insert(views.end(), std::begin(kBlurredRenderings), std::end(kBlurredRenderings));
  if (effort == Effort::BlackAndWhite) views.push_back(kBlackAndWhiteRendering);
  const int settling = effort == Effort::Blurred ? kSettlingReadingsBlurred : kSettlingReadings;
  const std::vector<Span> spans = findUncertainSpans(words, models);
  if (spans.empty()) return words;
  std::vector<bool> removed(words.size(), false);
  std::vector<Word> added;
  for (const Span& span : spans) {
    if (isBlankSlot(gray, span)) continue;  // a box left empty on the form: nothing to read
    // The words as first read take part in the vote too.
    std::string first;
    double firstConfidence = 1.0;
    for (const int i : span.words) {
      const Word& w = words[static_cast<std::size_t>(i)];
      first += (first.empty() ? "" : " ") + w.text;
      firstConfidence = std::min(firstConfidence, w.confidence);
    }
    Ballots ballots;
    Cast cast;
    double total = 0;
    auto vote = [&](const std::optional<extract::Candidate>& c, double confidence,
                    const std::optional<Rect>& at) -> std::optional<std::pair<FieldType, std::string>> {
      if (!c) return std::nullopt;
      // Under a Receipt Number label, "10E0911638009" (IOE... with two letters misread) is the
      // reading to trust, not "100911638009" (the E lost), which parses as an account number.
      const double labelFactor = span.labelKind.empty() || extract::labelFits(c->type, span.labelKind) ? 1.0 : kOffLabelFactor;
      const double weight = labelFactor * confidence *
                            std::pow(extract::kRepairFactor, static_cast<double>(c->normalised.repairs.size()));
      const auto key = std::make_pair(c->type, c->normalised.value);
      cast.emplace_back(key, weight);
      Ballot& b = ballots[key];
      b.weight += weight;
      b.count += 1;
      b.confidenceSum += confidence;
      // The words put back are the reading with the fewest repairs; of two alike, the one that
      // kept an A-number's own "A" ("A 065-059-387", not "065-059-387"), which needs no label.
      const bool prefixed = c->shape == extract::CandidateShape::APrefixed;
      if (prefixed) {
        ++b.prefixedCount;
        if (b.prefixedRaw.empty() || c->normalised.repairs.size() < b.prefixedRepairs) {
          b.prefixedRaw = c->raw;
          b.prefixedRepairs = c->normalised.repairs.size();
          if (at) b.prefixedBox = at;
        }
        if (!b.prefixedBox) b.prefixedBox = at;
      }
      if (b.raw.empty() || c->normalised.repairs.size() < b.rawRepairs ||
          (c->normalised.repairs.size() == b.rawRepairs && prefixed && !b.rawPrefixed)) {
        b.raw = c->raw;
        if (at) b.rawBox = at;
        b.rawRepairs = c->normalised.repairs.size();
        b.rawPrefixed = prefixed;
      }
      // Every reading of the value found the same printed characters: the first that says where
      // they are places them (the page read's own words do not say it reliably).
      if (!b.rawBox) b.rawBox = at;
      total += weight;
      return key;
    };
    const auto firstCandidate = bestCandidate(first, models);
    const auto firstKey = vote(firstCandidate, firstConfidence, std::nullopt);
    // What this span was read as, for a later read of the page.
    std::vector<LineReadings::SpanReading> made;
    if (!first.empty()) made.push_back({first, firstConfidence, std::nullopt, true});
    const bool firstClean = firstCandidate && firstCandidate->normalised.repairs.empty();

    const double height = span.textHeight > 0 ? span.textHeight : span.box.height;
    // An empty slot's box already has its margins.
    const int padX = span.words.empty() ? 0 : static_cast<int>(std::ceil(0.2 * height));
    const int padY = span.words.empty() ? 0 : static_cast<int>(std::ceil(0.25 * height));
    // A span that ends inside a word ("IOE0997924779." with its full stop) has its box cut where
    // the characters' share of the word's width puts it, which can halve the last digit (a 9 read
    // as 5): the crop takes the rest of that word, whose stray marks the reading's parse drops.
    double left = span.box.x, right = span.box.right();
    if (!span.words.empty()) {
      if (!span.before.empty()) left = std::min(left, words[static_cast<std::size_t>(span.words.front())].box.x);
      if (!span.after.empty()) right = std::max(right, words[static_cast<std::size_t>(span.words.back())].box.right());
    }
    const cv::Rect crop = cv::Rect(static_cast<int>(left) - padX, static_cast<int>(span.box.y) - padY,
                                   static_cast<int>(std::ceil(right - left)) + 2 * padX,
                                   static_cast<int>(std::ceil(span.box.height)) + 2 * padY) &
                          cv::Rect(0, 0, gray.cols, gray.rows);
    if (crop.width < 4 || crop.height < 4) continue;
    if (stats) ++stats->spans;
    // What an earlier read of the page made of this print, cropped otherwise, votes too. Its page
    // read's words vote only where this page read found none (an empty slot): two reads of the
    // whole page agreeing are not two readings of a crop agreeing.
    if (earlier) {
      bool pageReadVoted = !span.words.empty();
      for (const LineReadings::SpanReading& r : earlier->recall(crop)) {
        if (r.pageRead && std::exchange(pageReadVoted, true)) continue;
        vote(bestCandidate(r.text, models), r.confidence, r.at);
      }
    }
    int agreeing = 0;
    for (const Rendering& view : views) {
      const Rendered rendered = render(gray, crop, height, view);
      const std::vector<Word> reading = earlier ? earlier->read(engine, rendered.image, kAllowedChars)
                                                : engine.recognizeLine(rendered.image, kAllowedChars);
      std::string text;
      double confidence = 1.0;
      for (const Word& w : reading) {
        text += (text.empty() ? "" : " ") + w.text;
        confidence = std::min(confidence, w.confidence);
      }
      if (stats) ++stats->readings;
      const auto candidate = bestCandidate(text, models);
      std::optional<Rect> at;
      if (candidate) at = readingBox(reading, candidate->end - candidate->raw.size(), candidate->end, rendered);
      // A reading Tesseract gave confidence 0 has no say: agreeing such readings are as often a
      // garble as a value ("call 800-375-5283" read "A 800-375-528" three times).
      const auto key = vote(candidate, text.empty() ? 0.0 : confidence, at);
      made.push_back({text, text.empty() ? 0.0 : confidence, at});
      // Fresh readings that agree with the first one settle it.
      if (key && firstKey && *key == *firstKey && ++agreeing == settling) break;
    }

    if (earlier) earlier->remember(crop, std::move(made));
    for (auto& entry : ballots) entry.second.preferPrefixed();
    mergeAReadAsFour(ballots);
    const auto winner = std::max_element(ballots.begin(), ballots.end(), [](const auto& a, const auto& b) {
      return a.second.weight < b.second.weight;
    });
    if (winner == ballots.end() || winner->second.count < 2 || total <= 0) {
      if (span.words.empty()) continue;  // an empty slot stays empty
      // Nothing agrees with the first reading: whatever it says deserves less trust.
      if (stats) ++stats->disputed;
      for (const int i : span.words) {
        words[static_cast<std::size_t>(i)].confidence *= kDisputedFactor;
        words[static_cast<std::size_t>(i)].disputed = true;
      }
      continue;
    }
    const Ballot& b = winner->second;
    // A clean first reading that Tesseract was sure of is confirmed or left alone, never
    // overturned: crops lose the context a page read has.
    if (firstKey && winner->first != *firstKey && firstClean && firstConfidence >= kOverturnableBelow) {
      if (stats) ++stats->disputed;
      continue;
    }
    const double share = b.weight / total;
    const double confidence = std::clamp(share * b.confidenceSum / b.count, 0.0, 1.0);
    if (firstKey && winner->first == *firstKey) {
      if (stats) ++stats->confirmed;
    } else if (stats) {
      ++stats->changed;
    }
    const std::string raw = harmoniseRaw(gray, crop, span, winner->first, b.raw, cast);
    substitute(words, span, raw, b.rawBox, confidence, removed, added);
  }
  std::vector<Word> out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (!removed[i]) out.push_back(std::move(words[i]));
  }
  for (Word& w : added) out.push_back(std::move(w));
  return out;
}

}  // namespace noticescan::reread
