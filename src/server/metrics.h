// Counters and a duration histogram for GET /metrics, in Prometheus' text format.
#pragma once

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <string>

namespace scout {

class Metrics {
 public:
  // `route` is a route template (or "unmatched"), never a raw path: the set of series must
  // not grow with what clients send.
  void count_request(const std::string& route, int status);
  void count_export(const std::string& outcome, int64_t rows, int64_t bytes, double seconds);
  void count_download(int64_t bytes);
  std::atomic<int64_t> queue_depth{0};
  std::atomic<int64_t> running_exports{0};

  std::string render() const;

 private:
  static constexpr std::array<double, 10> kBuckets = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120};
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, int64_t> requests_;
  std::map<std::string, int64_t> exports_;
  int64_t rows_written_ = 0;
  int64_t bytes_written_ = 0;
  int64_t bytes_downloaded_ = 0;
  std::array<int64_t, kBuckets.size()> duration_buckets_{};
  int64_t duration_count_ = 0;
  double duration_sum_ = 0;
};

}  // namespace scout
