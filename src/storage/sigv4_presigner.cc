#include "storage/sigv4_presigner.h"

#include <ctime>
#include <map>

#include "common/hex.h"
#include "common/url_encoding.h"
#include "storage/digest.h"

namespace scout {
namespace {

constexpr int64_t kMaxExpiresSeconds = 7 * 24 * 3600;  // S3's limit for presigned URLs

std::string hex_of(const std::string& bytes) { return to_hex(bytes.data(), bytes.size()); }

}  // namespace

std::string sigv4_timestamp(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

Result<std::string> presign_url(const AwsCredentials& credentials, const PresignRequest& request) {
  if (request.host.empty()) return Status::Invalid("presigned URL: no host");
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return Status::Invalid("presigned URL: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are needed");
  }
  if (request.expires_seconds < 1 || request.expires_seconds > kMaxExpiresSeconds) {
    return Status::Invalid("presigned URL: X-Amz-Expires must be 1-" +
                           std::to_string(kMaxExpiresSeconds) + " seconds");
  }
  const std::string timestamp = sigv4_timestamp(request.now_unix);
  const std::string date = timestamp.substr(0, 8);
  const std::string scope = date + "/" + credentials.region + "/" + request.service + "/aws4_request";

  // Canonical query: names and values encoded, sorted by name (a std::map's order is the
  // byte order SigV4 asks for).
  std::map<std::string, std::string> query = {
      {"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
      {"X-Amz-Credential", credentials.access_key_id + "/" + scope},
      {"X-Amz-Date", timestamp},
      {"X-Amz-Expires", std::to_string(request.expires_seconds)},
      {"X-Amz-SignedHeaders", "host"},
  };
  if (!credentials.session_token.empty()) query["X-Amz-Security-Token"] = credentials.session_token;
  std::string canonical_query;
  for (const auto& [name, value] : query) {
    if (!canonical_query.empty()) canonical_query += '&';
    canonical_query += url_encode_component(name) + "=" + url_encode_component(value);
  }
  const std::string path = url_encode_path(request.path.empty() ? "/" : request.path);
  const std::string canonical_request = request.method + "\n" + path + "\n" + canonical_query +
                                        "\nhost:" + request.host + "\n\nhost\nUNSIGNED-PAYLOAD";
  const std::string string_to_sign = "AWS4-HMAC-SHA256\n" + timestamp + "\n" + scope + "\n" +
                                     hex_of(sha256(canonical_request));
  std::string key = hmac_sha256("AWS4" + credentials.secret_access_key, date);
  key = hmac_sha256(key, credentials.region);
  key = hmac_sha256(key, request.service);
  key = hmac_sha256(key, "aws4_request");
  const std::string signature = hex_of(hmac_sha256(key, string_to_sign));
  return request.scheme + "://" + request.host + path + "?" + canonical_query +
         "&X-Amz-Signature=" + signature;
}

}  // namespace scout
