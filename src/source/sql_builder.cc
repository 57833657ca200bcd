#include "source/sql_builder.h"

namespace scout {

std::string quote_ident(std::string_view name) { return "\"" + std::string(name) + "\""; }

std::string quote_table(std::string_view qualified) {
  size_t dot = qualified.find('.');
  if (dot == std::string_view::npos) return quote_ident(qualified);
  return quote_ident(qualified.substr(0, dot)) + "." + quote_ident(qualified.substr(dot + 1));
}

std::string SqlBuilder::table() const {
  const DatasetSpec& d = *query_.dataset;
  return dialect_ == SqlDialect::kSqlite ? quote_ident(d.name) : quote_table(d.table);
}

// A value of the query: SQLite's numbered parameter, PostgreSQL's transaction setting.
std::string SqlBuilder::value(int sqlite_param, const char* setting, const char* pg_type) const {
  if (dialect_ == SqlDialect::kSqlite) return "?" + std::to_string(sqlite_param);
  return std::string("current_setting('scout.") + setting + "')" + pg_type;
}

bool SqlBuilder::region_filter_applies() const {
  return query_.apply_region_filter && query_.caller.region.has_value();
}

// The service's own filter repeats what row-level security decides (a caller who may read no
// rows gets none, a region caller its region's), so a database without the policies leaks
// nothing either. The embedded warehouse has no row-level security: there it is the only
// policy, so a caller who may read no rows gets none even with the region filter turned off.
std::string SqlBuilder::where_clause() const {
  const DatasetSpec& d = *query_.dataset;
  const AccessPolicy& policy = *query_.policy;
  const std::string date = quote_ident(d.date_column);
  std::string sql = " WHERE true";
  bool filter_unreadable = query_.apply_region_filter || dialect_ == SqlDialect::kSqlite;
  if (filter_unreadable && !query_.caller.reads_some_rows()) sql += " AND false";
  if (query_.date_from) sql += " AND " + date + " >= " + value(kDateFromParam, "date_from", "::date");
  if (query_.date_to) sql += " AND " + date + " < " + value(kDateUntilParam, "date_until", "::date");
  if (region_filter_applies()) {
    const std::string region = value(kRegionParam, "region", "");
    if (!d.region_column.empty()) {
      sql += " AND " + quote_ident(d.region_column) + " = " + region;
    } else if (!d.store_column.empty()) {
      const std::string stores = dialect_ == SqlDialect::kSqlite ? quote_ident(policy.stores.name)
                                                                 : quote_table(policy.stores.table);
      sql += " AND " + quote_ident(d.store_column) + " IN (SELECT " +
             quote_ident(policy.stores.store_column) + " FROM " + stores + " WHERE " +
             quote_ident(policy.stores.region_column) + " = " + region + ")";
    } else {
      sql += " AND false";  // the policy grants nothing here
    }
  }
  return sql;
}

std::string SqlBuilder::count_sql() const { return "SELECT count(*) FROM " + table() + where_clause(); }

std::string SqlBuilder::select_sql() const {
  const DatasetSpec& d = *query_.dataset;
  std::string cols;
  bool date_selected = false;
  for (int idx : query_.columns) {
    if (!cols.empty()) cols += ", ";
    cols += quote_ident(d.schema[idx].name);
    date_selected |= d.schema[idx].name == d.date_column;
  }
  // Ties in date order are broken by the row's physical place, so a limit is repeatable.
  const char* physical_order = dialect_ == SqlDialect::kSqlite ? "rowid" : "ctid";
  std::string sql = "SELECT " + cols + " FROM " + table() + where_clause() + " ORDER BY " +
                    quote_ident(d.date_column) + ", " + physical_order;
  if (query_.limit) sql += " LIMIT " + value(kLimitParam, "limit", "::bigint");
  if (query_.order_by_column) {
    // The partition column leads; within it rows keep date order. The limit applies first.
    sql = "SELECT * FROM (" + sql + ") AS limited ORDER BY " +
          quote_ident(d.schema[*query_.order_by_column].name) +
          (date_selected ? ", " + quote_ident(d.date_column) : "");
  }
  return sql;
}

FilterValues SqlBuilder::values() const {
  FilterValues v;
  if (query_.date_from) v.date_from = format_date(*query_.date_from);
  // Exclusive upper bound: the day after `to`, so timestamps of the last day are included.
  if (query_.date_to) v.date_until = format_date(*query_.date_to + 1);
  if (region_filter_applies()) v.region = *query_.caller.region;
  v.limit = query_.limit;
  return v;
}

}  // namespace scout
