#pragma once
// Draws a NoticeSpec with cairo, in points on a US-letter page (612 x 792). The same drawing goes
// to a PDF surface (a born-digital notice with a text layer) or to an image surface (for scans).

#include <cairo.h>

#include "NoticeSpec.h"

namespace samplegen {

constexpr double kPageWidth = 612;
constexpr double kPageHeight = 792;

/// Draws the notice's first page. `pageCount` is printed in the header ("1 of 2").
void renderNotice(cairo_t* cr, const NoticeSpec& spec, Rng& rng, int pageCount);
/// Draws a continuation page (body text, distractors, no identifiers).
void renderContinuation(cairo_t* cr, const NoticeSpec& spec, Rng& rng, int pageNumber, int pageCount);

}  // namespace samplegen
