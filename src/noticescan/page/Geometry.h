#pragma once
// Plane transforms between page frames. One composed 3x3 matrix maps a processed page back to
// its source (image pixels after EXIF orientation, or PDF points), instead of remapping at every
// stage.

#include <opencv2/core.hpp>

#include "noticescan/Types.h"

namespace noticescan::page {

using Transform = cv::Matx33d;

/// Applies a projective transform to a point.
Point apply(const Transform& t, Point p);
/// Maps the corners of a box (top-left, top-right, bottom-right, bottom-left).
Quad apply(const Transform& t, const Rect& box);
/// Maps each corner of a quad.
Quad apply(const Transform& t, const Quad& quad);

/// A rotation by a multiple of 90 degrees clockwise of an image `width` x `height`, as a map from
/// the original frame to the rotated one.
Transform quarterTurns(int clockwiseDegrees, double width, double height);
/// A rotation by `degrees` counter-clockwise (as seen on screen, y down) about (cx, cy), followed by
/// a shift of (dx, dy).
Transform rotation(double degrees, double cx, double cy, double dx, double dy);

}  // namespace noticescan::page
