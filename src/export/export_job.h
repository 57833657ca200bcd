// One export from start to finish: check the source's schema against the catalog, stream the
// rows through the format writer into the store's objects, publish them, and write the
// manifest last: it is the commit marker, so a reader that finds it finds every file it lists,
// and an export without one is not finished. On failure nothing of the export is left.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "export/export_request.h"
#include "export/partitioned_output.h"
#include "export/records.h"
#include "source/source.h"
#include "storage/export_store.h"

namespace scout {

// Shared between the running export and whoever watches it (a progress bar, the job table).
struct ExportProgress {
  std::atomic<int64_t> rows_written{0};
  std::atomic<int64_t> bytes_written{0};
  std::atomic<int64_t> estimated_rows{-1};  // -1 until the source has estimated
  std::atomic<bool> cancel_requested{false};
};

std::string iso_timestamp_now_millis();

// The source query a plan asks for, as `caller`.
SourceQuery source_query_for(const ExportPlan& plan, const Caller& caller);

// Runs the plan against `source` as `caller`, writing the store's keys under `prefix` ("" for
// the store's root). On any failure, cancellation included, nothing new is left there.
Result<ExportResult> run_export(const ExportPlan& plan, Source& source, const Caller& caller,
                                ExportStore& store, const std::string& prefix,
                                ExportProgress* progress);

// Compares the source's columns with the catalog's; the error contains "schema" and names the
// dataset, column, expected and actual type.
Status validate_source_schema(const DatasetSpec& dataset, const Schema& actual);

}  // namespace scout
