#include "http/http_message.h"

#include "common/url_encoding.h"

namespace scout {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

void HttpHeaders::add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void HttpHeaders::set(std::string_view name, std::string value) {
  std::erase_if(fields_, [&](const auto& f) { return iequals(f.first, name); });
  fields_.emplace_back(std::string(name), std::move(value));
}

std::string_view HttpHeaders::get(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (iequals(n, name)) return v;
  }
  return {};
}

bool HttpHeaders::has(std::string_view name) const {
  for (const auto& f : fields_) {
    if (iequals(f.first, name)) return true;
  }
  return false;
}

std::string_view HttpRequest::query_param(std::string_view name) const {
  for (const auto& [n, v] : query) {
    if (n == name) return v;
  }
  return {};
}

Status parse_request_target(std::string_view target, HttpRequest* request) {
  if (target.empty() || target[0] != '/') {
    return Status::Invalid("request target must be a path starting with '/'");
  }
  size_t question = target.find('?');
  std::string_view raw_path = target.substr(0, question);
  SCOUT_ASSIGN_OR_RETURN(request->path, url_decode(raw_path));
  request->query.clear();
  if (question == std::string_view::npos) return Status::OK();
  std::string_view rest = target.substr(question + 1);
  size_t fragment = rest.find('#');
  if (fragment != std::string_view::npos) rest = rest.substr(0, fragment);
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    SCOUT_ASSIGN_OR_RETURN(std::string name, url_decode(pair.substr(0, eq), true));
    std::string value;
    if (eq != std::string_view::npos) {
      SCOUT_ASSIGN_OR_RETURN(value, url_decode(pair.substr(eq + 1), true));
    }
    request->query.emplace_back(std::move(name), std::move(value));
  }
  return Status::OK();
}

void HttpResponse::set_body(std::string content, std::string content_type) {
  body = std::move(content);
  file.reset();
  headers.set("Content-Type", std::move(content_type));
}

const char* http_reason(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
  }
  return "Unknown";
}

}  // namespace scout
