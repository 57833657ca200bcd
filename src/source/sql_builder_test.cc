// The one SQL writer: both dialects read the same filters and the same region policy, with
// every value out of the text.
#include "source/sql_builder.h"

#include <gtest/gtest.h>

namespace scout {
namespace {

SourceQuery query_of(const char* dataset, std::vector<std::string> columns) {
  SourceQuery q;
  q.dataset = Catalog::builtin().find(dataset);
  for (const auto& name : columns) q.columns.push_back(q.dataset->schema.index_of(name));
  q.caller = Caller::admin();
  return q;
}

TEST(SqlBuilder, SqliteBindsEveryValue) {
  SourceQuery q = query_of("daily_transactions", {"transaction_date", "store_id"});
  q.date_from = *parse_date("2025-01-01");
  q.date_to = *parse_date("2025-01-31");
  q.limit = 10;
  q.caller = Caller::with_role("analytics_export", "NCR");
  SqlBuilder sql(SqlDialect::kSqlite, q);
  EXPECT_EQ(sql.select_sql(),
            "SELECT \"transaction_date\", \"store_id\" FROM \"daily_transactions\" WHERE true"
            " AND \"transaction_date\" >= ?1 AND \"transaction_date\" < ?2"
            " AND \"store_id\" IN (SELECT \"store_id\" FROM \"stores\" WHERE \"region\" = ?3)"
            " ORDER BY \"transaction_date\", rowid LIMIT ?4");
  FilterValues v = sql.values();
  EXPECT_EQ(v.date_from, "2025-01-01");
  EXPECT_EQ(v.date_until, "2025-02-01");  // exclusive: the last day's timestamps count
  EXPECT_EQ(v.region, "NCR");
  EXPECT_EQ(v.limit, 10);
}

TEST(SqlBuilder, PostgresReadsValuesFromSettings) {
  SourceQuery q = query_of("store_rankings", {"store_id", "region"});
  q.date_from = *parse_date("2025-01-01");
  q.caller = Caller::with_role("authenticated", "NCR");
  q.order_by_column = q.dataset->schema.index_of("region");
  SqlBuilder sql(SqlDialect::kPostgres, q);
  EXPECT_EQ(sql.count_sql(),
            "SELECT count(*) FROM \"scout_gold\".\"store_rankings\" WHERE true"
            " AND \"as_of_date\" >= current_setting('scout.date_from')::date"
            " AND \"region\" = current_setting('scout.region')");
  EXPECT_EQ(sql.select_sql(),
            "SELECT * FROM (SELECT \"store_id\", \"region\" FROM \"scout_gold\".\"store_rankings\""
            " WHERE true AND \"as_of_date\" >= current_setting('scout.date_from')::date"
            " AND \"region\" = current_setting('scout.region') ORDER BY \"as_of_date\", ctid)"
            " AS limited ORDER BY \"region\"");
}

// A caller who may read nothing gets nothing from the embedded warehouse, whose only policy
// this is; PostgreSQL leaves that to row-level security when the service filter is off.
TEST(SqlBuilder, CallerWhoReadsNothingGetsNothing) {
  SourceQuery q = query_of("daily_transactions", {"store_id"});
  q.caller = Caller::with_role("authenticated");
  q.apply_region_filter = false;
  EXPECT_NE(SqlBuilder(SqlDialect::kSqlite, q).count_sql().find(" AND false"), std::string::npos);
  EXPECT_EQ(SqlBuilder(SqlDialect::kPostgres, q).count_sql().find(" AND false"), std::string::npos);
  q.apply_region_filter = true;
  EXPECT_NE(SqlBuilder(SqlDialect::kPostgres, q).count_sql().find(" AND false"), std::string::npos);
}

TEST(SqlBuilder, RegionWithoutRegionColumnsReadsNothing) {
  SourceQuery q = query_of("hourly_patterns", {"hour"});
  q.caller = Caller::with_role("admin", "NCR");
  EXPECT_NE(SqlBuilder(SqlDialect::kSqlite, q).count_sql().find(" AND false"), std::string::npos);
}

// The stores table and its columns are the access policy's, not the builder's.
TEST(SqlBuilder, StoresTableComesFromThePolicy) {
  AccessPolicy policy = AccessPolicy::standard();
  policy.stores = {"shops", "ref.shops", "shop_id", "area"};
  SourceQuery q = query_of("ml_predictions", {"store_id"});
  q.policy = &policy;
  q.caller = Caller::with_role("analytics_export", "NCR", policy);
  EXPECT_NE(SqlBuilder(SqlDialect::kPostgres, q).count_sql().find(
                "\"store_id\" IN (SELECT \"shop_id\" FROM \"ref\".\"shops\" WHERE \"area\" = "),
            std::string::npos);
  EXPECT_NE(SqlBuilder(SqlDialect::kSqlite, q).count_sql().find("FROM \"shops\" WHERE \"area\" = ?3"),
            std::string::npos);
}

TEST(SourceValues, NotNullIsCheckedOncePerBatchWithTheRow) {
  SourceQuery q = query_of("daily_transactions", {"store_id", "unique_customers"});
  Schema schema;
  for (int idx : q.columns) schema.fields.push_back(q.dataset->schema[idx]);
  ColumnBatch batch(schema);
  batch.column(0).append_int32(1);
  batch.column(1).append_null();  // nullable: fine
  batch.column(0).append_int32(2);
  batch.column(1).append_int32(7);
  EXPECT_TRUE(check_not_null(q, batch, 0).ok());
  batch.column(0).append_null();
  batch.column(1).append_int32(8);
  Status st = check_not_null(q, batch, 100);
  EXPECT_EQ(st.code(), StatusCode::kSchemaMismatch);
  EXPECT_EQ(st.message(),
            "schema validation failed for dataset 'daily_transactions': column 'store_id' (int32), "
            "row 103: NULL in a NOT NULL column");
}

}  // namespace
}  // namespace scout
