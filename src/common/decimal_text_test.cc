#include "common/decimal_text.h"

#include <gtest/gtest.h>

#include <limits>

namespace scout {
namespace {

std::string decimal(__int128 unscaled, int scale) {
  std::string out;
  append_decimal(&out, unscaled, scale);
  return out;
}

TEST(DecimalText, KeepsTheScaleWithALeadingZero) {
  EXPECT_EQ(decimal(5, 2), "0.05");
  EXPECT_EQ(decimal(-100, 2), "-1.00");
  EXPECT_EQ(decimal(42, 0), "42");
  EXPECT_EQ(decimal(0, 3), "0.000");
  EXPECT_EQ(decimal(-1, 4), "-0.0001");
}

TEST(DecimalText, ReachesTheEndsOf128Bits) {
  const __int128 min = std::numeric_limits<__int128>::min();
  EXPECT_EQ(decimal(min, 0), "-170141183460469231731687303715884105728");
  EXPECT_EQ(decimal(std::numeric_limits<__int128>::max(), 38),
            "1.70141183460469231731687303715884105727");
  EXPECT_EQ(decimal(1, 38), "0.00000000000000000000000000000000000001");
}

TEST(DecimalText, ShowsAScaleOutsideTheFormatsRangeAsAnExponent) {
  EXPECT_EQ(decimal(42, 39), "42e-39");
  EXPECT_EQ(decimal(-7, -2), "-7e2");
}

}  // namespace
}  // namespace scout
