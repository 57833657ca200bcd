// The compression levels each codec takes, and the level each uses
// when a request names none: one table for the export API's check (validate_compression_level),
// the compressors, which keep a level that reached them some other way (a library caller)
// within it, and every description of the levels (CLI help, OpenAPI).
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

#include "scout/codec.h"

namespace scout {

struct CompressionLevels {
  Codec codec;
  int low, high;
  std::string_view range;  // as error messages name it
  int parquet_default;     // for Parquet pages
  int stream_default;      // for whole CSV/JSON files

  // The level a compressor uses: the default for 0 ("the codec's own"), else `level` kept
  // within the range.
  constexpr int for_parquet(int level) const {
    return level == 0 ? parquet_default : std::clamp(level, low, high);
  }
  constexpr int for_stream(int level) const {
    return level == 0 ? stream_default : std::clamp(level, low, high);
  }
};

// Why these defaults: gzip 6 is zlib's own. zstd 1 for Parquet pages, as Arrow chooses: ~1.6x
// faster than 3 for files ~2% larger; 3, zstd's own, for a whole text file. brotli 11, brotli's
// own and DuckDB's: the guide sells brotli as the smallest file for long-term storage, and only
// 10-11 find the repeats in prices (levels 5-9 give pages ~8% larger, at ~1/40 of the time;
// compression_level 5 is there for speed). lz4 1 is LZ4's fast mode; above it is LZ4 HC.
inline constexpr CompressionLevels kCompressionLevels[] = {
    {Codec::kGzip, 1, 9, "1 to 9", 6, 6},
    {Codec::kZstd, -7, 22, "1 to 22, or -7 to -1 for speed", 1, 3},
    {Codec::kBrotli, 1, 11, "1 to 11", 11, 11},
    {Codec::kLz4, 1, 12, "1 to 12", 1, 1},
};

// nullptr for a codec that takes no level (snappy, uncompressed).
constexpr const CompressionLevels* compression_levels(Codec codec) {
  for (const CompressionLevels& levels : kCompressionLevels) {
    if (levels.codec == codec) return &levels;
  }
  return nullptr;
}

// For code that names its codec: a codec not in the table does not compile.
consteval const CompressionLevels& levels_of(Codec codec) {
  for (const CompressionLevels& levels : kCompressionLevels) {
    if (levels.codec == codec) return levels;
  }
  throw "no such codec in kCompressionLevels";
}

// Every codec's range and defaults in one line, for help texts and the OpenAPI document:
// "gzip 1 to 9 (default 6); zstd ... (default 1 for Parquet, 3 for CSV/JSON); ...".
inline std::string describe_compression_levels() {
  std::string text;
  for (const CompressionLevels& levels : kCompressionLevels) {
    if (!text.empty()) text += "; ";
    text += std::string(codec_name(levels.codec)) + " " + std::string(levels.range) + " (default " +
            std::to_string(levels.parquet_default);
    if (levels.stream_default != levels.parquet_default) {
      text += " for Parquet, " + std::to_string(levels.stream_default) + " for CSV/JSON";
    }
    text += ")";
  }
  return text;
}

}  // namespace scout
