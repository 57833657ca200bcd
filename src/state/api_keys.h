// API keys: each has a role and optional claims (a region), and is stored only as its SHA-256
// so a leaked key store reveals no key. Keys are shown once, when created. Two stores keep
// them: a file in the data dir (FileApiKeyStore, one machine) and PostgreSQL
// (PgApiKeyStore in state/pg_state.h, every instance sharing the state database).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "scout/status.h"

namespace scout {

struct ApiKeyRecord {
  std::string id;      // public identifier, e.g. "key_3f9a..."; safe to log
  std::string name;
  std::string role;    // admin | analytics_export | any other (refused by policy)
  std::optional<std::string> region;
  std::string hash;    // hex SHA-256 of the secret key
  std::string created_at;
  bool revoked = false;
};

class ApiKeyStore {
 public:
  virtual ~ApiKeyStore() = default;
  // Creates a key; returns the secret (shown once) and stores only its hash.
  virtual Result<std::string> create(const std::string& role,
                                     const std::optional<std::string>& region,
                                     const std::string& name, ApiKeyRecord* record) = 0;
  // The unrevoked key whose hash matches `secret` (nullopt: none), every stored hash compared
  // in constant time. Unavailable when the store cannot tell (its database is away).
  virtual Result<std::optional<ApiKeyRecord>> authenticate(const std::string& secret) const = 0;
  virtual Result<std::vector<ApiKeyRecord>> list() const = 0;
  // Revokes by id or name; NotFound when neither matches.
  virtual Status revoke(const std::string& id_or_name) = 0;
};

// A new key: its secret (shown once) and its record, which holds only the secret's hash.
struct NewApiKey {
  std::string secret;
  ApiKeyRecord record;
};
Result<NewApiKey> make_api_key(const std::string& role, const std::optional<std::string>& region,
                               const std::string& name);

// The unrevoked key of `keys` whose hash is `secret`'s; every hash is compared, in constant
// time, so timing tells nothing about which matched.
std::optional<ApiKeyRecord> find_key_by_secret(const std::vector<ApiKeyRecord>& keys,
                                               const std::string& secret);

// Keys in a JSON file of the data dir. Keys created or revoked by `scout-export keys` while the
// service runs count at once: the file is re-read when it changed.
class FileApiKeyStore : public ApiKeyStore {
 public:
  // Keys live in `path` (JSON); a missing file is an empty store.
  static Result<FileApiKeyStore> open(std::string path);

  Result<std::string> create(const std::string& role, const std::optional<std::string>& region,
                             const std::string& name, ApiKeyRecord* record) override;
  Result<std::optional<ApiKeyRecord>> authenticate(const std::string& secret) const override;
  Result<std::vector<ApiKeyRecord>> list() const override;

  struct FileStamp {
    int64_t mtime_ns = -1;
    uint64_t inode = 0;
    int64_t size = -1;
    bool operator==(const FileStamp&) const = default;
  };
  Status revoke(const std::string& id_or_name) override;

 private:
  explicit FileApiKeyStore(std::string path) : path_(std::move(path)) {}
  Status load();
  Status save() const;
  Status reload() const;
  void reload_if_changed() const;
  // Under the key file's lock: re-reads the file, applies `change` to keys_, saves.
  template <typename Change>
  Status change_file(Change change);

  std::string path_;
  mutable std::vector<ApiKeyRecord> keys_;
  mutable FileStamp loaded_stamp_;
  mutable std::shared_ptr<std::mutex> mutex_ = std::make_shared<std::mutex>();
};

// Hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);
// `bytes` random bytes from the OS's CSPRNG, hex encoded.
std::string random_token_hex(size_t bytes);

}  // namespace scout
