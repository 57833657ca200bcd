#include "common/url_encoding.h"

#include <charconv>

#include "common/hex.h"

namespace scout {
namespace {

// RFC 3986 §2.3's unreserved characters, and '/' when `keep_slash`, stay; every other byte is
// %XX in upper case.
std::string percent_encode(std::string_view text, bool keep_slash) {
  std::string out;
  for (unsigned char ch : text) {
    bool keep = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                ch == '-' || ch == '.' || ch == '_' || ch == '~' || (keep_slash && ch == '/');
    if (keep) {
      out.push_back(static_cast<char>(ch));
    } else {
      out.push_back('%');
      append_hex_byte(&out, ch, HexCase::kUpper);
    }
  }
  return out;
}

}  // namespace

std::string url_encode_path(std::string_view key) { return percent_encode(key, true); }

std::string url_encode_component(std::string_view value) { return percent_encode(value, false); }

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
