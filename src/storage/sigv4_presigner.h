// AWS Signature Version 4 query signing: presigned URLs, as S3 and the S3-compatible stores
// (MinIO, Supabase Storage's S3 endpoint, Cloudflare R2) accept them and as Supabase's
// createSignedUrl hands them out. The link carries its credential scope, time and lifetime,
// and an HMAC-SHA256 over its canonical request, so it cannot be altered or outlive its
// X-Amz-Expires. Only the `host` header is signed and the payload is UNSIGNED-PAYLOAD, which is
// what a browser or curl following the link sends.
#pragma once

#include <cstdint>
#include <string>

#include "scout/status.h"

namespace scout {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless the credentials are temporary (STS)
  std::string region = "us-east-1";
};

struct PresignRequest {
  std::string method = "GET";
  std::string scheme = "https";
  std::string host;  // as the Host header will carry it: "bucket.s3.amazonaws.com", "127.0.0.1:9000"
  std::string path;  // the object's path, "/bucket/key" or "/key", not yet percent-encoded
  int64_t now_unix = 0;
  int64_t expires_seconds = 3600;  // S3 takes 1 second to 7 days
  std::string service = "s3";
};

// "20130524T000000Z": SigV4's ISO 8601 basic form, UTC.
std::string sigv4_timestamp(int64_t unix_seconds);

// The presigned URL: scheme://host/path?X-Amz-Algorithm=...&X-Amz-Signature=...
// InvalidArgument when the request cannot be signed (no host or key, an expiry out of range).
Result<std::string> presign_url(const AwsCredentials& credentials, const PresignRequest& request);

}  // namespace scout
