#include "server/job_manager.h"

#include <openssl/rand.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "common/clock.h"
#include "common/hex.h"
#include "server/data_dir.h"
#include "server/request_body.h"
#include "source/source.h"

namespace scout {
namespace fs = std::filesystem;

namespace {

// How often an idle worker looks at a shared queue for jobs that other instances queued.
constexpr auto kClaimPollInterval = std::chrono::milliseconds(300);

// Removes an orphaned export folder of a local store. A failure is logged: the next start
// retries it.
void remove_orphan_folder(const fs::path& dir) {
  std::error_code error;
  fs::remove_all(dir, error);
  if (error) {
    std::fprintf(stderr, "jobs: cannot remove the orphaned export files '%s': %s\n", dir.c_str(),
                 error.message().c_str());
  }
}

std::string new_instance_id() {
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(::getpid()) + ":" + new_uuid_v4().substr(0, 8);
}

}  // namespace

std::string new_uuid_v4() {
  unsigned char b[16];
  RAND_bytes(b, sizeof b);
  b[6] = (b[6] & 0x0F) | 0x40;
  b[8] = (b[8] & 0x3F) | 0x80;
  return uuid_text(b);
}

JobRequester requester_of(const Principal& p) {
  return JobRequester{p.subject, p.kind, p.role, p.region, p.claims_json};
}

Principal principal_of(const JobRequester& r) {
  Principal p;
  p.subject = r.subject;
  p.kind = r.kind;
  p.role = r.role;
  p.region = r.region;
  p.claims_json = r.claims_json;
  return p;
}

JobManager::JobManager(JobManagerOptions options, const Catalog* catalog, JobStore* store,
                       Metrics* metrics, OnFinish on_finish)
    : options_(std::move(options)),
      catalog_(catalog),
      store_(store),
      metrics_(metrics),
      on_finish_(std::move(on_finish)),
      instance_id_(new_instance_id()) {}

JobManager::~JobManager() { stop(); }

Status JobManager::remove_export_files(const std::string& id) const {
  SCOUT_RETURN_IF_ERROR(options_.store->abort_incomplete_uploads(id));
  return options_.store->remove_prefix(id);
}

// The job's outcome stands either way: a failure is logged (a local store's orphans are swept
// at the next start).
void JobManager::discard_dead_attempt_output(const std::string& id) {
  Status removed = remove_export_files(id);
  if (!removed.ok()) {
    std::fprintf(stderr, "jobs: cannot remove the files of export '%s': %s\n", id.c_str(),
                 removed.message().c_str());
  }
}

Status JobManager::start() {
  SCOUT_RETURN_IF_ERROR(create_private_dir(options_.data_dir + "/exports"));
  if (!store_->shared()) {
    SCOUT_RETURN_IF_ERROR(create_private_dir(options_.data_dir + "/jobs"));
    SCOUT_ASSIGN_OR_RETURN(auto abandoned, store_->recover_at_start());
    for (const auto& job : abandoned) discard_dead_attempt_output(job.id);
    // Export folders that no record owns are leftovers of a crash before the first record
    // write: a local store's, whose root is this folder (a bucket's go with their job). A
    // shared store's instances cannot tell: another may be about to write one.
    const std::string exports = options_.data_dir + "/exports";
    std::error_code list_error;
    for (fs::directory_iterator it(exports, list_error), end; !list_error && it != end;
         it.increment(list_error)) {
      auto known = store_->get(it->path().filename().string());
      if (known.ok() && !known->has_value()) remove_orphan_folder(it->path());
    }
    if (list_error) {
      return Status::IOError("cannot list '" + exports + "': " + list_error.message());
    }
  }
  std::lock_guard lock(mutex_);
  started_ = true;
  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { worker_loop(); });
  heartbeat_ = std::thread([this] { heartbeat_loop(); });
  return Status::OK();
}

void JobManager::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    for (auto& [id, run] : running_) run->progress.cancel_requested = true;
  }
  work_ready_.notify_all();
  for (auto& t : workers_) {
    if (t.joinable()) t.join();
  }
  workers_.clear();
  {
    std::lock_guard lock(mutex_);
    heartbeat_stopping_ = true;
  }
  heartbeat_wake_.notify_all();
  if (heartbeat_.joinable()) heartbeat_.join();
  if (started_) {
    Status failed = store_->fail_queued_at_shutdown();
    if (!failed.ok()) std::fprintf(stderr, "jobs: %s\n", failed.message().c_str());
  }
  job_done_.notify_all();
}

