#include "common/task_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

namespace scout {
namespace {

TEST(TaskPool, CallsEveryItemExactlyOnce) {
  TaskPool pool(3);
  for (int parallelism : {1, 2, 4, 16}) {
    std::vector<std::atomic<int>> calls(1000);
    pool.parallel_for(calls.size(), parallelism, [&](size_t i) { calls[i]++; });
    for (const auto& c : calls) ASSERT_EQ(c.load(), 1);
  }
}

TEST(TaskPool, UsesAtMostTheParallelismAsked) {
  TaskPool pool(4);
  std::mutex mutex;
  std::set<std::thread::id> threads;
  pool.parallel_for(200, 2, [&](size_t) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    std::lock_guard lock(mutex);
    threads.insert(std::this_thread::get_id());
  });
  EXPECT_LE(threads.size(), 2u);
  EXPECT_GE(threads.size(), 1u);
}

// A pool whose only worker is busy must not hold a call up: the caller does the work itself.
TEST(TaskPool, ACallFinishesWhileEveryWorkerIsBusy) {
  TaskPool pool(1);
  std::atomic<bool> release{false};
  std::thread blocker([&] {
    pool.parallel_for(2, 2, [&](size_t) {
      while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    });
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::atomic<int> done{0};
  pool.parallel_for(50, 8, [&](size_t) { done++; });
  EXPECT_EQ(done.load(), 50);
  release = true;
  blocker.join();
}

TEST(TaskPool, ResolvesZeroToAllCores) {
  EXPECT_EQ(resolve_thread_count(0), hardware_threads());
  EXPECT_EQ(resolve_thread_count(3), 3);
  EXPECT_GE(hardware_threads(), 1);
}

}  // namespace
}  // namespace scout
