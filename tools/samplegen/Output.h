#pragma once
// Turning a synthetic document into files: born-digital PDF, rasters, scanned PDF, and the truth.

#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "NoticeRenderer.h"
#include "NoticeSpec.h"

namespace samplegen {

/// A document: the notice and how many pages it has (the others are continuation pages).
struct Document {
  NoticeSpec spec;
  int pages = 1;
  int noticePage = 1;
  std::uint64_t seed = 0;
};

/// Writes a born-digital PDF (text layer with embedded fonts). Returns what was drawn.
std::vector<Drawn> writePdf(const Document& doc, const std::filesystem::path& path);
/// Renders one page at `dpi`: 8-bit gray, or BGR with `colour`. Appends what was drawn.
cv::Mat renderRaster(const Document& doc, int page, double dpi, bool colour, std::vector<Drawn>* drawn);
/// An image-only PDF, as a scanner makes it: each page one JPEG of `quality` filling the page.
void writeScannedPdf(const std::vector<cv::Mat>& pages, const std::filesystem::path& path, int quality);
void writeBytes(const std::filesystem::path& path, const std::vector<unsigned char>& bytes);

/// The truth: the distinct identifiers among `drawn`, with the page and box (points) of the first.
nlohmann::ordered_json truthFields(const std::vector<Drawn>& drawn, int page);

}  // namespace samplegen
