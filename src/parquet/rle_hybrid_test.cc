#include "parquet/rle_hybrid.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

namespace scout::parquet {
namespace {

std::string encode(const std::vector<uint32_t>& values, int width) {
  std::string out;
  RleBitPackedEncoder encoder(width, &out);
  for (uint32_t v : values) encoder.put(v);
  encoder.flush();
  return out;
}

std::vector<uint32_t> decode(const std::string& data, int width, size_t n) {
  std::vector<uint32_t> out;
  Status st = decode_rle_bit_packed(data, width, n, &out);
  EXPECT_TRUE(st.ok()) << st.to_string();
  return out;
}

TEST(RleHybrid, LongRunBecomesOneRleRun) {
  std::vector<uint32_t> values(1000, 5);
  std::string out = encode(values, 3);
  // Header varint(1000 << 1) = 0xD0 0x0F, then the value in one byte.
  ASSERT_EQ(out, std::string("\xD0\x0F\x05", 3));
  EXPECT_EQ(decode(out, 3, 1000), values);
}

TEST(RleHybrid, ShortMixedValuesAreBitPackedLsbFirst) {
  std::vector<uint32_t> values = {0, 1, 2, 3, 4, 5, 6, 7};
  std::string out = encode(values, 3);
  // One group of 8: header (1 << 1) | 1 = 0x03, then 3 bytes: the spec's example.
  ASSERT_EQ(out, std::string("\x03\x88\xC6\xFA", 4));
  EXPECT_EQ(decode(out, 3, 8), values);
}

TEST(RleHybrid, PartialGroupIsPaddedAndCountIsExternal) {
  std::vector<uint32_t> values = {1, 0, 1};
  std::string out = encode(values, 1);
  ASSERT_EQ(out, std::string("\x03\x05", 2));
  EXPECT_EQ(decode(out, 1, 3), values);
}

TEST(RleHybrid, LiteralRunsLongerThan63GroupsSplit) {
  std::vector<uint32_t> values;
  for (int i = 0; i < 8 * 200; ++i) values.push_back(i % 2);
  std::string out = encode(values, 1);
  EXPECT_EQ(decode(out, 1, values.size()), values);
  // The first run is a literal run whose one-byte header holds at most 63 groups.
  uint8_t header = static_cast<uint8_t>(out[0]);
  EXPECT_EQ(header & 1, 1);
  EXPECT_LE(header >> 1, 63);
  EXPECT_GT(out.size(), 200u);  // 1600 one-bit values: more than one run
}

TEST(RleHybrid, RandomMixesRoundTripAtEveryWidth) {
  std::mt19937 rng(7);
  for (int width = 1; width <= 32; ++width) {
    std::vector<uint32_t> values;
    uint64_t max = width == 32 ? 0xFFFFFFFFull : (1ull << width) - 1;
    while (values.size() < 5000) {
      uint32_t v = static_cast<uint32_t>(rng() % (max + 1));
      size_t run = rng() % 3 == 0 ? rng() % 40 : 1;
      for (size_t k = 0; k < run; ++k) values.push_back(v);
    }
    EXPECT_EQ(decode(encode(values, width), width, values.size()), values) << "width " << width;
  }
}

TEST(RleHybrid, PutAllEncodesExactlyAsPutDoes) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<uint32_t> values;
    size_t n = rng() % 3000;
    while (values.size() < n) {
      uint32_t v = rng() % 6;
      size_t run = rng() % 4 == 0 ? rng() % 30 : 1;
      for (size_t k = 0; k < run; ++k) values.push_back(v);
    }
    std::string one_by_one = encode(values, 3), all_at_once;
    RleBitPackedEncoder encoder(3, &all_at_once);
    encoder.put_all(values.data(), values.size());
    encoder.flush();
    ASSERT_EQ(all_at_once, one_by_one) << "trial " << trial;
  }
}

TEST(DefinitionLevels, CarryFourByteLengthPrefix) {
  std::vector<uint8_t> levels = {1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0};
  std::string out;
  append_levels_v1(levels.data(), levels.size(), 1, &out);
  uint32_t length;
  std::memcpy(&length, out.data(), 4);
  ASSERT_EQ(length, out.size() - 4);
  std::vector<uint32_t> decoded;
  ASSERT_TRUE(decode_rle_bit_packed(std::string_view(out).substr(4), 1, levels.size(), &decoded).ok());
  EXPECT_EQ(decoded, std::vector<uint32_t>(levels.begin(), levels.end()));
}

TEST(DefinitionLevels, AllValidIsOneRun) {
  std::vector<uint8_t> levels(20000, 1);
  std::string out;
  append_levels_v1(levels.data(), levels.size(), 1, &out);
  EXPECT_EQ(out.size(), 4u + 3u + 1u);  // prefix, varint(40000) in 3 bytes, value byte
}

}  // namespace
}  // namespace scout::parquet
