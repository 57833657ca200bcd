#include "cli/progress_bar.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace scout::cli {

std::string human_bytes(int64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int unit = 0;
  while (v >= 1024 && unit < 4) {
    v /= 1024;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, unit == 0 ? "%.0f %s" : "%.1f %s", v, kUnits[unit]);
  return buf;
}

ProgressBar::ProgressBar(std::string label, const ExportProgress* progress)
    : label_(std::move(label)), progress_(progress), enabled_(::isatty(STDERR_FILENO) == 1) {
  if (!enabled_) return;
  thread_ = std::thread([this] {
    while (!stop_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(150));
      draw();
    }
  });
}

ProgressBar::~ProgressBar() { stop(); }

void ProgressBar::stop() {
  if (!enabled_ || stop_.exchange(true)) return;
  if (thread_.joinable()) thread_.join();
  std::fprintf(stderr, "\r\033[2K");
  std::fflush(stderr);
}

void ProgressBar::draw() {
  int64_t rows = progress_->rows_written.load();
  int64_t bytes = progress_->bytes_written.load();
  int64_t estimate = progress_->estimated_rows.load();
  constexpr int kWidth = 30;
  std::string bar;
  std::string percent;
  if (estimate > 0) {
    double frac = std::min(1.0, static_cast<double>(rows) / static_cast<double>(estimate));
    int filled = static_cast<int>(frac * kWidth);
    bar = "[" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "] ";
    char p[16];
    std::snprintf(p, sizeof p, "%3.0f%% ", frac * 100);
    percent = p;
  }
  std::fprintf(stderr, "\r\033[2K%s %s%s%lld rows, %s", label_.c_str(), bar.c_str(),
               percent.c_str(), static_cast<long long>(rows), human_bytes(bytes).c_str());
  std::fflush(stderr);
}

}  // namespace scout::cli
