// noticescan-samplegen: renders synthetic USCIS-style notices (never real data) as born-digital
// PDFs, scanned PDFs and images, each with a sidecar of the identifiers printed on it.
//
//   noticescan-samplegen samples DIR    the fixed sample set of samples/ (with README.md)
#include <cairo-pdf.h>
#include <cairo.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "Degrade.h"
#include "NoticeRenderer.h"
#include "NoticeSpec.h"

namespace fs = std::filesystem;
using namespace samplegen;

namespace {

/// A document: the notice and how many pages it has (later pages are continuations).
struct Document {
  NoticeSpec spec;
  int pages = 1;
  int noticePage = 1;  ///< which page carries the notice (the others are continuation pages)
  std::uint64_t seed = 0;
};

void drawPage(cairo_t* cr, const Document& doc, int page) {
  Rng rng(doc.seed * 31 + static_cast<std::uint64_t>(page));
  if (page == doc.noticePage) {
    renderNotice(cr, doc.spec, rng, doc.pages);
  } else {
    renderContinuation(cr, doc.spec, rng, page, doc.pages);
  }
}

void writePdf(const Document& doc, const fs::path& path) {
  cairo_surface_t* surface = cairo_pdf_surface_create(path.c_str(), kPageWidth, kPageHeight);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "noticescan-samplegen (synthetic)");
  cairo_t* cr = cairo_create(surface);
  for (int p = 1; p <= doc.pages; ++p) {
    drawPage(cr, doc, p);
    cairo_show_page(cr);
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  cairo_surface_destroy(surface);
}

cv::Mat renderRaster(const Document& doc, int page, double dpi) {
  const int w = static_cast<int>(std::lround(kPageWidth * dpi / 72));
  const int h = static_cast<int>(std::lround(kPageHeight * dpi / 72));
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  cairo_t* cr = cairo_create(surface);
  cairo_scale(cr, dpi / 72, dpi / 72);
  drawPage(cr, doc, page);
  cairo_destroy(cr);
  cairo_surface_flush(surface);
  const cv::Mat bgra(h, w, CV_8UC4, cairo_image_surface_get_data(surface),
                     static_cast<std::size_t>(cairo_image_surface_get_stride(surface)));
  cv::Mat gray;
  cv::cvtColor(bgra, gray, cv::COLOR_BGRA2GRAY);
  cairo_surface_destroy(surface);
  return gray;
}

/// An image-only PDF, as a scanner makes it: each page one JPEG filling the page.
void writeScannedPdf(const std::vector<cv::Mat>& pages, const fs::path& path, int quality) {
  cairo_surface_t* pdf = cairo_pdf_surface_create(path.c_str(), kPageWidth, kPageHeight);
  cairo_t* cr = cairo_create(pdf);
  for (const cv::Mat& page : pages) {
    cv::Mat bgra;
    cv::cvtColor(page, bgra, cv::COLOR_GRAY2BGRA);
    cairo_surface_t* image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, bgra.cols, bgra.rows);
    cairo_surface_flush(image);
    const int stride = cairo_image_surface_get_stride(image);
    for (int y = 0; y < bgra.rows; ++y) {
      std::memcpy(cairo_image_surface_get_data(image) + static_cast<std::ptrdiff_t>(y) * stride, bgra.ptr(y),
                  static_cast<std::size_t>(bgra.cols) * 4);
    }
    cairo_surface_mark_dirty(image);
    // Hand cairo the JPEG bytes so the PDF embeds them as they are (DCTDecode), like a scanner.
    auto* jpeg = new std::vector<unsigned char>(encodeJpeg(page, quality));
    cairo_surface_set_mime_data(image, CAIRO_MIME_TYPE_JPEG, jpeg->data(), jpeg->size(),
                                [](void* p) { delete static_cast<std::vector<unsigned char>*>(p); }, jpeg);
    cairo_save(cr);
    cairo_scale(cr, kPageWidth / bgra.cols, kPageHeight / bgra.rows);
    cairo_set_source_surface(cr, image, 0, 0);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_show_page(cr);
    cairo_surface_destroy(image);
  }
  cairo_destroy(cr);
  cairo_surface_finish(pdf);
  cairo_surface_destroy(pdf);
}

