// The PostgreSQL state against a real server (SCOUT_TEST_PG_URL), in a database of this run's
// own: migrations, the shared queue (claim, SKIP LOCKED, leases, the attempt cap, the workers
// cap across instances), cancels, pages, retention, and keys seen by every instance.
#include "state/pg_state.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <thread>

#include "common/clock.h"
#include "export/export_job.h"
#include "testing/pg_test_database.h"
#include "testing/sample_records.h"

namespace scout {
namespace {

using namespace std::chrono_literals;

test_support::PgTestDatabase* database = nullptr;

class PgStateTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { database = new test_support::PgTestDatabase("scout_state_test"); }
  static void TearDownTestSuite() {
    delete database;
    database = nullptr;
  }
  void SetUp() override {
    if (!database->configured()) GTEST_SKIP() << "SCOUT_TEST_PG_URL is not set (scripts/pg-test-server.sh start)";
    ASSERT_TRUE(database->error().empty()) << database->error();
    auto db = StateDatabase::open(database->url());
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    db_ = *db;
    auto other = StateDatabase::open(database->url());
    ASSERT_TRUE(other.ok());
    other_db_ = *other;  // a second instance: connections of its own
    ASSERT_TRUE(sql("TRUNCATE scout_export.jobs, scout_export.api_keys, scout_export.audit_log").ok());
  }

  Status sql(const std::string& statement) {
    return db_->with_connection([&](PgConnection& c) { return c.exec(statement); });
  }
  std::string value(const std::string& query) {
    std::string out;
    Status st = db_->with_connection([&](PgConnection& c) -> Status {
      SCOUT_ASSIGN_OR_RETURN(PgResult r, run_state_query(c, query.c_str(), {}));
      if (PQntuples(r.get()) > 0) out = PQgetvalue(r.get(), 0, 0);
      return Status::OK();
    });
    EXPECT_TRUE(st.ok()) << st.to_string();
    return out;
  }

  // Queues a job of `who`; jobs queued one after the other are claimed in that order.
  std::string enqueue(PgJobStore& store, const std::string& who = "key_a",
                      QueueLimits limits = {100, 100}) {
    JobRecord rec = test_support::queued_job("job-" + std::to_string(++counter_), who);
    JobRequester requester{who, "api_key", "admin", std::nullopt, "{}"};
    Status st = store.enqueue(rec, requester, limits);
    EXPECT_TRUE(st.ok()) << st.to_string();
    std::this_thread::sleep_for(2ms);  // distinct created_at
    return rec.id;
  }

  std::optional<ClaimedJob> claim(PgJobStore& store, QueueLimits limits = {100, 100},
                                  int lease_seconds = 30, int max_attempts = 3,
                                  std::vector<AbandonedJob>* abandoned = nullptr) {
    auto claimed = store.claim(limits, "test-instance", lease_seconds, max_attempts, abandoned);
    EXPECT_TRUE(claimed.ok()) << claimed.status().to_string();
    return claimed.ok() ? *claimed : std::nullopt;
  }

  std::shared_ptr<StateDatabase> db_, other_db_;
  int counter_ = 0;
};

TEST_F(PgStateTest, MigratesOnceWhenInstancesStartTogether) {
  ASSERT_TRUE(sql("DROP SCHEMA scout_export CASCADE").ok());
  std::vector<std::thread> starting;
  std::atomic<int> opened{0};
  for (int i = 0; i < 4; ++i) {
    starting.emplace_back([&] {
      auto db = StateDatabase::open(database->url());
      EXPECT_TRUE(db.ok()) << db.status().to_string();
      if (db.ok()) ++opened;
    });
  }
  for (auto& t : starting) t.join();
  EXPECT_EQ(opened, 4);
  EXPECT_EQ(value("SELECT string_agg(version::text, ',') FROM scout_export.schema_migrations"), "1");
  EXPECT_EQ(value("SELECT count(*) FROM scout_export.jobs"), "0");
}

TEST_F(PgStateTest, ClaimsTheOldestQueuedJobAndRecordsItsOutcomeOnce) {
  PgJobStore store(db_);
  std::string first = enqueue(store), second = enqueue(store);
  auto claimed = claim(store);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->record.id, first);
  EXPECT_EQ(claimed->attempt, 1);
  EXPECT_EQ(claimed->requester.role, "admin");
  auto seen = store.get(first);
  ASSERT_TRUE(seen.ok() && seen->has_value());
  EXPECT_EQ((*seen)->status, JobStatus::kRunning);

