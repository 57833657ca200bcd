// The HTTP request path end to end: raw bytes are parsed exactly as the server parses them
// (same limits, same refusals), then answered by the real router and handlers of a service
// over a small SQLite demo warehouse in a temporary folder. Two keys are real, so fuzzed
// requests reach past authentication: the text "KEYA" in the input becomes an analyst's key
// and "KEYR" a region-scoped one. Findings: a crash, a sanitizer report, a 5xx, or a response
// whose JSON body does not parse.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "demo/demo_generator.h"
#include "demo/sqlite_demo_sink.h"
#include "http/http_server.h"
#include "state/api_keys.h"
#include "server/export_service.h"

namespace {

struct World {
  std::unique_ptr<scout::ExportService> service;
  std::string analyst_key, region_key;
  scout::HttpLimits limits;
};

void die(const char* what, const scout::Status& st) {
  std::fprintf(stderr, "fuzz setup: %s: %s\n", what, st.message().c_str());
  std::abort();
}

World* make_world() {
  auto* w = new World();
  char dir_template[] = "/tmp/scout-fuzz-http-XXXXXX";
  std::string dir = mkdtemp(dir_template);
  std::string db = dir + "/warehouse.db";
  {
    auto sink = scout::make_sqlite_demo_sink(db);
    if (!sink.ok()) die("demo sink", sink.status());
    scout::DemoOptions demo;
    demo.scale = 0.01;
    demo.first_day = 20089;  // 2025-01-01
    demo.last_day = 20119;   // 2025-01-31
    auto made = scout::generate_demo(scout::Catalog::builtin(), demo, sink->get());
    if (!made.ok()) die("demo", made.status());
  }
  {
    auto keys = scout::FileApiKeyStore::open(dir + "/keys.json");
    if (!keys.ok()) die("keys", keys.status());
    scout::ApiKeyRecord record;
    auto a = keys->create("analytics_export", std::nullopt, "fuzz", &record);
    auto r = keys->create("authenticated", std::string("NCR"), "fuzz-region", &record);
    if (!a.ok() || !r.ok()) die("key", a.ok() ? r.status() : a.status());
    w->analyst_key = *a;
    w->region_key = *r;
  }
  scout::ServerConfig config;
  config.data_dir = dir;
  config.warehouse = "sqlite:" + db;
  config.jwt_secret = "fuzz-jwt-secret-0123456789abcdef0123456789";
  config.sync_wait_seconds = 0;  // exports are queued, never waited for
  config.workers = 1;
  config.max_queue = 2;
  auto service = scout::ExportService::create(config);
  if (!service.ok()) die("service", service.status());
  w->service = std::move(*service);
  w->limits.max_body_bytes = config.max_body_bytes;
  w->limits.max_url_bytes = config.max_url_bytes;
  w->limits.max_header_bytes = config.max_header_bytes;
  return w;
}

void replace_all(std::string* s, const std::string& from, const std::string& to) {
  for (size_t at = s->find(from); at != std::string::npos; at = s->find(from, at + to.size())) {
    s->replace(at, from.size(), to);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World* world = make_world();
  std::string bytes(reinterpret_cast<const char*>(data), size);
  replace_all(&bytes, "KEYA", world->analyst_key);
  replace_all(&bytes, "KEYR", world->region_key);

  scout::TransportRefusal refused;
  scout::HttpRequest request = scout::parse_http_request_bytes(bytes, world->limits, &refused);
  request.remote_addr = "127.0.0.1";
  scout::HttpResponse response = world->service->handle(request, refused);

  if (response.status < 200 || response.status > 599 || (response.status >= 500 && response.status != 503)) {
    std::fprintf(stderr, "status %d for %s %s: %s\n", response.status, request.method.c_str(),
                 request.target.c_str(), response.body.c_str());
    __builtin_trap();
  }
  if (response.headers.get("Content-Type") == "application/json" &&
      !nlohmann::json::accept(response.body)) {
    std::fprintf(stderr, "a JSON answer that does not parse: %s\n", response.body.c_str());
    __builtin_trap();
  }
  return 0;
}
