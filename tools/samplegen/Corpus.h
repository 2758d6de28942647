#pragma once

#include <cstdint>
#include <filesystem>

#include <opencv2/core.hpp>

#include "NoticeRenderer.h"

namespace samplegen {

/// How much of a drawn box (points, on a page rendered at `dpi`) lands inside a photo frame once
/// mapped by `pageToImage`: 4 corners inside is visible, none is gone, between is cut by the edge.
int cornersInside(const Drawn& d, double dpi, const cv::Matx33d& pageToImage, cv::Size frame);

struct CorpusOptions {
  std::filesystem::path dir;
  std::uint64_t seed = 1;  ///< the same seed gives the same corpus, byte for byte
  int count = 360;         ///< documents; categories take turns, alternate rounds go to train and test
  std::string only;        ///< non-empty: write only this category's documents (same files as a full run)
};

/// Writes DIR/NNNN-category.ext for every document and DIR/truth.jsonl (one line each: file,
/// split, category, template, format, pages, notice_page, fields with page and box in points, and
/// partial_fields: identifiers cut by a photo's edge, which scoring neither requires nor penalises;
/// for photos, page_corners in the upright photo's pixels and page_in_frame).
int writeCorpus(const CorpusOptions& options);

/// The degradation categories, in the order documents take them.
inline constexpr const char* kCategories[] = {"pdf_digital", "pdf_scanned", "scan_clean",
                                              "scan_skewed", "scan_rotated", "scan_lowres",
                                              "fax",         "phone_photo", "screenshot"};

}  // namespace samplegen
