#include "core/warehouse_url.h"

#include <cstdlib>

namespace scout {

std::string redact_url(const std::string& url) {
  std::string out = url;
  // The password of a URL's user info: postgresql://user:PASSWORD@host/db
  size_t scheme = out.find("://");
  size_t at = out.find('@');
  if (scheme != std::string::npos && at != std::string::npos && at > scheme) {
    size_t colon = out.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) out = out.substr(0, colon + 1) + "***" + out.substr(at);
  }
  // A password parameter: ?password=PASSWORD&... in a URL, password=PASSWORD in a keyword
  // string (libpq takes both).
  for (size_t at_key = 0; (at_key = out.find("password=", at_key)) != std::string::npos;) {
    bool starts_word = at_key == 0 || out[at_key - 1] == '?' || out[at_key - 1] == '&' || out[at_key - 1] == ' ';
    size_t value = at_key + 9;
    if (!starts_word) {
      at_key = value;
      continue;
    }
    size_t end = out.find_first_of("& ", value);
    if (end == std::string::npos) end = out.size();
    out = out.substr(0, value) + "***" + out.substr(end);
    at_key = value + 3;
  }
  return out;
}


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

std::string embedded_warehouse_path(const std::string& data_dir) {
  return data_dir + "/warehouse.db";
}

std::string embedded_warehouse_url(const std::string& data_dir) {
  return "sqlite:" + embedded_warehouse_path(data_dir);
}

std::string default_warehouse_path() { return embedded_warehouse_path(default_data_dir()); }

std::string default_warehouse_url() { return embedded_warehouse_url(default_data_dir()); }

}  // namespace scout
