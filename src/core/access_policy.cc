#include "core/access_policy.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/catalog.h"

namespace scout {

bool AccessPolicy::is_export_role(std::string_view role) const {
  return std::find(export_roles.begin(), export_roles.end(), role) != export_roles.end();
}

std::string AccessPolicy::export_roles_text() const {
  std::string out;
  for (size_t i = 0; i < export_roles.size(); ++i) {
    if (i > 0) out += i + 1 == export_roles.size() ? " or " : ", ";
    out += export_roles[i];
  }
  return out;
}

const AccessPolicy& AccessPolicy::standard() { return Catalog::builtin().access_policy(); }

Caller Caller::with_role(std::string role, std::optional<std::string> region,
                         const AccessPolicy& policy) {
  nlohmann::json claims = {{"role", role}};
  if (region && !policy.region_claims.empty()) {
    std::string pointer = "/" + policy.region_claims.front();
    std::replace(pointer.begin(), pointer.end(), '.', '/');
    claims[nlohmann::json::json_pointer(pointer)] = *region;
  }
  Caller c;
  c.export_role = policy.is_export_role(role);
  c.role = std::move(role);
  c.region = std::move(region);
  // `replace`: a role or region that is not UTF-8 must not make dump() throw on the way to
  // authenticating a request.
  c.claims_json = claims.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return c;
}

}  // namespace scout
