#include "server/server_config.h"

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <type_traits>
#include <variant>

#include "core/warehouse_url.h"

namespace scout {
namespace {

using json = nlohmann::ordered_json;

using Member = std::variant<std::string ServerConfig::*, int ServerConfig::*,
                            int64_t ServerConfig::*, size_t ServerConfig::*>;

// One row per field of ServerConfig: its config file name, its environment variable (or none)
// and, for numbers, the range accepted. The file, the environment and --print-config all read
// this table, so a new field is added here once.
struct Setting {
  const char* name;
  const char* env;
  Member member;
  int64_t min = 0;
  int64_t max = 0;
  bool secret = false;
};

constexpr int64_t kYear = 365 * 24 * 3600;

const Setting kSettings[] = {
    {"host", "SCOUT_HOST", &ServerConfig::host},
    {"port", "SCOUT_PORT", &ServerConfig::port, 0, 65535},
    {"warehouse", "SCOUT_WAREHOUSE", &ServerConfig::warehouse},
    {"data_dir", "SCOUT_DATA_DIR", &ServerConfig::data_dir},
    {"catalog", nullptr, &ServerConfig::catalog},
    {"api_prefix", "SCOUT_API_PREFIX", &ServerConfig::api_prefix},
    {"public_url", "SCOUT_PUBLIC_URL", &ServerConfig::public_url},
    {"jwt_secret", "SCOUT_JWT_SECRET", &ServerConfig::jwt_secret, 0, 0, true},
    {"signing_secret", "SCOUT_SIGNING_SECRET", &ServerConfig::signing_secret, 0, 0, true},
    {"metrics_token", "SCOUT_METRICS_TOKEN", &ServerConfig::metrics_token, 0, 0, true},
    {"url_ttl_seconds", "SCOUT_URL_TTL_SECONDS", &ServerConfig::url_ttl_seconds, 1, kYear},
    {"workers", "SCOUT_WORKERS", &ServerConfig::workers, 1, 1024},
    {"max_queue", "SCOUT_MAX_QUEUE", &ServerConfig::max_queue, 0, 1'000'000},
    {"retention_seconds", "SCOUT_RETENTION_SECONDS", &ServerConfig::retention_seconds, 0,
     10 * kYear},
    {"max_body_bytes", nullptr, &ServerConfig::max_body_bytes, 1, int64_t{1} << 30},
    {"http_threads", nullptr, &ServerConfig::http_threads, 1, 100'000},
    {"sync_wait_seconds", nullptr, &ServerConfig::sync_wait_seconds, 0, 24 * 3600},
    {"header_timeout_seconds", "SCOUT_HEADER_TIMEOUT_SECONDS",
     &ServerConfig::header_timeout_seconds, 1, 3600},
    {"body_timeout_seconds", "SCOUT_BODY_TIMEOUT_SECONDS", &ServerConfig::body_timeout_seconds, 1,
     3600},
    {"idle_timeout_seconds", "SCOUT_IDLE_TIMEOUT_SECONDS", &ServerConfig::idle_timeout_seconds, 1,
     3600},
    {"max_connections", "SCOUT_MAX_CONNECTIONS", &ServerConfig::max_connections, 1, 1'000'000},
    {"max_header_bytes", nullptr, &ServerConfig::max_header_bytes, 1024, 1 << 20},
    {"max_url_bytes", nullptr, &ServerConfig::max_url_bytes, 256, 1 << 20},
};

bool is_text(const Setting& s) {
  return std::holds_alternative<std::string ServerConfig::*>(s.member);
}

std::string range_of(const Setting& s) {
  return "an integer " + std::to_string(s.min) + "-" + std::to_string(s.max);
}

std::string valid_names() {
  std::string names;
  for (const Setting& s : kSettings) names += (names.empty() ? "" : ", ") + std::string(s.name);
  return names;
}

// Stores `value`, already checked against the setting's range, in its field.
void set_number(ServerConfig* config, const Setting& s, int64_t value) {
  std::visit(
      [&](auto member) {
        using Field = std::remove_reference_t<decltype(config->*member)>;
        if constexpr (!std::is_same_v<Field, std::string>)
          config->*member = static_cast<Field>(value);
      },
      s.member);
}

void set_text(ServerConfig* config, const Setting& s, std::string value) {
  config->*std::get<std::string ServerConfig::*>(s.member) = std::move(value);
}

// Parses a whole decimal integer within the setting's range; nullopt for anything else.
std::optional<int64_t> parse_in_range(const Setting& s, const std::string& text) {
  int64_t v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size())
    return std::nullopt;
  if (v < s.min || v > s.max) return std::nullopt;
  return v;
}

std::string shown(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  return text.size() > 60 ? text.substr(0, 57) + "..." : text;
}

Status apply_file_field(ServerConfig* config, const Setting& s, const json& value,
                        const std::string& where) {
  if (is_text(s)) {
    if (!value.is_string()) {
      return Status::Invalid(where + "'" + s.name + "' must be a string, got " + shown(value));
    }
    set_text(config, s, value.get<std::string>());
    return Status::OK();
  }
  std::optional<int64_t> v;
  if (value.is_number_unsigned()) {
    uint64_t u = value.get<uint64_t>();
    if (u <= static_cast<uint64_t>(s.max) && static_cast<int64_t>(u) >= s.min)
      v = static_cast<int64_t>(u);
  } else if (value.is_number_integer()) {
    int64_t i = value.get<int64_t>();
    if (i >= s.min && i <= s.max) v = i;
  }
  if (!v)
    return Status::Invalid(where + "'" + s.name + "' must be " + range_of(s) + ", got " +
                           shown(value));
  set_number(config, s, *v);
  return Status::OK();
}

// Applies the file at `path` over `config`; `fields` receives the names it set.
Status load_file(const std::string& path, ServerConfig* config, std::set<std::string>* fields) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("config file '" + path + "' cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  auto j = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::Invalid("config file '" + path + "' is not a JSON object");
  }
  const std::string where = "config file '" + path + "': ";
  for (const auto& [key, value] : j.items()) {
    const Setting* setting = nullptr;
    for (const Setting& s : kSettings) {
      if (key == s.name) setting = &s;
    }
    if (!setting) {
      return Status::Invalid(where + "unknown field '" + key + "'; the fields are " +
                             valid_names());
    }
    SCOUT_RETURN_IF_ERROR(apply_file_field(config, *setting, value, where));
    fields->insert(key);
  }
  return Status::OK();
}

Status load_environment(const Environment& env, ServerConfig* config) {
  for (const Setting& s : kSettings) {
    if (!s.env) continue;
    std::optional<std::string> value = env(s.env);
    if (!value || value->empty()) continue;
    if (is_text(s)) {
      set_text(config, s, *value);
      continue;
    }
    std::optional<int64_t> v = parse_in_range(s, *value);
    if (!v)
      return Status::Invalid(std::string(s.env) + " must be " + range_of(s) + ", got '" + *value +
                             "'");
    set_number(config, s, *v);
  }
  return Status::OK();
}

Status apply_flags(const ServeFlags& flags, ServerConfig* config) {
  if (flags.host) config->host = *flags.host;
  if (flags.port) {
    if (*flags.port < 0 || *flags.port > 65535) {
      return Status::Invalid("--port must be an integer 0-65535, got " +
                             std::to_string(*flags.port));
    }
    config->port = *flags.port;
  }
  if (flags.warehouse) config->warehouse = *flags.warehouse;
  if (flags.data_dir) config->data_dir = *flags.data_dir;
  return Status::OK();
}

bool same_folder(const std::string& a, const std::string& b) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::equivalent(a, b, ec)) return true;
  auto normal = [](const std::string& p) {
    std::string s = fs::path(p).lexically_normal().string();
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    return s;
  };
  return normal(a) == normal(b);
}

}  // namespace

