#include "server/export_service.h"

#include <httplib.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "export/export_job.h"
#include "scout/parquet/writer.h"
#include "scout/version.h"
#include "server/api_keys.h"
#include "server/audit_log.h"
#include "server/auth.h"
#include "server/data_dir.h"
#include "server/http_errors.h"
#include "server/job_manager.h"
#include "server/metrics.h"
#include "server/openapi.h"
#include "server/request_body.h"
#include "source/source.h"
#include "storage/signed_url.h"

namespace scout {
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

int64_t now_unix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string iso_from_unix(int64_t secs) {
  return format_timestamp_micros(secs * 1'000'000).substr(0, 19) + ".000Z";
}

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(2), "application/json");
}

void send_error(httplib::Response& res, const Status& st, const std::string& code = "") {
  send_json(res, http_status_for(st), error_body(st, code));
}

std::string content_type_for(const std::string& path) {
  auto ends = [&](const char* s) { return path.size() >= strlen(s) && path.ends_with(s); };
  if (ends(".parquet")) return "application/vnd.apache.parquet";
  if (ends(".gz")) return "application/gzip";
  if (ends(".zst")) return "application/zstd";
  if (ends(".br")) return "application/x-brotli";
  if (ends(".lz4")) return "application/x-lz4";
  if (ends(".csv")) return "text/csv; charset=utf-8";
  if (ends(".json")) return "application/json";
  return "application/octet-stream";
}

// The route label for metrics: the first path segment below the prefix.
std::string route_label(const std::string& path, const std::string& prefix) {
  std::string p = path;
  if (!prefix.empty() && p.rfind(prefix, 0) == 0) p = p.substr(prefix.size());
  size_t second = p.find('/', 1);
  return second == std::string::npos ? p : p.substr(0, second);
}

}  // namespace

struct ExportService::Impl {
  ServerConfig config;
  Catalog catalog;
  std::unique_ptr<ApiKeyStore> keys;
  std::unique_ptr<Authenticator> authenticator;
  std::unique_ptr<UrlSigner> signer;
  std::unique_ptr<AuditLog> audit;
  Metrics metrics;
  std::unique_ptr<JobManager> jobs;
  httplib::Server http;
  std::thread sweeper;
  std::atomic<bool> stopping{false};
  std::atomic<int> bound_port{0};

  std::string public_base() const {
    if (!config.public_url.empty()) return config.public_url;
    return "http://" + config.host + ":" + std::to_string(bound_port.load());
  }

  std::optional<Principal> authenticate(const httplib::Request& req, httplib::Response& res) {
    auto who = authenticator->authenticate(req.get_header_value("Authorization"), now_unix());
    if (who.ok()) return *who;
    audit->record({{"event", "auth_refused"},
                   {"path", req.path},
                   {"remote_addr", req.remote_addr},
                   {"reason", who.status().message()}});
    send_error(res, who.status(), "unauthorized");
    return std::nullopt;
  }

  std::string signed_url(const std::string& key, int64_t expires_at) const {
    return public_base() + "/download/" + url_encode_path(key) + "?" + signer->sign(key, expires_at);
  }

  // The guide's response plus what a user needs beyond it: signed URLs for every file.
  json export_response(const std::string& export_id, const json& result) const {
    int64_t expires_at = now_unix() + config.url_ttl_seconds;
    json out;
    out["export_id"] = export_id;
    json files = json::array();
    for (const auto& f : result["files"]) {
      json entry = f;
      std::string key = export_id + "/" + f["path"].get<std::string>();
      entry["file_path"] = key;
      entry["signed_url"] = signed_url(key, expires_at);
      files.push_back(std::move(entry));
    }
    bool single = files.size() == 1;
    out["file_path"] = single ? files[0]["file_path"].get<std::string>()
                              : export_id + "/manifest.json";
    out["file_size"] = result["file_size"];
    out["row_count"] = result["row_count"];
    out["schema"] = result["schema"];
    out["compression"] = result["compression"];
    out["parquet_version"] = result.value("parquet_version", json());
    out["created_at"] = result["created_at"];
    out["signed_url"] = single ? files[0]["signed_url"].get<std::string>()
                               : signed_url(export_id + "/manifest.json", expires_at);
    out["format"] = result["format"];
    out["dataset"] = result["dataset"];
    out["partition_by"] = result["partition_by"];
    out["files"] = std::move(files);
    out["manifest_url"] = signed_url(export_id + "/manifest.json", expires_at);
    out["expires_at"] = iso_from_unix(expires_at);
    out["duration_ms"] = result["duration_ms"];
    return out;
  }

