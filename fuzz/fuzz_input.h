// Helpers the harnesses share to cut one fuzz input into the fields an API takes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace scout::fuzz {

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The input cut at each `separator`, into at most `max_fields` fields: the last one keeps the
// rest, separators included. Seeds are written in the same shape ("key\nexpires\nsignature").
inline std::vector<std::string_view> split_fields(std::string_view input, char separator,
                                                  size_t max_fields) {
  std::vector<std::string_view> fields;
  while (fields.size() + 1 < max_fields) {
    size_t at = input.find(separator);
    if (at == std::string_view::npos) break;
    fields.push_back(input.substr(0, at));
    input.remove_prefix(at + 1);
  }
  fields.push_back(input);
  return fields;
}

}  // namespace scout::fuzz
