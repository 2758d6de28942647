#pragma once
// read/: a prepared page -> its words, reading as little of the page as the evidence allows.
//
// The identifiers live in the header. On a page with a header of ruled boxes (the I-797 grid), the
// top band is read first, cut at a blank row so no line of text is split; its words are re-read
// where uncertain (reread/) and judged (judgeHeader). When the header's evidence is complete the
// rest of the page is not read. When it is sure but the page holds more below it (no party box, no
// notice type in the header), only the rest of the page is read, below the cut. Otherwise the
// whole page is read again, so that a page whose header was read poorly gives exactly the words of
// a full-page read. Pages without such a header (letters, legacy notices, continuation pages) are
// read whole at once.

#include <functional>
#include <vector>

#include <opencv2/core.hpp>

#include "noticescan/Types.h"
#include "noticescan/extract/Models.h"
#include "noticescan/ocr/OcrEngine.h"

namespace noticescan::read {

/// Where the header band ends, as a share of the page height, when a blank row is near.
inline constexpr double kHeaderShare = 0.27;
/// How far (share of the page height) from kHeaderShare a blank row is looked for.
inline constexpr double kCutSearch = 0.08;
/// A box rule runs at least this share of the page's width (horizontal rules of the grid).
inline constexpr double kMinRuleShare = 0.25;
/// Gray levels at or below this are ink, for box rules and for the rows a cut must not cross (the
/// page is evened out: paper is near white). A thin rule photographed out of focus comes out grey,
/// 130-160 at its darkest on the corpus's blurred photos: it must still count as ink.
inline constexpr int kInkLevel = 160;
/// The share of the page's width at either side that the blank-row search ignores: a flattened
/// photo can keep a sliver of the table or a dark page edge there, running down the whole page.
inline constexpr double kBlankRowSideMargin = 0.03;
/// Pages at least this much taller than wide are read band by band; wider pictures (a close-up of
/// the header) are read whole.
inline constexpr double kMinBandedAspect = 1.1;
/// Every identifier found in a band must have at least this extraction score (before calibration;
/// a clean labelled read scores about 0.9), or be confirmed by its re-read, for the band to end the
/// reading.
inline constexpr double kSureFieldScore = 0.8;
/// ...or at least this score when its re-read confirmed it.
inline constexpr double kRereadFieldScore = 0.5;
/// Every word of an identifier or party label in the header read with at least this confidence.
inline constexpr double kSureLabelConfidence = 0.5;

/// Whether `band` holds ruled boxes: at least two long horizontal rules and two vertical ones, of
/// ink at kInkLevel or darker.
bool hasRuledBoxes(const cv::Mat& band);

/// How far down `gray` (upright page, dark text on light paper) each read goes: {header end,
/// gray.rows} when the page is tall enough (kMinBandedAspect), a blank row (its sides,
/// kBlankRowSideMargin, aside) lies within kCutSearch of kHeaderShare and the band above it
/// hasRuledBoxes; otherwise {gray.rows}.
std::vector<int> bandCuts(const cv::Mat& gray);

/// What the words of a page's header band tell of the rest of the page.
enum class HeaderEvidence {
  /// The header settles the page: nothing below it need be read.
  Complete,
  /// The header's own evidence is sure, but something the page holds lies below it: the header
  /// names no party (a legacy or appointment notice may name a family member's number in its
  /// body), or the notice type is printed under the grid or in the footer. The rest of the page
  /// is read, and its words are joined to the band's.
  NeedsBody,
  /// The header's evidence is not sure (a value or label read poorly, a value disputed or left
  /// unread, no receipt number label): the whole page is read again from the top.
  Unsure,
};

/// Judges `words` (a page's top read so far, after re-reading). The header's own evidence is sure
/// when it holds a receipt number label; the form type when a Case Type label is there; every
/// identifier scoring kSureFieldScore, or kRereadFieldScore and confirmed by its re-read, none
/// disputed; every identifier and party label read with kSureLabelConfidence; no run of seven
/// digits or more read below kSureLabelConfidence that no identifier accounts for (a value whose
/// prefix and label were garbled); and no span left uncertain (reread::findUncertainSpans: that
/// includes an identifier label alone in its box with no value read, unless `gray` shows that box
/// blank: reread::isBlankSlot). A sure header is
/// Complete when it also has a party's box label (Applicant, Petitioner, Beneficiary) and the
/// notice type; NeedsBody otherwise.
HeaderEvidence judgeHeader(const std::vector<Word>& words, const extract::Models& models = extract::defaultModels(),
                           const cv::Mat* gray = nullptr);

/// A first band read with less mean confidence than this (and no receipt label) may be upside down.
inline constexpr double kUprightConfidence = 0.7;

/// Whether words read from a page look like text read the right way up: a receipt number label
/// among them, or at least 20 characters read with kUprightConfidence on average. Upside-down print
/// reads as low-confidence garbage.
bool looksUpright(const std::vector<Word>& words, const extract::Models& models = extract::defaultModels());

/// How to read a page.
struct ReadOptions {
  bool headerFirst = true;  ///< false: one band, the whole page
  bool reread = true;       ///< re-read uncertain spans after each band (reread::rereadUncertain)
  bool blurred = false;     ///< the page is blurred: re-read with reread::Effort::Blurred
  bool blackAndWhite = false;  ///< stored black and white (a fax): reread::Effort::BlackAndWhite unless blurred
  /// The page's orientation is not known for sure: when the first band does not looksUpright,
  /// turnPage is asked to turn it (ReadStats::doubtfulOrientation is set either way).
  bool checkOrientation = false;
  /// Turns the page (orientation detection), returning the turned page to read from the top
  /// instead, or nullptr to go on reading the page as it is. Unset: go on.
  std::function<const cv::Mat*()> turnPage;
};

/// What a header-first read did.
struct ReadStats {
  int bands = 0;        ///< bands the page was cut into
  int bandsRead = 0;    ///< bands read before the evidence was complete (bands when it never was)
  /// The header band's words were kept and only the rest of the page was read below them
  /// (HeaderEvidence::NeedsBody).
  bool restBelowHeader = false;
  double readRows = 0;  ///< rows read, as a share of the page's (more than 1 when read again whole)
  bool doubtfulOrientation = false;  ///< the first band did not look upright
  double ocrMs = 0, rereadMs = 0;
};

/// Reads `gray` band by band with `engine` until judgeHeader says Complete (or the page ends):
/// after the header band, the whole page again, or only the rest below the band when judgeHeader
/// says NeedsBody.
/// `beforeBand`, when given, is called before each band after the first (a deadline check may
/// throw from it). Word boxes are in `gray`'s pixels.
std::vector<Word> readPage(const cv::Mat& gray, ocr::OcrEngine& engine, const ReadOptions& options,
                           ReadStats* stats = nullptr, const std::function<void()>& beforeBand = {},
                           const extract::Models& models = extract::defaultModels());

}  // namespace noticescan::read
