#include "server/export_service.h"

#include <openssl/crypto.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <fstream>
#include <thread>

#include "common/clock.h"
#include "export/api_json.h"
#include "export/export_job.h"
#include "http/byte_range.h"
#include "http/http_server.h"
#include "core/warehouse_url.h"
#include "scout/parquet/writer.h"
#include "scout/version.h"
#include "server/auth.h"
#include "server/data_dir.h"
#include "server/export_listing.h"
#include "server/http_errors.h"
#include "server/job_manager.h"
#include "server/metrics.h"
#include "server/openapi.h"
#include "server/request_body.h"
#include "server/router.h"
#include "source/source.h"
#include "state/state.h"
#include "storage/export_store.h"
#include "storage/signed_url.h"

namespace scout {
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

std::string iso_from_unix(int64_t secs) {
  return format_timestamp_micros(secs * 1'000'000).substr(0, 19) + ".000Z";
}

// Every JSON the service sends goes through here: bytes from the request that are not UTF-8
// (a path, a claim) are replaced, never a reason to throw.
void send_json(HttpResponse& res, int status, const json& body) {
  res.status = status;
  res.set_body(body.dump(2, ' ', false, json::error_handler_t::replace), "application/json");
}

void send_client_error(HttpResponse& res, int status, std::string_view code, std::string_view message) {
  res.status = status;
  res.set_body(http_error_json(code, message), "application/json");
}

void send_error(HttpResponse& res, const Status& st, const std::string& code = "") {
  send_client_error(res, http_status_for(st), error_code_for(st, code), st.message());
}

std::string content_type_for(const std::string& path) {
  auto ends = [&](const char* s) { return path.ends_with(s); };
  if (ends(".parquet")) return "application/vnd.apache.parquet";
  if (ends(".gz")) return "application/gzip";
  if (ends(".zst")) return "application/zstd";
  if (ends(".br")) return "application/x-brotli";
  if (ends(".lz4")) return "application/x-lz4";
  if (ends(".csv")) return "text/csv; charset=utf-8";
  if (ends(".json")) return "application/json";
  return "application/octet-stream";
}

// The bodies of POST /export and /estimate are JSON. A request that names another media
// type (curl's -d sends application/x-www-form-urlencoded) is refused rather than guessed at;
// one that names none is read as JSON.
bool is_json_media_type(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  if (media.empty() || iequals(media, "application/json")) return true;
  return media.size() > 5 && iequals(media.substr(media.size() - 5), "+json");
}

// Who asked, as the audit log names them: the region claim too, since it decides what they saw.
json who_fields(const Principal& who) {
  json out = {{"who", who.subject}, {"role", who.role}};
  out["region"] = who.region ? json(*who.region) : json();
  return out;
}

json with_fields(json event, const json& more) {
  for (const auto& [k, v] : more.items()) event[k] = v;
  return event;
}

}  // namespace

struct ExportService::Impl {
  ServerConfig config;
  Catalog catalog;
  ServiceState state;  // job records and queue, API keys, audit log
  AuditLog* audit = nullptr;  // state.audit
  std::unique_ptr<Authenticator> authenticator;
  std::unique_ptr<UrlSigner> signer;
  Metrics metrics;
  std::unique_ptr<JobManager> jobs;
  Router router;
  std::span<const WebConsoleFile> console;
  std::unique_ptr<HttpServer> http;
  std::mutex lifecycle;  // run() and stop() may race (a signal during start-up)
  std::thread sweeper;
  std::atomic<bool> stopping{false};

  std::unique_ptr<ExportStore> store;  // where exports' files go (storage/export_store.h)
  // A bucket's origin, where signed URLs point and the console fetches files from; empty for
  // the local store, whose links are the service's own (public_base()).
  std::string bucket_origin;

