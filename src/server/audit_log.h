// Append-only audit trail: one JSON object per line, written with O_APPEND so concurrent
// writers never interleave within a line. Records exports, downloads and refused credentials.
#pragma once

#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "scout/status.h"

namespace scout {

class AuditLog {
 public:
  static Result<std::unique_ptr<AuditLog>> open(const std::string& path);
  ~AuditLog();

  // Adds `time` and writes the event as one line. Failures are reported on stderr, never to
  // the caller whose request is being served.
  void record(nlohmann::ordered_json event);
  const std::string& path() const { return path_; }

 private:
  AuditLog(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_;
  std::string path_;
  std::mutex mutex_;
};

}  // namespace scout
