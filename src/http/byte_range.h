// The Range header of a GET on a file of known size (RFC 9110 §14). Ranges are clamped to the
// file, unsatisfiable ones refused, and overlapping or adjacent ones merged, so that an answer
// is never larger than the file: several disjoint ranges are answered with the whole file
// (200), which the RFC allows and which no client can turn into an amplifier.
#pragma once

#include <cstdint>
#include <string_view>

namespace scout {

struct RangeDecision {
  enum class Kind {
    kWholeFile,      // no Range, one the server ignores, or several disjoint ranges: 200
    kPartial,        // one satisfiable range: 206 with Content-Range
    kUnsatisfiable,  // 416 with Content-Range: bytes */size
  };
  Kind kind = Kind::kWholeFile;
  uint64_t offset = 0;  // kPartial: the first byte
  uint64_t length = 0;  // kPartial: how many bytes
};

// `header` is the Range field's value ("" when absent); `size` the file's size.
RangeDecision decide_range(std::string_view header, uint64_t size);

}  // namespace scout
