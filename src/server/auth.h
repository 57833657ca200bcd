// Who is calling: an API key (looked up by hash) or an HS256 JWT signed with the project's
// secret, as Supabase issues them. The result carries the role and claims that the access
// policy (datasets.md) and PostgreSQL's row-level security decide on.
#pragma once

#include <optional>
#include <string>

#include "core/access_policy.h"
#include "core/catalog.h"
#include "state/api_keys.h"

namespace scout {

struct Principal {
  // Who owns the exports this principal makes, and what the audit log names: an API key's id
  // ("key_..."), "jwt:" + a JWT's `sub`, or for a JWT without one "jwt-token:" + the first 16
  // hex digits of the token's SHA-256, so that no two credentials share one by accident.
  std::string subject;
  std::string kind;     // "api_key" | "jwt"
  std::string role;
  std::optional<std::string> region;
  std::string claims_json;  // the claims set on the database session
};

class Authenticator {
 public:
  Authenticator(const ApiKeyStore* keys, std::string jwt_secret,
                const AccessPolicy& policy = AccessPolicy::standard())
      : keys_(keys), jwt_secret_(std::move(jwt_secret)), policy_(&policy) {}

  // From an `Authorization` header value ("Bearer <key or JWT>", the scheme in any case).
  // Unauthenticated with a reason when missing or bad, claims of the wrong JSON type included;
  // never throws, whatever the bytes of the header or the token's claims.
  Result<Principal> authenticate(std::string_view authorization_header, int64_t now_unix) const;

 private:
  Result<Principal> authenticate_header(std::string_view header, int64_t now_unix) const;
  Result<Principal> from_jwt(const std::string& token, int64_t now_unix) const;

  const ApiKeyStore* keys_;
  std::string jwt_secret_;
  const AccessPolicy* policy_;  // where the region claim is
};

// datasets.md's policy: the export roles (admin and analytics_export) read every row of every
// dataset; a principal with a region claim reads its region's rows of datasets that have a
// region (own column or stores join); anyone else is refused, naming the dataset.
Status authorize_dataset(const Principal& who, const DatasetSpec& dataset,
                         const AccessPolicy& policy = AccessPolicy::standard());

// The credentials of a Bearer Authorization header, or nullopt when it is not one. RFC 9110
// §11.1: the scheme is case-insensitive ("bearer" is "Bearer"); §11.4: one or more spaces
// follow it; §5.5: whitespace around the field value is not part of it.
std::optional<std::string_view> bearer_credentials(std::string_view header);

// The Caller a source is given for this principal.
Caller caller_for(const Principal& who, const AccessPolicy& policy = AccessPolicy::standard());

// Signs a JWT (HS256) with `claims_json` as its payload; for tests and `keys token`.
Result<std::string> sign_jwt(const std::string& secret, const std::string& claims_json);

}  // namespace scout
