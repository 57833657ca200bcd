#include "export/api_json.h"

#include <gtest/gtest.h>

#include "testing/sample_records.h"

namespace scout {
namespace {

using json = nlohmann::ordered_json;

using test_support::sample_links;
using test_support::sample_partitioned_result;

TEST(ApiJson, ExportResultRoundTripsThroughItsJson) {
  ExportResult r = sample_partitioned_result();
  auto back = export_result_from_json(export_result_json(r));
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(export_result_json(*back).dump(), export_result_json(r).dump());
  EXPECT_EQ(back->schema[2].type, DataType::decimal(14, 2));
  EXPECT_EQ(back->files[1].partition, "VII");
}

TEST(ApiJson, ManifestIsTheResultWithItsVersionLastAndNoFilePath) {
  json manifest = manifest_json(sample_partitioned_result());
  EXPECT_FALSE(manifest.contains("file_path"));
  EXPECT_EQ(manifest.back(), 1);
  EXPECT_EQ(std::prev(manifest.end()).key(), "manifest_version");
  EXPECT_EQ(manifest["files"][0]["partition"], json({{"region", "NCR"}}));
}

TEST(ApiJson, ResponseNamesTheOneFileOrElseTheManifest) {
  ExportResult several = sample_partitioned_result();
  json many = export_response_json(several, sample_links());
  EXPECT_EQ(many["file_path"], "id-1/manifest.json");
  EXPECT_EQ(many["signed_url"], many["manifest_url"]);
  EXPECT_EQ(many["files"][1]["file_path"], "id-1/store_rankings/region=VII/part-00000.parquet");

  ExportResult one = several;
  one.partition_by.reset();
  one.files.resize(1);
  json single = export_response_json(one, sample_links());
  EXPECT_EQ(single["file_path"], "id-1/store_rankings/region=NCR/part-00000.parquet");
  EXPECT_EQ(single["signed_url"], single["files"][0]["signed_url"]);
  EXPECT_FALSE(single["files"][0].contains("partition"));
  EXPECT_TRUE(single["partition_by"].is_null());
}

TEST(ApiJson, JobRecordKeepsItsErrorCodeOnDisk) {
  JobRecord job;
  job.id = "id-2";
  job.status = JobStatus::kFailed;
  job.created_at = "2025-03-31T10:00:00.000Z";
  job.created_unix = 1743415200;
  job.finished_at = "2025-03-31T10:00:01.000Z";
  job.finished_unix = 1743415201;
  job.requested_by = "key:abc";
  job.request = {{"dataset", "payment_trends"}};
  job.error = Status::SchemaMismatch("column 'x' is missing");
  auto back = job_record_from_json(job_record_json(job));
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(back->status, JobStatus::kFailed);
  EXPECT_EQ(back->error.code(), StatusCode::kSchemaMismatch);
  EXPECT_EQ(back->error.message(), "column 'x' is missing");
  EXPECT_EQ(job_record_json(*back).dump(), job_record_json(job).dump());
}

TEST(ApiJson, SucceededJobRecordRoundTripsWithItsResult) {
  JobRecord job;
  job.id = "id-3";
  job.status = JobStatus::kSucceeded;
  job.result = sample_partitioned_result();
  auto back = job_record_from_json(job_record_json(job));
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  ASSERT_TRUE(back->result.has_value());
  EXPECT_EQ(back->result->row_count, 5);
  EXPECT_EQ(back->error.code(), StatusCode::kOk);
}

TEST(ApiJson, NotAJobRecordIsCorruptionNotAnException) {
  for (const char* text : {R"({"export_id": 5})", R"({"status": "failed"})",
                           R"({"export_id": "a", "status": "succeeded", "result": {"files": 1}})",
                           R"({"export_id": "a", "created_unix": "soon"})"}) {
    auto rec = job_record_from_json(json::parse(text));
    ASSERT_FALSE(rec.ok()) << text;
    EXPECT_EQ(rec.status().code(), StatusCode::kCorruption) << text;
  }
}

TEST(ApiJson, ProgressPercentIsCappedUntilTheJobSucceeds) {
  JobRecord job;
  job.status = JobStatus::kRunning;
  job.progress = {150, 10, 100};
  EXPECT_EQ(job_status_json(job, sample_links())["progress"]["percent"], 99.0);
  job.progress.estimated_rows.reset();
  json unknown = job_status_json(job, sample_links())["progress"];
  EXPECT_TRUE(unknown["estimated_rows"].is_null());
  EXPECT_EQ(unknown["percent"], 0.0);
  EXPECT_FALSE(job_status_json(job, sample_links()).contains("finished_at"));
}

}  // namespace
}  // namespace scout
