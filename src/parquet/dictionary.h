// Dictionaries for RLE_DICTIONARY: insertion-ordered distinct values with an open-addressing
// index, so that a value costs one hash and (usually) one probe, and no allocation.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace scout::parquet {

inline uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// Loads 0 to 8 bytes as the low bytes of a word without a call to memcpy: a variable-length
// memcpy into a stack word went through libc and then stalled on store forwarding, and this
// hash runs once per string value in dictionary encoding.
inline uint64_t load_up_to_8(const char* p, size_t n) {
  if (n >= 4) {
    uint32_t first, last;
    std::memcpy(&first, p, 4);
    std::memcpy(&last, p + n - 4, 4);  // overlaps `first` when n < 8, with the same bytes
    return first | (static_cast<uint64_t>(last) << ((n - 4) * 8));
  }
  if (n == 0) return 0;
  // 1 to 3 bytes: first, middle and last (which coincide for short strings).
  return static_cast<uint8_t>(p[0]) | (static_cast<uint64_t>(static_cast<uint8_t>(p[n / 2])) << 8) |
         (static_cast<uint64_t>(static_cast<uint8_t>(p[n - 1])) << 16);
}

inline uint64_t hash_bytes(const char* p, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = mix64(h ^ w) * 0x9E3779B97F4A7C15ULL;
    p += 8;
    n -= 8;
  }
  return mix64(h ^ load_up_to_8(p, n) ^ (static_cast<uint64_t>(n) << 56));
}

// Equality of two byte strings of the same length `n`, inline for the short strings (ids, codes)
// that dictionary encoding compares most.
inline bool bytes_equal(const char* a, const char* b, size_t n) {
  if (n <= 16) {
    if (n >= 8) {
      uint64_t a0, b0, a1, b1;
      std::memcpy(&a0, a, 8);
      std::memcpy(&b0, b, 8);
      std::memcpy(&a1, a + n - 8, 8);
      std::memcpy(&b1, b + n - 8, 8);
      return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    return load_up_to_8(a, n) == load_up_to_8(b, n);
  }
  return std::memcmp(a, b, n) == 0;
}

// Open-addressing table of indices into the caller's entry list; grows at 50% load. Each slot
// keeps 32 bits of the hash beside the index, so a probe rarely touches the entries.
class DictionaryIndex {
 public:
  DictionaryIndex() { slots_.assign(1024, Slot{kEmpty, 0}); }

  // Finds the entry whose hash is `hash` and for which `equals(index)` holds, or inserts
  // `next_index` (calling nothing) and returns it. `inserted` tells which.
  template <typename Equals>
  uint32_t find_or_insert(uint64_t hash, uint32_t next_index, Equals equals, bool* inserted) {
    const size_t mask = slots_.size() - 1;
    const uint32_t tag = static_cast<uint32_t>(hash >> 32);
    size_t at = hash & mask;
    while (true) {
      const Slot& slot = slots_[at];
      if (slot.index == kEmpty) break;
      if (slot.tag == tag && equals(slot.index)) {
        *inserted = false;
        return slot.index;
      }
      at = (at + 1) & mask;
    }
    slots_[at] = Slot{next_index, tag};
    hashes_.push_back(hash);
    *inserted = true;
    if (hashes_.size() * 2 > slots_.size()) grow();
    return next_index;
  }

  void clear() {
    slots_.assign(1024, Slot{kEmpty, 0});
    hashes_.clear();
  }

 private:
  static constexpr uint32_t kEmpty = 0xFFFFFFFFu;
  struct Slot {
    uint32_t index;
    uint32_t tag;
  };

  // Rehashes into the spare table, which is swapped in: the two tables keep their capacity
  // across clear(), so a writer that fills and clears a dictionary for every chunk (each
  // double column tries one on its first page) stops allocating, and faulting in, new tables.
  void grow() {
    spare_.assign(slots_.size() * 2, Slot{kEmpty, 0});
    size_t mask = spare_.size() - 1;
    for (uint32_t i = 0; i < hashes_.size(); ++i) {
      size_t at = hashes_[i] & mask;
      while (spare_[at].index != kEmpty) at = (at + 1) & mask;
      spare_[at] = Slot{i, static_cast<uint32_t>(hashes_[i] >> 32)};
    }
    slots_.swap(spare_);
  }

  std::vector<Slot> slots_;
  std::vector<Slot> spare_;
  std::vector<uint64_t> hashes_;  // by entry index, for growing
};

// Fixed-width values (int32, int64, float, double, int128), compared by their bits so that
// NaN payloads and -0.0 stay distinct, as PLAIN would keep them.
template <typename T>
class FixedDictionary {
 public:
  uint32_t index_of(T value) {
    uint64_t h = hash(value);
    bool inserted;
    uint32_t next = static_cast<uint32_t>(entries_.size());
    uint32_t idx = index_.find_or_insert(
        h, next, [&](uint32_t i) { return std::memcmp(&entries_[i], &value, sizeof(T)) == 0; },
        &inserted);
    if (inserted) entries_.push_back(value);
    return idx;
  }
  size_t size() const { return entries_.size(); }
  const std::vector<T>& entries() const { return entries_; }
  void clear() {
    entries_.clear();
    index_.clear();
  }

 private:
  static uint64_t hash(T value) {
    if constexpr (sizeof(T) <= 8) {
      uint64_t bits = 0;
      std::memcpy(&bits, &value, sizeof(T));
      return mix64(bits);
    } else {
      uint64_t halves[2];
      std::memcpy(halves, &value, 16);
      return mix64(halves[0] ^ mix64(halves[1]));
    }
  }

  std::vector<T> entries_;
  DictionaryIndex index_;
};

// Strings and binaries: entries live in one character buffer.
class ByteArrayDictionary {
 public:
  ByteArrayDictionary() { offsets_.push_back(0); }

  uint32_t index_of(std::string_view value) {
    uint64_t h = hash_bytes(value.data(), value.size());
    bool inserted;
    uint32_t next = static_cast<uint32_t>(offsets_.size() - 1);
    uint32_t idx = index_.find_or_insert(
        h, next,
        [&](uint32_t i) {
          std::string_view e = entry(i);
          return e.size() == value.size() && bytes_equal(e.data(), value.data(), e.size());
        },
        &inserted);
    if (inserted) {
      chars_.append(value.data(), value.size());
      offsets_.push_back(chars_.size());
    }
    return idx;
  }
  size_t size() const { return offsets_.size() - 1; }
  std::string_view entry(uint32_t i) const {
    return std::string_view(chars_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  size_t chars_size() const { return chars_.size(); }
  void clear() {
    offsets_.assign(1, 0);
    chars_.clear();
    index_.clear();
  }

 private:
  std::vector<size_t> offsets_;
  std::string chars_;
  DictionaryIndex index_;
};

}  // namespace scout::parquet
