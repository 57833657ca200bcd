// Append-only audit trail of exports, downloads and refused credentials. Two sinks: a file of
// the data dir, one JSON object per line (FileAuditLog), and a table of the state database that
// every instance appends to (PgAuditLog in state/pg_state.h).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "scout/status.h"

namespace scout {

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // Adds `time` and keeps the event. Failures are reported on stderr, never to the caller
  // whose request is being served.
  virtual void record(nlohmann::ordered_json event) = 0;
};

// The event as it is kept: `time` first, then the event's fields.
nlohmann::ordered_json timed_audit_event(nlohmann::ordered_json event);

// Written with O_APPEND so concurrent writers never interleave within a line.
class FileAuditLog : public AuditLog {
 public:
  static Result<std::unique_ptr<FileAuditLog>> open(const std::string& path);
  ~FileAuditLog() override;

  void record(nlohmann::ordered_json event) override;
  const std::string& path() const { return path_; }

 private:
  FileAuditLog(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_;
  std::string path_;
  std::mutex mutex_;
};

}  // namespace scout
