// The compression levels each codec takes, by the API's codec names: one table for the export
// API's check (validate_compression_level) and for the compressors, which keep a level that
// reached them some other way (a library caller) within it.
#pragma once

#include <algorithm>
#include <string_view>

namespace scout {

struct CompressionLevels {
  std::string_view codec;
  int low, high;
  std::string_view range;  // as error messages name it
};

inline constexpr CompressionLevels kCompressionLevels[] = {
    {"gzip", 1, 9, "1 to 9"},
    {"zstd", -7, 22, "1 to 22, or -7 to -1 for speed"},
    {"brotli", 1, 11, "1 to 11"},
    {"lz4", 1, 12, "1 to 12"},
};

// nullptr for a codec that takes no level (snappy, none).
constexpr const CompressionLevels* compression_levels(std::string_view codec) {
  for (const CompressionLevels& levels : kCompressionLevels) {
    if (levels.codec == codec) return &levels;
  }
  return nullptr;
}

// The level a compressor uses: `fallback` for 0 ("the codec's own"), else `level` kept within
// the codec's range.
constexpr int level_to_use(std::string_view codec, int level, int fallback) {
  const CompressionLevels* levels = compression_levels(codec);
  if (level == 0 || levels == nullptr) return fallback;
  return std::clamp(level, levels->low, levels->high);
}

}  // namespace scout
