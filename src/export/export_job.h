// One export from start to finish: check the source's schema against the catalog, stream the
// rows through the format writer into staged files, publish them with a manifest. Either the
// whole export appears in the output folder or nothing of it does.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "export/export_request.h"
#include "export/partitioned_output.h"
#include "export/records.h"
#include "source/source.h"

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

// Runs the plan against `source` as `caller`, writing into `out_dir` (created if missing).
// On any failure, cancellation included, nothing new is left in `out_dir`.
Result<ExportResult> run_export(const ExportPlan& plan, Source& source, const Caller& caller,
                                const std::string& out_dir, ExportProgress* progress);

// Compares the source's columns with the catalog's; the error contains "schema" and names the
// dataset, column, expected and actual type.
Status validate_source_schema(const DatasetSpec& dataset, const Schema& actual);

}  // namespace scout
