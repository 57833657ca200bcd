// Hex renderings of bytes: digests and tokens, percent and \x escapes, UUIDs. One digit table
// serves them all.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace scout {

enum class HexCase { kLower, kUpper };

// The two hex digits of `byte`, high nibble first, appended to `out`.
inline void append_hex_byte(std::string* out, unsigned char byte,
                            HexCase letters = HexCase::kLower) {
  static constexpr char kDigits[2][17] = {"0123456789abcdef", "0123456789ABCDEF"};
  const char* digits = kDigits[letters == HexCase::kUpper];
  out->push_back(digits[byte >> 4]);
  out->push_back(digits[byte & 15]);
}

// Lower-case hex of `size` bytes: digests, signatures, tokens.
inline std::string to_hex(const void* data, size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) append_hex_byte(&out, p[i]);
  return out;
}

// 16 bytes as a UUID in its canonical form (RFC 9562): 8-4-4-4-12 lower-case hex digits.
inline std::string uuid_text(const unsigned char (&bytes)[16]) {
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    append_hex_byte(&out, bytes[i]);
  }
  return out;
}

// Bytes from outside made safe for a terminal or a log line: control bytes (below 0x20, and
// DEL) become \xHH; every other byte, UTF-8 included, is kept as it is.
inline std::string printable(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) {
      out += "\\x";
      append_hex_byte(&out, c);
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace scout
