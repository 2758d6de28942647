#pragma once
// reread/: a second look at the identifiers a page read left uncertain. Each uncertain span (a
// value that needed repairs, was read with low confidence, or sits under an identifier label but
// does not parse) is cropped from the page, enlarged, read again as a single line restricted to
// the characters identifiers use, in a few renderings; the readings vote. A reading that wins the
// vote replaces the words of the span, marked `reread`, with digits printed alike made alike
// (harmoniseAlikeDigits); extraction then runs on the new words.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <opencv2/core.hpp>

#include "noticescan/Types.h"
#include "noticescan/extract/Models.h"
#include "noticescan/ocr/OcrEngine.h"

namespace noticescan::reread {

/// Counts for reports and tests.
struct Stats {
  int spans = 0;      ///< spans read again
  int readings = 0;   ///< line reads made
  int changed = 0;    ///< spans whose value the vote changed
  int confirmed = 0;  ///< spans whose value the vote confirmed
  int disputed = 0;   ///< spans where the readings agreed on nothing
};

/// At most this many spans are read again per page: a page of garbage costs a bounded time.
inline constexpr int kMaxSpansPerPage = 10;

/// Where a page's words are worth a second look, in the page's pixels.
struct Span {
  Rect box;
  std::vector<int> words;  ///< indices into the word list given to findUncertainSpans
  bool labelled = false;   ///< sits where an identifier label puts its value
  /// The lexicon kind of the identifier label that governs the span ("receipt_number", "role",
  /// ...); empty when none does. Readings of another type get little say in the vote.
  std::string labelKind;
  std::string before;      ///< text of the first word that lies before the span
  std::string after;       ///< text of the last word that lies after the span
  /// The height of the text expected in the box; 0: the box's own height. Set for empty slots.
  double textHeight = 0;
};

/// The spans of `words` whose identifier reading is uncertain, most useful first, at most
/// kMaxSpansPerPage, leaving out spans whose words were all read a second time already (`reread` or
/// `disputed`). Pure: no image or engine involved. Besides spans of words, an *empty slot*:
/// a header box whose identifier label (alone in its box, as in the I-797 grid) has no value under
/// or beside it, where OCR skipped or garbled the value; its span has no words, only the box
/// under the label where the value is printed.
std::vector<Span> findUncertainSpans(const std::vector<Word>& words,
                                     const extract::Models& models = extract::defaultModels());

/// Whether an empty slot (a span with no words) is blank on `gray`: no print in its box beyond the
/// box's own rules (rows and columns mostly dark are rules and left out). A value printed there, even
/// a short one, darkens far more of it. False for spans with words.
bool isBlankSlot(const cv::Mat& gray, const Span& span);

/// How hard to look again. A blurred page (page::kLowSharpness) has each uncertain span read in
/// more renderings, and a first reading needs more agreeing readings to be settled: Tesseract's
/// readings of blurred glyphs change with small shifts and scalings of the crop. A page stored
/// black and white (a fax) gets one grey rendering more: there the black-and-white rendering
/// turns a 2 whose base the fax lost into a 7, and a third grey reading outvotes it.
enum class Effort { Normal, BlackAndWhite, Blurred };

/// The line readings made of one page, kept by the exact pixels read. A page whose header band
/// did not settle it is read whole again (read/HeaderFirst.h), and some of the header's uncertain
/// spans come back as the same crops: the engine reads the same pixels the same way, so their
/// readings are taken from here instead of being made again. The spans come back as other crops
/// too: their earlier readings are recalled and vote again.
class LineReadings {
 public:
  /// `engine`'s line reading of `image` with `allowedChars`: the one made before when these
  /// pixels were read with these characters, otherwise a fresh one (kept unless it is empty).
  std::vector<Word> read(ocr::OcrEngine& engine, const cv::Mat& image, const std::string& allowedChars);

  /// One reading of a span: its text, the confidence it votes with, and where on the page it put
  /// the value it found (if it said); `pageRead` for the page read's own words.
  struct SpanReading {
    std::string text;
    double confidence = 0;
    std::optional<Rect> at;
    bool pageRead = false;
  };
  /// Keeps what the span cropped as `crop` (page pixels) was read as, by the page read and by
  /// the crop's readings.
  void remember(const cv::Rect& crop, std::vector<SpanReading> readings);
  /// The readings of earlier crops of the same print as `crop` (each overlapping it by at least
  /// half of the smaller one's area) that were cropped differently: a page read whole again reads a
  /// value's words anew, its span comes out a few pixels off, and Tesseract's readings of a
  /// blurred value turn on such pixels. The earlier readings still count.
  std::vector<SpanReading> recall(const cv::Rect& crop) const;

 private:
  struct Reading {
    cv::Mat image;
    std::string allowedChars;
    std::vector<Word> words;
  };
  std::unordered_multimap<std::size_t, Reading> readings_;
  std::vector<std::pair<cv::Rect, std::vector<SpanReading>>> spans_;
};

/// How sure the readings are of each printed digit of a value: for each, the summed vote weight
/// of every digit that readings of the same value put there.
using DigitVotes = std::vector<std::map<char, double>>;

/// Where the glyphs of a line of print lie in `gray`'s `band`: runs of columns holding ink (darker
/// than the band's Otsu threshold), leaving out runs much shorter than the tallest (hyphens, dots).
/// Blur joins neighbours into one run; a run as wide as several glyphs is cut into that many.
/// Left to right, in `gray`'s pixels.
std::vector<cv::Rect> glyphBoxes(const cv::Mat& gray, const cv::Rect& band);

/// `digits` (a value's printed digits, left to right; `cells[i]` is where digit i is printed in
/// `gray`) with digits printed alike read alike. The same digit printed twice is the same glyph,
/// but Tesseract's reading of a blurred glyph turns on small things, so one dotted zero may come
/// out 0 and the next 6. Glyphs of digits blur confuses (0, 3, 5, 6, 8, 9) that match closely are
/// taken as one digit, and the votes of all their positions decide which. Where none match that
/// closely (heavy blur, a shake), a digit the votes were split on is read as the digit whose
/// firmly read glyphs it matches clearly best, when some reading saw that digit there and the
/// line has a firmly read glyph of the digit it was taken for to weigh against. Unchanged when the
/// cells do not stand one for one for the digits (a cell much wider than the others holds
/// touching glyphs).
std::string harmoniseAlikeDigits(const cv::Mat& gray, const std::vector<cv::Rect>& cells, const std::string& digits,
                                 const DigitVotes& votes);

/// `words` as read from `gray`, with every uncertain span read again by `engine` and replaced
/// where the readings agree. Word boxes are in `gray`'s pixels. With `earlier`, line readings of
/// the same page made before are reused and the new ones kept there.
std::vector<Word> rereadUncertain(const std::vector<Word>& words, const cv::Mat& gray, ocr::OcrEngine& engine,
                                  const extract::Models& models = extract::defaultModels(), Stats* stats = nullptr,
                                  Effort effort = Effort::Normal, LineReadings* earlier = nullptr);

}  // namespace noticescan::reread
