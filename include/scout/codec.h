// The compression codecs Scout writes, one enum for the whole product. What a codec's bytes
// look like is the container's business: in Parquet each page is compressed on its own and lz4
// is LZ4_RAW, the block format (parquet/compression.h); a CSV or JSON file is compressed as one
// stream and lz4 is the LZ4 frame format (export/compressed_output.h).
#pragma once

#include <cstdint>
#include <string_view>

#include "scout/status.h"

namespace scout {

enum class Codec : uint8_t { kUncompressed, kSnappy, kGzip, kLz4, kBrotli, kZstd };

// "uncompressed", "snappy", "gzip", "lz4", "brotli", "zstd": the API's names (a CSV or JSON file
// calls kUncompressed "none", see export/format_writer.h).
const char* codec_name(Codec codec);
// Accepts the names above, plus "none". The error lists the names; the export API words its own
// per format, and takes Parquet's "lz4_raw" for parquet (parse_compression).
Result<Codec> parse_codec(std::string_view name);

}  // namespace scout
