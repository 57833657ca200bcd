#include "state/api_keys.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/hex.h"
#include "export/export_job.h"
#include "storage/digest.h"

namespace scout {

std::string sha256_hex(std::string_view data) {
  const std::string digest = sha256(data);
  return to_hex(digest.data(), digest.size());
}

std::string random_token_hex(size_t bytes) {
  std::string raw(bytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes));
  return to_hex(raw.data(), bytes);
}

Result<NewApiKey> make_api_key(const std::string& role, const std::optional<std::string>& region,
                               const std::string& name) {
  if (role.empty()) return Status::Invalid("a key needs a role");
  NewApiKey key;
  key.secret = "sk_scout_" + random_token_hex(24);
  ApiKeyRecord& r = key.record;
  r.id = "key_" + random_token_hex(6);
  r.name = name.empty() ? r.id : name;
  r.role = role;
  r.region = region;
  r.hash = sha256_hex(key.secret);
  r.created_at = iso_timestamp_now_millis();
  return key;
}

std::optional<ApiKeyRecord> find_key_by_secret(const std::vector<ApiKeyRecord>& keys,
                                               const std::string& secret) {
  std::string hash = sha256_hex(secret);
  std::optional<ApiKeyRecord> found;
  for (const auto& r : keys) {
    bool match = r.hash.size() == hash.size() &&
                 CRYPTO_memcmp(r.hash.data(), hash.data(), hash.size()) == 0;
    if (match && !r.revoked) found = r;
  }
  return found;
}

Result<FileApiKeyStore> FileApiKeyStore::open(std::string path) {
  FileApiKeyStore store(std::move(path));
  SCOUT_RETURN_IF_ERROR(store.load());
  return store;
}

namespace {

// What tells that the key file was replaced: save() renames a new file over it, so the inode
// changes even when two writes fall in one tick of the file system's coarse clock.
FileApiKeyStore::FileStamp stamp_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return {static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
          static_cast<uint64_t>(st.st_ino), static_cast<int64_t>(st.st_size)};
}

