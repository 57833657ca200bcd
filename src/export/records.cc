#include "export/records.h"

#include "core/catalog.h"

namespace scout {

const char* job_status_name(JobStatus status) {
  switch (status) {
    case JobStatus::kQueued: return "queued";
    case JobStatus::kRunning: return "running";
    case JobStatus::kSucceeded: return "succeeded";
    case JobStatus::kFailed: return "failed";
    case JobStatus::kCancelled: return "cancelled";
  }
  return "unknown";
}

std::optional<JobStatus> parse_job_status(std::string_view name) {
  for (JobStatus s : {JobStatus::kQueued, JobStatus::kRunning, JobStatus::kSucceeded,
                      JobStatus::kFailed, JobStatus::kCancelled}) {
    if (name == job_status_name(s)) return s;
  }
  return std::nullopt;
}

DatasetInfo dataset_info(const DatasetSpec& spec) {
  return {spec.name,         spec.table,       spec.layer, spec.description,
          spec.partition_column, spec.date_column, spec.schema};
}

std::vector<DatasetInfo> dataset_infos(const Catalog& catalog) {
  std::vector<DatasetInfo> out;
  for (const DatasetSpec& d : catalog.datasets()) out.push_back(dataset_info(d));
  return out;
}

}  // namespace scout
