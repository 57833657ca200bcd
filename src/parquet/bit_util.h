// Bit-level helpers shared by the encoders: varints, bit widths, packing groups of eight.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

namespace scout::parquet {

// Packing stores whole words and string statistics compare them byte-swapped: both take the
// host's byte order to be Parquet's.
static_assert(std::endian::native == std::endian::little, "a little-endian host is assumed");

// Unsigned LEB128, as Thrift's compact protocol and Parquet's hybrid/delta encodings use.
inline void append_uleb128(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

inline uint64_t zigzag_encode64(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}

// An integer of sizeof(T) bytes stored little endian at `p` (Parquet's PLAIN encoding, the
// footer length), read byte by byte: no alignment needed, same result on any host.
template <typename T>
inline T load_little_endian(const char* p) {
  using U = std::make_unsigned_t<T>;
  U v = 0;
  for (size_t i = sizeof(T); i-- > 0;) v = static_cast<U>((v << 8) | static_cast<unsigned char>(p[i]));
  return static_cast<T>(v);
}

// Bits needed to represent `v` (0 for 0).
inline int bit_width(uint64_t v) { return v == 0 ? 0 : 64 - std::countl_zero(v); }

// Packs exactly 8 values of `width` bits (0..64), least significant bit first, appending
// `width` bytes (Parquet's bit-packing order for the hybrid and delta encodings).
template <typename T>
inline void pack_group_of_8(const T* values, int width, std::string* out) {
  if (width == 0) return;
  // Packed in words on the stack and appended once: a push_back per byte cost more than the
  // packing (dictionary indices go through here eight at a time).
  if (width <= 32) {
    // Up to 32 bits wait in a 64-bit accumulator, so a value always fits beside them:
    // half the instructions of the 128-bit accumulator below.
    uint32_t halves[8];
    int done = 0;
    uint64_t acc = 0;
    int bits = 0;
    const uint64_t mask = (1ULL << width) - 1;
    for (int i = 0; i < 8; ++i) {
      acc |= (static_cast<uint64_t>(values[i]) & mask) << bits;
      bits += width;
      if (bits >= 32) {
        halves[done++] = static_cast<uint32_t>(acc);
        acc >>= 32;
        bits -= 32;
      }
    }
    if (bits > 0) halves[done] = static_cast<uint32_t>(acc);
    out->append(reinterpret_cast<const char*>(halves), static_cast<size_t>(width));
    return;
  }
  uint64_t words[8];
  int filled = 0;
  unsigned __int128 acc = 0;
  int bits = 0;
  const uint64_t mask = width == 64 ? ~0ULL : ((1ULL << width) - 1);
  for (int i = 0; i < 8; ++i) {
    acc |= static_cast<unsigned __int128>(static_cast<uint64_t>(values[i]) & mask) << bits;
    bits += width;
    if (bits >= 64) {  // bits stays below 128: at most one whole word per value
      words[filled++] = static_cast<uint64_t>(acc);
      acc >>= 64;
      bits -= 64;
    }
  }
  if (bits > 0) words[filled] = static_cast<uint64_t>(acc);
  // 8 values of `width` bits are `width` bytes; the words are little endian like the format.
  out->append(reinterpret_cast<const char*>(words), static_cast<size_t>(width));
}

}  // namespace scout::parquet
