#include "server/auth.h"

#include <gtest/gtest.h>


#include <nlohmann/json.hpp>

#include "testing/temp_dir.h"

namespace scout {
namespace {


constexpr int64_t kNow = 1'780'000'000;
const std::string kSecret = "a-jwt-secret-of-thirty-two-bytes!";

std::string base64url(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 63]);
  return out;
}

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = ApiKeyStore::open(dir_.file("keys.json"));
    ASSERT_TRUE(store.ok());
    store_ = std::make_unique<ApiKeyStore>(std::move(*store));
  }

  std::string jwt(const nlohmann::json& claims, const std::string& secret = kSecret) {
    auto token = sign_jwt(secret, claims.dump());
    EXPECT_TRUE(token.ok());
    return token.ok() ? *token : "";
  }

  // The refusal's message; the test fails when the header is accepted.
  std::string refused(const Authenticator& auth, const std::string& header) {
    auto p = auth.authenticate(header, kNow);
    EXPECT_FALSE(p.ok()) << header;
    if (p.ok()) return "";
    EXPECT_EQ(p.status().code(), StatusCode::kUnauthenticated) << p.status().to_string();
    return p.status().message();
  }

  test_support::TempDir dir_;
  std::unique_ptr<ApiKeyStore> store_;
};

TEST_F(AuthTest, ApiKeyGivesItsRoleAndRegion) {
  auto secret = store_->create("store_manager", std::string("NCR"), "ncr", nullptr);
  ASSERT_TRUE(secret.ok());
  Authenticator auth(store_.get(), kSecret);
  auto p = auth.authenticate("Bearer " + *secret, kNow);
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  EXPECT_EQ(p->kind, "api_key");
  EXPECT_EQ(p->role, "store_manager");
  EXPECT_EQ(p->region, std::optional<std::string>("NCR"));
  EXPECT_EQ(p->subject.rfind("key_", 0), 0u);
  auto claims = nlohmann::json::parse(p->claims_json);
  EXPECT_EQ(claims["role"], "store_manager");

  EXPECT_NE(refused(auth, "Bearer sk_scout_nope").find("invalid API key"), std::string::npos);
}

TEST_F(AuthTest, HeaderMustBeBearer) {
  Authenticator auth(store_.get(), kSecret);
  EXPECT_NE(refused(auth, "").find("missing Authorization header"), std::string::npos);
  EXPECT_NE(refused(auth, "Basic dXNlcjpwYXNz").find("'Bearer <key>'"), std::string::npos);
  refused(auth, "Bearer ");
  refused(auth, "bearer abc");
}

TEST_F(AuthTest, SupabaseJwtWithRegionUnderAppMetadata) {
  Authenticator auth(store_.get(), kSecret);
  auto p = auth.authenticate(
      "Bearer " + jwt({{"sub", "user-7"}, {"role", "authenticated"}, {"exp", kNow + 60},
                       {"app_metadata", {{"region", "Region VII - Central Visayas"}}}}),
      kNow);
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  EXPECT_EQ(p->kind, "jwt");
  EXPECT_EQ(p->subject, "user-7");
  EXPECT_EQ(p->role, "authenticated");
  EXPECT_EQ(p->region, std::optional<std::string>("Region VII - Central Visayas"));
  // The whole claim set goes to the database session, for auth.jwt() in the policies.
  EXPECT_EQ(nlohmann::json::parse(p->claims_json)["app_metadata"]["region"],
            "Region VII - Central Visayas");

  auto top = auth.authenticate(
      "Bearer " + jwt({{"role", "authenticated"}, {"exp", kNow + 60}, {"region", "NCR"}}), kNow);
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(top->region, std::optional<std::string>("NCR"));
}

TEST_F(AuthTest, RefusesBadJwts) {
  Authenticator auth(store_.get(), kSecret);
  EXPECT_NE(refused(auth, "Bearer " + jwt({{"role", "admin"}, {"exp", kNow - 1}})).find("expired"),
            std::string::npos);
  EXPECT_NE(refused(auth, "Bearer " + jwt({{"role", "admin"}})).find("no 'exp'"),
            std::string::npos);
  EXPECT_NE(refused(auth, "Bearer " + jwt({{"exp", kNow + 60}})).find("no 'role'"),
            std::string::npos);
  refused(auth, "Bearer " + jwt({{"role", "admin"}, {"exp", kNow + 60}}, "another-secret-of-32-bytes-long!"));

  // alg "none" with no signature, and an HS256 token whose payload was swapped after signing.
  const std::string payload = base64url(R"({"role":"admin","exp":)" + std::to_string(kNow + 60) + "}");
  refused(auth, "Bearer " + base64url(R"({"alg":"none","typ":"JWT"})") + "." + payload + ".");
  std::string signed_token = jwt({{"role", "authenticated"}, {"exp", kNow + 60}});
  size_t first = signed_token.find('.'), second = signed_token.rfind('.');
  refused(auth, "Bearer " + signed_token.substr(0, first + 1) + payload + signed_token.substr(second));
  refused(auth, "Bearer a.b.c");

  Authenticator no_jwts(store_.get(), "");
  EXPECT_NE(refused(no_jwts, "Bearer " + jwt({{"role", "admin"}, {"exp", kNow + 60}}))
                .find("no JWT secret"),
            std::string::npos);
}

Principal principal(std::string role, std::optional<std::string> region = std::nullopt) {
  Principal p;
  p.role = std::move(role);
  p.region = std::move(region);
  return p;
}

// datasets.md's policy over the built-in catalog: datasets reached by a region column, by a
// store column, and (if any) by neither.
TEST(Authorize, DatasetsMdPolicy) {
  const Principal admin = principal("admin"), exporter = principal("analytics_export");
  const Principal manager = principal("store_manager", "NCR"), stranger = principal("authenticated");
  int regional = 0;
  for (const DatasetSpec& d : Catalog::builtin().datasets()) {
    EXPECT_TRUE(authorize_dataset(admin, d).ok()) << d.name;
    EXPECT_TRUE(authorize_dataset(exporter, d).ok()) << d.name;
    Status st = authorize_dataset(stranger, d);
    EXPECT_EQ(st.code(), StatusCode::kPermissionDenied) << d.name;
    EXPECT_NE(st.message().find("'" + d.name + "'"), std::string::npos) << st.message();
    const bool has_region = !d.region_column.empty() || !d.store_column.empty();
    regional += has_region;
    EXPECT_EQ(authorize_dataset(manager, d).ok(), has_region) << d.name;
  }
  EXPECT_GE(regional, 2);
  ASSERT_NE(Catalog::builtin().find("store_rankings"), nullptr);
  EXPECT_TRUE(authorize_dataset(manager, *Catalog::builtin().find("store_rankings")).ok());
  ASSERT_NE(Catalog::builtin().find("daily_transactions"), nullptr);
  EXPECT_TRUE(authorize_dataset(manager, *Catalog::builtin().find("daily_transactions")).ok());

  // Unrestricted roles read every row even when their key carries a region.
  EXPECT_FALSE(caller_for(principal("admin", "NCR")).region.has_value());
  EXPECT_EQ(caller_for(manager).region, std::optional<std::string>("NCR"));
}

}  // namespace
}  // namespace scout
