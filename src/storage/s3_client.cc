#include "storage/s3_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <mutex>
#include <thread>

#include "common/hex.h"
#include "common/url_encoding.h"
#include "storage/digest.h"
#include "storage/signed_url.h"

namespace scout {
namespace {

// An answer larger than this is not one of the small XML documents S3 sends: refused.
constexpr size_t kMaxResponseBytes = 8 * 1024 * 1024;

std::string env_or(const char* name, const char* fallback = "") {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

bool is_bucket_name(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) return false;
  for (char ch : name) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-')) return false;
  }
  return name.front() != '.' && name.front() != '-' && name.back() != '.' && name.back() != '-';
}

size_t collect_body(char* data, size_t size, size_t count, void* out) {
  auto* body = static_cast<std::string*>(out);
  if (body->size() + size * count > kMaxResponseBytes) return 0;  // curl fails the transfer
  body->append(data, size * count);
  return size * count;
}

size_t collect_etag(char* data, size_t size, size_t count, void* out) {
  std::string_view line(data, size * count);
  constexpr std::string_view kName = "etag:";
  if (line.size() > kName.size() &&
      std::equal(kName.begin(), kName.end(), line.begin(),
                 [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); })) {
    std::string_view value = line.substr(kName.size());
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    *static_cast<std::string*>(out) = std::string(value);
  }
  return size * count;
}

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool may_pass(long status) { return status >= 500 || status == 429; }

std::string xml_escape(std::string_view text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(ch);
    }
  }
  return out;
}

}  // namespace

Result<S3Location> parse_s3_location(std::string_view url) {
  constexpr std::string_view kScheme = "s3://";
  if (!url.starts_with(kScheme)) return Status::Invalid("'" + std::string(url) + "' is not an s3:// URL");
  std::string_view rest = url.substr(kScheme.size());
  size_t slash = rest.find('/');
  S3Location location;
  location.bucket = std::string(rest.substr(0, slash));
  if (!is_bucket_name(location.bucket)) {
    return Status::Invalid("'" + std::string(url) +
                           "': the bucket must be 3-63 characters of a-z, 0-9, '.' and '-' "
                           "(s3://BUCKET or s3://BUCKET/PREFIX)");
  }
  if (slash != std::string_view::npos) {
    std::string_view prefix = rest.substr(slash + 1);
    while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
    if (!prefix.empty() && !is_safe_object_key(prefix)) {
      return Status::Invalid("'" + std::string(url) +
                             "': the prefix must be '/'-separated segments of letters, digits and "
                             "._=-, none empty, '.' or '..'");
    }
    location.prefix = std::string(prefix);
  }
  return location;
}

Result<S3ClientConfig> s3_client_config_from_environment(const std::string& bucket) {
  S3ClientConfig config;
  config.bucket = bucket;
  config.credentials.access_key_id = env_or("AWS_ACCESS_KEY_ID");
  config.credentials.secret_access_key = env_or("AWS_SECRET_ACCESS_KEY");
  config.credentials.session_token = env_or("AWS_SESSION_TOKEN");
  config.credentials.region = env_or("AWS_REGION", "us-east-1");
  if (config.credentials.access_key_id.empty() || config.credentials.secret_access_key.empty()) {
    return Status::Invalid("S3 storage needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment");
  }
  std::string endpoint = env_or("AWS_ENDPOINT_URL");
  if (endpoint.empty()) {
    config.endpoint.host = bucket + ".s3." + config.credentials.region + ".amazonaws.com";
    return config;
  }
  size_t sep = endpoint.find("://");
  std::string scheme = sep == std::string::npos ? "" : endpoint.substr(0, sep);
  std::string host = sep == std::string::npos ? "" : endpoint.substr(sep + 3);
  while (!host.empty() && host.back() == '/') host.pop_back();
  std::string base_path;
  if (size_t slash = host.find('/'); slash != std::string::npos) {
    base_path = host.substr(slash);
    host.resize(slash);
  }
  bool host_ok = !host.empty() && host.find_first_of("?#@ ") == std::string::npos;
  bool path_ok = base_path.empty() || is_safe_object_key(base_path.substr(1));
  if ((scheme != "http" && scheme != "https") || !host_ok || !path_ok) {
    return Status::Invalid("AWS_ENDPOINT_URL '" + endpoint +
                           "' must be http(s)://HOST[:PORT][/PATH], such as http://127.0.0.1:9000");
  }
  config.endpoint = {scheme, host, base_path, true};
  return config;
}

S3Client::S3Client(S3ClientConfig config) : config_(std::move(config)) { init_curl_once(); }

