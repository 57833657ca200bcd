#include "server/auth.h"

#include <jwt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "http/http_message.h"
#include "storage/digest.h"

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

bool looks_like_jwt(std::string_view token) {
  size_t dots = 0;
  for (char c : token) dots += c == '.';
  return dots == 2;
}

// libjwt 1.10 (Debian 12's) compares an HS256 signature with strcmp, whose running time tells
// a forger how many leading characters of a guess are right (the timing leak of
// CVE-2024-25189). So the signature is checked here first, in constant time, and libjwt only
// ever sees tokens whose signature is already known to be right.
bool hs256_signature_matches(std::string_view token, std::string_view secret) {
  size_t last_dot = token.rfind('.');
  if (last_dot == std::string_view::npos) return false;
  std::string_view signing_input = token.substr(0, last_dot);
  std::string_view signature = token.substr(last_dot + 1);
  const std::string mac = hmac_sha256(secret, signing_input);
  if (mac.empty()) return false;  // OpenSSL could not compute it
  // RFC 7515 §2: base64url without padding.
  unsigned char encoded[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  int n = EVP_EncodeBlock(encoded, reinterpret_cast<const unsigned char*>(mac.data()),
                          static_cast<int>(mac.size()));
  std::string expected(reinterpret_cast<const char*>(encoded), static_cast<size_t>(n));
  while (!expected.empty() && expected.back() == '=') expected.pop_back();
  for (char& c : expected) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return signature.size() == expected.size() &&
         CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) == 0;
}

bool is_ascii_letter_or_digit(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// RFC 6750 §2.1's b64token, which API keys ("sk_scout_" and hex) and JWTs (base64url parts and
// dots) are made of. Anything else is refused before it reaches libjwt, whose C string would
// silently end at a NUL byte and so accept a token with anything appended.
bool is_b64token(std::string_view token) {
  size_t i = 0;
  while (i < token.size() &&
         (is_ascii_letter_or_digit(token[i]) || token[i] == '-' || token[i] == '.' ||
          token[i] == '_' || token[i] == '~' || token[i] == '+' || token[i] == '/')) {
    ++i;
  }
  if (i == 0) return false;
  while (i < token.size() && token[i] == '=') ++i;
  return i == token.size();
}

bool is_optional_whitespace(char c) { return c == ' ' || c == '\t'; }

Status claim_must_be(std::string_view claim, std::string_view what) {
  return unauthenticated("invalid JWT: claim '" + std::string(claim) + "' must be " +
                         std::string(what));
}

// A claim that may be absent but, when present, must be a string; `shown_as` names it. Only
// non-throwing accessors of nlohmann::json are used on what the token says.
Result<std::optional<std::string>> optional_string_claim(const nlohmann::json& object,
                                                         const char* key,
                                                         std::string_view shown_as) {
  auto it = object.find(key);
  if (it == object.end()) return std::optional<std::string>();
  if (!it->is_string()) return claim_must_be(shown_as, "a string");
  return std::optional<std::string>(it->get_ref<const std::string&>());
}

// RFC 7519 §2's NumericDate: seconds since 1970, any JSON number.
Result<std::optional<double>> optional_time_claim(const nlohmann::json& claims, const char* key) {
  auto it = claims.find(key);
  if (it == claims.end()) return std::optional<double>();
  if (!it->is_number()) return claim_must_be(key, "a number (seconds since 1970)");
  return std::optional<double>(it->get<double>());
}

// The region a JWT scopes its holder to, found where the policy says (datasets.md: top-level
// `region` or Supabase's `app_metadata.region`). Two that disagree are refused rather than one
// chosen silently.
Result<std::optional<std::string>> region_claim(const nlohmann::json& claims,
                                                const std::vector<std::string>& paths) {
  std::optional<std::string> found;
  std::string found_at;
  for (const std::string& path : paths) {
    const nlohmann::json* object = &claims;
    std::string_view rest = path;
    for (size_t dot; object && (dot = rest.find('.')) != std::string_view::npos;
         rest.remove_prefix(dot + 1)) {
      auto it = object->find(std::string(rest.substr(0, dot)));
      if (it == object->end()) {
        object = nullptr;
      } else if (!it->is_object()) {
        return claim_must_be(path.substr(0, path.size() - rest.size() + dot), "an object");
      } else {
        object = &*it;
      }
    }
    if (!object) continue;
    SCOUT_ASSIGN_OR_RETURN(auto value, optional_string_claim(*object, std::string(rest).c_str(), path));
    if (!value) continue;
    if (found && *found != *value) {
      return unauthenticated("invalid JWT: claims '" + found_at + "' and '" + path + "' disagree");
    }
    if (!found) {
      found = std::move(value);
      found_at = path;
    }
  }
  return found;
}

}  // namespace

std::optional<std::string_view> bearer_credentials(std::string_view header) {
  while (!header.empty() && is_optional_whitespace(header.front())) header.remove_prefix(1);
  while (!header.empty() && is_optional_whitespace(header.back())) header.remove_suffix(1);
  constexpr std::string_view kScheme = "bearer";
  if (header.size() <= kScheme.size()) return std::nullopt;
  if (!iequals(header.substr(0, kScheme.size()), kScheme)) return std::nullopt;
  std::string_view rest = header.substr(kScheme.size());
  if (rest.front() != ' ') return std::nullopt;
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.empty()) return std::nullopt;
  return rest;
}

