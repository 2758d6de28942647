#include "noticescan/extract/Grammar.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <regex>

namespace noticescan::extract {
namespace {

// Characters OCR puts where a digit was printed, and the digit they stand for.
char digitFor(char c) {
  switch (c) {
    case 'O': case 'o': case 'Q': case 'D': return '0';
    case 'I': case 'l': case 'i': case '|': case '!': return '1';
    case 'Z': case 'z': return '2';
    case 'S': case 's': return '5';
    case 'G': return '6';
    case 'B': return '8';
    case 'g': case 'q': return '9';
    // A faxed 2 that lost its base stroke (98 lines per inch drop thin horizontal strokes): the
    // curve and the stroke down are a "?". Where one may stand: NS_OPEN below.
    case '?': return '2';
    default: return std::isdigit(static_cast<unsigned char>(c)) ? c : '\0';
  }
}

// Characters OCR puts where a prefix letter was printed, and the letter they stand for.
char letterFor(char c) {
  switch (c) {
    case '0': return 'O';
    case '1': case 'l': case '|': case '!': case '[': case '(': return 'I';  // one upright stroke
    case '2': return 'Z';
    case '4': return 'A';
    case '5': case '$': return 'S';
    case '6': return 'G';
    case '8': return 'B';
    default:
      return std::isalpha(static_cast<unsigned char>(c)) ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                                                         : '\0';
  }
}

std::string repairNote(char from, char to, std::size_t at) {
  return std::string(1, from) + "->" + std::string(1, to) + " at " + std::to_string(at);
}

bool isSeparator(char c) { return c == ' ' || c == '-' || c == '*'; }

/// Maps `digits` (separators skipped) to exactly `count` digits appended to `out.value`, recording
/// repairs from index `offset` on. Fails when the count differs, a character has no digit reading,
/// or fewer than `minReal` characters were real digits. A "?" counts as a 2 that lost its base
/// (digitFor); where it may stand is the patterns' business (NS_OPEN, NS_END).
bool appendDigits(std::string_view digits, std::size_t count, std::size_t minReal, Normalised& out) {
  std::size_t real = 0, taken = 0;
  for (const char c : digits) {
    if (isSeparator(c)) continue;
    const char d = digitFor(c);
    if (d == '\0' || taken == count) return false;
    if (d == c) {
      ++real;
    } else {
      out.repairs.push_back(repairNote(c, d, out.value.size()));
    }
    out.value += d;
    ++taken;
  }
  return taken == count && real >= minReal;
}

// A character that OCR may have read where a digit was printed (see digitFor).
#define NS_D NOTICESCAN_DIGIT_LIKE
// What may part a value's groups: a space or a hyphen, and OCR often ends a word at a printed
// hyphen ("SRC-25- 256- 57699", "214-719- 786"), so a hyphen may have a space either side.
#define NS_SEP "(?: ?- ?| )?"
// Where a number's digits end: no letter or digit next, nor a hyphen, slash or dot and more digits
// (a longer number, a date), nor a question mark and more digits: a "?" between digits is a 2 read
// badly (digitFor), so digits either side of one are a single number, not a shorter one.
#define NS_END "(?![A-Za-z0-9]|[\\-/.?][0-9])"
// Where a bare number may start: after anything but a letter or digit, nor after a hyphen, slash,
// dot or question mark (the tail of a longer number, a date, or a number with a digit read "?").
#define NS_BARE_START "(?:^|[^A-Za-z0-9\\-/.?])"
// Where the digits of an A-number, an account number or an asterisk receipt start: not with a "?",
// which there is as likely an "A#" misread or punctuation. A plain receipt's digits may, after its
// prefix letters ("SRC?59049165?" is SRC2590491652). At the end a "?" counts ("02329144200?" in
// an account number's box): a receipt or account number has an exact count, so a question mark
// after a whole one stays punctuation (an A-number of fewer than nine digits would take it as its
// last; notices print no such thing).
#define NS_OPEN "(?!\\?)"

const std::regex& receiptPattern() {
  // The glued rule is tried last: "IOE0912345678?" is IOE with a question mark after it before it
  // is a rule glued to "OE0912345678?".
  static const std::regex re(
      "(?:^|[^A-Za-z0-9$])([|!1lI]?\?)([A-Za-z0-9|!$\\[(]{3})" NS_SEP "(\\*?)[ \\-]?(" NS_D "{2}" NS_SEP NS_D
      "{3}" NS_SEP NS_D "{5})(?![A-Za-z0-9])");
  return re;
}
const std::regex& asteriskReceiptPattern() {
  static const std::regex re("(?:^|[^A-Za-z0-9])([A-Za-z0-9]{3})\\*(" NS_OPEN NS_D "{9})(?![A-Za-z0-9])");
  return re;
}
const std::regex& aPrefixedPattern() {
  // Digits that run on after a hyphen, slash or dot ("All 023-467-845": "A#" read as "All") make
  // a longer number, of which the first nine are no A-number.
  static const std::regex re("(?:^|[^A-Za-z0-9])(A(?: ?#)? ?[:\\-]? ?)(" NS_OPEN NS_D "{1,3}" NS_SEP
                             NS_D "{3}" NS_SEP NS_D "{3})" NS_END);
  return re;
}
const std::regex& aReadAsFourPattern() {
  // A faxed "A208726873" read "4208726873": the "4" glued to nine digits (with eight, "412345678" is
  // as likely a bare number; the re-read's vote weighs those).
  static const std::regex re(NS_BARE_START "(4)(" NS_OPEN NS_D "{3}" NS_SEP NS_D "{3}" NS_SEP NS_D
                             "{3})" NS_END);
  return re;
}
const std::regex& bare9Pattern() {
  static const std::regex re(NS_BARE_START "(" NS_OPEN NS_D "{1,3}" NS_SEP NS_D "{3}" NS_SEP NS_D
                             "{3})" NS_END);
  return re;
}
const std::regex& bare12Pattern() {
  // A table rule may be glued in front of an unspaced number ("1438259016719").
  static const std::regex re(NS_BARE_START "([|!lI1]?)(" NS_OPEN "(?:" NS_D "{4}" NS_SEP NS_D "{4}"
                             NS_SEP NS_D "{4}|" NS_D "{3}[ \\-]" NS_D "{3}[ \\-]" NS_D "{3}[ \\-]"
                             NS_D "{3}))" NS_END);
  return re;
}
#undef NS_D
#undef NS_SEP
#undef NS_END
#undef NS_BARE_START
#undef NS_OPEN

template <typename Fn>
void forEachMatch(std::string_view text, const std::regex& re, Fn&& fn) {
  using It = std::regex_iterator<std::string_view::const_iterator>;
  for (It it(text.begin(), text.end(), re), end; it != end; ++it) fn(*it);
}

}  // namespace

std::optional<Normalised> normaliseReceipt(std::string_view prefix, std::string_view digits, bool asterisk,
                                           const std::map<std::string, double>* knownPrefixes) {
  if (prefix.size() != 3) return std::nullopt;
  Normalised out;
  int realLetters = 0;
  for (const char c : prefix) {
    const char l = letterFor(c);
    if (l == '\0') return std::nullopt;
    if (std::isupper(static_cast<unsigned char>(c))) {
      ++realLetters;
    } else {
      out.repairs.push_back(repairNote(c, l, out.value.size()));
    }
    out.value += l;
  }
  // Two of three prefix letters must have been read as capitals: keeps digit runs and prose out.
  // One is enough when the repaired prefix is one USCIS uses ("10E" for IOE is OCR's commonest
  // slip on that prefix).
  const bool known = knownPrefixes != nullptr && knownPrefixes->count(out.value) > 0;
  if (realLetters < (known ? 1 : 2)) return std::nullopt;
  if (asterisk) {
    out.value += '*';
    if (!appendDigits(digits, 9, 8, out)) return std::nullopt;
  } else if (!appendDigits(digits, 10, 8, out)) {
    return std::nullopt;
  }
  return out;
}

std::optional<Normalised> misreadKnownPrefix(std::string_view prefix, const std::map<std::string, double>& knownPrefixes) {
  // Capitals OCR reads for one another: a printed letter (first) and what it is read as. Only
  // shapes that differ by a stroke or a gap; a letter missing from here is never guessed at.
  static constexpr std::array<std::pair<char, char>, 10> kConfused = {{
      {'I', 'J'}, {'I', 'L'}, {'I', 'T'}, {'E', 'F'}, {'C', 'O'}, {'C', 'G'}, {'O', 'C'}, {'O', 'Q'}, {'O', 'D'}, {'N', 'M'},
  }};
  if (prefix.size() != 3 || knownPrefixes.count(std::string(prefix)) > 0) return std::nullopt;
  std::optional<Normalised> found;
  for (const auto& [known, prior] : knownPrefixes) {
    if (known.size() != 3) continue;
    std::size_t differing = 0, at = 0;
    for (std::size_t i = 0; i < 3; ++i) {
      if (known[i] != prefix[i]) {
        ++differing;
        at = i;
      }
    }
    if (differing != 1) continue;
    const bool confusable = std::find(kConfused.begin(), kConfused.end(), std::pair{known[at], prefix[at]}) != kConfused.end();
    if (!confusable) continue;
    if (found) return std::nullopt;  // two offices' prefixes are as close: no guess
    found = Normalised{known, {repairNote(prefix[at], known[at], at)}};
  }
  return found;
}

std::optional<Normalised> normaliseANumber(std::string_view digits, bool bare) {
  std::size_t count = 0;
  for (const char c : digits) count += isSeparator(c) ? 0 : 1;
  if (count < 7 || count > 9) return std::nullopt;
  Normalised out;
  out.value = "A";
  out.value.append(9 - count, '0');
  // A bare number has no "A" to vouch for it, so it may need at most one repair.
  if (!appendDigits(digits, count, bare ? count - 1 : count - 2, out)) return std::nullopt;
  // A-numbers are issued in sequence and have not reached 300 million: one printed with nine
  // digits starts with 1 or 2, an eight-digit one is padded with a 0. A 6, 8 or 9 in that place is
  // a 0 that blur closed up or filled in, the commonest digit misreading on blurred photos; a 3, 4,
  // 5 or 7 has no such likely source and is left as read.
  if (count == 9 && std::string_view("689").find(out.value[1]) != std::string_view::npos) {
    // One misread character is one repair: a "G" already taken for a 6 becomes "G->0", not two.
    const auto earlier = std::find_if(out.repairs.begin(), out.repairs.end(),
                                      [](const std::string& r) { return r.ends_with(" at 1"); });
    if (earlier != out.repairs.end()) {
      *earlier = repairNote(earlier->front(), '0', 1);
    } else {
      out.repairs.push_back(repairNote(out.value[1], '0', 1));
    }
    out.value[1] = '0';
  }
  return out;
}

std::optional<Normalised> normaliseAccountNumber(std::string_view digits) {
  Normalised out;
  if (!appendDigits(digits, 12, 11, out)) return std::nullopt;
  return out;
}

std::vector<Candidate> findCandidates(std::string_view text, const Models& models) {
  // One row per printed shape: where the value's groups are in the pattern and how to normalise.
  // Group 1 is always where the printed text starts (a glued rule, the prefix, the "A#" or the
  // digits); the value itself starts at the prefix group, else after a glued rule at the digits,
  // else at group 1.
  struct Shape {
    const std::regex& pattern;
    FieldType type;
    CandidateShape shape;
    int glueGroup;    ///< 0: none; else a table rule that may be glued in front
    int prefixGroup;  ///< 0: none
    int digitsGroup;
    std::optional<Normalised> (*normalise)(std::string_view prefix, std::string_view digits, const Models& models);
  };
  static const Shape kShapes[] = {
      {receiptPattern(), FieldType::ReceiptNumber, CandidateShape::Receipt, 1, 2, 4,
       [](std::string_view p, std::string_view d, const Models& m) { return normaliseReceipt(p, d, false, &m.prefixPriors); }},
      {asteriskReceiptPattern(), FieldType::ReceiptNumber, CandidateShape::Receipt, 0, 1, 2,
       [](std::string_view p, std::string_view d, const Models& m) { return normaliseReceipt(p, d, true, &m.prefixPriors); }},
      {aPrefixedPattern(), FieldType::ANumber, CandidateShape::APrefixed, 0, 0, 2,
       [](std::string_view, std::string_view d, const Models&) { return normaliseANumber(d, false); }},
      {bare9Pattern(), FieldType::ANumber, CandidateShape::BareDigits9, 0, 0, 1,
       [](std::string_view, std::string_view d, const Models&) { return normaliseANumber(d, true); }},
      // The "4" is a repair, and with no real "A" the digits need their label like bare ones.
      {aReadAsFourPattern(), FieldType::ANumber, CandidateShape::BareDigits9, 0, 0, 2,
       [](std::string_view, std::string_view d, const Models&) {
         std::optional<Normalised> n = normaliseANumber(d, true);
         if (n) n->repairs.insert(n->repairs.begin(), "4->A at 0");
         return n;
       }},
      {bare12Pattern(), FieldType::OnlineAccountNumber, CandidateShape::BareDigits12, 1, 0, 2,
       [](std::string_view, std::string_view d, const Models&) { return normaliseAccountNumber(d); }},
  };

  std::vector<Candidate> out;
  for (const Shape& shape : kShapes) {
    forEachMatch(text, shape.pattern, [&](const auto& m) {
      const auto group = [&](int g) {
        return text.substr(static_cast<std::size_t>(m.position(g)), static_cast<std::size_t>(m.length(g)));
      };
      const std::string_view prefix = shape.prefixGroup ? group(shape.prefixGroup) : std::string_view();
      std::optional<Normalised> normalised = shape.normalise(prefix, group(shape.digitsGroup), models);
      if (!normalised) return;
      const bool glued = shape.glueGroup != 0 && m.length(shape.glueGroup) > 0;
      // Dropping a character as a table rule is one guess; repairing the prefix as well is one
      // guess too many ("IOE09123456789" is not a rule and "OEO9123456789").
      const bool cleanPrefix =
          std::all_of(prefix.begin(), prefix.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
      // A "|" is no letter, so dropping it is no guess: "|10E..." is a rule and a misread IOE.
      if (glued && !cleanPrefix) {
        const bool ruleSign = std::string_view("|!").find(group(shape.glueGroup).front()) != std::string_view::npos;
        if (!ruleSign || models.prefixPriors.count(normalised->value.substr(0, 3)) == 0) return;
      }
      // A bare number has no prefix to vouch for it: a rule is dropped only before digits read clean.
      if (glued && shape.prefixGroup == 0 && !normalised->repairs.empty()) return;
      // A bare digit run with more digits just before or after it ("287 284654049": OCR split a
      // 12-digit number) is a fragment of a longer number, not a number of its own.
      if (shape.shape == CandidateShape::BareDigits9 || shape.shape == CandidateShape::BareDigits12) {
        const auto begin = static_cast<std::size_t>(m.position(shape.digitsGroup));
        const auto end = begin + static_cast<std::size_t>(m.length(shape.digitsGroup));
        const auto isDigit = [&](std::size_t i) { return std::isdigit(static_cast<unsigned char>(text[i])) != 0; };
        const bool before = begin >= 2 && (text[begin - 1] == ' ' || text[begin - 1] == '-') && isDigit(begin - 2);
        const bool after = end + 1 < text.size() && (text[end] == ' ' || text[end] == '-') && isDigit(end + 1);
        if (before || after) return;
      }

      // An A-number OCR split in two ("A0456774 32"): when the digits after the gap make up the
      // nine, they are its end, not a number of their own; joining them is a repair.
      std::size_t end = static_cast<std::size_t>(m.position(shape.digitsGroup) + m.length(shape.digitsGroup));
      if (shape.shape == CandidateShape::APrefixed) {
        const std::string_view digits = group(shape.digitsGroup);
        const auto count = static_cast<std::size_t>(std::count_if(digits.begin(), digits.end(), [](char ch) { return !isSeparator(ch); }));
        std::size_t tail = end + 1;
        while (tail < text.size() && std::isdigit(static_cast<unsigned char>(text[tail]))) ++tail;
        const bool gap = end < text.size() && text[end] == ' ';
        const bool ends = tail >= text.size() || !std::isalnum(static_cast<unsigned char>(text[tail]));
        if (gap && ends && count < 9 && count + (tail - end - 1) == 9) {
          std::optional<Normalised> joined =
              normaliseANumber(std::string(digits) + std::string(text.substr(end + 1, tail - end - 1)), false);
          if (joined) {
            joined->repairs.push_back("joined digits read apart at " + std::to_string(1 + count));
            normalised = std::move(joined);
            end = tail;
          }
        }
      }

      Candidate c;
      c.type = shape.type;
      c.shape = shape.shape;
      c.begin = static_cast<std::size_t>(
          m.position(shape.prefixGroup != 0 ? shape.prefixGroup : shape.glueGroup != 0 ? shape.digitsGroup : 1));
      c.end = end;
      const auto rawBegin = static_cast<std::size_t>(m.position(1));
      c.raw = std::string(text.substr(rawBegin, c.end - rawBegin));
      c.normalised = std::move(*normalised);
      c.strippedRule = glued;
      out.push_back(std::move(c));
    });
  }
  return out;
}

std::optional<std::string> normaliseFormType(std::string_view text, const std::map<std::string, FormEntry>& known) {
  static const std::regex re("(?:^|[^A-Za-z0-9])([IN1l|])[ \\-]?([0-9OoQDIlSsBZzG]{2,3})([A-Z]?)(?![A-Za-z0-9])");
  using It = std::regex_iterator<std::string_view::const_iterator>;
  for (It it(text.begin(), text.end(), re), end; it != end; ++it) {
    const auto& m = *it;
    std::string number;
    bool repaired = false;
    for (const char c : m.str(2)) {
      const char d = digitFor(c);
      repaired = repaired || d != c;
      number += d;
    }
    const std::string form = std::string(1, m.str(1) == "N" ? 'N' : 'I') + "-" + number + m.str(3);
    if (!repaired || known.count(form)) return form;
  }
  return std::nullopt;
}

std::optional<std::string> findDate(std::string_view text) {
  static const std::regex numeric("(?:^|[^0-9])([01]?[0-9])/([0-3]?[0-9])/((?:19|20)[0-9]{2})(?![0-9])");
  static const std::regex prose(
      "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\\.? +([0-3]?[0-9]), *((?:19|20)[0-9]{2})",
      std::regex::icase);
  static constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                               "jul", "aug", "sep", "oct", "nov", "dec"};
  auto iso = [](int year, int month, int day) -> std::optional<std::string> {
    if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
    return std::string(buffer);
  };
  std::match_results<std::string_view::const_iterator> m;
  std::optional<std::string> best;
  std::ptrdiff_t bestPos = -1;
  if (std::regex_search(text.begin(), text.end(), m, numeric)) {
    best = iso(std::stoi(m.str(3)), std::stoi(m.str(1)), std::stoi(m.str(2)));
    bestPos = m.position(0);
  }
  if (std::regex_search(text.begin(), text.end(), m, prose) && (bestPos < 0 || m.position(0) < bestPos)) {
    std::string month = m.str(1);
    for (char& c : month) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (std::size_t i = 0; i < kMonths.size(); ++i) {
      if (month == kMonths[i]) {
        if (auto date = iso(std::stoi(m.str(3)), static_cast<int>(i) + 1, std::stoi(m.str(2)))) best = date;
      }
    }
  }
  return best;
}

std::string digitsOf(std::string_view text) {
  std::string digits;
  for (const char c : text) {
    if (c >= '0' && c <= '9') digits += c;
  }
  return digits;
}

}  // namespace noticescan::extract
