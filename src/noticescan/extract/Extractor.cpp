#include "noticescan/extract/Extractor.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <string_view>

#include "noticescan/extract/Grammar.h"
#include "noticescan/extract/Labels.h"
#include "noticescan/extract/Layout.h"

namespace noticescan::extract {
namespace {

/// A field that outvoted a near-identical reading of itself keeps this share of its confidence.
constexpr double kTwinConflictFactor = 0.9;
/// An IOE receipt whose digits start with anything but 0 keeps this share of its score: IOE
/// numbers commonly start with 0 (IOE09..., IOE08...; DOMAIN.md), and a blurred 0 reads as 6 or 8.
constexpr double kUnusualIoeFactor = 0.6;
/// A receipt whose fiscal year is not the one its notice's Received Date falls in keeps this share
/// of its score: USCIS numbers a case in the fiscal year it receives it (DOMAIN.md), so a digit of
/// the year was likelier misread ("EAC2320252969" read "EAC7320252969" on a fax). The calibration
/// cannot learn this from its fit: no reading it was fitted on has such a year.
constexpr double kFiscalYearDisagreesFactor = 0.6;
/// A role label this many line heights from an A-number still gives it its role.
constexpr double kMaxRoleDistance = 12.0;

/// How many leading digits of a telephone number on the notice (area code and exchange) make a
/// bare run of digits that number.
constexpr std::size_t kTelephonePrefixDigits = 6;

/// Whether the digits of `text` begin like one of the notice's telephone numbers (after an
/// optional leading 1), whatever the rest was read as.
bool digitsStartLikeTelephone(std::string_view text, const Models& models) {
  const std::string digits = digitsOf(text);
  for (const std::string& number : models.distractorNumbers) {
    const std::string_view head = std::string_view(number).substr(0, kTelephonePrefixDigits);
    if (head.size() < kTelephonePrefixDigits) continue;
    if (digits.starts_with(head) || (digits.starts_with('1') && digits.substr(1).starts_with(head))) return true;
  }
  return false;
}

/// A bare-digit candidate that is one of the notice's telephone numbers, as printed (its digits)
/// or as repaired ("8OO-767-188": the value's digits).
bool startsLikeTelephone(const Candidate& c, const Models& models) {
  return digitsStartLikeTelephone(c.raw, models) || digitsStartLikeTelephone(c.normalised.value, models);
}

/// A label that says the value beside it is something other than the three identifiers.
bool announcesOther(const std::string& kind) { return kind == "distractor" || kind == "online_access_code"; }

/// A label that announces one of the three identifiers.
bool announcesIdentifier(const std::string& kind) {
  return kind == "receipt_number" || kind == "a_number" || kind == "online_account_number";
}

/// Twelve digits alone in the header box right of the receipt number's, their own label unread:
/// the account number's box (DOMAIN.md: "in its own header box next to Receipt Number"). Nothing
/// else printed on a notice is twelve digits, but with no label to say so it is less sure.
constexpr double kBesideReceiptPrior = 0.8;

/// Whether candidate `c` of segment `s` is a bare twelve-digit value read as it is (no repair),
/// alone in its segment, and the segment just left of it on its line holds a receipt number of a
/// known prefix: an account number in its header box whose label was not read. `candidates` are
/// every segment's, by segment index.
bool besideReceipt(const Layout& layout, std::size_t s, const Candidate& c,
                   const std::vector<std::vector<Candidate>>& candidates, const Models& models) {
  const Segment& segment = layout.segments[s];
  if (!c.normalised.repairs.empty() || c.strippedRule) return false;
  const auto isMark = [](char ch) { return ch == '.' || ch == ',' || ch == ' '; };
  for (std::size_t i = 0; i < segment.text.size(); ++i) {
    if ((i < c.begin || i >= c.end) && !isMark(segment.text[i])) return false;
  }
  const std::vector<int>& row = layout.lines[static_cast<std::size_t>(segment.line)].segments;
  const auto at = std::find(row.begin(), row.end(), static_cast<int>(s));
  if (at == row.begin() || at == row.end()) return false;
  const std::vector<Candidate>& before = candidates[static_cast<std::size_t>(*(at - 1))];
  return std::any_of(before.begin(), before.end(), [&](const Candidate& r) {
    return r.shape == CandidateShape::Receipt && models.prefixPriors.count(r.normalised.value.substr(0, 3)) > 0;
  });
}

/// The shortest and longest online access code taken (its format is undocumented: letters and
/// digits, often in dashed groups).
constexpr std::size_t kMinAccessCode = 6;
constexpr std::size_t kMaxAccessCode = 32;
/// How far right of its label, in label heights, an access code in its own box may start.
constexpr double kAccessCodeReach = 15.0;

/// The value printed after an access-code label in `segment` from byte `from` on: the tokens of
/// capitals, digits and dashes that follow (a word with lower case, or punctuation that ends a
/// sentence, ends it). [begin, end) is set to its span; empty when there is none.
std::string accessCodeAfter(const std::string& text, std::size_t from, std::size_t& begin, std::size_t& end) {
  std::size_t i = text.find_first_not_of(" :#-", from);
  begin = end = i == std::string::npos ? text.size() : i;
  std::string value;
  while (i < text.size()) {
    const std::size_t stop = std::min(text.find(' ', i), text.size());
    std::string token = text.substr(i, stop - i);
    bool last = false;
    while (!token.empty() && (token.back() == '.' || token.back() == ',' || token.back() == ';')) {
      token.pop_back();
      last = true;
    }
    const bool shape = !token.empty() && std::all_of(token.begin(), token.end(), [](unsigned char c) {
      return std::isupper(c) || std::isdigit(c) || c == '-';
    });
    if (!shape) break;
    for (const char c : token) {
      if (c != '-') value += c;
    }
    end = i + token.size();
    if (last) break;
    i = stop + 1;
  }
  return value;
}

/// Online access codes: the value after (or under) each access-code label.
void findAccessCodes(const Layout& layout, const std::vector<LabelHit>& labels, int page, TextSource source,
                     std::vector<Field>& out) {
  for (const LabelHit& label : labels) {
    if (label.entry->kind != "online_access_code") continue;
    int segmentIndex = label.segment;
    std::size_t begin = 0, end = 0;
    std::string value = accessCodeAfter(layout.segments[static_cast<std::size_t>(segmentIndex)].text, label.end,
                                        begin, end);
    // Else the value in its own box: to the right on the same line, or on the next line starting
    // under the label; the leftmost such box.
    const double h = label.box.height;
    const auto leftmost = [&](auto near) -> std::optional<std::size_t> {
      std::optional<std::size_t> found;
      for (std::size_t s = 0; s < layout.segments.size(); ++s) {
        if (near(layout.segments[s].box) && (!found || layout.segments[s].box.x < layout.segments[*found].box.x)) {
          found = s;
        }
      }
      return found;
    };
    std::optional<std::size_t> own;
    if (value.empty()) {
      own = leftmost([&](const Rect& box) {
        return box.x >= label.box.right() && box.x - label.box.right() < kAccessCodeReach * h &&
               box.y < label.box.bottom() && label.box.y < box.bottom();
      });
    }
    if (value.empty() && !own) {
      own = leftmost([&](const Rect& box) {
        return box.y > label.box.y && box.y <= label.box.bottom() + 2 * h && box.x >= label.box.x - 2 * h &&
               box.x <= label.box.right();
      });
    }
    if (own) {
      segmentIndex = static_cast<int>(*own);
      value = accessCodeAfter(layout.segments[*own].text, 0, begin, end);
    }
    if (value.size() < kMinAccessCode || value.size() > kMaxAccessCode) continue;
    const Segment& segment = layout.segments[static_cast<std::size_t>(segmentIndex)];
    Field field;
    field.type = FieldType::OnlineAccessCode;
    field.value = value;
    field.raw = segment.text.substr(begin, end - begin);
    field.page = page;
    field.source = source;
    field.label = label.entry->name;
    field.evidence = {"label"};
    field.confidence = source == TextSource::Ocr ? 0.9 * spanConfidence(layout, segment, begin, end) : 0.95;
    const Rect box = spanBox(layout, segment, begin, end);
    field.polygon = {Point{box.x, box.y}, Point{box.right(), box.y}, Point{box.right(), box.bottom()},
                     Point{box.x, box.bottom()}};
    out.push_back(std::move(field));
  }
}

struct Nearest {
  const LabelHit* hit = nullptr;
  double distance = std::numeric_limits<double>::infinity();
};

struct Accepted {
  Field field;
  int segment = 0;
  std::size_t begin = 0, end = 0;
};

/// Whether two values of one length are one printed number read with a digit gained in one place
/// and lost in another, which shifts the digits between (NBC2512345678 read "NBC2Z51234567", the Z
/// taken for a 2 and the last 8 lost): a digit taken out of each at two different places leaves the
/// same characters. Called only for values that differ in more than one place, so numbers that
/// really differ by one (...5677 and ...5678) are never shifted twins.
bool shiftedTwins(const std::string& a, const std::string& b) {
  const auto without = [](const std::string& s, std::size_t i) { return s.substr(0, i) + s.substr(i + 1); };
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(a[i]))) continue;
    for (std::size_t j = 0; j < b.size(); ++j) {
      if (j != i && std::isdigit(static_cast<unsigned char>(b[j])) && without(a, i) == without(b, j)) return true;
    }
  }
  return false;
}

