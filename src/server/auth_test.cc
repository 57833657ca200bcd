#include "server/auth.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/splitmix64.h"
#include "demo/demo_generator.h"
#include "demo/sqlite_demo_sink.h"
#include "export/export_job.h"
#include "export/export_request.h"
#include "testing/hand_signed_jwt.h"
#include "testing/temp_dir.h"

namespace scout {
namespace {

constexpr int64_t kNow = 1'780'000'000;
const std::string kSecret = "a-jwt-secret-of-thirty-two-bytes!";

using test_support::base64url;

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = FileApiKeyStore::open(dir_.file("keys.json"));
    ASSERT_TRUE(store.ok());
    store_ = std::make_unique<FileApiKeyStore>(std::move(*store));
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
  std::unique_ptr<FileApiKeyStore> store_;
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
  refused(auth, "Bearer      ");
  EXPECT_NE(refused(auth, "bearer abc").find("invalid API key"), std::string::npos);
  auto key = store_->create("analytics_export", std::nullopt, "k", nullptr);
  ASSERT_TRUE(key.ok());
  const std::string k = *key;
  refused(auth, "Bearer" + k);
  refused(auth, "Bearer\t" + k);
  refused(auth, "Bearer: " + k);
  refused(auth, "Basic " + k);
  refused(auth, "Bearer " + k + " " + k);
  // libjwt and the key hash must not see a token cut short or padded with other bytes.
  refused(auth, "Bearer " + k + std::string("\0", 1) + "junk");
  refused(auth, "Bearer " + k + "\xff");
  refused(auth, std::string("Bearer \0", 8));
}

// RFC 9110 §11.1: the scheme is case-insensitive; one or more spaces separate it from the key.
TEST_F(AuthTest, BearerSchemeInAnyCase) {
  auto key = store_->create("analytics_export", std::nullopt, "k", nullptr);
  ASSERT_TRUE(key.ok());
  Authenticator auth(store_.get(), kSecret);
  for (const std::string& header : {"bearer " + *key, "BEARER " + *key, "bEaReR " + *key,
                                    "Bearer    " + *key, " Bearer " + *key + "  "}) {
    auto p = auth.authenticate(header, kNow);
    EXPECT_TRUE(p.ok()) << header << ": " << p.status().to_string();
  }
  auto p = auth.authenticate("bearer " + jwt({{"role", "admin"}, {"exp", kNow + 60}}), kNow);
  EXPECT_TRUE(p.ok()) << p.status().to_string();
}

TEST_F(AuthTest, SupabaseJwtWithRegionUnderAppMetadata) {
  Authenticator auth(store_.get(), kSecret);
  auto p = auth.authenticate(
      "Bearer " + jwt({{"sub", "user-7"}, {"role", "authenticated"}, {"exp", kNow + 60},
                       {"app_metadata", {{"region", "Region VII - Central Visayas"}}}}),
      kNow);
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  EXPECT_EQ(p->kind, "jwt");
  EXPECT_EQ(p->subject, "jwt:user-7");
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

// Ownership of an export is subject equality: the subjects of different credentials differ.
TEST_F(AuthTest, EveryCredentialHasASubjectOfItsOwn) {
  Authenticator auth(store_.get(), kSecret);
  auto subject = [&](const std::string& token) {
    auto p = auth.authenticate("Bearer " + token, kNow);
    EXPECT_TRUE(p.ok()) << p.status().to_string();
    return p.ok() ? p->subject : "";
  };
  // Two JWTs without `sub` (Supabase's anon key has none) do not share one owner...
  const std::string anon = jwt({{"role", "admin"}, {"exp", kNow + 60}});
  const std::string other_anon = jwt({{"role", "admin"}, {"exp", kNow + 61}});
  EXPECT_EQ(subject(anon).rfind("jwt-token:", 0), 0u) << subject(anon);
  EXPECT_EQ(subject(anon).size(), std::string("jwt-token:").size() + 16);
  EXPECT_NE(subject(anon), subject(other_anon));
  // ...while the very same token, and tokens naming the same sub, do.
  EXPECT_EQ(subject(anon), subject(anon));
  EXPECT_EQ(subject(jwt({{"sub", "user-7"}, {"role", "admin"}, {"exp", kNow + 60}})),
            subject(jwt({{"sub", "user-7"}, {"role", "authenticated"}, {"exp", kNow + 90}})));
  EXPECT_NE(subject(jwt({{"sub", ""}, {"role", "admin"}, {"exp", kNow + 60}})),
            subject(jwt({{"sub", ""}, {"role", "admin"}, {"exp", kNow + 61}})));

  // A JWT whose sub spells an API key's id does not become that key's owner.
  ApiKeyRecord record;
  auto key = store_->create("admin", std::nullopt, "k", &record);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(subject(*key), record.id);
  EXPECT_NE(subject(jwt({{"sub", record.id}, {"role", "admin"}, {"exp", kNow + 60}})), record.id);
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

// Claims of the wrong JSON type are the caller's mistake (401 naming the claim), never a 500.
TEST_F(AuthTest, MalformedClaimsAreRefusedNamingTheClaim) {
  Authenticator auth(store_.get(), kSecret);
  auto message = [&](nlohmann::json claims) {
    if (!claims.contains("exp")) claims["exp"] = kNow + 60;
    if (!claims.contains("role")) claims["role"] = "admin";
    return refused(auth, "Bearer " + jwt(claims));
  };
  const std::vector<nlohmann::json> not_strings = {5, nullptr, nlohmann::json::array(),
                                                   nlohmann::json::object(), true};
  for (const nlohmann::json& bad : not_strings) {
    EXPECT_EQ(message({{"role", bad}}), "invalid JWT: claim 'role' must be a string") << bad;
    EXPECT_EQ(message({{"sub", bad}}), "invalid JWT: claim 'sub' must be a string") << bad;
    EXPECT_EQ(message({{"region", bad}}), "invalid JWT: claim 'region' must be a string") << bad;
    EXPECT_EQ(message({{"app_metadata", {{"region", bad}}}}),
              "invalid JWT: claim 'app_metadata.region' must be a string")
        << bad;
    if (bad.is_number()) continue;
    EXPECT_EQ(message({{"exp", bad}}), "invalid JWT: claim 'exp' must be a number (seconds since 1970)")
        << bad;
    EXPECT_EQ(message({{"nbf", bad}}), "invalid JWT: claim 'nbf' must be a number (seconds since 1970)")
        << bad;
  }
  EXPECT_EQ(message({{"exp", std::to_string(kNow + 60)}}),
            "invalid JWT: claim 'exp' must be a number (seconds since 1970)");
  const std::vector<nlohmann::json> not_objects = {"NCR", nullptr, nlohmann::json::array()};
  for (const nlohmann::json& bad : not_objects) {
    EXPECT_EQ(message({{"app_metadata", bad}}), "invalid JWT: claim 'app_metadata' must be an object")
        << bad;
  }
  EXPECT_EQ(message({{"role", ""}}), "invalid JWT: no 'role' claim");
  EXPECT_EQ(message({{"region", "NCR"}, {"app_metadata", {{"region", "CAR"}}}}),
            "invalid JWT: claims 'region' and 'app_metadata.region' disagree");

  // Fractional NumericDates are numbers too (RFC 7519 §2).
  auto p = auth.authenticate(
      "Bearer " + jwt({{"role", "admin"}, {"exp", kNow + 0.5}, {"nbf", kNow - 0.5}}), kNow);
  EXPECT_TRUE(p.ok()) << p.status().to_string();
  p = auth.authenticate("Bearer " + jwt({{"role", "admin"}, {"exp", kNow + 60}, {"region", "NCR"},
                                         {"app_metadata", {{"region", "NCR"}}}}),
                        kNow);
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  EXPECT_EQ(p->region, std::optional<std::string>("NCR"));
}

// RFC 7519 §4.1.5, with no allowance for clock skew.
TEST_F(AuthTest, NotBeforeIsHonoured) {
  Authenticator auth(store_.get(), kSecret);
  auto with_nbf = [&](int64_t nbf) {
    return "Bearer " + jwt({{"role", "admin"}, {"exp", kNow + 7200}, {"nbf", nbf}});
  };
  EXPECT_EQ(refused(auth, with_nbf(kNow + 3600)), "JWT not valid yet: its 'nbf' claim is in the future");
  EXPECT_EQ(refused(auth, with_nbf(kNow + 1)), "JWT not valid yet: its 'nbf' claim is in the future");
  EXPECT_TRUE(auth.authenticate(with_nbf(kNow), kNow).ok());
  EXPECT_TRUE(auth.authenticate(with_nbf(kNow - 3600), kNow).ok());
}

std::string hand_signed_jwt(std::string_view payload, const std::string& secret = kSecret) {
  return test_support::hand_signed_jwt(payload, secret);
}

TEST_F(AuthTest, ClaimsThatAreNotUtf8AreRefused) {
  Authenticator auth(store_.get(), kSecret);
  const std::string start = "{\"role\":\"admin\",\"exp\":" + std::to_string(kNow + 60);
  auto ok = auth.authenticate("Bearer " + hand_signed_jwt(start + "}"), kNow);
  ASSERT_TRUE(ok.ok()) << "the hand signer signs as libjwt checks: " << ok.status().to_string();
  const std::vector<std::string> payloads = {
      start + ",\"sub\":\"\xff\xfe\"}",                        // bytes that are never UTF-8
      start + ",\"role\":\"adm\xc3\x28\"}",                   // a lead byte without its follower
      start + ",\"region\":\"\\ud800\"}",                      // an escaped lone surrogate
      start + ",\"app_metadata\":{\"region\":\"N\xed\xa0\x80\"}}",  // an encoded surrogate
      start + ",\"\xc0\xaf\":1}",                              // an overlong key
      start + ",\"x\":\"a" + std::string(1, '\0') + "b\"}",   // a raw NUL
  };
  for (const std::string& payload : payloads) refused(auth, "Bearer " + hand_signed_jwt(payload));
}

// Whatever the header and whatever the signed claims, authenticate answers with a Status: a
// small deterministic fuzz over both.
TEST_F(AuthTest, NoInputMakesItThrow) {
  Authenticator auth(store_.get(), kSecret);
  const std::vector<std::string> values = {
      "5",    "null", "[]", "{}", "true", "-1e400", "1e400", "\"NCR\"", "\"\\ud800\"", "\"\xff\"",
      "18446744073709551616", std::to_string(kNow + 60), "{\"region\":[1]}", "\"\"", "0.5"};
  const std::vector<std::string> keys = {"role", "sub", "region", "app_metadata", "exp", "nbf", "iat"};
  uint64_t state = 13;
  auto next = [&] { return state = splitmix64(state); };
  for (int i = 0; i < 4000; ++i) {
    std::string header;
    if (i % 2 == 0) {
      std::string payload = "{";
      for (const std::string& key : keys) {
        if (next() % 3 == 0) continue;
        if (payload.size() > 1) payload += ",";
        payload += "\"" + key + "\":" + values[next() % values.size()];
      }
      payload += "}";
      header = (next() % 2 ? "Bearer " : "bearer  ") + hand_signed_jwt(payload);
    } else {
      header = next() % 2 ? "Bearer " : "";
      const size_t size = next() % 64;
      for (size_t b = 0; b < size; ++b) header.push_back(static_cast<char>(next() & 0xff));
    }
    EXPECT_NO_THROW({ (void)auth.authenticate(header, kNow); }) << i;
  }
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

  EXPECT_EQ(caller_for(manager).region, std::optional<std::string>("NCR"));
}

// Issue 13: `keys create --role analytics_export --region NCR` read every region's rows.
TEST(Authorize, ARegionRestrictsEveryRole) {
  for (const char* role : {"admin", "analytics_export", "store_manager"}) {
    const Principal regional = principal(role, "NCR");
    EXPECT_EQ(caller_for(regional).region, std::optional<std::string>("NCR")) << role;
    EXPECT_FALSE(caller_for(regional).reads_every_row()) << role;
    // Datasets without a region have no rows for a region claim, whatever the role.
    Status st = authorize_dataset(regional, *Catalog::builtin().find("hourly_patterns"));
    EXPECT_EQ(st.code(), StatusCode::kPermissionDenied) << role;
    EXPECT_NE(st.message().find("'hourly_patterns'"), std::string::npos) << st.message();
    EXPECT_TRUE(authorize_dataset(regional, *Catalog::builtin().find("store_rankings")).ok()) << role;
  }
  EXPECT_TRUE(caller_for(principal("admin")).reads_every_row());
  EXPECT_FALSE(caller_for(principal("authenticated")).reads_some_rows());
}

TEST_F(AuthTest, AKeysRegionReachesTheWarehouse) {
  const std::string warehouse = dir_.file("warehouse.db");
  {
    auto sink = make_sqlite_demo_sink(warehouse);
    ASSERT_TRUE(sink.ok()) << sink.status().to_string();
    DemoOptions options;
    options.scale = 0.04;  // 20 stores: one in every region and three more
    options.last_day = *parse_date("2024-01-31");
    ASSERT_TRUE(generate_demo(Catalog::builtin(), options, sink->get()).ok());
  }
  auto source = open_source("sqlite:" + warehouse);
  ASSERT_TRUE(source.ok()) << source.status().to_string();
  const DatasetSpec& rankings = *Catalog::builtin().find("store_rankings");
  ExportRequest request;
  request.dataset = rankings.name;
  auto plan = plan_export(Catalog::builtin(), request);
  ASSERT_TRUE(plan.ok()) << plan.status().to_string();

  Authenticator auth(store_.get(), kSecret);
  auto rows_for = [&](const std::string& header) -> int64_t {
    auto who = auth.authenticate(header, kNow);
    EXPECT_TRUE(who.ok()) << who.status().to_string();
    if (!who.ok()) return -1;
    auto rows = (*source)->estimate_rows(source_query_for(*plan, caller_for(*who)));
    EXPECT_TRUE(rows.ok()) << rows.status().to_string();
    return rows.ok() ? *rows : -1;
  };
  auto all = store_->create("analytics_export", std::nullopt, "all", nullptr);
  auto ncr = store_->create("analytics_export", std::string("NCR"), "ncr", nullptr);
  auto admin_ncr = store_->create("admin", std::string("NCR"), "admin-ncr", nullptr);
  ASSERT_TRUE(all.ok() && ncr.ok() && admin_ncr.ok());
  const int64_t every = rows_for("Bearer " + *all);
  const int64_t only_ncr = rows_for("Bearer " + *ncr);
  EXPECT_GT(only_ncr, 0);
  EXPECT_LT(only_ncr, every);
  EXPECT_EQ(rows_for("Bearer " + *admin_ncr), only_ncr);
  EXPECT_EQ(rows_for("Bearer " + jwt({{"role", "admin"}, {"exp", kNow + 60},
                                      {"app_metadata", {{"region", "NCR"}}}})),
            only_ncr);
}

}  // namespace
}  // namespace scout
