#include <gtest/gtest.h>

#include "noticescan/page/Geometry.h"

using namespace noticescan;
using namespace noticescan::page;

TEST(GeometryTest, QuarterTurnsMoveCornersWhereImageRotationPutsThem) {
  // A 200 x 100 image turned 90 degrees clockwise is 100 x 200; its top-left corner goes to the
  // top-right.
  const Transform t = quarterTurns(90, 200, 100);
  const Point p = apply(t, Point{0, 0});
  EXPECT_NEAR(p.x, 100, 1e-9);
  EXPECT_NEAR(p.y, 0, 1e-9);
  const Point q = apply(quarterTurns(270, 200, 100), Point{0, 0});
  EXPECT_NEAR(q.x, 0, 1e-9);
  EXPECT_NEAR(q.y, 200, 1e-9);
}

TEST(GeometryTest, TransformsComposeAndInvert) {
  const Transform forward = rotation(7.5, 50, 60, 10, -4) * quarterTurns(180, 300, 400);
  const Transform back = forward.inv();
  for (const Point p : {Point{0, 0}, Point{123.5, 77}, Point{300, 400}}) {
    const Point round = apply(back, apply(forward, p));
    EXPECT_NEAR(round.x, p.x, 1e-9);
    EXPECT_NEAR(round.y, p.y, 1e-9);
  }
}

TEST(GeometryTest, RotationIsCounterClockwiseOnScreen) {
  // y points down: a point right of the centre moves up when turned counter-clockwise.
  const Point p = apply(rotation(90, 0, 0, 0, 0), Point{10, 0});
  EXPECT_NEAR(p.x, 0, 1e-9);
  EXPECT_NEAR(p.y, -10, 1e-9);
}

TEST(GeometryTest, MapsRectCornersInOrder) {
  const Quad q = apply(Transform::eye(), Rect{1, 2, 3, 4});
  EXPECT_DOUBLE_EQ(q[0].x, 1);
  EXPECT_DOUBLE_EQ(q[2].x, 4);
  EXPECT_DOUBLE_EQ(q[2].y, 6);
  EXPECT_DOUBLE_EQ(q[3].x, 1);
}
