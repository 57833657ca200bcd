// The guide's HTTP API over the export pipeline: POST /export, GET /datasets, GET /health,
// job status and cancel, estimates, signed downloads, metrics and the OpenAPI document.
// Served at the root and under the configured prefix (the guide's
// /functions/v1/export-parquet), so the guide's URLs work by changing only the host.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "core/catalog.h"
#include "http/http_server.h"
#include "server/server_config.h"
#include "scout/status.h"

namespace scout {

class ExportService {
 public:
  static Result<std::unique_ptr<ExportService>> create(ServerConfig config);
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