/// Whether two values of one type differ in exactly one digit that is not the last character:
/// the mark of one printed number read twice with a slip (A284494597 / A264494597). Numbers that
/// really differ by one (consecutive receipts of a family's filings) differ at the end. Shifted
/// twins (shiftedTwins) are one number read twice too.
bool misreadTwins(const std::string& a, const std::string& b) {
  if (a.size() != b.size() || a == b) return false;
  std::size_t differing = 0, at = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) {
      ++differing;
      at = i;
    }
  }
  if (differing == 1) {
    return at + 1 < a.size() && std::isdigit(static_cast<unsigned char>(a[at])) &&
           std::isdigit(static_cast<unsigned char>(b[at]));
  }
  return shiftedTwins(a, b);
}

void addEvidence(Field& f, std::string_view word) {
  if (!hasEvidence(f, word)) f.evidence.emplace_back(word);
}

/// How a twin's reading ranks: its confidence, halved when its digits fail a plausibility check
/// (a receipt whose fiscal year disagrees with the Received Date is the likelier misreading).
double twinScore(const Field& f) {
  const bool implausible = hasEvidence(f, "fiscal_year_disagrees") || hasEvidence(f, "workday_out_of_range") ||
                           hasEvidence(f, "leading_digit_unusual");
  return f.confidence * (implausible ? 0.5 : 1.0);
}

