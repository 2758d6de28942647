#pragma once
// Draws a NoticeSpec with cairo, in points on a US-letter page (612 x 792). The same drawing goes
// to a PDF surface (a born-digital notice with a text layer) or to an image surface (for scans).

#include <cairo.h>

#include <string>
#include <vector>

#include "NoticeSpec.h"

namespace samplegen {

constexpr double kPageWidth = 612;
constexpr double kPageHeight = 792;

/// An identifier as drawn: its normalised value and the box of its printed form, in points.
struct Drawn {
  std::string type;   ///< receipt_number, a_number, online_account_number
  std::string value;  ///< normalised
  double x = 0, y = 0, width = 0, height = 0;
};

/// Draws the notice's page. `pageCount` is printed in the header ("1 of 2"). Every identifier
/// drawn is appended to `drawn` (the truth is what is on the page, not what the spec intended).
void renderNotice(cairo_t* cr, const NoticeSpec& spec, Rng& rng, int pageCount, std::vector<Drawn>* drawn);
/// Draws a continuation page (body text, distractors, no identifiers).
void renderContinuation(cairo_t* cr, const NoticeSpec& spec, Rng& rng, int pageNumber, int pageCount);

}  // namespace samplegen
