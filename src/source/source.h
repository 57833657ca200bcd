// The seam between warehouses and the export pipeline: a Source describes a dataset's actual
// columns and streams its rows as column batches. Identifiers come only from the catalog; every
// value a caller supplies (dates, limit, region) is bound as a parameter.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/access_policy.h"
#include "core/catalog.h"
#include "scout/column_batch.h"
#include "scout/status.h"

namespace scout {

struct SourceQuery {
  const DatasetSpec* dataset = nullptr;
  std::vector<int> columns;  // indices into dataset->schema, in output order
  std::optional<int32_t> date_from, date_to;  // inclusive days on dataset->date_column
  std::optional<int64_t> limit;
  Caller caller;
  // Where the region policy finds the stores table (the catalog's access_policy).
  const AccessPolicy* policy = &AccessPolicy::standard();
  // The service's own region filter. PostgreSQL's RLS applies whatever this says; tests turn
  // it off to prove the database itself refuses the rows. The embedded warehouse, which has
  // no RLS, still refuses every row to a caller that may read none.
  bool apply_region_filter = true;
  // Rows come ordered by the date column; with this set (a dataset column index), by this
  // column first, so that each partition's rows arrive together. A limit applies before it.
  std::optional<int> order_by_column;
  size_t batch_rows = 16384;
  // Where open()'s reader reports how many rows the query selects, as soon as the source knows
  // (it stays -1 until then); nullptr: nobody asks. PostgreSQL counts on a second connection in
  // the COPY's own snapshot while the rows stream, so an export never waits for its estimate.
  std::atomic<int64_t>* row_count = nullptr;
};

class BatchReader {
 public:
  virtual ~BatchReader() = default;
  // Clears `batch` (typed by the query's columns) and fills up to batch_rows rows; false at
  // the end. Values that do not fit their catalog type are SchemaMismatch errors naming the
  // dataset, column and row, never silently changed.
  virtual Result<bool> next(ColumnBatch* batch) = 0;
  // Stops the query early (the export was cancelled).
  virtual void cancel() = 0;
};

class Source {
 public:
  virtual ~Source() = default;
  // The dataset's columns as the warehouse declares them, in API types, for validation.
  virtual Result<Schema> describe(const DatasetSpec& dataset) = 0;
  virtual Result<int64_t> estimate_rows(const SourceQuery& query) = 0;
  virtual Result<std::unique_ptr<BatchReader>> open(const SourceQuery& query) = 0;
};

// For Source implementations: the error for a value that does not fit its column, naming the
// dataset, column, type and row (counted from 1).
Status value_mismatch(const SourceQuery& query, size_t column, int64_t row, const std::string& what);
// The one NOT NULL check: a batch whose first row is row `first_row` (from 0) holds no NULL
// in a column the catalog declares NOT NULL. Readers call it on every batch they fill.
Status check_not_null(const SourceQuery& query, const ColumnBatch& batch, int64_t first_row);

// "sqlite:PATH" or a libpq URI ("postgresql://..." / "postgres://...").
Result<std::unique_ptr<Source>> open_source(const std::string& warehouse_url);

}  // namespace scout
