// Fully populated records for the tests of their JSON (export/api_json_test.cc) and of the
// OpenAPI document against it (server/api_schema_test.cc).
#pragma once

#include <string>

#include "common/clock.h"
#include "export/api_json.h"
#include "export/export_job.h"
#include "export/records.h"

namespace scout::test_support {

// A partitioned Parquet export of two files, a decimal column among its three.
inline ExportResult sample_partitioned_result() {
  ExportResult r;
  r.dataset = "store_rankings";
  r.format = "parquet";
  r.compression = "zstd";
  r.parquet_version = "v2";
  r.partition_by = "region";
  r.schema.fields = {{"store_id", DataType::of(TypeId::kInt32), false},
                     {"region", DataType::of(TypeId::kString), false},
                     {"total_revenue", DataType::decimal(14, 2), true}};
  r.files = {{"store_rankings/region=NCR/part-00000.parquet", "NCR", 3, 100, "aa"},
             {"store_rankings/region=VII/part-00000.parquet", "VII", 2, 90, "bb"}};
  r.row_count = 5;
  r.total_bytes = 190;
  r.created_at = "2025-03-31T10:00:00.000Z";
  r.duration_ms = 12;
  return r;
}

inline ExportLinks sample_links() {
  return {"id-1", [](const std::string& key) { return "https://x/download/" + key + "?sig"; },
          "2025-03-31T11:00:00.000Z"};
}

// A queued export of daily_transactions by `who`, created now, as a job store is handed it.
inline JobRecord queued_job(std::string id, const std::string& who) {
  JobRecord rec;
  rec.id = std::move(id);
  rec.requested_by = who;
  rec.request = {{"dataset", "daily_transactions"}};
  rec.created_at = iso_timestamp_now_millis();
  rec.created_unix = now_unix();
  return rec;
}

}  // namespace scout::test_support
