#include "export/export_job.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "export/api_json.h"
#include "source/prefetching_reader.h"

namespace scout {

std::string iso_timestamp_now_millis() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

Status validate_source_schema(const DatasetSpec& dataset, const Schema& actual) {
  for (const Field& expected : dataset.schema.fields) {
    int idx = actual.index_of(expected.name);
    if (idx < 0) {
      return Status::SchemaMismatch("schema validation failed for dataset '" + dataset.name +
                                    "': column '" + expected.name + "' (" +
                                    expected.type.name() + ") is missing from the source");
    }
    const Field& found = actual[idx];
    if (!(found.type == expected.type)) {
      return Status::SchemaMismatch("schema validation failed for dataset '" + dataset.name +
                                    "': column '" + expected.name + "' expected " +
                                    expected.type.name() + ", found " + found.type.name());
    }
  }
  return Status::OK();
}

SourceQuery source_query_for(const ExportPlan& plan, const Caller& caller) {
  SourceQuery query;
  query.dataset = plan.dataset;
  query.columns = plan.columns;
  query.date_from = plan.date_from;
  query.date_to = plan.date_to;
  query.limit = plan.limit;
  query.caller = caller;
  query.policy = plan.policy;
  query.apply_region_filter = plan.apply_region_filter;
  if (plan.partition_column >= 0) query.order_by_column = plan.columns[plan.partition_column];
  return query;
}

Result<ExportResult> run_export(const ExportPlan& plan, Source& source, const Caller& caller,
                                ExportStore& store, const std::string& prefix,
                                ExportProgress* progress) {
  const auto started = std::chrono::steady_clock::now();
  ExportResult result;
  result.dataset = plan.dataset->name;
  result.format = export_format_name(plan.format.format);
  result.compression = compression_name(plan.format.format, plan.format.codec);
  if (plan.format.format == ExportFormat::kParquet) {
    result.parquet_version = parquet_version_name(plan.format.parquet_version);
  }
  if (plan.partition_column >= 0) result.partition_by = plan.output_schema[plan.partition_column].name;
  result.schema = plan.output_schema;
  result.created_at = iso_timestamp_now_millis();

  SCOUT_ASSIGN_OR_RETURN(Schema actual, source.describe(*plan.dataset));
  SCOUT_RETURN_IF_ERROR(validate_source_schema(*plan.dataset, actual));

  SourceQuery query = source_query_for(plan, caller);
  query.row_count = &progress->estimated_rows;

  SCOUT_ASSIGN_OR_RETURN(auto output, PartitionedOutput::create(store, prefix, plan));
  SCOUT_ASSIGN_OR_RETURN(auto reader, source.open(query));
  PrefetchingReader batches(*reader, plan.output_schema);
  while (true) {
    if (progress->cancel_requested) {
      batches.cancel();
      return Status::Cancelled("export of '" + plan.dataset->name + "' was cancelled");
    }
    SCOUT_ASSIGN_OR_RETURN(const ColumnBatch* batch, batches.next());
    if (!batch) break;
    SCOUT_RETURN_IF_ERROR(output->write(*batch));
    progress->rows_written = output->rows_written();
    progress->bytes_written = output->bytes_written();
  }
  SCOUT_ASSIGN_OR_RETURN(result.files, output->publish());
  for (const ExportedFile& f : result.files) {
    result.row_count += f.rows;
    result.total_bytes += f.bytes;
  }
  progress->rows_written = result.row_count;
  progress->bytes_written = result.total_bytes;
  result.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count();
  const std::string manifest_key = prefix.empty() ? "manifest.json" : prefix + "/manifest.json";
  Status manifest = store.put_object(manifest_key, manifest_json(result).dump(2) + "\n");
  if (!manifest.ok()) {
    output->abandon();
    return manifest;
  }
  return result;
}

}  // namespace scout
