#include "common/task_pool.h"

#include <algorithm>
#include <atomic>
#include <memory>

namespace scout {

int hardware_threads() {
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

int resolve_thread_count(int requested) {
  return requested <= 0 ? hardware_threads() : requested;
}

TaskPool& TaskPool::shared() {
  // Never destroyed: exports may still be finishing on detached paths at exit.
  static TaskPool* pool = new TaskPool(hardware_threads());
  return *pool;
}

TaskPool::TaskPool(int workers) {
  for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { worker_loop(); });
}

TaskPool::~TaskPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& t : threads_) t.join();
}

void TaskPool::worker_loop() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

namespace {

// What a call's helpers share with it. Helpers may start after the call returned (the pool
// was busy); they hold the state alive, find no item left and never touch `fn`.
struct ParallelForState {
  std::atomic<size_t> next{0};
  size_t n = 0;
  const std::function<void(size_t)>* fn = nullptr;
  std::mutex mutex;
  std::condition_variable idle;
  int running = 0;  // helpers between claiming their first item and finishing their last
};

void drain(ParallelForState& state) {
  for (size_t i = state.next.fetch_add(1); i < state.n; i = state.next.fetch_add(1)) (*state.fn)(i);
}

}  // namespace

void TaskPool::parallel_for(size_t n, int parallelism, const std::function<void(size_t)>& fn) {
  if (n == 0) return;
  const size_t helpers =
      std::min(n - 1, static_cast<size_t>(std::max(0, std::min(parallelism, workers() + 1) - 1)));
  if (helpers == 0) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  auto state = std::make_shared<ParallelForState>();
  state->n = n;
  state->fn = &fn;
  {
    std::lock_guard lock(mutex_);
    for (size_t h = 0; h < helpers; ++h) {
      tasks_.emplace_back([state] {
        {
          std::lock_guard state_lock(state->mutex);
          // The caller has claimed every item and may be gone: nothing to do.
          if (state->next.load() >= state->n) return;
          ++state->running;
        }
        drain(*state);
        std::lock_guard state_lock(state->mutex);
        if (--state->running == 0) state->idle.notify_all();
      });
    }
  }
  if (helpers == 1) ready_.notify_one(); else ready_.notify_all();
  drain(*state);
  // Every item is claimed; wait for the helpers still running theirs. A helper that has not
  // registered yet will see no item left, under the same mutex.
  std::unique_lock lock(state->mutex);
  state->idle.wait(lock, [&] { return state->running == 0; });
}

}  // namespace scout
