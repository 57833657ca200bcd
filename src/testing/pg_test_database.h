// A database of a test's own on the server of SCOUT_TEST_PG_URL (scripts/pg-test-server.sh
// start prints one), created for the test and dropped after, so that suites running at once
// never share tables. Header-only: a test that uses it links the layer that holds PgConnection.
#pragma once

#include <openssl/rand.h>

#include <cstdlib>
#include <string>

#include "common/hex.h"
#include "source/pg_connection.h"

namespace scout::test_support {

// `url` with its database name replaced.
inline std::string with_database(const std::string& url, const std::string& database) {
  const size_t authority = url.find("://") + 3;
  const size_t query = url.find('?', authority);
  size_t path = url.find('/', authority);
  if (path == std::string::npos || (query != std::string::npos && path > query)) {
    path = query == std::string::npos ? url.size() : query;
  }
  return url.substr(0, path) + "/" + database + (query == std::string::npos ? "" : url.substr(query));
}

class PgTestDatabase {
 public:
  // `prefix` names the suite; a random suffix makes the name unique. url() is "" when
  // SCOUT_TEST_PG_URL is unset, and error() says why when the database could not be made.
  explicit PgTestDatabase(const std::string& prefix) {
    const char* server = std::getenv("SCOUT_TEST_PG_URL");
    if (!server || !*server) return;
    server_ = server;
    unsigned char random[6];
    RAND_bytes(random, sizeof random);
    name_ = prefix + "_" + to_hex(random, sizeof random);
    auto admin = PgConnection::connect(server_);
    if (!admin.ok()) {
      error_ = admin.status().to_string();
      return;
    }
    Status created = (*admin)->exec("CREATE DATABASE " + name_);
    if (!created.ok()) {
      error_ = created.to_string() + " (the test login needs CREATEDB)";
      return;
    }
    url_ = with_database(server_, name_);
  }
  ~PgTestDatabase() {
    if (url_.empty()) return;
    auto admin = PgConnection::connect(server_);
    if (admin.ok()) (void)(*admin)->exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }
  PgTestDatabase(const PgTestDatabase&) = delete;
  PgTestDatabase& operator=(const PgTestDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& error() const { return error_; }
  bool configured() const { return !server_.empty(); }

 private:
  std::string server_, name_, url_, error_;
};

}  // namespace scout::test_support
