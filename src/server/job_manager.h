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
#include "server/auth.h"
#include "server/metrics.h"

namespace scout {

enum class JobStatus { kQueued, kRunning, kSucceeded, kFailed, kCancelled };
const char* job_status_name(JobStatus status);

struct ExportJob {
  std::string id;
  ExportPlan plan;
  nlohmann::json request_json;  // as the caller sent it, for the record and the audit log
  Principal principal;
  ExportProgress progress;

  // Guarded by the manager's mutex.
  JobStatus status = JobStatus::kQueued;
  nlohmann::ordered_json result;  // ExportResult::to_json() once succeeded
  Status error;
  std::string created_at;
  int64_t created_unix = 0;
  std::string finished_at;
  int64_t finished_unix = 0;
};

struct JobManagerOptions {
  std::string data_dir;
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
  // The job's status/progress/result as the API reports it (signed URLs added by the caller).
  nlohmann::ordered_json describe(const ExportJob& job) const;

  std::string export_dir(const std::string& id) const;
  int64_t queue_depth() const;
  // Removes finished exports older than the retention period; returns how many.
  int sweep_expired(int64_t now_unix);

 private:
  void worker_loop();
  void run_job(const std::shared_ptr<ExportJob>& job);
  void persist(const ExportJob& job) const;
  std::string record_path(const std::string& id) const;

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
