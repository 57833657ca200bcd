// The Authorization header as the service reads it: API keys looked up in a real key store (in
// a temporary folder), HS256 JWTs checked against the secret, then their claims. The first
// byte says how the rest is used, so that the fuzzer reaches every stage without having to
// forge a signature:
//   0  the whole header, as sent
//   1  "Bearer " + the rest
//   2  "Bearer " + a valid API key + the rest
//   3  the rest is a claims JSON, signed with sign_jwt (as `keys token` makes them)
//   4  the rest is the JWT payload itself, base64url-encoded and signed here, so bytes that
//      sign_jwt would refuse or normalise reach libjwt's and then our claims parser
// Nothing may throw or crash, and an accepted principal always has a role.
#include <cstdint>
#include <memory>
#include <string>

#include "fuzz_input.h"
#include "state/api_keys.h"
#include "server/auth.h"
#include "testing/hand_signed_jwt.h"
#include "testing/temp_dir.h"

namespace {

constexpr int64_t kNow = 1'750'000'000;  // 2025-06-15
const std::string kJwtSecret = "fuzz-jwt-secret-of-thirty-two-by";

// An HS256 JWT over exactly `payload`, whatever it holds.
std::string hs256_token(std::string_view payload) {
  return scout::test_support::hand_signed_jwt(payload, kJwtSecret);
}

// A key store with one admin key and one revoked key, made once per process.
struct KeyFixture {
  scout::test_support::TempDir dir;
  std::unique_ptr<scout::FileApiKeyStore> store;
  std::string admin_key;

  KeyFixture() {
    auto opened = scout::FileApiKeyStore::open(dir.file("keys.json"));
    if (!opened.ok()) __builtin_trap();
    store = std::make_unique<scout::FileApiKeyStore>(std::move(*opened));
    auto admin = store->create("admin", std::nullopt, "fuzz-admin", nullptr);
    scout::ApiKeyRecord revoked;
    auto old = store->create("analytics_export", "NCR", "fuzz-revoked", &revoked);
    if (!admin.ok() || !old.ok() || !store->revoke(revoked.id).ok()) __builtin_trap();
    admin_key = *admin;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static KeyFixture keys;
  static const scout::Authenticator auth(keys.store.get(), kJwtSecret);
  if (size == 0) return 0;
  std::string_view rest = scout::fuzz::as_text(data + 1, size - 1);

  std::string header;
  switch (data[0] % 5) {
    case 0: header = rest; break;
    case 1: header = "Bearer " + std::string(rest); break;
    case 2: header = "Bearer " + keys.admin_key + std::string(rest); break;
    case 3: {
      auto token = scout::sign_jwt(kJwtSecret, std::string(rest));
      if (!token.ok()) return 0;
      header = "Bearer " + *token;
      break;
    }
    case 4: header = "Bearer " + hs256_token(rest); break;
  }
  auto who = auth.authenticate(header, kNow);
  if (who.ok() && who->role.empty()) __builtin_trap();
  return 0;
}
