#include "server/auth.h"

#include <jwt.h>

#include <cstdlib>
#include <memory>

#include <nlohmann/json.hpp>

namespace scout {
namespace {

Status unauthenticated(std::string message) {
  return Status(StatusCode::kUnauthenticated, std::move(message));
}

// Who owns the exports a JWT makes (ownership is subject equality). API key ids are "key_" and
// hex, and a JWT's `sub` is whatever its issuer wrote, so JWT subjects carry a prefix no key id
// has: a token whose sub is "key_..." cannot pass for that key. A token without a sub
// (Supabase's anon key has none) owns only what it made itself, named by its own hash, so two
// such tokens never share exports.
std::string jwt_subject(const std::optional<std::string>& sub, const std::string& token) {
  if (sub && !sub->empty()) return "jwt:" + *sub;
  return "jwt-token:" + sha256_hex(token).substr(0, 16);
}

bool looks_like_jwt(const std::string& token) {
  size_t dots = 0;
  for (char c : token) dots += c == '.';
  return dots == 2;
}

}  // namespace

Result<Principal> Authenticator::authenticate(std::string_view header, int64_t now_unix) const {
  if (header.empty()) {
    return unauthenticated("missing Authorization header; send 'Authorization: Bearer <key>'");
  }
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() || header.substr(0, kBearer.size()) != kBearer) {
    return unauthenticated("Authorization header must be 'Bearer <key>'");
  }
  std::string token(header.substr(kBearer.size()));
  while (!token.empty() && token.back() == ' ') token.pop_back();
  if (looks_like_jwt(token)) return from_jwt(token, now_unix);

  auto record = keys_->authenticate(token);
  if (!record) return unauthenticated("invalid API key");
  Principal p;
  p.subject = record->id;
  p.kind = "api_key";
  p.role = record->role;
  p.region = record->region;
  p.claims_json = Caller::with_role(p.role, p.region).claims_json;
  return p;
}

Result<Principal> Authenticator::from_jwt(const std::string& token, int64_t now_unix) const {
  if (jwt_secret_.empty()) return unauthenticated("JWTs are not accepted: no JWT secret is configured");
  jwt_t* raw = nullptr;
  int rc = jwt_decode(&raw, token.c_str(), reinterpret_cast<const unsigned char*>(jwt_secret_.data()),
                      static_cast<int>(jwt_secret_.size()));
  std::unique_ptr<jwt_t, decltype(&jwt_free)> jwt(raw, &jwt_free);
  if (rc != 0 || !jwt) return unauthenticated("invalid JWT: bad signature or malformed token");
  if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256) {
    return unauthenticated("invalid JWT: only HS256 tokens are accepted");
  }
  errno = 0;
  long exp = jwt_get_grant_int(jwt.get(), "exp");
  if (errno == ENOENT) return unauthenticated("invalid JWT: no 'exp' claim");
  if (exp < now_unix) return unauthenticated("JWT expired");

  char* claims_text = jwt_get_grants_json(jwt.get(), nullptr);
  std::string claims_json = claims_text ? claims_text : "{}";
  std::free(claims_text);
  auto claims = nlohmann::json::parse(claims_json, nullptr, false);
  if (claims.is_discarded() || !claims.is_object()) return unauthenticated("invalid JWT claims");

  Principal p;
  p.kind = "jwt";
  std::optional<std::string> sub;
  if (claims.contains("sub") && claims["sub"].is_string()) sub = claims["sub"].get<std::string>();
  p.subject = jwt_subject(sub, token);
  p.role = claims.value("role", "");
  // Supabase keeps custom claims at the top level or under app_metadata.
  if (claims.contains("region") && claims["region"].is_string()) {
    p.region = claims["region"].get<std::string>();
  } else if (claims.contains("app_metadata") && claims["app_metadata"].is_object() &&
             claims["app_metadata"].contains("region") &&
             claims["app_metadata"]["region"].is_string()) {
    p.region = claims["app_metadata"]["region"].get<std::string>();
  }
  if (p.role.empty()) return unauthenticated("invalid JWT: no 'role' claim");
  p.claims_json = claims.dump();
  return p;
}

Status authorize_dataset(const Principal& who, const DatasetSpec& dataset) {
  // A region claim restricts whatever the role, admin included: such a principal reads only
  // datasets whose rows have a region, and there only its region's rows.
  if (who.region) {
    if (!dataset.region_column.empty() || !dataset.store_column.empty()) return Status::OK();
    return Status(StatusCode::kPermissionDenied,
                  "role '" + who.role + "' may not export dataset '" + dataset.name +
                      "': its region claim reads only datasets whose rows have a region");
  }
  if (Caller::is_export_role(who.role)) return Status::OK();
  return Status(StatusCode::kPermissionDenied,
                "role '" + who.role + "' may not export dataset '" + dataset.name +
                    "'; exports need role admin or analytics_export, or a region claim");
}

Caller caller_for(const Principal& who) {
  Caller c;
  c.role = who.role;
  c.region = who.region;  // restricts every role, admin too (datasets.md)
  c.claims_json = who.claims_json;
  return c;
}

Result<std::string> sign_jwt(const std::string& secret, const std::string& claims_json) {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return Status::Internal("jwt_new failed");
  std::unique_ptr<jwt_t, decltype(&jwt_free)> jwt(raw, &jwt_free);
  if (jwt_add_grants_json(jwt.get(), claims_json.c_str()) != 0) {
    return Status::Invalid("claims are not a JSON object");
  }
  if (jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(secret.data()),
                  static_cast<int>(secret.size())) != 0) {
    return Status::Internal("cannot set HS256");
  }
  char* token = jwt_encode_str(jwt.get());
  if (!token) return Status::Internal("cannot encode JWT");
  std::string out = token;
  std::free(token);
  return out;
}

}  // namespace scout
