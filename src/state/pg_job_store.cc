#include <cstdlib>

#include "export/api_json.h"
#include "state/pg_state.h"

namespace scout {

namespace {

// Taken for the length of a transaction by every claim and every enqueue, so that counting the
// running jobs and starting one more, or counting the queue and adding to it, is one step
// across all instances: the workers cap and max_queue hold exactly.
constexpr const char* kQueueLock = "426591089920002";

nlohmann::ordered_json requester_json(const JobRequester& r) {
  nlohmann::ordered_json out = {{"subject", r.subject}, {"kind", r.kind}, {"role", r.role}};
  out["region"] = r.region ? nlohmann::ordered_json(*r.region) : nlohmann::ordered_json();
  out["claims_json"] = r.claims_json;
  return out;
}

Result<JobRequester> requester_from_json(const std::string& text) {
  auto j = nlohmann::ordered_json::parse(text, nullptr, false);
  if (!j.is_object()) return Status::Corruption("a job's requester is not a JSON object");
  JobRequester r;
  auto text_of = [&](const char* key, std::string* out) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return false;
    *out = it->get<std::string>();
    return true;
  };
  if (!text_of("subject", &r.subject) || !text_of("kind", &r.kind) || !text_of("role", &r.role) ||
      !text_of("claims_json", &r.claims_json)) {
    return Status::Corruption("a job's requester lacks a field");
  }
  auto region = j.find("region");
  if (region != j.end() && region->is_string()) r.region = region->get<std::string>();
  return r;
}

std::string dump(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// The columns every read of a job selects, in this order.
constexpr const char* kJobColumns =
    "id, status, record, requester, attempt, rows_written, bytes_written, estimated_rows, "
    "cancel_requested";

// A job's record from a row of kJobColumns: the record as last written, with the queue's
// status and the last reported progress, which the columns hold.
Result<JobRecord> record_from_row(PGresult* rows, int i) {
  auto parsed = nlohmann::ordered_json::parse(PQgetvalue(rows, i, 2), nullptr, false);
  if (!parsed.is_object()) return Status::Corruption("the record of a job is not a JSON object");
  SCOUT_ASSIGN_OR_RETURN(JobRecord record, job_record_from_json(parsed));
  auto status = parse_job_status(PQgetvalue(rows, i, 1));
  if (!status) return Status::Corruption("a job has an unknown status");
  record.status = *status;
  record.progress.rows_written = std::atoll(PQgetvalue(rows, i, 5));
  record.progress.bytes_written = std::atoll(PQgetvalue(rows, i, 6));
  if (!PQgetisnull(rows, i, 7)) record.progress.estimated_rows = std::atoll(PQgetvalue(rows, i, 7));
  return record;
}

std::string number(int64_t n) { return std::to_string(n); }

}  // namespace

Status PgJobStore::enqueue(const JobRecord& record, const JobRequester& requester,
                           const QueueLimits& limits) {
  return db_->in_transaction([&](PgConnection& c) -> Status {
    SCOUT_RETURN_IF_ERROR(run_state_query(c, "SELECT pg_advisory_xact_lock($1::bigint)", {kQueueLock}).status());
    SCOUT_ASSIGN_OR_RETURN(
        PgResult counts,
        run_state_query(c,
                        "SELECT count(*) FILTER (WHERE status = 'queued'), "
                        "count(*) FILTER (WHERE status = 'running' AND lease_expires_at >= now()) "
                        "FROM scout_export.jobs WHERE status IN ('queued', 'running')",
                        {}));
    const int64_t queued = std::atoll(PQgetvalue(counts.get(), 0, 0));
    const int64_t running = std::atoll(PQgetvalue(counts.get(), 0, 1));
    if (queued >= limits.max_queue && running >= limits.workers) {
      return Status(StatusCode::kResourceExhausted,
                    "too many exports in progress (" + number(running) + " running, " +
                        number(queued) + " queued, across every instance); retry shortly");
    }
    return run_state_query(c,
                           "INSERT INTO scout_export.jobs (id, status, requested_by, requester, record) "
                           "VALUES ($1, 'queued', $2, $3::json, $4::json)",
                           {record.id, record.requested_by, dump(requester_json(requester)),
                            dump(job_record_json(record))})
        .status();
  });
}

Result<std::optional<ClaimedJob>> PgJobStore::claim(const QueueLimits& limits,
                                                    const std::string& instance_id,
                                                    int lease_seconds, int max_attempts,
                                                    std::vector<AbandonedJob>* abandoned) {
  std::optional<ClaimedJob> claimed;
  std::vector<AbandonedJob> ended;
  Status done = db_->in_transaction([&](PgConnection& c) -> Status {
    SCOUT_RETURN_IF_ERROR(run_state_query(c, "SELECT pg_advisory_xact_lock($1::bigint)", {kQueueLock}).status());
    // Jobs whose instance stopped heartbeating and that must not run again: past the attempt
    // cap, or cancelled meanwhile.
    SCOUT_ASSIGN_OR_RETURN(
        PgResult dead,
        run_state_query(c,
                        (std::string("SELECT ") + kJobColumns +
                         " FROM scout_export.jobs WHERE status = 'running' AND lease_expires_at < now() "
                         "AND (attempt >= $1 OR cancel_requested) FOR UPDATE SKIP LOCKED")
                            .c_str(),
                        {number(max_attempts)}));
    for (int i = 0; i < PQntuples(dead.get()); ++i) {
      SCOUT_ASSIGN_OR_RETURN(JobRecord rec, record_from_row(dead.get(), i));
      if (PQgetvalue(dead.get(), i, 8)[0] == 't') {
        end_job_record(&rec, JobStatus::kCancelled,
                       Status::Cancelled("cancelled while its instance was not answering"));
      } else {
        end_job_record(&rec, JobStatus::kFailed,
                       Status::Unavailable(
                           "the export was interrupted " + number(max_attempts) +
                           " times (its instance stopped heartbeating for " +
                           number(lease_seconds) + " s each time); request it again"));
      }
      SCOUT_RETURN_IF_ERROR(
          run_state_query(c,
                          "UPDATE scout_export.jobs SET status = $2, record = $3::json, "
                          "finished_at = now(), owner = NULL, lease_expires_at = NULL WHERE id = $1",
                          {rec.id, job_status_name(rec.status), dump(job_record_json(rec))})
              .status());
      ended.push_back({rec.id, rec.status});
    }
    SCOUT_ASSIGN_OR_RETURN(
        PgResult running,
        run_state_query(c,
                        "SELECT count(*) FROM scout_export.jobs "
                        "WHERE status = 'running' AND lease_expires_at >= now()",
                        {}));
    if (std::atoll(PQgetvalue(running.get(), 0, 0)) >= limits.workers) return Status::OK();
    SCOUT_ASSIGN_OR_RETURN(
        PgResult next,
        run_state_query(c,
                        (std::string("SELECT ") + kJobColumns +
                         " FROM scout_export.jobs WHERE status = 'queued' "
                         "OR (status = 'running' AND lease_expires_at < now()) "
                         "ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED")
                            .c_str(),
                        {}));
    if (PQntuples(next.get()) == 0) return Status::OK();
    SCOUT_ASSIGN_OR_RETURN(JobRecord rec, record_from_row(next.get(), 0));
    SCOUT_ASSIGN_OR_RETURN(JobRequester requester, requester_from_json(PQgetvalue(next.get(), 0, 3)));
    SCOUT_ASSIGN_OR_RETURN(
        PgResult started,
        run_state_query(c,
                        "UPDATE scout_export.jobs SET status = 'running', attempt = attempt + 1, "
                        "owner = $2, lease_expires_at = now() + $3 * interval '1 second', "
                        "rows_written = 0, bytes_written = 0, estimated_rows = NULL "
                        "WHERE id = $1 RETURNING attempt",
                        {rec.id, instance_id, number(lease_seconds)}));
    rec.status = JobStatus::kRunning;
    rec.progress = {};
    claimed = ClaimedJob{std::move(rec), std::move(requester), std::atoi(PQgetvalue(started.get(), 0, 0))};
    return Status::OK();
  });
  if (!done.ok()) return done;
  if (abandoned) abandoned->insert(abandoned->end(), ended.begin(), ended.end());
  return claimed;
}

Result<JobHeartbeat> PgJobStore::heartbeat(const std::string& id, int attempt,
                                           const JobProgress& progress, int lease_seconds) {
  JobHeartbeat beat;
  SCOUT_RETURN_IF_ERROR(db_->with_connection([&](PgConnection& c) -> Status {
    PgParam estimate;
    if (progress.estimated_rows) estimate = number(*progress.estimated_rows);
    SCOUT_ASSIGN_OR_RETURN(
        PgResult done,
        run_state_query(c,
                        "UPDATE scout_export.jobs SET lease_expires_at = now() + $3 * interval '1 second', "
                        "rows_written = $4, bytes_written = $5, estimated_rows = $6 "
                        "WHERE id = $1 AND attempt = $2 AND status = 'running' RETURNING cancel_requested",
                        {id, number(attempt), number(lease_seconds), number(progress.rows_written),
                         number(progress.bytes_written), estimate}));
    beat.still_owned = PQntuples(done.get()) == 1;
    beat.cancel_requested = beat.still_owned && PQgetvalue(done.get(), 0, 0)[0] == 't';
    return Status::OK();
  }));
  return beat;
}

Result<bool> PgJobStore::finish(const JobRecord& record, int attempt) {
  bool owned = false;
  SCOUT_RETURN_IF_ERROR(db_->with_connection([&](PgConnection& c) -> Status {
    SCOUT_ASSIGN_OR_RETURN(
        PgResult done,
        run_state_query(c,
                        "UPDATE scout_export.jobs SET status = $3, record = $4::json, finished_at = now(), "
                        "owner = NULL, lease_expires_at = NULL, rows_written = $5, bytes_written = $6, "
                        "estimated_rows = $7 WHERE id = $1 AND attempt = $2 AND status = 'running'",
                        {record.id, number(attempt), job_status_name(record.status),
                         dump(job_record_json(record)), number(record.progress.rows_written),
                         number(record.progress.bytes_written),
                         record.progress.estimated_rows
                             ? PgParam(number(*record.progress.estimated_rows))
                             : PgParam()}));
    owned = std::atoi(PQcmdTuples(done.get())) == 1;
    return Status::OK();
  }));
  return owned;
}

Status PgJobStore::release(const std::string& id, int attempt) {
  return db_->with_connection([&](PgConnection& c) {
    return run_state_query(c,
                           "UPDATE scout_export.jobs SET status = 'queued', owner = NULL, "
                           "lease_expires_at = NULL WHERE id = $1 AND attempt = $2 AND status = 'running'",
                           {id, number(attempt)})
        .status();
  });
}

Result<std::optional<JobRecord>> PgJobStore::get(const std::string& id) {
  std::optional<JobRecord> found;
  SCOUT_RETURN_IF_ERROR(db_->with_connection([&](PgConnection& c) -> Status {
    SCOUT_ASSIGN_OR_RETURN(
        PgResult rows,
        run_state_query(c, (std::string("SELECT ") + kJobColumns + " FROM scout_export.jobs WHERE id = $1").c_str(),
                        {id}));
    if (PQntuples(rows.get()) == 0) return Status::OK();
    SCOUT_ASSIGN_OR_RETURN(found, record_from_row(rows.get(), 0));
    return Status::OK();
  }));
  return found;
}

Result<std::optional<JobStatus>> PgJobStore::cancel_or_delete(const std::string& id) {
  std::optional<JobStatus> before;
  SCOUT_RETURN_IF_ERROR(db_->in_transaction([&](PgConnection& c) -> Status {
    SCOUT_ASSIGN_OR_RETURN(
        PgResult rows,
        run_state_query(c,
                        (std::string("SELECT ") + kJobColumns +
                         " FROM scout_export.jobs WHERE id = $1 FOR UPDATE")
                            .c_str(),
                        {id}));
    if (PQntuples(rows.get()) == 0) return Status::OK();
    SCOUT_ASSIGN_OR_RETURN(JobRecord rec, record_from_row(rows.get(), 0));
    before = rec.status;
    if (rec.status == JobStatus::kQueued) {
      end_job_record(&rec, JobStatus::kCancelled, Status::Cancelled("cancelled before it started"));
      return run_state_query(c,
                             "UPDATE scout_export.jobs SET status = 'cancelled', record = $2::json, "
                             "finished_at = now() WHERE id = $1",
                             {id, dump(job_record_json(rec))})
          .status();
    }
    if (rec.status == JobStatus::kRunning) {
      // The running instance reads this with its next heartbeat and stops.
      return run_state_query(c, "UPDATE scout_export.jobs SET cancel_requested = true WHERE id = $1", {id})
          .status();
    }
    return run_state_query(c, "DELETE FROM scout_export.jobs WHERE id = $1", {id}).status();
  }));
  return before;
}

Result<JobPage> PgJobStore::list_for_requester(const std::string& requested_by, int limit,
                                               const std::optional<JobListPosition>& after) {
  JobPage page;
  SCOUT_RETURN_IF_ERROR(db_->with_connection([&](PgConnection& c) -> Status {
    // Ordered as the records' own creation times and ids, byte by byte (COLLATE "C"), as the
    // file store orders them; one more than asked tells whether another page follows.
    SCOUT_ASSIGN_OR_RETURN(
        PgResult rows,
        run_state_query(
            c,
            (std::string("SELECT ") + kJobColumns +
             " FROM scout_export.jobs j WHERE requested_by = $1 AND ($2 = '' OR "
             "(j.record->>'created_at' COLLATE \"C\", j.id COLLATE \"C\") < ($2 COLLATE \"C\", $3 COLLATE \"C\")) "
             "ORDER BY j.record->>'created_at' COLLATE \"C\" DESC, j.id COLLATE \"C\" DESC LIMIT $4")
                .c_str(),
            {requested_by, after ? after->created_at : "", after ? after->id : "", number(limit + 1)}));
    for (int i = 0; i < PQntuples(rows.get()) && i < limit; ++i) {
      SCOUT_ASSIGN_OR_RETURN(JobRecord rec, record_from_row(rows.get(), i));
      page.jobs.push_back(std::move(rec));
    }
    page.more = PQntuples(rows.get()) > limit;
    return Status::OK();
  }));
  return page;
}

Result<int64_t> PgJobStore::queued_count() {
  int64_t queued = 0;
  SCOUT_RETURN_IF_ERROR(db_->with_connection([&](PgConnection& c) -> Status {
    SCOUT_ASSIGN_OR_RETURN(
        PgResult rows, run_state_query(c, "SELECT count(*) FROM scout_export.jobs WHERE status = 'queued'", {}));
    queued = std::atoll(PQgetvalue(rows.get(), 0, 0));
    return Status::OK();
  }));
  return queued;
}

Result<std::vector<std::string>> PgJobStore::take_expired(int64_t retention_seconds) {
  std::vector<std::string> ids;
  SCOUT_RETURN_IF_ERROR(db_->with_connection([&](PgConnection& c) -> Status {
    // DELETE ... RETURNING hands each expired job to exactly one instance; SKIP LOCKED keeps
    // sweepers from waiting on each other.
    SCOUT_ASSIGN_OR_RETURN(
        PgResult rows,
        run_state_query(c,
                        "DELETE FROM scout_export.jobs WHERE id IN (SELECT id FROM scout_export.jobs "
                        "WHERE status IN ('succeeded', 'failed', 'cancelled') "
                        "AND finished_at < now() - $1 * interval '1 second' FOR UPDATE SKIP LOCKED) "
                        "RETURNING id",
                        {number(retention_seconds)}));
    for (int i = 0; i < PQntuples(rows.get()); ++i) ids.emplace_back(PQgetvalue(rows.get(), i, 0));
    return Status::OK();
  }));
  return ids;
}

}  // namespace scout
