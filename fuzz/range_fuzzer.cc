// The Range header: any bytes, against files of several sizes. Findings: a crash, a sanitizer
// report, or a decision that breaks what the response promises (a partial range outside the
// file, empty, or an unsatisfiable answer for a header that asks for byte 0 of a non-empty file).
#include <cstdint>
#include <string_view>

#include "http/byte_range.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view header(reinterpret_cast<const char*>(data), size);
  for (uint64_t file_size : {uint64_t{0}, uint64_t{1}, uint64_t{178261}, uint64_t{1} << 40}) {
    scout::RangeDecision d = scout::decide_range(header, file_size);
    if (d.kind == scout::RangeDecision::Kind::kPartial) {
      if (d.length == 0 || d.offset >= file_size || d.length > file_size - d.offset) __builtin_trap();
    }
  }
  return 0;
}
