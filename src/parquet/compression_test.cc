#include "parquet/compression.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

namespace scout::parquet {
namespace {

constexpr Codec kAll[] = {Codec::kUncompressed, Codec::kSnappy, Codec::kGzip,
                          Codec::kLz4,       Codec::kBrotli, Codec::kZstd};

std::string compressible(size_t n) {
  std::string s;
  while (s.size() < n) s += "SCOUT-DEV-0042,2025-01-31,1234.56;";
  s.resize(n);
  return s;
}

std::string random_bytes(size_t n) {
  std::mt19937_64 rng(3);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

std::string compress(Codec codec, const std::string& in, int level = 0, size_t value_width = 0) {
  std::string out;
  Status st = PageCompressor::make(codec, level)->compress(
      reinterpret_cast<const uint8_t*>(in.data()), in.size(), value_width, &out);
  EXPECT_TRUE(st.ok()) << st.to_string();
  return out;
}

TEST(Compression, EveryCodecRoundTrips) {
  for (Codec codec : kAll) {
    for (const std::string& input : {std::string(), std::string("x"), compressible(1 << 20),
                                     random_bytes(100'000)}) {
      std::string packed = compress(codec, input), back;
      ASSERT_TRUE(decompress_page(codec, packed, input.size(), &back).ok()) << codec_name(codec);
      EXPECT_EQ(back, input) << codec_name(codec);
    }
  }
}

TEST(Compression, CompressibleInputShrinks) {
  std::string input = compressible(1 << 20);
  for (Codec codec : kAll) {
    if (codec == Codec::kUncompressed) continue;
    EXPECT_LT(compress(codec, input).size(), input.size() / 4) << codec_name(codec);
  }
}

TEST(Compression, FormatsAreTheOnesParquetNames) {
  std::string input = compressible(5000);
  std::string gz = compress(Codec::kGzip, input);
  EXPECT_EQ(static_cast<uint8_t>(gz[0]), 0x1f);  // RFC 1952 magic, not a zlib header
  EXPECT_EQ(static_cast<uint8_t>(gz[1]), 0x8b);
  std::string zs = compress(Codec::kZstd, input);
  EXPECT_EQ(zs.substr(0, 4), std::string("\x28\xb5\x2f\xfd", 4));  // a zstd frame
  std::string sn = compress(Codec::kSnappy, input);
  EXPECT_EQ(static_cast<uint8_t>(sn[0]), (5000 & 0x7F) | 0x80);  // raw snappy: length varint
  EXPECT_EQ(static_cast<uint8_t>(sn[1]), 5000 >> 7);
  std::string lz = compress(Codec::kLz4, input);
  EXPECT_NE(lz.substr(0, 4), std::string("\x04\x22\x4d\x18", 4));  // a block, not a frame
  EXPECT_EQ(to_format_codec(Codec::kLz4), format::CompressionCodec::LZ4_RAW);
}

TEST(Compression, LevelsAreAcceptedAndClamped) {
  std::string input = compressible(200'000);
  for (Codec codec : kAll) {
    for (int level : {-5, 1, 3, 9, 99}) {
      std::string packed = compress(codec, input, level), back;
      ASSERT_TRUE(decompress_page(codec, packed, input.size(), &back).ok());
      EXPECT_EQ(back, input);
    }
  }
}

// PLAIN doubles of peso amounts in centavos, as daily_transactions' money columns hold them.
std::string prices(size_t count) {
  std::mt19937_64 rng(11);
  std::string s(count * sizeof(double), '\0');
  for (size_t i = 0; i < count; ++i) {
    double v = static_cast<double>(rng() % 5'000'000) / 100.0;
    std::memcpy(s.data() + i * sizeof(double), &v, sizeof v);
  }
  return s;
}

// zstd picks its parameters by input size; above 256 KiB its level 1 used to miss the repeats
// of such doubles and a big page came out ~45% larger, relative to its input, than a small one.
TEST(Compression, ZstdCompressesBigPagesOfDoublesAsWellAsSmallOnes) {
  const std::string big = prices(51'200), small = big.substr(0, 160'000);  // 400 KiB, 160 KB
  const double big_ratio = static_cast<double>(compress(Codec::kZstd, big).size()) / big.size();
  const double small_ratio = static_cast<double>(compress(Codec::kZstd, small).size()) / small.size();
  EXPECT_LT(big_ratio, small_ratio * 1.05) << "400 KiB page " << big_ratio << ", 160 KB page " << small_ratio;
  EXPECT_LT(small_ratio, 0.9);  // the doubles do compress: the comparison means something
}

TEST(Compression, EveryValueWidthRoundTripsAtEveryBrotliLevel) {
  const std::string input = prices(5'000);
  for (int level : {1, 4, 5, 10, 11}) {
    for (size_t width : {0, 1, 2, 3, 4, 8, 12, 16}) {
      std::string packed = compress(Codec::kBrotli, input, level, width), back;
      ASSERT_TRUE(decompress_page(Codec::kBrotli, packed, input.size(), &back).ok())
          << "level " << level << ", width " << width;
      EXPECT_EQ(back, input) << "level " << level << ", width " << width;
    }
  }
  for (Codec codec : kAll) {  // the others take the width and ignore it
    std::string packed = compress(codec, input, 0, 8), back;
    ASSERT_TRUE(decompress_page(codec, packed, input.size(), &back).ok()) << codec_name(codec);
    EXPECT_EQ(back, input) << codec_name(codec);
  }
}

// Told the values are 8 bytes wide, brotli gives distances that are multiples of 8 cheap codes.
// Level 5, where the greedy parser needs the hint; at 11 the optimal parser finds most of it
// alone (on daily_transactions' prices the hint still takes ~0.8% off there).
TEST(Compression, BrotliUsesTheValueWidthOfDoubles) {
  const std::string page = prices(20'000);  // 160 KB, a page of the 20,000-row cap
  const size_t unaware = compress(Codec::kBrotli, page, 5, 0).size();
  const size_t aware = compress(Codec::kBrotli, page, 5, 8).size();
  EXPECT_LT(aware, unaware * 0.95) << "width 8: " << aware << " bytes, width 0: " << unaware;
  EXPECT_LT(unaware, page.size() * 0.9);  // the doubles do compress: the comparison means something
}

TEST(Compression, GarbageIsRefusedNotCrashed) {
  std::string input = compressible(10'000);
  for (Codec codec : kAll) {
    if (codec == Codec::kUncompressed) continue;
    std::string packed = compress(codec, input), back;
    std::string truncated = packed.substr(0, packed.size() / 2);
    EXPECT_EQ(decompress_page(codec, truncated, input.size(), &back).code(), StatusCode::kCorruption)
        << codec_name(codec);
    EXPECT_FALSE(decompress_page(codec, packed, input.size() + 1, &back).ok()) << codec_name(codec);
    EXPECT_FALSE(decompress_page(codec, random_bytes(64), 1000, &back).ok()) << codec_name(codec);
  }
}

}  // namespace
}  // namespace scout::parquet
