#include "export/catalog.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace scout {
namespace {

TEST(Catalog, BuiltinHasTheSixDatasetsOfTheSpec) {
  const Catalog& c = Catalog::builtin();
  EXPECT_EQ(c.names(),
            "daily_transactions, store_rankings, hourly_patterns, payment_trends, store_features, "
            "ml_predictions");
  const DatasetSpec* dt = c.find("daily_transactions");
  ASSERT_NE(dt, nullptr);
  ASSERT_EQ(dt->schema.size(), 11u);  // the guide's /datasets example says "columns": 11
  EXPECT_EQ(dt->table, "scout_gold.daily_transactions");
  EXPECT_EQ(dt->partition_column, "transaction_date");
  EXPECT_EQ(dt->schema[0].type.name(), "date");
  EXPECT_FALSE(dt->schema[0].nullable);
  EXPECT_EQ(dt->schema[6].name, "unique_customers");
  EXPECT_TRUE(dt->schema[6].nullable);
  EXPECT_EQ(c.find("payment_trends")->schema[3].type.name(), "decimal(14,2)");
  EXPECT_EQ(c.find("hourly_patterns")->schema[1].type.name(), "int16");
  EXPECT_EQ(c.find("store_features")->schema[7].type.name(), "timestamp");
  EXPECT_EQ(c.find("store_rankings")->region_column, "region");
  EXPECT_EQ(c.find("ml_predictions")->store_column, "store_id");
}

TEST(Catalog, ShippedFileMatchesTheBuiltinOne) {
  const char* root = std::getenv("SCOUT_SOURCE_DIR");
  ASSERT_NE(root, nullptr);
  auto file = Catalog::load(std::string(root) + "/config/datasets.json");
  ASSERT_TRUE(file.ok()) << file.status().to_string();
  EXPECT_EQ(file->names(), Catalog::builtin().names());
}

TEST(Catalog, RefusesBadFilesWithPreciseMessages) {
  auto expect_error = [](const char* json, const char* needle) {
    auto c = Catalog::parse(json, "test.json");
    ASSERT_FALSE(c.ok()) << json;
    EXPECT_NE(c.status().message().find(needle), std::string::npos) << c.status().message();
  };
  const char* base_cols = R"([{"name":"d","type":"date"}])";
  expect_error("{", "not valid JSON");
  expect_error(R"({"datasets":[{"name":"x","table":"s.x","partition_column":"d","date_column":"d","columns":[{"name":"d","type":"varchar"}]}]})",
               "unknown type 'varchar'");
  expect_error(R"({"datasets":[{"name":"x","table":"s.x","partition_column":"d","date_column":"d","columns":[{"name":"d","type":"date"},{"name":"d","type":"date"}]}]})",
               "column 'd' appears twice");
  expect_error((std::string(R"({"datasets":[{"name":"x","table":"s.x","partition_column":"zz","date_column":"d","columns":)") + base_cols + "}]}").c_str(),
               "partition_column 'zz' is not one of its columns");
  expect_error((std::string(R"({"datasets":[{"name":"x","table":"s.x; drop table y","partition_column":"d","date_column":"d","columns":)") + base_cols + "}]}").c_str(),
               "must be schema.table");
  expect_error(R"({"datasets":[{"name":"x","table":"s.x","partition_column":"d","date_column":"d","columns":[{"name":"D\"","type":"date"}]}]})",
               "must match");
}

}  // namespace
}  // namespace scout
