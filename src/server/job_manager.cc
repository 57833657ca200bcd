#include "server/job_manager.h"

#include <openssl/rand.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/hex.h"
#include "server/data_dir.h"

namespace scout {
namespace fs = std::filesystem;

namespace {

int64_t now_unix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<JobStatus> parse_status(const std::string& s) {
  for (JobStatus st : {JobStatus::kQueued, JobStatus::kRunning, JobStatus::kSucceeded,
                       JobStatus::kFailed, JobStatus::kCancelled}) {
    if (s == job_status_name(st)) return st;
  }
  return std::nullopt;
}

bool finished(JobStatus s) { return s != JobStatus::kQueued && s != JobStatus::kRunning; }

}  // namespace

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

std::string JobManager::export_dir(const std::string& id) const {
  return options_.data_dir + "/exports/" + id;
}

std::string JobManager::record_path(const std::string& id) const {
  return options_.data_dir + "/jobs/" + id + ".json";
}

Status JobManager::start() {
  std::error_code ec;
  SCOUT_RETURN_IF_ERROR(create_private_dir(options_.data_dir + "/jobs"));
  SCOUT_RETURN_IF_ERROR(create_private_dir(options_.data_dir + "/exports"));

  for (const auto& entry : fs::directory_iterator(options_.data_dir + "/jobs")) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    auto rec = nlohmann::ordered_json::parse(text.str(), nullptr, false);
    if (rec.is_discarded() || !rec.is_object()) continue;
    auto job = std::make_shared<ExportJob>();
    job->id = rec.value("export_id", "");
    if (job->id.empty()) continue;
    job->status = parse_status(rec.value("status", "")).value_or(JobStatus::kFailed);
    job->created_at = rec.value("created_at", "");
    job->created_unix = rec.value("created_unix", int64_t{0});
    job->finished_at = rec.value("finished_at", "");
    job->finished_unix = rec.value("finished_unix", int64_t{0});
    if (rec.contains("request")) job->request_json = rec["request"];
    if (rec.contains("result")) job->result = rec["result"];
    if (rec.contains("error") && rec["error"].is_object()) {
      job->error = Status(StatusCode::kInternal, rec["error"].value("message", ""));
    }
    job->principal.subject = rec.value("requested_by", "");
    if (!finished(job->status)) {
      // The server died while this export was queued or running: its files are partial.
      fs::remove_all(export_dir(job->id), ec);
      job->status = JobStatus::kFailed;
      job->error = Status(StatusCode::kUnavailable,
                          "the server stopped while this export was running; request it again");
      job->finished_at = iso_timestamp_now_millis();
      job->finished_unix = now_unix();
      persist(*job);
    }
    jobs_[job->id] = job;
  }
  // Export folders that no record owns are leftovers of a crash before the first record write.
  for (const auto& entry : fs::directory_iterator(options_.data_dir + "/exports")) {
    if (!jobs_.count(entry.path().filename().string())) fs::remove_all(entry.path(), ec);
  }

  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { worker_loop(); });
  return Status::OK();
}

void JobManager::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    for (auto& [id, job] : jobs_) {
      if (job->status == JobStatus::kRunning) job->progress.cancel_requested = true;
    }
    for (auto& job : queue_) {
      job->status = JobStatus::kFailed;
      job->error = Status(StatusCode::kUnavailable, "the server shut down before this export ran");
      job->finished_at = iso_timestamp_now_millis();
      job->finished_unix = now_unix();
      persist(*job);
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
  job->id = new_uuid_v4();
  job->plan = std::move(plan);
  job->request_json = std::move(request_json);
  job->principal = std::move(principal);
  job->created_at = iso_timestamp_now_millis();
  job->created_unix = now_unix();
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
    jobs_[job->id] = job;
    queue_.push_back(job);
    metrics_->queue_depth = static_cast<int64_t>(queue_.size());
    persist(*job);
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
                            [&] { return finished(job->status); });
}

