#include "source/source.h"

#include <nlohmann/json.hpp>

#include "source/postgres_source.h"
#include "source/sqlite_source.h"

namespace scout {

Caller Caller::with_role(std::string role, std::optional<std::string> region) {
  nlohmann::json claims = {{"role", role}};
  if (region) claims["region"] = *region;
  Caller c;
  c.role = std::move(role);
  c.region = std::move(region);
  // `replace`: a role or region that is not UTF-8 must not make dump() throw on the way to
  // authenticating a request.
  c.claims_json = claims.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return c;
}

Result<std::unique_ptr<Source>> open_source(const std::string& url) {
  if (url.rfind("sqlite:", 0) == 0) {
    std::string path = url.substr(7);
    if (path.rfind("//", 0) == 0) path = path.substr(2);  // sqlite:///abs/path also works
    if (path.empty()) return Status::Invalid("warehouse URL 'sqlite:' names no file");
    return open_sqlite_source(path);
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return open_postgres_source(url);
  }
  return Status::Invalid("unknown warehouse '" + url +
                         "'; use sqlite:PATH or postgresql://user:password@host:port/database");
}

}  // namespace scout
