#include "export/format_writer.h"

#include <gtest/gtest.h>

namespace scout {
namespace {

TEST(Compression, ParquetTakesEveryCodecAndItsOwnLz4Name) {
  EXPECT_EQ(*parse_compression(ExportFormat::kParquet, "snappy"), Codec::kSnappy);
  EXPECT_EQ(*parse_compression(ExportFormat::kParquet, "none"), Codec::kUncompressed);
  EXPECT_EQ(*parse_compression(ExportFormat::kParquet, "lz4_raw"), Codec::kLz4);
  EXPECT_EQ(parse_compression(ExportFormat::kParquet, "zip").status().message(),
            "unknown compression 'zip' for parquet; choose one of: snappy, gzip, lz4, brotli, zstd, "
            "uncompressed");
}

TEST(Compression, TextFormatsTakeNoSnappyAndNoParquetNames) {
  EXPECT_EQ(*parse_compression(ExportFormat::kCsv, "uncompressed"), Codec::kUncompressed);
  EXPECT_EQ(*parse_compression(ExportFormat::kJson, "lz4"), Codec::kLz4);
  for (const char* name : {"snappy", "lz4_raw", "zip"}) {
    EXPECT_EQ(parse_compression(ExportFormat::kCsv, name).status().message(),
              "compression '" + std::string(name) +
                  "' is not available for csv; choose one of: none, gzip, zstd, brotli, lz4");
  }
}

TEST(Compression, TheNameShownIsTheFormatsOwn) {
  EXPECT_STREQ(compression_name(ExportFormat::kParquet, Codec::kUncompressed), "uncompressed");
  EXPECT_STREQ(compression_name(ExportFormat::kCsv, Codec::kUncompressed), "none");
  EXPECT_STREQ(compression_name(ExportFormat::kJson, Codec::kZstd), "zstd");
  EXPECT_EQ(default_codec(ExportFormat::kParquet), Codec::kSnappy);
  EXPECT_EQ(default_codec(ExportFormat::kJson), Codec::kUncompressed);
}

TEST(Compression, LevelErrorsNameTheCodecAndItsRange) {
  EXPECT_TRUE(validate_compression_level(ExportFormat::kParquet, Codec::kZstd, -7).ok());
  EXPECT_EQ(validate_compression_level(ExportFormat::kParquet, Codec::kZstd, 30).message(),
            "compression_level 30 is out of range for zstd; choose 1 to 22, or -7 to -1 for speed");
  EXPECT_EQ(validate_compression_level(ExportFormat::kCsv, Codec::kUncompressed, 3).message(),
            "compression 'none' takes no compression_level; gzip, zstd, brotli and lz4 do");
}

TEST(Compression, TextFilesEndWithTheStreamsExtension) {
  FormatOptions options;
  options.format = ExportFormat::kCsv;
  options.codec = Codec::kZstd;
  EXPECT_EQ(file_extension(options), ".csv.zst");
  options.format = ExportFormat::kJson;
  options.codec = Codec::kUncompressed;
  EXPECT_EQ(file_extension(options), ".json");
  options.format = ExportFormat::kParquet;
  options.codec = Codec::kGzip;
  EXPECT_EQ(file_extension(options), ".parquet");
}

}  // namespace
}  // namespace scout
