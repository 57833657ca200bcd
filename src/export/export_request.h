// What a caller asks for (the guide's POST /export body, or the CLI's flags) and the checked
// plan made from it. Every identifier in a plan comes from the catalog, never from the caller.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/catalog.h"
#include "export/format_writer.h"
#include "scout/status.h"

namespace scout {

struct ExportRequest {
  std::string dataset;
  std::string format = "parquet";
  std::optional<std::string> compression;  // default: snappy for parquet, none for csv/json
  std::optional<int> compression_level;    // default: the codec's own; ranges in common/compression_levels.h
  std::optional<std::string> partition_by;
  std::optional<std::string> date_from;  // date_range.start, YYYY-MM-DD, inclusive
  std::optional<std::string> date_to;    // date_range.end, YYYY-MM-DD, inclusive
  std::optional<int64_t> limit;
  std::vector<std::string> columns;  // empty: every column, in catalog order
  int64_t max_file_size = 0;         // bytes; 0: one file per partition
  bool json_array = false;
  std::optional<std::string> parquet_version;  // "v1" (default) or "v2"; parquet only
};

struct ExportPlan {
  const DatasetSpec* dataset = nullptr;
  const AccessPolicy* policy = &AccessPolicy::standard();  // the catalog's
  std::vector<int> columns;  // indices into dataset->schema, in output order
  Schema output_schema;
  FormatOptions format;
  int partition_column = -1;  // index into output_schema; -1: not partitioned
  std::optional<int32_t> date_from, date_to;  // days since epoch
  std::optional<int64_t> limit;
  int64_t max_file_size = 0;
  bool apply_region_filter = true;  // see SourceQuery::apply_region_filter
};

// Checks the request against the catalog. Errors name the field, the bad value and the valid
// choices ("Invalid dataset 'x'. Available datasets: ..."), as the guide's clients expect.
Result<ExportPlan> plan_export(const Catalog& catalog, const ExportRequest& request);

// Expected output bytes for `rows` rows of the plan: the columns' encoded widths times a
// typical ratio for the format and codec. An estimate, not a promise.
int64_t estimate_export_bytes(const ExportPlan& plan, int64_t rows);

}  // namespace scout
