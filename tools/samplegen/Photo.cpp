#include "Photo.h"

#include <cmath>

#include <opencv2/imgproc.hpp>

namespace samplegen {
namespace {

/// Smooth random field in [0, 1]: noise drawn at `cells` resolution and scaled up.
cv::Mat smoothNoise(cv::Size size, int cellsX, int cellsY, Rng& rng) {
  cv::Mat small(cellsY, cellsX, CV_32F);
  for (int y = 0; y < cellsY; ++y) {
    for (int x = 0; x < cellsX; ++x) small.at<float>(y, x) = static_cast<float>(rng.real(0, 1));
  }
  cv::Mat big;
  cv::resize(small, big, size, 0, 0, cv::INTER_CUBIC);
  return big;
}

cv::Mat background(cv::Size size, Rng& rng, bool paleTable) {
  cv::Mat out(size, CV_32FC3);
  int kind = rng.uniform(0, 3);
  if (!paleTable && kind == 2) kind = 0;
  cv::Vec3f base;
  switch (kind) {
    case 0: base = {40, 80, 130}; break;     // wood, BGR
    case 1: base = {120, 100, 90}; break;    // blue-grey cloth
    case 2: base = {200, 205, 210}; break;   // white table: low contrast with the paper
    default: base = {70, 70, 75}; break;     // dark desk
  }
  const cv::Mat coarse = smoothNoise(size, 6, 8, rng);
  const cv::Mat fine = smoothNoise(size, size.width / 6, size.height / 6, rng);
  const double grainFreq = rng.real(0.02, 0.06), grainPhase = rng.real(0, 6.28);
  for (int y = 0; y < size.height; ++y) {
    auto* row = out.ptr<cv::Vec3f>(y);
    for (int x = 0; x < size.width; ++x) {
      double v = 0.8 + 0.3 * coarse.at<float>(y, x) + 0.15 * (fine.at<float>(y, x) - 0.5);
      if (kind == 0) v += 0.12 * std::sin(x * grainFreq + 6 * coarse.at<float>(y, x) + grainPhase);
      row[x] = base * static_cast<float>(v);
    }
  }
  return out;
}

/// Where the page's corners land in the photo: scaled into the frame, turned, tilted away.
std::vector<cv::Point2f> pageQuad(cv::Size page, cv::Size frame, Rng& rng, bool topHalfOnly) {
  const double aspect = static_cast<double>(page.width) / page.height;
  double h = topHalfOnly ? frame.height * rng.real(1.5, 1.9) : frame.height * rng.real(0.62, 0.88);
  double w = h * aspect;
  if (!topHalfOnly && w > frame.width * 0.92) {
    w = frame.width * 0.92;
    h = w / aspect;
  }
  const double cx = frame.width / 2.0 + rng.real(-0.06, 0.06) * frame.width;
  const double cy = topHalfOnly ? frame.height * rng.real(0.05, 0.12) + h / 2 : frame.height / 2.0 + rng.real(-0.05, 0.05) * frame.height;
  std::vector<cv::Point2f> q = {{static_cast<float>(-w / 2), static_cast<float>(-h / 2)},
                                {static_cast<float>(w / 2), static_cast<float>(-h / 2)},
                                {static_cast<float>(w / 2), static_cast<float>(h / 2)},
                                {static_cast<float>(-w / 2), static_cast<float>(h / 2)}};
  // Perspective: the far edge looks shorter. Tilts up to about 35 degrees.
  const double tilt = rng.real(0.0, 0.30);
  const int far = rng.uniform(0, 3);  // 0 top, 1 right, 2 bottom, 3 left
  const int a = far, b = (far + 1) % 4;
  // Shrink the far edge towards its midpoint and pull it a little towards the opposite edge.
  const cv::Point2f mid = (q[static_cast<std::size_t>(a)] + q[static_cast<std::size_t>(b)]) * 0.5f;
  for (const int i : {a, b}) {
    auto& p = q[static_cast<std::size_t>(i)];
    p = mid + (p - mid) * static_cast<float>(1.0 - tilt);
    p = p - mid * static_cast<float>(tilt * 0.35);
  }
  const double angle = rng.real(-12, 12) * CV_PI / 180;
  const double c = std::cos(angle), s = std::sin(angle);
  for (auto& p : q) {
    const double x = p.x * c - p.y * s, y = p.x * s + p.y * c;
    p = {static_cast<float>(x + cx), static_cast<float>(y + cy)};
  }
  return q;
}

/// A letter that was mailed is folded in three: each crease shades one side a little and the
/// paper bends, so lines of text are no longer straight.
cv::Mat foldAndBend(const cv::Mat& page, Rng& rng) {
  cv::Mat mapX(page.size(), CV_32F), mapY(page.size(), CV_32F), shade(page.size(), CV_32F);
  const double folds[] = {page.rows / 3.0, 2 * page.rows / 3.0};
  const double bend = page.rows * rng.real(0.002, 0.008);
  const double phase = rng.real(0, 6.28);
  const double crease[] = {rng.real(-0.08, 0.08), rng.real(-0.08, 0.08)};
  for (int y = 0; y < page.rows; ++y) {
    auto* mx = mapX.ptr<float>(y);
    auto* my = mapY.ptr<float>(y);
    auto* sh = shade.ptr<float>(y);
    for (int x = 0; x < page.cols; ++x) {
      const double u = x / static_cast<double>(page.cols);
      mx[x] = static_cast<float>(x);
      my[x] = static_cast<float>(y + bend * std::sin(CV_PI * u + phase) * std::sin(CV_PI * y / page.rows));
      double light = 1.0;
      for (int f = 0; f < 2; ++f) {
        const double d = (y - folds[f]) / (page.rows * 0.02);
        light += crease[f] * std::tanh(d) - 0.05 * std::exp(-d * d * 20);
      }
      sh[x] = static_cast<float>(light);
    }
  }
  cv::Mat bent;
  cv::remap(page, bent, mapX, mapY, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  cv::Mat shade3;
  cv::merge(std::vector<cv::Mat>{shade, shade, shade}, shade3);
  return bent.mul(shade3);
}

}  // namespace

Photo phonePhoto(const cv::Mat& pageIn, Rng& rng, const PhotoOptions& options) {
  cv::Mat page;
  if (pageIn.channels() == 1) {
    cv::cvtColor(pageIn, page, cv::COLOR_GRAY2BGR);
  } else {
    page = pageIn.clone();
  }
  const std::vector<cv::Size> frames = {{3024, 4032}, {3000, 4000}, {2448, 3264}};
  const cv::Size frame = rng.pick(frames);

  cv::Mat photo = background(frame, rng, options.paleTable);
  const std::vector<cv::Point2f> from = {{0, 0}, {static_cast<float>(page.cols), 0},
                                         {static_cast<float>(page.cols), static_cast<float>(page.rows)},
                                         {0, static_cast<float>(page.rows)}};
  const std::vector<cv::Point2f> to = pageQuad(page.size(), frame, rng, options.topHalfOnly);
  const cv::Mat h = cv::getPerspectiveTransform(from, to);

  cv::Mat pageF;
  page.convertTo(pageF, CV_32FC3);
  if (rng.chance(0.7)) pageF = foldAndBend(pageF, rng);
  // White balance: indoor light is warm, daylight from a window cool.
  const double warmth = rng.real(-0.06, 0.10);
  pageF = pageF.mul(cv::Scalar(1.0 - warmth, 1.0 - warmth / 3, 1.0 + warmth / 3));
  cv::Mat warped, mask;
  cv::warpPerspective(pageF, warped, h, frame, cv::INTER_LINEAR, cv::BORDER_CONSTANT);
  cv::warpPerspective(cv::Mat(page.size(), CV_32F, cv::Scalar(1)), mask, h, frame, cv::INTER_LINEAR,
                      cv::BORDER_CONSTANT);
  cv::Mat mask3;
  cv::merge(std::vector<cv::Mat>{mask, mask, mask}, mask3);
  photo = photo.mul(cv::Scalar::all(1) - mask3) + warped.mul(mask3);

  // Light: a gradient across the frame, vignetting, and the soft shadow of the phone or a hand.
  cv::Mat light(frame, CV_32F);
  const double gx = rng.real(-0.25, 0.25), gy = rng.real(-0.25, 0.25), vignette = rng.real(0.1, 0.35);
  for (int y = 0; y < frame.height; ++y) {
    auto* row = light.ptr<float>(y);
    for (int x = 0; x < frame.width; ++x) {
      const double u = x / static_cast<double>(frame.width) - 0.5, v = y / static_cast<double>(frame.height) - 0.5;
      row[x] = static_cast<float>(0.95 + gx * u + gy * v - vignette * (u * u + v * v));
    }
  }
  cv::Mat shadow(frame, CV_32F, cv::Scalar(0));
  const int side = rng.uniform(0, 3);
  std::vector<cv::Point> blob;
  const int W = frame.width, H = frame.height;
  const int depth = static_cast<int>(rng.real(0.15, 0.45) * (side % 2 == 0 ? H : W));
  switch (side) {
    case 0: blob = {{0, 0}, {W, 0}, {W * 3 / 4, depth}, {W / 5, depth + rng.uniform(0, H / 8)}}; break;
    case 1: blob = {{W, 0}, {W, H}, {W - depth, H * 3 / 4}, {W - depth - rng.uniform(0, W / 8), H / 4}}; break;
    case 2: blob = {{0, H}, {W, H}, {W * 4 / 5, H - depth}, {W / 4, H - depth - rng.uniform(0, H / 8)}}; break;
    default: blob = {{0, 0}, {0, H}, {depth, H * 2 / 3}, {depth + rng.uniform(0, W / 8), H / 5}}; break;
  }
  cv::fillConvexPoly(shadow, blob, cv::Scalar(rng.real(0.2, 0.45)));
  cv::GaussianBlur(shadow, shadow, cv::Size(0, 0), frame.width / 25.0);
  light = light - shadow;
  cv::Mat light3;
  cv::merge(std::vector<cv::Mat>{light, light, light}, light3);
  photo = photo.mul(light3);

  // Optics: defocus or hand shake, then sensor noise.
  Photo out;
  const double blurKind = options.heavyBlur ? rng.real(0, 1) : 1.0;
  if (blurKind < 0.45) {
    out.blurKind = "defocus";
    out.blurSigma = rng.real(1.0, 2.4);
    cv::GaussianBlur(photo, photo, cv::Size(0, 0), out.blurSigma);
  } else if (blurKind < 0.75) {
    const int length = rng.uniform(5, 13);
    cv::Mat kernel(length, length, CV_32F, cv::Scalar(0));
    const double theta = rng.real(0, CV_PI);
    cv::line(kernel, cv::Point(static_cast<int>(length / 2 - std::cos(theta) * length / 2), static_cast<int>(length / 2 - std::sin(theta) * length / 2)),
             cv::Point(static_cast<int>(length / 2 + std::cos(theta) * length / 2), static_cast<int>(length / 2 + std::sin(theta) * length / 2)),
             cv::Scalar(1), 1, cv::LINE_AA);
    kernel /= cv::sum(kernel)[0];
    cv::filter2D(photo, photo, -1, kernel);
    out.blurKind = "shake";
    out.shakeLength = length;
    out.shakeAngleDeg = theta * 180 / CV_PI;
  } else {
    out.blurKind = "slight";
    out.blurSigma = 0.7;
    cv::GaussianBlur(photo, photo, cv::Size(0, 0), out.blurSigma);
  }
  cv::Mat noise(frame, CV_32FC3);
  cv::setRNGSeed(static_cast<int>(rng.next() & 0x7fffffff));
  const double sigma = rng.real(2.5, 7.0);
  cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(sigma));
  photo += noise;