/// How many characters two values of the same length differ in.
std::size_t differences(const std::string& a, const std::string& b) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < a.size(); ++i) n += a[i] != b[i];
  return n;
}

/// Whether `unknown`, a receipt read under its label with a prefix USCIS does not use, is `known`
/// with one letter of its prefix misread: the same ten digits, the prefixes one letter apart
/// ("JOE0917467764" beside "IOE0917467764").
bool misreadPrefix(const Field& unknown, const Field& known) {
  if (unknown.type != FieldType::ReceiptNumber || known.type != FieldType::ReceiptNumber) return false;
  if (!hasEvidence(unknown, "unknown_prefix") || !hasEvidence(known, "known_prefix")) return false;
  if (unknown.value.size() != known.value.size() || unknown.value.size() < 3) return false;
  if (unknown.value.compare(3, std::string::npos, known.value, 3, std::string::npos) != 0) return false;
  return differences(unknown.value.substr(0, 3), known.value.substr(0, 3)) == 1;
}

/// Of misread twins, the lower-ranked reading (twinScore) goes; the other keeps a note of the
/// conflict. A reading whose prefix is a known one misread goes without a conflict: no office
/// uses the prefix it shows.
void dropMisreadTwins(std::vector<Field>& fields) {
  std::vector<bool> dropped(fields.size(), false);
  for (std::size_t i = 0; i < fields.size(); ++i) {
    for (std::size_t j = 0; j < fields.size(); ++j) {
      if (i != j && !dropped[j] && misreadPrefix(fields[i], fields[j])) dropped[i] = true;
    }
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    for (std::size_t j = i + 1; j < fields.size(); ++j) {
      if (dropped[i] || dropped[j] || fields[i].type != fields[j].type) continue;
      if (!misreadTwins(fields[i].value, fields[j].value)) continue;
      const std::size_t loser = twinScore(fields[i]) < twinScore(fields[j]) ? i : j;
      const std::size_t winner = loser == i ? j : i;
      dropped[loser] = true;
      fields[winner].evidence.push_back("outvoted_misread_twin");
      fields[winner].confidence *= kTwinConflictFactor;
    }
  }
  std::vector<Field> kept;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (!dropped[i]) kept.push_back(std::move(fields[i]));
  }
  fields = std::move(kept);
}

