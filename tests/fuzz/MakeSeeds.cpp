// Writes small, valid starting inputs for the image-loader fuzz target into a folder: one page of
// text-like strokes in every format the loader reads (and a three-page TIFF, a 16-bit PNG, a
// colour JPEG with an EXIF orientation is left to the samples). Small seeds keep each execution
// short, so the fuzzer explores the decoders' structure rather than their pixel loops.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz-make-seeds DIR\n");
    return 1;
  }
  const std::filesystem::path dir(argv[1]);
  std::filesystem::create_directories(dir);
  cv::Mat page(96, 72, CV_8UC1, cv::Scalar(255));
  cv::putText(page, "IOE09", cv::Point(2, 30), cv::FONT_HERSHEY_PLAIN, 1.0, cv::Scalar(0));
  cv::line(page, cv::Point(0, 50), cv::Point(71, 50), cv::Scalar(0));
  cv::Mat colour;
  cv::cvtColor(page, colour, cv::COLOR_GRAY2BGR);
  cv::Mat deep;
  page.convertTo(deep, CV_16U, 257);
  int written = 0;
  const auto put = [&](const std::string& name, const cv::Mat& image, const std::vector<int>& params = {}) {
    if (cv::imwrite((dir / name).string(), image, params)) ++written;
  };
  put("gray.png", page);
  put("colour.png", colour);
  put("deep16.png", deep);
  put("gray.jpg", page, {cv::IMWRITE_JPEG_QUALITY, 60});
  put("progressive.jpg", colour, {cv::IMWRITE_JPEG_PROGRESSIVE, 1});
  put("gray.bmp", page);
  put("colour.webp", colour, {cv::IMWRITE_WEBP_QUALITY, 50});
  put("gray.tif", page);
  put("packbits.tif", colour, {cv::IMWRITE_TIFF_COMPRESSION, 32773});
  if (cv::imwrite((dir / "three-pages.tif").string(), std::vector<cv::Mat>{page, colour, page})) ++written;
  std::printf("%d seeds in %s\n", written, dir.c_str());
  return written > 0 ? 0 : 1;
}
