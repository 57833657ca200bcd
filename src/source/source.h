// The seam between warehouses and the export pipeline: a Source describes a dataset's actual
// columns and streams its rows as column batches. Identifiers come only from the catalog; every
// value a caller supplies (dates, limit, region) is bound as a parameter.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "export/catalog.h"
#include "scout/column_batch.h"
#include "scout/status.h"

namespace scout {

// Who asks. PostgreSQL gets the role and claims set on its session, so its row-level
// security decides; the embedded warehouse applies the same region policy itself.
struct Caller {
  std::string role = "admin";
  std::optional<std::string> region;  // set: only this region's rows
  std::string claims_json = R"({"role":"admin"})";  // the JWT claims, as auth.jwt() returns them

  // A caller whose claims are just its role (and region), as an API key's are.
  static Caller with_role(std::string role, std::optional<std::string> region = std::nullopt);
};

struct SourceQuery {
  const DatasetSpec* dataset = nullptr;
  std::vector<int> columns;  // indices into dataset->schema, in output order
  std::optional<int32_t> date_from, date_to;  // inclusive days on dataset->date_column
  std::optional<int64_t> limit;
  Caller caller;
  // The service's own region filter. PostgreSQL's RLS applies whatever this says; tests turn
  // it off to prove the database itself refuses the rows.
  bool apply_region_filter = true;
  // Rows come ordered by the date column; with this set (a dataset column index), by this
  // column first, so that each partition's rows arrive together. A limit applies before it.
  std::optional<int> order_by_column;
  size_t batch_rows = 16384;
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
  virtual const char* kind() const = 0;  // "sqlite" | "postgresql"
};

// "sqlite:PATH" or a libpq URI ("postgresql://..." / "postgres://...").
Result<std::unique_ptr<Source>> open_source(const std::string& warehouse_url);

}  // namespace scout
