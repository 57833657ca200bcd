#include "http/byte_range.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <optional>
#include <vector>

#include "http/http_message.h"

namespace scout {
namespace {

// More range-specs than this is no client's honest request; the header is then ignored.
constexpr size_t kMaxRangeSpecs = 64;

struct Span {
  uint64_t first, last;  // inclusive
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Digits only; a value past uint64 saturates, which every caller treats as "past the end".
std::optional<uint64_t> parse_position(std::string_view s) {
  if (s.empty()) return std::nullopt;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  uint64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec == std::errc::result_out_of_range) return std::numeric_limits<uint64_t>::max();
  return v;
}

}  // namespace

RangeDecision decide_range(std::string_view header, uint64_t size) {
  RangeDecision whole;
  header = trim(header);
  if (header.size() < 6 || !iequals(header.substr(0, 6), "bytes=")) return whole;
  std::string_view specs = header.substr(6);

  std::vector<Span> spans;
  size_t count = 0;
  while (true) {
    size_t comma = specs.find(',');
    std::string_view spec = trim(specs.substr(0, comma));
    if (!spec.empty()) {  // RFC 9110 §5.6.1: empty list elements are allowed and skipped
      if (++count > kMaxRangeSpecs) return whole;
      size_t dash = spec.find('-');
      if (dash == std::string_view::npos) return whole;  // not a range-spec: ignore the header
      std::string_view a = trim(spec.substr(0, dash)), b = trim(spec.substr(dash + 1));
      if (a.empty()) {  // suffix-range: the last N bytes
        auto n = parse_position(b);
        if (!n) return whole;
        if (*n > 0 && size == 0) return whole;  // RFC 9110 §14.1.1: the whole (empty) file
        if (*n > 0) spans.push_back({size - std::min(*n, size), size - 1});
      } else {
        auto first = parse_position(a);
        if (!first) return whole;
        std::optional<uint64_t> last;
        if (!b.empty()) {
          last = parse_position(b);
          if (!last) return whole;
        }
        // One past the end satisfies nothing. One that ends before it starts is not a valid
        // range-spec; the RFC lets a server refuse it, and 416 says why.
        if (*first < size && (!last || *last >= *first)) {
          spans.push_back({*first, std::min(last.value_or(size - 1), size - 1)});
        }
      }
    }
    if (comma == std::string_view::npos) break;
    specs.remove_prefix(comma + 1);
  }
  if (count == 0) return whole;
  if (spans.empty()) return {RangeDecision::Kind::kUnsatisfiable, 0, 0};

  std::sort(spans.begin(), spans.end(), [](const Span& x, const Span& y) { return x.first < y.first; });
  std::vector<Span> merged = {spans[0]};
  for (size_t i = 1; i < spans.size(); ++i) {
    Span& back = merged.back();
    if (spans[i].first <= back.last + 1) {
      back.last = std::max(back.last, spans[i].last);
    } else {
      merged.push_back(spans[i]);
    }
  }
  if (merged.size() > 1) return whole;
  return {RangeDecision::Kind::kPartial, merged[0].first, merged[0].last - merged[0].first + 1};
}

}  // namespace scout
