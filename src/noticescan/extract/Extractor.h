#pragma once
// extract/: words (from OCR or a PDF text layer: the same type) -> fields and document facts.

#include <string>
#include <string_view>
#include <vector>

#include "noticescan/Types.h"
#include "noticescan/barcode/Barcode.h"
#include "noticescan/extract/Labels.h"
#include "noticescan/extract/Layout.h"
#include "noticescan/extract/Models.h"

namespace noticescan::extract {

/// Each OCR repair a reading needed multiplies its confidence (or its vote, reread/) by this.
inline constexpr double kRepairFactor = 0.85;

/// What one page yields. Field polygons are in the frame of the words given.
struct PageExtraction {
  std::vector<Field> fields;
  DocumentFacts facts;  ///< only noticeType, formType and the dates are filled
};

/// Whether `field` carries the evidence word `word` ("label", "reread", ...).
bool hasEvidence(const Field& field, std::string_view word);

/// Whether a label of lexicon kind `kind` (models/labels.json: "receipt_number", "role", ...)
/// announces a value of `type`.
bool labelFits(FieldType type, const std::string& kind);

/// Finds the identifiers and facts on one page. `page` is 1-based.
PageExtraction extractPage(const std::vector<Word>& words, int page, TextSource source,
                           const Models& models = defaultModels());
/// The same on a layout already built, with its labels (findLabels), to spare building them twice.
PageExtraction extractPage(const Layout& layout, const std::vector<LabelHit>& labels, int page, TextSource source,
                           const Models& models = defaultModels());

/// Checks the page's receipt numbers against the barcodes read on it (their quads in the frame of
/// the page's words). A barcode that carries a receipt number:
/// - agreeing with a field read from the text adds `barcode_agrees` to it;
/// - differing from one in a few characters (same prefix, same length) corrects it: the text was
///   misread, the barcode has a checksum; `barcode_corrected`, the OCR reading kept in `raw`;
/// - otherwise, with a known prefix, adds a field of its own (`source` barcode).
/// Barcodes that are not receipt numbers are ignored.
void applyBarcodes(PageExtraction& page, const std::vector<barcode::Barcode>& barcodes, int pageNumber,
                   const Models& models = defaultModels());

/// Folds `second`, the fields of a second reading of the same page (another rendering, boxes in
/// the same frame), into `page`:
/// - a field read alike in both is kept as it is;
/// - a field whose place the second reading read otherwise (same type, boxes overlapping, no
///   second field of its value) gives way to the second reading's value when that is the more
///   confident of the two;
/// - a second field of a value not read in `page`, in no place where `page` read a field of its
///   type, is added.
/// Document facts `page` lacks are taken from `second`.
void mergeSecondReading(PageExtraction& page, PageExtraction second);

/// Reads the document facts of one page (used by extractPage).
DocumentFacts extractFacts(const Layout& layout, const std::vector<LabelHit>& labels,
                            const Models& models = defaultModels());

/// Combines pages into the document's answer: facts from the first page that has each, roles that
/// depend on the form type resolved, and each (type, value) kept once at its best location. Receipt
/// numbers get the plausibility checks of their digits as evidence: `fiscal_year_agrees` or
/// `fiscal_year_disagrees` with the Received Date, `workday_out_of_range`.
/// `facts` receives the combined facts; kind and page count are left as they are.
std::vector<Field> combinePages(const std::vector<PageExtraction>& pages, DocumentFacts& facts,
                                const Models& models = defaultModels());

/// The value of calibration feature `name` for `field` (see models/calibration.json):
/// "logit_score", "repairs" (count), an evidence word of the field (0/1) or a warning code of its
/// page ("low_sharpness", "low_ocr_confidence": 0/1, from `pageWarnings`). Unknown names are 0.
double calibrationFeature(const Field& field, const std::string& name, const std::vector<std::string>& pageWarnings);
/// Replaces each field's score by the calibrated probability that it is right. `pageWarnings`
/// holds, per field, the warning codes of its page (missing entries: none).
void calibrate(std::vector<Field>& fields, const std::vector<std::vector<std::string>>& pageWarnings,
               const Models& models = defaultModels());

}  // namespace noticescan::extract
