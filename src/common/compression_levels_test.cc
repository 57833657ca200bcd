#include "common/compression_levels.h"

#include <gtest/gtest.h>

namespace scout {
namespace {

TEST(CompressionLevels, ZeroMeansTheCallersDefault) {
  EXPECT_EQ(level_to_use("gzip", 0, 6), 6);
  EXPECT_EQ(level_to_use("zstd", 0, 1), 1);
  EXPECT_EQ(level_to_use("zstd", 0, 3), 3);
}

TEST(CompressionLevels, LevelsAreKeptWithinTheCodecsRange) {
  EXPECT_EQ(level_to_use("gzip", 12, 6), 9);
  EXPECT_EQ(level_to_use("gzip", -3, 6), 1);
  EXPECT_EQ(level_to_use("zstd", -7, 1), -7);
  EXPECT_EQ(level_to_use("zstd", -100, 1), -7);
  EXPECT_EQ(level_to_use("zstd", 99, 1), 22);
  EXPECT_EQ(level_to_use("brotli", 11, 5), 11);
  EXPECT_EQ(level_to_use("brotli", -1, 5), 1);
  EXPECT_EQ(level_to_use("lz4", 13, 1), 12);
  EXPECT_EQ(level_to_use("lz4", 7, 1), 7);
}

TEST(CompressionLevels, CodecsWithoutLevelsHaveNone) {
  EXPECT_EQ(compression_levels("snappy"), nullptr);
  EXPECT_EQ(compression_levels("none"), nullptr);
  EXPECT_EQ(compression_levels("gzip "), nullptr);  // names are exact
  EXPECT_EQ(level_to_use("snappy", 4, 0), 0);
  ASSERT_NE(compression_levels("brotli"), nullptr);
  EXPECT_EQ(compression_levels("brotli")->range, "1 to 11");
}

}  // namespace
}  // namespace scout