  // /health needs no credential, so anyone may call it at any rate: the warehouse and the
  // storage are each asked at most once per kHealthCacheSeconds, by one caller while the others
  // wait for its answer.
  static constexpr int kHealthCacheSeconds = 2;
  struct CachedCheck {
    std::mutex mutex;
    std::chrono::steady_clock::time_point checked{};
    Status status = Status::Unavailable("not checked yet");

    Status get(const std::function<Status()>& check) {
      std::lock_guard lock(mutex);
      auto now = std::chrono::steady_clock::now();
      if (checked.time_since_epoch().count() == 0 ||
          now - checked > std::chrono::seconds(kHealthCacheSeconds)) {
        status = check();
        checked = std::chrono::steady_clock::now();
        // The reason is for the operator's log; /health, open to anyone, says only "unreachable".
        if (!status.ok()) std::fprintf(stderr, "health: %s\n", status.message().c_str());
      }
      return status;
    }
  };
  CachedCheck warehouse_check, state_check, storage_check;

  Status warehouse_health() {
    return warehouse_check.get([this] { return open_source(config.warehouse).status(); });
  }
  Status state_health() {
    return state_check.get([this] { return jobs->state_health(); });
  }
  Status storage_health() {
    return storage_check.get([this] { return store->check_reachable(); });
  }

  ~Impl() {
    if (sweeper.joinable()) sweeper.join();
  }

  std::string public_base() const {
    if (!config.public_url.empty()) return config.public_url;
    return "http://" + config.host + ":" + std::to_string(http ? http->port() : config.port);
  }

  std::optional<Principal> authenticate(const HttpRequest& req, HttpResponse& res) {
    auto who = authenticator->authenticate(req.headers.get("Authorization"), now_unix());
    if (who.ok()) return *who;
    // The key store could not answer (its database is away): that is no verdict on the key.
    if (who.status().code() == StatusCode::kUnavailable) {
      send_error(res, who.status());
      return std::nullopt;
    }
    audit->record({{"event", "auth_refused"},
                   {"path", req.path},
                   {"remote_addr", req.remote_addr},
                   {"reason", who.status().message()}});
    send_error(res, who.status(), "unauthorized");
    return std::nullopt;
  }

  // The service's own /download link of a local folder's file.
  std::string service_download_url(const std::string& key, int64_t expires_at) const {
    return public_base() + "/download/" + url_encode_path(key) + "?" + signer->sign(key, expires_at);
  }

  // A file's link from the store: the service's /download, or the bucket's presigned GET.
  std::string signed_url(const std::string& key, int64_t expires_at) const {
    auto url = store->download_url(key, expires_at);
    if (url.ok()) return *url;
    std::fprintf(stderr, "storage: no download URL for '%s': %s\n", key.c_str(),
                 url.status().message().c_str());
    return "";
  }

  // The links of an export's files, valid for the configured time from now.
  ExportLinks links_for(const std::string& export_id) const {
    int64_t expires_at = now_unix() + config.url_ttl_seconds;
    return {export_id,
            [this, expires_at](const std::string& key) { return signed_url(key, expires_at); },
            iso_from_unix(expires_at)};
  }

  // The job, when it exists and `who` may see it: whoever asked for it, or an admin whose
  // claims carry no region (another caller's files hold rows of every region); else a 404
  // that does not tell the two cases apart. A job store that cannot answer is a 503.
  std::optional<JobRecord> visible_job(const Principal& who, const std::string& id,
                                       HttpResponse& res) const {
    auto job = jobs->find(id);
    if (!job.ok()) {
      send_error(res, job.status());
      return std::nullopt;
    }
    bool sees_all = who.role == catalog.access_policy().admin_role && !who.region;
    if (*job && (sees_all || who.subject == (*job)->requested_by)) return **job;
    send_error(res, Status::NotFound("no export with id '" + id + "'"), "not_found");
    return std::nullopt;
  }