  // The job, when it exists and `who` may see it (admins, or whoever asked for it); else a
  // 404 that does not tell the two cases apart.
  std::shared_ptr<ExportJob> visible_job(const Principal& who, const std::string& id,
                                         httplib::Response& res) const {
    auto job = jobs->find(id);
    if (job && (who.role == "admin" || who.subject == job->principal.subject)) return job;
    send_error(res, Status::NotFound("no export with id '" + id + "'"), "not_found");
    return nullptr;
  }

  void register_routes(const std::string& base);
  void handle_export(const httplib::Request& req, httplib::Response& res);
  void handle_estimate(const httplib::Request& req, httplib::Response& res);
  void handle_download(const httplib::Request& req, httplib::Response& res, const std::string& key);
};

void ExportService::Impl::handle_export(const httplib::Request& req, httplib::Response& res) {
  auto who = authenticate(req, res);
  if (!who) return;
  auto body = parse_export_body(req.body);
  if (!body.ok()) return send_error(res, body.status(), "invalid_request");
  auto plan = plan_export(catalog, body->request);
  if (!plan.ok()) {
    audit->record({{"event", "export_refused"}, {"who", who->subject}, {"role", who->role},
                   {"request", json::parse(req.body, nullptr, false)}, {"reason", plan.status().message()}});
    return send_error(res, plan.status());
  }
  Status allowed = authorize_dataset(*who, *plan->dataset);
  if (!allowed.ok()) {
    audit->record({{"event", "export_refused"}, {"who", who->subject}, {"role", who->role},
                   {"dataset", plan->dataset->name}, {"reason", allowed.message()}});
    return send_error(res, allowed, "forbidden");
  }
  auto job = jobs->submit(std::move(*plan), nlohmann::json::parse(req.body), *who);
  if (!job.ok()) {
    res.set_header("Retry-After", "5");
    return send_error(res, job.status());
  }
  audit->record({{"event", "export_requested"}, {"export_id", (*job)->id}, {"who", who->subject},
                 {"role", who->role}, {"request", (*job)->request_json}});
  auto accepted = [&] {
    send_json(res, 202, {{"export_id", (*job)->id}, {"status", "queued"},
                         {"status_url", public_base() + "/exports/" + (*job)->id}});
  };
  if (body->async) return accepted();
  if (!jobs->wait(*job, config.sync_wait_seconds * 1000)) return accepted();
  json described = jobs->describe(**job);
  if (described["status"] == "succeeded") {
    return send_json(res, 200, export_response((*job)->id, described["result"]));
  }
  send_error(res, (*job)->error);
}

void ExportService::Impl::handle_estimate(const httplib::Request& req, httplib::Response& res) {
  auto who = authenticate(req, res);
  if (!who) return;
  auto body = parse_export_body(req.body);
  if (!body.ok()) return send_error(res, body.status(), "invalid_request");
  auto plan = plan_export(catalog, body->request);
  if (!plan.ok()) return send_error(res, plan.status());
  Status allowed = authorize_dataset(*who, *plan->dataset);
  if (!allowed.ok()) return send_error(res, allowed, "forbidden");
  auto source = open_source(config.warehouse);
  if (!source.ok()) return send_error(res, source.status());
  auto rows = (*source)->estimate_rows(source_query_for(*plan, caller_for(*who)));
  if (!rows.ok()) return send_error(res, rows.status());
  int64_t bytes = estimate_export_bytes(*plan, *rows);
  send_json(res, 200, {{"dataset", plan->dataset->name},
                       {"format", export_format_name(plan->format.format)},
                       {"compression", plan->format.compression},
                       {"estimated_rows", *rows},
                       {"estimated_bytes", bytes}});
}

