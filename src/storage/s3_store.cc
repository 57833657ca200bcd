#include "storage/s3_store.h"

#include <algorithm>
#include <cstdio>
#include <future>
#include <system_error>

#include "common/clock.h"

namespace scout {
namespace {

// Streams one object: bytes gather in a part-sized buffer; a full buffer goes up as the next
// part of a multipart upload (started at the first) on a thread of its own while the next one
// fills, so memory holds two parts whatever the size and encoding overlaps the upload. An
// object smaller than one part goes in a single PUT. The object appears only when finish()
// completes it; discard() aborts the upload, or deletes the finished object.
class S3ObjectWriter final : public ObjectWriter {
 public:
  S3ObjectWriter(S3Client* client, std::string key) : client_(client), key_(std::move(key)) {
    buffer_.reserve(kS3PartBytes);
  }
  ~S3ObjectWriter() override {
    if (!published_) discard();
    (void)wait_for_part_in_flight();
  }

  Status write(const void* data, size_t size) override {
    if (failed_) return Status::IOError("the upload of " + key_ + " failed before");
    // Parts of exactly kS3PartBytes: the buffer never grows past the capacity it was given.
    const char* bytes = static_cast<const char*>(data);
    written_ += static_cast<int64_t>(size);
    while (size > 0) {
      size_t take = std::min(size, kS3PartBytes - buffer_.size());
      buffer_.append(bytes, take);
      bytes += take;
      size -= take;
      if (buffer_.size() == kS3PartBytes) SCOUT_RETURN_IF_ERROR(start_part_upload());
    }
    return Status::OK();
  }

  int64_t bytes_written() const override { return written_; }

  Status finish() override {
    if (failed_) return Status::IOError("the upload of " + key_ + " failed before");
    Status done;
    if (upload_id_.empty()) {
      done = client_->put_object(key_, buffer_);
    } else {
      done = buffer_.empty() ? Status::OK() : start_part_upload();
      if (done.ok()) done = wait_for_part_in_flight();
      if (done.ok()) done = client_->complete_multipart_upload(key_, upload_id_, etags_);
    }
    std::string().swap(buffer_);
    if (!done.ok()) {
      failed_ = true;
      return done;
    }
    upload_id_.clear();
    stored_ = true;
    return Status::OK();
  }

  Status publish() override {
    if (!stored_) return Status::Internal("publish before finish of " + key_);
    published_ = true;
    return Status::OK();
  }

  void discard() override {
    (void)wait_for_part_in_flight();
    Status removed;
    if (!upload_id_.empty()) {
      removed = client_->abort_multipart_upload(key_, upload_id_);
      upload_id_.clear();
    } else if (stored_) {
      removed = client_->delete_object(key_);
    }
    stored_ = published_ = false;
    std::string().swap(buffer_);
    if (!removed.ok()) std::fprintf(stderr, "storage: %s\n", removed.message().c_str());
  }

 private:
  // Hands the full buffer to the part thread, after the previous part has gone up.
  Status start_part_upload() {
    Status st = wait_for_part_in_flight();
    if (st.ok() && upload_id_.empty()) {
      auto id = client_->create_multipart_upload(key_);
      if (id.ok()) upload_id_ = *id;
      st = id.status();
    }
    if (!st.ok()) {
      failed_ = true;
      return st;
    }
    int part_number = ++parts_started_;
    try {
      in_flight_ = std::async(std::launch::async,
                              [this, part_number, part = std::move(buffer_)]() {
                                return client_->upload_part(key_, upload_id_, part_number, part);
                              });
    } catch (const std::system_error& e) {  // no thread to be had
      failed_ = true;
      return Status::Internal(std::string("cannot start the upload of a part: ") + e.what());
    }
    buffer_ = std::string();
    buffer_.reserve(kS3PartBytes);
    return Status::OK();
  }

  Status wait_for_part_in_flight() {
    if (!in_flight_.valid()) return Status::OK();
    Result<std::string> etag = in_flight_.get();
    if (!etag.ok()) {
      failed_ = true;
      return etag.status();
    }
    etags_.push_back(std::move(*etag));
    return Status::OK();
  }

  S3Client* client_;
  std::string key_;
  std::string buffer_;
  std::string upload_id_;
  std::vector<std::string> etags_;
  int parts_started_ = 0;
  std::future<Result<std::string>> in_flight_;  // the part going up, at most one
  int64_t written_ = 0;
  bool failed_ = false;
  bool stored_ = false;
  bool published_ = false;
};

class S3Store final : public ExportStore {
 public:
  S3Store(S3ClientConfig config, std::string prefix, int64_t url_ttl_seconds)
      : client_(std::move(config)), prefix_(std::move(prefix)), url_ttl_seconds_(url_ttl_seconds) {}

  std::string location() const override {
    return "s3://" + client_.config().bucket + (prefix_.empty() ? "" : "/" + prefix_);
  }
  Status check_reachable() override { return client_.check_bucket(); }
  Status prepare(const std::string&) override { return Status::OK(); }

  Result<std::unique_ptr<ObjectWriter>> open_object(const std::string& key) override {
    return std::unique_ptr<ObjectWriter>(new S3ObjectWriter(&client_, full_key(key)));
  }

  Status put_object(const std::string& key, std::string_view bytes) override {
    return client_.put_object(full_key(key), bytes);
  }

  Status remove_prefix(const std::string& prefix) override {
    if (prefix.empty()) return Status::Invalid("refusing to remove every object of " + location());
    SCOUT_ASSIGN_OR_RETURN(auto keys, client_.list_keys(full_key(prefix) + "/"));
    for (const std::string& key : keys) SCOUT_RETURN_IF_ERROR(client_.delete_object(key));
    return Status::OK();
  }

  Status abort_incomplete_uploads(const std::string& prefix) override {
    SCOUT_ASSIGN_OR_RETURN(auto uploads,
                           client_.list_multipart_uploads(prefix.empty() ? full_key("") : full_key(prefix) + "/"));
    for (const auto& upload : uploads) {
      SCOUT_RETURN_IF_ERROR(client_.abort_multipart_upload(upload.key, upload.upload_id));
    }
    return Status::OK();
  }

  Result<std::string> download_url(const std::string& key, int64_t expires_at) const override {
    // The link's lifetime is the store's X-Amz-Expires, counted from its signing.
    (void)expires_at;
    return client_.presigned_get_url(full_key(key), now_unix(), url_ttl_seconds_);
  }

  Result<std::string> local_file(const std::string&) const override {
    return Status::NotFound("the files of this export are downloaded from " + location());
  }

 private:
  std::string full_key(const std::string& key) const {
    if (prefix_.empty()) return key;
    return key.empty() ? prefix_ + "/" : prefix_ + "/" + key;
  }

  mutable S3Client client_;
  std::string prefix_;
  int64_t url_ttl_seconds_;
};

}  // namespace

std::unique_ptr<ExportStore> open_s3_store(S3ClientConfig config, std::string prefix,
                                           int64_t url_ttl_seconds) {
  return std::make_unique<S3Store>(std::move(config), std::move(prefix), url_ttl_seconds);
}

}  // namespace scout
