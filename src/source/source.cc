#include "source/source.h"

#include "core/warehouse_url.h"
#include "source/postgres_source.h"
#include "source/sqlite_source.h"

namespace scout {

Status value_mismatch(const SourceQuery& query, size_t column, int64_t row, const std::string& what) {
  const Field& f = query.dataset->schema[query.columns[column]];
  return Status::SchemaMismatch("schema validation failed for dataset '" + query.dataset->name +
                                "': column '" + f.name + "' (" + f.type.name() + "), row " +
                                std::to_string(row + 1) + ": " + what);
}

Status check_not_null(const SourceQuery& query, const ColumnBatch& batch, int64_t first_row) {
  for (size_t c = 0; c < query.columns.size(); ++c) {
    const ColumnVector& column = batch.column(c);
    if (query.dataset->schema[query.columns[c]].nullable || column.null_count() == 0) continue;
    size_t row = 0;
    while (row < batch.num_rows() && column.validity()[row] != 0) ++row;
    return value_mismatch(query, c, first_row + static_cast<int64_t>(row), "NULL in a NOT NULL column");
  }
  return Status::OK();
}

Result<std::unique_ptr<Source>> open_source(const std::string& url) {
  SCOUT_ASSIGN_OR_RETURN(WarehouseUrl warehouse, parse_warehouse_url(url));
  if (warehouse.kind == WarehouseUrl::Kind::kSqlite) return open_sqlite_source(warehouse.sqlite_path);
  return open_postgres_source(warehouse.url);
}

}  // namespace scout
