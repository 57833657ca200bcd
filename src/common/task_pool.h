// One pool of worker threads for the whole process, shared by every running export, so that N
// concurrent exports use the machine's cores instead of starting N x cores threads.
//
// parallel_for() never waits for a free worker: the caller works through the items itself and
// helpers join when the pool has one to spare. A busy pool makes a call slower, never stuck.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace scout {

class TaskPool {
 public:
  // The process-wide pool: one worker per core (std::thread::hardware_concurrency, at least 1),
  // started on first use.
  static TaskPool& shared();

  explicit TaskPool(int workers);
  ~TaskPool();
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;

  int workers() const { return static_cast<int>(threads_.size()); }

  // Calls fn(0) .. fn(n - 1), each once, on at most `parallelism` threads (the caller's
  // included), and returns when all calls have returned. Items are taken in order by whichever
  // thread is free, so fn must not depend on which thread runs it or when.
  void parallel_for(size_t n, int parallelism, const std::function<void(size_t)>& fn);

 private:
  void worker_loop();

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> threads_;
  bool stopping_ = false;
};

// The number of cores: what "all cores" means for a thread-count setting of 0.
int hardware_threads();
// A thread-count setting (0: all cores) as a count of threads, at least 1.
int resolve_thread_count(int requested);

}  // namespace scout
