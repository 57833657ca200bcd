// The service's settings, resolved in one place (resolve_server_config) and passed down.
// Precedence, highest first: command-line flags, SCOUT_* environment variables, the config file
// (`--config FILE`, else `<data-dir>/config.json` when present), the defaults below.
//
// Config file fields are the member names below; an unknown field, a wrong type or a number out
// of range is refused naming the field. Environment variables (an empty one counts as unset):
//   SCOUT_HOST, SCOUT_PORT, SCOUT_WAREHOUSE, SCOUT_DATA_DIR, SCOUT_API_PREFIX, SCOUT_PUBLIC_URL,
//   SCOUT_JWT_SECRET, SCOUT_SIGNING_SECRET, SCOUT_METRICS_TOKEN, SCOUT_URL_TTL_SECONDS,
//   SCOUT_WORKERS, SCOUT_MAX_QUEUE, SCOUT_RETENTION_SECONDS, SCOUT_HEADER_TIMEOUT_SECONDS,
//   SCOUT_BODY_TIMEOUT_SECONDS, SCOUT_IDLE_TIMEOUT_SECONDS, SCOUT_MAX_CONNECTIONS.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "scout/status.h"

namespace scout {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string warehouse;  // empty: the embedded demo warehouse in the data dir
  std::string data_dir = "scout-data";
  std::string catalog;                                      // empty: the built-in catalog
  std::string api_prefix = "/functions/v1/export-parquet";  // the guide's URLs; root works too
  std::string public_url;      // base of signed URLs; empty: http://host:port
  std::string jwt_secret;      // HS256 secret for Supabase-style JWTs; empty: keys only
  std::string signing_secret;  // HMAC key for signed URLs; empty: generated and kept in data dir
  std::string metrics_token;   // when set, GET /metrics needs "Authorization: Bearer <token>"
  int64_t url_ttl_seconds = 3600;  // the guide: signed URLs expire after one hour
  int workers = 2;
  int max_queue = 16;
  int64_t retention_seconds = 24 * 3600;
  size_t max_body_bytes = 64 * 1024;
  // Handlers run on this many threads; connections cost none (they wait asynchronously).
  // A synchronous POST /export holds one while it waits, and at most workers + max_queue
  // exports are in flight, so this stays ahead of them.
  int http_threads = 64;
  int64_t sync_wait_seconds = 600;  // how long POST /export waits before answering 202

  // HTTP limits: a client gets this long to send its request headers, then its body; a
  // keep-alive connection idle this long is closed.
  int header_timeout_seconds = 10;
  int body_timeout_seconds = 30;
  int idle_timeout_seconds = 5;
  int max_connections = 1000;
  size_t max_header_bytes = 16 * 1024;
  size_t max_url_bytes = 8 * 1024;
};

// What `scout-export serve` was given on its command line; an empty optional was not given.
struct ServeFlags {
  std::optional<std::string> host;
  std::optional<int> port;
  std::optional<std::string> warehouse;
  std::optional<std::string> data_dir;
  // Then it must exist, and it replaces <data-dir>/config.json.
  std::optional<std::string> config_file;
};

// Reads one environment variable; nullopt when unset. Tests pass their own.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;
// The process's environment (getenv).
Environment process_environment();

// The effective settings. The data dir is --data-dir, else SCOUT_DATA_DIR, else data_dir of the
// file named by --config, else the default; its config.json is read when --config is not given
// (and may not name another data dir).
Result<ServerConfig> resolve_server_config(const ServeFlags& flags, const Environment& env);

// Every field of `config` as a JSON object (2-space indented), secrets shown only as "(set)" or
// "(unset)" and a password in the warehouse URL as '***'.
std::string printable_server_config(const ServerConfig& config);

}  // namespace scout
