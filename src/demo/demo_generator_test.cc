#include "demo/demo_generator.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "demo/demo_world.h"
#include "demo/sqlite_demo_sink.h"
#include "source/source.h"
#include "source/sqlite_source.h"

namespace scout {
namespace {

// One generated table, kept as typed batches plus one printable line per row.
struct CapturedTable {
  std::string qualified;
  Schema schema;
  std::vector<std::string> lines;
  std::vector<ColumnBatch> batches;
};

std::string cell(const ColumnVector& col, size_t r) {
  if (!col.validity()[r]) return "NULL";
  switch (col.type().id) {
    case TypeId::kBoolean: return col.value<uint8_t>(r) ? "true" : "false";
    case TypeId::kInt16:
    case TypeId::kInt32: return std::to_string(col.value<int32_t>(r));
    case TypeId::kInt64:
    case TypeId::kDecimal: return std::to_string(col.value<int64_t>(r));
    case TypeId::kDouble: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", col.value<double>(r));
      return buf;
    }
    case TypeId::kDate: return format_date(col.value<int32_t>(r));
    case TypeId::kTimestamp: return format_timestamp_micros(col.value<int64_t>(r));
    default: return std::string(col.string_at(r));
  }
}

class CaptureSink final : public DemoSink {
 public:
  Status begin_table(const std::string& name, const std::string& qualified, const Schema& schema) override {
    current_ = &tables[name];
    *current_ = CapturedTable{qualified, schema, {}, {}};
    order.push_back(name);
    return Status::OK();
  }
  Status append(const ColumnBatch& batch) override {
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      std::string line;
      for (size_t c = 0; c < batch.num_columns(); ++c) line += (c ? "|" : "") + cell(batch.column(c), r);
      current_->lines.push_back(std::move(line));
    }
    current_->batches.push_back(batch);
    return Status::OK();
  }
  Status end_table() override { return Status::OK(); }
  Status finish(const Catalog&) override {
    finished = true;
    return Status::OK();
  }

  std::map<std::string, CapturedTable> tables;
  std::vector<std::string> order;
  bool finished = false;

 private:
  CapturedTable* current_ = nullptr;
};

int32_t day_of(const char* text) { return *parse_date(text); }

CaptureSink generate(double scale, const char* until, uint64_t seed = 42) {
  DemoOptions options;
  options.scale = scale;
  options.seed = seed;
  options.last_day = day_of(until);
  CaptureSink sink;
  auto summary = generate_demo(Catalog::builtin(), options, &sink);
  EXPECT_TRUE(summary.ok()) << summary.status().to_string();
  return sink;
}

// Calls f(row, column vector...) for every row of a captured table.
template <typename F>
void for_each_row(const CapturedTable& t, F f) {
  for (const ColumnBatch& b : t.batches) {
    for (size_t r = 0; r < b.num_rows(); ++r) f(b, r);
  }
}

int64_t centavos(double pesos) { return std::llround(pesos * 100); }

TEST(DemoGenerator, WritesEveryTableInOrderWithTheCatalogSchemas) {
  CaptureSink sink = generate(0.04, "2024-03-31");
  EXPECT_TRUE(sink.finished);
  EXPECT_EQ(sink.order, (std::vector<std::string>{"stores", "daily_transactions", "hourly_patterns", "payment_trends",
                                                  "store_rankings", "store_features", "ml_predictions"}));
  EXPECT_EQ(sink.tables["stores"].qualified, "scout_gold.stores");
  for (const DatasetSpec& d : Catalog::builtin().datasets()) {
    const CapturedTable& t = sink.tables[d.name];
    EXPECT_EQ(t.qualified, d.table);
    ASSERT_EQ(t.schema.size(), d.schema.size()) << d.name;
    for (size_t i = 0; i < d.schema.size(); ++i) {
      EXPECT_EQ(t.schema[i].name, d.schema[i].name);
      EXPECT_EQ(t.schema[i].type, d.schema[i].type);
      EXPECT_EQ(t.schema[i].nullable, d.schema[i].nullable);
    }
    // No NULL where the catalog says NOT NULL.
    for_each_row(t, [&](const ColumnBatch& b, size_t r) {
      for (size_t c = 0; c < d.schema.size(); ++c) {
        if (!d.schema[c].nullable) {
          ASSERT_TRUE(b.column(c).validity()[r]) << d.name << "." << d.schema[c].name;
        }
      }
    });
  }
}