  // POST bodies: JSON only (see is_json_media_type); false after answering 415.
  bool require_json_body(const HttpRequest& req, HttpResponse& res, const Principal& who) {
    std::string_view type = req.headers.get("Content-Type");
    if (is_json_media_type(type)) return true;
    std::string message = "Content-Type '" + std::string(type) +
                          "' is not accepted; send the body as application/json";
    audit->record(with_fields({{"event", "request_refused"}, {"path", req.path}, {"status", 415},
                               {"reason", message}}, who_fields(who)));
    send_client_error(res, 415, "unsupported_media_type", message);
    return false;
  }

  struct PlannedRequest {
    Principal who;
    bool async = false;
    ExportPlan plan;
    nlohmann::json request_json;
  };
  std::optional<PlannedRequest> plan_request(const HttpRequest& req, HttpResponse& res,
                                             const char* refused_event);
  HttpResponse handle(HttpRequest& req, const TransportRefusal& refused);
  HttpResponse refuse_transport(const HttpRequest& req, const TransportRefusal& refused);
  void register_routes();
  void handle_export(const HttpRequest& req, HttpResponse& res);
  void handle_estimate(const HttpRequest& req, HttpResponse& res);
  void handle_download(const HttpRequest& req, HttpResponse& res, const std::string& key);
  void handle_metrics(const HttpRequest& req, HttpResponse& res);
  void handle_list_exports(const HttpRequest& req, HttpResponse& res);
  void register_console_routes();
  void log_request(const HttpRequest& req, const HttpResponse& res, uint64_t sent);
};

// What POST /export and POST /estimate share: the caller, their body and its plan, each
// refusal answered and written to the audit log as `refused_event`, naming the caller.
std::optional<ExportService::Impl::PlannedRequest> ExportService::Impl::plan_request(
    const HttpRequest& req, HttpResponse& res, const char* refused_event) {
  auto who = authenticate(req, res);
  if (!who) return std::nullopt;
  if (!require_json_body(req, res, *who)) return std::nullopt;
  auto refuse = [&](const Status& st, const std::string& code, json detail) {
    audit->record(with_fields(with_fields({{"event", refused_event}}, who_fields(*who)),
                              with_fields(std::move(detail), {{"status", http_status_for(st)},
                                                              {"reason", st.message()}})));
    send_error(res, st, code);
    return std::nullopt;
  };
  auto body = parse_export_body(req.body);
  if (!body.ok()) return refuse(body.status(), "invalid_request", json::object());
  // Kept as sent, for the job record and the audit log; it parsed just above.
  nlohmann::json request_json = nlohmann::json::parse(req.body, nullptr, false);
  auto plan = plan_export(catalog, body->request);
  if (!plan.ok()) return refuse(plan.status(), "", {{"request", json(request_json)}});
  Status allowed = authorize_dataset(*who, *plan->dataset, catalog.access_policy());
  if (!allowed.ok()) return refuse(allowed, "forbidden", {{"dataset", plan->dataset->name}});
  return PlannedRequest{std::move(*who), body->async, std::move(*plan), std::move(request_json)};
}

void ExportService::Impl::handle_export(const HttpRequest& req, HttpResponse& res) {
  auto planned = plan_request(req, res, "export_refused");
  if (!planned) return;
  const Principal& who = planned->who;
  std::string dataset = planned->plan.dataset->name;
  auto job = jobs->submit(planned->request_json, who);
  if (!job.ok()) {
    res.headers.set("Retry-After", "5");
    audit->record(with_fields(with_fields({{"event", "export_refused"}}, who_fields(who)),
                              {{"dataset", dataset}, {"status", http_status_for(job.status())},
                               {"reason", job.status().message()}}));
    return send_error(res, job.status());
  }
  const std::string id = job->id;
  audit->record(with_fields({{"event", "export_requested"}, {"export_id", id}},
                            with_fields(who_fields(who), {{"request", planned->request_json}})));
  auto accepted = [&] {
    send_json(res, 202, {{"export_id", id}, {"status", "queued"},
                         {"status_url", public_base() + "/exports/" + id}});
  };
  if (planned->async) return accepted();
  auto finished = jobs->wait(id, config.sync_wait_seconds * 1000);
  if (!finished.ok()) return send_error(res, finished.status());
  if (!*finished) return send_error(res, Status::NotFound("export '" + id + "' was deleted"));
  if (!is_finished((*finished)->status)) return accepted();
  if ((*finished)->status == JobStatus::kSucceeded && (*finished)->result) {
    return send_json(res, 200, export_response_json(*(*finished)->result, links_for(id)));
  }
  send_error(res, (*finished)->error);
}

