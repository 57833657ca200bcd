// The data dir's job store: the queue and its limits, records that survive a restart (jobs left
// queued or running end failed), cancels, pages of a requester's jobs and retention.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "common/clock.h"
#include "export/export_job.h"
#include "state/job_store.h"
#include "testing/temp_dir.h"
#include "testing/sample_records.h"

namespace scout {
namespace {

class FileJobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { std::filesystem::create_directories(dir_.path() / "jobs"); }
  std::string jobs_dir() const { return (dir_.path() / "jobs").string(); }

  std::string enqueue(FileJobStore& store, const std::string& who = "key_a",
                      QueueLimits limits = {100, 100}) {
    JobRecord rec = test_support::queued_job("job-" + std::to_string(++counter_), who);
    Status st = store.enqueue(rec, JobRequester{who, "api_key", "admin", std::nullopt, "{}"}, limits);
    EXPECT_TRUE(st.ok()) << st.to_string();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // distinct created_at
    return rec.id;
  }

  test_support::TempDir dir_;
  int counter_ = 0;
};

TEST_F(FileJobStoreTest, QueuesInOrderWithinTheLimits) {
  FileJobStore store(jobs_dir());
  QueueLimits limits{1, 1};
  std::string first = enqueue(store, "key_a", limits);
  auto claimed = store.claim(limits, "me", 30, 3, nullptr);
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  EXPECT_EQ((*claimed)->record.id, first);
  enqueue(store, "key_a", limits);
  EXPECT_FALSE(store.claim(limits, "me", 30, 3, nullptr)->has_value()) << "past the workers cap";
  JobRecord refused;
  refused.id = "refused";
  Status full = store.enqueue(refused, JobRequester{}, limits);
  EXPECT_EQ(full.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(*store.queued_count(), 1);

  JobRecord done = (*claimed)->record;
  end_job_record(&done, JobStatus::kSucceeded);
  EXPECT_TRUE(*store.finish(done, 1));
  EXPECT_FALSE(*store.finish(done, 1)) << "a job ended twice";
  EXPECT_TRUE(store.claim(limits, "me", 30, 3, nullptr)->has_value());
}

TEST_F(FileJobStoreTest, AJobLeftRunningEndsFailedAtTheNextStart) {
  std::string running, queued, finished;
  {
    FileJobStore store(jobs_dir());
    finished = enqueue(store);
    auto claimed = store.claim({100, 100}, "me", 30, 3, nullptr);
    JobRecord done = (*claimed)->record;
    end_job_record(&done, JobStatus::kSucceeded);
    ASSERT_TRUE(*store.finish(done, 1));
    running = enqueue(store);
    ASSERT_TRUE(store.claim({100, 100}, "me", 30, 3, nullptr)->has_value());
    queued = enqueue(store);
  }
  FileJobStore restarted(jobs_dir());
  auto abandoned = restarted.recover_at_start();
  ASSERT_TRUE(abandoned.ok());
  EXPECT_EQ(abandoned->size(), 2u);
  EXPECT_EQ((*restarted.get(running))->status, JobStatus::kFailed);
  EXPECT_EQ((*restarted.get(queued))->status, JobStatus::kFailed);
  EXPECT_EQ((*restarted.get(finished))->status, JobStatus::kSucceeded);
}

TEST_F(FileJobStoreTest, CancelsDeletesPagesAndRetention) {
  FileJobStore store(jobs_dir());
  std::vector<std::string> mine;
  for (int i = 0; i < 3; ++i) {
    mine.push_back(enqueue(store, "key_me"));
    enqueue(store, "key_other");
  }
  auto page = store.list_for_requester("key_me", 2, std::nullopt);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->jobs.size(), 2u);
  EXPECT_EQ(page->jobs[0].id, mine[2]);
  EXPECT_EQ(page->jobs[1].id, mine[1]);
  EXPECT_TRUE(page->more);
  const JobRecord& last_seen = page->jobs.back();
  // The page's last job may go away: the next page still starts after where it stood.
  ASSERT_TRUE(store.cancel_or_delete(last_seen.id).ok());
  ASSERT_TRUE(store.cancel_or_delete(last_seen.id).ok());
  auto last = store.list_for_requester("key_me", 2, JobListPosition{last_seen.created_at, last_seen.id});
  ASSERT_EQ(last->jobs.size(), 1u);
  EXPECT_EQ(last->jobs[0].id, mine[0]);
  EXPECT_FALSE(last->more);

  EXPECT_EQ(**store.cancel_or_delete(mine[0]), JobStatus::kQueued);
  EXPECT_EQ((*store.get(mine[0]))->status, JobStatus::kCancelled);
  EXPECT_TRUE(store.take_expired(3600)->empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto expired = store.take_expired(0);
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(*expired, std::vector<std::string>{mine[0]});
  EXPECT_FALSE(store.get(mine[0])->has_value());
  EXPECT_FALSE(std::filesystem::exists(jobs_dir() + "/" + mine[0] + ".json"));
}

}  // namespace
}  // namespace scout
