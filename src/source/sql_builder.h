// The one writer of the export's SQL, for both warehouses: identifier quoting, the date and
// limit filters, the order of rows and the region policy. Identifiers come from the catalog;
// values never appear in the text. SQLite binds them as ?1-?4; PostgreSQL, whose COPY takes no
// parameters, reads them back with current_setting() from transaction settings that were set
// with bound parameters (see FilterValues).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "source/source.h"

namespace scout {

enum class SqlDialect { kSqlite, kPostgres };

// `"name"`; identifiers are catalog names (^[a-z_][a-z0-9_]*$), so nothing needs escaping.
std::string quote_ident(std::string_view name);
// `"schema"."table"`, or `"table"` when unqualified.
std::string quote_table(std::string_view qualified);

// The values a query's filters compare with, as text, each present when its filter is.
struct FilterValues {
  std::optional<std::string> date_from;   // YYYY-MM-DD, inclusive
  std::optional<std::string> date_until;  // YYYY-MM-DD, exclusive: the day after date_to
  std::optional<std::string> region;      // the caller's region, when the region filter applies
  std::optional<int64_t> limit;
};

class SqlBuilder {
 public:
  SqlBuilder(SqlDialect dialect, const SourceQuery& query) : dialect_(dialect), query_(query) {}
  SqlBuilder(SqlDialect, SourceQuery&&) = delete;  // it keeps a reference

  // SELECT count(*) of the rows the query reads (before its limit).
  std::string count_sql() const;
  // The export query: the query's columns, filtered, in date order (then the partition
  // column's, when set), limited.
  std::string select_sql() const;
  FilterValues values() const;

  // SQLite's parameter numbers.
  static constexpr int kDateFromParam = 1, kDateUntilParam = 2, kRegionParam = 3, kLimitParam = 4;

 private:
  std::string table() const;
  std::string where_clause() const;
  std::string value(int sqlite_param, const char* setting, const char* pg_type) const;
  bool region_filter_applies() const;

  SqlDialect dialect_;
  const SourceQuery& query_;
};

}  // namespace scout
