#include <string>

#include "scout/parquet/writer.h"

namespace scout::parquet {

const char* codec_name(Codec codec) {
  switch (codec) {
    case Codec::kUncompressed: return "uncompressed";
    case Codec::kSnappy: return "snappy";
    case Codec::kGzip: return "gzip";
    case Codec::kLz4Raw: return "lz4";
    case Codec::kBrotli: return "brotli";
    case Codec::kZstd: return "zstd";
  }
  return "unknown";
}

Result<Codec> parse_codec(std::string_view name) {
  static constexpr std::pair<std::string_view, Codec> kNames[] = {
      {"uncompressed", Codec::kUncompressed}, {"none", Codec::kUncompressed},
      {"snappy", Codec::kSnappy},             {"gzip", Codec::kGzip},
      {"lz4", Codec::kLz4Raw},                {"lz4_raw", Codec::kLz4Raw},
      {"brotli", Codec::kBrotli},             {"zstd", Codec::kZstd},
  };
  for (const auto& [text, codec] : kNames) {
    if (name == text) return codec;
  }
  return Status::Invalid("unknown compression '" + std::string(name) +
                         "' for parquet; choose one of: snappy, gzip, lz4, brotli, zstd, "
                         "uncompressed");
}

}  // namespace scout::parquet
