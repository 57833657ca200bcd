// Page compression for Parquet's codecs, each through its Debian library.
// Every page is compressed on its own (Parquet spec); a compressor keeps its library context
// between pages so that no page pays for setting one up.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "scout/parquet/writer.h"
#include "scout/status.h"
#include "parquet/metadata.h"

namespace scout::parquet {

format::CompressionCodec to_format_codec(Codec codec);

class PageCompressor {
 public:
  // level 0 means the codec's default. Levels out of the codec's range are clamped.
  static std::unique_ptr<PageCompressor> make(Codec codec, int level);
  virtual ~PageCompressor() = default;
  // Replaces *out with the page body in the codec's format: raw snappy, gzip (RFC 1952),
  // LZ4 block (LZ4_RAW), raw brotli stream, one zstd frame; a copy for kUncompressed.
  // value_width is the byte width of the page's values when they are fixed-width and
  // byte-aligned (PLAIN numbers, a dictionary of numbers), 0 otherwise; brotli makes repeats at
  // multiples of it cheaper. The output decodes the same with any value_width.
  virtual Status compress(const uint8_t* data, size_t size, size_t value_width, std::string* out) = 0;
  // Whether dictionary indices come out smaller from this compressor packed in whole bytes
  // (bit widths rounded up to 8, 16, 24 or 32) than packed tight. Tight bits put a run of
  // indices that recurs (ids in the same order every day) at a different bit phase each
  // time, which hides the repeat from LZ77; whole bytes keep it visible. Only brotli 10-11's
  // context modelling also codes the spare high bits for almost nothing: there it is a net
  // win on every dictionary column; at lower levels and with the other codecs it is not.
  virtual bool prefers_byte_aligned_indices() const { return false; }
};

// Inverse of PageCompressor::compress, for the reader and the tests. Fails with Corruption
// when the input is not valid for the codec or does not expand to `uncompressed_size`.
Status decompress_page(Codec codec, std::string_view compressed, size_t uncompressed_size,
                       std::string* out);

}  // namespace scout::parquet
