// The deterministic demo warehouse: every value is a hash of (seed, table, store, date, ...),
// never a draw from a running random stream, so two warehouses generated on different days
// (or at different scales) agree on every store and day they share. The data has weekend and
// payday peaks, regional differences and a few NULLs, so the guide's examples give sensible
// answers.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "export/catalog.h"
#include "scout/column_batch.h"
#include "scout/status.h"

namespace scout {

struct DemoOptions {
  uint64_t seed = 42;
  double scale = 1.0;           // 1.0: about 500 stores
  int32_t first_day = 19723;    // 2024-01-01
  int32_t last_day = -1;        // inclusive; -1: yesterday (UTC)
};

// Where generated rows go: the embedded SQLite file or PostgreSQL.
class DemoSink {
 public:
  virtual ~DemoSink() = default;
  // Replaces the table (dataset name, or "stores") with an empty one of this schema.
  virtual Status begin_table(const std::string& name, const std::string& qualified_table,
                             const Schema& schema) = 0;
  virtual Status append(const ColumnBatch& batch) = 0;
  virtual Status end_table() = 0;
  // After every table: indexes, policies, statistics.
  virtual Status finish(const Catalog& catalog) = 0;
};

// The stores table every region policy joins through.
const Schema& stores_schema();

struct DemoSummary {
  std::vector<std::pair<std::string, int64_t>> rows_per_table;
  double seconds = 0;
};

using DemoProgress = std::function<void(const std::string& table, int64_t rows)>;

Result<DemoSummary> generate_demo(const Catalog& catalog, const DemoOptions& options,
                                  DemoSink* sink, const DemoProgress& progress = {});

int32_t yesterday_utc();

}  // namespace scout