  JobProgress progress;
  progress.rows_written = 1234;
  progress.bytes_written = 5678;
  progress.estimated_rows = 9999;
  auto beat = store.heartbeat(first, 1, progress, 30);
  ASSERT_TRUE(beat.ok());
  EXPECT_TRUE(beat->still_owned);
  EXPECT_FALSE(beat->cancel_requested);
  seen = store.get(first);
  EXPECT_EQ((*seen)->progress.rows_written, 1234);  // any instance reads the live progress
  EXPECT_EQ((*seen)->progress.bytes_written, 5678);
  EXPECT_EQ((*seen)->progress.estimated_rows, std::optional<int64_t>(9999));

  JobRecord done = claimed->record;
  end_job_record(&done, JobStatus::kSucceeded);
  auto owned = store.finish(done, 1);
  ASSERT_TRUE(owned.ok());
  EXPECT_TRUE(*owned);
  owned = store.finish(done, 1);
  ASSERT_TRUE(owned.ok());
  EXPECT_FALSE(*owned) << "a job ended twice";
  EXPECT_EQ((*store.get(first))->status, JobStatus::kSucceeded);
  EXPECT_EQ((*store.get(second))->status, JobStatus::kQueued);
}

// A job that another transaction holds locked is skipped, not waited for.
TEST_F(PgStateTest, ClaimSkipsAJobLockedByAnotherConnection) {
  PgJobStore store(db_);
  std::string locked = enqueue(store), free = enqueue(store);
  auto holder = PgConnection::connect(database->url());
  ASSERT_TRUE(holder.ok());
  ASSERT_TRUE((*holder)->exec("BEGIN").ok());
  ASSERT_TRUE((*holder)->exec("SELECT id FROM scout_export.jobs WHERE id = '" + locked + "' FOR UPDATE").ok());
  // A claim that waits for the lock fails here instead of hanging: the holder lets go.
  auto pending = std::async(std::launch::async, [&] { return claim(store); });
  const bool waited = pending.wait_for(3s) != std::future_status::ready;
  ASSERT_TRUE((*holder)->exec("ROLLBACK").ok());
  auto claimed = pending.get();
  EXPECT_FALSE(waited) << "the claim waited for the locked job";
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->record.id, free);
  claimed = claim(store);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->record.id, locked);
}

// An instance that stops heartbeating loses the job after its lease, on the database's clock;
// its late heartbeat and outcome are refused.
TEST_F(PgStateTest, AnExpiredLeaseIsTakenOverAndTheOldAttemptIsRefused) {
  PgJobStore dead(db_), alive(other_db_);
  std::string id = enqueue(dead);
  auto first = claim(dead, {100, 100}, /*lease_seconds=*/1);
  ASSERT_TRUE(first);
  EXPECT_FALSE(claim(alive, {100, 100}, 1)) << "taken over before its lease ran out";
  std::this_thread::sleep_for(1200ms);
  auto second = claim(alive, {100, 100}, 30);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->record.id, id);
  EXPECT_EQ(second->attempt, 2);

  auto late = dead.heartbeat(id, 1, JobProgress{}, 30);
  ASSERT_TRUE(late.ok());
  EXPECT_FALSE(late->still_owned);
  JobRecord outcome = first->record;
  end_job_record(&outcome, JobStatus::kSucceeded);
  EXPECT_FALSE(*dead.finish(outcome, 1));
  EXPECT_TRUE(*alive.finish(outcome, 2));
  EXPECT_EQ(value("SELECT status || ' ' || attempt FROM scout_export.jobs WHERE id = '" + id + "'"),
            "succeeded 2");
}

