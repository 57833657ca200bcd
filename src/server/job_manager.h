// Exports run as jobs on a fixed pool of workers, never on an HTTP thread. A bounded queue
// holds what waits; past it, submit() refuses with ResourceExhausted (the API's 429). Job
// records are files under <data-dir>/jobs, so they survive a restart; a job that was running
// when the server died is marked failed at the next start and its partial files removed.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "export/export_job.h"
#include "export/records.h"
#include "server/auth.h"
#include "server/metrics.h"
#include "storage/export_store.h"

namespace scout {

struct ExportJob {
  ExportPlan plan;
  Principal principal;
  ExportProgress progress;  // live; JobManager::describe copies it into the record it returns
  JobRecord record;         // guarded by the manager's mutex; its id never changes
};

struct JobManagerOptions {
  std::string data_dir;
  // Where exports' files go, under the key prefix "<export id>" (storage/export_store.h); the
  // service owns it.
  ExportStore* store = nullptr;
  std::string warehouse_url;
  int workers = 2;
  int max_queue = 16;
  int64_t retention_seconds = 24 * 3600;
};

class JobManager {
 public:
  using OnFinish = std::function<void(const ExportJob&)>;

  JobManager(JobManagerOptions options, Metrics* metrics, OnFinish on_finish);
  ~JobManager();  // stops: cancels running exports, fails queued ones

  // Marks interrupted jobs failed and removes their partial files; starts the workers.
  Status start();
  void stop();

  Result<std::shared_ptr<ExportJob>> submit(ExportPlan plan, nlohmann::json request_json,
                                            Principal principal);
  std::shared_ptr<ExportJob> find(const std::string& id) const;
  // Blocks until the job ends or `timeout_ms` passes; true when it ended.
  bool wait(const std::shared_ptr<ExportJob>& job, int64_t timeout_ms);
  // Cancels a queued or running job, or deletes a finished one and its files.
  Status cancel_or_delete(const std::string& id);
  // The job's record as of now, progress included (api_json.h turns it into the API's JSON).
  JobRecord describe(const ExportJob& job) const;

  // Removes finished exports older than the retention period; returns how many.
  int sweep_expired(int64_t now_unix);

 private:
  void worker_loop();
  void run_job(const std::shared_ptr<ExportJob>& job);
  // Reads the records in <data-dir>/jobs; interrupted jobs are marked failed.
  Status load_records();
  // Writes the record whole or not at all: a failed write leaves the previous record in place.
  Status persist(const JobRecord& record) const;
  // persist() where the job's caller cannot be told: the failure goes to the operator's log.
  void persist_or_log(const JobRecord& record) const;
  std::string record_path(const std::string& id) const;
  // Removes an export's objects (partial, failed or orphaned), aborting its incomplete
  // uploads first.
  Status remove_export_files(const std::string& id) const;
  // remove_export_files() where the job's outcome stands either way: a failure is logged.
  void remove_export_files_or_log(const std::string& id) const;

  JobManagerOptions options_;
  Metrics* metrics_;
  OnFinish on_finish_;
  mutable std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable job_done_;
  std::deque<std::shared_ptr<ExportJob>> queue_;
  std::map<std::string, std::shared_ptr<ExportJob>> jobs_;
  std::vector<std::thread> workers_;
  bool stopping_ = false;
};

std::string new_uuid_v4();

}  // namespace scout
