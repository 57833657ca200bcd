#include "server/server_config.h"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace scout {
namespace {

template <typename T>
Status parse_number(const char* name, const std::string& text, T* out) {
  T v{};
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size() || v < 0) {
    return Status::Invalid(std::string(name) + " must be a non-negative number, not '" + text + "'");
  }
  *out = v;
  return Status::OK();
}

}  // namespace

Status ServerConfig::load_file(const std::string& path, bool optional) {
  std::ifstream in(path);
  if (!in) {
    return optional ? Status::OK() : Status::NotFound("config file '" + path + "' not found");
  }
  std::stringstream text;
  text << in.rdbuf();
  auto j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::Invalid("config file '" + path + "' is not a JSON object");
  }
  try {
    host = j.value("host", host);
    port = j.value("port", port);
    warehouse = j.value("warehouse", warehouse);
    data_dir = j.value("data_dir", data_dir);
    catalog = j.value("catalog", catalog);
    api_prefix = j.value("api_prefix", api_prefix);
    public_url = j.value("public_url", public_url);
    jwt_secret = j.value("jwt_secret", jwt_secret);
    signing_secret = j.value("signing_secret", signing_secret);
    url_ttl_seconds = j.value("url_ttl_seconds", url_ttl_seconds);
    workers = j.value("workers", workers);
    max_queue = j.value("max_queue", max_queue);
    retention_seconds = j.value("retention_seconds", retention_seconds);
    max_body_bytes = j.value("max_body_bytes", max_body_bytes);
  } catch (const nlohmann::json::exception& e) {
    return Status::Invalid("config file '" + path + "': " + e.what());
  }
  return Status::OK();
}

Status ServerConfig::load_environment() {
  auto env = [](const char* name) -> const char* { return std::getenv(name); };
  if (auto v = env("SCOUT_HOST")) host = v;
  if (auto v = env("SCOUT_PORT")) SCOUT_RETURN_IF_ERROR(parse_number("SCOUT_PORT", v, &port));
  if (auto v = env("SCOUT_WAREHOUSE")) warehouse = v;
  if (auto v = env("SCOUT_DATA_DIR")) data_dir = v;
  if (auto v = env("SCOUT_API_PREFIX")) api_prefix = v;
  if (auto v = env("SCOUT_PUBLIC_URL")) public_url = v;
  if (auto v = env("SCOUT_JWT_SECRET")) jwt_secret = v;
  if (auto v = env("SCOUT_SIGNING_SECRET")) signing_secret = v;
  if (auto v = env("SCOUT_URL_TTL_SECONDS")) {
    SCOUT_RETURN_IF_ERROR(parse_number("SCOUT_URL_TTL_SECONDS", v, &url_ttl_seconds));
  }
  if (auto v = env("SCOUT_WORKERS")) SCOUT_RETURN_IF_ERROR(parse_number("SCOUT_WORKERS", v, &workers));
  if (auto v = env("SCOUT_MAX_QUEUE")) SCOUT_RETURN_IF_ERROR(parse_number("SCOUT_MAX_QUEUE", v, &max_queue));
  if (auto v = env("SCOUT_RETENTION_SECONDS")) {
    SCOUT_RETURN_IF_ERROR(parse_number("SCOUT_RETENTION_SECONDS", v, &retention_seconds));
  }
  return Status::OK();
}

}  // namespace scout