void ExportService::Impl::handle_download(const httplib::Request& req, httplib::Response& res,
                                          const std::string& key) {
  auto refuse = [&](const Status& st) {
    audit->record({{"event", "download_refused"}, {"key", key}, {"remote_addr", req.remote_addr},
                   {"reason", st.message()}});
    send_error(res, st, "invalid_signature");
  };
  if (!is_safe_object_key(key)) {
    return refuse(Status(StatusCode::kPermissionDenied, "download path is not a stored file"));
  }
  Status valid = signer->verify(key, req.get_param_value("expires"),
                                req.get_param_value("signature"), now_unix());
  if (!valid.ok()) return refuse(valid);
  fs::path root = fs::weakly_canonical(fs::path(config.data_dir) / "exports");
  fs::path file = fs::weakly_canonical(root / key);
  std::error_code ec;
  auto rel = fs::relative(file, root, ec);
  struct stat st {};
  if (ec || rel.empty() || rel.native().rfind("..", 0) == 0 || ::stat(file.c_str(), &st) != 0 ||
      !S_ISREG(st.st_mode)) {
    return send_error(res, Status::NotFound("the file of this link no longer exists"), "not_found");
  }
  std::string etag = "\"" + std::to_string(st.st_size) + "-" + std::to_string(st.st_mtime) + "\"";
  res.set_header("ETag", etag);
  res.set_header("Cache-Control", "private, max-age=3600");
  res.set_header("Accept-Ranges", "bytes");
  res.set_header("Content-Disposition",
                 "attachment; filename=\"" + file.filename().string() + "\"");
  if (req.get_header_value("If-None-Match") == etag) {
    res.status = 304;
    return;
  }
  audit->record({{"event", "download"}, {"key", key}, {"remote_addr", req.remote_addr},
                 {"bytes", static_cast<int64_t>(st.st_size)},
                 {"range", req.get_header_value("Range")}});
  metrics.count_download(st.st_size);
  auto stream = std::make_shared<std::ifstream>(file, std::ios::binary);
  res.set_content_provider(
      static_cast<size_t>(st.st_size), content_type_for(key),
      [stream](size_t offset, size_t length, httplib::DataSink& sink) {
        char buf[1 << 16];
        stream->seekg(static_cast<std::streamoff>(offset));
        size_t left = length;
        while (left > 0) {
          size_t n = std::min(left, sizeof buf);
          stream->read(buf, static_cast<std::streamsize>(n));
          std::streamsize got = stream->gcount();
          if (got <= 0) return false;
          if (!sink.write(buf, static_cast<size_t>(got))) return false;
          left -= static_cast<size_t>(got);
        }
        return true;
      });
}

