// Whole-file compression for the CSV and JSON writers: an OutputStream that compresses as it
// goes, with memory bounded by the codec's window, into another stream.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "scout/output_stream.h"
#include "scout/status.h"

namespace scout {

enum class StreamCodec { kNone, kGzip, kZstd, kBrotli, kLz4Frame };

// "none" (or "uncompressed"), "gzip", "zstd", "brotli", "lz4" (the LZ4 frame format).
Result<StreamCodec> parse_stream_codec(std::string_view name);
const char* stream_codec_extension(StreamCodec codec);  // ".gz", ".zst", ".br", ".lz4", ""

// Compresses into `inner`; close() ends the compressed stream and closes `inner`. For kNone it
// returns `inner` itself. position() counts compressed bytes.
Result<std::unique_ptr<OutputStream>> make_compressed_output(StreamCodec codec, int level,
                                                             std::unique_ptr<OutputStream> inner);

}  // namespace scout
