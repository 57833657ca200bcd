#include "common/url_encoding.h"

#include <charconv>

#include "common/hex.h"

namespace scout {

std::string url_encode_path(std::string_view key) {
  std::string out;
  for (unsigned char ch : key) {
    bool keep = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                ch == '-' || ch == '.' || ch == '_' || ch == '~' || ch == '/';
    if (keep) {
      out.push_back(static_cast<char>(ch));
    } else {
      out.push_back('%');
      append_hex_byte(&out, ch, HexCase::kUpper);
    }
  }
  return out;
}

Result<std::string> url_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(plus_is_space && text[i] == '+' ? ' ' : text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return Status::Invalid("malformed percent escape in URL");
    unsigned v = 0;  // unsigned: from_chars would take "%-1" as -1
    auto r = std::from_chars(text.data() + i + 1, text.data() + i + 3, v, 16);
    if (r.ec != std::errc() || r.ptr != text.data() + i + 3) {
      return Status::Invalid("malformed percent escape in URL");
    }
    out.push_back(static_cast<char>(v));
    i += 2;
  }
  return out;
}

}  // namespace scout
