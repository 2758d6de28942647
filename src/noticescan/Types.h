#pragma once
// Plain value types exchanged between the pipeline stages and returned to callers.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace noticescan {

/// A point in some page frame; the frame is stated where the point is used.
struct Point {
  double x = 0;
  double y = 0;
};

/// Axis-aligned box: left/top inclusive, width/height in the same unit as its frame.
struct Rect {
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;

  double right() const { return x + width; }
  double bottom() const { return y + height; }
  double centerX() const { return x + width / 2; }
  double centerY() const { return y + height / 2; }
  /// Smallest box holding both; an empty box (width and height 0) is ignored.
  Rect united(const Rect& other) const;
  /// Whether the two boxes share some area (touching edges do not count).
  bool intersects(const Rect& other) const {
    return x < other.right() && other.x < right() && y < other.bottom() && other.y < bottom();
  }
};

/// Four corners, clockwise from top-left in the frame's upright orientation.
using Quad = std::array<Point, 4>;

/// The axis-aligned box around a quadrilateral.
Rect bounds(const Quad& quad);

/// One word read from a page, by OCR or from a PDF text layer.
struct Word {
  std::string text;          ///< UTF-8, no surrounding white space
  Rect box;                  ///< in the frame of the page the words were read from
  double confidence = 1.0;   ///< 0..1; 1 for text-layer words
  bool reread = false;       ///< read a second time on its own, the readings agreeing (reread/)
  bool disputed = false;     ///< read a second time on its own, the readings agreeing on nothing
  /// Begins at the edge of the picture: its first letters may be outside it ("unt Number" of a
  /// photo that cut "Account Number"). Labels may then match it by their ending.
  bool cutBefore = false;
};

/// Where the words of a page, or a field, came from (a field read only from a barcode: Barcode).
enum class TextSource { Ocr, TextLayer, Barcode };

/// The identifier kinds noticescan extracts. OnlineAccessCode is a secret (the one-time login code
/// of an Account Access Notice): the scanner drops it unless asked for it (ScanOptions).
enum class FieldType { ReceiptNumber, ANumber, OnlineAccountNumber, OnlineAccessCode };

/// One extracted identifier.
struct Field {
  FieldType type = FieldType::ReceiptNumber;
  std::string value;                 ///< normalised (DOMAIN.md)
  std::string raw;                   ///< as read, before repair and normalisation
  double confidence = 0;             ///< 0..1: probability that (type, value) is right
  int page = 1;                      ///< 1-based
  Quad polygon{};                    ///< source coordinates: image pixels after EXIF / PDF points
  std::optional<std::string> label;  ///< canonical label the value belongs to
  std::optional<std::string> role;   ///< "applicant", "petitioner", "beneficiary"
  TextSource source = TextSource::Ocr;
  std::vector<std::string> evidence; ///< e.g. "label", "known_prefix"
  std::vector<std::string> repairs;  ///< e.g. "O->0 at 4" (0-based index in the value)
};

/// A problem with the page or the input that does not stop the scan.
struct Warning {
  std::string code;  ///< snake_case, stable
  int page = 0;      ///< 1-based; 0 for the whole document
  std::string message;
};

/// A small picture of a page as loaded (before flattening or turning), for showing where the
/// fields are: a field's polygon maps onto it by scaling x by width / sourceWidth and y by
/// height / sourceHeight. Made only when ScanOptions::previewLongSide asks for it.
struct PagePreview {
  std::string jpeg;  ///< JPEG bytes
  int width = 0;     ///< pixels
  int height = 0;
  double sourceWidth = 0;  ///< the page in source coordinates (image pixels or PDF points)
  double sourceHeight = 0;
};

/// What was done to one page.
struct PageReport {
  int page = 1;
  TextSource textSource = TextSource::Ocr;
  int rotation = 0;            ///< clockwise degrees applied to make the page upright: 0/90/180/270
  double skewDegrees = 0;      ///< residual skew removed after rotation; positive = counter-clockwise text
  Quad outline{};              ///< the page's area in source coordinates
  std::optional<double> ocrConfidence;  ///< mean word confidence 0..1 (OCR pages only)
  std::optional<double> sharpness;      ///< 0..1, OCR pages only (page/Quality.h)
  std::optional<double> contrast;       ///< 0..1, OCR pages only
  std::optional<PagePreview> preview;   ///< only when asked for
};

/// Facts about the whole document.
struct DocumentFacts {
  std::string kind;  ///< "image" or "pdf"
  int pageCount = 0;
  std::optional<std::string> noticeType;  ///< e.g. "I-797C"
  std::optional<std::string> formType;    ///< e.g. "I-130"
  std::optional<std::string> noticeDate;  ///< ISO YYYY-MM-DD
  std::optional<std::string> receivedDate;
  std::optional<std::string> priorityDate;
};

/// Error codes of the JSON contract.
enum class ErrorCode { NotFound, Unreadable, UnsupportedFormat, EncryptedPdf, TooLarge, Timeout, Internal };

struct ScanError {
  ErrorCode code = ErrorCode::Internal;
  std::string message;  ///< for a person: what is wrong and, where possible, what to do
};

/// The result of scanning one input. Problems with the input are data here, never exceptions.
struct ScanResult {
  std::string file;     ///< as given by the caller
  std::string sha256;   ///< hex of the input bytes; empty when they could not be read
  std::optional<ScanError> error;
  DocumentFacts document;
  std::vector<Field> fields;
  /// Fields read too uncertainly to report (ScanOptions::minConfidence), kept for a person to
  /// check against the paper; each has a `value_withheld` warning on its page.
  std::vector<Field> withheld;
  std::vector<PageReport> pages;
  std::vector<Warning> warnings;
  std::map<std::string, double> timingsMs;  ///< stage name -> milliseconds

  bool ok() const { return !error.has_value(); }
};

/// Stable names used in the JSON output.
const char* toString(FieldType type);
const char* toString(TextSource source);
const char* toString(ErrorCode code);

}  // namespace noticescan
