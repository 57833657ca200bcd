#include "scout/codec.h"

#include <string>
#include <utility>

namespace scout {

const char* codec_name(Codec codec) {
  switch (codec) {
    case Codec::kUncompressed: return "uncompressed";
    case Codec::kSnappy: return "snappy";
    case Codec::kGzip: return "gzip";
    case Codec::kLz4: return "lz4";
    case Codec::kBrotli: return "brotli";
    case Codec::kZstd: return "zstd";
  }
  return "unknown";
}

Result<Codec> parse_codec(std::string_view name) {
  static constexpr std::pair<std::string_view, Codec> kNames[] = {
      {"uncompressed", Codec::kUncompressed}, {"none", Codec::kUncompressed},
      {"snappy", Codec::kSnappy},             {"gzip", Codec::kGzip},
      {"lz4", Codec::kLz4},                   {"brotli", Codec::kBrotli},
      {"zstd", Codec::kZstd},
  };
  for (const auto& [text, codec] : kNames) {
    if (name == text) return codec;
  }
  return Status::Invalid("unknown compression '" + std::string(name) +
                         "'; choose one of: snappy, gzip, lz4, brotli, zstd, uncompressed");
}

}  // namespace scout
