#include "state/api_keys.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "testing/temp_dir.h"

namespace scout {
namespace {

// What the store answers for `secret`: the key, or nullopt (a store error fails the test).
std::optional<ApiKeyRecord> accepted(const ApiKeyStore& store, const std::string& secret) {
  auto found = store.authenticate(secret);
  EXPECT_TRUE(found.ok()) << found.status().to_string();
  return found.ok() ? *found : std::nullopt;
}

std::vector<ApiKeyRecord> listed(const ApiKeyStore& store) {
  auto keys = store.list();
  EXPECT_TRUE(keys.ok()) << keys.status().to_string();
  return keys.ok() ? *keys : std::vector<ApiKeyRecord>{};
}

namespace fs = std::filesystem;

class ApiKeyStoreTest : public ::testing::Test {
 protected:
  std::string file_text() const {
    std::ifstream in(path_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  test_support::TempDir dir_;
  const std::string path_ = dir_.file("keys.json");
};

TEST(Sha256, KnownVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(random_token_hex(24).size(), 48u);
  EXPECT_NE(random_token_hex(24), random_token_hex(24));
}

TEST_F(ApiKeyStoreTest, StoresOnlyTheHashAndFindsTheKeyBySecret) {
  auto store = FileApiKeyStore::open(path_);
  ASSERT_TRUE(store.ok()) << store.status().to_string();
  EXPECT_TRUE(listed(*store).empty());  // a missing file is an empty store

  ApiKeyRecord record;
  auto secret = store->create("analytics_export", std::nullopt, "ci", &record);
  ASSERT_TRUE(secret.ok()) << secret.status().to_string();
  auto regional = store->create("store_manager", std::string("NCR"), "", nullptr);
  ASSERT_TRUE(regional.ok());

  const std::string text = file_text();
  EXPECT_EQ(text.find(*secret), std::string::npos) << "the secret itself is on disk";
  EXPECT_NE(text.find(sha256_hex(*secret)), std::string::npos);
  EXPECT_EQ(fs::status(path_).permissions() & (fs::perms::group_all | fs::perms::others_all),
            fs::perms::none);

  auto found = accepted(*store, *secret);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, record.id);
  EXPECT_EQ(found->name, "ci");
  EXPECT_EQ(found->role, "analytics_export");
  EXPECT_FALSE(found->region.has_value());

  auto manager = accepted(*store, *regional);
  ASSERT_TRUE(manager.has_value());
  EXPECT_EQ(manager->role, "store_manager");
  EXPECT_EQ(manager->region, std::optional<std::string>("NCR"));
  EXPECT_EQ(manager->name, manager->id);  // unnamed keys are named by their id

  EXPECT_FALSE(accepted(*store, "").has_value());
  EXPECT_FALSE(accepted(*store, *secret + "x").has_value());
  EXPECT_FALSE(accepted(*store, sha256_hex(*secret)).has_value());  // the hash is no key
}

// The service keeps its store open while `scout-export keys` writes the file: a key created or
// revoked there counts at once, even within one tick of the file system's clock.
TEST_F(ApiKeyStoreTest, SeesKeysCreatedAndRevokedByAnotherProcess) {
  auto service = FileApiKeyStore::open(path_);
  ASSERT_TRUE(service.ok());
  auto cli = FileApiKeyStore::open(path_);
  ASSERT_TRUE(cli.ok());

  ApiKeyRecord record;
  auto secret = cli->create("admin", std::nullopt, "ops", &record);
  ASSERT_TRUE(secret.ok());
  ASSERT_TRUE(accepted(*service, *secret).has_value());

  auto later = FileApiKeyStore::open(path_);
  ASSERT_TRUE(later.ok());
  ASSERT_TRUE(later->revoke("ops").ok());
  EXPECT_FALSE(accepted(*service, *secret).has_value()) << "a revoked key still authenticates";

  Status missing = later->revoke("no-such-key");
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_NE(missing.message().find("no-such-key"), std::string::npos);
}

// Two `scout-export keys` runs, each holding the file as it was when it started: neither loses
// the other's change.
TEST_F(ApiKeyStoreTest, WritersKeepEachOthersChanges) {
  auto first = FileApiKeyStore::open(path_);
  auto second = FileApiKeyStore::open(path_);
  ASSERT_TRUE(first.ok() && second.ok());
  auto a = first->create("admin", std::nullopt, "a", nullptr);
  auto b = second->create("analytics_export", std::nullopt, "b", nullptr);  // second never saw a
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(first->revoke("b").ok());  // first never saw b

  auto fresh = FileApiKeyStore::open(path_);
  ASSERT_TRUE(fresh.ok());
  ASSERT_EQ(listed(*fresh).size(), 2u);
  EXPECT_TRUE(accepted(*fresh, *a).has_value());
  EXPECT_FALSE(accepted(*fresh, *b).has_value());  // revoked
  EXPECT_TRUE(listed(*fresh)[1].revoked);
}

// A writer refuses to replace a damaged key file with what it remembers.
TEST_F(ApiKeyStoreTest, WritersRefuseADamagedFile) {
  auto store = FileApiKeyStore::open(path_);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->create("admin", std::nullopt, "a", nullptr).ok());
  std::ofstream(path_, std::ios::trunc) << "{\"keys\": 7}";
  auto refused = store->create("admin", std::nullopt, "b", nullptr);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(file_text(), "{\"keys\": 7}");
}

TEST_F(ApiKeyStoreTest, RefusesAMalformedKeyFile) {
  std::ofstream(path_) << "{\"keys\": [{\"id\": \"key_1\", \"hash\": \"short\"}]}";
  auto store = FileApiKeyStore::open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption);
  std::ofstream(path_, std::ios::trunc) << "not json";
  EXPECT_FALSE(FileApiKeyStore::open(path_).ok());
}

// Fields of the wrong type are a damaged file, not an exception: the service reloads this
// file while authenticating a request.
TEST_F(ApiKeyStoreTest, RefusesKeyFieldsOfTheWrongType) {
  const std::string hash(64, 'a');
  // A region of another type was once ignored, leaving the key unrestricted.
  const std::vector<std::string> entries = {
      "5",
      "[]",
      R"({"id": 5, "hash": ")" + hash + R"("})",
      R"({"id": "key_1", "hash": ")" + hash + R"(", "role": ["admin"]})",
      R"({"id": "key_1", "hash": ")" + hash + R"(", "region": null})",
      R"({"id": "key_1", "hash": ")" + hash + R"(", "region": 5})",
      R"({"id": "key_1", "hash": ")" + hash + R"(", "revoked": "no"})"};
  for (const std::string& entry : entries) {
    std::ofstream(path_, std::ios::trunc) << R"({"keys": [)" + entry + "]}";
    Result<FileApiKeyStore> store = Status::Internal("not opened");
    EXPECT_NO_THROW(store = FileApiKeyStore::open(path_)) << entry;
    ASSERT_FALSE(store.ok()) << entry;
    EXPECT_EQ(store.status().code(), StatusCode::kCorruption) << entry;
  }
  // A running store keeps its keys when the file is damaged under it.
  fs::remove(path_);
  auto store = FileApiKeyStore::open(path_);
  ASSERT_TRUE(store.ok());
  auto secret = store->create("admin", std::nullopt, "a", nullptr);
  ASSERT_TRUE(secret.ok());
  std::ofstream(path_, std::ios::trunc) << R"({"keys": [{"id": 5, "hash": ")" + hash + R"("}]})";
  std::optional<ApiKeyRecord> found;
  EXPECT_NO_THROW(found = accepted(*store, *secret));
  EXPECT_TRUE(found.has_value());
}

TEST_F(ApiKeyStoreTest, AKeyNeedsARole) {
  auto store = FileApiKeyStore::open(path_);
  ASSERT_TRUE(store.ok());
  EXPECT_FALSE(store->create("", std::nullopt, "x", nullptr).ok());
}

}  // namespace
}  // namespace scout
