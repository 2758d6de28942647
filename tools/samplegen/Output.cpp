#include "Output.h"

#include <cairo-pdf.h>

#include <cstring>
#include <fstream>
#include <set>

#include <opencv2/imgproc.hpp>

#include "Degrade.h"

namespace samplegen {
namespace {

/// A PDF surface whose metadata does not depend on when it was made: the same seed gives the same
/// bytes (cairo otherwise stamps the current time as the creation date).
cairo_surface_t* createPdf(const std::filesystem::path& path) {
  cairo_surface_t* surface = cairo_pdf_surface_create(path.c_str(), kPageWidth, kPageHeight);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "noticescan-samplegen (synthetic)");
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, "2024-01-01T00:00:00Z");
  return surface;
}

void drawPage(cairo_t* cr, const Document& doc, int page, std::vector<Drawn>* drawn) {
  Rng rng(doc.seed * 31 + static_cast<std::uint64_t>(page));
  if (page == doc.noticePage) {
    renderNotice(cr, doc.spec, rng, doc.pages, drawn);
  } else {
    renderContinuation(cr, doc.spec, rng, page, doc.pages);
  }
}

}  // namespace

std::vector<Drawn> writePdf(const Document& doc, const std::filesystem::path& path) {
  std::vector<Drawn> drawn;
  cairo_surface_t* surface = createPdf(path);
  cairo_t* cr = cairo_create(surface);
  for (int p = 1; p <= doc.pages; ++p) {
    drawPage(cr, doc, p, &drawn);
    cairo_show_page(cr);
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  cairo_surface_destroy(surface);
  return drawn;
}

cv::Mat renderRaster(const Document& doc, int page, double dpi, bool colour, std::vector<Drawn>* drawn) {
  const int w = static_cast<int>(std::lround(kPageWidth * dpi / 72));
  const int h = static_cast<int>(std::lround(kPageHeight * dpi / 72));
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  cairo_t* cr = cairo_create(surface);
  cairo_scale(cr, dpi / 72, dpi / 72);
  drawPage(cr, doc, page, drawn);
  cairo_destroy(cr);
  cairo_surface_flush(surface);
  const cv::Mat bgra(h, w, CV_8UC4, cairo_image_surface_get_data(surface),
                     static_cast<std::size_t>(cairo_image_surface_get_stride(surface)));
  cv::Mat out;
  cv::cvtColor(bgra, out, colour ? cv::COLOR_BGRA2BGR : cv::COLOR_BGRA2GRAY);
  cairo_surface_destroy(surface);
  return out;
}

void writeScannedPdf(const std::vector<cv::Mat>& pages, const std::filesystem::path& path, int quality) {
  cairo_surface_t* pdf = createPdf(path);
  cairo_t* cr = cairo_create(pdf);
  for (const cv::Mat& page : pages) {
    cv::Mat bgra;
    cv::cvtColor(page, bgra, page.channels() == 1 ? cv::COLOR_GRAY2BGRA : cv::COLOR_BGR2BGRA);
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

void writeBytes(const std::filesystem::path& path, const std::vector<unsigned char>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

nlohmann::ordered_json truthFields(const std::vector<Drawn>& drawn, int page) {
  nlohmann::ordered_json fields = nlohmann::ordered_json::array();
  std::set<std::pair<std::string, std::string>> seen;
  for (const Drawn& d : drawn) {
    if (!seen.insert({d.type, d.value}).second) continue;
    fields.push_back({{"type", d.type}, {"value", d.value}, {"page", page},
                      {"box", {std::round(d.x * 10) / 10, std::round(d.y * 10) / 10, std::round(d.width * 10) / 10,
                               std::round(d.height * 10) / 10}}});
  }
  return fields;
}

}  // namespace samplegen
