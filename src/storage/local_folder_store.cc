// The local folder: every object is written under a hidden temporary name in a staging folder
// inside the root and renamed into place by publish(), so a reader of the folder never sees a
// half-written file. Downloads go through the service's signed /download URLs.
#include "storage/local_folder_store.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "common/hex.h"
#include "scout/output_stream.h"
#include "storage/signed_url.h"

namespace scout {
namespace fs = std::filesystem;
namespace {

std::string random_hex(size_t bytes) {
  unsigned char raw[32];
  RAND_bytes(raw, static_cast<int>(bytes));
  return to_hex(raw, bytes);
}

class StagedFileWriter final : public ObjectWriter {
 public:
  StagedFileWriter(std::unique_ptr<OutputStream> file, std::string staged, std::string target)
      : file_(std::move(file)), staged_(std::move(staged)), target_(std::move(target)) {}
  ~StagedFileWriter() override {
    if (!published_) discard();
  }
  Status write(const void* data, size_t size) override { return file_->write(data, size); }
  int64_t bytes_written() const override { return file_->position(); }
  Status finish() override { return file_->close(); }
  Status publish() override {
    std::error_code ec;
    fs::path target(target_);
    fs::create_directories(target.parent_path(), ec);
    if (ec) {
      return Status::IOError("cannot create folder '" + target.parent_path().string() +
                             "': " + ec.message());
    }
    fs::rename(staged_, target, ec);
    if (ec) return Status::IOError("cannot move '" + target_ + "' into place: " + ec.message());
    published_ = true;
    return Status::OK();
  }
  void discard() override {
    if (file_) (void)file_->close();
    std::error_code ec;
    fs::remove(published_ ? target_ : staged_, ec);
    published_ = false;
    staged_.clear();
    target_.clear();
  }

 private:
  std::unique_ptr<OutputStream> file_;
  std::string staged_;
  std::string target_;
  bool published_ = false;
};

class LocalFolderStore final : public ExportStore {
 public:
  LocalFolderStore(std::string root, FolderDownloadUrl download_url)
      : root_(std::move(root)), download_url_(std::move(download_url)) {}
  ~LocalFolderStore() override {
    if (!staging_.empty()) {
      std::error_code ec;
      fs::remove_all(staging_, ec);
    }
  }

  std::string location() const override { return root_; }

  Status check_reachable() override {
    struct stat st {};
    if (::stat(root_.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || ::access(root_.c_str(), W_OK) != 0) {
      return Status::IOError("cannot write to the folder '" + root_ + "'");
    }
    return Status::OK();
  }

  Status prepare(const std::string& prefix) override {
    fs::path dir = prefix.empty() ? fs::path(root_) : fs::path(root_) / prefix;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return Status::IOError("cannot create output folder '" + dir.string() + "': " + ec.message());
    if (!fs::is_directory(dir)) return Status::IOError("output path '" + dir.string() + "' is not a folder");
    return staging_folder().status();
  }

  Result<std::unique_ptr<ObjectWriter>> open_object(const std::string& key) override {
    SCOUT_ASSIGN_OR_RETURN(std::string staging, staging_folder());
    std::string staged = staging + "/" + random_hex(8) + ".tmp";
    SCOUT_ASSIGN_OR_RETURN(auto file, open_file_output(staged));
    return std::unique_ptr<ObjectWriter>(
        new StagedFileWriter(std::move(file), staged, root_ + "/" + key));
  }

  Status put_object(const std::string& key, std::string_view bytes) override {
    SCOUT_ASSIGN_OR_RETURN(auto writer, open_object(key));
    SCOUT_RETURN_IF_ERROR(writer->write(bytes.data(), bytes.size()));
    SCOUT_RETURN_IF_ERROR(writer->finish());
    return writer->publish();
  }

  Status remove_prefix(const std::string& prefix) override {
    if (prefix.empty()) return Status::Invalid("refusing to remove the whole store '" + root_ + "'");
    std::error_code ec;
    fs::remove_all(fs::path(root_) / prefix, ec);
    if (ec) return Status::IOError("cannot remove '" + root_ + "/" + prefix + "': " + ec.message());
    return Status::OK();
  }

  Status abort_incomplete_uploads(const std::string&) override { return Status::OK(); }

  Result<std::string> download_url(const std::string& key, int64_t expires_at) const override {
    if (!download_url_) return Status::Internal("this local folder store hands out no download URLs");
    return download_url_(key, expires_at);
  }

  Result<std::string> local_file(const std::string& key) const override {
    auto gone = Status::NotFound("the file of this link no longer exists");
    if (!is_safe_object_key(key)) return gone;
    std::error_code ec;
    fs::path canonical_root = fs::weakly_canonical(root_, ec);
    fs::path file = ec ? fs::path() : fs::weakly_canonical(fs::path(root_) / key, ec);
    auto rel = ec ? fs::path() : fs::relative(file, canonical_root, ec);
    if (ec || rel.empty() || rel.native().starts_with("..")) return gone;
    return file.string();
  }

 private:
  // One hidden staging folder per store, created at the first write; a crash leaves it for
  // the next start's cleanup (the service removes what no job owns).
  Result<std::string> staging_folder() {
    std::lock_guard lock(mutex_);
    if (!staging_.empty()) return staging_;
    std::error_code ec;
    fs::create_directories(root_, ec);
    std::string staging = root_ + "/.scout-staging-" + random_hex(8);
    if (::mkdir(staging.c_str(), 0700) != 0) {
      return Status::IOError("cannot write to output folder '" + root_ + "': " + std::strerror(errno));
    }
    staging_ = staging;
    return staging_;
  }

  std::string root_;
  FolderDownloadUrl download_url_;
  std::mutex mutex_;
  std::string staging_;
};

}  // namespace

std::unique_ptr<ExportStore> open_local_folder_store(std::string root, FolderDownloadUrl download_url) {
  return std::make_unique<LocalFolderStore>(std::move(root), std::move(download_url));
}

}  // namespace scout