void ExportService::Impl::register_routes(const std::string& base) {
  http.Get(base + "/health", [this](const httplib::Request&, httplib::Response& res) {
    auto source = open_source(config.warehouse);
    json body = {{"status", source.ok() ? "healthy" : "degraded"},
                 {"parquet_support", true},
                 {"pyarrow_version", nullptr},
                 {"parquet_writer", parquet::default_created_by()},
                 {"version", SCOUT_VERSION},
                 {"available_datasets", catalog.datasets().size()},
                 {"warehouse", source.ok() ? "reachable" : source.status().message()},
                 {"timestamp", iso_timestamp_now_millis()}};
    send_json(res, source.ok() ? 200 : 503, body);
  });
  http.Get(base + "/datasets", [this](const httplib::Request& req, httplib::Response& res) {
    if (!authenticate(req, res)) return;
    json list = json::array();
    for (const DatasetSpec& d : catalog.datasets()) {
      list.push_back({{"name", d.name},
                      {"table", d.table},
                      {"layer", d.layer},
                      {"description", d.description},
                      {"partition_column", d.partition_column},
                      {"date_column", d.date_column},
                      {"schema", schema_to_json(d.schema)},
                      {"columns", d.schema.size()}});
    }
    send_json(res, 200, {{"datasets", list}});
  });
  http.Post(base + "/export",
            [this](const httplib::Request& req, httplib::Response& res) { handle_export(req, res); });
  http.Post(base + "/estimate",
            [this](const httplib::Request& req, httplib::Response& res) { handle_estimate(req, res); });
  http.Get(base + R"(/exports/([0-9a-f-]{36}))",
           [this](const httplib::Request& req, httplib::Response& res) {
             auto who = authenticate(req, res);
             if (!who) return;
             auto job = visible_job(*who, req.matches[1], res);
             if (!job) return;
             json body = jobs->describe(*job);
             if (body["status"] == "succeeded") body["result"] = export_response(job->id, body["result"]);
             send_json(res, 200, body);
           });
  http.Delete(base + R"(/exports/([0-9a-f-]{36}))",
              [this](const httplib::Request& req, httplib::Response& res) {
                auto who = authenticate(req, res);
                if (!who) return;
                auto job = visible_job(*who, req.matches[1], res);
                if (!job) return;
                std::string before = jobs->describe(*job)["status"];
                Status st = jobs->cancel_or_delete(job->id);
                if (!st.ok()) return send_error(res, st);
                audit->record({{"event", before == "running" || before == "queued" ? "export_cancelled" : "export_deleted"},
                               {"export_id", job->id}, {"who", who->subject}});
                send_json(res, 200, {{"export_id", job->id},
                                     {"status", before == "running" ? "cancelling"
                                                : before == "queued" ? "cancelled" : "deleted"}});
              });
  http.Get(base + "/download/(.+)", [this](const httplib::Request& req, httplib::Response& res) {
    handle_download(req, res, req.matches[1]);
  });
  http.Get(base + "/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics.render(), "text/plain; version=0.0.4");
  });
  http.Get(base + "/openapi.json", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(openapi_document(config.api_prefix).dump(2), "application/json");
  });
}

ExportService::ExportService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ExportService::~ExportService() { stop(); }

Result<std::unique_ptr<ExportService>> ExportService::create(ServerConfig config) {
  auto impl = std::make_unique<Impl>();
  std::error_code ec;
  SCOUT_RETURN_IF_ERROR(create_private_dir(config.data_dir));
  if (config.warehouse.empty()) config.warehouse = "sqlite:" + config.data_dir + "/warehouse.db";

  if (config.catalog.empty()) {
    impl->catalog = Catalog::builtin();
  } else {
    SCOUT_ASSIGN_OR_RETURN(impl->catalog, Catalog::load(config.catalog));
  }
  SCOUT_ASSIGN_OR_RETURN(auto keys, ApiKeyStore::open(config.data_dir + "/keys.json"));
  impl->keys = std::make_unique<ApiKeyStore>(std::move(keys));
  impl->authenticator = std::make_unique<Authenticator>(impl->keys.get(), config.jwt_secret);

  if (config.signing_secret.empty()) {
    // Kept in the data dir so signed URLs survive a restart.
    std::string path = config.data_dir + "/signing.key";
    std::ifstream in(path);
    std::getline(in, config.signing_secret);
    if (config.signing_secret.size() < 32) {
      config.signing_secret = random_token_hex(32);
      std::ofstream out(path, std::ios::trunc);
      out << config.signing_secret << "\n";
      fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, ec);
    }
  }
  impl->signer = std::make_unique<UrlSigner>(config.signing_secret);
  SCOUT_ASSIGN_OR_RETURN(impl->audit, AuditLog::open(config.data_dir + "/audit.log"));

  JobManagerOptions jo;
  jo.data_dir = config.data_dir;
  jo.warehouse_url = config.warehouse;
  jo.workers = config.workers;
  jo.max_queue = config.max_queue;
  jo.retention_seconds = config.retention_seconds;
  Impl* raw = impl.get();
  impl->jobs = std::make_unique<JobManager>(jo, &impl->metrics, [raw](const ExportJob& job) {
    nlohmann::ordered_json event = {{"event", "export_finished"},
                                    {"export_id", job.id},
                                    {"who", job.principal.subject},
                                    {"role", job.principal.role},
                                    {"outcome", job_status_name(job.status)}};
    if (job.status == JobStatus::kSucceeded) {
      event["rows"] = job.result["row_count"];
      event["bytes"] = job.result["file_size"];
    } else {
      event["error"] = job.error.message();
    }
    raw->audit->record(std::move(event));
  });
  SCOUT_RETURN_IF_ERROR(impl->jobs->start());
  impl->config = std::move(config);
  return std::unique_ptr<ExportService>(new ExportService(std::move(impl)));
}

