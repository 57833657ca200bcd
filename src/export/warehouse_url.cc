#include "export/warehouse_url.h"

#include <cstdlib>

#include "source/pg_connection.h"

namespace scout {

Result<WarehouseUrl> parse_warehouse_url(std::string_view url) {
  WarehouseUrl out;
  out.url = std::string(url);
  if (url.substr(0, 7) == "sqlite:") {
    std::string_view path = url.substr(7);
    if (path.substr(0, 2) == "//") path.remove_prefix(2);  // sqlite:///abs/path
    if (path.empty()) return Status::Invalid("warehouse URL '" + out.url + "' names no file");
    out.kind = WarehouseUrl::Kind::kSqlite;
    out.sqlite_path = std::string(path);
    return out;
  }
  if (url.substr(0, 13) == "postgresql://" || url.substr(0, 11) == "postgres://") {
    out.kind = WarehouseUrl::Kind::kPostgres;
    return out;
  }
  return Status::Invalid("unknown warehouse '" + redact_url(out.url) +
                         "'; use sqlite:PATH or postgresql://user:password@host:port/database");
}

std::string default_data_dir() {
  const char* env = std::getenv("SCOUT_DATA_DIR");
  return env && *env ? env : "scout-data";
}

std::string default_warehouse_path() { return default_data_dir() + "/warehouse.db"; }

std::string default_warehouse_url() { return "sqlite:" + default_warehouse_path(); }

}  // namespace scout
