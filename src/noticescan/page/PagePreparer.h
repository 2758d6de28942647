#pragma once
// page/: raster page -> upright, deskewed gray page + the transform back to the source.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "noticescan/Types.h"
#include "noticescan/page/Geometry.h"
#include "noticescan/page/Quality.h"
#include "noticescan/page/Shake.h"

namespace noticescan::page {

/// Below this Leptonica skew confidence the page is left unrotated (and the report says so).
inline constexpr double kMinSkewConfidence = 3.0;
/// A frame whose longest side exceeds kReduceAbove pixels (a large camera frame, not a 300 dpi scan
/// with its margins) and holds no findable page is reduced to kMaxWorkingSide: OCR gains nothing
/// from more pixels.
inline constexpr int kReduceAbove = 4200;
inline constexpr int kMaxWorkingSide = 3300;
/// Pages whose median character is shorter than this many pixels are enlarged so it is about
/// kTargetCharacterHeight (at most kMaxEnlargement times): 10 pt text at 300 dpi is about 25 px.
inline constexpr double kMinCharacterHeight = 18;
inline constexpr double kTargetCharacterHeight = 25;
inline constexpr double kMaxEnlargement = 2.5;
/// Small text of a black-and-white page (a fax) is blurred after enlargement by a Gaussian of this
/// many pixels of the page before enlargement: Tesseract, trained on gray anti-aliased print,
/// misreads the whole-pixel stair steps of a 98-line fax's letters far more often.
inline constexpr double kBilevelSmoothing = 0.6;
/// A black-and-white page whose rows were stretched at least this much to make its pixels square
/// (a 98-line "standard" fax, 204 x 98 dpi) gets a second rendering for a second reading
/// (PreparedPage::secondView), enlarged to kSecondViewCharacterHeight instead: at that
/// resolution the two readings of a letter miss different numbers (docs/EVALUATION.md).
inline constexpr double kCoarseRowStretch = 1.5;
inline constexpr double kSecondViewCharacterHeight = 21;
/// A page is measured again in this many horizontal strips when its skew is uncertain as a whole,
/// and a camera's page always: a sheet photographed at a slant and not flattened (a close-up with
/// no edge in view, or an outline a little off) has lines whose angle changes down the page (a fan).
inline constexpr int kFanStrips = 5;
/// A fan is fitted to at least this many strips whose angle is clear. Two strips always fit one:
/// a third shows whether the angles change steadily. When the whole page has no clear angle
/// (otherwise it is left as it is), two are taken.
inline constexpr std::size_t kMinFanStrips = 3;
inline constexpr std::size_t kMinFanStripsUnsure = 2;
/// Every confident strip's angle must lie within this many degrees of the fan fitted to them all.
inline constexpr double kFanTolerance = 2.0;
/// The fan's correction may enlarge one side of the page at most this many times more than the other.
inline constexpr double kMaxFanStretch = 1.6;
/// A camera's page whose skew is clear is levelled line by line when the fan's angles at its top
/// and bottom differ by this many degrees or more: one angle would leave both ends half that off.
inline constexpr double kMinFanSpread = 1.0;
/// Skews smaller than this many degrees are not worth a resampling.
inline constexpr double kMinSkewDegrees = 0.1;
/// Leptonica's up/down confidence beyond which its verdict is taken without a second opinion.
/// Measured: clear pages score 10-20; sparse notices score 4-6 with either sign.
inline constexpr double kSureUpDownConfidence = 8.0;

struct PreparedPage {
  cv::Mat gray;                                ///< 8-bit, upright, deskewed
  Transform toInput = Transform::eye();        ///< prepared pixels -> loaded raster pixels
  int rotation = 0;                            ///< clockwise quarter turn applied: 0/90/180/270
  double skewDegrees = 0;                      ///< text tilt removed, counter-clockwise positive
  double skewConfidence = 0;                   ///< Leptonica's confidence of the skew angle
  bool orientationSure = false;                ///< false: ask the OCR engine (turnPage) before reading
  bool flattened = false;                      ///< a photographed page was found and warped flat
  double pageAreaShare = 1.0;                  ///< share of the frame the found page covers
  bool cameraFrame = false;                    ///< the input has a camera sensor's proportions
  PageQuality quality;                         ///< measured at the page's own resolution, before
                                               ///< small text is enlarged (which softens edges)
  std::optional<Shake> shake;                  ///< a photo's hand-shake smear, measured and removed
  /// With a shake removed: the quality of the page as photographed (what `quality` then holds),
  /// so that the person is still told the photo is blurred and its readings are trusted less.
  std::optional<PageQuality> takenQuality;
  Quad outline{};                              ///< the page in input pixels (the whole image if not found)
  std::vector<Warning> warnings;               ///< `page` left 0: the caller fills it in
  /// The page was stored black and white with rows at least kCoarseRowStretch apart: a 98-line
  /// "standard" fax, whose digits are often misread (the Scanner warns `coarse_fax`).
  bool coarseFax = false;
  /// Empty, or the same page rendered for a second reading (kCoarseRowStretch), upright like
  /// `gray` (turnPage turns both); its pixels are `secondViewScale` times `gray`'s.
  cv::Mat secondView;
  double secondViewScale = 1.0;
  /// Named intermediate images for --debug-dir, in pipeline order.
  std::vector<std::pair<std::string, cv::Mat>> debugImages;
};

/// Options of the page stage.
struct PrepareOptions {
  bool keepDebugImages = false;  ///< fill PreparedPage::debugImages
  bool findPage = true;          ///< look for a photographed sheet of paper and warp it flat
  bool removeShake = true;       ///< measure a photo's hand-shake smear and undo it
  /// Search range of the deskewer, degrees either way. Wider than the 15 degrees promised: at the
  /// edge of the search the sweep finds no peak (pages skewed 14.3 and 14.5 degrees were left
  /// crooked with a 15-degree search).
  double maxSkewDegrees = 20.0;
  /// The page was stored black and white (load::LoadedPage::bilevel): when its small text is
  /// enlarged, the stair-stepped edges are smoothed (kBilevelSmoothing).
  bool bilevel = false;
  /// How much the loader stretched the stored page's rows to make its pixels square (2.08 for a
  /// 204 x 98 dpi fax; 1 for square pixels): with `bilevel`, decides on a second view.
  double rowStretch = 1.0;
};

/// Whether an image has a phone camera's proportions (4:3 or 16:9, either way round) and size:
/// such a picture should show a whole sheet that the page finder can find.
bool looksLikeCameraFrame(int width, int height);

/// Makes a raster page flat, evenly lit, upright and straight: a photographed sheet is found and
/// warped flat, then 0/90/180/270 orientation, then skew within +/- maxSkewDegrees.
PreparedPage preparePage(const cv::Mat& image, const PrepareOptions& options = {});

/// Turns a prepared page a further `clockwise` degrees (0/90/180/270), keeping its transform.
void turnPage(PreparedPage& page, int clockwise);

}  // namespace noticescan::page