void ExportService::Impl::handle_estimate(const HttpRequest& req, HttpResponse& res) {
  auto planned = plan_request(req, res, "estimate_refused");
  if (!planned) return;
  const ExportPlan& plan = planned->plan;
  auto source = open_source(config.warehouse);
  if (!source.ok()) return send_error(res, source.status());
  auto rows = (*source)->estimate_rows(source_query_for(plan, caller_for(planned->who, *plan.policy)));
  if (!rows.ok()) return send_error(res, rows.status());
  int64_t bytes = estimate_export_bytes(plan, *rows);
  send_json(res, 200, {{"dataset", plan.dataset->name},
                       {"format", export_format_name(plan.format.format)},
                       {"compression", compression_name(plan.format.format, plan.format.codec)},
                       {"estimated_rows", *rows},
                       {"estimated_bytes", bytes}});
}

void ExportService::Impl::handle_download(const HttpRequest& req, HttpResponse& res,
                                          const std::string& key) {
  auto refuse = [&](const Status& st) {
    audit->record({{"event", "download_refused"}, {"key", key}, {"remote_addr", req.remote_addr},
                   {"reason", st.message()}});
    send_error(res, st, "invalid_signature");
  };
  if (!is_safe_object_key(key)) {
    return refuse(Status(StatusCode::kPermissionDenied, "download path is not a stored file"));
  }
  Status valid = signer->verify(key, req.query_param("expires"), req.query_param("signature"),
                                now_unix());
  if (!valid.ok()) return refuse(valid);
  auto local = store->local_file(key);
  fs::path file = local.ok() ? fs::path(*local) : fs::path();
  struct stat st {};
  if (!local.ok() || ::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return send_error(res, Status::NotFound("the file of this link no longer exists"), "not_found");
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);
  std::string etag = "\"" + std::to_string(size) + "-" + std::to_string(st.st_mtime) + "\"";
  res.headers.set("ETag", etag);
  res.headers.set("Cache-Control", "private, max-age=3600");
  res.headers.set("Accept-Ranges", "bytes");
  res.headers.set("Content-Disposition", "attachment; filename=\"" + file.filename().string() + "\"");
  json event = {{"event", "download"}, {"key", key}, {"remote_addr", req.remote_addr}};
  std::string_view range_header = req.headers.get("Range");
  if (!range_header.empty()) event["range"] = std::string(range_header);
  if (req.headers.get("If-None-Match") == etag) {
    res.status = 304;
    audit->record(with_fields(std::move(event), {{"status", 304}, {"bytes", 0}}));
    return;
  }
  // If-Range (RFC 9110 §13.1.5): a range of another version of the file is no range of this one.
  std::string_view if_range = req.headers.get("If-Range");
  // RFC 9110 §14.2: Range is for GET alone; a HEAD describes the whole file.
  bool head = req.method == "HEAD";
  bool range_applies = !head && (if_range.empty() || if_range == etag);
  RangeDecision range = decide_range(range_applies ? range_header : "", size);
  if (range.kind == RangeDecision::Kind::kUnsatisfiable) {
    res.headers.set("Content-Range", "bytes */" + std::to_string(size));
    audit->record(with_fields(std::move(event), {{"status", 416}, {"bytes", 0}}));
    return send_client_error(res, 416, "range_not_satisfiable",
                             "Range '" + std::string(range_header) + "' is outside the file of " +
                                 std::to_string(size) + " bytes");
  }
  FileBody body{file.string(), 0, size};
  res.status = 200;
  if (range.kind == RangeDecision::Kind::kPartial) {
    body.offset = range.offset;
    body.length = range.length;
    res.status = 206;
    res.headers.set("Content-Range", "bytes " + std::to_string(range.offset) + "-" +
                                         std::to_string(range.offset + range.length - 1) + "/" +
                                         std::to_string(size));
  }
  res.headers.set("Content-Type", content_type_for(key));
  res.file = std::move(body);
  audit->record(with_fields(std::move(event), {{"status", res.status}, {"bytes", head ? 0 : res.file->length}}));
  if (!head) metrics.count_download(static_cast<int64_t>(res.file->length));
}

