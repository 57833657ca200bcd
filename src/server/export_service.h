// The guide's HTTP API over the export pipeline: POST /export, GET /datasets, GET /health,
// job status and cancel, estimates, signed downloads, metrics and the OpenAPI document.
// Served at the root and under the configured prefix (the guide's
// /functions/v1/export-parquet), so the guide's URLs work by changing only the host.
#pragma once

#include <atomic>
#include <memory>
#include <span>
#include <string>

#include "core/catalog.h"
#include "http/http_server.h"
#include "server/server_config.h"
#include "server/web_console.h"
#include "scout/status.h"

namespace scout {

class ExportService {
 public:
  // `console`: the web console's files, served at GET / and their own paths (the CLI passes
  // the ones built into the binary; tests may pass none). They must outlive the service.
  static Result<std::unique_ptr<ExportService>> create(ServerConfig config,
                                                       std::span<const WebConsoleFile> console = {});
  ~ExportService();

  // Binds and serves until stop(); returns when the server has stopped.
  Status run();
  // Graceful: stops accepting, cancels running exports cleanly, persists job records.
  void stop();
  // The port actually bound (useful with port 0), valid once listening.
  int port() const;
  bool listening() const;

  // Answers one request as the server would, without a network: for tests and fuzzers.
  HttpResponse handle(HttpRequest& request, const TransportRefusal& refused = {});

 private:
  struct Impl;
  explicit ExportService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace scout
