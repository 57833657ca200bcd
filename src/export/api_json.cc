#include "export/api_json.h"

#include <algorithm>
#include <optional>
#include <string_view>

namespace scout {

using json = nlohmann::ordered_json;

namespace {

json optional_string(const std::optional<std::string>& s) { return s ? json(*s) : json(); }

std::optional<std::string> optional_string_from(const json& j) {
  if (j.is_null()) return std::nullopt;
  return j.get<std::string>();
}

json exported_file_json(const ExportedFile& f, const std::optional<std::string>& partition_by) {
  json entry = {{"path", f.path}, {"rows", f.rows}, {"bytes", f.bytes}, {"sha256", f.sha256}};
  if (partition_by) entry["partition"] = {{*partition_by, f.partition}};
  return entry;
}

json error_json(const Status& error) {
  return {{"code", status_code_name(error.code())}, {"message", error.message()}};
}

Status error_from_json(const json& j) {
  std::string message = j.value("message", "");
  StatusCode code = parse_status_code(j.value("code", "")).value_or(StatusCode::kInternal);
  // A failed job always has an error; an "ok" code on disk would lose it.
  if (code == StatusCode::kOk) code = StatusCode::kInternal;
  return Status(code, std::move(message));
}

json progress_json(const JobRecord& job) {
  const JobProgress& p = job.progress;
  int64_t estimate = p.estimated_rows.value_or(-1);
  double percent =
      job.status == JobStatus::kSucceeded ? 100.0
      : estimate > 0
          ? std::min(99.0, 100.0 * static_cast<double>(p.rows_written) / static_cast<double>(estimate))
          : 0.0;
  return {{"rows_written", p.rows_written},
          {"bytes_written", p.bytes_written},
          {"estimated_rows", p.estimated_rows ? json(*p.estimated_rows) : json()},
          {"percent", percent}};
}

}  // namespace

json schema_to_json(const Schema& schema) {
  json out = json::object();
  for (const Field& f : schema.fields) out[f.name] = f.type.name();
  return out;
}

json export_result_json(const ExportResult& r, const std::string* file_path) {
  json files = json::array();
  for (const ExportedFile& f : r.files) files.push_back(exported_file_json(f, r.partition_by));
  json out = {{"dataset", r.dataset}, {"format", r.format}};
  if (file_path) out["file_path"] = *file_path;
  out["file_size"] = r.total_bytes;
  out["row_count"] = r.row_count;
  out["schema"] = schema_to_json(r.schema);
  out["compression"] = r.compression;
  out["parquet_version"] = optional_string(r.parquet_version);
  out["partition_by"] = optional_string(r.partition_by);
  out["created_at"] = r.created_at;
  out["duration_ms"] = r.duration_ms;
  out["files"] = std::move(files);
  return out;
}

Result<ExportResult> export_result_from_json(const json& j) {
  try {
    ExportResult r;
    r.dataset = j.at("dataset").get<std::string>();
    r.format = j.at("format").get<std::string>();
    r.compression = j.at("compression").get<std::string>();
    r.parquet_version = optional_string_from(j.value("parquet_version", json()));
    r.partition_by = optional_string_from(j.value("partition_by", json()));
    for (const auto& [name, type_name] : j.at("schema").items()) {
      SCOUT_ASSIGN_OR_RETURN(DataType type, DataType::parse(type_name.get<std::string>()));
      r.schema.fields.push_back({name, type, true});
    }
    r.row_count = j.at("row_count").get<int64_t>();
    r.total_bytes = j.at("file_size").get<int64_t>();
    for (const json& f : j.at("files")) {
      ExportedFile file;
      file.path = f.at("path").get<std::string>();
      file.rows = f.at("rows").get<int64_t>();
      file.bytes = f.at("bytes").get<int64_t>();
      file.sha256 = f.at("sha256").get<std::string>();
      if (r.partition_by && f.contains("partition")) {
        file.partition = f["partition"].at(*r.partition_by).get<std::string>();
      }
      r.files.push_back(std::move(file));
    }
    r.created_at = j.at("created_at").get<std::string>();
    r.duration_ms = j.at("duration_ms").get<int64_t>();
    return r;
  } catch (const json::exception& e) {
    return Status::Corruption(std::string("not an export result: ") + e.what());
  }
}

json manifest_json(const ExportResult& result) {
  json manifest = export_result_json(result);
  manifest["manifest_version"] = 1;
  return manifest;
}

json export_response_json(const ExportResult& r, const ExportLinks& links) {
  const std::string manifest_key = links.export_id + "/manifest.json";
  json files = json::array();
  for (const ExportedFile& f : r.files) {
    json entry = exported_file_json(f, r.partition_by);
    std::string key = links.export_id + "/" + f.path;
    entry["file_path"] = key;
    entry["signed_url"] = links.signed_url(key);
    files.push_back(std::move(entry));
  }
  // One file is the export; several are found through the manifest.
  const ExportedFile* single = r.single_file();
  std::string main_key = single ? links.export_id + "/" + single->path : manifest_key;
  json out;
  out["export_id"] = links.export_id;
  out["file_path"] = main_key;
  out["file_size"] = r.total_bytes;
  out["row_count"] = r.row_count;
  out["schema"] = schema_to_json(r.schema);
  out["compression"] = r.compression;
  out["parquet_version"] = optional_string(r.parquet_version);
  out["created_at"] = r.created_at;
  out["signed_url"] = single ? files[0]["signed_url"] : json(links.signed_url(manifest_key));
  out["format"] = r.format;
  out["dataset"] = r.dataset;
  out["partition_by"] = optional_string(r.partition_by);
  out["files"] = std::move(files);
  out["manifest_url"] = links.signed_url(manifest_key);
  out["expires_at"] = links.expires_at;
  out["duration_ms"] = r.duration_ms;
  return out;
}

json job_status_json(const JobRecord& job, const ExportLinks& links) {
  json out = {{"export_id", job.id},
              {"status", job_status_name(job.status)},
              {"progress", progress_json(job)},
              {"created_at", job.created_at},
              {"created_unix", job.created_unix}};
  if (!job.finished_at.empty()) {
    out["finished_at"] = job.finished_at;
    out["finished_unix"] = job.finished_unix;
  }
  out["requested_by"] = job.requested_by;
  out["request"] = job.request;
  if (job.status == JobStatus::kSucceeded && job.result) {
    out["result"] = export_response_json(*job.result, links);
  }
  if (job.status == JobStatus::kFailed || job.status == JobStatus::kCancelled) {
    out["error"] = error_json(job.error);
  }
  return out;
}

json export_list_json(const std::vector<JobRecord>& jobs,
                      const std::function<ExportLinks(const std::string& id)>& links_for,
                      const std::optional<std::string>& next_cursor) {
  json exports = json::array();
  for (const JobRecord& job : jobs) exports.push_back(job_status_json(job, links_for(job.id)));
  return {{"exports", std::move(exports)},
          {"next_cursor", next_cursor ? json(*next_cursor) : json(nullptr)}};
}

json job_record_json(const JobRecord& job) {
  json rec = {{"export_id", job.id},
              {"status", job_status_name(job.status)},
              {"created_at", job.created_at},
              {"created_unix", job.created_unix},
              {"finished_at", job.finished_at},
              {"finished_unix", job.finished_unix},
              {"requested_by", job.requested_by},
              {"request", job.request}};
  if (job.status == JobStatus::kSucceeded && job.result) rec["result"] = export_result_json(*job.result);
  if (!job.error.ok()) rec["error"] = error_json(job.error);
  return rec;
}

Result<JobRecord> job_record_from_json(const json& j) {
  try {
    JobRecord job;
    job.id = j.at("export_id").get<std::string>();
    if (job.id.empty()) return Status::Corruption("job record without an export_id");
    // A status this build does not know cannot be trusted to have finished cleanly.
    job.status = parse_job_status(j.value("status", "")).value_or(JobStatus::kFailed);
    job.created_at = j.value("created_at", "");
    job.created_unix = j.value("created_unix", int64_t{0});
    job.finished_at = j.value("finished_at", "");
    job.finished_unix = j.value("finished_unix", int64_t{0});
    job.requested_by = j.value("requested_by", "");
    if (j.contains("request")) job.request = j["request"];
    if (j.contains("result") && job.status == JobStatus::kSucceeded) {
      SCOUT_ASSIGN_OR_RETURN(job.result, export_result_from_json(j["result"]));
    }
    if (j.contains("error") && j["error"].is_object()) job.error = error_from_json(j["error"]);
    return job;
  } catch (const json::exception& e) {
    return Status::Corruption(std::string("not a job record: ") + e.what());
  }
}

json datasets_json(const std::vector<DatasetInfo>& datasets) {
  json list = json::array();
  for (const DatasetInfo& d : datasets) {
    list.push_back({{"name", d.name},
                    {"table", d.table},
                    {"layer", d.layer},
                    {"description", d.description},
                    {"partition_column", d.partition_column},
                    {"date_column", d.date_column},
                    {"schema", schema_to_json(d.schema)},
                    {"columns", d.schema.size()}});
  }
  return {{"datasets", std::move(list)}};
}

}  // namespace scout