/// A barcode's text as a receipt number: three letters and ten digits exactly, separators
/// allowed, nothing repaired (a barcode either decodes or does not).
std::optional<std::string> barcodeReceipt(const std::string& text) {
  std::string value;
  for (const char c : text) {
    if (c == '-' || c == ' ') continue;
    value += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (value.size() != 13) return std::nullopt;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(value[i]);
    if (i < 3 ? !std::isupper(c) : !std::isdigit(c)) return std::nullopt;
  }
  return value;
}

/// The fiscal year (two digits) a YYYY-MM-DD date falls in: the federal year starts on October 1.
std::optional<int> fiscalYear(const std::string& isoDate) {
  int year = 0, month = 0;
  if (std::sscanf(isoDate.c_str(), "%4d-%2d", &year, &month) != 2 || month < 1 || month > 12) return std::nullopt;
  return (year + (month >= 10 ? 1 : 0)) % 100;
}

/// The highest computer workday a receipt number carries (DOMAIN.md: 001 to about 265).
constexpr int kMaxWorkday = 270;

/// Plausibility checks of a receipt number's digits (DOMAIN.md). They add evidence and never
/// reject: the digit schemes are community-documented, not official. IOE numbers carry no fiscal
/// year or workday, but commonly start with 0. The classic scheme is YY DDD 5nnnn, the lockbox
/// scheme YY 9 DDD nnnn (a classic workday never starts with 9).
void checkReceiptDigits(Field& field, const std::optional<std::string>& receivedDate) {
  if (field.value.size() != 13) return;
  if (field.value.compare(0, 3, "IOE") == 0) {
    if (field.value[3] != '0') {
      field.evidence.push_back("leading_digit_unusual");
      field.confidence *= kUnusualIoeFactor;
    }
    return;
  }
  const std::string digits = field.value.substr(3);
  // The asterisk form (NBC*000123456) has no fiscal year or workday where the scheme puts them.
  if (!std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); })) return;
  const int yy = std::stoi(digits.substr(0, 2));
  const int workday = std::stoi(digits[2] == '9' ? digits.substr(3, 3) : digits.substr(2, 3));
  if (workday < 1 || workday > kMaxWorkday) field.evidence.push_back("workday_out_of_range");
  if (!receivedDate) return;
  const std::optional<int> fy = fiscalYear(*receivedDate);
  if (!fy) return;
  if (*fy == yy) {
    field.evidence.push_back("fiscal_year_agrees");
  } else {
    field.evidence.push_back("fiscal_year_disagrees");
    field.confidence *= kFiscalYearDisagreesFactor;
  }
}

/// A receipt number only the barcode carried scores its prefix's prior times this.
constexpr double kBarcodeOnlyFactor = 0.9;
/// At most this many characters of a text reading may differ from the barcode for the barcode to
/// correct it rather than stand beside it (a third of the digits would be a different number).
constexpr std::size_t kMaxBarcodeCorrections = 3;

}  // namespace

bool labelFits(FieldType type, const std::string& kind) {
  switch (type) {
    case FieldType::ReceiptNumber: return kind == "receipt_number";
    case FieldType::ANumber: return kind == "a_number" || kind == "role";
    case FieldType::OnlineAccountNumber: return kind == "online_account_number";
    case FieldType::OnlineAccessCode: return kind == "online_access_code";
  }
  return false;
}

void applyBarcodes(PageExtraction& page, const std::vector<barcode::Barcode>& barcodes, int pageNumber,
                   const Models& models) {
  for (const barcode::Barcode& code : barcodes) {
    const std::optional<std::string> value = barcodeReceipt(code.text);
    if (!value) continue;
    bool agreed = false;
    Field* closest = nullptr;
    std::size_t closestDistance = kMaxBarcodeCorrections + 1;
    const auto known = models.prefixPriors.find(value->substr(0, 3));
    // What the barcode alone would make of a known prefix's number (below): a reading it agrees
    // with is no less sure than that, however poorly the text was read.
    const double barcodeScore = known == models.prefixPriors.end() ? 0.0 : known->second * kBarcodeOnlyFactor;
    for (Field& f : page.fields) {
      if (f.type != FieldType::ReceiptNumber || f.value.size() != value->size()) continue;
      if (f.value == *value) {
        addEvidence(f, "barcode_agrees");  // every reading of it: the header's and the letter's
        f.confidence = std::max(f.confidence, barcodeScore);
        agreed = true;
      }
      const std::size_t d = differences(f.value, *value);
      if (f.value.compare(0, 3, *value, 0, 3) == 0 && d < closestDistance) {
        closest = &f;
        closestDistance = d;
      }
    }
    if (agreed) continue;
    if (closest) {
      closest->value = *value;
      std::erase(closest->evidence, "outvoted_misread_twin");
      addEvidence(*closest, "barcode_corrected");
      continue;
    }
    if (known == models.prefixPriors.end()) continue;  // NVC and card numbers share the shape
    Field field;
    field.type = FieldType::ReceiptNumber;
    field.value = *value;
    field.raw = code.text;
    field.page = pageNumber;
    field.source = TextSource::Barcode;
    field.polygon = code.quad;
    field.evidence = {"barcode", "known_prefix"};
    field.confidence = barcodeScore;
    page.fields.push_back(std::move(field));
  }
}