void ExportService::Impl::handle_metrics(const HttpRequest& req, HttpResponse& res) {
  if (!config.metrics_token.empty()) {
    std::string_view token = bearer_credentials(req.headers.get("Authorization")).value_or("");
    if (token.size() != config.metrics_token.size() ||
        CRYPTO_memcmp(token.data(), config.metrics_token.data(), token.size()) != 0) {
      res.headers.set("WWW-Authenticate", "Bearer");
      return send_client_error(res, 401, "unauthorized",
                               "GET /metrics needs 'Authorization: Bearer <metrics_token>'");
    }
  }
  res.set_body(metrics.render(), "text/plain; version=0.0.4");
}

// GET /exports lists the caller's own exports, an admin's too: it is "your exports", the
// console's list. An admin still reads another caller's export by its id (GET /exports/{id}).
void ExportService::Impl::handle_list_exports(const HttpRequest& req, HttpResponse& res) {
  auto who = authenticate(req, res);
  if (!who) return;
  auto query = parse_export_page_query(req.query_param("limit"), req.query_param("cursor"));
  if (!query.ok()) return send_error(res, query.status(), "invalid_request");
  auto page = jobs->list_for_requester(who->subject, query->limit, query->after);
  if (!page.ok()) return send_error(res, page.status());
  std::optional<std::string> next_cursor;
  if (page->more) next_cursor = export_cursor({page->jobs.back().created_at, page->jobs.back().id});
  send_json(res, 200, export_list_json(page->jobs, [this](const std::string& id) { return links_for(id); },
                                       next_cursor));
}

// The console's files, each at its literal path. The page is never cached, so a new binary's
// assets are picked up; no file may be framed or sniffed as another type.
void ExportService::Impl::register_console_routes() {
  for (const WebConsoleFile& file : console) {
    router.add("GET", std::string(file.path),
               [this, &file](const HttpRequest&, const RouteParams&, HttpResponse& res) {
                 res.set_body(std::string(file.body), std::string(file.content_type));
                 // Signed URLs point at public_base(), which knows the bound port only once
                 // the server listens.
                 res.headers.set("Content-Security-Policy",
                                 web_console_csp(bucket_origin.empty() ? url_origin(public_base()) : bucket_origin));
                 res.headers.set("X-Content-Type-Options", "nosniff");
                 res.headers.set("Referrer-Policy", "no-referrer");
                 res.headers.set("Cache-Control", "no-cache");
               });
  }
}

