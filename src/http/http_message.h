// The HTTP request and response as the service's handlers see them: plain values, no sockets,
// so that the router and every handler can be driven by tests and fuzzers byte for byte.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scout/status.h"

namespace scout {

// Header fields in arrival order; names compare case-insensitively (RFC 9110 §5.1).
class HttpHeaders {
 public:
  void add(std::string name, std::string value);
  // Replaces every field of that name.
  void set(std::string_view name, std::string value);
  // The first field of that name, or "" when absent.
  std::string_view get(std::string_view name) const;
  bool has(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

bool iequals(std::string_view a, std::string_view b);

struct HttpRequest {
  std::string method;  // as sent: "GET", "FOO"
  std::string target;  // the raw request-target, for logs only
  std::string path;    // percent-decoded; may hold any byte
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  HttpHeaders headers;
  std::string body;
  std::string remote_addr;

  // The first query parameter of that name, or "".
  std::string_view query_param(std::string_view name) const;
};

// Splits a request-target ("/a%20b?x=1&y") into its decoded path and query. Refuses what is
// not origin-form (RFC 9112 §3.2.1) or holds a malformed percent escape.
Status parse_request_target(std::string_view target, HttpRequest* request);

// A file's bytes as a response body, streamed from disk by the server.
struct FileBody {
  std::string path;
  uint64_t offset = 0;
  uint64_t length = 0;
};

struct HttpResponse {
  int status = 200;
  HttpHeaders headers;
  std::string body;                // used when `file` is empty
  std::optional<FileBody> file;    // streamed instead of `body`
  bool close_connection = false;   // the request was not read whole: the stream is out of step
  std::string route = "unmatched";  // the route template that answered, for logs and metrics

  void set_body(std::string content, std::string content_type);
  uint64_t content_length() const { return file ? file->length : body.size(); }
};

// The reason phrase of an HTTP status code ("Not Found"), "Unknown" for others.
const char* http_reason(int status);

}  // namespace scout