std::string S3Client::object_path(const std::string& key) const {
  if (config_.endpoint.path_style) {
    return config_.endpoint.base_path + "/" + config_.bucket + (key.empty() ? "" : "/" + key);
  }
  return "/" + key;
}

Result<S3Client::Response> S3Client::send(const std::string& method, const std::string& key,
                                          Query query, std::string_view body,
                                          const char* content_type) {
  // SigV4's canonical query: names sorted, names and values encoded, "name=" for an empty value.
  // curl 7.88 signs the query as it is written, so it is written that way.
  std::sort(query.begin(), query.end());
  std::string url = config_.endpoint.scheme + "://" + config_.endpoint.host + url_encode_path(object_path(key));
  for (size_t i = 0; i < query.size(); ++i) {
    url += (i == 0 ? "?" : "&") + url_encode_component(query[i].first) + "=" +
           url_encode_component(query[i].second);
  }
  int delay_ms = config_.backoff_first_ms;
  Result<Response> last = Status::Internal("not sent");
  for (int attempt = 1; attempt <= config_.max_attempts; ++attempt) {
    last = send_once(method, url, body, content_type);
    if (last.ok() && !may_pass(last->status)) return last;
    if (attempt < config_.max_attempts) {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      delay_ms *= 2;
    }
  }
  return last;
}

