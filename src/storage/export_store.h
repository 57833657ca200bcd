// Where an export's files and manifest are kept: the storage seam. Two stores implement it,
// a local folder (the default: files staged aside and renamed into place, downloaded through
// the service's signed /download URLs) and an S3-compatible bucket (streaming multipart
// uploads, presigned GET URLs of the store itself).
//
// Keys are '/'-separated and relative to the store's root (the folder, or the bucket's
// prefix): "<export id>/<dataset>/region=NCR/part-00000.parquet". The service and the export
// layer make them; they never come from users.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "scout/status.h"

namespace scout {

// One object being written, streamed: memory does not grow with its size.
class ObjectWriter {
 public:
  virtual ~ObjectWriter() = default;  // discards what was not finished
  virtual Status write(const void* data, size_t size) = 0;
  virtual int64_t bytes_written() const = 0;
  // Every byte is stored. In a bucket the object now exists, complete, under its key; in a
  // folder it waits, hidden, for publish().
  virtual Status finish() = 0;
  // The finished object is visible under its key (a folder renames it into place).
  virtual Status publish() = 0;
  // Removes whatever was stored, an upload in progress included; safe to call at any point.
  virtual void discard() = 0;
};

class ExportStore {
 public:
  virtual ~ExportStore() = default;

  // "s3://bucket/prefix" or the folder, for messages.
  virtual std::string location() const = 0;
  // Fails, naming the problem, when the store cannot be written (a folder that cannot be
  // created, a bucket that does not exist, credentials the store refuses).
  virtual Status check_reachable() = 0;
  // Called once before writing under `prefix` ("" for the root): creates what must exist.
  virtual Status prepare(const std::string& prefix) = 0;
  virtual Result<std::unique_ptr<ObjectWriter>> open_object(const std::string& key) = 0;
  // A small object written whole, visible all at once or not at all (the manifest).
  virtual Status put_object(const std::string& key, std::string_view bytes) = 0;
  // Removes every object under `prefix` (an export's folder): delete and retention.
  virtual Status remove_prefix(const std::string& prefix) = 0;
  // Aborts every incomplete multipart upload under `prefix`, so that no parts of a dead or
  // failed attempt are left (a folder has none). Call it before running an export again
  // that an earlier attempt (a crashed or killed instance) may have started.
  virtual Status abort_incomplete_uploads(const std::string& prefix) = 0;
  // A URL that downloads `key` until `expires_at` (unix seconds), without credentials.
  virtual Result<std::string> download_url(const std::string& key, int64_t expires_at) const = 0;
  // The file holding `key` when the store is a local folder (the service serves it); NotFound
  // for other stores, whose downloads go to the store itself.
  virtual Result<std::string> local_file(const std::string& key) const = 0;
};

// Where a store's keys go. `location` is "s3://BUCKET[/PREFIX]" or a folder; the S3
// credentials, region and endpoint come from the environment (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, AWS_ENDPOINT_URL).
// `folder_download_url` makes a local folder's download links (the service's signed
// /download URLs); without it a folder hands out none. A bucket's presigned URLs live
// `url_ttl_seconds` (X-Amz-Expires).
using FolderDownloadUrl = std::function<std::string(const std::string& key, int64_t expires_at)>;
Result<std::unique_ptr<ExportStore>> open_export_store(const std::string& location,
                                                       FolderDownloadUrl folder_download_url = {},
                                                       int64_t url_ttl_seconds = 3600);

// True for "s3://..." locations.
bool is_s3_location(std::string_view location);

}  // namespace scout