namespace {

bool sameValue(const Field& a, const Field& b) { return a.type == b.type && a.value == b.value; }

/// Takes the facts `facts` lacks (notice and form type, dates) from `from`.
void fillMissingFacts(DocumentFacts& facts, const DocumentFacts& from) {
  if (!facts.noticeType) facts.noticeType = from.noticeType;
  if (!facts.formType) facts.formType = from.formType;
  if (!facts.noticeDate) facts.noticeDate = from.noticeDate;
  if (!facts.receivedDate) facts.receivedDate = from.receivedDate;
  if (!facts.priorityDate) facts.priorityDate = from.priorityDate;
}

bool samePlace(const Field& a, const Field& b) {
  return a.type == b.type && bounds(a.polygon).intersects(bounds(b.polygon));
}

}  // namespace

void mergeSecondReading(PageExtraction& page, PageExtraction second) {
  const std::vector<Field> first = page.fields;
  for (Field& field : page.fields) {
    const auto readAlike = [&](const Field& other) { return sameValue(other, field); };
    if (std::any_of(second.fields.begin(), second.fields.end(), readAlike)) continue;
    const Field* rival = nullptr;
    for (const Field& other : second.fields) {
      if (samePlace(other, field) && (!rival || other.confidence > rival->confidence)) rival = &other;
    }
    const auto taken = [&](const Field& f) { return rival && sameValue(f, *rival); };
    if (rival && rival->confidence > field.confidence && std::none_of(page.fields.begin(), page.fields.end(), taken)) {
      field = *rival;
    }
  }
  for (Field& other : second.fields) {
    const auto known = [&](const Field& f) { return sameValue(f, other) || samePlace(f, other); };
    if (std::any_of(first.begin(), first.end(), known)) continue;
    const auto taken = [&](const Field& f) { return sameValue(f, other); };
    if (std::any_of(page.fields.begin(), page.fields.end(), taken)) continue;
    page.fields.push_back(std::move(other));
  }
  fillMissingFacts(page.facts, second.facts);
}

bool hasEvidence(const Field& field, std::string_view word) {
  return std::find(field.evidence.begin(), field.evidence.end(), word) != field.evidence.end();
}

PageExtraction extractPage(const std::vector<Word>& words, int page, TextSource source, const Models& models) {
  const Layout layout = buildLayout(words);
  return extractPage(layout, findLabels(layout, models), page, source, models);
}

