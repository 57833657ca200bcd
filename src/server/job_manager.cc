#include "server/job_manager.h"

#include <openssl/rand.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/clock.h"
#include "common/hex.h"
#include "export/api_json.h"
#include "server/data_dir.h"

namespace scout {
namespace fs = std::filesystem;

namespace {

// Ends a job's record: its outcome, why (a failure's or cancellation's status), and when.
void end_record(JobRecord* rec, JobStatus status, Status error = Status::OK()) {
  rec->status = status;
  rec->error = std::move(error);
  rec->finished_at = iso_timestamp_now_millis();
  rec->finished_unix = now_unix();
}

}  // namespace

std::string new_uuid_v4() {
  unsigned char b[16];
  RAND_bytes(b, sizeof b);
  b[6] = (b[6] & 0x0F) | 0x40;
  b[8] = (b[8] & 0x3F) | 0x80;
  return uuid_text(b);
}

JobManager::JobManager(JobManagerOptions options, Metrics* metrics, OnFinish on_finish)
    : options_(std::move(options)), metrics_(metrics), on_finish_(std::move(on_finish)) {}

JobManager::~JobManager() { stop(); }

Status JobManager::remove_export_files(const std::string& id) const {
  SCOUT_RETURN_IF_ERROR(options_.store->abort_incomplete_uploads(id));
  return options_.store->remove_prefix(id);
}

// The next start retries what could not be removed in a local folder (orphans are swept).
void JobManager::remove_export_files_or_log(const std::string& id) const {
  Status removed = remove_export_files(id);
  if (!removed.ok()) {
    std::fprintf(stderr, "jobs: cannot remove the files of export '%s': %s\n", id.c_str(),
                 removed.message().c_str());
  }
}

std::string JobManager::record_path(const std::string& id) const {
  return options_.data_dir + "/jobs/" + id + ".json";
}

Status JobManager::start() {
  SCOUT_RETURN_IF_ERROR(create_private_dir(options_.data_dir + "/jobs"));
  SCOUT_RETURN_IF_ERROR(create_private_dir(options_.data_dir + "/exports"));
  SCOUT_RETURN_IF_ERROR(load_records());
  // Export folders that no record owns are leftovers of a crash before the first record write
  // (a local store's, whose root is this folder; a bucket's are removed with their job).
  const std::string exports = options_.data_dir + "/exports";
  std::error_code list_error;
  for (fs::directory_iterator it(exports, list_error), end; !list_error && it != end;
       it.increment(list_error)) {
    if (!jobs_.count(it->path().filename().string())) {
      std::error_code ec;
      fs::remove_all(it->path(), ec);
      if (ec) {
        std::fprintf(stderr, "jobs: cannot remove the orphaned export files '%s': %s\n",
                     it->path().c_str(), ec.message().c_str());
      }
    }
  }
  if (list_error) {
    return Status::IOError("cannot list '" + exports + "': " + list_error.message());
  }

  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { worker_loop(); });
  return Status::OK();
}

Status JobManager::load_records() {
  const std::string dir = options_.data_dir + "/jobs";
  std::error_code list_error;
  for (fs::directory_iterator it(dir, list_error), end; !list_error && it != end;
       it.increment(list_error)) {
    if (it->path().extension() != ".json") continue;
    std::ifstream in(it->path());
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = nlohmann::ordered_json::parse(text.str(), nullptr, false);
    auto record = parsed.is_object()
                      ? job_record_from_json(parsed)
                      : Result<JobRecord>(Status::Corruption("not a JSON object"));
    if (!record.ok()) {
      std::fprintf(stderr, "jobs: skipping the record '%s': %s\n", it->path().c_str(),
                   record.status().message().c_str());
      continue;
    }
    auto job = std::make_shared<ExportJob>();
    job->record = std::move(*record);
    job->principal.subject = job->record.requested_by;
    JobRecord& rec = job->record;
    if (!is_finished(rec.status)) {
      // The server died while this export was queued or running: its files are partial.
      remove_export_files_or_log(rec.id);
      end_record(&rec, JobStatus::kFailed,
                 Status(StatusCode::kUnavailable,
                        "the server stopped while this export was running; request it again"));
      persist_or_log(rec);
    }
    jobs_[rec.id] = job;
  }
  if (list_error) return Status::IOError("cannot list '" + dir + "': " + list_error.message());
  return Status::OK();
}

void JobManager::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    for (auto& [id, job] : jobs_) {
      if (job->record.status == JobStatus::kRunning) job->progress.cancel_requested = true;
    }
    for (auto& job : queue_) {
      end_record(&job->record, JobStatus::kFailed,
                 Status(StatusCode::kUnavailable, "the server shut down before this export ran"));
      persist_or_log(job->record);
    }
    queue_.clear();
  }
  work_ready_.notify_all();
  for (auto& t : workers_) {
    if (t.joinable()) t.join();
  }
  workers_.clear();
  job_done_.notify_all();
}

Result<std::shared_ptr<ExportJob>> JobManager::submit(ExportPlan plan, nlohmann::json request_json,
                                                      Principal principal) {
  auto job = std::make_shared<ExportJob>();
  job->plan = std::move(plan);
  job->principal = std::move(principal);
  JobRecord& rec = job->record;
  rec.id = new_uuid_v4();
  rec.requested_by = job->principal.subject;
  rec.request = std::move(request_json);
  rec.created_at = iso_timestamp_now_millis();
  rec.created_unix = now_unix();
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return Status::Unavailable("the server is shutting down");
    int64_t running = metrics_->running_exports.load();
    if (static_cast<int64_t>(queue_.size()) >= options_.max_queue &&
        running >= options_.workers) {
      return Status(StatusCode::kResourceExhausted,
                    "too many exports in progress (" + std::to_string(running) + " running, " +
                        std::to_string(queue_.size()) + " queued); retry shortly");
    }
    // A job that could not be recorded would vanish at the next start: refuse it instead.
    SCOUT_RETURN_IF_ERROR(persist(rec));
    jobs_[rec.id] = job;
    queue_.push_back(job);
    metrics_->queue_depth = static_cast<int64_t>(queue_.size());
  }
  work_ready_.notify_one();
  return job;
}

