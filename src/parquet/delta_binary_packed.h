// DELTA_BINARY_PACKED (Encodings.md): blocks of 128 values in 4 miniblocks of 32, each
// miniblock bit-packed at its own width after subtracting the block's minimum delta.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scout/status.h"

namespace scout::parquet {

// Appends the encoding of `values` to *out. Returns false (leaving *out as it was) when a
// delta does not fit the physical type without wrapping (INT32: 32-bit widths; INT64: int64
// deltas): some readers decode with wider arithmetic than the writer, so we only write what
// every reader decodes the same way, and the caller falls back to PLAIN.
template <typename T>
bool encode_delta_binary_packed(const T* values, size_t n, std::string* out);

// Decoder for tests: decodes the whole encoded stream.
Status decode_delta_binary_packed(std::string_view data, std::vector<int64_t>* out);

}  // namespace scout::parquet
