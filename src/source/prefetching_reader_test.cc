#include "source/prefetching_reader.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

namespace scout {
namespace {

Schema one_int_column() {
  Schema s;
  s.fields.push_back(Field{"n", DataType::of(TypeId::kInt64), false});
  return s;
}

// Batches of `rows_per_batch` consecutive numbers; optionally an error after `fail_after` batches,
// or a wait (until cancelled) before batch `block_at`, like a warehouse that stops sending.
class CountingReader final : public BatchReader {
 public:
  CountingReader(int batches, int rows_per_batch) : batches_(batches), rows_(rows_per_batch) {}
  std::optional<int> fail_after, block_at;
  std::atomic<bool> cancelled{false};

  Result<bool> next(ColumnBatch* batch) override {
    batch->clear();
    if (fail_after && served_ == *fail_after) return Status::Unavailable("connection lost");
    if (block_at && served_ == *block_at) {
      while (!cancelled) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return Status::Cancelled("export cancelled");
    }
    if (served_ == batches_) return false;
    for (int i = 0; i < rows_; ++i) batch->column(0).append_int64(int64_t{served_} * rows_ + i);
    ++served_;
    return true;
  }
  void cancel() override { cancelled = true; }

 private:
  int batches_, rows_, served_ = 0;
};

TEST(PrefetchingReader, DeliversEveryRowInOrderThenTheEnd) {
  CountingReader source(50, 1000);
  PrefetchingReader reader(source, one_int_column(), 3);
  int64_t expected = 0;
  while (true) {
    auto batch = reader.next();
    ASSERT_TRUE(batch.ok()) << batch.status().to_string();
    if (!*batch) break;
    const ColumnVector& col = (*batch)->column(0);
    ASSERT_EQ((*batch)->num_rows(), 1000u);
    for (size_t i = 0; i < col.size(); ++i) ASSERT_EQ(col.value<int64_t>(i), expected++);
  }
  EXPECT_EQ(expected, 50 * 1000);
  auto after_end = reader.next();
  ASSERT_TRUE(after_end.ok());
  EXPECT_EQ(*after_end, nullptr);
}

TEST(PrefetchingReader, AnErrorComesAfterTheBatchesReadBeforeIt) {
  CountingReader source(10, 10);
  source.fail_after = 4;
  PrefetchingReader reader(source, one_int_column(), 2);
  int good = 0;
  Status error;
  while (true) {
    auto batch = reader.next();
    if (!batch.ok()) {
      error = batch.status();
      break;
    }
    ASSERT_NE(*batch, nullptr) << "the end came instead of the error";
    ++good;
  }
  EXPECT_EQ(good, 4);
  EXPECT_EQ(error.code(), StatusCode::kUnavailable);
  EXPECT_NE(error.message().find("connection lost"), std::string::npos);
}

TEST(PrefetchingReader, CancelFreesAReaderWaitingOnTheWarehouse) {
  CountingReader source(10, 10);
  source.block_at = 2;
  PrefetchingReader reader(source, one_int_column(), 2);
  ASSERT_NE(*reader.next(), nullptr);
  ASSERT_NE(*reader.next(), nullptr);
  reader.cancel();
  auto batch = reader.next();
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().code(), StatusCode::kCancelled);
}

TEST(PrefetchingReader, DestroyingItMidStreamCancelsTheQueryAndReturns) {
  CountingReader source(1000, 10);
  source.block_at = 5;
  {
    PrefetchingReader reader(source, one_int_column(), 2);
    ASSERT_NE(*reader.next(), nullptr);
  }  // must not hang: the destructor cancels the blocked read
  EXPECT_TRUE(source.cancelled);
}

}  // namespace
}  // namespace scout
