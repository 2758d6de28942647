#pragma once
// Identifier grammars: where in a line of text an identifier may stand, and how a printed or
// mis-read form becomes the normalised value (DOMAIN.md). Repairs are made only inside a span
// that already has the identifier's shape, by position: letters where letters belong, digits where
// digits belong. Each repair is recorded; prose is never repaired.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "noticescan/Types.h"
#include "noticescan/extract/Models.h"

/// A regular-expression class of the characters OCR gives where a digit was printed: the digits,
/// and the letters and marks Grammar.cpp's digitFor reads back as digits ("O" 0, "l" 1, "Z" 2, "?"
/// a 2 that lost its base stroke...). Spelled once for the grammar's patterns and the re-read's.
#define NOTICESCAN_DIGIT_LIKE "[0-9OoQDIli|!ZzSsGBgq?]"

namespace noticescan::extract {

/// A normalised value and what it took to get there.
struct Normalised {
  std::string value;
  std::vector<std::string> repairs;  ///< "O->0 at 4": index in `value`
};

/// How a candidate was recognised, which decides how much label evidence it needs.
enum class CandidateShape {
  Receipt,       ///< three letters and ten digits (or the asterisk form)
  APrefixed,     ///< "A", "A#", "A-" followed by 7-9 digits
  BareDigits9,   ///< 7-9 digits alone: an A-number only under an A-number label
  BareDigits12,  ///< 12 digits alone: an account number only under an account label
};

struct Candidate {
  FieldType type = FieldType::ReceiptNumber;
  CandidateShape shape = CandidateShape::Receipt;
  std::size_t begin = 0;  ///< byte span in the searched text, of the printed value
  std::size_t end = 0;
  std::string raw;        ///< the printed value as read
  Normalised normalised;
  bool strippedRule = false;  ///< a table rule glued in front ("|IOE...", "1IOE...") was dropped
};

/// Finds every span of `text` that has the shape of an identifier and normalises it. Spans that
/// need too many repairs to fit are dropped. Overlapping spans may be returned for different types.
/// `models` says which receipt prefixes are real (a known prefix may need one more repair).
std::vector<Candidate> findCandidates(std::string_view text, const Models& models = defaultModels());

/// Normalises a receipt number from its 3-character prefix and its digits (separators allowed).
/// `asterisk` keeps the 9-digit asterisk form ("NBC*000123456"). Two prefix letters must have been
/// read as capitals, or one when the repaired prefix is in `knownPrefixes`.
std::optional<Normalised> normaliseReceipt(std::string_view prefix, std::string_view digits, bool asterisk,
                                           const std::map<std::string, double>* knownPrefixes = nullptr);
/// The one prefix in `knownPrefixes` that `prefix` (three capitals no office uses) is with one
/// letter misread as a letter OCR commonly confuses it with ("JOE" -> "IOE", "IOF" -> "IOE",
/// "SRO" -> "SRC"), with that letter as its repair ("J->I at 0"); none when no known prefix is
/// that close ("IOH": H for E is no common confusion) or when more than one is.
std::optional<Normalised> misreadKnownPrefix(std::string_view prefix, const std::map<std::string, double>& knownPrefixes);
/// Normalises the 7-9 digits of an A-number (separators allowed) to "A" + 9 digits.
std::optional<Normalised> normaliseANumber(std::string_view digits, bool bare);
/// Normalises the 12 digits of an online account number (separators allowed).
std::optional<Normalised> normaliseAccountNumber(std::string_view digits);

/// "I130", "I-130", "1-130", "I129F", "N400" -> "I-130", "I-129F", "N-400". A number that needed
/// an OCR repair (I1O0 -> I-100) is accepted only when it is one of `known` forms.
std::optional<std::string> normaliseFormType(std::string_view text, const std::map<std::string, FormEntry>& known);
/// First date in `text` ("01/18/2024", "January 18, 2024", "Jan. 18, 2024") as YYYY-MM-DD.
std::optional<std::string> findDate(std::string_view text);

/// The decimal digits of `text`, in order ("800-375-5283" -> "8003755283").
std::string digitsOf(std::string_view text);

}  // namespace noticescan::extract