TEST(DemoGenerator, RowCountsFollowScaleAndCalendar) {
  CaptureSink sink = generate(0.04, "2024-03-31");  // 20 stores, 91 days, 3 complete months
  EXPECT_EQ(sink.tables["stores"].lines.size(), 20u);
  EXPECT_EQ(sink.tables["daily_transactions"].lines.size(), 20u * 91);
  EXPECT_EQ(sink.tables["hourly_patterns"].lines.size(), 24u * 91);
  EXPECT_EQ(sink.tables["payment_trends"].lines.size(), 4u * 91);
  EXPECT_EQ(sink.tables["store_rankings"].lines.size(), 20u * 3);
  // Mondays from 2024-01-29 (28 days after the first) through 2024-03-25: 9 weeks.
  EXPECT_EQ(sink.tables["store_features"].lines.size(), 20u * 9);
  EXPECT_EQ(sink.tables["ml_predictions"].lines.size(), 20u * 91);
  EXPECT_EQ(demo::store_count_for_scale(1.0), 500);
  EXPECT_EQ(demo::store_count_for_scale(40), 20000);
  EXPECT_EQ(demo::store_count_for_scale(0.001), 1);
}

TEST(DemoGenerator, SameSeedSameRowsOtherSeedOtherRows) {
  CaptureSink a = generate(0.02, "2024-02-29");
  CaptureSink b = generate(0.02, "2024-02-29");
  CaptureSink c = generate(0.02, "2024-02-29", 7);
  for (const auto& [name, table] : a.tables) {
    EXPECT_EQ(table.lines, b.tables[name].lines) << name;
  }
  EXPECT_NE(a.tables["daily_transactions"].lines, c.tables["daily_transactions"].lines);
}

// A warehouse generated later (until D2) holds exactly the rows of one generated earlier
// (until D1 < D2) on every day they share.
TEST(DemoGenerator, LaterWarehouseAgreesOnSharedDays) {
  const int32_t d1 = day_of("2024-03-10");
  CaptureSink early = generate(0.03, "2024-03-10");
  CaptureSink late = generate(0.03, "2024-05-20");
  EXPECT_EQ(early.tables["stores"].lines, late.tables["stores"].lines);
  for (const DatasetSpec& d : Catalog::builtin().datasets()) {
    const int date_col = d.schema.index_of(d.date_column);
    const bool is_timestamp = d.schema[static_cast<size_t>(date_col)].type.id == TypeId::kTimestamp;
    std::vector<std::string> shared;
    for_each_row(late.tables[d.name], [&](const ColumnBatch& b, size_t r) {
      const ColumnVector& col = b.column(static_cast<size_t>(date_col));
      const int64_t day = is_timestamp ? col.value<int64_t>(r) / 86'400'000'000 : col.value<int32_t>(r);
      if (day > d1) return;
      std::string line;
      for (size_t c = 0; c < b.num_columns(); ++c) line += (c ? "|" : "") + cell(b.column(c), r);
      shared.push_back(line);
    });
    EXPECT_EQ(shared, early.tables[d.name].lines) << d.name;
    EXPECT_GT(late.tables[d.name].lines.size(), early.tables[d.name].lines.size()) << d.name;
  }
}

TEST(DemoGenerator, StoreDaysDoNotDependOnScale) {
  CaptureSink small = generate(0.01, "2024-01-31");
  CaptureSink large = generate(0.05, "2024-01-31");
  std::set<std::string> large_rows(large.tables["daily_transactions"].lines.begin(),
                                   large.tables["daily_transactions"].lines.end());
  for (const std::string& line : small.tables["daily_transactions"].lines) {
    EXPECT_TRUE(large_rows.count(line)) << line;
  }
}