PageExtraction extractPage(const Layout& layout, const std::vector<LabelHit>& labels, int page, TextSource source,
                           const Models& models) {
  PageExtraction out;

  std::vector<std::vector<Candidate>> candidates;
  candidates.reserve(layout.segments.size());
  for (const Segment& segment : layout.segments) candidates.push_back(findCandidates(segment.text, models));
  std::vector<Accepted> accepted;
  for (std::size_t s = 0; s < layout.segments.size(); ++s) {
    const Segment& segment = layout.segments[s];
    for (const Candidate& c : candidates[s]) {
      const Rect box = spanBox(layout, segment, c.begin, c.end);

      Nearest nearestAny, nearestFit, nearestRole;
      for (const LabelHit& label : labels) {
        // A label inside the value's own span (the "A#" of "A# 123...") is part of the value,
        // not a label of it: the APrefixed shape already counts it.
        if (label.segment == static_cast<int>(s) && label.begin >= c.begin && label.begin < c.end) continue;
        const auto d = labelDistance(layout, label, static_cast<int>(s), c.begin, box);
        if (!d) continue;
        const std::string& kind = label.entry->kind;
        if (*d < nearestAny.distance) nearestAny = {&label, *d};
        if (labelFits(c.type, kind) && *d < nearestFit.distance) nearestFit = {&label, *d};
        if (kind == "role" && *d < nearestRole.distance) nearestRole = {&label, *d};
      }
      // A number whose closest label (closer than any that fits it) says it is something else
      // (NVC case, card, access code, telephone...) is that something else. So is a bare run of
      // digits closest to another identifier's label: it has only its label to say what it is,
      // and eight digits under an account-number label are an account number read short.
      const bool bare = c.shape == CandidateShape::BareDigits9 || c.shape == CandidateShape::BareDigits12;
      if (nearestAny.hit && nearestAny.distance < nearestFit.distance &&
          (announcesOther(nearestAny.hit->entry->kind) || (bare && announcesIdentifier(nearestAny.hit->entry->kind)))) {
        continue;
      }
      const bool labelled = nearestFit.hit != nullptr;

      Field field;
      field.type = c.type;
      field.value = c.normalised.value;
      field.raw = c.raw;
      field.page = page;
      field.source = source;
      field.repairs = c.normalised.repairs;
      if (c.strippedRule) field.repairs.push_back("dropped a table rule read before the value");
      if (labelled) {
        field.label = nearestFit.hit->entry->name;
        field.evidence.push_back("label");
      }

      double prior = 0;
      switch (c.shape) {
        case CandidateShape::Receipt: {
          const std::string prefix = field.value.substr(0, 3);
          const auto known = models.prefixPriors.find(prefix);
          if (known != models.prefixPriors.end()) {
            prior = known->second * (labelled ? 1.0 : 0.9);
            field.evidence.push_back("known_prefix");
          } else {
            // Three letters and ten digits alone are NVC or card numbers; and a dropped table rule
            // is only believable in front of a prefix we know.
            if (!labelled || c.strippedRule) continue;
            // Under a receipt label, a prefix one commonly confused letter from exactly one office's
            // is that office's, misread; the guess is a repair like a digit's.
            if (const std::optional<Normalised> printed = misreadKnownPrefix(prefix, models.prefixPriors)) {
              field.repairs.insert(field.repairs.end(), printed->repairs.begin(), printed->repairs.end());
              field.value.replace(0, 3, printed->value);
              prior = models.prefixPriors.at(printed->value);
              field.evidence.push_back("known_prefix");
              field.evidence.push_back("prefix_misread");
              break;
            }
            prior = models.unknownPrefixPrior + 0.15;
            field.evidence.push_back("unknown_prefix");
          }
          break;
        }
        case CandidateShape::APrefixed:
          prior = labelled ? 0.96 : 0.88;
          field.evidence.push_back("a_prefix");
          break;
        case CandidateShape::BareDigits9:
          if (!labelled || nearestFit.hit->entry->kind != "a_number" || startsLikeTelephone(c, models)) continue;
          prior = 0.9;
          break;
        case CandidateShape::BareDigits12:
          if (startsLikeTelephone(c, models)) continue;
          if (labelled) {
            prior = 0.93;
          } else if (besideReceipt(layout, s, c, candidates, models)) {
            prior = kBesideReceiptPrior;
            field.evidence.push_back("beside_receipt");
          } else {
            continue;
          }
          break;
      }
      if (c.type == FieldType::ANumber && nearestRole.hit && nearestRole.distance <= kMaxRoleDistance) {
        field.role = nearestRole.hit->entry->role;
        field.evidence.push_back("role_label");
      }

      double confidence = prior;
      if (source == TextSource::Ocr) {
        confidence *= 0.4 + 0.6 * spanConfidence(layout, segment, c.begin, c.end);
        if (anyWordInSpan(layout, segment, c.begin, c.end, [](const Word& w) { return w.reread; })) {
          field.evidence.push_back("reread");
        }
        if (anyWordInSpan(layout, segment, c.begin, c.end, [](const Word& w) { return w.disputed; })) {
          field.evidence.push_back("reread_disputed");
        }
      } else {
        field.evidence.push_back("text_layer");
      }
      confidence *= std::pow(kRepairFactor, static_cast<double>(field.repairs.size()));
      field.confidence = std::clamp(confidence, 0.01, 0.995);
      field.polygon = {Point{box.x, box.y}, Point{box.right(), box.y}, Point{box.right(), box.bottom()},
                       Point{box.x, box.bottom()}};
      accepted.push_back({std::move(field), static_cast<int>(s), c.begin, c.end});
    }
  }

  // Where two readings claim the same characters, the more confident one wins (the same value
  // read twice from one place is one reading, not two).
  std::sort(accepted.begin(), accepted.end(),
            [](const Accepted& a, const Accepted& b) { return a.field.confidence > b.field.confidence; });
  std::vector<Accepted> kept;
  for (Accepted& a : accepted) {
    const bool overlaps = std::any_of(kept.begin(), kept.end(), [&](const Accepted& k) {
      return k.segment == a.segment && k.begin < a.end && a.begin < k.end;
    });
    if (!overlaps) kept.push_back(std::move(a));
  }
  for (Accepted& k : kept) out.fields.push_back(std::move(k.field));
  findAccessCodes(layout, labels, page, source, out.fields);
  out.facts = extractFacts(layout, labels, models);
  return out;
}

