#include "server/metrics.h"

#include <sstream>

namespace scout {
namespace {

// Prometheus' text format: a label value escapes backslash, double quote and line feed.
std::string escape_label_value(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out.push_back(c);
  }
  return out;
}

}  // namespace

void Metrics::count_request(const std::string& route, int status) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
}

void Metrics::count_export(const std::string& outcome, int64_t rows, int64_t bytes, double seconds) {
  std::lock_guard lock(mutex_);
  ++exports_[outcome];
  rows_written_ += rows;
  bytes_written_ += bytes;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++duration_buckets_[i];
  }
  ++duration_count_;
  duration_sum_ += seconds;
}

void Metrics::count_download(int64_t bytes) {
  std::lock_guard lock(mutex_);
  bytes_downloaded_ += bytes;
}

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  out << "# HELP scout_http_requests_total HTTP requests by route and status.\n"
         "# TYPE scout_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out << "scout_http_requests_total{route=\"" << escape_label_value(key.first) << "\",status=\"" << key.second
        << "\"} " << n << "\n";
  }
  out << "# HELP scout_exports_total Exports by outcome.\n# TYPE scout_exports_total counter\n";
  for (const auto& [outcome, n] : exports_) {
    out << "scout_exports_total{outcome=\"" << escape_label_value(outcome) << "\"} " << n << "\n";
  }
  out << "# HELP scout_export_rows_total Rows written by finished exports.\n"
         "# TYPE scout_export_rows_total counter\nscout_export_rows_total "
      << rows_written_ << "\n";
  out << "# HELP scout_export_bytes_total Bytes written by finished exports.\n"
         "# TYPE scout_export_bytes_total counter\nscout_export_bytes_total "
      << bytes_written_ << "\n";
  out << "# HELP scout_download_bytes_total Bytes served by signed downloads.\n"
         "# TYPE scout_download_bytes_total counter\nscout_download_bytes_total "
      << bytes_downloaded_ << "\n";
  out << "# HELP scout_export_duration_seconds Export duration.\n"
         "# TYPE scout_export_duration_seconds histogram\n";
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    out << "scout_export_duration_seconds_bucket{le=\"" << kBuckets[i] << "\"} "
        << duration_buckets_[i] << "\n";
  }
  out << "scout_export_duration_seconds_bucket{le=\"+Inf\"} " << duration_count_ << "\n"
      << "scout_export_duration_seconds_sum " << duration_sum_ << "\n"
      << "scout_export_duration_seconds_count " << duration_count_ << "\n";
  out << "# HELP scout_export_queue_depth Exports waiting for a worker.\n"
         "# TYPE scout_export_queue_depth gauge\nscout_export_queue_depth "
      << queue_depth.load() << "\n";
  out << "# HELP scout_exports_running Exports being written now.\n"
         "# TYPE scout_exports_running gauge\nscout_exports_running "
      << running_exports.load() << "\n";
  return out.str();
}

}  // namespace scout