std::shared_ptr<ExportJob> JobManager::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(id);
  return it == jobs_.end() ? nullptr : it->second;
}

bool JobManager::wait(const std::shared_ptr<ExportJob>& job, int64_t timeout_ms) {
  std::unique_lock lock(mutex_);
  return job_done_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                            [&] { return is_finished(job->record.status); });
}

void JobManager::worker_loop() {
  while (true) {
    std::shared_ptr<ExportJob> job;
    {
      std::unique_lock lock(mutex_);
      work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = queue_.front();
      queue_.pop_front();
      metrics_->queue_depth = static_cast<int64_t>(queue_.size());
      job->record.status = JobStatus::kRunning;
      persist_or_log(job->record);
    }
    run_job(job);
  }
}

void JobManager::run_job(const std::shared_ptr<ExportJob>& job) {
  metrics_->running_exports++;
  auto started = std::chrono::steady_clock::now();
  Result<ExportResult> result = Status::Internal("not run");
  auto source = open_source(options_.warehouse_url);
  if (!source.ok()) {
    result = source.status();
  } else {
    result = run_export(job->plan, **source, caller_for(job->principal, *job->plan.policy),
                        *options_.store, job->record.id, &job->progress);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_->running_exports--;
  {
    std::lock_guard lock(mutex_);
    JobRecord& rec = job->record;
    if (result.ok()) {
      end_record(&rec, JobStatus::kSucceeded);
      metrics_->count_export("succeeded", result->row_count, result->total_bytes, seconds);
      rec.result = std::move(*result);
    } else {
      end_record(&rec,
                 result.status().code() == StatusCode::kCancelled ? JobStatus::kCancelled
                                                                  : JobStatus::kFailed,
                 result.status());
      remove_export_files_or_log(rec.id);
      metrics_->count_export(job_status_name(rec.status), 0, 0, seconds);
    }
    persist_or_log(rec);
  }
  job_done_.notify_all();
  if (on_finish_) on_finish_(*job);
}

Status JobManager::cancel_or_delete(const std::string& id) {
  std::shared_ptr<ExportJob> job;
  {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(id);
    if (it == jobs_.end()) return Status::NotFound("no export with id '" + id + "'");
    job = it->second;
    JobRecord& rec = job->record;
    if (rec.status == JobStatus::kQueued) {
      queue_.erase(std::remove(queue_.begin(), queue_.end(), job), queue_.end());
      metrics_->queue_depth = static_cast<int64_t>(queue_.size());
      end_record(&rec, JobStatus::kCancelled, Status::Cancelled("cancelled before it started"));
      persist_or_log(rec);
      job_done_.notify_all();
      return Status::OK();
    }
    if (rec.status == JobStatus::kRunning) {
      job->progress.cancel_requested = true;
      return Status::OK();
    }
    jobs_.erase(it);
  }
  // The job is gone from the table; what cannot be removed now the sweeper cannot find again.
  Status files = remove_export_files(id);
  std::error_code record_error;
  fs::remove(record_path(id), record_error);
  if (!files.ok()) {
    return Status::IOError("export '" + id + "' was deleted but its files remain: " + files.message());
  }
  if (record_error) {
    return Status::IOError("export '" + id + "' was deleted but its record remains: " +
                           record_error.message());
  }
  return Status::OK();
}

int JobManager::sweep_expired(int64_t now) {
  std::vector<std::string> expired;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, job] : jobs_) {
      if (is_finished(job->record.status) && job->record.finished_unix > 0 &&
          now - job->record.finished_unix > options_.retention_seconds) {
        expired.push_back(id);
      }
    }
  }
  for (const auto& id : expired) {
    Status removed = cancel_or_delete(id);
    if (!removed.ok()) std::fprintf(stderr, "jobs: %s\n", removed.message().c_str());
  }
  return static_cast<int>(expired.size());
}

JobRecord JobManager::describe(const ExportJob& job) const {
  std::lock_guard lock(mutex_);
  JobRecord rec = job.record;
  rec.progress.rows_written = job.progress.rows_written.load();
  rec.progress.bytes_written = job.progress.bytes_written.load();
  int64_t estimate = job.progress.estimated_rows.load();
  if (estimate >= 0) rec.progress.estimated_rows = estimate;
  return rec;
}

Status JobManager::persist(const JobRecord& record) const {
  std::string path = record_path(record.id), tmp = path + ".tmp";
  std::string text =
      job_record_json(record).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  bool written;
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text << "\n";
    out.close();
    written = !out.fail();
  }
  std::error_code ec;
  if (!written) {
    fs::remove(tmp, ec);
    return Status::IOError("cannot write the job record '" + tmp + "'");
  }
  fs::rename(tmp, path, ec);
  if (ec) return Status::IOError("cannot write the job record '" + path + "': " + ec.message());
  return Status::OK();
}

void JobManager::persist_or_log(const JobRecord& record) const {
  Status written = persist(record);
  if (!written.ok()) std::fprintf(stderr, "jobs: %s\n", written.message().c_str());
}

}  // namespace scout