std::vector<Field> combinePages(const std::vector<PageExtraction>& pages, DocumentFacts& facts, const Models& models) {
  for (const PageExtraction& page : pages) fillMissingFacts(facts, page.facts);
  // "Applicant/Petitioner" means whichever the form has: a petition has a petitioner.
  std::optional<std::string> combinedRole;
  if (facts.formType) {
    const auto form = models.forms.find(*facts.formType);
    if (form != models.forms.end()) combinedRole = form->second.kind == "petition" ? "petitioner" : "applicant";
  }

  std::map<std::pair<FieldType, std::string>, std::vector<const Field*>> groups;
  for (const PageExtraction& page : pages) {
    for (const Field& field : page.fields) groups[{field.type, field.value}].push_back(&field);
  }
  std::vector<Field> out;
  for (auto& [key, members] : groups) {
    const Field* best = *std::max_element(members.begin(), members.end(),
                                          [](const Field* a, const Field* b) { return a->confidence < b->confidence; });
    Field field = *best;
    if (!field.role) {
      for (const Field* m : members) {
        if (m->role) field.role = m->role;
      }
    }
    if (field.role == "applicant_or_petitioner") field.role = combinedRole;
    // A barcode's word about the value holds for every reading of it.
    for (const char* word : {"barcode_agrees", "barcode_corrected"}) {
      if (std::any_of(members.begin(), members.end(), [&](const Field* m) { return hasEvidence(*m, word); })) {
        addEvidence(field, word);
      }
    }
    if (members.size() > 1) {
      field.evidence.push_back("repeated");
      field.confidence = std::min(0.995, field.confidence + 0.3 * (1 - field.confidence));
    }
    if (field.type == FieldType::ReceiptNumber) checkReceiptDigits(field, facts.receivedDate);
    out.push_back(std::move(field));
  }
  dropMisreadTwins(out);
  std::sort(out.begin(), out.end(), [](const Field& a, const Field& b) {
    if (a.page != b.page) return a.page < b.page;
    if (std::abs(a.polygon[0].y - b.polygon[0].y) > 1e-6) return a.polygon[0].y < b.polygon[0].y;
    return a.polygon[0].x < b.polygon[0].x;
  });
  return out;
}

double calibrationFeature(const Field& field, const std::string& name, const std::vector<std::string>& pageWarnings) {
  if (name == "logit_score") {
    const double p = std::clamp(field.confidence, 0.01, 0.99);
    return std::log(p / (1 - p));
  }
  if (name == "repairs") return static_cast<double>(field.repairs.size());
  const bool warned = std::find(pageWarnings.begin(), pageWarnings.end(), name) != pageWarnings.end();
  return warned || hasEvidence(field, name) ? 1.0 : 0.0;
}

void calibrate(std::vector<Field>& fields, const std::vector<std::vector<std::string>>& pageWarnings,
               const Models& models) {
  static const std::vector<std::string> none;
  const Calibration& c = models.calibration;
  if (c.features.empty()) return;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].type == FieldType::OnlineAccessCode) continue;  // not what the model was fitted on
    const std::vector<std::string>& warnings = i < pageWarnings.size() ? pageWarnings[i] : none;
    double z = c.bias;
    for (std::size_t k = 0; k < c.features.size(); ++k) z += c.weights[k] * calibrationFeature(fields[i], c.features[k], warnings);
    fields[i].confidence = std::clamp(1.0 / (1.0 + std::exp(-z)), 0.01, 0.995);
  }
}

}  // namespace noticescan::extract
