// The service's settings, resolved in one place (resolve_server_config) and passed down.
// Precedence, highest first: command-line flags, SCOUT_* environment variables, the config file
// (`--config FILE`, else `<data-dir>/config.json` when present), the defaults.
//
// Each setting is one row of server_settings(): its config file field, flag, environment
// variable, range and description. The file, the environment, the flags, --print-config,
// `serve --help` and the README's table all read that table; a field's initializer below is its
// default. A new setting is a field here and a row there.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <variant>

#include "scout/status.h"

namespace scout {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string warehouse;
  std::string data_dir = "scout-data";
  std::string state_url;  // empty: job records, keys and audit log in the data dir
  std::string storage;  // "" (the data dir) or s3://BUCKET[/PREFIX]
  std::string catalog;
  std::string api_prefix = "/functions/v1/export-parquet";  // the guide's URLs
  std::string public_url;
  std::string jwt_secret;
  std::string signing_secret;
  std::string metrics_token;
  int64_t url_ttl_seconds = 3600;  // the guide: signed URLs expire after one hour
  int workers = 2;
  int export_threads = 0;  // 0: all cores
  int max_queue = 16;
  int64_t retention_seconds = 24 * 3600;
  int job_lease_seconds = 30;
  size_t max_body_bytes = 64 * 1024;
  // Connections cost no thread (they wait asynchronously), but a synchronous POST /export holds
  // one while it waits, and at most workers + max_queue exports are in flight, so this stays
  // ahead of them.
  int http_threads = 64;
  int64_t sync_wait_seconds = 600;
  int header_timeout_seconds = 10;
  int body_timeout_seconds = 30;
  int idle_timeout_seconds = 5;
  int max_connections = 1000;
  size_t max_header_bytes = 16 * 1024;
  size_t max_url_bytes = 8 * 1024;
};

// One setting: a field of ServerConfig and every name it goes by.
struct ServerSetting {
  using Member = std::variant<std::string ServerConfig::*, int ServerConfig::*,
                              int64_t ServerConfig::*, size_t ServerConfig::*>;
  const char* name;  // the config file's field, and --print-config's
  const char* flag;  // on `scout-export serve`
  const char* env;   // an empty variable counts as unset
  Member member;     // whose initializer in ServerConfig is the default
  const char* description;
  int64_t min = 0;  // numbers only: the range accepted
  int64_t max = 0;
  bool secret = false;  // printed only as "(set)" or "(unset)"

  bool is_text() const { return std::holds_alternative<std::string ServerConfig::*>(member); }
};

// Every setting, in the order --print-config and the README show them.
std::span<const ServerSetting> server_settings();

// The default as `serve --help` and the README show it; empty for an empty text.
std::string default_text(const ServerSetting& setting);

// The README's settings table (Markdown), one row per setting.
std::string settings_markdown_table();

// What `scout-export serve` was given on its command line.
struct ServeFlags {
  // Settings given as flags, by config file field and as typed: {"port", "9000"}.
  std::map<std::string, std::string> settings;
  // Then it must exist, and it replaces <data-dir>/config.json.
  std::optional<std::string> config_file;
};

// Reads one environment variable; nullopt when unset. Tests pass their own.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;
// The process's environment (getenv).
Environment process_environment();

// The effective settings. The data dir is --data-dir, else SCOUT_DATA_DIR, else data_dir of the
// file named by --config, else the default; its config.json is read when --config is not given
// (and may not name another data dir). An unknown field, a wrong type or a number out of range
// is refused naming the field, variable or flag.
Result<ServerConfig> resolve_server_config(const ServeFlags& flags, const Environment& env);

// Every field of `config` as a JSON object (2-space indented), secrets shown only as "(set)" or
// "(unset)" and a password in the warehouse URL as '***'.
std::string printable_server_config(const ServerConfig& config);

}  // namespace scout
