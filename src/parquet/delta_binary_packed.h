// DELTA_BINARY_PACKED (Encodings.md): blocks of 128 values in 4 miniblocks of 32, each
// miniblock bit-packed at its own width after subtracting the block's minimum delta.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scout/status.h"

namespace scout::parquet {

// Appends the encoding of `values` to *out. Returns false (leaving *out as it was) when the
// encoding would rely on wrapping arithmetic: a block's minimum delta outside T, a miniblock
// wider than T, or an INT64 delta outside int64. Readers differ there (some decode with wider
// or BigInt arithmetic), so we only write what every reader decodes alike, and the caller
// falls back to PLAIN.
template <typename T>
bool encode_delta_binary_packed(const T* values, size_t n, std::string* out);

// Decoder for tests: decodes the whole encoded stream.
Status decode_delta_binary_packed(std::string_view data, std::vector<int64_t>* out);

}  // namespace scout::parquet
