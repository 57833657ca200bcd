#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/clock.h"
#include "export/api_json.h"
#include "export/export_job.h"
#include "state/job_store.h"

namespace scout {
namespace fs = std::filesystem;

void end_job_record(JobRecord* rec, JobStatus status, Status error) {
  rec->status = status;
  rec->error = std::move(error);
  rec->finished_at = iso_timestamp_now_millis();
  rec->finished_unix = now_unix();
}

std::string FileJobStore::record_path(const std::string& id) const {
  return jobs_dir_ + "/" + id + ".json";
}

Result<std::vector<AbandonedJob>> FileJobStore::recover_at_start() {
  std::vector<AbandonedJob> abandoned;
  std::lock_guard lock(mutex_);
  std::error_code list_error;
  for (fs::directory_iterator it(jobs_dir_, list_error), end; !list_error && it != end;
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
    Entry entry;
    entry.record = std::move(*record);
    entry.requester.subject = entry.record.requested_by;
    JobRecord& rec = entry.record;
    if (!is_finished(rec.status)) {
      // The server died while this export was queued or running: its files are partial.
      end_job_record(&rec, JobStatus::kFailed,
                     Status(StatusCode::kUnavailable,
                            "the server stopped while this export was running; request it again"));
      persist_or_log(rec);
      abandoned.push_back({rec.id, rec.status});
    }
    jobs_[rec.id] = std::move(entry);
  }
  if (list_error) {
    return Status::IOError("cannot list '" + jobs_dir_ + "': " + list_error.message());
  }
  return abandoned;
}

std::vector<std::string> FileJobStore::ids() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [id, entry] : jobs_) out.push_back(id);
  return out;
}

Status FileJobStore::enqueue(const JobRecord& record, const JobRequester& requester,
                             const QueueLimits& limits) {
  std::lock_guard lock(mutex_);
  if (static_cast<int>(queue_.size()) >= limits.max_queue && running_ >= limits.workers) {
    return Status(StatusCode::kResourceExhausted,
                  "too many exports in progress (" + std::to_string(running_) + " running, " +
                      std::to_string(queue_.size()) + " queued); retry shortly");
  }
  // A job that could not be recorded would vanish at the next start: refuse it instead.
  SCOUT_RETURN_IF_ERROR(persist(record));
  jobs_[record.id] = Entry{record, requester, false};
  queue_.push_back(record.id);
  return Status::OK();
}

Result<std::optional<ClaimedJob>> FileJobStore::claim(const QueueLimits& limits,
                                                      const std::string& /*instance_id*/,
                                                      int /*lease_seconds*/, int /*max_attempts*/,
                                                      std::vector<AbandonedJob>* /*abandoned*/) {
  std::lock_guard lock(mutex_);
  if (queue_.empty() || running_ >= limits.workers) return std::optional<ClaimedJob>();
  Entry& entry = jobs_.at(queue_.front());
  queue_.pop_front();
  ++running_;
  entry.record.status = JobStatus::kRunning;
  persist_or_log(entry.record);
  return std::optional<ClaimedJob>(ClaimedJob{entry.record, entry.requester, 1});
}

Result<JobHeartbeat> FileJobStore::heartbeat(const std::string& id, int /*attempt*/,
                                             const JobProgress& progress, int /*lease_seconds*/) {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(id);
  if (it == jobs_.end() || it->second.record.status != JobStatus::kRunning) {
    return JobHeartbeat{false, false};
  }
  it->second.record.progress = progress;
  return JobHeartbeat{true, it->second.cancel_requested};
}

Result<bool> FileJobStore::finish(const JobRecord& record, int /*attempt*/) {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(record.id);
  if (it == jobs_.end() || it->second.record.status != JobStatus::kRunning) return false;
  --running_;
  it->second.record = record;
  // The outcome stands even when it cannot be written; the operator's log says so.
  persist_or_log(record);
  return true;
}