  photo.convertTo(out.image, CV_8UC3);
  out.pageToImage = cv::Matx33d(h);
  return out;
}

cv::Mat viewerScreenshot(const cv::Mat& pageIn, Rng& rng, cv::Matx33d& pageToImage) {
  cv::Mat page;
  if (pageIn.channels() == 1) {
    cv::cvtColor(pageIn, page, cv::COLOR_GRAY2BGR);
  } else {
    page = pageIn;
  }
  const int toolbar = rng.uniform(40, 64), margin = rng.uniform(16, 40);
  const int width = std::max(page.cols + 2 * margin, rng.uniform(1280, 1920));
  cv::Mat canvas(page.rows + toolbar + 2 * margin, width, CV_8UC3, cv::Scalar(89, 86, 82));
  canvas(cv::Rect(0, 0, width, toolbar)).setTo(cv::Scalar(56, 52, 50));
  for (int i = 0; i < 6; ++i) {
    cv::circle(canvas, cv::Point(30 + i * 40, toolbar / 2), 9, cv::Scalar(200, 200, 200), -1, cv::LINE_AA);
  }
  const int x = (width - page.cols) / 2, y = toolbar + margin;
  page.copyTo(canvas(cv::Rect(x, y, page.cols, page.rows)));
  pageToImage = cv::Matx33d(1, 0, x, 0, 1, y, 0, 0, 1);
  return canvas;
}

}  // namespace samplegen
