// Document facts: the I-797 variant, the form type of the case and the dates in the header.
#include <regex>

#include "noticescan/extract/Extractor.h"
#include "noticescan/extract/Grammar.h"
#include "noticescan/extract/Labels.h"
#include "noticescan/extract/Layout.h"

namespace noticescan::extract {
namespace {

std::optional<std::string> findNoticeType(const Layout& layout) {
  // A table rule may be glued in front ("1I-797C") and I read as 1, l or |.
  static const std::regex re("(?:^|[^A-Za-z0-9])[|1lI]?[I1l|][ \\-]?797([A-F]?)(?![0-9A-Za-z])");
  std::optional<std::string> plain;
  for (const Segment& segment : layout.segments) {
    std::match_results<std::string::const_iterator> m;
    if (std::regex_search(segment.text, m, re)) {
      const std::string type = "I-797" + m.str(1);
      if (!m.str(1).empty()) return type;  // the lettered variant is the most specific
      if (!plain) plain = type;
    }
  }
  return plain;
}

/// The texts where a label's value may be printed, nearest first: the rest of its segment, the
/// next segment to its right, the segments just below it in its column.
std::vector<std::string> valueTexts(const Layout& layout, const LabelHit& label) {
  std::vector<std::string> texts;
  const Segment& own = layout.segments[static_cast<std::size_t>(label.segment)];
  if (label.end < own.text.size()) texts.push_back(own.text.substr(label.end));
  const Line& line = layout.lines[static_cast<std::size_t>(own.line)];
  for (const int s : line.segments) {
    const Segment& other = layout.segments[static_cast<std::size_t>(s)];
    if (other.box.x > own.box.right()) {
      texts.push_back(other.text);
      break;
    }
  }
  for (std::size_t s = 0; s < layout.segments.size(); ++s) {
    const Segment& other = layout.segments[s];
    if (other.line <= own.line) continue;
    if (labelDistance(layout, label, static_cast<int>(s), 0, other.box)) texts.push_back(other.text);
  }
  return texts;
}

/// The form whose title the text spells ("I90 - APPLICATION TO REPLACE PERMANENT RESIDENT CARD"
/// with the number misread), within a few edits per ten letters.
std::optional<std::string> formByTitle(const std::string& text, const Models& models) {
  const auto dash = text.find(" - ");
  std::string title = dash == std::string::npos ? text : text.substr(dash + 3);
  for (char& c : title) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (title.size() < 12) return std::nullopt;
  std::optional<std::string> best;
  int bestEdits = 0;
  for (const auto& [form, entry] : models.forms) {
    std::string expected = entry.title;
    for (char& c : expected) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    // Printed titles are often cut at the box's edge: compare with as much as was printed.
    if (title.size() < expected.size()) expected.resize(title.size());
    const int limit = static_cast<int>(expected.size() / 8);
    const int edits = editDistance(title.substr(0, expected.size()), expected, limit);
    if (edits <= limit && (!best || edits < bestEdits)) {
      best = form;
      bestEdits = edits;
    }
  }
  return best;
}

}  // namespace

DocumentFacts extractFacts(const Layout& layout, const std::vector<LabelHit>& labels, const Models& models) {
  DocumentFacts facts;
  facts.noticeType = findNoticeType(layout);
  for (const LabelHit& label : labels) {
    const std::string& kind = label.entry->kind;
    std::optional<std::string>* target = nullptr;
    if (kind == "case_type") target = &facts.formType;
    if (kind == "notice_date") target = &facts.noticeDate;
    if (kind == "received_date") target = &facts.receivedDate;
    if (kind == "priority_date") target = &facts.priorityDate;
    if (!target || *target) continue;
    for (const std::string& text : valueTexts(layout, label)) {
      if (kind == "case_type") {
        *target = normaliseFormType(text, models.forms);
        if (!*target) *target = formByTitle(text, models);
      } else {
        *target = findDate(text);
      }
      if (*target) break;
    }
  }
  return facts;
}

}  // namespace noticescan::extract
