#include "state/pg_state.h"

#include <cstdio>

#include "core/warehouse_url.h"

namespace scout {

namespace {

// Advisory lock keys of the scout_export schema ("scout" in ASCII, then a number).
constexpr const char* kMigrationLock = "426591089920001";

// Each migration runs once, in order, in a transaction of its own; a version is never edited
// once released, only followed by another.
const char* const kMigrations[] = {
    // 1: jobs and their queue, API keys, the audit log. `record` is the typed JobRecord as
    // export/api_json.h writes it (json, not jsonb: kept as written, whatever the request held);
    // the columns beside it are what the queue decides on. `status` is authoritative.
    R"sql(
CREATE TABLE scout_export.jobs (
  id text PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  requested_by text NOT NULL,
  requester json NOT NULL,
  record json NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  attempt integer NOT NULL DEFAULT 0,
  owner text,
  lease_expires_at timestamptz,
  cancel_requested boolean NOT NULL DEFAULT false,
  rows_written bigint NOT NULL DEFAULT 0,
  bytes_written bigint NOT NULL DEFAULT 0,
  estimated_rows bigint
);
CREATE INDEX jobs_queue ON scout_export.jobs (created_at, id) WHERE status IN ('queued', 'running');
CREATE INDEX jobs_by_requester ON scout_export.jobs (requested_by, created_at DESC, id DESC);
CREATE INDEX jobs_finished ON scout_export.jobs (finished_at) WHERE finished_at IS NOT NULL;
CREATE TABLE scout_export.api_keys (
  id text PRIMARY KEY,
  name text NOT NULL,
  role text NOT NULL,
  region text,
  hash text NOT NULL CHECK (length(hash) = 64),
  created_at text NOT NULL,
  revoked boolean NOT NULL DEFAULT false
);
CREATE TABLE scout_export.audit_log (
  seq bigserial PRIMARY KEY,
  logged_at timestamptz NOT NULL DEFAULT now(),
  event json NOT NULL
);
)sql",
};

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

Result<PgResult> run_state_query(PgConnection& connection, const char* sql,
                                 const std::vector<PgParam>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  PgResult result(PQexecParams(connection.get(), sql, static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0),
                  &PQclear);
  ExecStatusType st = PQresultStatus(result.get());
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
    return connection.error_status("a state query", result.get());
  }
  return result;
}

Result<std::shared_ptr<StateDatabase>> StateDatabase::open(const std::string& url) {
  std::shared_ptr<StateDatabase> db(new StateDatabase(url));
  SCOUT_RETURN_IF_ERROR(db->migrate());
  return db;
}

Status StateDatabase::with_connection(const std::function<Status(PgConnection&)>& work) {
  std::unique_ptr<PgConnection> connection;
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      connection = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!connection) {
    auto made = PgConnection::connect(url_);
    if (!made.ok()) {
      return Status::Unavailable("the state database is unreachable: " + made.status().message());
    }
    connection = std::move(*made);
  }
  Status done = work(*connection);
  // Only a healthy connection outside any transaction goes back; a broken one is dropped, and
  // the next use connects again.
  if (PQstatus(connection->get()) == CONNECTION_OK &&
      PQtransactionStatus(connection->get()) == PQTRANS_IDLE) {
    std::lock_guard lock(mutex_);
    if (idle_.size() < 8) idle_.push_back(std::move(connection));
  }
  if (done.code() == StatusCode::kUnavailable &&
      done.message().find("state database") == std::string::npos) {
    return Status::Unavailable("the state database is unreachable: " + done.message());
  }
  return done;
}

Status StateDatabase::in_transaction(const std::function<Status(PgConnection&)>& work) {
  return with_connection([&](PgConnection& c) {
    SCOUT_RETURN_IF_ERROR(c.exec("BEGIN"));
    Status done = work(c);
    if (!done.ok()) {
      (void)c.exec("ROLLBACK");
      return done;
    }
    return c.exec("COMMIT");
  });
}

Status StateDatabase::ping() {
  return with_connection([](PgConnection& c) { return c.exec("SELECT 1"); });
}

Status StateDatabase::migrate() {
  return with_connection([&](PgConnection& c) {
    // Instances that start together wait here for the first one's migration; the lock goes
    // with the session if this process dies half-way.
    SCOUT_RETURN_IF_ERROR(run_state_query(c, "SELECT pg_advisory_lock($1::bigint)", {kMigrationLock}).status());
    auto unlock = [&] {
      (void)run_state_query(c, "SELECT pg_advisory_unlock($1::bigint)", {kMigrationLock});
    };
    Status done = [&]() -> Status {
      SCOUT_RETURN_IF_ERROR(c.exec("CREATE SCHEMA IF NOT EXISTS scout_export"));
      SCOUT_RETURN_IF_ERROR(c.exec(
          "CREATE TABLE IF NOT EXISTS scout_export.schema_migrations ("
          "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"));
      SCOUT_ASSIGN_OR_RETURN(
          PgResult current,
          run_state_query(c, "SELECT coalesce(max(version), 0) FROM scout_export.schema_migrations", {}));
      const int applied = std::atoi(PQgetvalue(current.get(), 0, 0));
      const int latest = static_cast<int>(std::size(kMigrations));
      if (applied > latest) {
        return Status::Invalid("the state database's schema scout_export is at version " +
                               std::to_string(applied) + ", newer than this build knows (" +
                               std::to_string(latest) + "); upgrade scout-export");
      }
      for (int version = applied + 1; version <= latest; ++version) {
        SCOUT_RETURN_IF_ERROR(c.exec("BEGIN"));
        Status step = c.exec(kMigrations[version - 1]);
        if (step.ok()) {
          step = run_state_query(c, "INSERT INTO scout_export.schema_migrations (version) VALUES ($1)",
                                 {std::to_string(version)})
                     .status();
        }
        if (!step.ok()) {
          (void)c.exec("ROLLBACK");
          return Status(step.code(), "migrating the state schema to version " +
                                         std::to_string(version) + ": " + step.message());
        }
        SCOUT_RETURN_IF_ERROR(c.exec("COMMIT"));
      }
      return Status::OK();
    }();
    unlock();
    return done;
  });
}