void ExportService::Impl::register_routes() {
  register_console_routes();
  router.add("GET", "/exports", [this](const HttpRequest& req, const RouteParams&, HttpResponse& res) {
    handle_list_exports(req, res);
  });
  router.add("GET", "/health", [this](const HttpRequest&, const RouteParams&, HttpResponse& res) {
    Status warehouse = warehouse_health();
    Status state = state_health();
    Status storage = storage_health();
    const bool healthy = warehouse.ok() && state.ok() && storage.ok();
    json body = {{"status", healthy ? "healthy" : "degraded"},
                 {"parquet_support", true},
                 {"pyarrow_version", nullptr},
                 {"parquet_writer", parquet::default_created_by()},
                 {"version", SCOUT_VERSION},
                 {"available_datasets", catalog.datasets().size()},
                 {"warehouse", warehouse.ok() ? "reachable" : "unreachable"},
                 {"state", state.ok() ? "reachable" : "unreachable"},
                 {"storage", storage.ok() ? "reachable" : "unreachable"},
                 {"timestamp", iso_timestamp_now_millis()}};
    send_json(res, healthy ? 200 : 503, body);
  });
  router.add("GET", "/datasets", [this](const HttpRequest& req, const RouteParams&, HttpResponse& res) {
    if (!authenticate(req, res)) return;
    send_json(res, 200, datasets_json(dataset_infos(catalog)));
  });
  router.add("POST", "/export", [this](const HttpRequest& req, const RouteParams&, HttpResponse& res) {
    handle_export(req, res);
  });
  router.add("POST", "/estimate", [this](const HttpRequest& req, const RouteParams&, HttpResponse& res) {
    handle_estimate(req, res);
  });
  router.add("GET", "/exports/{id}", [this](const HttpRequest& req, const RouteParams& p, HttpResponse& res) {
    auto who = authenticate(req, res);
    if (!who) return;
    auto job = visible_job(*who, p.find("id")->second, res);
    if (!job) return;
    send_json(res, 200, job_status_json(*job, links_for(job->id)));
  });
  router.add("DELETE", "/exports/{id}", [this](const HttpRequest& req, const RouteParams& p, HttpResponse& res) {
    auto who = authenticate(req, res);
    if (!who) return;
    auto job = visible_job(*who, p.find("id")->second, res);
    if (!job) return;
    const std::string id = job->id;
    auto cancelled = jobs->cancel_or_delete(id);
    if (!cancelled.ok()) return send_error(res, cancelled.status());
    if (!*cancelled) return send_error(res, Status::NotFound("no export with id '" + id + "'"), "not_found");
    const JobStatus before = **cancelled;
    audit->record(with_fields({{"event", is_finished(before) ? "export_deleted" : "export_cancelled"},
                               {"export_id", id}}, who_fields(*who)));
    send_json(res, 200, {{"export_id", id},
                         {"status", before == JobStatus::kRunning  ? "cancelling"
                                    : before == JobStatus::kQueued ? "cancelled"
                                                                   : "deleted"}});
  });
  router.add("GET", "/download/{key...}", [this](const HttpRequest& req, const RouteParams& p, HttpResponse& res) {
    handle_download(req, res, p.find("key")->second);
  });
  router.add("GET", "/metrics", [this](const HttpRequest& req, const RouteParams&, HttpResponse& res) {
    handle_metrics(req, res);
  });
  router.add("GET", "/openapi.json", [this](const HttpRequest&, const RouteParams&, HttpResponse& res) {
    send_json(res, 200, openapi_document(config.api_prefix));
  });
}

// A request the server could not read whole (its body was too large): the header is known,
// so an authenticated caller is named in the audit log before the refusal is sent.
HttpResponse ExportService::Impl::refuse_transport(const HttpRequest& req, const TransportRefusal& refused) {
  HttpResponse res;
  send_client_error(res, refused.status, refused.code, refused.message);
  res.close_connection = true;
  auto who = authenticator->authenticate(req.headers.get("Authorization"), now_unix());
  if (who.ok()) {
    audit->record(with_fields({{"event", "request_refused"}, {"path", req.path}, {"status", refused.status},
                               {"reason", refused.message}}, who_fields(*who)));
  }
  return res;
}

