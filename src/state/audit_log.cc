#include "state/audit_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "export/export_job.h"

namespace scout {

nlohmann::ordered_json timed_audit_event(nlohmann::ordered_json event) {
  nlohmann::ordered_json line = {{"time", iso_timestamp_now_millis()}};
  for (auto& [k, v] : event.items()) line[k] = v;
  return line;
}

Result<std::unique_ptr<FileAuditLog>> FileAuditLog::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IOError("cannot open audit log '" + path + "': " + std::strerror(errno));
  return std::unique_ptr<FileAuditLog>(new FileAuditLog(fd, path));
}

FileAuditLog::~FileAuditLog() { ::close(fd_); }

void FileAuditLog::record(nlohmann::ordered_json event) {
  std::string text = timed_audit_event(std::move(event))
                         .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
                     "\n";
  std::lock_guard lock(mutex_);
  if (::write(fd_, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    std::fprintf(stderr, "audit: cannot append to '%s': %s\n", path_.c_str(), std::strerror(errno));
  }
}

}  // namespace scout