// --- API keys ---------------------------------------------------------------------------

namespace {

Result<std::vector<ApiKeyRecord>> read_keys(StateDatabase& db) {
  std::vector<ApiKeyRecord> keys;
  Status read = db.with_connection([&](PgConnection& c) -> Status {
    SCOUT_ASSIGN_OR_RETURN(
        PgResult rows,
        run_state_query(c, "SELECT id, name, role, region, hash, created_at, revoked "
                           "FROM scout_export.api_keys ORDER BY created_at, id", {}));
    for (int i = 0; i < PQntuples(rows.get()); ++i) {
      ApiKeyRecord r;
      r.id = PQgetvalue(rows.get(), i, 0);
      r.name = PQgetvalue(rows.get(), i, 1);
      r.role = PQgetvalue(rows.get(), i, 2);
      if (!PQgetisnull(rows.get(), i, 3)) r.region = PQgetvalue(rows.get(), i, 3);
      r.hash = PQgetvalue(rows.get(), i, 4);
      r.created_at = PQgetvalue(rows.get(), i, 5);
      r.revoked = PQgetvalue(rows.get(), i, 6)[0] == 't';
      keys.push_back(std::move(r));
    }
    return Status::OK();
  });
  if (!read.ok()) return read;
  return keys;
}

}  // namespace

Result<std::string> PgApiKeyStore::create(const std::string& role,
                                          const std::optional<std::string>& region,
                                          const std::string& name, ApiKeyRecord* record) {
  SCOUT_ASSIGN_OR_RETURN(NewApiKey key, make_api_key(role, region, name));
  const ApiKeyRecord& r = key.record;
  SCOUT_RETURN_IF_ERROR(db_->with_connection([&](PgConnection& c) {
    return run_state_query(c,
                           "INSERT INTO scout_export.api_keys (id, name, role, region, hash, created_at) "
                           "VALUES ($1, $2, $3, $4, $5, $6)",
                           {r.id, r.name, r.role, r.region, r.hash, r.created_at})
        .status();
  }));
  if (record) *record = r;
  return key.secret;
}

Result<std::optional<ApiKeyRecord>> PgApiKeyStore::authenticate(const std::string& secret) const {
  std::lock_guard lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  if (now - read_at_ > std::chrono::milliseconds(kRefreshMilliseconds)) {
    auto keys = read_keys(*db_);
    if (keys.ok()) {
      cached_ = std::move(*keys);
      read_at_ = now;
    } else if (now - read_at_ > std::chrono::seconds(kStaleSeconds)) {
      return Status::Unavailable("cannot check the API key: " + keys.status().message());
    }
  }
  return find_key_by_secret(cached_, secret);
}

Result<std::vector<ApiKeyRecord>> PgApiKeyStore::list() const { return read_keys(*db_); }

Status PgApiKeyStore::revoke(const std::string& id_or_name) {
  int revoked = 0;
  SCOUT_RETURN_IF_ERROR(db_->with_connection([&](PgConnection& c) -> Status {
    SCOUT_ASSIGN_OR_RETURN(
        PgResult done,
        run_state_query(c, "UPDATE scout_export.api_keys SET revoked = true WHERE id = $1 OR name = $1",
                        {id_or_name}));
    revoked = std::atoi(PQcmdTuples(done.get()));
    return Status::OK();
  }));
  if (revoked == 0) return Status::NotFound("no key with id or name '" + id_or_name + "'");
  std::lock_guard lock(mutex_);
  read_at_ = {};  // this instance sees its own revocation at once
  return Status::OK();
}

// --- audit log ------------------------------------------------------------------------

void PgAuditLog::record(nlohmann::ordered_json event) {
  std::string text = timed_audit_event(std::move(event))
                         .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  Status written = db_->with_connection([&](PgConnection& c) {
    return run_state_query(c, "INSERT INTO scout_export.audit_log (event) VALUES ($1::json)", {text})
        .status();
  });
  if (!written.ok()) {
    // The event is not lost: the operator's log keeps it when the database cannot.
    std::fprintf(stderr, "audit: %s; the event was: %s\n", trimmed(written.message()).c_str(),
                 text.c_str());
  }
}

}  // namespace scout