Result<Principal> Authenticator::authenticate(std::string_view header, int64_t now_unix) const {
  // Every call on the way is one that does not throw on any input, so a malformed credential
  // is a 401 and never a 500; this catch is only the backstop for a case that was missed.
  try {
    return authenticate_header(header, now_unix);
  } catch (...) {
    return unauthenticated("invalid credentials");
  }
}

Result<Principal> Authenticator::authenticate_header(std::string_view header,
                                                     int64_t now_unix) const {
  if (header.empty()) {
    return unauthenticated("missing Authorization header; send 'Authorization: Bearer <key>'");
  }
  std::optional<std::string_view> credentials = bearer_credentials(header);
  if (!credentials) return unauthenticated("Authorization header must be 'Bearer <key>'");
  if (!is_b64token(*credentials)) {
    return unauthenticated(
        "Authorization header must be 'Bearer <key>': the key has characters no API key or JWT "
        "has");
  }
  std::string token(*credentials);
  if (looks_like_jwt(token)) return from_jwt(token, now_unix);

  auto found = keys_->authenticate(token);
  if (!found.ok()) return found.status();  // Unavailable: the store cannot tell
  const std::optional<ApiKeyRecord>& record = *found;
  if (!record) return unauthenticated("invalid API key");
  Principal p;
  p.subject = record->id;
  p.kind = "api_key";
  p.role = record->role;
  p.region = record->region;
  p.claims_json = Caller::with_role(p.role, p.region, *policy_).claims_json;
  return p;
}

Result<Principal> Authenticator::from_jwt(const std::string& token, int64_t now_unix) const {
  if (jwt_secret_.empty()) return unauthenticated("JWTs are not accepted: no JWT secret is configured");
  if (!hs256_signature_matches(token, jwt_secret_)) {
    return unauthenticated("invalid JWT: bad signature or malformed token");
  }
  jwt_t* raw = nullptr;
  int rc = jwt_decode(&raw, token.c_str(), reinterpret_cast<const unsigned char*>(jwt_secret_.data()),
                      static_cast<int>(jwt_secret_.size()));
  std::unique_ptr<jwt_t, decltype(&jwt_free)> jwt(raw, &jwt_free);
  if (rc != 0 || !jwt) return unauthenticated("invalid JWT: bad signature or malformed token");
  if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256) {
    return unauthenticated("invalid JWT: only HS256 tokens are accepted");
  }
  char* claims_text = jwt_get_grants_json(jwt.get(), nullptr);
  if (!claims_text) return unauthenticated("invalid JWT: its claims cannot be read");
  auto claims = nlohmann::json::parse(claims_text, nullptr, /*allow_exceptions=*/false);
  std::free(claims_text);
  if (claims.is_discarded() || !claims.is_object()) {
    return unauthenticated("invalid JWT: its claims are not a JSON object");
  }

  // RFC 7519 §4.1.4 and §4.1.5, with no allowance for clock skew: the tokens we accept are
  // issued for minutes to hours, so a few seconds of skew matter little, and none is simplest
  // to reason about.
  SCOUT_ASSIGN_OR_RETURN(std::optional<double> exp, optional_time_claim(claims, "exp"));
  if (!exp) return unauthenticated("invalid JWT: no 'exp' claim");
  if (*exp < static_cast<double>(now_unix)) return unauthenticated("JWT expired");
  SCOUT_ASSIGN_OR_RETURN(std::optional<double> nbf, optional_time_claim(claims, "nbf"));
  if (nbf && *nbf > static_cast<double>(now_unix)) {
    return unauthenticated("JWT not valid yet: its 'nbf' claim is in the future");
  }

  Principal p;
  p.kind = "jwt";
  SCOUT_ASSIGN_OR_RETURN(std::optional<std::string> role,
                         optional_string_claim(claims, "role", "role"));
  if (!role || role->empty()) return unauthenticated("invalid JWT: no 'role' claim");
  p.role = std::move(*role);
  SCOUT_ASSIGN_OR_RETURN(std::optional<std::string> sub,
                         optional_string_claim(claims, "sub", "sub"));
  p.subject = jwt_subject(sub, token);
  SCOUT_ASSIGN_OR_RETURN(p.region, region_claim(claims, policy_->region_claims));
  // The parser accepted only valid UTF-8, so nothing needs replacing; `replace` keeps dump()
  // from throwing should that ever change.
  p.claims_json = claims.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return p;
}

Status authorize_dataset(const Principal& who, const DatasetSpec& dataset, const AccessPolicy& policy) {
  // A region claim restricts whatever the role, admin included: such a principal reads only
  // datasets whose rows have a region, and there only its region's rows.
  if (who.region) {
    if (!dataset.region_column.empty() || !dataset.store_column.empty()) return Status::OK();
    return Status(StatusCode::kPermissionDenied,
                  "role '" + who.role + "' may not export dataset '" + dataset.name +
                      "': its region claim reads only datasets whose rows have a region");
  }
  if (policy.is_export_role(who.role)) return Status::OK();
  return Status(StatusCode::kPermissionDenied,
                "role '" + who.role + "' may not export dataset '" + dataset.name +
                    "'; exports need role " + policy.export_roles_text() + ", or a region claim");
}

Caller caller_for(const Principal& who, const AccessPolicy& policy) {
  Caller c;
  c.export_role = policy.is_export_role(who.role);
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
