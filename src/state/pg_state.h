// The shared state in PostgreSQL (`--state postgresql://...`): job records and the job queue,
// API keys and the audit log, in the schema scout_export, created and migrated on start. Every
// value is bound as a parameter. PostgreSQL is the queue (SELECT ... FOR UPDATE SKIP LOCKED),
// the lock (advisory locks) and the clock (now()): instances share nothing else.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "source/pg_connection.h"
#include "state/api_keys.h"
#include "state/audit_log.h"
#include "state/job_store.h"

namespace scout {

// Connections to the state database, reused; one found broken is dropped and the next use
// connects again, so the service comes back by itself when the database does.
class StateDatabase {
 public:
  // Connects and brings the schema to the latest version (under an advisory lock, so that
  // instances starting at once migrate one after the other).
  static Result<std::shared_ptr<StateDatabase>> open(const std::string& url);

  // Runs `work` on a connection of the pool. Unavailable when no connection can be made.
  Status with_connection(const std::function<Status(PgConnection&)>& work);
  // `work` inside BEGIN ... COMMIT (ROLLBACK when it fails).
  Status in_transaction(const std::function<Status(PgConnection&)>& work);
  Status ping();
  const std::string& url() const { return url_; }

 private:
  explicit StateDatabase(std::string url) : url_(std::move(url)) {}
  Status migrate();

  std::string url_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
};

// A query's result, freed when it goes out of scope.
using PgResult = std::unique_ptr<PGresult, decltype(&PQclear)>;
// A bound parameter; nullopt is SQL NULL.
using PgParam = std::optional<std::string>;
Result<PgResult> run_state_query(PgConnection& connection, const char* sql,
                                 const std::vector<PgParam>& params);

class PgJobStore : public JobStore {
 public:
  explicit PgJobStore(std::shared_ptr<StateDatabase> db) : db_(std::move(db)) {}

  bool shared() const override { return true; }
  Result<std::vector<AbandonedJob>> recover_at_start() override { return std::vector<AbandonedJob>{}; }
  Status enqueue(const JobRecord& record, const JobRequester& requester,
                 const QueueLimits& limits) override;
  Result<std::optional<ClaimedJob>> claim(const QueueLimits& limits, const std::string& instance_id,
                                          int lease_seconds, int max_attempts,
                                          std::vector<AbandonedJob>* abandoned) override;
  Result<JobHeartbeat> heartbeat(const std::string& id, int attempt, const JobProgress& progress,
                                 int lease_seconds) override;
  Result<bool> finish(const JobRecord& record, int attempt) override;
  Status release(const std::string& id, int attempt) override;
  Status fail_queued_at_shutdown() override { return Status::OK(); }  // the others run them
  Result<std::optional<JobRecord>> get(const std::string& id) override;
  Result<std::optional<JobStatus>> cancel_or_delete(const std::string& id) override;
  Result<JobPage> list_for_requester(const std::string& requested_by, int limit,
                                     const std::optional<JobListPosition>& after) override;
  Result<std::vector<std::string>> take_expired(int64_t retention_seconds) override;
  Result<int64_t> queued_count() override;
  Status ping() override { return db_->ping(); }

 private:
  std::shared_ptr<StateDatabase> db_;
};

// Keys in the state database. Every instance reads them all at most every
// kRefreshMilliseconds, so a key created or revoked anywhere counts everywhere within that
// time; when the database cannot be read for longer than kStaleSeconds, authenticate answers
// Unavailable rather than trust keys that may have been revoked since.
class PgApiKeyStore : public ApiKeyStore {
 public:
  static constexpr int kRefreshMilliseconds = 2000;
  static constexpr int kStaleSeconds = 5;

  explicit PgApiKeyStore(std::shared_ptr<StateDatabase> db) : db_(std::move(db)) {}

  Result<std::string> create(const std::string& role, const std::optional<std::string>& region,
                             const std::string& name, ApiKeyRecord* record) override;
  Result<std::optional<ApiKeyRecord>> authenticate(const std::string& secret) const override;
  Result<std::vector<ApiKeyRecord>> list() const override;
  Status revoke(const std::string& id_or_name) override;

 private:
  std::shared_ptr<StateDatabase> db_;
  mutable std::mutex mutex_;
  mutable std::vector<ApiKeyRecord> cached_;
  mutable std::chrono::steady_clock::time_point read_at_{};
};

class PgAuditLog : public AuditLog {
 public:
  explicit PgAuditLog(std::shared_ptr<StateDatabase> db) : db_(std::move(db)) {}
  void record(nlohmann::ordered_json event) override;

 private:
  std::shared_ptr<StateDatabase> db_;
};

}  // namespace scout