int64_t JobManager::queue_depth() const {
  std::lock_guard lock(mutex_);
  return static_cast<int64_t>(queue_.size());
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
      job->status = JobStatus::kRunning;
      persist(*job);
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
    result = run_export(job->plan, **source, caller_for(job->principal, *job->plan.policy), export_dir(job->id),
                        &job->progress);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_->running_exports--;
  {
    std::lock_guard lock(mutex_);
    job->finished_at = iso_timestamp_now_millis();
    job->finished_unix = now_unix();
    if (result.ok()) {
      job->status = JobStatus::kSucceeded;
      job->result = result->to_json();
      metrics_->count_export("succeeded", result->row_count, result->total_bytes, seconds);
    } else {
      job->status = result.status().code() == StatusCode::kCancelled ? JobStatus::kCancelled
                                                                     : JobStatus::kFailed;
      job->error = result.status();
      std::error_code ec;
      fs::remove_all(export_dir(job->id), ec);
      metrics_->count_export(job_status_name(job->status), 0, 0, seconds);
    }
    persist(*job);
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
    if (job->status == JobStatus::kQueued) {
      queue_.erase(std::remove(queue_.begin(), queue_.end(), job), queue_.end());
      metrics_->queue_depth = static_cast<int64_t>(queue_.size());
      job->status = JobStatus::kCancelled;
      job->error = Status::Cancelled("cancelled before it started");
      job->finished_at = iso_timestamp_now_millis();
      job->finished_unix = now_unix();
      persist(*job);
      job_done_.notify_all();
      return Status::OK();
    }
    if (job->status == JobStatus::kRunning) {
      job->progress.cancel_requested = true;
      return Status::OK();
    }
    jobs_.erase(it);
  }
  std::error_code ec;
  fs::remove_all(export_dir(id), ec);
  fs::remove(record_path(id), ec);
  return Status::OK();
}

int JobManager::sweep_expired(int64_t now) {
  std::vector<std::string> expired;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, job] : jobs_) {
      if (finished(job->status) && job->finished_unix > 0 &&
          now - job->finished_unix > options_.retention_seconds) {
        expired.push_back(id);
      }
    }
  }
  for (const auto& id : expired) (void)cancel_or_delete(id);
  return static_cast<int>(expired.size());
}

nlohmann::ordered_json JobManager::describe(const ExportJob& job) const {
  std::lock_guard lock(mutex_);
  nlohmann::ordered_json out = {{"export_id", job.id}, {"status", job_status_name(job.status)}};
  int64_t rows = job.progress.rows_written.load(), estimate = job.progress.estimated_rows.load();
  nlohmann::ordered_json progress = {{"rows_written", rows},
                                     {"bytes_written", job.progress.bytes_written.load()},
                                     {"estimated_rows", estimate >= 0 ? nlohmann::ordered_json(estimate) : nullptr}};
  double percent = job.status == JobStatus::kSucceeded ? 100.0
                   : estimate > 0 ? std::min(99.0, 100.0 * static_cast<double>(rows) / static_cast<double>(estimate))
                                  : 0.0;
  progress["percent"] = percent;
  out["progress"] = progress;
  out["created_at"] = job.created_at;
  out["created_unix"] = job.created_unix;
  if (!job.finished_at.empty()) {
    out["finished_at"] = job.finished_at;
    out["finished_unix"] = job.finished_unix;
  }
  out["requested_by"] = job.principal.subject;
  out["request"] = job.request_json;
  if (job.status == JobStatus::kSucceeded) out["result"] = job.result;
  if (job.status == JobStatus::kFailed || job.status == JobStatus::kCancelled) {
    out["error"] = {{"code", status_code_name(job.error.code())}, {"message", job.error.message()}};
  }
  return out;
}

void JobManager::persist(const ExportJob& job) const {
  // Called with mutex_ held (or before the job is shared); describe() takes the lock itself,
  // so build the record here directly.
  nlohmann::ordered_json rec = {{"export_id", job.id},
                                {"status", job_status_name(job.status)},
                                {"created_at", job.created_at},
                                {"created_unix", job.created_unix},
                                {"finished_at", job.finished_at},
                                {"finished_unix", job.finished_unix},
                                {"requested_by", job.principal.subject},
                                {"request", job.request_json}};
  if (job.status == JobStatus::kSucceeded) rec["result"] = job.result;
  if (!job.error.ok()) {
    rec["error"] = {{"code", status_code_name(job.error.code())}, {"message", job.error.message()}};
  }
  std::string path = record_path(job.id), tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << rec.dump(2) << "\n";
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
}

}  // namespace scout
