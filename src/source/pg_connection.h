// A libpq connection with the few helpers the source and the demo loader share.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>

#include "scout/status.h"

namespace scout {

class PgConnection {
 public:
  // Connects; errors name the server (never the password) and libpq's reason.
  static Result<std::unique_ptr<PgConnection>> connect(const std::string& url);
  ~PgConnection();

  PGconn* get() const { return conn_; }
  // Runs a statement without parameters; errors carry the server's message.
  Status exec(const std::string& sql);
  // Runs a query with text parameters; returns the result (caller frees with PQclear).
  Result<PGresult*> query(const std::string& sql, std::initializer_list<std::string> params);
  std::string last_error() const;
  // Maps the server's error to a Status: permission problems to PermissionDenied, a lost
  // connection to Unavailable, everything else to Internal.
  Status error_status(const std::string& what, PGresult* result = nullptr) const;

 private:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  PGconn* conn_;
};

}  // namespace scout