HttpResponse ExportService::Impl::handle(HttpRequest& req, const TransportRefusal& refused) {
  if (refused.status != 0) return refuse_transport(req, refused);
  HttpResponse res;
  auto route = router.resolve(req.method, req.path, config.api_prefix);
  res.route = route.route;
  if (!route.handler) {
    if (!route.allow.empty()) {
      res.headers.set("Allow", route.allow);
      send_client_error(res, 405, "method_not_allowed",
                        "method " + req.method + " is not allowed on " + route.route + "; use " + route.allow);
    } else {
      send_error(res, Status::NotFound("no route " + req.method + " " + req.path), "not_found");
    }
    return res;
  }
  try {
    (*route.handler)(req, route.params, res);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s %s: internal error: %s\n", req.method.c_str(), route.route.c_str(), e.what());
    HttpResponse failed;
    failed.route = route.route;
    send_error(failed, Status::Internal("internal error"));
    return failed;
  }
  return res;
}

void ExportService::Impl::log_request(const HttpRequest& req, const HttpResponse& res, uint64_t sent) {
  metrics.count_request(res.route, res.status);
  // ensure_ascii: a log line is one line of ASCII whatever bytes the request held. The query is
  // left out: a download's holds its signature, which is as good as a password for an hour.
  std::string_view path = std::string_view(req.target).substr(0, req.target.find('?'));
  json line = {{"time", iso_timestamp_now_millis()}, {"method", req.method}, {"path", path},
               {"route", res.route}, {"status", res.status}, {"bytes", sent},
               {"remote_addr", req.remote_addr}};
  std::fprintf(stderr, "%s\n", line.dump(-1, ' ', true, json::error_handler_t::replace).c_str());
}

ExportService::ExportService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ExportService::~ExportService() { stop(); }

