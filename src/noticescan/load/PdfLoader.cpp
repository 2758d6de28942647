#include <algorithm>
#include <cctype>
#include <mutex>

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include "noticescan/load/Loader.h"

namespace noticescan::load {
namespace {

void quietPoppler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

std::string toUtf8(const poppler::ustring& text) {
  const poppler::byte_array bytes = text.to_utf8();
  return {bytes.begin(), bytes.end()};
}

class PdfDocument final : public Document {
 public:
  PdfDocument(std::unique_ptr<poppler::document> doc, const ScanOptions& options)
      : doc_(std::move(doc)), options_(options) {}

  std::string kind() const override { return "pdf"; }
  int pageCount() const override { return doc_->pages(); }

  LoadedPage page(int index) override {
    std::unique_ptr<poppler::page> page(doc_->create_page(index));
    if (!page) throw LoadError(ErrorCode::Unreadable, "PDF page " + std::to_string(index + 1) + " is damaged");
    const poppler::rectf size = page->page_rect(poppler::media_box);
    LoadedPage out;
    out.sourceWidth = size.width();
    out.sourceHeight = size.height();

    // Words of the text layer, in points with the origin at the top-left of the page.
    int meaningful = 0;
    for (const poppler::text_box& box : page->text_list()) {
      Word word;
      word.text = toUtf8(box.text());
      const poppler::rectf r = box.bbox();
      word.box = {r.x(), r.y(), r.width(), r.height()};
      word.confidence = 1.0;
      for (const char c : word.text) meaningful += std::isalnum(static_cast<unsigned char>(c)) ? 1 : 0;
      if (!word.text.empty()) out.words.push_back(std::move(word));
    }
    if (meaningful >= options_.minTextLayerChars) {
      out.hasTextLayer = true;
      if (options_.previewLongSide > 0) {
        const double dpi = 72.0 * options_.previewLongSide / std::max({size.width(), size.height(), 1.0});
        render(*page, std::min(dpi, 150.0), index, out);
      }
      return out;
    }
    out.words.clear();
    render(*page, options_.pdfDpi, index, out);
    return out;
  }

 private:
  /// Renders `page` in gray at `dpi` into out.image, after checking the raster would fit the
  /// pixel limit.
  void render(poppler::page& page, double dpi, int index, LoadedPage& out) const {
    const poppler::rectf size = page.page_rect(poppler::media_box);
    const double scale = dpi / 72.0;
    const double pixels = size.width() * scale * size.height() * scale;
    if (pixels > static_cast<double>(options_.maxPixelsPerPage)) {
      throw LoadError(ErrorCode::TooLarge, "PDF page " + std::to_string(index + 1) +
                                               " is too large to render at " +
                                               std::to_string(static_cast<int>(dpi)) + " dpi");
    }
    poppler::page_renderer renderer;
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    renderer.set_image_format(poppler::image::format_gray8);
    poppler::image image = renderer.render_page(&page, dpi, dpi);
    if (!image.is_valid()) {
      throw LoadError(ErrorCode::Unreadable, "PDF page " + std::to_string(index + 1) + " cannot be rendered");
    }
    const cv::Mat view(image.height(), image.width(), CV_8UC1, image.data(),
                       static_cast<std::size_t>(image.bytes_per_row()));
    out.image = view.clone();
    out.toSource = cv::Matx33d(1 / scale, 0, 0, 0, 1 / scale, 0, 0, 0, 1);
  }

  std::unique_ptr<poppler::document> doc_;
  ScanOptions options_;
};

}  // namespace

std::unique_ptr<Document> openPdf(std::string_view bytes, const ScanOptions& options) {
  quietPoppler();
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) {
    // poppler refuses to open a file that needs a user password; tell that apart from damage.
    if (std::string_view(bytes).find("/Encrypt") != std::string_view::npos) {
      throw LoadError(ErrorCode::EncryptedPdf,
                      "the PDF is password-protected: decrypt it first, e.g. qpdf --decrypt "
                      "--password=PASSWORD in.pdf out.pdf");
    }
    throw LoadError(ErrorCode::Unreadable, "the PDF is damaged and cannot be opened");
  }
  if (doc->is_locked()) {
    throw LoadError(ErrorCode::EncryptedPdf,
                    "the PDF is password-protected: decrypt it first, e.g. qpdf --decrypt "
                    "--password=PASSWORD in.pdf out.pdf");
  }
  if (doc->pages() <= 0) throw LoadError(ErrorCode::Unreadable, "the PDF has no pages");
  if (doc->pages() > options.maxPages) {
    throw LoadError(ErrorCode::TooLarge, "the PDF has " + std::to_string(doc->pages()) + " pages, more than the limit of " +
                                             std::to_string(options.maxPages) + ": split it");
  }
  return std::make_unique<PdfDocument>(std::move(doc), options);
}

}  // namespace noticescan::load
