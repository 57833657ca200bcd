#include "source/prefetching_reader.h"

#include <algorithm>

namespace scout {

PrefetchingReader::PrefetchingReader(BatchReader& reader, const Schema& schema, int depth) : reader_(reader) {
  batches_.reserve(static_cast<size_t>(std::max(depth, 2)));
  for (int i = 0; i < std::max(depth, 2); ++i) {
    batches_.emplace_back(schema);
    free_.push_back(&batches_.back());
  }
  thread_ = std::thread([this] { read_loop(); });
}

PrefetchingReader::~PrefetchingReader() {
  bool running;
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    running = !finished_;
  }
  changed_.notify_all();
  // The reading thread may be waiting on the warehouse: only cancelling the query frees it.
  if (running) reader_.cancel();
  thread_.join();
}

void PrefetchingReader::read_loop() {
  while (true) {
    ColumnBatch* batch;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return stop_ || !free_.empty(); });
      if (stop_) break;
      batch = free_.front();
      free_.pop_front();
    }
    Result<bool> more = reader_.next(batch);
    std::lock_guard lock(mutex_);
    if (!more.ok() || !*more) {
      if (!more.ok()) error_ = more.status();
      free_.push_back(batch);
      break;
    }
    filled_.push_back(batch);
    changed_.notify_all();
  }
  std::lock_guard lock(mutex_);
  finished_ = true;
  changed_.notify_all();
}

Result<const ColumnBatch*> PrefetchingReader::next() {
  std::unique_lock lock(mutex_);
  if (lent_) {
    free_.push_back(lent_);
    lent_ = nullptr;
    changed_.notify_all();
  }
  changed_.wait(lock, [this] { return !filled_.empty() || finished_; });
  if (!filled_.empty()) {
    lent_ = filled_.front();
    filled_.pop_front();
    return static_cast<const ColumnBatch*>(lent_);
  }
  if (!error_.ok()) return error_;
  return static_cast<const ColumnBatch*>(nullptr);
}

void PrefetchingReader::cancel() { reader_.cancel(); }

}  // namespace scout
