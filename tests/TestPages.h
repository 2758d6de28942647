#pragma once
// Test helper: a letter-size page at 300 dpi printed with forty lines of notice text, the kind of
// page whose sharpness page/Quality measures.

#include <opencv2/imgproc.hpp>

namespace testing_pages {

inline cv::Mat printedPage() {
  cv::Mat page(3300, 2550, CV_8UC1, cv::Scalar(240));
  for (int i = 0; i < 40; ++i) {
    cv::putText(page, "Receipt Number IOE0912345678 Notice Date 01/18/2024", cv::Point(150, 300 + 60 * i),
                cv::FONT_HERSHEY_SIMPLEX, 1.2, cv::Scalar(20), 2, cv::LINE_AA);
  }
  return page;
}

}  // namespace testing_pages