Status FileJobStore::release(const std::string& id, int attempt) {
  JobRecord record;
  {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(id);
    if (it == jobs_.end()) return Status::OK();
    record = it->second.record;
  }
  end_job_record(&record, JobStatus::kFailed,
                 Status(StatusCode::kUnavailable,
                        "the server shut down while this export was running; request it again"));
  return finish(record, attempt).status();
}

Status FileJobStore::fail_queued_at_shutdown() {
  std::lock_guard lock(mutex_);
  for (const auto& id : queue_) {
    JobRecord& rec = jobs_.at(id).record;
    end_job_record(&rec, JobStatus::kFailed,
                   Status(StatusCode::kUnavailable, "the server shut down before this export ran"));
    persist_or_log(rec);
  }
  queue_.clear();
  return Status::OK();
}

Result<std::optional<JobRecord>> FileJobStore::get(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::optional<JobRecord>();
  return std::optional<JobRecord>(it->second.record);
}

Result<std::optional<JobStatus>> FileJobStore::cancel_or_delete(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::optional<JobStatus>();
  JobRecord& rec = it->second.record;
  JobStatus before = rec.status;
  if (before == JobStatus::kQueued) {
    queue_.erase(std::remove(queue_.begin(), queue_.end(), id), queue_.end());
    end_job_record(&rec, JobStatus::kCancelled, Status::Cancelled("cancelled before it started"));
    persist_or_log(rec);
  } else if (before == JobStatus::kRunning) {
    it->second.cancel_requested = true;
  } else {
    jobs_.erase(it);
    std::error_code removed;
    fs::remove(record_path(id), removed);
    if (removed) {
      return Status::IOError("export '" + id + "' was deleted but its record remains: " +
                             removed.message());
    }
  }
  return std::optional<JobStatus>(before);
}

Result<JobPage> FileJobStore::list_for_requester(const std::string& requested_by, int limit,
                                                 const std::optional<JobListPosition>& after) {
  std::lock_guard lock(mutex_);
  auto newer = [](const std::string& created_a, const std::string& id_a, const std::string& created_b,
                  const std::string& id_b) {
    return created_a != created_b ? created_a > created_b : id_a > id_b;
  };
  std::vector<const JobRecord*> theirs;
  for (const auto& [id, entry] : jobs_) {
    const JobRecord& r = entry.record;
    if (r.requested_by != requested_by) continue;
    if (after && !newer(after->created_at, after->id, r.created_at, r.id)) continue;
    theirs.push_back(&r);
  }
  // Newest first; the id breaks ties, as the PostgreSQL store orders them.
  std::sort(theirs.begin(), theirs.end(), [&](const JobRecord* a, const JobRecord* b) {
    return newer(a->created_at, a->id, b->created_at, b->id);
  });
  JobPage page;
  for (size_t i = 0; i < theirs.size() && static_cast<int>(page.jobs.size()) < limit; ++i) {
    page.jobs.push_back(*theirs[i]);
  }
  page.more = theirs.size() > page.jobs.size();
  return page;
}

Result<std::vector<std::string>> FileJobStore::take_expired(int64_t retention_seconds) {
  std::vector<std::string> expired;
  const int64_t now = now_unix();
  std::lock_guard lock(mutex_);
  for (auto it = jobs_.begin(); it != jobs_.end();) {
    const JobRecord& rec = it->second.record;
    if (is_finished(rec.status) && rec.finished_unix > 0 &&
        now - rec.finished_unix > retention_seconds) {
      std::error_code removed;
      fs::remove(record_path(it->first), removed);
      if (removed) std::fprintf(stderr, "jobs: cannot remove '%s'\n", record_path(it->first).c_str());
      expired.push_back(it->first);
      it = jobs_.erase(it);
    } else {
      ++it;
    }
  }
  return expired;
}

Result<int64_t> FileJobStore::queued_count() {
  std::lock_guard lock(mutex_);
  return static_cast<int64_t>(queue_.size());
}

Status FileJobStore::persist(const JobRecord& record) const {
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

void FileJobStore::persist_or_log(const JobRecord& record) const {
  Status written = persist(record);
  if (!written.ok()) std::fprintf(stderr, "jobs: %s\n", written.message().c_str());
}

}  // namespace scout
