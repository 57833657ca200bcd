#include "server/web_console.h"

namespace scout {

std::string url_origin(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return "";
  std::string_view scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return "";
  size_t authority_end = url.find_first_of("/?#", scheme_end + 3);
  std::string_view origin = url.substr(0, authority_end);
  if (origin.size() == scheme_end + 3) return "";
  // A CSP source may hold no credentials, spaces or separators: such a URL adds no origin.
  for (char c : origin.substr(scheme_end + 3)) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    if (!allowed) return "";
  }
  return std::string(origin);
}

std::string web_console_csp(std::string_view download_origin) {
  std::string connect = "'self'";
  if (!download_origin.empty()) connect += " " + std::string(download_origin);
  return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
         "connect-src " + connect + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
}

}  // namespace scout
