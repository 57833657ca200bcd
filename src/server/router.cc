#include "server/router.h"

namespace scout {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path[0] == '/') path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool is_param(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler) {
  Route r{std::move(method), pattern, {}, std::move(handler)};
  for (std::string_view s : split_path(pattern)) r.segments.emplace_back(s);
  routes_.push_back(std::move(r));
}

bool Router::match(const Route& route, const std::vector<std::string_view>& segments,
                   RouteParams* params) {
  params->clear();
  for (size_t i = 0; i < route.segments.size(); ++i) {
    std::string_view want = route.segments[i];
    if (is_param(want) && want.ends_with("...}")) {
      if (i >= segments.size()) return false;
      std::string rest;
      for (size_t j = i; j < segments.size(); ++j) {
        if (j > i) rest += '/';
        rest += segments[j];
      }
      (*params)[std::string(want.substr(1, want.size() - 5))] = std::move(rest);
      return true;
    }
    if (i >= segments.size()) return false;
    if (is_param(want)) {
      if (segments[i].empty()) return false;
      (*params)[std::string(want.substr(1, want.size() - 2))] = std::string(segments[i]);
    } else if (want != segments[i]) {
      return false;
    }
  }
  return segments.size() == route.segments.size();
}

Router::Resolved Router::resolve(std::string_view method, std::string_view path,
                                 std::string_view prefix) const {
  if (!prefix.empty() && prefix != "/" && path.starts_with(prefix) &&
      (path.size() == prefix.size() || path[prefix.size()] == '/')) {
    path.remove_prefix(prefix.size());
  }
  if (method == "HEAD") method = "GET";
  auto segments = split_path(path);
  Resolved out;
  RouteParams params;
  for (const Route& r : routes_) {
    if (!match(r, segments, &params)) continue;
    out.route = r.pattern;
    if (r.method == method) {
      out.handler = &r.handler;
      out.params = std::move(params);
      out.allow.clear();
      return out;
    }
    if (out.allow.find(r.method) == std::string::npos) {
      out.allow += out.allow.empty() ? r.method : ", " + r.method;
      if (r.method == "GET") out.allow += ", HEAD";
    }
  }
  return out;
}

}  // namespace scout
