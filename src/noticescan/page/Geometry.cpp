#include "noticescan/page/Geometry.h"

#include <cmath>

namespace noticescan::page {

Point apply(const Transform& t, Point p) {
  const cv::Vec3d v = t * cv::Vec3d(p.x, p.y, 1.0);
  const double w = std::abs(v[2]) > 1e-12 ? v[2] : 1e-12;
  return {v[0] / w, v[1] / w};
}

Quad apply(const Transform& t, const Rect& box) {
  return {apply(t, Point{box.x, box.y}), apply(t, Point{box.right(), box.y}),
          apply(t, Point{box.right(), box.bottom()}), apply(t, Point{box.x, box.bottom()})};
}

Quad apply(const Transform& t, const Quad& quad) {
  Quad out;
  for (std::size_t i = 0; i < quad.size(); ++i) out[i] = apply(t, quad[i]);
  return out;
}

Transform quarterTurns(int clockwiseDegrees, double width, double height) {
  switch (((clockwiseDegrees % 360) + 360) % 360) {
    case 90: return {0, -1, height, 1, 0, 0, 0, 0, 1};
    case 180: return {-1, 0, width, 0, -1, height, 0, 0, 1};
    case 270: return {0, 1, 0, -1, 0, width, 0, 0, 1};
    default: return Transform::eye();
  }
}

Transform rotation(double degrees, double cx, double cy, double dx, double dy) {
  const double a = degrees * CV_PI / 180.0;
  const double c = std::cos(a);
  const double s = std::sin(a);
  // Counter-clockwise on screen with y pointing down: x' = c x + s y, y' = -s x + c y.
  return {c, s, (1 - c) * cx - s * cy + dx, -s, c, s * cx + (1 - c) * cy + dy, 0, 0, 1};
}

}  // namespace noticescan::page
