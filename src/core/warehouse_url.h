// Naming a warehouse: one URL for the embedded SQLite file ("sqlite:PATH") or a PostgreSQL
// server (a libpq URI), and the one place that decides where the embedded warehouse lives.
#pragma once

#include <string>
#include <string_view>

#include "scout/status.h"

namespace scout {

struct WarehouseUrl {
  enum class Kind { kSqlite, kPostgres };
  Kind kind = Kind::kSqlite;
  std::string sqlite_path;  // kSqlite: the database file
  std::string url;          // the URL as given (kPostgres: what libpq connects with)
};

// "sqlite:PATH" (also "sqlite://PATH" and "sqlite:///abs/path"), "postgresql://..." or
// "postgres://...". Anything else is InvalidArgument naming the URL and the accepted forms.
Result<WarehouseUrl> parse_warehouse_url(std::string_view url);

// A URL with its password replaced by '***' (user info, ?password=, or libpq's keyword form),
// for messages and logs.
std::string redact_url(const std::string& url);

// $SCOUT_DATA_DIR when set and not empty, else ./scout-data: where the embedded warehouse and
// the service's files live.
std::string default_data_dir();
// The embedded warehouse of a data dir, <data dir>/warehouse.db, and the same as a URL.
std::string embedded_warehouse_path(const std::string& data_dir);
std::string embedded_warehouse_url(const std::string& data_dir);
// The same for default_data_dir().
std::string default_warehouse_path();
std::string default_warehouse_url();

}  // namespace scout
