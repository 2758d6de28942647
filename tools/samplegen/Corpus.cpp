#include "Corpus.h"

#include <cmath>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "Degrade.h"
#include "Heif.h"
#include "Output.h"
#include "Photo.h"

namespace samplegen {
namespace {

namespace fs = std::filesystem;

Template pickTemplate(Rng& rng) {
  const double r = rng.real(0, 1);
  if (r < 0.28) return Template::Receipt;
  if (r < 0.46) return Template::Approval;
  if (r < 0.60) return Template::Appointment;
  if (r < 0.74) return Template::Rfe;
  if (r < 0.87) return Template::Letter;
  return Template::Negative;
}

/// Salt-and-pepper specks of a fax line.
cv::Mat speckle(cv::Mat page, Rng& rng, double density) {
  const int count = static_cast<int>(static_cast<double>(page.total()) * density);
  for (int i = 0; i < count; ++i) {
    page.at<std::uint8_t>(rng.uniform(0, page.rows - 1), rng.uniform(0, page.cols - 1)) = rng.chance(0.7) ? 0 : 255;
  }
  return page;
}

}  // namespace

int cornersInside(const Drawn& d, double dpi, const cv::Matx33d& pageToImage, cv::Size frame) {
  const double s = dpi / 72.0;
  int inside = 0;
  for (const auto& [x, y] : {std::pair{d.x, d.y}, {d.x + d.width, d.y}, {d.x, d.y + d.height}, {d.x + d.width, d.y + d.height}}) {
    const cv::Vec3d p = pageToImage * cv::Vec3d(x * s, y * s, 1);
    const double u = p[0] / p[2], v = p[1] / p[2];
    inside += u >= 2 && v >= 2 && u <= frame.width - 3 && v <= frame.height - 3;
  }
  return inside;
}

namespace {

struct Written {
  std::string format;
  nlohmann::ordered_json pageCorners;  ///< photos: the sheet's corners in the (upright) photo's pixels
  bool pageInFrame = false;
  nlohmann::ordered_json blur;  ///< photos: the blur drawn, to measure by kind
  std::vector<Drawn> drawn;
  std::vector<Drawn> partial;  ///< cut by the frame's edge: neither required nor an error if found
};

Written writeDocument(const std::string& category, const Document& doc, Rng& rng, const fs::path& base) {
  Written w;
  auto scans = [&](double dpi, const std::function<cv::Mat(cv::Mat)>& look) {
    std::vector<cv::Mat> pages;
    for (int i = 1; i <= doc.pages; ++i) pages.push_back(look(renderRaster(doc, i, dpi, false, &w.drawn)));
    return pages;
  };
  auto jpeg = [&](const cv::Mat& image, int quality, int exif = 0) {
    w.format = "jpeg";
    writeBytes(base.string() + ".jpg", encodeJpeg(image, quality, exif));
  };
  // Scanners save either: PNG `pngShare` of the time, else JPEG of `quality`.
  auto pngOrJpeg = [&](const cv::Mat& image, double pngShare, int quality) {
    if (rng.chance(pngShare)) {
      w.format = "png";
      cv::imwrite(base.string() + ".png", image);
    } else {
      jpeg(image, quality);
    }
  };

  if (category == "pdf_digital") {
    w.format = "pdf";
    w.drawn = writePdf(doc, base.string() + ".pdf");
  } else if (category == "pdf_scanned") {
    const double dpi = rng.pick(std::vector<double>{200, 300, 300});
    auto pages = scans(dpi, [&](cv::Mat m) { return skew(scanLook(m, rng), rng.real(-1.5, 1.5), rng); });
    w.format = "pdf";
    writeScannedPdf(pages, base.string() + ".pdf", rng.uniform(70, 90));
  } else if (category == "scan_clean") {
    auto pages = scans(300, [&](cv::Mat m) {
      cv::Mat s = scanLook(m, rng, 0.6);
      return rng.chance(0.5) ? whitenBackground(s) : s;
    });
    pngOrJpeg(pages[0], 0.6, 92);
  } else if (category == "scan_skewed") {
    const double angle = rng.real(1, 15) * (rng.chance(0.5) ? 1 : -1);
    auto pages = scans(300, [&](cv::Mat m) { return skew(scanLook(m, rng), angle, rng); });
    jpeg(pages[0], rng.uniform(75, 92));
  } else if (category == "scan_rotated") {
    const int turn = rng.pick(std::vector<int>{90, 180, 270});
    auto pages = scans(300, [&](cv::Mat m) { return quarterTurn(skew(scanLook(m, rng), rng.real(-3, 3), rng), turn); });
    pngOrJpeg(pages[0], 0.5, 88);
  } else if (category == "scan_lowres") {
    auto pages = scans(rng.real(120, 150), [&](cv::Mat m) { return scanLook(m, rng); });
    jpeg(pages[0], rng.uniform(60, 85));
  } else if (category == "fax") {
    // Fax: 204 dpi across, 98 ("standard") or 196 ("fine") lines per inch down, black and white,
    // specks from the line; a multi-page TIFF that says its resolution.
    const int yres = rng.chance(0.5) ? 98 : 196;
    auto pages = scans(204, [&](cv::Mat m) {
      cv::Mat s = scanLook(m, rng, 0.7);
      cv::resize(s, s, cv::Size(s.cols, static_cast<int>(s.rows * yres / 204.0)), 0, 0, cv::INTER_AREA);
      return speckle(binarise(skew(s, rng.real(-1.0, 1.0), rng), rng.uniform(135, 170)), rng, 0.0015);
    });
    w.format = "tiff";
    cv::imwrite(base.string() + ".tif", pages,
                {cv::IMWRITE_TIFF_COMPRESSION, 8, cv::IMWRITE_TIFF_RESUNIT, 2, cv::IMWRITE_TIFF_XDPI, 204,
                 cv::IMWRITE_TIFF_YDPI, yres});
  } else if (category == "phone_photo") {
    const double dpi = 250;
    std::vector<Drawn> all;
    const cv::Mat page = renderRaster(doc, doc.noticePage, dpi, true, &all);
    PhotoOptions photoOptions;
    photoOptions.topHalfOnly = rng.chance(0.3);
    const Photo photo = phonePhoto(page, rng, photoOptions);
    w.pageCorners = nlohmann::ordered_json::array();
    w.pageInFrame = true;
    for (const auto& [x, y] : {std::pair{0, 0}, {page.cols, 0}, {page.cols, page.rows}, {0, page.rows}}) {
      const cv::Vec3d p = photo.pageToImage * cv::Vec3d(x, y, 1);
      const double u = p[0] / p[2], v = p[1] / p[2];
      w.pageCorners.push_back({std::round(u * 10) / 10, std::round(v * 10) / 10});
      w.pageInFrame = w.pageInFrame && u >= 0 && v >= 0 && u < photo.image.cols && v < photo.image.rows;
    }
    w.blur = {{"kind", photo.blurKind}};
    if (photo.blurKind == "shake") {
      // The shake as seen on the page (at 250 dpi), measured at the page's centre.
      const cv::Matx33d imageToPage = photo.pageToImage.inv();
      const cv::Vec3d c = photo.pageToImage * cv::Vec3d(page.cols / 2.0, page.rows / 2.0, 1);
      const double a = photo.shakeAngleDeg * CV_PI / 180, half = photo.shakeLength / 2;
      const cv::Vec3d p0 = imageToPage * cv::Vec3d(c[0] / c[2] - half * std::cos(a), c[1] / c[2] - half * std::sin(a), 1);
      const cv::Vec3d p1 = imageToPage * cv::Vec3d(c[0] / c[2] + half * std::cos(a), c[1] / c[2] + half * std::sin(a), 1);
      const double dx = p1[0] / p1[2] - p0[0] / p0[2], dy = p1[1] / p1[2] - p0[1] / p0[2];
      double onPage = std::atan2(dy, dx) * 180 / CV_PI;
      if (onPage < 0) onPage += 180;
      w.blur["length"] = photo.shakeLength;
      w.blur["angle"] = std::round(photo.shakeAngleDeg * 10) / 10;
      w.blur["page_length"] = std::round(std::hypot(dx, dy) * 10) / 10;
      w.blur["page_angle"] = std::round(onPage * 10) / 10;
    } else {
      w.blur["sigma"] = std::round(photo.blurSigma * 100) / 100;
    }
    for (const Drawn& d : all) {
      const int inside = cornersInside(d, dpi, photo.pageToImage, photo.image.size());
      if (inside == 4) w.drawn.push_back(d);
      if (inside > 0 && inside < 4) w.partial.push_back(d);
    }
    const double kind = rng.real(0, 1);
    if (kind < 0.55) {
      jpeg(photo.image, rng.uniform(60, 90));
    } else if (kind < 0.75) {
      // The camera stores the pixels as the sensor saw them and says how to turn them upright.
      const int tag = rng.pick(std::vector<int>{6, 8, 3});
      const int stored = tag == 6 ? 270 : tag == 8 ? 90 : 180;
      jpeg(quarterTurn(photo.image, stored), rng.uniform(60, 90), tag);
    } else if (kind < 0.88) {
      w.format = "webp";
      cv::imwrite(base.string() + ".webp", photo.image, {cv::IMWRITE_WEBP_QUALITY, rng.uniform(70, 90)});
    } else {
      std::string error;
      w.format = "heic";
      if (!writeHeic(photo.image, base.string() + ".heic", rng.uniform(50, 80), error)) {
        std::cerr << "HEIC encoding failed (" << error << "): writing JPEG instead\n";
        jpeg(photo.image, 85);
      }
    }
  } else if (category == "screenshot") {
    const double dpi = rng.real(100, 130);
    const cv::Mat page = renderRaster(doc, doc.noticePage, dpi, true, &w.drawn);
    cv::Matx33d unused;
    w.format = "png";
    cv::imwrite(base.string() + ".png", viewerScreenshot(page, rng, unused));
  }
  return w;
}

}  // namespace

int writeCorpus(const CorpusOptions& options) {
  fs::create_directories(options.dir);
  std::ofstream truth(options.dir / "truth.jsonl");
  const int categories = static_cast<int>(std::size(kCategories));
  for (int i = 0; i < options.count; ++i) {
    const std::string category = kCategories[i % categories];
    const std::string split = (i / categories) % 2 == 0 ? "train" : "test";
    if (!options.only.empty() && category != options.only) continue;
    const std::uint64_t seed = options.seed * 1'000'003ull + static_cast<std::uint64_t>(i) * 7919ull;
    Rng rng(seed);
    Document doc;
    doc.seed = seed;
    doc.spec = randomSpec(rng, pickTemplate(rng));
    const bool multiPage = category == "pdf_digital" || category == "pdf_scanned" || category == "fax";
    if (multiPage) {
      const double r = rng.real(0, 1);
      doc.pages = r < 0.6 ? 1 : r < 0.9 ? 2 : 3;
      doc.noticePage = rng.chance(0.7) ? 1 : rng.uniform(1, doc.pages);
    }
    char stem[64];
    std::snprintf(stem, sizeof stem, "%04d-%s", i, category.c_str());
    const Written written = writeDocument(category, doc, rng, options.dir / stem);
    const std::string ext = written.format == "jpeg" ? "jpg" : written.format == "tiff" ? "tif" : written.format;
    nlohmann::ordered_json line = {{"file", std::string(stem) + "." + ext},
                                   {"split", split},
                                   {"category", category},
                                   {"template", templateName(doc.spec.layout)},
                                   {"format", written.format},
                                   {"pages", doc.pages},
                                   {"notice_page", doc.noticePage},
                                   {"fields", truthFields(written.drawn, doc.noticePage)},
                                   {"partial_fields", truthFields(written.partial, doc.noticePage)}};
    if (!written.pageCorners.is_null()) {
      line["page_corners"] = written.pageCorners;
      line["page_in_frame"] = written.pageInFrame;
    }
    if (!written.blur.is_null()) line["blur"] = written.blur;
    truth << line.dump() << "\n";
    std::cerr << "\r" << i + 1 << "/" << options.count << std::flush;
  }
  std::cerr << "\n";
  return 0;
}

}  // namespace samplegen