Result<S3Client::Response> S3Client::send_once(const std::string& method, const std::string& url,
                                               std::string_view body, const char* content_type) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Status::Internal("curl_easy_init failed");
  CURL* h = curl.get();
  Response response;
  const std::string sigv4 = "aws:amz:" + config_.credentials.region + ":s3";
  const std::string userpwd = config_.credentials.access_key_id + ":" + config_.credentials.secret_access_key;
  const std::string payload_hash = "x-amz-content-sha256: " + [&] {
    std::string digest = sha256(body);
    return to_hex(digest.data(), digest.size());
  }();
  struct curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, payload_hash.c_str());
  if (!config_.credentials.session_token.empty()) {
    headers = curl_slist_append(headers, ("x-amz-security-token: " + config_.credentials.session_token).c_str());
  }
  if (content_type) headers = curl_slist_append(headers, (std::string("Content-Type: ") + content_type).c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers, curl_slist_free_all);

  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(h, CURLOPT_AWS_SIGV4, sigv4.c_str());
  curl_easy_setopt(h, CURLOPT_USERPWD, userpwd.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
  // A store that stops answering mid-transfer fails the attempt instead of hanging the export.
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, collect_etag);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &response.etag);
  if (method == "PUT" || method == "POST") {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  } else if (method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  }
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  CURLcode code = curl_easy_perform(h);
  if (code != CURLE_OK) {
    return Status::IOError("S3 " + method + " " + url.substr(0, url.find('?')) + ": " +
                           (error[0] ? error : curl_easy_strerror(code)));
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

Status s3_status(const S3Client::Response& response, const std::string& what) {
  if (response.status >= 200 && response.status < 300) return Status::OK();
  auto error = parse_s3_error(response.body);
  std::string detail = error ? error->code + (error->message.empty() ? "" : ": " + error->message)
                             : "HTTP " + std::to_string(response.status);
  if (response.status == 404) return Status::NotFound(what + ": " + detail);
  return Status::IOError(what + ": " + detail);
}

Status S3Client::check_bucket() {
  SCOUT_ASSIGN_OR_RETURN(Response r, send("HEAD", "", {}, ""));
  std::string where = "s3://" + config_.bucket + " at " + config_.endpoint.scheme + "://" + config_.endpoint.host;
  if (r.status == 404) {
    return Status::NotFound("the bucket " + where +
                            " does not exist; create it first (the service never creates buckets)");
  }
  if (r.status == 403 || r.status == 400 || r.status == 401) {
    return Status::IOError("the store refused the credentials for " + where + " (HTTP " +
                           std::to_string(r.status) +
                           "): check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION");
  }
  return s3_status(r, "HeadBucket " + where);
}

Status S3Client::put_object(const std::string& key, std::string_view body) {
  SCOUT_ASSIGN_OR_RETURN(Response r, send("PUT", key, {}, body, "application/octet-stream"));
  return s3_status(r, "PUT " + key);
}

Result<std::string> S3Client::create_multipart_upload(const std::string& key) {
  SCOUT_ASSIGN_OR_RETURN(Response r, send("POST", key, {{"uploads", ""}}, "", "application/octet-stream"));
  SCOUT_RETURN_IF_ERROR(s3_status(r, "CreateMultipartUpload " + key));
  return parse_initiate_multipart_upload(r.body);
}

Result<std::string> S3Client::upload_part(const std::string& key, const std::string& upload_id,
                                          int part_number, std::string_view body) {
  SCOUT_ASSIGN_OR_RETURN(Response r, send("PUT", key, {{"partNumber", std::to_string(part_number)},
                                                       {"uploadId", upload_id}}, body,
                                          "application/octet-stream"));
  SCOUT_RETURN_IF_ERROR(s3_status(r, "UploadPart " + std::to_string(part_number) + " of " + key));
  if (r.etag.empty()) return Status::IOError("UploadPart of " + key + ": the store sent no ETag");
  return r.etag;
}

Status S3Client::complete_multipart_upload(const std::string& key, const std::string& upload_id,
                                           const std::vector<std::string>& part_etags) {
  std::string xml = "<CompleteMultipartUpload>";
  for (size_t i = 0; i < part_etags.size(); ++i) {
    xml += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" +
           xml_escape(part_etags[i]) + "</ETag></Part>";
  }
  xml += "</CompleteMultipartUpload>";
  SCOUT_ASSIGN_OR_RETURN(Response r, send("POST", key, {{"uploadId", upload_id}}, xml, "application/xml"));
  SCOUT_RETURN_IF_ERROR(s3_status(r, "CompleteMultipartUpload " + key));
  // S3 may answer 200 and then an <Error> in the body.
  return parse_complete_multipart_upload(r.body);
}

Status S3Client::abort_multipart_upload(const std::string& key, const std::string& upload_id) {
  SCOUT_ASSIGN_OR_RETURN(Response r, send("DELETE", key, {{"uploadId", upload_id}}, ""));
  Status st = s3_status(r, "AbortMultipartUpload " + key);
  return st.code() == StatusCode::kNotFound ? Status::OK() : st;  // already gone
}

Status S3Client::delete_object(const std::string& key) {
  SCOUT_ASSIGN_OR_RETURN(Response r, send("DELETE", key, {}, ""));
  Status st = s3_status(r, "DELETE " + key);
  return st.code() == StatusCode::kNotFound ? Status::OK() : st;
}

Result<std::vector<std::string>> S3Client::list_keys(const std::string& prefix) {
  std::vector<std::string> keys;
  std::string token;
  do {
    Query query = {{"list-type", "2"}, {"prefix", prefix}};
    if (!token.empty()) query.emplace_back("continuation-token", token);
    SCOUT_ASSIGN_OR_RETURN(Response r, send("GET", "", query, ""));
    SCOUT_RETURN_IF_ERROR(s3_status(r, "ListObjectsV2 " + prefix));
    SCOUT_ASSIGN_OR_RETURN(S3ObjectPage page, parse_list_objects_v2(r.body));
    for (auto& key : page.keys) {
      // A store that lists keys outside the prefix asked for is not to be trusted with deletes.
      if (!key.starts_with(prefix)) return Status::Corruption("ListObjectsV2 answered a key outside '" + prefix + "'");
      keys.push_back(std::move(key));
    }
    token = page.next_continuation_token;
  } while (!token.empty());
  return keys;
}

Result<std::vector<S3MultipartUpload>> S3Client::list_multipart_uploads(const std::string& prefix) {
  std::vector<S3MultipartUpload> uploads;
  std::string key_marker, upload_id_marker;
  while (true) {
    Query query = {{"uploads", ""}, {"prefix", prefix}};
    if (!key_marker.empty()) {
      query.emplace_back("key-marker", key_marker);
      query.emplace_back("upload-id-marker", upload_id_marker);
    }
    SCOUT_ASSIGN_OR_RETURN(Response r, send("GET", "", query, ""));
    SCOUT_RETURN_IF_ERROR(s3_status(r, "ListMultipartUploads " + prefix));
    SCOUT_ASSIGN_OR_RETURN(S3UploadPage page, parse_list_multipart_uploads(r.body));
    for (auto& upload : page.uploads) {
      if (!upload.key.starts_with(prefix)) {
        return Status::Corruption("ListMultipartUploads answered a key outside '" + prefix + "'");
      }
      uploads.push_back(std::move(upload));
    }
    if (!page.truncated) break;
    if (page.next_key_marker == key_marker && page.next_upload_id_marker == upload_id_marker) {
      return Status::Corruption("ListMultipartUploads does not advance past '" + key_marker + "'");
    }
    key_marker = page.next_key_marker;
    upload_id_marker = page.next_upload_id_marker;
  }
  return uploads;
}

Result<std::string> S3Client::presigned_get_url(const std::string& key, int64_t now_unix,
                                                int64_t expires_seconds) const {
  PresignRequest request;
  request.scheme = config_.endpoint.scheme;
  request.host = config_.endpoint.host;
  request.path = object_path(key);
  request.now_unix = now_unix;
  request.expires_seconds = expires_seconds;
  return presign_url(config_.credentials, request);
}

}  // namespace scout