TEST(DemoGenerator, PaymentSplitsSumExactlyToRevenue) {
  CaptureSink sink = generate(0.1, "2024-06-30");
  std::map<int32_t, int64_t> revenue_by_day;
  int64_t rows = 0;
  for_each_row(sink.tables["daily_transactions"], [&](const ColumnBatch& b, size_t r) {
    const int64_t total = centavos(b.column(4).value<double>(r));
    int64_t parts = 0;
    for (size_t c = 7; c <= 10; ++c) {
      const double part = b.column(c).value<double>(r);
      EXPECT_GT(part, 0);
      EXPECT_EQ(part, centavos(part) / 100.0);  // whole centavos
      parts += centavos(part);
    }
    ASSERT_EQ(parts, total) << "row " << rows;
    const int32_t count = b.column(3).value<int32_t>(r);
    EXPECT_NEAR(b.column(5).value<double>(r), b.column(4).value<double>(r) / count, 0.00501);  // rounded to cents
    revenue_by_day[b.column(0).value<int32_t>(r)] += total;
    ++rows;
  });
  EXPECT_EQ(rows, 50 * 182);
  // payment_trends' exact decimal amounts add up to the day's revenue of every store.
  std::map<int32_t, int64_t> payments_by_day;
  std::map<int32_t, double> shares_by_day;
  for_each_row(sink.tables["payment_trends"], [&](const ColumnBatch& b, size_t r) {
    payments_by_day[b.column(0).value<int32_t>(r)] += b.column(3).value<int64_t>(r);
    shares_by_day[b.column(0).value<int32_t>(r)] += b.column(4).value<double>(r);
  });
  EXPECT_EQ(payments_by_day, revenue_by_day);
  for (const auto& [day, share] : shares_by_day) EXPECT_NEAR(share, 1.0, 1e-5);
}

TEST(DemoGenerator, AboutFivePercentOfUniqueCustomersAreNull) {
  CaptureSink sink = generate(0.2, "2024-12-31");  // 100 stores, 366 days
  int64_t rows = 0, nulls = 0;
  for_each_row(sink.tables["daily_transactions"], [&](const ColumnBatch& b, size_t r) {
    ++rows;
    if (!b.column(6).validity()[r]) {
      ++nulls;
    } else {
      EXPECT_LE(b.column(6).value<int32_t>(r), b.column(3).value<int32_t>(r));
    }
  });
  EXPECT_EQ(rows, 100 * 366);
  EXPECT_NEAR(static_cast<double>(nulls) / static_cast<double>(rows), 0.05, 0.005);
}

TEST(DemoGenerator, WeekendsPaydaysAndRegionsDiffer) {
  CaptureSink sink = generate(1.0, "2024-06-30");
  std::map<std::string, std::string> region_of;  // store_id -> region
  for_each_row(sink.tables["stores"], [&](const ColumnBatch& b, size_t r) {
    region_of[std::to_string(b.column(0).value<int32_t>(r))] = std::string(b.column(2).string_at(r));
  });
  double sums[3] = {0, 0, 0};  // weekday non-payday, weekend non-payday, weekday payday
  int days[3] = {0, 0, 0};
  std::map<std::string, std::pair<double, int64_t>> region_revenue;  // revenue, transactions
  for_each_row(sink.tables["daily_transactions"], [&](const ColumnBatch& b, size_t r) {
    const int32_t day = b.column(0).value<int32_t>(r);
    const bool weekend = demo::weekday_monday0(day) >= 5, payday = demo::is_payday(day);
    const int kind = payday ? (weekend ? -1 : 2) : (weekend ? 1 : 0);
    const double revenue = b.column(4).value<double>(r);
    if (kind >= 0) {
      sums[kind] += revenue;
      ++days[kind];
    }
    auto& rr = region_revenue[region_of[std::to_string(b.column(2).value<int32_t>(r))]];
    rr.first += revenue;
    rr.second += b.column(3).value<int32_t>(r);
  });
  const double weekday = sums[0] / days[0], weekend = sums[1] / days[1], payday = sums[2] / days[2];
  EXPECT_GT(weekend, weekday * 1.2);
  EXPECT_GT(payday, weekday * 1.3);
  ASSERT_EQ(region_revenue.size(), 17u);
  const double ncr_ticket = region_revenue["NCR"].first / static_cast<double>(region_revenue["NCR"].second);
  const double barmm_ticket = region_revenue["BARMM"].first / static_cast<double>(region_revenue["BARMM"].second);
  EXPECT_GT(ncr_ticket, barmm_ticket * 1.5);
  EXPECT_GT(region_revenue["NCR"].first, region_revenue["BARMM"].first * 5);  // more stores too
}

