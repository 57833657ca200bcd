#include "common/compression_levels.h"

#include <gtest/gtest.h>

namespace scout {
namespace {

TEST(CompressionLevels, ZeroMeansTheCodecsDefaultForItsContainer) {
  EXPECT_EQ(levels_of(Codec::kGzip).for_parquet(0), 6);
  EXPECT_EQ(levels_of(Codec::kGzip).for_stream(0), 6);
  EXPECT_EQ(levels_of(Codec::kZstd).for_parquet(0), 1);
  EXPECT_EQ(levels_of(Codec::kZstd).for_stream(0), 3);
  EXPECT_EQ(levels_of(Codec::kBrotli).for_parquet(0), 11);
  EXPECT_EQ(levels_of(Codec::kBrotli).for_stream(0), 11);
  EXPECT_EQ(levels_of(Codec::kLz4).for_parquet(0), 1);
}

TEST(CompressionLevels, LevelsAreKeptWithinTheCodecsRange) {
  EXPECT_EQ(levels_of(Codec::kGzip).for_parquet(12), 9);
  EXPECT_EQ(levels_of(Codec::kGzip).for_stream(-3), 1);
  EXPECT_EQ(levels_of(Codec::kZstd).for_parquet(-7), -7);
  EXPECT_EQ(levels_of(Codec::kZstd).for_parquet(-100), -7);
  EXPECT_EQ(levels_of(Codec::kZstd).for_stream(99), 22);
  EXPECT_EQ(levels_of(Codec::kBrotli).for_parquet(5), 5);
  EXPECT_EQ(levels_of(Codec::kBrotli).for_parquet(-1), 1);
  EXPECT_EQ(levels_of(Codec::kLz4).for_parquet(13), 12);
  EXPECT_EQ(levels_of(Codec::kLz4).for_stream(7), 7);
}

TEST(CompressionLevels, EveryDefaultIsWithinItsRange) {
  for (const CompressionLevels& levels : kCompressionLevels) {
    SCOPED_TRACE(codec_name(levels.codec));
    EXPECT_GE(levels.parquet_default, levels.low);
    EXPECT_LE(levels.parquet_default, levels.high);
    EXPECT_GE(levels.stream_default, levels.low);
    EXPECT_LE(levels.stream_default, levels.high);
    EXPECT_NE(levels.parquet_default, 0);  // 0 asks for the default
    EXPECT_NE(levels.stream_default, 0);
  }
}

TEST(CompressionLevels, CodecsWithoutLevelsHaveNone) {
  EXPECT_EQ(compression_levels(Codec::kSnappy), nullptr);
  EXPECT_EQ(compression_levels(Codec::kUncompressed), nullptr);
  ASSERT_NE(compression_levels(Codec::kBrotli), nullptr);
  EXPECT_EQ(compression_levels(Codec::kBrotli)->range, "1 to 11");
}

TEST(CompressionLevels, TheDescriptionNamesEveryRangeAndDefault) {
  EXPECT_EQ(describe_compression_levels(),
            "gzip 1 to 9 (default 6); "
            "zstd 1 to 22, or -7 to -1 for speed (default 1 for Parquet, 3 for CSV/JSON); "
            "brotli 1 to 11 (default 11); lz4 1 to 12 (default 1)");
}

}  // namespace
}  // namespace scout
