// The service's settings: defaults, then the config file, then SCOUT_* environment variables,
// then command-line flags, each overriding the one before. Filled in one place, passed down.
#pragma once

#include <string>

#include "scout/status.h"

namespace scout {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string warehouse;         // empty: the embedded demo warehouse in the data dir
  std::string data_dir = "scout-data";
  std::string catalog;           // empty: the built-in catalog
  std::string api_prefix = "/functions/v1/export-parquet";  // the guide's URLs; root works too
  std::string public_url;        // base of signed URLs; empty: http://host:port
  std::string jwt_secret;        // HS256 secret for Supabase-style JWTs; empty: keys only
  std::string signing_secret;    // HMAC key for signed URLs; empty: generated and kept in data dir
  int64_t url_ttl_seconds = 3600;  // the guide: signed URLs expire after one hour
  int workers = 2;
  int max_queue = 16;
  int64_t retention_seconds = 24 * 3600;
  size_t max_body_bytes = 64 * 1024;
  // Handlers run on this many threads; connections cost none (they wait asynchronously).
  // A synchronous POST /export holds one while it waits, and at most workers + max_queue
  // exports are in flight, so this stays ahead of them.
  int http_threads = 64;
  std::string metrics_token;  // set: GET /metrics needs `Authorization: Bearer <token>`
  int header_timeout_seconds = 10;
  int body_timeout_seconds = 30;
  int idle_timeout_seconds = 5;
  int max_connections = 1000;
  size_t max_header_bytes = 16 * 1024;
  size_t max_url_bytes = 8 * 1024;
  int64_t sync_wait_seconds = 600;  // how long POST /export waits before answering 202

  // Reads `path` (JSON with the field names above); a missing file is fine when `optional`.
  Status load_file(const std::string& path, bool optional);
  // SCOUT_HOST, SCOUT_PORT, SCOUT_WAREHOUSE, SCOUT_DATA_DIR, SCOUT_API_PREFIX, SCOUT_PUBLIC_URL,
  // SCOUT_JWT_SECRET, SCOUT_SIGNING_SECRET, SCOUT_URL_TTL_SECONDS, SCOUT_WORKERS,
  // SCOUT_MAX_QUEUE, SCOUT_RETENTION_SECONDS.
  Status load_environment();
};

}  // namespace scout
