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
#include "state/state.h"

namespace scout {
namespace {

using json = nlohmann::ordered_json;

using Setting = ServerSetting;

constexpr int64_t kYear = 365 * 24 * 3600;

// Every setting, one row each (see ServerSetting); the ranges are what the service runs with.
const Setting kSettings[] = {
    {"host", "--host", "SCOUT_HOST", &ServerConfig::host, "Address to listen on"},
    {"port", "--port", "SCOUT_PORT", &ServerConfig::port, "Port to listen on; 0 picks a free one",
     0, 65535},
    {"warehouse", "--warehouse", "SCOUT_WAREHOUSE", &ServerConfig::warehouse,
     "sqlite:PATH or postgresql://...; empty: the embedded demo warehouse in the data dir"},
    {"data_dir", "--data-dir", "SCOUT_DATA_DIR", &ServerConfig::data_dir,
     "Private storage, job records, keys and audit log; its config.json is read when present"},
    {"storage", "--storage", "SCOUT_STORAGE", &ServerConfig::storage,
     "s3://BUCKET[/PREFIX]: exports go to that existing bucket (AWS_* variables); empty: the "
     "data dir's exports/ folder"},
    {"state_url", "--state", "SCOUT_STATE_URL", &ServerConfig::state_url,
     "postgresql://... keeping job records and queue, API keys and audit log, shared by every "
     "instance naming it; empty: in the data dir"},
    {"catalog", "--catalog", "SCOUT_CATALOG", &ServerConfig::catalog,
     "Datasets file, shaped like config/datasets.json; empty: the built-in catalog"},
    {"api_prefix", "--api-prefix", "SCOUT_API_PREFIX", &ServerConfig::api_prefix,
     "Prefix every route also answers under (the guide's URLs); the root always works"},
    {"public_url", "--public-url", "SCOUT_PUBLIC_URL", &ServerConfig::public_url,
     "Base of signed URLs; empty: this server's own address (host and port)"},
    {"jwt_secret", "--jwt-secret", "SCOUT_JWT_SECRET", &ServerConfig::jwt_secret,
     "HS256 secret of Supabase-style JWTs; empty: API keys only", 0, 0, true},
    {"signing_secret", "--signing-secret", "SCOUT_SIGNING_SECRET", &ServerConfig::signing_secret,
     "HMAC key of signed URLs; empty: generated once and kept in the data dir", 0, 0, true},
    {"metrics_token", "--metrics-token", "SCOUT_METRICS_TOKEN", &ServerConfig::metrics_token,
     "When set, GET /metrics needs it as a Bearer token", 0, 0, true},
    {"url_ttl_seconds", "--url-ttl-seconds", "SCOUT_URL_TTL_SECONDS",
     &ServerConfig::url_ttl_seconds, "How long a signed URL stays valid", 1, kYear},
    {"workers", "--workers", "SCOUT_WORKERS", &ServerConfig::workers,
     "Exports that run at once; with --state, across every instance sharing the state database", 1,
     1024},
    {"export_threads", "--export-threads", "SCOUT_EXPORT_THREADS", &ServerConfig::export_threads,
     "Threads each export encodes with, from one pool all exports share; 0: all cores", 0, 1024},
    {"max_queue", "--max-queue", "SCOUT_MAX_QUEUE", &ServerConfig::max_queue,
     "Exports that may wait for a worker; one more is refused with 429", 0, 1'000'000},
    {"retention_seconds", "--retention-seconds", "SCOUT_RETENTION_SECONDS",
     &ServerConfig::retention_seconds, "How long a finished export and its files are kept", 0,
     10 * kYear},
    {"job_lease_seconds", "--job-lease-seconds", "SCOUT_JOB_LEASE_SECONDS",
     &ServerConfig::job_lease_seconds,
     "With --state: how long a running export may go without its instance's heartbeat before "
     "another instance takes it over",
     1, 3600},
    {"max_body_bytes", "--max-body-bytes", "SCOUT_MAX_BODY_BYTES", &ServerConfig::max_body_bytes,
     "Largest request body, chunked or not; past it, 413", 1, int64_t{1} << 30},
    {"http_threads", "--http-threads", "SCOUT_HTTP_THREADS", &ServerConfig::http_threads,
     "Threads that run handlers; a synchronous POST /export holds one while it waits", 1, 100'000},
    {"sync_wait_seconds", "--sync-wait-seconds", "SCOUT_SYNC_WAIT_SECONDS",
     &ServerConfig::sync_wait_seconds, "How long POST /export waits before answering 202", 0,
     24 * 3600},
    {"header_timeout_seconds", "--header-timeout-seconds", "SCOUT_HEADER_TIMEOUT_SECONDS",
     &ServerConfig::header_timeout_seconds, "Time a client gets to send its request headers", 1,
     3600},
    {"body_timeout_seconds", "--body-timeout-seconds", "SCOUT_BODY_TIMEOUT_SECONDS",
     &ServerConfig::body_timeout_seconds, "Time a client then gets to send the body", 1, 3600},
    {"idle_timeout_seconds", "--idle-timeout-seconds", "SCOUT_IDLE_TIMEOUT_SECONDS",
     &ServerConfig::idle_timeout_seconds, "A keep-alive connection idle this long is closed", 1,
     3600},
    {"max_connections", "--max-connections", "SCOUT_MAX_CONNECTIONS",
     &ServerConfig::max_connections, "Open connections; past it a new one gets 503 at once", 1,
     1'000'000},
    {"max_header_bytes", "--max-header-bytes", "SCOUT_MAX_HEADER_BYTES",
     &ServerConfig::max_header_bytes, "Largest header fields of a request; past it, 431", 1024,
     1 << 20},
    {"max_url_bytes", "--max-url-bytes", "SCOUT_MAX_URL_BYTES", &ServerConfig::max_url_bytes,
     "Longest request line; past it, 414", 256, 1 << 20},
};

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
  if (s.is_text()) {
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

const Setting* find_setting(const std::string& name) {
  for (const Setting& s : kSettings) {
    if (name == s.name) return &s;
  }
  return nullptr;
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
    const Setting* setting = find_setting(key);
    if (!setting) {
      return Status::Invalid(where + "unknown field '" + key + "'; the fields are " +
                             valid_names());
    }
    SCOUT_RETURN_IF_ERROR(apply_file_field(config, *setting, value, where));
    fields->insert(key);
  }
  return Status::OK();
}

// Applies a value typed in the environment or on the command line; an error names it as
// `given_as` (the variable or the flag) and quotes the value as `shown_as`.
Status apply_typed(ServerConfig* config, const Setting& s, const std::string& value,
                   const std::string& given_as, const std::string& shown_as) {
  if (s.is_text()) {
    set_text(config, s, value);
    return Status::OK();
  }
  std::optional<int64_t> v = parse_in_range(s, value);
  if (!v) return Status::Invalid(given_as + " must be " + range_of(s) + ", got " + shown_as);
  set_number(config, s, *v);
  return Status::OK();
}

Status load_environment(const Environment& env, ServerConfig* config) {
  for (const Setting& s : kSettings) {
    std::optional<std::string> value = env(s.env);
    if (!value || value->empty()) continue;
    SCOUT_RETURN_IF_ERROR(apply_typed(config, s, *value, s.env, "'" + *value + "'"));
  }
  return Status::OK();
}

Status apply_flags(const ServeFlags& flags, ServerConfig* config) {
  for (const auto& [name, value] : flags.settings) {
    const Setting* s = find_setting(name);
    if (!s)
      return Status::Invalid("unknown setting '" + name + "'; the settings are " + valid_names());
    SCOUT_RETURN_IF_ERROR(apply_typed(config, *s, value, s->flag, value));
  }
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

std::span<const ServerSetting> server_settings() { return kSettings; }

std::string default_text(const ServerSetting& setting) {
  static const ServerConfig defaults;
  return std::visit(
      [](auto member) {
        const auto& value = defaults.*member;
        if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::string>) {
          return value;
        } else {
          return std::to_string(value);
        }
      },
      setting.member);
}

std::string settings_markdown_table() {
  // A cell may not hold a bare '|'.
  auto cell = [](const std::string& text) {
    std::string out;
    for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
  };
  auto code = [](const std::string& text) { return "`" + text + "`"; };
  std::string table =
      "| setting | flag | environment | default | description |\n|---|---|---|---|---|\n";
  for (const Setting& s : kSettings) {
    std::string fallback = default_text(s);
    if (!fallback.empty() && s.is_text()) fallback = code(fallback);
    table += "| " + code(s.name) + " | " + code(s.flag) + " | " + code(s.env) + " | " + fallback +
             " | " + cell(s.description) + " |\n";
  }
  return table;
}

Result<ServerConfig> resolve_server_config(const ServeFlags& flags, const Environment& env) {
  ServerConfig config;
  std::set<std::string> from_file;
  if (flags.config_file) {
    SCOUT_RETURN_IF_ERROR(load_file(*flags.config_file, &config, &from_file));
  } else {
    std::optional<std::string> env_dir = env("SCOUT_DATA_DIR");
    auto flag_dir = flags.settings.find("data_dir");
    std::string data_dir = flag_dir != flags.settings.end() ? flag_dir->second
                           : env_dir && !env_dir->empty()   ? *env_dir
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
  SCOUT_RETURN_IF_ERROR(check_state_url(config.state_url));
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
            } else if (member == &ServerConfig::warehouse || member == &ServerConfig::state_url) {
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
