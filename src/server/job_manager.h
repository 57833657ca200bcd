// Exports run as jobs on a fixed pool of workers, never on an HTTP thread. Jobs are recorded
// and queued in a JobStore (state/job_store.h): files of the data dir for one instance, or
// PostgreSQL shared by several. Workers claim jobs from the store, run them, report their
// progress with a heartbeat that also extends their lease and carries cancels from any
// instance, and record the outcome only if their attempt still owns the job. A job whose
// instance stops heartbeating is taken over by another instance after the lease and run again
// from the start, once the dead attempt's output is discarded.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/catalog.h"
#include "export/export_job.h"
#include "export/records.h"
#include "server/auth.h"
#include "server/metrics.h"
#include "state/job_store.h"
#include "storage/export_store.h"

namespace scout {

struct JobManagerOptions {
  std::string data_dir;
  // Where exports' files go, under the key prefix "<export id>" (storage/export_store.h); the
  // service owns it.
  ExportStore* store = nullptr;
  std::string warehouse_url;
  int workers = 2;     // running at once, across every instance of a shared store
  int max_queue = 16;  // waiting, likewise; one more is refused (the API's 429)
  int64_t retention_seconds = 24 * 3600;
  int lease_seconds = 30;  // a running job unheard of this long is taken over
  int export_threads = 0;  // of each export, from the process-wide pool; 0: all cores
  int max_attempts = 3;    // then it fails, naming why
};

class JobManager {
 public:
  using OnFinish = std::function<void(const JobRecord&, const JobRequester&)>;

  // `catalog` plans the jobs this instance claims; `store` keeps them. Both outlive the manager.
  JobManager(JobManagerOptions options, const Catalog* catalog, JobStore* store, Metrics* metrics,
             OnFinish on_finish);
  ~JobManager();  // stops

  // Ends the jobs an unshared store's last run left behind, removing their partial files;
  // starts the workers and the heartbeat.
  Status start();
  // Stops: running exports are cancelled and go back to a shared queue (or fail); an unshared
  // store's queued jobs fail.
  void stop();

  // Queues the export; ResourceExhausted when the queue is full (the API's 429).
  Result<JobRecord> submit(const nlohmann::json& request_json, const Principal& principal);
  // The job as of now, progress included; nullopt when there is none.
  Result<std::optional<JobRecord>> find(const std::string& id);
  // Waits until the job ends or `timeout_ms` passes; the job as it then is.
  Result<std::optional<JobRecord>> wait(const std::string& id, int64_t timeout_ms);
  // Cancels a queued or running job, or deletes a finished one and its files; the status it
  // had, nullopt when there was no such job.
  Result<std::optional<JobStatus>> cancel_or_delete(const std::string& id);
  // The requester's jobs, newest first (see JobStore::list_for_requester).
  Result<JobPage> list_for_requester(const std::string& requested_by, int limit,
                                     const std::optional<JobListPosition>& after);
  // Removes finished exports older than the retention period; returns how many.
  int sweep_expired();
  // OK when the job store answers.
  Status state_health();


 private:
  // An attempt running on this instance.
  struct LocalRun {
    std::string id;
    int attempt = 1;
    ExportProgress progress;
    std::atomic<bool> cancelled_by_user{false};
    std::atomic<bool> lost{false};  // another attempt owns the job now
  };

  void worker_loop();
  void heartbeat_loop();
  void run_job(ClaimedJob job);
  Result<ExportResult> run_attempt(const ClaimedJob& job, LocalRun* run);
  // The one place a dead or abandoned attempt's output is thrown away before the job runs
  // again or ends: whatever it wrote under the export's place in storage, its incomplete
  // uploads aborted first. A failure is logged.
  void discard_dead_attempt_output(const std::string& id);
  // Removes an export's objects (partial, failed, expired or deleted), aborting its incomplete
  // uploads first.
  Status remove_export_files(const std::string& id) const;
  // Records the outcome, retrying while the store is away; false when the attempt no longer
  // owns the job (then nothing was recorded).
  bool record_outcome(const JobRecord& record, int attempt);
  QueueLimits limits() const { return {options_.workers, options_.max_queue}; }

  JobManagerOptions options_;
  const Catalog* catalog_;
  JobStore* store_;
  Metrics* metrics_;
  OnFinish on_finish_;
  std::string instance_id_;
  mutable std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable job_done_;
  std::condition_variable heartbeat_wake_;
  std::map<std::string, std::shared_ptr<LocalRun>> running_;
  std::vector<std::thread> workers_;
  std::thread heartbeat_;
  bool stopping_ = false;
  bool heartbeat_stopping_ = false;
  bool started_ = false;
};

std::string new_uuid_v4();

// The requester kept with a job, and the principal it stands for.
JobRequester requester_of(const Principal& principal);
Principal principal_of(const JobRequester& requester);

}  // namespace scout
