// The job manager removes an export's files through the storage seam: a deleted export's and
// an expired one's objects go (retention), and an export interrupted by a crash has its
// incomplete uploads aborted before its objects are removed.
#include <gtest/gtest.h>

#include <fstream>
#include <vector>

#include "common/clock.h"
#include "export/api_json.h"
#include "core/catalog.h"
#include "server/job_manager.h"
#include "testing/sample_records.h"
#include "testing/temp_dir.h"

namespace scout {
namespace {

// Records what the job manager asks of the store.
class RecordingStore final : public ExportStore {
 public:
  std::vector<std::string> calls;
  std::string location() const override { return "recording"; }
  Status check_reachable() override { return Status::OK(); }
  Status prepare(const std::string&) override { return Status::OK(); }
  Result<std::unique_ptr<ObjectWriter>> open_object(const std::string&) override {
    return Status::Internal("not in this test");
  }
  Status put_object(const std::string&, std::string_view) override { return Status::OK(); }
  Status remove_prefix(const std::string& prefix) override {
    calls.push_back("remove " + prefix);
    return Status::OK();
  }
  Status abort_incomplete_uploads(const std::string& prefix) override {
    calls.push_back("abort " + prefix);
    return Status::OK();
  }
  Result<std::string> download_url(const std::string&, int64_t) const override { return std::string(); }
  Result<std::string> local_file(const std::string&) const override { return Status::NotFound("none"); }
};

void write_record(const std::string& data_dir, const std::string& id, JobStatus status, int64_t finished_unix) {
  JobRecord rec;
  rec.id = id;
  rec.status = status;
  rec.created_at = "2026-01-01T00:00:00.000Z";
  rec.created_unix = finished_unix - 10;
  if (status == JobStatus::kSucceeded) {
    rec.finished_at = "2026-01-01T00:00:10.000Z";
    rec.finished_unix = finished_unix;
    rec.result = test_support::sample_partitioned_result();
  }
  std::filesystem::create_directories(data_dir + "/jobs");
  std::ofstream(data_dir + "/jobs/" + id + ".json") << job_record_json(rec).dump(2);
}

TEST(JobManagerStorageTest, RetentionDeleteAndCrashRecoveryGoThroughTheStore) {
  test_support::TempDir dir;
  const std::string data_dir = dir.path().string();
  const int64_t now = now_unix();
  write_record(data_dir, "old", JobStatus::kSucceeded, now - 7200);
  write_record(data_dir, "fresh", JobStatus::kSucceeded, now - 10);
  write_record(data_dir, "crashed", JobStatus::kRunning, now);
  RecordingStore store;
  Metrics metrics;
  JobManagerOptions options;
  options.data_dir = data_dir;
  options.store = &store;
  options.retention_seconds = 3600;
  FileJobStore job_store(data_dir + "/jobs");
  JobManager jobs(options, &Catalog::builtin(), &job_store, &metrics, nullptr);
  ASSERT_TRUE(jobs.start().ok());
  // The interrupted export: its dead attempt's uploads are aborted, then its objects removed.
  EXPECT_EQ(store.calls, (std::vector<std::string>{"abort crashed", "remove crashed"}));
  store.calls.clear();
  EXPECT_EQ(jobs.sweep_expired(), 1);
  EXPECT_EQ(store.calls, (std::vector<std::string>{"abort old", "remove old"}));
  store.calls.clear();
  auto deleted = jobs.cancel_or_delete("fresh");
  ASSERT_TRUE(deleted.ok() && deleted->has_value());
  EXPECT_EQ(store.calls, (std::vector<std::string>{"abort fresh", "remove fresh"}));
  auto gone = jobs.find("fresh");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  jobs.stop();
}

}  // namespace
}  // namespace scout
