// GET /exports's query (limit and cursor): nothing may throw or crash, a limit that comes back
// is within 1..kMaxExportPageSize, and a cursor that parses is remade as the same text.
#include <cstdint>
#include <string>

#include "fuzz_input.h"
#include "server/export_listing.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto fields = scout::fuzz::split_fields(scout::fuzz::as_text(data, size), '\n', 2);
  std::string_view limit = fields[0], cursor = fields.size() > 1 ? fields[1] : "";
  auto query = scout::parse_export_page_query(limit, cursor);
  if (!query.ok()) return 0;
  if (query->limit < 1 || query->limit > scout::kMaxExportPageSize) __builtin_trap();
  if (query->after && scout::export_cursor(*query->after) != cursor) __builtin_trap();
  return 0;
}
