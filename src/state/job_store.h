// Where export jobs are recorded and queued. Two stores: files in the data dir, for one
// instance (FileJobStore), and PostgreSQL, shared by every instance that names the same state
// database (PgJobStore in state/pg_state.h), where the database is the queue, the lock and the
// clock. The job manager (server/job_manager.h) runs what it claims here.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "export/records.h"
#include "scout/status.h"

namespace scout {

// Who asked for a job, kept with it so that any instance can run it as them.
struct JobRequester {
  std::string subject;  // the record's requested_by
  std::string kind;     // "api_key" | "jwt"
  std::string role;
  std::optional<std::string> region;
  std::string claims_json;  // what the warehouse session is given
};

// A job as one worker holds it: the attempt that runs it now (1 for the first run).
struct ClaimedJob {
  JobRecord record;
  JobRequester requester;
  int attempt = 1;
};

// What a running attempt learns when it reports its progress.
struct JobHeartbeat {
  bool still_owned = true;  // false: the job was taken over or deleted; stop without a word
  bool cancel_requested = false;
};

// The limits of the shared queue: jobs running at once (across every instance of the store),
// and jobs that may wait once they are reached.
struct QueueLimits {
  int workers = 2;
  int max_queue = 16;
};

// Where a job stands in a listing, newest first: by its record's creation time, then by id.
// A position stays meaningful when the job at it is deleted, so a listing keeps its place.
struct JobListPosition {
  std::string created_at;  // the record's created_at (ISO 8601 UTC, sorts as text)
  std::string id;
};

// One page of a requester's jobs, newest first.
struct JobPage {
  std::vector<JobRecord> jobs;
  bool more = false;  // another page follows the last job of this one
};

// A job ended without running to its end: by the attempt cap, or cancelled while its instance
// was gone. Its output must be discarded.
struct AbandonedJob {
  std::string id;
  JobStatus status;
};

class JobStore {
 public:
  virtual ~JobStore() = default;

  // Whether other instances share this store (then queued jobs outlive this instance).
  virtual bool shared() const = 0;
  // At start: the jobs this store knows that no one runs any more and that it ended (an
  // unshared store's queued and running jobs, whose instance was this one).
  virtual Result<std::vector<AbandonedJob>> recover_at_start() = 0;
  // Queues a job; ResourceExhausted when `limits.workers` run and `limits.max_queue` wait.
  virtual Status enqueue(const JobRecord& record, const JobRequester& requester,
                         const QueueLimits& limits) = 0;
  // The oldest queued job (or one whose instance stopped heartbeating for `lease_seconds`),
  // now running as this instance's, unless `limits.workers` jobs already run. Jobs found past
  // the attempt cap, or cancelled while their instance was gone, are ended and added to
  // `abandoned`.
  virtual Result<std::optional<ClaimedJob>> claim(const QueueLimits& limits,
                                                  const std::string& instance_id,
                                                  int lease_seconds, int max_attempts,
                                                  std::vector<AbandonedJob>* abandoned) = 0;
  // Extends the attempt's lease by `lease_seconds` and publishes its progress.
  virtual Result<JobHeartbeat> heartbeat(const std::string& id, int attempt,
                                         const JobProgress& progress, int lease_seconds) = 0;
  // Ends the job with `record` (its status, result or error) if `attempt` still owns it;
  // false when it does not (the outcome is then not recorded).
  virtual Result<bool> finish(const JobRecord& record, int attempt) = 0;
  // This instance stops: its running attempt goes back to the queue (shared store) or fails
  // (unshared), and an unshared store fails what waits too.
  virtual Status release(const std::string& id, int attempt) = 0;
  virtual Status fail_queued_at_shutdown() = 0;

  // The job as of now, its progress as last reported; nullopt when there is none.
  virtual Result<std::optional<JobRecord>> get(const std::string& id) = 0;
  // Cancels a queued job, asks a running one to stop, or deletes a finished one's record.
  // Returns the status it had (nullopt: no such job). A deleted job's files are the caller's.
  virtual Result<std::optional<JobStatus>> cancel_or_delete(const std::string& id) = 0;
  // The jobs of `requested_by`, newest first, at most `limit`, those after `after` when given.
  virtual Result<JobPage> list_for_requester(const std::string& requested_by, int limit,
                                             const std::optional<JobListPosition>& after) = 0;
  // Deletes the records of jobs finished more than `retention_seconds` ago and returns their
  // ids, each to one caller only (whose job is then to remove the files).
  virtual Result<std::vector<std::string>> take_expired(int64_t retention_seconds) = 0;
  // Jobs waiting, of every instance of the store (the queue depth of /metrics).
  virtual Result<int64_t> queued_count() = 0;
  // OK when the store answers.
  virtual Status ping() = 0;
};

// Job records as JSON files under `<data dir>/jobs`, the queue in memory: for one instance.
class FileJobStore : public JobStore {
 public:
  explicit FileJobStore(std::string jobs_dir) : jobs_dir_(std::move(jobs_dir)) {}

  bool shared() const override { return false; }
  Result<std::vector<AbandonedJob>> recover_at_start() override;
  Status enqueue(const JobRecord& record, const JobRequester& requester,
                 const QueueLimits& limits) override;
  Result<std::optional<ClaimedJob>> claim(const QueueLimits& limits, const std::string& instance_id,
                                          int lease_seconds, int max_attempts,
                                          std::vector<AbandonedJob>* abandoned) override;
  Result<JobHeartbeat> heartbeat(const std::string& id, int attempt, const JobProgress& progress,
                                 int lease_seconds) override;
  Result<bool> finish(const JobRecord& record, int attempt) override;
  Status release(const std::string& id, int attempt) override;
  Status fail_queued_at_shutdown() override;
  Result<std::optional<JobRecord>> get(const std::string& id) override;
  Result<std::optional<JobStatus>> cancel_or_delete(const std::string& id) override;
  Result<JobPage> list_for_requester(const std::string& requested_by, int limit,
                                     const std::optional<JobListPosition>& after) override;
  Result<std::vector<std::string>> take_expired(int64_t retention_seconds) override;
  Result<int64_t> queued_count() override;
  Status ping() override { return Status::OK(); }

  // Ids of every job on record (the job manager removes export folders no record owns).
  std::vector<std::string> ids() const;

 private:
  struct Entry {
    JobRecord record;
    JobRequester requester;
    bool cancel_requested = false;
  };
  // Writes the record whole or not at all: a failed write leaves the previous record in place.
  Status persist(const JobRecord& record) const;
  // persist() where the job's caller cannot be told: the failure goes to the operator's log.
  void persist_or_log(const JobRecord& record) const;
  std::string record_path(const std::string& id) const;

  std::string jobs_dir_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> jobs_;
  std::deque<std::string> queue_;
  int running_ = 0;
};

// Ends a job's record: its outcome, why (a failure's or cancellation's status), and when.
void end_job_record(JobRecord* record, JobStatus status, Status error = Status::OK());

}  // namespace scout
