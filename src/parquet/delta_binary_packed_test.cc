#include "parquet/delta_binary_packed.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>

namespace scout::parquet {
namespace {

template <typename T>
std::vector<int64_t> round_trip(const std::vector<T>& values) {
  std::string out;
  EXPECT_TRUE(encode_delta_binary_packed(values.data(), values.size(), &out));
  std::vector<int64_t> decoded;
  Status st = decode_delta_binary_packed(out, &decoded);
  EXPECT_TRUE(st.ok()) << st.to_string();
  return decoded;
}

TEST(DeltaBinaryPacked, HeaderOfTheSpecExample) {
  // Encodings.md example: 1..5 → block 128, 4 miniblocks, 5 values, first value 1.
  std::vector<int32_t> values = {1, 2, 3, 4, 5};
  std::string out;
  ASSERT_TRUE(encode_delta_binary_packed(values.data(), values.size(), &out));
  ASSERT_GE(out.size(), 5u);
  EXPECT_EQ(static_cast<uint8_t>(out[0]), 0x80);  // 128 as varint: 0x80 0x01
  EXPECT_EQ(static_cast<uint8_t>(out[1]), 0x01);
  EXPECT_EQ(out[2], 4);
  EXPECT_EQ(out[3], 5);
  EXPECT_EQ(out[4], 2);  // zigzag(1)
  EXPECT_EQ(out[5], 2);  // min delta 1, zigzag
  // All deltas equal the minimum: every miniblock width is 0, nothing packed.
  EXPECT_EQ(out.size(), 10u);
  EXPECT_EQ(round_trip(values), std::vector<int64_t>({1, 2, 3, 4, 5}));
}

TEST(DeltaBinaryPacked, RoundTripsSortedRandomAndEmpty) {
  std::mt19937_64 rng(1);
  std::vector<int64_t> sorted, random;
  int64_t v = -1000;
  for (int i = 0; i < 10'001; ++i) {
    v += static_cast<int64_t>(rng() % 17);
    sorted.push_back(v);
    random.push_back(static_cast<int64_t>(rng() % 2'000'000) - 1'000'000);
  }
  EXPECT_EQ(round_trip(sorted), sorted);
  EXPECT_EQ(round_trip(random), random);
  EXPECT_TRUE(round_trip(std::vector<int64_t>{}).empty());
  EXPECT_EQ(round_trip(std::vector<int64_t>{42}), std::vector<int64_t>{42});
}

TEST(DeltaBinaryPacked, RefusesDeltasThatWouldWrap) {
  // INT64 min then max: the delta overflows int64, which readers decode differently.
  std::vector<int64_t> extremes = {std::numeric_limits<int64_t>::min(),
                                   std::numeric_limits<int64_t>::max()};
  std::string out = "keep";
  EXPECT_FALSE(encode_delta_binary_packed(extremes.data(), extremes.size(), &out));
  EXPECT_EQ(out, "keep");
  // INT32 max then min: the minimum delta does not fit an int32, as 32-bit readers need.
  std::vector<int32_t> falling = {std::numeric_limits<int32_t>::max(),
                                  std::numeric_limits<int32_t>::min()};
  EXPECT_FALSE(encode_delta_binary_packed(falling.data(), falling.size(), &out));
  // Rising extremes have a representable minimum delta and round-trip.
  std::vector<int32_t> rising = {std::numeric_limits<int32_t>::min(), 0,
                                 std::numeric_limits<int32_t>::max()};
  EXPECT_EQ(round_trip(rising), std::vector<int64_t>(rising.begin(), rising.end()));
  // Within range, large values are fine.
  std::vector<int64_t> big = {std::numeric_limits<int64_t>::max() - 5,
                              std::numeric_limits<int64_t>::max()};
  EXPECT_EQ(round_trip(big), big);
}

}  // namespace
}  // namespace scout::parquet
