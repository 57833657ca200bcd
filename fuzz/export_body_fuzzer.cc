// The JSON body of POST /export and POST /estimate: parsed strictly, then planned against the
// shipped catalog, as the service does before any source is opened. Nothing may throw or
// crash, and a plan that comes back holds together: its columns and partition column exist,
// its date range is ordered, its limit positive, and its size estimate is not negative.
#include <algorithm>
#include <cstdint>
#include <string>

#include "core/catalog.h"
#include "export/export_request.h"
#include "fuzz_input.h"
#include "server/request_body.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto body = scout::parse_export_body(std::string(scout::fuzz::as_text(data, size)));
  if (!body.ok()) return 0;
  auto plan = scout::plan_export(scout::Catalog::builtin(), body->request);
  if (!plan.ok()) return 0;

  const scout::Schema& schema = plan->dataset->schema;
  if (plan->columns.empty() || plan->columns.size() != plan->output_schema.size()) __builtin_trap();
  for (int c : plan->columns) {
    if (c < 0 || static_cast<size_t>(c) >= schema.size()) __builtin_trap();
  }
  if (plan->partition_column >= static_cast<int>(plan->output_schema.size())) __builtin_trap();
  if (plan->date_from && plan->date_to && *plan->date_from > *plan->date_to) __builtin_trap();
  if (plan->limit && *plan->limit <= 0) __builtin_trap();

  // The source reports at most the limit; a warehouse table holds far fewer than 2^40 rows.
  const int64_t rows = std::min<int64_t>(plan->limit.value_or(1'000'000), int64_t{1} << 40);
  if (scout::estimate_export_bytes(*plan, rows) < 0) __builtin_trap();
  return 0;
}
