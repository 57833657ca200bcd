#include "scout/codec.h"

#include <gtest/gtest.h>

namespace scout {
namespace {

TEST(Codec, EveryNameParsesBackToItsCodec) {
  for (Codec codec : {Codec::kUncompressed, Codec::kSnappy, Codec::kGzip, Codec::kLz4,
                      Codec::kBrotli, Codec::kZstd}) {
    auto parsed = parse_codec(codec_name(codec));
    ASSERT_TRUE(parsed.ok()) << codec_name(codec);
    EXPECT_EQ(*parsed, codec);
  }
}

TEST(Codec, NoneIsAnotherNameForUncompressed) {
  EXPECT_EQ(*parse_codec("none"), Codec::kUncompressed);
}

TEST(Codec, NamesAreExactAndTheErrorListsThem) {
  for (const char* name : {"gzip ", "GZIP", "zip", "", "lz4_raw"}) {
    auto parsed = parse_codec(name);
    ASSERT_FALSE(parsed.ok()) << name;
    EXPECT_EQ(parsed.status().message(), "unknown compression '" + std::string(name) +
                                             "'; choose one of: snappy, gzip, lz4, brotli, zstd, "
                                             "uncompressed");
  }
}

}  // namespace
}  // namespace scout
