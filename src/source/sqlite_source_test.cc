// The embedded warehouse's own access policy (datasets.md), over a small demo warehouse: it is
// the only policy there, so what a caller reads is exactly what this source lets through.
#include "source/sqlite_source.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <set>

#include "demo/demo_generator.h"
#include "demo/sqlite_demo_sink.h"
#include "testing/temp_dir.h"

namespace scout {
namespace {

std::string text_of(const ColumnVector& col, size_t r) {
  switch (col.type().id) {
    case TypeId::kString: return std::string(col.string_at(r));
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kDate: return std::to_string(col.value<int32_t>(r));
    case TypeId::kInt64:
    case TypeId::kTimestamp: return std::to_string(col.value<int64_t>(r));
    default: return "?";
  }
}

class SqliteSourceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test_support::TempDir();
    path_ = dir_->file("warehouse.db");
    auto sink = make_sqlite_demo_sink(path_);
    ASSERT_TRUE(sink.ok()) << sink.status().to_string();
    DemoOptions options;
    options.scale = 0.04;  // 20 stores: one in every region and three more
    options.last_day = *parse_date("2024-02-29");
    auto summary = generate_demo(Catalog::builtin(), options, sink->get());
    ASSERT_TRUE(summary.ok()) << summary.status().to_string();
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  void SetUp() override {
    auto source = open_sqlite_source(path_);
    ASSERT_TRUE(source.ok()) << source.status().to_string();
    source_ = std::move(*source);
  }

  // How many rows of `dataset` `caller` reads, counted by the value of `column` (as text).
  std::map<std::string, int64_t> rows_by(const std::string& dataset, const std::string& column,
                                         const Caller& caller) {
    const DatasetSpec* d = Catalog::builtin().find(dataset);
    EXPECT_NE(d, nullptr) << dataset;
    if (!d) return {};
    SourceQuery query;
    query.dataset = d;
    query.columns = {d->schema.index_of(column)};
    query.caller = caller;
    Schema schema;
    schema.fields.push_back(d->schema[query.columns[0]]);
    auto reader = source_->open(query);
    EXPECT_TRUE(reader.ok()) << reader.status().to_string();
    if (!reader.ok()) return {};
    std::map<std::string, int64_t> counts;
    ColumnBatch batch(schema);
    while (true) {
      auto more = (*reader)->next(&batch);
      EXPECT_TRUE(more.ok()) << more.status().to_string();
      if (!more.ok() || !*more) break;
      const ColumnVector& col = batch.column(0);
      for (size_t r = 0; r < batch.num_rows(); ++r) {
        ++counts[text_of(col, r)];
      }
    }
    auto estimate = source_->estimate_rows(query);
    EXPECT_TRUE(estimate.ok()) << estimate.status().to_string();
    int64_t total = 0;
    for (const auto& [value, n] : counts) total += n;
    if (estimate.ok()) {
      EXPECT_EQ(*estimate, total) << "the estimate counts what the read returns";
    }
    return counts;
  }

  // The first column of every row of `sql`, straight from the file.
  static std::vector<std::string> query(const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    std::vector<std::string> out;
    while (st && sqlite3_step(st) == SQLITE_ROW) {
      out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
  }

  static test_support::TempDir* dir_;
  static std::string path_;
  std::unique_ptr<Source> source_;
};

test_support::TempDir* SqliteSourceTest::dir_ = nullptr;
std::string SqliteSourceTest::path_;

TEST_F(SqliteSourceTest, ARegionRestrictsEveryRole) {
  const std::string ncr_rows = query("SELECT count(*) FROM store_rankings WHERE region = 'NCR'")[0];
  const std::string all_rows = query("SELECT count(*) FROM store_rankings")[0];
  ASSERT_NE(ncr_rows, "0");
  ASSERT_NE(ncr_rows, all_rows);
  for (const char* role : {"analytics_export", "admin", "store_manager"}) {
    auto rows = rows_by("store_rankings", "region", Caller::with_role(role, "NCR"));
    EXPECT_EQ(rows.size(), 1u) << role;
    EXPECT_EQ(std::to_string(rows["NCR"]), ncr_rows) << role;
  }
  // Through the store column joined to the stores table.
  std::set<std::string> ncr_stores;
  for (auto& id : query("SELECT store_id FROM stores WHERE region = 'NCR'")) ncr_stores.insert(id);
  auto daily = rows_by("daily_transactions", "store_id", Caller::with_role("admin", "NCR"));
  ASSERT_FALSE(daily.empty());
  for (const auto& [store, n] : daily) EXPECT_TRUE(ncr_stores.count(store)) << "store " << store;

  int64_t total = 0;
  for (const auto& [region, n] : rows_by("store_rankings", "region", Caller::admin())) total += n;
  EXPECT_EQ(std::to_string(total), all_rows);
}

// A signed claim may hold any string: "NCR\0x" is another region than NCR, not NCR cut short.
TEST_F(SqliteSourceTest, ARegionWithANulByteIsNoOtherRegion) {
  auto rows = rows_by("store_rankings", "region",
                      Caller::with_role("analytics_export", std::string("NCR\0x", 5)));
  EXPECT_TRUE(rows.empty());
}

TEST_F(SqliteSourceTest, ACallerNamingNobodySeesNothing) {
  for (const DatasetSpec& d : Catalog::builtin().datasets()) {
    EXPECT_TRUE(rows_by(d.name, d.date_column, Caller()).empty()) << d.name;
    EXPECT_TRUE(rows_by(d.name, d.date_column, Caller::with_role("authenticated")).empty())
        << d.name;
    EXPECT_FALSE(rows_by(d.name, d.date_column, Caller::with_role("analytics_export")).empty())
        << d.name;
  }
  // Turning the region filter off (a diagnostic for PostgreSQL's RLS) opens nothing here.
  SourceQuery query;
  query.dataset = Catalog::builtin().find("store_rankings");
  query.columns = {0};
  query.apply_region_filter = false;
  auto rows = source_->estimate_rows(query);
  ASSERT_TRUE(rows.ok()) << rows.status().to_string();
  EXPECT_EQ(*rows, 0);
}

}  // namespace
}  // namespace scout
