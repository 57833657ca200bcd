// The one place the typed records (export/records.h) become JSON and come back: the API's
// answers, the job records kept on disk and the export's manifest.json. Field order is the
// API's, hence ordered_json; the OpenAPI document (server/openapi.cc) and the TypeScript client
// describe these shapes, and server/api_schema_test.cc holds them to it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "export/records.h"
#include "scout/status.h"

namespace scout {

// The guide's `schema` object: column name to API type name, in column order.
nlohmann::ordered_json schema_to_json(const Schema& schema);

// The fields of an export that do not depend on where it is served: dataset, format,
// [file_path], file_size, row_count, schema, compression, parquet_version, partition_by,
// created_at, duration_ms, files. `file_path` is emitted only when given (`export --json`).
nlohmann::ordered_json export_result_json(const ExportResult& result,
                                          const std::string* file_path = nullptr);
Result<ExportResult> export_result_from_json(const nlohmann::ordered_json& json);

// manifest.json: export_result_json plus its manifest_version.
nlohmann::ordered_json manifest_json(const ExportResult& result);

// Where a served export's files are found: their keys are `<export_id>/<path>`, each signed by
// `signed_url`, and every link expires at `expires_at` (ISO 8601).
struct ExportLinks {
  std::string export_id;
  std::function<std::string(const std::string& key)> signed_url;
  std::string expires_at;
};

// POST /export's answer: the guide's fields plus signed URLs for every file.
nlohmann::ordered_json export_response_json(const ExportResult& result, const ExportLinks& links);

// GET /exports/{id}: status, progress, times, the request, and the result or the error.
nlohmann::ordered_json job_status_json(const JobRecord& job, const ExportLinks& links);

// GET /exports: a page of jobs, each as job_status_json, and the cursor of the next page (null
// on the last one).
nlohmann::ordered_json export_list_json(const std::vector<JobRecord>& jobs,
                                        const std::function<ExportLinks(const std::string& id)>& links_for,
                                        const std::optional<std::string>& next_cursor);

// The job record in the data dir, and back; the error keeps its code. A record that is not
// one is Corruption.
nlohmann::ordered_json job_record_json(const JobRecord& job);
Result<JobRecord> job_record_from_json(const nlohmann::ordered_json& json);

// GET /datasets and `datasets --json`.
nlohmann::ordered_json datasets_json(const std::vector<DatasetInfo>& datasets);

}  // namespace scout