TEST(DemoGenerator, StoresHaveAwkwardNamesAndOneDeviceEach) {
  CaptureSink sink = generate(1.0, "2024-01-01");
  std::set<std::string> regions, devices;
  bool comma = false, quote = false, apostrophe = false, non_ascii = false;
  for_each_row(sink.tables["stores"], [&](const ColumnBatch& b, size_t r) {
    const std::string name(b.column(1).string_at(r));
    comma |= name.find(',') != std::string::npos;
    quote |= name.find('"') != std::string::npos;
    apostrophe |= name.find('\'') != std::string::npos;
    for (unsigned char ch : name) non_ascii |= ch >= 0x80;
    regions.insert(std::string(b.column(2).string_at(r)));
    devices.insert(std::string(b.column(4).string_at(r)));
  });
  EXPECT_TRUE(comma && quote && apostrophe && non_ascii);
  EXPECT_EQ(sink.tables["stores"].lines[0].rfind("1|Aling Nena's Sari-Sari, Brgy. Niño|NCR|", 0), 0u);
  EXPECT_NE(sink.tables["stores"].lines[0].find("|SCOUT-DEV-0001"), std::string::npos);
  EXPECT_EQ(sink.tables["stores"].lines[499].substr(0, 4), "500|");
  EXPECT_NE(sink.tables["stores"].lines[499].find("|SCOUT-DEV-0500"), std::string::npos);
  EXPECT_EQ(devices.size(), 500u);
  std::set<std::string> expected;
  for (const demo::Region& region : demo::regions()) expected.insert(region.name);
  EXPECT_EQ(regions, expected);
  EXPECT_EQ(expected.size(), 17u);
  EXPECT_TRUE(expected.count("Region IV-A - CALABARZON"));
  // Even 17 stores cover every region.
  CaptureSink tiny = generate(17 / 500.0, "2024-01-01");
  std::set<std::string> tiny_regions;
  for_each_row(tiny.tables["stores"], [&](const ColumnBatch& b, size_t r) {
    tiny_regions.insert(std::string(b.column(2).string_at(r)));
  });
  EXPECT_EQ(tiny_regions.size(), 17u);
}

