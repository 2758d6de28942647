// noticescan-samplegen: renders synthetic USCIS-style notices (never real data) as born-digital
// PDFs, scanned PDFs, scans, faxes, phone photos and screenshots, each with the identifiers
// actually drawn on it.
//
//   noticescan-samplegen samples DIR                        the fixed sample set of samples/
//   noticescan-samplegen corpus DIR [--seed N] [--count N] [--only CATEGORY]
//                                         an evaluation corpus + truth.jsonl
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "Corpus.h"
#include "Degrade.h"
#include "Heif.h"
#include "Output.h"
#include "Photo.h"

namespace fs = std::filesystem;
using namespace samplegen;

namespace {

struct Sample {
  std::string file;
  Template layout;
  std::uint64_t seed;
  int pages;
  int noticePage;
  std::string how;
  std::string tests;
  /// Writes the file and returns the identifiers drawn on it.
  std::function<std::vector<Drawn>(const Document&, const fs::path&)> write;
};

/// A raster scan of every page: `look` turns each clean render into the stored page.
std::vector<Drawn> scanPages(const Document& d, double dpi, const std::function<cv::Mat(cv::Mat, Rng&)>& look,
                             std::vector<cv::Mat>& pages) {
  Rng rng(d.seed);
  std::vector<Drawn> drawn;
  for (int i = 1; i <= d.pages; ++i) pages.push_back(look(renderRaster(d, i, dpi, false, &drawn), rng));
  return drawn;
}

enum class PhotoFormat { Jpeg, JpegSideways, Heic };

/// A phone photo of the notice page; the truth is what is wholly in the frame.
/// Samples test one thing each, so they leave out the photo difficulties they are not about
/// (heavy blur, a white table); the corpus has all of them.
std::vector<Drawn> photoSample(const Document& d, const fs::path& path, PhotoFormat format) {
  Rng rng(d.seed);
  std::vector<Drawn> all;
  const double dpi = 250;
  const cv::Mat page = renderRaster(d, d.noticePage, dpi, true, &all);
  PhotoOptions options;
  options.heavyBlur = false;
  options.paleTable = false;
  const Photo photo = phonePhoto(page, rng, options);
  std::vector<Drawn> drawn;
  for (const Drawn& field : all) {
    if (cornersInside(field, dpi, photo.pageToImage, photo.image.size()) == 4) drawn.push_back(field);
  }
  std::string error;
  switch (format) {
    case PhotoFormat::Jpeg: writeBytes(path, encodeJpeg(photo.image, 85)); break;
    case PhotoFormat::JpegSideways: writeBytes(path, encodeJpeg(quarterTurn(photo.image, 270), 85, 6)); break;
    case PhotoFormat::Heic:
      if (!writeHeic(photo.image, path.string(), 50, error)) throw std::runtime_error("HEIC: " + error);
      break;
  }
  return drawn;
}

int writeSamples(const fs::path& dir) {
  fs::create_directories(dir);
  const std::vector<Sample> samples = {
      {"receipt-digital.pdf", Template::Receipt, 101, 2, 1,
       "born-digital PDF drawn with cairo (text layer with real fonts), notice on page 1 of 2",
       "text-layer path, no OCR; multi-page PDF",
       [](const Document& d, const fs::path& p) { return writePdf(d, p); }},
      {"approval-scanned.pdf", Template::Approval, 202, 2, 2,
       "rendered at 300 dpi on patterned security paper, scan look, one JPEG per page in a PDF; notice on page 2",
       "image-only PDF rendered and OCRed; identifiers reported with their page number",
       [](const Document& d, const fs::path& p) {
         std::vector<cv::Mat> pages;
         auto drawn = scanPages(d, 300, [](cv::Mat m, Rng& rng) { return scanLook(m, rng); }, pages);
         writeScannedPdf(pages, p, 85);
         return drawn;
       }},
      {"receipt-scan-clean.png", Template::Receipt, 303, 1, 1,
       "rendered at 300 dpi, scan look with the scanner's background cleanup (white paper), PNG",
       "plain OCR path",
       [](const Document& d, const fs::path& p) {
         std::vector<cv::Mat> pages;
         auto drawn = scanPages(d, 300, [](cv::Mat m, Rng& rng) { return whitenBackground(scanLook(m, rng)); }, pages);
         cv::imwrite(p.string(), pages[0]);
         return drawn;
       }},
      {"appointment-scan-skewed.jpg", Template::Appointment, 404, 1, 1,
       "legacy upper-case biometrics notice at 300 dpi, scan look, rotated 6 degrees, JPEG quality 85",
       "deskew; upper-case labels",
       [](const Document& d, const fs::path& p) {
         std::vector<cv::Mat> pages;
         auto drawn = scanPages(d, 300, [](cv::Mat m, Rng& rng) { return skew(scanLook(m, rng), 6.0, rng); }, pages);
         writeBytes(p, encodeJpeg(pages[0], 85));
         return drawn;
       }},
      {"rfe-scan-sideways.tif", Template::Rfe, 505, 2, 1,
       "request for evidence at 300 dpi, scan look, black-and-white scan mode, both pages turned 90 degrees "
       "clockwise plus 2 degrees, two-page TIFF",
       "90-degree orientation; multi-page TIFF",
       [](const Document& d, const fs::path& p) {
         std::vector<cv::Mat> pages;
         auto drawn = scanPages(d, 300, [](cv::Mat m, Rng& rng) {
           return binarise(quarterTurn(skew(scanLook(m, rng), -2.0, rng), 90));
         }, pages);
         cv::imwrite(p.string(), pages, {cv::IMWRITE_TIFF_COMPRESSION, 8 /* deflate */});
         return drawn;
       }},
      {"letter-upside-down.jpg", Template::Letter, 606, 1, 1,
       "plain letter with the receipt number only in the prose, 300 dpi, scan look, turned 180 degrees, JPEG quality 80",
       "upside-down page; receipt in prose",
       [](const Document& d, const fs::path& p) {
         std::vector<cv::Mat> pages;
         auto drawn = scanPages(d, 300, [](cv::Mat m, Rng& rng) { return quarterTurn(scanLook(m, rng), 180); }, pages);
         writeBytes(p, encodeJpeg(pages[0], 80));
         return drawn;
       }},
      {"receipt-exif-rotated.jpg", Template::Receipt, 707, 1, 1,
       "rendered at 200 dpi, scan look, pixels stored turned 90 degrees counter-clockwise with EXIF orientation 6",
       "EXIF orientation honoured",
       [](const Document& d, const fs::path& p) {
         std::vector<cv::Mat> pages;
         auto drawn = scanPages(d, 200, [](cv::Mat m, Rng& rng) { return quarterTurn(scanLook(m, rng), 270); }, pages);
         writeBytes(p, encodeJpeg(pages[0], 88, 6));
         return drawn;
       }},
      {"photo-perspective-shadow.jpg", Template::Receipt, 909, 1, 1,
       "12 MP phone photo: the page on a table in perspective, creased, with a soft shadow and uneven light, "
       "slight lens softness, JPEG quality 85",
       "page detection, flattening and lighting correction",
       [](const Document& d, const fs::path& p) { return photoSample(d, p, PhotoFormat::Jpeg); }},
      {"photo-exif-sideways.jpg", Template::Approval, 1010, 1, 1,
       "phone photo of an approval notice stored sideways with EXIF orientation 6, JPEG quality 85",
       "EXIF orientation of a photo; flattening on security paper",
       [](const Document& d, const fs::path& p) { return photoSample(d, p, PhotoFormat::JpegSideways); }},
      {"photo-iphone.heic", Template::Receipt, 1111, 1, 1, "phone photo saved as HEIC (HEVC, quality 50)",
       "HEIC decoding through libheif",
       [](const Document& d, const fs::path& p) { return photoSample(d, p, PhotoFormat::Heic); }},
      {"access-notice-scan.png", Template::AccessNotice, 1212, 1, 1,
       "Account Access Notice with the receipt number and an online access code, 300 dpi, scan look, PNG",
       "the access code (a secret) is left out by default and reported only when asked for; never "
       "taken for an account number",
       [](const Document& d, const fs::path& p) {
         std::vector<cv::Mat> pages;
         auto drawn = scanPages(d, 300, [](cv::Mat m, Rng& rng) { return scanLook(m, rng); }, pages);
         cv::imwrite(p.string(), pages[0]);
         return drawn;
       }},
      {"negative-letter.pdf", Template::Negative, 808, 1, 1,
       "born-digital letter with phone numbers, ZIP+4, P.O. box, fees and form editions but no identifier",
       "distractors only: nothing must be reported",
       [](const Document& d, const fs::path& p) { return writePdf(d, p); }},
  };

  std::ofstream readme(dir / "README.md");
  readme << "# Sample notices\n\n"
            "Synthetic notices made by `build/noticescan-samplegen samples samples` "
            "(tools/samplegen/main.cpp). Every name and number on them is random: none is a real "
            "person's. Do not edit these files by hand: change the generator and run it again. Each "
            "`NAME.expected.json` lists the identifiers drawn on `NAME` (recorded by the renderer as it "
            "draws them); `tests/SamplesTest.cpp` checks that the scanner finds exactly those. An "
            "`online_access_code` there is a secret printed on the page that a scan reports only when "
            "asked for.\n\n"
            "| file | template | how it was made | what it tests |\n|---|---|---|---|\n";
  for (const Sample& sample : samples) {
    Rng rng(sample.seed);
    Document doc{randomSpec(rng, sample.layout), sample.pages, sample.noticePage, sample.seed};
    const std::vector<Drawn> drawn = sample.write(doc, dir / sample.file);
    nlohmann::ordered_json fields = nlohmann::ordered_json::array();
    for (const auto& f : truthFields(drawn, doc.noticePage)) fields.push_back({{"type", f["type"]}, {"value", f["value"]}});
    const bool headed = sample.layout != Template::Negative && sample.layout != Template::Letter &&
                        sample.layout != Template::AccessNotice;
    nlohmann::ordered_json expected = {
        {"file", sample.file},
        {"template", templateName(sample.layout)},
        {"notice_type", headed ? nlohmann::ordered_json(doc.spec.noticeType) : nlohmann::ordered_json(nullptr)},
        {"form_type", headed ? nlohmann::ordered_json(doc.spec.formType) : nlohmann::ordered_json(nullptr)},
        {"fields", fields}};
    // Not among `fields`: a scan reports it only when asked for (--include-access-code).
    if (!doc.spec.accessCode.empty()) expected["online_access_code"] = doc.spec.accessCode;
    std::ofstream(dir / (sample.file + ".expected.json")) << expected.dump(2) << "\n";
    readme << "| " << sample.file << " | " << templateName(sample.layout) << " | " << sample.how << " | "
           << sample.tests << " |\n";
    std::cout << sample.file << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 2 && args[0] == "samples") return writeSamples(args[1]);
  if (args.size() >= 2 && args.size() % 2 == 0 && args[0] == "corpus") {
    CorpusOptions options;
    options.dir = args[1];
    for (std::size_t i = 2; i + 1 < args.size(); i += 2) {
      if (args[i] == "--seed") {
        options.seed = std::stoull(args[i + 1]);
      } else if (args[i] == "--count") {
        options.count = std::stoi(args[i + 1]);
      } else if (args[i] == "--only") {
        options.only = args[i + 1];
      } else {
        std::cerr << "unknown option " << args[i] << "\n";
        return 1;
      }
    }
    return writeCorpus(options);
  }
  std::cerr << "usage: noticescan-samplegen samples DIR\n"
               "       noticescan-samplegen corpus DIR [--seed N] [--count N] [--only CATEGORY]\n";
  return 1;
}
