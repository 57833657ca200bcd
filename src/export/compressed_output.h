// Whole-file compression for the CSV and JSON writers: an OutputStream that compresses as it
// goes, with memory bounded by the codec's window, into another stream.
#pragma once

#include <memory>

#include "scout/codec.h"
#include "scout/output_stream.h"
#include "scout/status.h"

namespace scout {

// The file name ending for a whole file compressed with `codec`: ".gz", ".zst", ".br", ".lz4"
// (the LZ4 frame format), "" for uncompressed.
const char* stream_codec_extension(Codec codec);

// Compresses into `inner`; close() ends the compressed stream and closes `inner`. For
// kUncompressed it returns `inner` itself. Snappy has no whole-file format here and is refused.
// position() counts compressed bytes.
Result<std::unique_ptr<OutputStream>> make_compressed_output(Codec codec, int level,
                                                             std::unique_ptr<OutputStream> inner);

}  // namespace scout
