#include "parquet/delta_binary_packed.h"

#include <algorithm>
#include <limits>

#include "parquet/bit_util.h"

namespace scout::parquet {
namespace {

constexpr size_t kBlockSize = 128;
constexpr size_t kMiniblocks = 4;
constexpr size_t kMiniblockSize = kBlockSize / kMiniblocks;

}  // namespace

template <typename T>
bool encode_delta_binary_packed(const T* values, size_t n, std::string* out) {
  constexpr int kMaxWidth = sizeof(T) * 8;
  const size_t rollback = out->size();
  append_uleb128(out, kBlockSize);
  append_uleb128(out, kMiniblocks);
  append_uleb128(out, n);
  append_uleb128(out, zigzag_encode64(n == 0 ? 0 : static_cast<int64_t>(values[0])));

  int64_t deltas[kBlockSize];
  uint64_t adjusted[kBlockSize];
  for (size_t start = 1; start < n; start += kBlockSize) {
    size_t count = std::min(kBlockSize, n - start);
    int64_t min_delta = std::numeric_limits<int64_t>::max();
    for (size_t i = 0; i < count; ++i) {
      __int128 d = static_cast<__int128>(values[start + i]) - values[start + i - 1];
      if (d > std::numeric_limits<int64_t>::max() || d < std::numeric_limits<int64_t>::min()) {
        out->resize(rollback);
        return false;
      }
      deltas[i] = static_cast<int64_t>(d);
      min_delta = std::min(min_delta, deltas[i]);
    }
    // A reader of INT32 decodes the minimum delta into an int32.
    if (min_delta < std::numeric_limits<T>::min() || min_delta > std::numeric_limits<T>::max()) {
      out->resize(rollback);
      return false;
    }
    append_uleb128(out, zigzag_encode64(min_delta));
    size_t widths_pos = out->size();
    out->append(kMiniblocks, '\0');
    for (size_t i = 0; i < count; ++i) {
      __int128 a = static_cast<__int128>(deltas[i]) - min_delta;
      if (a > static_cast<__int128>(std::numeric_limits<int64_t>::max())) {
        out->resize(rollback);
        return false;
      }
      adjusted[i] = static_cast<uint64_t>(a);
    }
    for (size_t i = count; i < kBlockSize; ++i) adjusted[i] = 0;
    for (size_t m = 0; m * kMiniblockSize < count; ++m) {
      uint64_t bits = 0;
      for (size_t i = m * kMiniblockSize; i < (m + 1) * kMiniblockSize; ++i) bits |= adjusted[i];
      int width = bit_width(bits);
      if (width > kMaxWidth) {
        out->resize(rollback);
        return false;
      }
      (*out)[widths_pos + m] = static_cast<char>(width);
      for (size_t g = 0; g < kMiniblockSize; g += 8) {
        pack_group_of_8(adjusted + m * kMiniblockSize + g, width, out);
      }
    }
  }
  return true;
}

template bool encode_delta_binary_packed<int32_t>(const int32_t*, size_t, std::string*);
template bool encode_delta_binary_packed<int64_t>(const int64_t*, size_t, std::string*);

namespace {

class ByteCursor {
 public:
  explicit ByteCursor(std::string_view d) : data_(d) {}
  bool uleb(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) return false;
      uint8_t b = static_cast<uint8_t>(data_[pos_++]);
      *v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  }
  bool zigzag(int64_t* v) {
    uint64_t u;
    if (!uleb(&u)) return false;
    *v = static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
    return true;
  }
  bool byte(uint8_t* b) {
    if (pos_ >= data_.size()) return false;
    *b = static_cast<uint8_t>(data_[pos_++]);
    return true;
  }
  size_t pos() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  const char* here() const { return data_.data() + pos_; }
  void skip(size_t n) { pos_ += n; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

}  // namespace

Status decode_delta_binary_packed(std::string_view data, std::vector<int64_t>* out) {
  ByteCursor in(data);
  uint64_t block_size, miniblocks, total;
  int64_t first;
  if (!in.uleb(&block_size) || !in.uleb(&miniblocks) || !in.uleb(&total) || !in.zigzag(&first)) {
    return Status::Corruption("delta header truncated");
  }
  if (block_size == 0 || miniblocks == 0 || block_size % 128 != 0 ||
      (block_size / miniblocks) % 32 != 0) {
    return Status::Corruption("delta header has invalid block sizes");
  }
  if (total == 0) return Status::OK();
  uint64_t per_mini = block_size / miniblocks;
  uint64_t value = static_cast<uint64_t>(first);
  out->push_back(first);
  while (out->size() < total) {
    int64_t min_delta;
    if (!in.zigzag(&min_delta) || in.remaining() < miniblocks) {
      return Status::Corruption("delta block header truncated");
    }
    std::vector<uint8_t> widths(miniblocks);
    for (auto& w : widths) in.byte(&w);
    for (uint64_t m = 0; m < miniblocks && out->size() < total; ++m) {
      int w = widths[m];
      if (w > 64) return Status::Corruption("delta miniblock width over 64");
      size_t bytes = per_mini * w / 8;
      if (in.remaining() < bytes) return Status::Corruption("delta miniblock truncated");
      const uint8_t* p = reinterpret_cast<const uint8_t*>(in.here());
      unsigned __int128 acc = 0;
      int bits = 0;
      size_t at = 0;
      for (uint64_t i = 0; i < per_mini && out->size() < total; ++i) {
        while (bits < w) {
          acc |= static_cast<unsigned __int128>(p[at++]) << bits;
          bits += 8;
        }
        uint64_t v = w == 0 ? 0 : static_cast<uint64_t>(acc & ((static_cast<unsigned __int128>(1) << w) - 1));
        acc >>= w;
        bits -= w;
        value += static_cast<uint64_t>(min_delta) + v;
        out->push_back(static_cast<int64_t>(value));
      }
      in.skip(bytes);
    }
  }
  return Status::OK();
}

}  // namespace scout::parquet
