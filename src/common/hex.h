#pragma once

#include <cstddef>
#include <string>

namespace scout {

// Lower-case hex of `size` bytes: digests, signatures, tokens.
inline std::string to_hex(const void* data, size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto* p = static_cast<const unsigned char*>(data);
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out.push_back(kHex[p[i] >> 4]);
    out.push_back(kHex[p[i] & 15]);
  }
  return out;
}

}  // namespace scout
