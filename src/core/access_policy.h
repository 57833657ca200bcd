// Who reads which rows (datasets.md), as data: the catalog file's "access_policy" object, from
// which the embedded warehouse's filter, PostgreSQL's row-level security policies and the
// service's checks are all derived. config/datasets.json holds the one definition; a catalog
// file without the object takes it from there.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scout {

struct AccessPolicy {
  // Roles that read every row of every dataset (unless a region claim scopes them).
  std::vector<std::string> export_roles;
  // The export role that also sees every caller's exports (without a region claim).
  std::string admin_role;
  // The PostgreSQL role every export runs as, its claims set on the session (Supabase's
  // `authenticated`), so that row-level security decides.
  std::string session_role;
  // Where a JWT carries the region claim, as dotted paths ("region", "app_metadata.region").
  std::vector<std::string> region_claims;
  // The table that maps stores to regions, for datasets whose rows name a store.
  struct StoresTable {
    std::string name;   // the embedded warehouse's table
    std::string table;  // PostgreSQL's qualified table
    std::string store_column;
    std::string region_column;
  } stores;

  bool is_export_role(std::string_view role) const;
  // "admin or analytics_export", for messages.
  std::string export_roles_text() const;

  // The policy of the built-in catalog (config/datasets.json).
  static const AccessPolicy& standard();
};

// Who asks. PostgreSQL gets the role and claims set on its session, so its row-level
// security decides; the embedded warehouse applies the same policy itself. A default Caller
// names nobody and sees nothing (no role, claims that match no policy): reading everything
// must be asked for, with Caller::admin().
struct Caller {
  std::string role;
  std::optional<std::string> region;  // set: only this region's rows, whatever the role
  std::string claims_json = "{}";     // the JWT claims, as auth.jwt() returns them
  // The policy's export_roles hold `role`: set by with_role and caller_for, which know the
  // policy. A Caller built by hand without it reads no rows (it fails closed).
  bool export_role = false;

  // A caller whose claims are just its role (and region), as an API key's are.
  static Caller with_role(std::string role, std::optional<std::string> region = std::nullopt,
                          const AccessPolicy& policy = AccessPolicy::standard());
  // The operator's own rights (the CLI, tools): every row of every dataset.
  static Caller admin(const AccessPolicy& policy = AccessPolicy::standard()) {
    return with_role(policy.admin_role, std::nullopt, policy);
  }

  // datasets.md: who reads rows at all. A region claim scopes any role to that region;
  // without one only the export roles read, and they read every row.
  bool reads_every_row() const { return !region && export_role; }
  bool reads_some_rows() const { return region.has_value() || export_role; }
};

}  // namespace scout
