// Runs against the server of SCOUT_TEST_PG_URL (scripts/pg-test-server.sh start prints one), in
// a database of its own so it cannot disturb other suites; skipped when the variable is unset.
#include "demo/postgres_demo_sink.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "source/pg_connection.h"
#include "source/postgres_source.h"
#include "testing/pg_test_database.h"

namespace scout {
namespace {

using test_support::with_database;

class PostgresDemoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* server = std::getenv("SCOUT_TEST_PG_URL");
    if (!server || !*server) return;
    database_ = "scout_demo_test_" + std::to_string(::getpid());
    auto admin = PgConnection::connect(server);
    ASSERT_TRUE(admin.ok()) << admin.status().to_string();
    (void)(*admin)->exec("DROP DATABASE IF EXISTS " + database_);
    Status created = (*admin)->exec("CREATE DATABASE " + database_);
    ASSERT_TRUE(created.ok()) << created.to_string() << " (the test login needs CREATEDB)";
    url_ = with_database(server, database_);
  }
  static void TearDownTestSuite() {
    if (url_.empty()) return;
    auto admin = PgConnection::connect(std::getenv("SCOUT_TEST_PG_URL"));
    if (admin.ok()) (void)(*admin)->exec("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
    url_.clear();
  }
  void SetUp() override {
    if (url_.empty()) GTEST_SKIP() << "SCOUT_TEST_PG_URL is not set (scripts/pg-test-server.sh start)";
    auto conn = PgConnection::connect(url_);
    ASSERT_TRUE(conn.ok()) << conn.status().to_string();
    conn_ = std::move(*conn);
  }

  static Result<DemoSummary> load(const char* until) {
    SCOUT_ASSIGN_OR_RETURN(auto sink, make_postgres_demo_sink(url_));
    DemoOptions options;
    options.scale = 0.04;  // 20 stores: one in every region and three more
    options.last_day = *parse_date(until);
    return generate_demo(Catalog::builtin(), options, sink.get());
  }

  // The first column of the first row of `sql`, run as the owner.
  std::string value(const std::string& sql) {
    auto r = conn_->query(sql, {});
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status().to_string();
    if (!r.ok()) return "";
    std::string v = PQntuples(*r) ? PQgetvalue(*r, 0, 0) : "";
    PQclear(*r);
    return v;
  }

  // `sql` in a transaction as `role` with these JWT claims, as the export service reads.
  std::string value_as(const char* role, const std::string& claims, const std::string& sql) {
    EXPECT_TRUE(conn_->exec("BEGIN").ok());
    EXPECT_TRUE(conn_->exec(std::string("SET LOCAL ROLE ") + role).ok());
    if (!claims.empty()) {
      auto r = conn_->query("SELECT set_config('request.jwt.claims', $1, true)", {claims});
      EXPECT_TRUE(r.ok());
      if (r.ok()) PQclear(*r);
    }
    std::string v = value(sql);
    EXPECT_TRUE(conn_->exec("COMMIT").ok());
    return v;
  }

  static std::string url_, database_;
  std::unique_ptr<PgConnection> conn_;
};

std::string PostgresDemoTest::url_;
std::string PostgresDemoTest::database_;

TEST_F(PostgresDemoTest, TablesHaveTheCatalogsExactTypesAndNotNulls) {
  auto summary = load("2024-02-29");
  ASSERT_TRUE(summary.ok()) << summary.status().to_string();
  for (const DatasetSpec& d : Catalog::builtin().datasets()) {
    for (const Field& f : d.schema.fields) {
      std::string expected = postgres_type_for(f.type);
      if (expected == "timestamptz") expected = "timestamp with time zone";
      EXPECT_EQ(value("SELECT format_type(atttypid, atttypmod) || CASE WHEN attnotnull THEN ' NOT NULL' ELSE '' END "
                      "FROM pg_attribute WHERE attrelid = '" + d.table + "'::regclass AND attname = '" + f.name + "'"),
                expected + (f.nullable ? "" : " NOT NULL"))
          << d.table << "." << f.name;
    }
    EXPECT_EQ(value("SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = '" + d.table + "'::regclass"),
              "t") << d.table;
  }
  EXPECT_EQ(value("SELECT count(*) FROM pg_policies WHERE schemaname IN ('scout_gold', 'scout_platinum')"), "19");
  EXPECT_EQ(value("SELECT auth.jwt() IS NULL"), "t");  // Supabase's: no claims, no JSON
}

TEST_F(PostgresDemoTest, RowLevelSecurityFollowsDatasetsMd) {
  ASSERT_TRUE(load("2024-02-29").ok());
  const std::string daily = "SELECT count(*) FROM scout_gold.daily_transactions";
  // The owner is subject to the policies too (FORCE ROW LEVEL SECURITY).
  EXPECT_EQ(value(daily), "0");
  for (const char* role : {"scout_exporter", "authenticated"}) {
    EXPECT_EQ(value_as(role, R"({"role":"admin"})", daily), "1200") << role;  // 20 stores x 60 days
    EXPECT_EQ(value_as(role, R"({"role":"analytics_export"})", daily), "1200") << role;
    EXPECT_EQ(value_as(role, R"({"role":"authenticated"})", daily), "0") << role;
    EXPECT_EQ(value_as(role, "", daily), "0") << role;
  }
  const std::string ncr = R"({"role":"authenticated","region":"NCR"})";
  const std::string ncr_stores = value_as("scout_exporter", R"({"role":"admin"})",
                                          "SELECT count(*) FROM scout_gold.stores WHERE region = 'NCR'");
  ASSERT_NE(ncr_stores, "0");
  EXPECT_EQ(value_as("scout_exporter", ncr,
                     "SELECT count(*) || ' ' || count(*) FILTER (WHERE s.region = 'NCR') "
                     "FROM scout_gold.daily_transactions d JOIN scout_gold.stores s USING (store_id)"),
            std::to_string(std::stoi(ncr_stores) * 60) + " " + std::to_string(std::stoi(ncr_stores) * 60));
  EXPECT_EQ(value_as("scout_exporter", ncr, "SELECT string_agg(DISTINCT region, ',') FROM scout_gold.store_rankings"), "NCR");
  EXPECT_EQ(value_as("scout_exporter", ncr, "SELECT string_agg(DISTINCT region, ',') FROM scout_platinum.store_features"), "NCR");
  EXPECT_EQ(value_as("scout_exporter", ncr, "SELECT count(*) FROM scout_platinum.ml_predictions"),
            std::to_string(std::stoi(ncr_stores) * 60));
  // The all-store aggregates have no region, so a region caller sees none of them.
  EXPECT_EQ(value_as("scout_exporter", ncr, "SELECT count(*) FROM scout_gold.hourly_patterns"), "0");
  EXPECT_EQ(value_as("scout_exporter", ncr, "SELECT count(*) FROM scout_gold.payment_trends"), "0");
}

// Issue 13: a region claim restricts every role, admin included, wherever Supabase keeps it.
// The service's own filter is off, so these counts are what the database itself lets through.
TEST_F(PostgresDemoTest, RowLevelSecurityRestrictsEveryRoleToItsRegion) {
  ASSERT_TRUE(load("2024-02-29").ok());
  const std::string admin = R"({"role":"admin"})";
  const std::string ncr_rankings =
      value_as("scout_exporter", admin, "SELECT count(*) FROM scout_gold.store_rankings WHERE region = 'NCR'");
  const std::string all_rankings = value_as("scout_exporter", admin, "SELECT count(*) FROM scout_gold.store_rankings");
  const std::string ncr_daily = value_as(
      "scout_exporter", admin,
      "SELECT count(*) FROM scout_gold.daily_transactions WHERE store_id IN "
      "(SELECT store_id FROM scout_gold.stores WHERE region = 'NCR')");
  ASSERT_NE(ncr_rankings, "0");
  ASSERT_NE(ncr_rankings, all_rankings);
  ASSERT_NE(ncr_daily, "0");

  auto source = open_postgres_source(url_);
  ASSERT_TRUE(source.ok()) << source.status().to_string();
  auto rows = [&](const std::string& dataset, const std::string& role, const std::string& claims) {
    SourceQuery query;
    query.dataset = Catalog::builtin().find(dataset);
    query.columns = {0};
    query.caller.role = role;
    query.caller.claims_json = claims;
    query.apply_region_filter = false;
    auto n = (*source)->estimate_rows(query);
    EXPECT_TRUE(n.ok()) << n.status().to_string();
    return n.ok() ? std::to_string(*n) : "error";
  };
  const std::vector<std::string> roles = {"admin", "analytics_export", "authenticated"};
  for (const std::string& role : roles) {
    for (const std::string& claims :
         {R"({"role":")" + role + R"(","region":"NCR"})",
          R"({"role":")" + role + R"(","app_metadata":{"provider":"email","region":"NCR"}})"}) {
      EXPECT_EQ(rows("store_rankings", role, claims), ncr_rankings) << claims;
      EXPECT_EQ(rows("daily_transactions", role, claims), ncr_daily) << claims;
      EXPECT_EQ(rows("hourly_patterns", role, claims), "0") << claims;
    }
  }
  EXPECT_EQ(rows("store_rankings", "admin", admin), all_rankings);
  // Two region claims that disagree: every row fails one of them.
  EXPECT_EQ(rows("store_rankings", "admin",
                 R"({"role":"admin","region":"NCR","app_metadata":{"region":"Region VII - Central Visayas"}})"),
            "0");
  // Claims that name nobody, as a default Caller's, match no policy.
  for (const DatasetSpec& d : Catalog::builtin().datasets()) {
    EXPECT_EQ(rows(d.name, "", "{}"), "0") << d.name;
    EXPECT_EQ(rows(d.name, Caller().role, Caller().claims_json), "0") << d.name;
  }
}

TEST_F(PostgresDemoTest, ValuesArriveExactly) {
  ASSERT_TRUE(load("2024-02-29").ok());
  const std::string admin = R"({"role":"admin"})";
  EXPECT_EQ(value_as("scout_exporter", admin,
                     "SELECT store_name || '|' || device_id FROM scout_gold.stores WHERE store_id = 1"),
            "Aling Nena's Sari-Sari, Brgy. Niño|SCOUT-DEV-0001");
  // numeric(14,2) payments add up to the day's revenue to the centavo; splits to the revenue.
  EXPECT_EQ(value_as("scout_exporter", admin,
                     "SELECT (SELECT sum(total_amount) FROM scout_gold.payment_trends WHERE transaction_date = '2024-02-15') = "
                     "(SELECT round(sum(total_revenue)::numeric, 2) FROM scout_gold.daily_transactions "
                     " WHERE transaction_date = '2024-02-15')"),
            "t");
  EXPECT_EQ(value_as("scout_exporter", admin,
                     "SELECT count(*) FROM scout_gold.daily_transactions WHERE "
                     "round((cash_amount + gcash_amount + maya_amount + card_amount)::numeric, 2) <> round(total_revenue::numeric, 2)"),
            "0");
  EXPECT_EQ(value_as("scout_exporter", admin,
                     "SELECT min(feature_timestamp AT TIME ZONE 'UTC')::text FROM scout_platinum.store_features"),
            "2024-01-29 02:00:00");
}

TEST_F(PostgresDemoTest, RunningAgainReplacesTheData) {
  ASSERT_TRUE(load("2024-01-31").ok());
  ASSERT_TRUE(load("2024-02-10").ok());
  EXPECT_EQ(value_as("scout_exporter", R"({"role":"admin"})",
                     "SELECT count(*) || ' ' || max(transaction_date) FROM scout_gold.daily_transactions"),
            "820 2024-02-10");
  EXPECT_EQ(value("SELECT count(*) FROM pg_policies WHERE schemaname IN ('scout_gold', 'scout_platinum')"), "19");
}

// The export's row count comes from a second connection in the COPY's own snapshot, while the
// rows stream: rows deleted once the COPY started count for neither, and the count is exact.
TEST_F(PostgresDemoTest, TheCountAlongsideTheCopySharesItsSnapshot) {
  ASSERT_TRUE(load("2024-01-31").ok());
  // The owner counts and deletes with RLS out of its way (the export's role stays under it).
  ASSERT_TRUE(conn_->exec("ALTER TABLE scout_gold.daily_transactions NO FORCE ROW LEVEL SECURITY").ok());
  const std::string before = value("SELECT count(*) FROM scout_gold.daily_transactions");
  ASSERT_NE(before, "0");
  auto source = open_postgres_source(url_);
  ASSERT_TRUE(source.ok()) << source.status().to_string();
  const DatasetSpec* dataset = Catalog::builtin().find("daily_transactions");
  ASSERT_NE(dataset, nullptr);
  SourceQuery query;
  query.dataset = dataset;
  for (size_t c = 0; c < dataset->schema.size(); ++c) query.columns.push_back(static_cast<int>(c));
  query.caller = Caller::admin();
  query.batch_rows = 500;
  std::atomic<int64_t> counted{-1};
  query.row_count = &counted;
  // The delete is done before the COPY starts and committed right after: only a count in the
  // COPY's snapshot still sees the rows it removes (the count connects after the commit).
  ASSERT_TRUE(conn_->exec("BEGIN").ok());
  ASSERT_TRUE(conn_->exec("DELETE FROM scout_gold.daily_transactions WHERE store_id % 2 = 0").ok());
  auto reader = (*source)->open(query);
  ASSERT_TRUE(reader.ok()) << reader.status().to_string();
  ASSERT_TRUE(conn_->exec("COMMIT").ok());
  for (int waited = 0; counted.load() < 0 && waited < 10'000; waited += 10) ::usleep(10'000);
  Schema schema;
  for (int c : query.columns) schema.fields.push_back(dataset->schema[c]);
  ColumnBatch batch(schema);
  int64_t read = 0;
  while (true) {
    auto more = (*reader)->next(&batch);
    ASSERT_TRUE(more.ok()) << more.status().to_string();
    read += static_cast<int64_t>(batch.num_rows());
    if (!*more) break;
  }
  EXPECT_EQ(std::to_string(read), before);
  EXPECT_EQ(std::to_string(counted.load()), before);
  EXPECT_NE(value("SELECT count(*) FROM scout_gold.daily_transactions"), before);
  reader->reset();
  EXPECT_TRUE(conn_->exec("ALTER TABLE scout_gold.daily_transactions FORCE ROW LEVEL SECURITY").ok());
}

TEST(PostgresDemoUrl, ReplacesTheDatabaseName) {
  EXPECT_EQ(with_database("postgresql://u:p@127.0.0.1:55432/scout", "x"), "postgresql://u:p@127.0.0.1:55432/x");
  EXPECT_EQ(with_database("postgresql://u:p@h/scout?sslmode=disable", "x"), "postgresql://u:p@h/x?sslmode=disable");
  EXPECT_EQ(with_database("postgresql://h", "x"), "postgresql://h/x");
}

}  // namespace
}  // namespace scout
