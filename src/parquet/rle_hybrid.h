// Parquet's RLE / bit-packed hybrid encoding (Encodings.md), used for definition levels and
// dictionary indices. Runs of 8 or more equal values become RLE runs; the rest are bit-packed
// in groups of 8, at most 63 groups per run header (a one-byte header written in place).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scout/status.h"

namespace scout::parquet {

class RleBitPackedEncoder {
 public:
  // Appends to *out; the caller adds any length prefix.
  RleBitPackedEncoder(int bit_width, std::string* out) : bit_width_(bit_width), out_(out) {}

  void put(uint32_t value);
  // The same as put() for each value, with whole groups of 8 distinct-looking values packed
  // at once (the common case for dictionary indices of high-cardinality columns).
  void put_all(const uint32_t* values, size_t count);
  // Ends the last run; the encoder may not be used afterwards.
  void flush();

 private:
  void flush_buffered_values(bool done);
  void flush_literal_run(bool update_header);
  void flush_repeated_run();

  int bit_width_;
  std::string* out_;
  uint32_t buffered_[8] = {};
  int num_buffered_ = 0;
  uint32_t current_value_ = 0;
  int64_t repeat_count_ = 0;
  int64_t literal_count_ = 0;
  int64_t literal_header_pos_ = -1;  // where the open literal run's header byte sits
};

// Encodes `n` levels (0/1 validity bytes work as definition levels with max level 1) with a
// 4-byte little-endian length prefix, as data page V1 stores levels.
void append_levels_v1(const uint8_t* levels, size_t n, int bit_width, std::string* out);

// Decoder for tests and the reader: decodes exactly `count` values.
Status decode_rle_bit_packed(std::string_view data, int bit_width, size_t count,
                             std::vector<uint32_t>* out);

}  // namespace scout::parquet
