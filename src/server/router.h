// Maps a method and a path to a handler by route templates ("/exports/{id}",
// "/download/{key...}"), at the root and under the API prefix. The template, never the raw
// path, is what metrics and logs call the route, so no client can invent labels.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "http/http_message.h"

namespace scout {

using RouteParams = std::map<std::string, std::string, std::less<>>;

class Router {
 public:
  using Handler = std::function<void(const HttpRequest&, const RouteParams&, HttpResponse&)>;

  // `pattern` is '/'-separated literals, "{name}" (one segment) or a final "{name...}" (the
  // rest of the path, at least one segment).
  void add(std::string method, std::string pattern, Handler handler);

  struct Resolved {
    const Handler* handler = nullptr;  // null: 404 (allow empty) or 405 (allow lists methods)
    std::string route = "unmatched";   // the template that matched the path
    RouteParams params;
    std::string allow;                 // the methods the path takes, for a 405's Allow
  };
  // HEAD is resolved as GET. `prefix` ("/functions/v1/export-parquet") is stripped when the
  // path starts with it.
  Resolved resolve(std::string_view method, std::string_view path, std::string_view prefix) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  static bool match(const Route& route, const std::vector<std::string_view>& segments,
                    RouteParams* params);
  std::vector<Route> routes_;
};

}  // namespace scout