void writeBytes(const fs::path& path, const std::vector<unsigned char>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

/// The truth: every identifier printed on the document, normalised.
nlohmann::ordered_json truth(const Document& doc) {
  nlohmann::ordered_json fields = nlohmann::ordered_json::array();
  const NoticeSpec& s = doc.spec;
  if (s.receipt) fields.push_back({{"type", "receipt_number"}, {"value", *s.receipt}});
  std::set<std::string> seen;
  for (const ANumber& a : s.aNumbers) {
    if (seen.insert(a.value).second) fields.push_back({{"type", "a_number"}, {"value", a.value}});
  }
  if (s.account) fields.push_back({{"type", "online_account_number"}, {"value", *s.account}});
  return fields;
}

struct Sample {
  std::string file;
  Template layout;
  std::uint64_t seed;
  int pages;
  int noticePage;
  std::string how;
  std::string tests;
  std::function<void(const Document&, const fs::path&)> write;
};

int writeSamples(const fs::path& dir) {
  fs::create_directories(dir);
  const std::vector<Sample> samples = {
      {"receipt-digital.pdf", Template::Receipt, 101, 2, 1,
       "born-digital PDF drawn with cairo (text layer with real fonts), notice on page 1 of 2",
       "text-layer path, no OCR; multi-page PDF",
       [](const Document& d, const fs::path& p) { writePdf(d, p); }},
      {"approval-scanned.pdf", Template::Approval, 202, 2, 2,
       "rendered at 300 dpi on patterned security paper, scan look, one JPEG per page in a PDF; notice on page 2",
       "image-only PDF rendered and OCRed; identifiers reported with their page number",
       [](const Document& d, const fs::path& p) {
         Rng rng(d.seed);
         std::vector<cv::Mat> pages;
         for (int i = 1; i <= d.pages; ++i) pages.push_back(scanLook(renderRaster(d, i, 300), rng));
         writeScannedPdf(pages, p, 85);
       }},
      {"receipt-scan-clean.png", Template::Receipt, 303, 1, 1,
       "rendered at 300 dpi, scan look with the scanner's background cleanup (white paper), PNG",
       "plain OCR path",
       [](const Document& d, const fs::path& p) {
         Rng rng(d.seed);
         cv::imwrite(p.string(), whitenBackground(scanLook(renderRaster(d, 1, 300), rng)));
       }},
      {"appointment-scan-skewed.jpg", Template::Appointment, 404, 1, 1,
       "legacy upper-case biometrics notice at 300 dpi, scan look, rotated 6 degrees, JPEG quality 85",
       "deskew; upper-case labels",
       [](const Document& d, const fs::path& p) {
         Rng rng(d.seed);
         writeBytes(p, encodeJpeg(skew(scanLook(renderRaster(d, 1, 300), rng), 6.0, rng), 85));
       }},
      {"rfe-scan-sideways.tif", Template::Rfe, 505, 2, 1,
       "request for evidence at 300 dpi, scan look, black-and-white scan mode, both pages turned 90 degrees "
       "clockwise plus 2 degrees, two-page TIFF",
       "90-degree orientation; multi-page TIFF",
       [](const Document& d, const fs::path& p) {
         Rng rng(d.seed);
         std::vector<cv::Mat> pages;
         for (int i = 1; i <= d.pages; ++i) {
           pages.push_back(binarise(quarterTurn(skew(scanLook(renderRaster(d, i, 300), rng), -2.0, rng), 90)));
         }
         cv::imwrite(p.string(), pages, {cv::IMWRITE_TIFF_COMPRESSION, 8 /* deflate */});
       }},
      {"letter-upside-down.jpg", Template::Letter, 606, 1, 1,
       "plain letter with the receipt number only in the prose, 300 dpi, scan look, turned 180 degrees, JPEG quality 80",
       "upside-down page; receipt in prose",
       [](const Document& d, const fs::path& p) {
         Rng rng(d.seed);
         writeBytes(p, encodeJpeg(quarterTurn(scanLook(renderRaster(d, 1, 300), rng), 180), 80));
       }},
      {"receipt-exif-rotated.jpg", Template::Receipt, 707, 1, 1,
       "rendered at 200 dpi, scan look, pixels stored turned 90 degrees counter-clockwise with EXIF orientation 6",
       "EXIF orientation honoured",
       [](const Document& d, const fs::path& p) {
         Rng rng(d.seed);
         writeBytes(p, encodeJpeg(quarterTurn(scanLook(renderRaster(d, 1, 200), rng), 270), 88, 6));
       }},
      {"negative-letter.pdf", Template::Negative, 808, 1, 1,
       "born-digital letter with phone numbers, ZIP+4, P.O. box, fees and form editions but no identifier",
       "distractors only: nothing must be reported",
       [](const Document& d, const fs::path& p) { writePdf(d, p); }},
  };

  std::ofstream readme(dir / "README.md");
  readme << "# Sample notices\n\n"
            "Synthetic notices made by `build/noticescan-samplegen samples samples` "
            "(tools/samplegen/main.cpp). Every name and number on them is random: none is a real "
            "person's. Do not edit these files by hand: change the generator and run it again. Each "
            "`NAME.expected.json` lists the identifiers printed on `NAME`; `tests/SamplesTest.cpp` checks "
            "that the scanner finds exactly those.\n\n"
            "| file | template | how it was made | what it tests |\n|---|---|---|---|\n";
  for (const Sample& sample : samples) {
    Rng rng(sample.seed);
    Document doc{randomSpec(rng, sample.layout), sample.pages, sample.noticePage, sample.seed};
    sample.write(doc, dir / sample.file);
    nlohmann::ordered_json expected = {{"file", sample.file},
                                       {"template", templateName(sample.layout)},
                                       {"notice_type", sample.layout == Template::Negative || sample.layout == Template::Letter ? nullptr : nlohmann::ordered_json(doc.spec.noticeType)},
                                       {"form_type", sample.layout == Template::Negative || sample.layout == Template::Letter ? nullptr : nlohmann::ordered_json(doc.spec.formType)},
                                       {"fields", truth(doc)}};
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
  std::cerr << "usage: noticescan-samplegen samples DIR\n";
  return 1;
}
