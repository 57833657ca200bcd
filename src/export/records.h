// The records the service keeps and reports, as types: a finished export, a job, a dataset.
// They become JSON in one place only (export/api_json.h): for the API, for the job records on
// disk and for the manifest.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "export/partitioned_output.h"
#include "scout/column_batch.h"
#include "scout/status.h"

namespace scout {

class Catalog;
struct DatasetSpec;

// What an export produced, whoever serves it (no export id, no URLs).
struct ExportResult {
  std::string dataset;
  std::string format;
  std::string compression;
  std::optional<std::string> parquet_version;  // parquet exports only
  std::optional<std::string> partition_by;
  Schema schema;
  int64_t row_count = 0;
  int64_t total_bytes = 0;
  std::vector<ExportedFile> files;
  std::string created_at;  // ISO 8601 UTC with milliseconds, as the guide shows
  int64_t duration_ms = 0;

  // The one file of an unpartitioned export that fit in one file; nullptr when there are several
  // (then the manifest stands for them) or none.
  const ExportedFile* single_file() const { return files.size() == 1 ? &files[0] : nullptr; }
};

enum class JobStatus { kQueued, kRunning, kSucceeded, kFailed, kCancelled };
const char* job_status_name(JobStatus status);
std::optional<JobStatus> parse_job_status(std::string_view name);
inline bool is_finished(JobStatus s) { return s != JobStatus::kQueued && s != JobStatus::kRunning; }

// How far a job has come, as of one reading.
struct JobProgress {
  int64_t rows_written = 0;
  int64_t bytes_written = 0;
  std::optional<int64_t> estimated_rows;  // once the source has estimated
};

// One export job as the API reports it and the data dir keeps it.
struct JobRecord {
  std::string id;
  JobStatus status = JobStatus::kQueued;
  JobProgress progress;        // reported by the API; not kept on disk
  std::string created_at;      // ISO 8601 UTC with milliseconds
  int64_t created_unix = 0;
  std::string finished_at;     // "" and 0 until the job ends
  int64_t finished_unix = 0;
  std::string requested_by;    // the caller's subject
  nlohmann::json request;      // the body as the caller sent it
  std::optional<ExportResult> result;  // once succeeded
  Status error;                // once failed or cancelled: why, with its code
};

// A dataset as GET /datasets and `datasets --json` list it.
struct DatasetInfo {
  std::string name;
  std::string table;
  std::string layer;
  std::string description;
  std::string partition_column;
  std::string date_column;
  Schema schema;
};

DatasetInfo dataset_info(const DatasetSpec& spec);
std::vector<DatasetInfo> dataset_infos(const Catalog& catalog);

}  // namespace scout
