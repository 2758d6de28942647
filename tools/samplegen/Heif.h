#pragma once

#include <string>

#include <opencv2/core.hpp>

namespace samplegen {

/// Writes a BGR image as HEIC (HEVC, libheif + x265). Returns false with `error` set on failure.
bool writeHeic(const cv::Mat& bgr, const std::string& path, int quality, std::string& error);

}  // namespace samplegen