Result<std::unique_ptr<ExportService>> ExportService::create(ServerConfig config,
                                                            std::span<const WebConsoleFile> console) {
  auto impl = std::make_unique<Impl>();
  impl->console = console;
  SCOUT_RETURN_IF_ERROR(create_private_dir(config.data_dir));
  if (config.warehouse.empty()) config.warehouse = embedded_warehouse_url(config.data_dir);

  if (config.catalog.empty()) {
    impl->catalog = Catalog::builtin();
  } else {
    SCOUT_ASSIGN_OR_RETURN(impl->catalog, Catalog::load(config.catalog));
  }
  SCOUT_ASSIGN_OR_RETURN(impl->state, open_service_state(config.state_url, config.data_dir));
  impl->audit = impl->state.audit.get();
  impl->authenticator = std::make_unique<Authenticator>(impl->state.keys.get(), config.jwt_secret,
                                                        impl->catalog.access_policy());

  if (config.signing_secret.empty()) {
    // Kept in the data dir so signed URLs survive a restart.
    std::string path = config.data_dir + "/signing.key";
    std::ifstream in(path);
    std::getline(in, config.signing_secret);
    if (config.signing_secret.size() < 32) {
      // Created 0600 from the first byte, and a failed write is an error: a key that is not
      // kept would void every link at the next start.
      config.signing_secret = random_token_hex(32);
      std::string line = config.signing_secret + "\n";
      int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
      bool written = fd >= 0 && ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
      if (fd >= 0 && ::close(fd) != 0) written = false;
      if (!written) return Status::IOError("cannot write the signing key '" + path + "'");
    }
  }
  impl->signer = std::make_unique<UrlSigner>(config.signing_secret);
  Impl* raw = impl.get();
  if (config.storage.empty()) {
    SCOUT_ASSIGN_OR_RETURN(impl->store,
                           open_export_store(config.data_dir + "/exports",
                                             [raw](const std::string& key, int64_t expires_at) {
                                               return raw->service_download_url(key, expires_at);
                                             }));
  } else {
    if (!is_s3_location(config.storage)) {
      return Status::Invalid("storage '" + config.storage +
                             "' is not s3://BUCKET[/PREFIX] (leave it empty for the data dir)");
    }
    if (config.url_ttl_seconds > 7 * 24 * 3600) {
      return Status::Invalid("url_ttl_seconds " + std::to_string(config.url_ttl_seconds) +
                             " is longer than S3's presigned URLs live (604800 seconds, 7 days)");
    }
    SCOUT_ASSIGN_OR_RETURN(impl->store, open_export_store(config.storage, {}, config.url_ttl_seconds));
    // A missing bucket or refused credentials stop the start, said plainly, rather than
    // failing every export later.
    Status reachable = impl->store->check_reachable();
    if (!reachable.ok()) {
      return Status(reachable.code(), "storage " + config.storage + ": " + reachable.message());
    }
    SCOUT_ASSIGN_OR_RETURN(std::string sample, impl->store->download_url("manifest.json", now_unix() + 60));
    impl->bucket_origin = url_origin(sample);
  }

  JobManagerOptions jo;
  jo.data_dir = config.data_dir;
  jo.store = impl->store.get();
  jo.warehouse_url = config.warehouse;
  jo.workers = config.workers;
  jo.max_queue = config.max_queue;
  jo.retention_seconds = config.retention_seconds;
  jo.lease_seconds = config.job_lease_seconds;
  jo.export_threads = config.export_threads;
  impl->jobs = std::make_unique<JobManager>(jo, &impl->catalog, impl->state.jobs.get(), &impl->metrics,
                                            [raw](const JobRecord& rec, const JobRequester& who) {
    nlohmann::ordered_json event = {{"event", "export_finished"},
                                    {"export_id", rec.id},
                                    {"who", who.subject},
                                    {"role", who.role},
                                    {"outcome", job_status_name(rec.status)}};
    if (rec.status == JobStatus::kSucceeded && rec.result) {
      event["rows"] = rec.result->row_count;
      event["bytes"] = rec.result->total_bytes;
    } else {
      event["error"] = rec.error.message();
    }
    raw->audit->record(std::move(event));
  });
  SCOUT_RETURN_IF_ERROR(impl->jobs->start());
  impl->config = std::move(config);
  impl->register_routes();
  HttpLimits limits;
  limits.max_body_bytes = impl->config.max_body_bytes;
  limits.max_url_bytes = impl->config.max_url_bytes;
  limits.max_header_bytes = impl->config.max_header_bytes;
  limits.header_timeout_seconds = impl->config.header_timeout_seconds;
  limits.body_timeout_seconds = impl->config.body_timeout_seconds;
  limits.idle_timeout_seconds = impl->config.idle_timeout_seconds;
  limits.max_connections = impl->config.max_connections;
  impl->http = std::make_unique<HttpServer>(
      limits, impl->config.http_threads,
      [raw](HttpRequest& req, const TransportRefusal& refused) { return raw->handle(req, refused); },
      [raw](const HttpRequest& req, const HttpResponse& res, uint64_t sent) { raw->log_request(req, res, sent); });
  return std::unique_ptr<ExportService>(new ExportService(std::move(impl)));
}

HttpResponse ExportService::handle(HttpRequest& request, const TransportRefusal& refused) {
  return impl_->handle(request, refused);
}

Status ExportService::run() {
  Impl& s = *impl_;
  {
    std::lock_guard lock(s.lifecycle);
    if (s.stopping) return Status::OK();
    SCOUT_RETURN_IF_ERROR(s.http->bind(s.config.host, s.config.port));
    s.sweeper = std::thread([&s] {
      while (!s.stopping) {
        for (int i = 0; i < 60 && !s.stopping; ++i) std::this_thread::sleep_for(std::chrono::seconds(1));
        s.jobs->sweep_expired();
      }
    });
  }
  return s.http->run();
}

void ExportService::stop() {
  Impl& s = *impl_;
  std::lock_guard lock(s.lifecycle);
  if (s.stopping.exchange(true)) return;
  s.http->stop();
  s.jobs->stop();
  if (s.sweeper.joinable()) s.sweeper.join();
}

int ExportService::port() const { return impl_->http->port(); }
bool ExportService::listening() const { return impl_->http->running(); }

}  // namespace scout
