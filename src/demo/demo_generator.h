// The deterministic demo warehouse of datasets.md: the six datasets plus the `stores` table the
// region policy joins through, from 2024-01-01 through a last day (yesterday by default).
// Each row depends only on the seed, the store and the date (demo_world.h), so two warehouses
// generated on different days agree on every day they share, and the same generator fills the
// embedded SQLite file and PostgreSQL with the same rows.
//
// What each dataset holds:
//   daily_transactions  one row per store and day
//   hourly_patterns     24 rows per day, all stores together
//   payment_trends      4 rows per day (cash, gcash, maya, card), all stores together
//   store_rankings      every store ranked by the month's revenue, as of each month's last day
//                       (complete months only)
//   store_features      every store, each Monday at 02:00 UTC from the 28 days before it
//   ml_predictions      one forecast per store and day, made at 23:00 UTC the day before
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/catalog.h"
#include "scout/column_batch.h"
#include "scout/status.h"

namespace scout {

struct DemoOptions {
  uint64_t seed = 42;
  double scale = 1.0;         // 1.0: 500 stores, so ~500 daily_transactions rows a day
  int32_t first_day = 19723;  // 2024-01-01
  int32_t last_day = -1;      // inclusive; -1: yesterday (UTC)
};

// Where generated rows go: the embedded SQLite file or PostgreSQL. Tables come one at a time:
// begin_table, append..., end_table; then finish once.
class DemoSink {
 public:
  virtual ~DemoSink() = default;
  // Replaces the table (a dataset's, or the access policy's stores table) with an empty one of
  // this schema.
  virtual Status begin_table(const std::string& name, const std::string& qualified_table,
                             const Schema& schema) = 0;
  virtual Status append(const ColumnBatch& batch) = 0;
  virtual Status end_table() = 0;
  // After every table: indexes, policies, statistics; then the new data becomes visible.
  virtual Status finish(const Catalog& catalog) = 0;
};

// The stores table every region policy joins through (the access policy's `stores`): store_id,
// store_name, region, city, device_id, the first and third named as the policy names them.
Schema stores_schema(const AccessPolicy& policy = AccessPolicy::standard());

struct DemoSummary {
  std::vector<std::pair<std::string, int64_t>> rows_per_table;  // in generation order
  int64_t total_rows = 0;
  double seconds = 0;
};

// Called as rows reach the sink, and once more with done=true when a table is complete.
using DemoProgress = std::function<void(const std::string& table, int64_t rows, bool done)>;

// InvalidArgument when the options cannot make a warehouse (scale, last day before the first).
Status check_demo_options(const DemoOptions& options);

// Generates the warehouse into `sink`. The catalog must hold the six datasets with the columns
// and types of datasets.md (the demo knows how to fill exactly those).
Result<DemoSummary> generate_demo(const Catalog& catalog, const DemoOptions& options,
                                  DemoSink* sink, const DemoProgress& progress = {});

int32_t yesterday_utc();

}  // namespace scout