TEST(DemoGenerator, HourlyRankingsFeaturesAndPredictionsAreWellFormed) {
  CaptureSink sink = generate(0.1, "2024-02-29");
  std::map<int32_t, std::set<int32_t>> hours;
  for_each_row(sink.tables["hourly_patterns"], [&](const ColumnBatch& b, size_t r) {
    hours[b.column(0).value<int32_t>(r)].insert(b.column(1).value<int32_t>(r));
  });
  EXPECT_EQ(hours.size(), 60u);
  for (const auto& [day, set] : hours) {
    EXPECT_EQ(set.size(), 24u);
    EXPECT_EQ(*set.begin(), 0);
    EXPECT_EQ(*set.rbegin(), 23);
  }
  // Rankings: as of each month's last day, ranks 1..N by revenue, the best Platinum.
  std::map<int32_t, std::vector<std::pair<int32_t, double>>> ranks;
  for_each_row(sink.tables["store_rankings"], [&](const ColumnBatch& b, size_t r) {
    ranks[b.column(8).value<int32_t>(r)].emplace_back(b.column(6).value<int32_t>(r), b.column(4).value<double>(r));
    if (b.column(6).value<int32_t>(r) == 1) {
      EXPECT_EQ(b.column(7).string_at(r), "Platinum");
    }
  });
  EXPECT_EQ(ranks.size(), 2u);
  EXPECT_TRUE(ranks.count(day_of("2024-01-31")) && ranks.count(day_of("2024-02-29")));
  for (const auto& [as_of, list] : ranks) {
    ASSERT_EQ(list.size(), 50u);
    for (size_t i = 0; i < list.size(); ++i) {
      EXPECT_EQ(list[i].first, static_cast<int32_t>(i + 1));
      if (i > 0) {
        EXPECT_LE(list[i].second, list[i - 1].second);
      }
    }
  }
  for_each_row(sink.tables["store_features"], [&](const ColumnBatch& b, size_t r) {
    const int64_t micros = b.column(7).value<int64_t>(r);
    EXPECT_EQ(demo::weekday_monday0(static_cast<int32_t>(micros / 86'400'000'000)), 0);
    EXPECT_EQ(micros % 86'400'000'000, 2LL * 3600 * 1'000'000);
    const double churn = b.column(4).value<double>(r), growth = b.column(5).value<double>(r);
    EXPECT_TRUE(churn >= 0 && churn <= 1) << churn;
    EXPECT_TRUE(growth >= 0 && growth <= 100) << growth;
  });
  for_each_row(sink.tables["ml_predictions"], [&](const ColumnBatch& b, size_t r) {
    if (!b.column(4).validity()[r]) return;
    const double confidence = b.column(5).value<double>(r);
    EXPECT_TRUE(confidence > 0 && confidence < 1);
    EXPECT_LE(b.column(6).value<double>(r), b.column(4).value<double>(r));
    EXPECT_GE(b.column(7).value<double>(r), b.column(4).value<double>(r));
  });
}

TEST(DemoGenerator, RefusesBadOptionsAndForeignCatalogs) {
  CaptureSink sink;
  DemoOptions options;
  options.last_day = day_of("2023-12-31");
  auto r = generate_demo(Catalog::builtin(), options, &sink);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "the demo's last day 2023-12-31 is before its first, 2024-01-01");
  options.last_day = day_of("2024-01-31");
  options.scale = 0;
  EXPECT_FALSE(generate_demo(Catalog::builtin(), options, &sink).ok());

  auto other = Catalog::parse(R"({"datasets":[{"name":"daily_transactions","table":"s.daily_transactions",
      "partition_column":"transaction_date","date_column":"transaction_date",
      "columns":[{"name":"transaction_date","type":"date"}]}]})", "other.json");
  ASSERT_TRUE(other.ok()) << other.status().to_string();
  options.scale = 0.01;
  r = generate_demo(*other, options, &sink);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kSchemaMismatch);
}

class SqliteDemoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("scout-demo-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    path_ = (dir_ / "sub" / "warehouse.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Result<DemoSummary> load(const char* until, double scale = 0.02) {
    SCOUT_ASSIGN_OR_RETURN(auto sink, make_sqlite_demo_sink(path_));
    DemoOptions options;
    options.scale = scale;
    options.last_day = day_of(until);
    return generate_demo(Catalog::builtin(), options, sink.get());
  }

  std::vector<std::vector<std::string>> query(const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    std::vector<std::vector<std::string>> rows;
    while (st && sqlite3_step(st) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        const unsigned char* text = sqlite3_column_text(st, c);
        row.push_back(text ? reinterpret_cast<const char*>(text) : "NULL");
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rows;
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(SqliteDemoTest, DeclaredTypesMatchTheCatalog) {
  auto summary = load("2024-02-29");
  ASSERT_TRUE(summary.ok()) << summary.status().to_string();
  auto source = open_source("sqlite:" + path_);
  ASSERT_TRUE(source.ok()) << source.status().to_string();
  for (const DatasetSpec& d : Catalog::builtin().datasets()) {
    auto described = (*source)->describe(d);
    ASSERT_TRUE(described.ok()) << described.status().to_string();
    ASSERT_EQ(described->size(), d.schema.size()) << d.name;
    for (size_t i = 0; i < d.schema.size(); ++i) {
      EXPECT_EQ((*described)[i].name, d.schema[i].name) << d.name;
      EXPECT_EQ((*described)[i].type, d.schema[i].type) << d.name << "." << d.schema[i].name;
      EXPECT_EQ((*described)[i].nullable, d.schema[i].nullable) << d.name << "." << d.schema[i].name;
    }
    auto rows = query("SELECT type FROM pragma_table_info('" + d.name + "')");
    for (size_t i = 0; i < d.schema.size(); ++i) EXPECT_EQ(rows[i][0], sqlite_type_for(d.schema[i].type));
    EXPECT_EQ(query("SELECT count(*) FROM pragma_index_list('" + d.name + "')")[0][0], "1") << d.name;
  }
  EXPECT_EQ(query("SELECT count(*) FROM stores")[0][0], "10");
}

TEST_F(SqliteDemoTest, ValuesReadAsTextAnyoneUnderstands) {
  ASSERT_TRUE(load("2024-02-29").ok());
  auto daily = query("SELECT transaction_date, device_id, typeof(total_revenue) FROM daily_transactions "
                     "WHERE store_id = 1 ORDER BY transaction_date LIMIT 1");
  EXPECT_EQ(daily[0], (std::vector<std::string>{"2024-01-01", "SCOUT-DEV-0001", "real"}));
  auto feature = query("SELECT feature_timestamp FROM store_features ORDER BY feature_timestamp LIMIT 1");
  EXPECT_EQ(feature[0][0], "2024-01-29T02:00:00.000000Z");
  auto split = query("SELECT count(*) FROM daily_transactions WHERE "
                     "abs(cash_amount + gcash_amount + maya_amount + card_amount - total_revenue) > 0.001");
  EXPECT_EQ(split[0][0], "0");
  // decimal(14,2) prints as the exact amount, and the day's amounts add up to its revenue.
  auto pay = query("SELECT p.total, d.total FROM "
                   "(SELECT sum(CAST(round(total_amount * 100) AS INTEGER)) AS total FROM payment_trends "
                   " WHERE transaction_date = '2024-02-15') p, "
                   "(SELECT sum(CAST(round(total_revenue * 100) AS INTEGER)) AS total FROM daily_transactions "
                   " WHERE transaction_date = '2024-02-15') d");
  EXPECT_EQ(pay[0][0], pay[0][1]);
  auto amount = query("SELECT total_amount FROM payment_trends LIMIT 1")[0][0];
  ASSERT_NE(amount.find('.'), std::string::npos) << amount;
  EXPECT_LE(amount.size() - amount.find('.') - 1, 2u) << amount;
  EXPECT_EQ(query("SELECT store_name FROM stores WHERE store_id = 1")[0][0], "Aling Nena's Sari-Sari, Brgy. Niño");
}

TEST_F(SqliteDemoTest, RefreshReplacesTheWarehouse) {
  ASSERT_TRUE(load("2024-01-31").ok());
  EXPECT_EQ(query("SELECT count(*), max(transaction_date) FROM daily_transactions")[0],
            (std::vector<std::string>{"310", "2024-01-31"}));
  ASSERT_TRUE(load("2024-02-10").ok());
  EXPECT_EQ(query("SELECT count(*), max(transaction_date) FROM daily_transactions")[0],
            (std::vector<std::string>{"410", "2024-02-10"}));
  // Nothing is left beside the warehouse.
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_ / "sub")) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 1u);
}

TEST_F(SqliteDemoTest, AFailedLoadLeavesTheOldWarehouse) {
  ASSERT_TRUE(load("2024-01-31").ok());
  {
    auto sink = make_sqlite_demo_sink(path_);
    ASSERT_TRUE(sink.ok());
    ASSERT_TRUE((*sink)->begin_table("stores", "scout_gold.stores", stores_schema()).ok());
    // Dropped unfinished, as when generation fails.
  }
  EXPECT_EQ(query("SELECT count(*) FROM daily_transactions")[0][0], "310");
}

}  // namespace
}  // namespace scout
