// The S3 API over libcurl, as much of it as exports need: objects written whole or by
// multipart upload, listed and deleted, incomplete uploads listed and aborted, and presigned
// GET URLs. Requests are signed by curl's CURLOPT_AWS_SIGV4, with what Debian's curl 7.88
// leaves to the caller done here: the payload's SHA-256 sent as x-amz-content-sha256, the
// query written in SigV4's canonical form (sorted, encoded, "uploads="), keys percent-encoded
// ('=' as %3D). A request that fails for a reason that may pass (the network, a 5xx, SlowDown)
// is retried with exponential backoff.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scout/status.h"
#include "storage/s3_xml.h"
#include "storage/sigv4_presigner.h"

namespace scout {

struct S3Location {
  std::string bucket;
  std::string prefix;  // without leading or trailing '/'; "" for the bucket's root
};

// "s3://BUCKET[/PREFIX]"; the bucket named as S3 allows (3-63 of a-z 0-9 . -), the prefix
// of safe segments (no "", "." or "..").
Result<S3Location> parse_s3_location(std::string_view url);

struct S3Endpoint {
  std::string scheme = "https";
  std::string host;         // as the Host header carries it, with a port when one is given
  std::string base_path;    // "" or a path the store answers under ("/storage/v1/s3": Supabase)
  bool path_style = false;  // "/bucket/key" on the host, else "bucket." before the host
};

struct S3ClientConfig {
  std::string bucket;
  AwsCredentials credentials;
  S3Endpoint endpoint;
  int max_attempts = 5;       // of one request, the first included
  int backoff_first_ms = 200;  // doubled after each failed attempt
};

// The credentials, region and endpoint from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN, AWS_REGION (default us-east-1) and AWS_ENDPOINT_URL (path-style when set;
// else AWS's virtual-hosted https://BUCKET.s3.REGION.amazonaws.com). Missing credentials are an
// error naming the variables.
Result<S3ClientConfig> s3_client_config_from_environment(const std::string& bucket);

class S3Client {
 public:
  explicit S3Client(S3ClientConfig config);

  const S3ClientConfig& config() const { return config_; }

  // HeadBucket: proves the bucket exists and the credentials work.
  Status check_bucket();
  Status put_object(const std::string& key, std::string_view body);
  Result<std::string> create_multipart_upload(const std::string& key);
  // Returns the part's ETag, as CompleteMultipartUpload needs it.
  Result<std::string> upload_part(const std::string& key, const std::string& upload_id,
                                  int part_number, std::string_view body);
  Status complete_multipart_upload(const std::string& key, const std::string& upload_id,
                                   const std::vector<std::string>& part_etags);
  Status abort_multipart_upload(const std::string& key, const std::string& upload_id);
  Status delete_object(const std::string& key);
  Result<std::vector<std::string>> list_keys(const std::string& prefix);
  Result<std::vector<S3MultipartUpload>> list_multipart_uploads(const std::string& prefix);
  // A presigned GET URL of `key`, valid `expires_seconds` from `now_unix`.
  Result<std::string> presigned_get_url(const std::string& key, int64_t now_unix,
                                        int64_t expires_seconds) const;

  struct Response {
    long status = 0;
    std::string body;
    std::string etag;
  };
  using Query = std::vector<std::pair<std::string, std::string>>;
  // One signed request, retried while it fails for a reason that may pass; a 4xx or a 2xx is
  // returned as it is.
  Result<Response> send(const std::string& method, const std::string& key, Query query,
                        std::string_view body, const char* content_type = nullptr);

 private:
  Result<Response> send_once(const std::string& method, const std::string& url,
                             std::string_view body, const char* content_type);
  std::string object_path(const std::string& key) const;  // not yet encoded
  S3ClientConfig config_;
};

// The status an S3 answer of `what` turns into: OK for 2xx, else an error naming S3's code.
Status s3_status(const S3Client::Response& response, const std::string& what);

}  // namespace scout