// An exclusive lock on `<key file>.lock`, held while a writer reads, changes and replaces the
// key file, so that two `scout-export keys` runs at once cannot lose each other's change.
class KeyFileLock {
 public:
  explicit KeyFileLock(const std::string& key_path)
      : fd_(::open((key_path + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    if (fd_ >= 0 && ::flock(fd_, LOCK_EX) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~KeyFileLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
  }
  KeyFileLock(const KeyFileLock&) = delete;
  KeyFileLock& operator=(const KeyFileLock&) = delete;
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

}  // namespace

Status FileApiKeyStore::reload() const {
  FileApiKeyStore fresh(path_);
  SCOUT_RETURN_IF_ERROR(fresh.load());
  keys_ = std::move(fresh.keys_);
  loaded_stamp_ = fresh.loaded_stamp_;
  return Status::OK();
}

void FileApiKeyStore::reload_if_changed() const {
  const FileStamp now = stamp_of(path_);
  if (now == loaded_stamp_) return;
  // A damaged file leaves the keys as they were, and is not read again on every request
  // until it changes once more.
  if (!reload().ok()) loaded_stamp_ = now;
}

template <typename Change>
Status FileApiKeyStore::change_file(Change change) {
  KeyFileLock file_lock(path_);
  if (!file_lock.ok()) {
    return Status::IOError("cannot lock key file '" + path_ + ".lock': " + std::strerror(errno));
  }
  // What another process wrote since this store read the file is kept, and a damaged file is
  // refused rather than overwritten with what this store remembers.
  SCOUT_RETURN_IF_ERROR(reload());
  SCOUT_RETURN_IF_ERROR(change());
  Status saved = save();
  if (!saved.ok()) (void)reload();  // memory goes back to what the file holds
  return saved;
}

Status FileApiKeyStore::load() {
  loaded_stamp_ = stamp_of(path_);
  std::ifstream in(path_);
  if (!in) return Status::OK();  // no keys yet
  std::stringstream text;
  text << in.rdbuf();
  auto doc = nlohmann::json::parse(text.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("keys") || !doc["keys"].is_array()) {
    return Status::Corruption("key file '" + path_ + "' is not a valid key store");
  }
  // Read with type checks, not nlohmann's value(), which throws on a field of another type:
  // authenticate() reloads this file, and must answer, not throw, whatever it holds.
  const Status malformed = Status::Corruption("key file '" + path_ + "' has a malformed entry");
  auto text_field = [](const nlohmann::json& entry, const char* key, std::string* out) {
    auto it = entry.find(key);
    if (it == entry.end()) return true;
    if (!it->is_string()) return false;
    *out = it->get_ref<const std::string&>();
    return true;
  };
  for (const auto& k : doc["keys"]) {
    if (!k.is_object()) return malformed;
    ApiKeyRecord r;
    std::string region;
    bool ok = text_field(k, "id", &r.id) && text_field(k, "name", &r.name) &&
              text_field(k, "role", &r.role) && text_field(k, "hash", &r.hash) &&
              text_field(k, "created_at", &r.created_at);
    if (k.contains("region")) {
      ok = ok && text_field(k, "region", &region);
      r.region = region;
    }
    if (k.contains("revoked")) {
      ok = ok && k["revoked"].is_boolean();
      r.revoked = ok && k["revoked"].get<bool>();
    }
    if (!ok || r.id.empty() || r.hash.size() != 64) return malformed;
    keys_.push_back(std::move(r));
  }
  return Status::OK();
}

Status FileApiKeyStore::save() const {
  nlohmann::ordered_json doc;
  doc["keys"] = nlohmann::ordered_json::array();
  for (const auto& r : keys_) {
    nlohmann::ordered_json k = {{"id", r.id},     {"name", r.name},
                                {"role", r.role}, {"hash", r.hash},
                                {"created_at", r.created_at}, {"revoked", r.revoked}};
    if (r.region) k["region"] = *r.region;
    doc["keys"].push_back(std::move(k));
  }
  std::string tmp = path_ + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << doc.dump(2) << "\n";
    if (!out.flush()) return Status::IOError("cannot write key file '" + tmp + "'");
  }
  std::error_code ec;
  std::filesystem::permissions(tmp, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
  std::filesystem::rename(tmp, path_, ec);
  if (ec) return Status::IOError("cannot write key file '" + path_ + "': " + ec.message());
  return Status::OK();
}

Result<std::string> FileApiKeyStore::create(const std::string& role,
                                            const std::optional<std::string>& region,
                                            const std::string& name, ApiKeyRecord* record) {
  SCOUT_ASSIGN_OR_RETURN(NewApiKey key, make_api_key(role, region, name));
  std::lock_guard lock(*mutex_);
  SCOUT_RETURN_IF_ERROR(change_file([&] {
    keys_.push_back(key.record);
    return Status::OK();
  }));
  if (record) *record = key.record;
  return key.secret;
}

Result<std::optional<ApiKeyRecord>> FileApiKeyStore::authenticate(const std::string& secret) const {
  std::lock_guard lock(*mutex_);
  reload_if_changed();
  return find_key_by_secret(keys_, secret);
}

Result<std::vector<ApiKeyRecord>> FileApiKeyStore::list() const {
  std::lock_guard lock(*mutex_);
  reload_if_changed();
  return keys_;
}

Status FileApiKeyStore::revoke(const std::string& id_or_name) {
  std::lock_guard lock(*mutex_);
  return change_file([&] {
    for (auto& r : keys_) {
      if (r.id == id_or_name || r.name == id_or_name) {
        r.revoked = true;
        return Status::OK();
      }
    }
    return Status::NotFound("no key with id or name '" + id_or_name + "'");
  });
}

}  // namespace scout
