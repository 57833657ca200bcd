// The seam between warehouses and the export pipeline: a Source describes a dataset's actual
// columns and streams its rows as column batches. Identifiers come only from the catalog; every
// value a caller supplies (dates, limit, region) is bound as a parameter.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "export/catalog.h"
#include "scout/column_batch.h"
#include "scout/status.h"

namespace scout {

// Who asks. PostgreSQL gets the role and claims set on its session, so its row-level
// security decides; the embedded warehouse applies the same policy itself. A default Caller
// names nobody and sees nothing (no role, claims that match no policy): reading everything
// must be asked for, with Caller::admin().
struct Caller {
  std::string role;
  std::optional<std::string> region;  // set: only this region's rows, whatever the role
  std::string claims_json = "{}";     // the JWT claims, as auth.jwt() returns them

  // A caller whose claims are just its role (and region), as an API key's are.
  static Caller with_role(std::string role, std::optional<std::string> region = std::nullopt);
  // The operator's own rights (the CLI, tools): every row of every dataset.
  static Caller admin() { return with_role("admin"); }

  // datasets.md: who reads rows at all. A region claim scopes any role to that region;
  // without one only the export roles read, and they read every row.
  bool reads_every_row() const { return !region && is_export_role(role); }
  bool reads_some_rows() const { return region.has_value() || is_export_role(role); }
  static bool is_export_role(std::string_view role) {
    return role == "admin" || role == "analytics_export";
  }
};

struct SourceQuery {
  const DatasetSpec* dataset = nullptr;
  std::vector<int> columns;  // indices into dataset->schema, in output order
  std::optional<int32_t> date_from, date_to;  // inclusive days on dataset->date_column
  std::optional<int64_t> limit;
  Caller caller;
  // The service's own region filter. PostgreSQL's RLS applies whatever this says; tests turn
  // it off to prove the database itself refuses the rows. The embedded warehouse, which has
  // no RLS, still refuses every row to a caller that may read none.
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