Status ExportService::run() {
  Impl& s = *impl_;
  s.http.set_payload_max_length(s.config.max_body_bytes);
  // An idle keep-alive connection holds a worker thread; let it go soon.
  s.http.set_keep_alive_timeout(2);
  // Responses go out as headers then body: without NODELAY, Nagle holds the second write.
  s.http.set_tcp_nodelay(true);
  s.http.set_keep_alive_max_count(1000);
  int threads = s.config.http_threads;
  s.http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.http.set_error_handler([&s](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    Status st = res.status == 404   ? Status::NotFound("no route " + req.method + " " + req.path)
                : res.status == 413 ? Status::Invalid("request body is larger than " +
                                                      std::to_string(s.config.max_body_bytes) + " bytes")
                                    : Status(StatusCode::kInternal, "HTTP " + std::to_string(res.status));
    res.set_content(error_body(st, res.status == 413 ? "payload_too_large" : "").dump(2),
                    "application/json");
  });
  s.http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content(error_body(Status::Internal("internal error")).dump(2), "application/json");
  });
  s.http.set_logger([&s](const httplib::Request& req, const httplib::Response& res) {
    s.metrics.count_request(route_label(req.path, s.config.api_prefix), res.status);
    nlohmann::ordered_json line = {{"time", iso_timestamp_now_millis()}, {"method", req.method},
                                   {"path", req.path}, {"status", res.status},
                                   {"remote_addr", req.remote_addr}};
    std::fprintf(stderr, "%s\n", line.dump().c_str());
  });
  s.register_routes("");
  if (!s.config.api_prefix.empty() && s.config.api_prefix != "/") s.register_routes(s.config.api_prefix);

  s.sweeper = std::thread([&s] {
    while (!s.stopping) {
      for (int i = 0; i < 60 && !s.stopping; ++i) std::this_thread::sleep_for(std::chrono::seconds(1));
      s.jobs->sweep_expired(now_unix());
    }
  });

  int port = s.config.port;
  if (port == 0) {
    port = s.http.bind_to_any_port(s.config.host);
    if (port < 0) return Status::IOError("cannot bind " + s.config.host);
  } else if (!s.http.bind_to_port(s.config.host, port)) {
    return Status::IOError("cannot listen on " + s.config.host + ":" + std::to_string(port) +
                           " (in use?)");
  }
  s.bound_port = port;
  if (!s.http.listen_after_bind()) {
    if (!s.stopping) return Status::IOError("the HTTP server stopped unexpectedly");
  }
  return Status::OK();
}

void ExportService::stop() {
  Impl& s = *impl_;
  if (s.stopping.exchange(true)) return;
  s.http.stop();
  s.jobs->stop();
  if (s.sweeper.joinable()) s.sweeper.join();
}

int ExportService::port() const { return impl_->bound_port; }
bool ExportService::listening() const { return impl_->http.is_running(); }

}  // namespace scout
