#include "source/pg_connection.h"

#include <vector>

#include "core/warehouse_url.h"

namespace scout {

Result<std::unique_ptr<PgConnection>> PgConnection::connect(const std::string& url) {
  // Name the session so operators (and tests) can find it in pg_stat_activity. A server that
  // does not answer must not hold the caller (an HTTP worker) for minutes: connect_timeout
  // comes before dbname, so a URL that sets its own wins.
  const char* keys[] = {"connect_timeout", "dbname", "application_name", nullptr};
  const char* values[] = {"10", url.c_str(), "scout-export", nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    std::string msg = conn ? PQerrorMessage(conn) : "out of memory";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    PQfinish(conn);
    return Status::Unavailable("cannot connect to PostgreSQL at " + redact_url(url) + ": " + msg);
  }
  PQsetClientEncoding(conn, "UTF8");
  // Server notices (NOTICE, WARNING) are not errors; they stay out of our output.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgConnection::~PgConnection() { PQfinish(conn_); }

std::string PgConnection::last_error() const {
  std::string msg = PQerrorMessage(conn_);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return msg;
}

Status PgConnection::error_status(const std::string& what, PGresult* result) const {
  std::string msg = result ? PQresultErrorMessage(result) : "";
  if (msg.empty()) msg = last_error();
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  if (PQstatus(conn_) != CONNECTION_OK) {
    return Status::Unavailable("the PostgreSQL connection was lost during " + what + ": " + msg);
  }
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  if (state && std::string(state) == "42501") {
    return Status(StatusCode::kPermissionDenied, "PostgreSQL refused " + what + ": " + msg);
  }
  return Status::Internal("PostgreSQL " + what + " failed: " + msg);
}

Status PgConnection::exec(const std::string& sql) {
  PGresult* r = PQexec(conn_, sql.c_str());
  ExecStatusType st = PQresultStatus(r);
  Status out = (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) ? Status::OK()
                                                                 : error_status("a statement", r);
  PQclear(r);
  return out;
}

Result<PGresult*> PgConnection::query(const std::string& sql, std::initializer_list<std::string> params) {
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p.c_str());
  PGresult* r = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                             values.data(), nullptr, nullptr, 0);
  if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK) {
    Status st = error_status("a query", r);
    PQclear(r);
    return st;
  }
  return r;
}

}  // namespace scout