Result<JobRecord> JobManager::submit(const nlohmann::json& request_json, const Principal& principal) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return Status::Unavailable("the server is shutting down");
  }
  JobRecord rec;
  rec.id = new_uuid_v4();
  rec.requested_by = principal.subject;
  rec.request = request_json;
  rec.created_at = iso_timestamp_now_millis();
  rec.created_unix = now_unix();
  SCOUT_RETURN_IF_ERROR(store_->enqueue(rec, requester_of(principal), limits()));
  work_ready_.notify_one();
  return rec;
}

Result<std::optional<JobRecord>> JobManager::find(const std::string& id) {
  SCOUT_ASSIGN_OR_RETURN(std::optional<JobRecord> rec, store_->get(id));
  if (!rec || rec->status != JobStatus::kRunning) return rec;
  // Running here: the progress of this very moment, not of the last heartbeat.
  std::lock_guard lock(mutex_);
  auto it = running_.find(id);
  if (it != running_.end()) {
    const ExportProgress& live = it->second->progress;
    rec->progress.rows_written = live.rows_written.load();
    rec->progress.bytes_written = live.bytes_written.load();
    int64_t estimate = live.estimated_rows.load();
    if (estimate >= 0) rec->progress.estimated_rows = estimate;
  }
  return rec;
}

Result<std::optional<JobRecord>> JobManager::wait(const std::string& id, int64_t timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    SCOUT_ASSIGN_OR_RETURN(std::optional<JobRecord> rec, find(id));
    if (!rec || is_finished(rec->status)) return rec;
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return rec;
    // Woken when a job of this instance ends; a job that another instance runs is looked up
    // again at the claim poll's pace.
    std::unique_lock lock(mutex_);
    job_done_.wait_for(lock, std::min<std::chrono::steady_clock::duration>(
                                 deadline - now, kClaimPollInterval));
  }
}

Result<std::optional<JobStatus>> JobManager::cancel_or_delete(const std::string& id) {
  SCOUT_ASSIGN_OR_RETURN(std::optional<JobStatus> before, store_->cancel_or_delete(id));
  if (!before) return before;
  if (*before == JobStatus::kRunning) {
    // Running here: stop now rather than at the next heartbeat.
    std::lock_guard lock(mutex_);
    auto it = running_.find(id);
    if (it != running_.end()) {
      it->second->cancelled_by_user = true;
      it->second->progress.cancel_requested = true;
    }
  } else if (is_finished(*before)) {
    Status files = remove_export_files(id);
    if (!files.ok()) {
      return Status::IOError("export '" + id + "' was deleted but its files remain: " + files.message());
    }
  }
  job_done_.notify_all();
  return before;
}

Result<JobPage> JobManager::list_for_requester(const std::string& requested_by, int limit,
                                               const std::optional<JobListPosition>& after) {
  return store_->list_for_requester(requested_by, limit, after);
}

int JobManager::sweep_expired() {
  auto expired = store_->take_expired(options_.retention_seconds);
  if (!expired.ok()) {
    std::fprintf(stderr, "jobs: retention sweep: %s\n", expired.status().message().c_str());
    return 0;
  }
  for (const auto& id : *expired) discard_dead_attempt_output(id);
  return static_cast<int>(expired->size());
}

Status JobManager::state_health() { return store_->ping(); }

void JobManager::worker_loop() {
  bool store_was_away = false;
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    std::vector<AbandonedJob> abandoned;
    auto claimed = store_->claim(limits(), instance_id_, options_.lease_seconds,
                                 options_.max_attempts, &abandoned);
    for (const auto& job : abandoned) {
      std::fprintf(stderr, "jobs: export %s ended %s after its instance stopped answering\n",
                   job.id.c_str(), job_status_name(job.status));
      discard_dead_attempt_output(job.id);
    }
    if (!claimed.ok() && !store_was_away) {
      std::fprintf(stderr, "jobs: cannot claim a job: %s\n", claimed.status().message().c_str());
    }
    store_was_away = !claimed.ok();
    if (claimed.ok() && claimed->has_value()) {
      run_job(std::move(**claimed));
      continue;
    }
    std::unique_lock lock(mutex_);
    work_ready_.wait_for(lock, kClaimPollInterval, [&] { return stopping_; });
  }
}