Environment process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
}

Result<ServerConfig> resolve_server_config(const ServeFlags& flags, const Environment& env) {
  ServerConfig config;
  std::set<std::string> from_file;
  if (flags.config_file) {
    SCOUT_RETURN_IF_ERROR(load_file(*flags.config_file, &config, &from_file));
  } else {
    std::optional<std::string> env_dir = env("SCOUT_DATA_DIR");
    std::string data_dir = flags.data_dir                 ? *flags.data_dir
                           : env_dir && !env_dir->empty() ? *env_dir
                                                          : config.data_dir;
    std::string path = (std::filesystem::path(data_dir) / "config.json").string();
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
      SCOUT_RETURN_IF_ERROR(load_file(path, &config, &from_file));
      if (from_file.count("data_dir") && !same_folder(config.data_dir, data_dir)) {
        return Status::Invalid("config file '" + path + "' sets data_dir to '" + config.data_dir +
                               "', another folder than its own; name the data dir with --data-dir "
                               "or SCOUT_DATA_DIR, or the file with --config");
      }
    }
    config.data_dir = data_dir;
  }
  SCOUT_RETURN_IF_ERROR(load_environment(env, &config));
  SCOUT_RETURN_IF_ERROR(apply_flags(flags, &config));
  return config;
}

std::string printable_server_config(const ServerConfig& config) {
  json out = json::object();
  for (const Setting& s : kSettings) {
    std::visit(
        [&](auto member) {
          const auto& value = config.*member;
          if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::string>) {
            if (s.secret) {
              out[s.name] = value.empty() ? "(unset)" : "(set)";
            } else if (member == &ServerConfig::warehouse) {
              out[s.name] = redact_url(value);
            } else {
              out[s.name] = value;
            }
          } else {
            out[s.name] = value;
          }
        },
        s.member);
  }
  return out.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace scout
