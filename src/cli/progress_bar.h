// A progress line on the terminal for long exports: rows, bytes, percent of the estimate and
// rate, redrawn a few times a second on stderr. Silent when stderr is not a terminal.
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include "export/export_job.h"

namespace scout::cli {

class ProgressBar {
 public:
  ProgressBar(std::string label, const ExportProgress* progress);
  ~ProgressBar();  // stops and clears the line
  void stop();

 private:
  void draw();

  std::string label_;
  const ExportProgress* progress_;
  std::atomic<bool> stop_{false};
  bool enabled_;
  std::thread thread_;
};

std::string human_bytes(int64_t bytes);

}  // namespace scout::cli