void JobManager::heartbeat_loop() {
  // Several beats per lease, and at least one a second: cancels from other instances are read
  // with the beat.
  const auto interval = std::chrono::milliseconds(
      std::clamp(options_.lease_seconds * 1000 / 3, 100, 1000));
  std::unique_lock lock(mutex_);
  while (!heartbeat_stopping_) {
    heartbeat_wake_.wait_for(lock, interval, [&] { return heartbeat_stopping_; });
    std::vector<std::shared_ptr<LocalRun>> runs;
    for (const auto& [id, run] : running_) runs.push_back(run);
    lock.unlock();
    auto queued = store_->queued_count();
    if (queued.ok()) metrics_->queue_depth = *queued;
    for (const auto& run : runs) {
      JobProgress progress;
      progress.rows_written = run->progress.rows_written.load();
      progress.bytes_written = run->progress.bytes_written.load();
      int64_t estimate = run->progress.estimated_rows.load();
      if (estimate >= 0) progress.estimated_rows = estimate;
      auto beat = store_->heartbeat(run->id, run->attempt, progress, options_.lease_seconds);
      if (!beat.ok()) {
        std::fprintf(stderr, "jobs: heartbeat of %s: %s\n", run->id.c_str(),
                     beat.status().message().c_str());
        continue;
      }
      if (!beat->still_owned) {
        run->lost = true;
        run->progress.cancel_requested = true;
      } else if (beat->cancel_requested) {
        run->cancelled_by_user = true;
        run->progress.cancel_requested = true;
      }
    }
    lock.lock();
  }
}

Result<ExportResult> JobManager::run_attempt(const ClaimedJob& job, LocalRun* run) {
  // Every attempt plans from the request as recorded, so any instance can run any job.
  SCOUT_ASSIGN_OR_RETURN(ExportBody body, parse_export_body(job.record.request.dump()));
  SCOUT_ASSIGN_OR_RETURN(ExportPlan plan, plan_export(*catalog_, body.request));
  plan.format.threads = options_.export_threads;
  SCOUT_ASSIGN_OR_RETURN(auto source, open_source(options_.warehouse_url));
  Principal who = principal_of(job.requester);
  return run_export(plan, *source, caller_for(who, *plan.policy), *options_.store, job.record.id,
                    &run->progress);
}

bool JobManager::record_outcome(const JobRecord& record, int attempt) {
  // While the store is away the outcome waits; past the lease another instance runs the job
  // again anyway, so there is no point holding on longer.
  for (int tries = 0;; ++tries) {
    auto owned = store_->finish(record, attempt);
    if (owned.ok()) return *owned;
    if (tries == 0) {
      std::fprintf(stderr, "jobs: cannot record the outcome of %s: %s\n", record.id.c_str(),
                   owned.status().message().c_str());
    }
    if (tries >= options_.lease_seconds) return false;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

void JobManager::run_job(ClaimedJob job) {
  const std::string id = job.record.id;
  if (job.attempt > 1) {
    std::fprintf(stderr, "jobs: export %s: attempt %d, after an instance stopped answering\n",
                 id.c_str(), job.attempt);
    discard_dead_attempt_output(id);
  }
  auto run = std::make_shared<LocalRun>();
  run->id = id;
  run->attempt = job.attempt;
  {
    std::lock_guard lock(mutex_);
    running_[id] = run;
    if (stopping_) run->progress.cancel_requested = true;
  }
  metrics_->running_exports++;
  auto started = std::chrono::steady_clock::now();
  Result<ExportResult> result = run_attempt(job, run.get());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_->running_exports--;

  JobRecord rec = job.record;
  rec.progress.rows_written = run->progress.rows_written.load();
  rec.progress.bytes_written = run->progress.bytes_written.load();
  if (int64_t estimate = run->progress.estimated_rows.load(); estimate >= 0) {
    rec.progress.estimated_rows = estimate;
  }
  const bool cancelled = !result.ok() && result.status().code() == StatusCode::kCancelled;
  bool recorded = false;
  if (run->lost) {
    std::fprintf(stderr, "jobs: export %s attempt %d was taken over by another instance\n",
                 id.c_str(), job.attempt);
  } else if (cancelled && !run->cancelled_by_user) {
    // This instance stops: the job is not the caller's to lose. A shared queue gives it to
    // another instance, which discards this attempt's output first; here it ends failed.
    Status released = store_->release(id, job.attempt);
    if (!released.ok()) std::fprintf(stderr, "jobs: %s\n", released.message().c_str());
    if (!store_->shared()) discard_dead_attempt_output(id);
  } else {
    if (result.ok()) {
      end_job_record(&rec, JobStatus::kSucceeded);
      rec.result = *result;
    } else {
      end_job_record(&rec, cancelled ? JobStatus::kCancelled : JobStatus::kFailed, result.status());
    }
    recorded = record_outcome(rec, job.attempt);
    // Files of an attempt that no longer owns the job may be the new owner's: left alone.
    if (recorded && !result.ok()) discard_dead_attempt_output(id);
    if (recorded) {
      metrics_->count_export(job_status_name(rec.status), result.ok() ? result->row_count : 0,
                             result.ok() ? result->total_bytes : 0, seconds);
    }
  }
  {
    std::lock_guard lock(mutex_);
    running_.erase(id);
  }
  job_done_.notify_all();
  if (recorded && on_finish_) on_finish_(rec, job.requester);
}

}  // namespace scout
