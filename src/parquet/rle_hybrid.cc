#include "parquet/rle_hybrid.h"

#include <cstring>

#include "parquet/bit_util.h"

namespace scout::parquet {
namespace {
constexpr int64_t kMaxGroupsPerLiteralRun = 63;  // the header is one byte, reserved up front
}

void RleBitPackedEncoder::put(uint32_t value) {
  if (value == current_value_) {
    ++repeat_count_;
    if (repeat_count_ > 8) return;  // a long run continues: nothing to buffer
  } else {
    if (repeat_count_ >= 8) flush_repeated_run();
    repeat_count_ = 1;
    current_value_ = value;
  }
  buffered_[num_buffered_++] = value;
  if (num_buffered_ == 8) flush_buffered_values(false);
}

void RleBitPackedEncoder::put_all(const uint32_t* values, size_t count) {
  size_t i = 0;
  while (i < count) {
    // At a group boundary with no run under way, a group of 8 that is not one repeated value
    // ends as a literal group whatever put() would do value by value: pack it directly.
    if (num_buffered_ == 0 && repeat_count_ == 0 && i + 8 <= count) {
      const uint32_t* g = values + i;
      bool all_equal = true;
      for (int k = 1; k < 8; ++k) all_equal &= g[k] == g[0];
      if (!all_equal) {
        std::memcpy(buffered_, g, sizeof buffered_);
        num_buffered_ = 8;
        current_value_ = g[7];
        flush_buffered_values(false);
        i += 8;
        continue;
      }
    }
    put(values[i++]);
  }
}

// A run of equal values is only detected from a group boundary, so when the repeat count
// reaches 8 the buffer holds exactly that run and is dropped in favour of an RLE run.
void RleBitPackedEncoder::flush_buffered_values(bool done) {
  if (repeat_count_ >= 8) {
    num_buffered_ = 0;
    if (literal_count_ != 0) flush_literal_run(true);
    return;
  }
  literal_count_ += num_buffered_;
  int64_t groups = literal_count_ / 8;
  flush_literal_run(done || groups + 1 >= kMaxGroupsPerLiteralRun);
  repeat_count_ = 0;
}

void RleBitPackedEncoder::flush_literal_run(bool update_header) {
  if (literal_header_pos_ < 0) {
    literal_header_pos_ = static_cast<int64_t>(out_->size());
    out_->push_back(0);
  }
  if (num_buffered_ > 0) {
    for (int i = num_buffered_; i < 8; ++i) buffered_[i] = 0;
    pack_group_of_8(buffered_, bit_width_, out_);
    num_buffered_ = 0;
  }
  if (update_header) {
    int64_t groups = (literal_count_ + 7) / 8;
    (*out_)[literal_header_pos_] = static_cast<char>((groups << 1) | 1);
    literal_header_pos_ = -1;
    literal_count_ = 0;
  }
}

void RleBitPackedEncoder::flush_repeated_run() {
  append_uleb128(out_, static_cast<uint64_t>(repeat_count_) << 1);
  uint32_t v = current_value_;
  for (int i = 0; i < (bit_width_ + 7) / 8; ++i) {
    out_->push_back(static_cast<char>(v & 0xFF));
    v >>= 8;
  }
  num_buffered_ = 0;
  repeat_count_ = 0;
}

void RleBitPackedEncoder::flush() {
  if (literal_count_ == 0 && repeat_count_ == 0 && num_buffered_ == 0) return;
  bool all_repeat = literal_count_ == 0 && (repeat_count_ == num_buffered_ || num_buffered_ == 0);
  if (repeat_count_ > 0 && all_repeat) {
    flush_repeated_run();
  } else {
    literal_count_ += num_buffered_;
    flush_literal_run(true);
    repeat_count_ = 0;
  }
}

void append_levels_v1(const uint8_t* levels, size_t n, int bit_width, std::string* out) {
  size_t length_pos = out->size();
  out->append(4, '\0');
  size_t start = out->size();
  RleBitPackedEncoder encoder(bit_width, out);
  for (size_t i = 0; i < n; ++i) encoder.put(levels[i]);
  encoder.flush();
  uint32_t length = static_cast<uint32_t>(out->size() - start);
  std::memcpy(out->data() + length_pos, &length, 4);
}

Status decode_rle_bit_packed(std::string_view data, int bit_width, size_t count,
                             std::vector<uint32_t>* out) {
  size_t pos = 0;
  size_t value_bytes = static_cast<size_t>((bit_width + 7) / 8);
  while (out->size() < count) {
    uint64_t header = 0;
    int shift = 0;
    while (true) {
      if (pos >= data.size() || shift > 35) return Status::Corruption("hybrid run header truncated");
      uint8_t b = static_cast<uint8_t>(data[pos++]);
      header |= static_cast<uint64_t>(b & 0x7F) << shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    if (header & 1) {
      size_t values = (header >> 1) * 8;
      size_t bytes = (header >> 1) * static_cast<size_t>(bit_width);
      if (pos + bytes > data.size()) return Status::Corruption("bit-packed run truncated");
      uint64_t acc = 0;
      int bits = 0;
      size_t byte_at = pos;
      for (size_t v = 0; v < values; ++v) {
        while (bits < bit_width) {
          acc |= static_cast<uint64_t>(static_cast<uint8_t>(data[byte_at++])) << bits;
          bits += 8;
        }
        uint32_t value = bit_width == 0 ? 0 : static_cast<uint32_t>(acc & ((1ULL << bit_width) - 1));
        acc = bit_width == 0 ? acc : acc >> bit_width;
        bits -= bit_width;
        if (out->size() < count) out->push_back(value);
      }
      pos += bytes;
    } else {
      size_t run = header >> 1;
      if (pos + value_bytes > data.size()) return Status::Corruption("RLE run truncated");
      uint32_t value = 0;
      for (size_t b = 0; b < value_bytes; ++b) {
        value |= static_cast<uint32_t>(static_cast<uint8_t>(data[pos + b])) << (8 * b);
      }
      pos += value_bytes;
      if (run == 0) return Status::Corruption("empty RLE run");
      for (size_t k = 0; k < run && out->size() < count; ++k) out->push_back(value);
    }
  }
  return Status::OK();
}

}  // namespace scout::parquet