TEST_F(PgStateTest, AJobInterruptedAsOftenAsTheCapFailsNamingWhy) {
  PgJobStore store(db_);
  std::string id = enqueue(store);
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto claimed = claim(store, {100, 100}, 1, 3);
    ASSERT_TRUE(claimed) << "attempt " << attempt;
    EXPECT_EQ(claimed->attempt, attempt);
    std::this_thread::sleep_for(1100ms);
  }
  std::vector<AbandonedJob> abandoned;
  EXPECT_FALSE(claim(store, {100, 100}, 1, 3, &abandoned));
  ASSERT_EQ(abandoned.size(), 1u);
  EXPECT_EQ(abandoned[0].id, id);
  EXPECT_EQ(abandoned[0].status, JobStatus::kFailed);
  auto failed = store.get(id);
  ASSERT_TRUE(failed.ok() && failed->has_value());
  EXPECT_EQ((*failed)->status, JobStatus::kFailed);
  EXPECT_NE((*failed)->error.message().find("interrupted 3 times"), std::string::npos)
      << (*failed)->error.message();
  EXPECT_FALSE((*failed)->finished_at.empty());
}

// SCOUT_WORKERS counts running jobs across every instance: however claims race, no more run.
TEST_F(PgStateTest, TheWorkersCapHoldsAcrossInstances) {
  PgJobStore one(db_), two(other_db_);
  for (int i = 0; i < 12; ++i) enqueue(one);
  std::atomic<int> claimed{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 6; ++w) {
    workers.emplace_back([&, w] {
      PgJobStore& store = w % 2 ? one : two;
      for (int i = 0; i < 5; ++i) {
        auto got = store.claim({3, 100}, "w" + std::to_string(w), 30, 3, nullptr);
        EXPECT_TRUE(got.ok()) << got.status().to_string();
        if (got.ok() && got->has_value()) ++claimed;
      }
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_EQ(claimed, 3);
  EXPECT_EQ(value("SELECT count(*) FROM scout_export.jobs WHERE status = 'running'"), "3");

  // One more may wait (max_queue 10 with 9 waiting), then the queue is full.
  QueueLimits limits{3, 10};
  JobRecord extra;
  extra.id = "extra";
  extra.requested_by = "key_a";
  extra.request = nlohmann::json::object();
  JobRequester who{"key_a", "api_key", "admin", std::nullopt, "{}"};
  EXPECT_TRUE(two.enqueue(extra, who, limits).ok());
  extra.id = "refused";
  Status full = one.enqueue(extra, who, limits);
  EXPECT_EQ(full.code(), StatusCode::kResourceExhausted) << full.to_string();
}

TEST_F(PgStateTest, CancelsReachTheRunningInstanceAndDeletesRemoveTheRecord) {
  PgJobStore here(db_), there(other_db_);
  std::string running = enqueue(here), queued = enqueue(here);
  auto claimed = claim(here);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(**there.cancel_or_delete(running), JobStatus::kRunning);
  auto beat = here.heartbeat(running, 1, JobProgress{}, 30);
  ASSERT_TRUE(beat.ok());
  EXPECT_TRUE(beat->cancel_requested);

  EXPECT_EQ(**there.cancel_or_delete(queued), JobStatus::kQueued);
  EXPECT_EQ((*here.get(queued))->status, JobStatus::kCancelled);
  EXPECT_EQ(**there.cancel_or_delete(queued), JobStatus::kCancelled);  // finished: deleted
  EXPECT_FALSE(here.get(queued)->has_value());
  EXPECT_FALSE(there.cancel_or_delete("no-such-job")->has_value());
}

TEST_F(PgStateTest, ListsARequestersJobsNewestFirstInPages) {
  PgJobStore store(db_);
  std::vector<std::string> mine;
  for (int i = 0; i < 5; ++i) {
    mine.push_back(enqueue(store, "key_me"));
    enqueue(store, "key_other");
  }
  std::vector<std::string> seen;
  std::optional<JobListPosition> after;
  int pages = 0;
  bool more = true;
  while (more && pages < 10) {
    auto page = store.list_for_requester("key_me", 2, after);
    ASSERT_TRUE(page.ok()) << page.status().to_string();
    for (const auto& job : page->jobs) seen.push_back(job.id);
    if (!page->jobs.empty()) after = JobListPosition{page->jobs.back().created_at, page->jobs.back().id};
    more = page->more;
    ++pages;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, std::vector<std::string>(mine.rbegin(), mine.rend()));
}

// Each expired job goes to one sweeper only, whichever instance asks.
TEST_F(PgStateTest, RetentionHandsEachExpiredJobToOneInstance) {
  PgJobStore one(db_), two(other_db_);
  for (int i = 0; i < 6; ++i) {
    std::string id = enqueue(one);
    auto claimed = claim(one);
    ASSERT_TRUE(claimed);
    JobRecord done = claimed->record;
    end_job_record(&done, JobStatus::kSucceeded);
    ASSERT_TRUE(*one.finish(done, claimed->attempt));
  }
  std::string still_running = enqueue(one);
  ASSERT_TRUE(claim(one));
  std::vector<std::string> a, b;
  std::thread ta([&] { a = *one.take_expired(0); });
  std::thread tb([&] { b = *two.take_expired(0); });
  ta.join();
  tb.join();
  std::set<std::string> all(a.begin(), a.end());
  all.insert(b.begin(), b.end());
  EXPECT_EQ(all.size(), 6u);
  EXPECT_EQ(a.size() + b.size(), 6u) << "an expired job was handed out twice";
  EXPECT_TRUE(one.get(still_running)->has_value());
}

TEST_F(PgStateTest, KeysCreatedOrRevokedAnywhereCountEverywhereWithinSeconds) {
  PgApiKeyStore cli(db_), service(other_db_);
  ApiKeyRecord record;
  auto secret = cli.create("analytics_export", std::string("NCR"), "ci", &record);
  ASSERT_TRUE(secret.ok()) << secret.status().to_string();
  EXPECT_EQ(value("SELECT count(*) FROM scout_export.api_keys WHERE hash = '" + sha256_hex(*secret) + "'"), "1");
  EXPECT_EQ(value("SELECT count(*) FROM scout_export.api_keys WHERE hash LIKE '%" + secret->substr(9, 16) + "%'"), "0");
  auto found = service.authenticate(*secret);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, record.id);
  EXPECT_EQ((*found)->region, std::optional<std::string>("NCR"));
  EXPECT_FALSE(service.authenticate(*secret + "x")->has_value());

  ASSERT_TRUE(cli.revoke("ci").ok());
  auto revoked_at = std::chrono::steady_clock::now();
  while (service.authenticate(*secret)->has_value()) {
    ASSERT_LT(std::chrono::steady_clock::now() - revoked_at, 5s) << "a revoked key still works";
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(cli.revoke("nobody").code(), StatusCode::kNotFound);
}

TEST_F(PgStateTest, AuditEventsAreAppendedToTheSharedTable) {
  PgAuditLog audit(db_);
  audit.record({{"event", "export_requested"}, {"who", "key_a"}, {"odd", std::string("\0x", 2)}});
  // Kept as written (json, not jsonb), so even a NUL from a hostile request is not refused.
  std::string kept = value("SELECT event::text FROM scout_export.audit_log");
  EXPECT_NE(kept.find(R"("event":"export_requested","who":"key_a","odd":"\u0000x")"), std::string::npos)
      << kept;
  EXPECT_EQ(kept.find("\"time\":\""), 1u) << kept;
}

TEST(PgStateUnreachable, AnUnreachableDatabaseIsUnavailableNotACrash) {
  auto db = StateDatabase::open("postgresql://nobody@127.0.0.1:1/nothing?connect_timeout=2");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kUnavailable) << db.status().to_string();
}

}  // namespace
}  // namespace scout
