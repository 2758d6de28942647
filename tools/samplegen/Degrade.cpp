#include "Degrade.h"

#include <cmath>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace samplegen {

cv::Mat scanLook(const cv::Mat& clean, Rng& rng, double strength) {
  cv::Mat page;
  clean.convertTo(page, CV_32F);
  // Ink is never pure black nor paper pure white on a scan.
  const double paper = 238 + rng.real(-6, 10), ink = 25 + rng.real(0, 25);
  page = ink + (page / 255.0) * (paper - ink);
  // A gentle exposure gradient across the page.
  cv::Mat gradient(page.size(), CV_32F);
  const double gx = rng.real(-8, 8) * strength, gy = rng.real(-8, 8) * strength;
  for (int y = 0; y < page.rows; ++y) {
    float* row = gradient.ptr<float>(y);
    for (int x = 0; x < page.cols; ++x) {
      row[x] = static_cast<float>(gx * (x / static_cast<double>(page.cols) - 0.5) + gy * (y / static_cast<double>(page.rows) - 0.5));
    }
  }
  page += gradient;
  cv::GaussianBlur(page, page, cv::Size(0, 0), 0.5 + 0.4 * strength * rng.real(0, 1));
  cv::Mat noise(page.size(), CV_32F);
  cv::setRNGSeed(static_cast<int>(rng.next() & 0x7fffffff));
  cv::randn(noise, 0, 3.0 + 3.0 * strength);
  page += noise;
  cv::Mat out;
  page.convertTo(out, CV_8U);
  return out;
}

cv::Mat whitenBackground(const cv::Mat& scan, int threshold) {
  cv::Mat out = scan.clone();
  out.setTo(255, scan > threshold);
  return out;
}

cv::Mat binarise(const cv::Mat& scan, int threshold) {
  cv::Mat out;
  cv::threshold(scan, out, threshold, 255, cv::THRESH_BINARY);
  return out;
}

cv::Mat skew(const cv::Mat& page, double degrees, Rng& rng) {
  const double a = std::abs(degrees) * CV_PI / 180;
  const int w = page.cols, h = page.rows;
  const int nw = static_cast<int>(std::ceil(w * std::cos(a) + h * std::sin(a)));
  const int nh = static_cast<int>(std::ceil(w * std::sin(a) + h * std::cos(a)));
  cv::Mat m = cv::getRotationMatrix2D(cv::Point2f(w / 2.0f, h / 2.0f), degrees, 1.0);
  m.at<double>(0, 2) += (nw - w) / 2.0;
  m.at<double>(1, 2) += (nh - h) / 2.0;
  cv::Mat out;
  const int lid = rng.uniform(200, 250);
  cv::warpAffine(page, out, m, cv::Size(nw, nh), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(lid));
  return out;
}

cv::Mat quarterTurn(const cv::Mat& page, int clockwise) {
  cv::Mat out;
  switch (((clockwise % 360) + 360) % 360) {
    case 90: cv::rotate(page, out, cv::ROTATE_90_CLOCKWISE); break;
    case 180: cv::rotate(page, out, cv::ROTATE_180); break;
    case 270: cv::rotate(page, out, cv::ROTATE_90_COUNTERCLOCKWISE); break;
    default: out = page.clone(); break;
  }
  return out;
}

std::vector<unsigned char> encodeJpeg(const cv::Mat& image, int quality, int exifOrientation) {
  std::vector<unsigned char> jpeg;
  cv::imencode(".jpg", image, jpeg, {cv::IMWRITE_JPEG_QUALITY, quality});
  if (exifOrientation <= 0) return jpeg;
  // A minimal EXIF APP1 segment holding one IFD0 entry: Orientation (0x0112, SHORT).
  const std::vector<unsigned char> app1 = {
      0xFF, 0xE1, 0x00, 0x22,                          // APP1, length 34
      'E', 'x', 'i', 'f', 0x00, 0x00,                  // EXIF header
      'I', 'I', 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00,    // little-endian TIFF, IFD0 at offset 8
      0x01, 0x00,                                      // one entry
      0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00,  // tag 0x0112, SHORT, count 1
      static_cast<unsigned char>(exifOrientation), 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00};                         // no next IFD
  jpeg.insert(jpeg.begin() + 2, app1.begin(), app1.end());
  return jpeg;
}

}  // namespace samplegen
