#include "core/catalog.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace scout {
namespace {

using ColumnTypes = std::vector<std::pair<std::string, std::string>>;

ColumnTypes column_types(const DatasetSpec& d) {
  ColumnTypes out;
  for (const Field& f : d.schema.fields) out.emplace_back(f.name, f.type.name());
  return out;
}

TEST(Catalog, BuiltinHasTheSixDatasetsOfTheSpec) {
  const Catalog& c = Catalog::builtin();
  EXPECT_EQ(c.names(),
            "daily_transactions, store_rankings, hourly_patterns, payment_trends, store_features, "
            "ml_predictions");
  for (const DatasetSpec& d : c.datasets()) {
    EXPECT_EQ(d.table, "scout_" + d.layer + "." + d.name) << d.name;
    EXPECT_FALSE(d.description.empty()) << d.name;
  }
}

TEST(Catalog, DailyTransactionsHasTheElevenColumnsOfTheSpec) {
  const DatasetSpec* dt = Catalog::builtin().find("daily_transactions");
  ASSERT_NE(dt, nullptr);
  // The guide's /datasets example says "columns": 11.
  EXPECT_EQ(column_types(*dt), (ColumnTypes{{"transaction_date", "date"},
                                            {"device_id", "string"},
                                            {"store_id", "int32"},
                                            {"transaction_count", "int32"},
                                            {"total_revenue", "double"},
                                            {"avg_transaction_value", "double"},
                                            {"unique_customers", "int32"},
                                            {"cash_amount", "double"},
                                            {"gcash_amount", "double"},
                                            {"maya_amount", "double"},
                                            {"card_amount", "double"}}));
  for (const Field& f : dt->schema.fields) {
    bool nullable = f.name == "avg_transaction_value" || f.name == "unique_customers";
    EXPECT_EQ(f.nullable, nullable) << f.name;
  }
  EXPECT_EQ(dt->layer, "gold");
  EXPECT_EQ(dt->table, "scout_gold.daily_transactions");
  EXPECT_EQ(dt->partition_column, "transaction_date");
  EXPECT_EQ(dt->date_column, "transaction_date");
  EXPECT_EQ(dt->store_column, "store_id");
  EXPECT_EQ(dt->region_column, "");
}

TEST(Catalog, OtherDatasetsHaveTheTypesAndPoliciesOfTheSpec) {
  const Catalog& c = Catalog::builtin();
  EXPECT_EQ(c.find("payment_trends")->schema[3].type.name(), "decimal(14,2)");
  EXPECT_EQ(c.find("hourly_patterns")->schema[1].type.name(), "int16");
  EXPECT_EQ(c.find("hourly_patterns")->schema[5].type.name(), "boolean");
  EXPECT_EQ(c.find("store_rankings")->schema[5].type.name(), "int64");
  EXPECT_EQ(c.find("store_features")->schema[7].type.name(), "timestamp");
  EXPECT_EQ(c.find("ml_predictions")->schema[8].type.name(), "timestamp");
  EXPECT_EQ(c.find("store_features")->layer, "platinum");
  EXPECT_EQ(c.find("store_features")->date_column, "feature_timestamp");
  EXPECT_EQ(c.find("store_rankings")->partition_column, "region");
  EXPECT_EQ(c.find("store_rankings")->date_column, "as_of_date");
  EXPECT_EQ(c.find("store_rankings")->region_column, "region");
  EXPECT_EQ(c.find("store_features")->region_column, "region");
  EXPECT_EQ(c.find("ml_predictions")->store_column, "store_id");
  // No region applies to the all-store aggregates.
  for (const char* name : {"hourly_patterns", "payment_trends"}) {
    EXPECT_EQ(c.find(name)->region_column, "") << name;
    EXPECT_EQ(c.find(name)->store_column, "") << name;
  }
  EXPECT_EQ(c.find("nope"), nullptr);
}

TEST(Catalog, ShippedFileIsTheBuiltinOne) {
  const char* root = std::getenv("SCOUT_SOURCE_DIR");
  ASSERT_NE(root, nullptr) << "run through ctest, which sets SCOUT_SOURCE_DIR";
  auto file = Catalog::load(std::string(root) + "/config/datasets.json");
  ASSERT_TRUE(file.ok()) << file.status().to_string();
  const Catalog& builtin = Catalog::builtin();
  ASSERT_EQ(file->datasets().size(), builtin.datasets().size());
  for (size_t i = 0; i < builtin.datasets().size(); ++i) {
    const DatasetSpec& a = file->datasets()[i];
    const DatasetSpec& b = builtin.datasets()[i];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.table, b.table);
    EXPECT_EQ(a.description, b.description);
    EXPECT_EQ(a.partition_column, b.partition_column);
    EXPECT_EQ(a.date_column, b.date_column);
    EXPECT_EQ(a.region_column, b.region_column);
    EXPECT_EQ(a.store_column, b.store_column);
    EXPECT_EQ(column_types(a), column_types(b));
  }
}

TEST(Catalog, MissingFileIsNotFound) {
  auto c = Catalog::load("/nonexistent/datasets.json");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kNotFound);
  EXPECT_NE(c.status().message().find("/nonexistent/datasets.json"), std::string::npos);
}

// A valid one-dataset catalog that each case below breaks in one place.
nlohmann::json good_dataset() {
  return nlohmann::json::parse(R"json({
    "name": "sales", "layer": "gold", "table": "scout_gold.sales",
    "partition_column": "day", "date_column": "day",
    "region_column": "region", "store_column": "store_id",
    "columns": [
      {"name": "day", "type": "date", "not_null": true},
      {"name": "store_id", "type": "int32"},
      {"name": "region", "type": "string"},
      {"name": "amount", "type": "decimal(14,2)"}
    ]})json");
}

Result<Catalog> parse_one(const nlohmann::json& dataset) {
  nlohmann::json doc = {{"datasets", nlohmann::json::array({dataset})}};
  return Catalog::parse(doc.dump(), "test.json");
}

void expect_refused(const nlohmann::json& dataset, const std::string& message) {
  auto c = parse_one(dataset);
  ASSERT_FALSE(c.ok()) << dataset.dump();
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.status().message(), message);
}

// One break of good_dataset(): the value at `pointer` replaced, or removed when `value` is
// nullopt, and the exact refusal expected.
struct Break {
  const char* pointer;
  std::optional<nlohmann::json> value;
  std::string message;
};

void expect_each_refused(const std::vector<Break>& breaks) {
  for (const Break& b : breaks) {
    SCOPED_TRACE(b.pointer);
    auto d = good_dataset();
    const nlohmann::json::json_pointer at(b.pointer);
    if (b.value) {
      d[at] = *b.value;
    } else {
      d[at.parent_pointer()].erase(at.back());
    }
    expect_refused(d, b.message);
  }
}

TEST(Catalog, AcceptsAWellFormedCatalog) {
  auto c = parse_one(good_dataset());
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->find("sales")->schema.size(), 4u);
  EXPECT_FALSE(c->find("sales")->schema[0].nullable);
  EXPECT_TRUE(c->find("sales")->schema[1].nullable);
}

TEST(Catalog, RefusesBadColumnsNamingFileDatasetAndColumn) {
  auto d = good_dataset();
  d["columns"][3]["type"] = "varchar";
  auto c = parse_one(d);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message().rfind("test.json: dataset 'sales': column 'amount': unknown type 'varchar'", 0), 0u)
      << c.status().message();

  expect_each_refused({
      {"/columns/2/name", "day", "test.json: dataset 'sales': column 'day' appears twice"},
      {"/columns/1/name", "Store\"; DROP TABLE x; --",
       "test.json: dataset 'sales': column 'Store\"; DROP TABLE x; --': name must match ^[a-z_][a-z0-9_]*$"},
      {"/columns/1/not_null", "yes",
       "test.json: dataset 'sales': column 'store_id': 'not_null' must be true or false"},
      {"/columns/1/not_nul", true, "test.json: dataset 'sales': column 'store_id': unknown field 'not_nul'"},
      {"/columns/1/type", std::nullopt, "test.json: dataset 'sales': column 'store_id': needs a string 'type'"},
      {"/columns", nlohmann::json::array(), "test.json: dataset 'sales': 'columns' must be a non-empty array"},
  });
}

TEST(Catalog, RefusesBadColumnRolesNamingTheField) {
  expect_each_refused({
      {"/partition_column", "zz", "test.json: dataset 'sales': partition_column 'zz' is not one of its columns"},
      {"/date_column", "region", "test.json: dataset 'sales': date_column 'region' must be a date or timestamp"},
      {"/date_column", "", "test.json: dataset 'sales': 'date_column' is empty"},
      {"/date_column", std::nullopt, "test.json: dataset 'sales': missing 'date_column'"},
      {"/region_column", "store_id", "test.json: dataset 'sales': region_column 'store_id' must be a string"},
      {"/store_column", "region", "test.json: dataset 'sales': store_column 'region' must be an int32 or int64"},
      {"/store_column", "shop", "test.json: dataset 'sales': store_column 'shop' is not one of its columns"},
  });
}

TEST(Catalog, RefusesBadDatasetsNamingTheField) {
  expect_each_refused({
      {"/table", "scout_gold.sales; DROP TABLE y",
       "test.json: dataset 'sales': table 'scout_gold.sales; DROP TABLE y' must be "
       "schema.table, each part matching ^[a-z_][a-z0-9_]*$"},
      {"/name", "Sales", "test.json: dataset 'Sales': name must match ^[a-z_][a-z0-9_]*$"},
      {"/name", std::nullopt, "test.json: dataset #1 needs a string 'name'"},
      {"/layer", "silver", "test.json: dataset 'sales': layer 'silver' must be gold or platinum"},
      {"/partition", "day", "test.json: dataset 'sales': unknown field 'partition'"},
      {"/table", 7, "test.json: dataset 'sales': 'table' must be a string"},
  });
}

TEST(Catalog, RefusesBadDocuments) {
  auto c = Catalog::parse("{\"datasets\": [", "test.json");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message().rfind("test.json: not valid JSON", 0), 0u) << c.status().message();

  c = Catalog::parse("[]", "test.json");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "test.json: expected an object with a 'datasets' array");

  c = Catalog::parse(R"({"datasets": []})", "test.json");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "test.json: no datasets");

  nlohmann::json doc = {{"datasets", nlohmann::json::array({good_dataset(), good_dataset()})}};
  c = Catalog::parse(doc.dump(), "test.json");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "test.json: dataset 'sales' appears twice");
}

TEST(Catalog, LoadNamesTheFileInErrors) {
  std::string path = ::testing::TempDir() + "/bad_catalog.json";
  {
    auto d = good_dataset();
    d["columns"][0]["type"] = "datetime";
    std::ofstream(path) << nlohmann::json{{"datasets", nlohmann::json::array({d})}}.dump();
  }
  auto c = Catalog::load(path);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message().rfind(path + ": dataset 'sales': column 'day': unknown type 'datetime'", 0), 0u)
      << c.status().message();
}


TEST(AccessPolicy, IsTheCatalogsAndDefaultsToTheBuiltIn) {
  const AccessPolicy& policy = Catalog::builtin().access_policy();
  EXPECT_EQ(policy.export_roles, (std::vector<std::string>{"admin", "analytics_export"}));
  EXPECT_EQ(policy.admin_role, "admin");
  EXPECT_EQ(policy.session_role, "authenticated");
  EXPECT_EQ(policy.region_claims, (std::vector<std::string>{"region", "app_metadata.region"}));
  EXPECT_EQ(policy.stores.table, "scout_gold.stores");
  EXPECT_EQ(policy.export_roles_text(), "admin or analytics_export");
  EXPECT_EQ(&AccessPolicy::standard(), &policy);

  auto c = parse_one(good_dataset());
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->access_policy().export_roles, policy.export_roles);

  nlohmann::json doc = {{"datasets", nlohmann::json::array({good_dataset()})},
                        {"access_policy", {{"export_roles", {"reader"}},
                                           {"admin_role", "reader"},
                                           {"session_role", "web"},
                                           {"region_claims", {"claims.zone"}},
                                           {"stores", {{"name", "shops"}, {"table", "ref.shops"},
                                                       {"store_column", "shop_id"},
                                                       {"region_column", "zone"}}}}}};
  c = Catalog::parse(doc.dump(), "test.json");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(c->access_policy().is_export_role("reader"));
  EXPECT_FALSE(c->access_policy().is_export_role("admin"));
  EXPECT_EQ(c->access_policy().stores.region_column, "zone");

  // A caller made under a policy carries its region where that policy looks for it.
  Caller caller = Caller::with_role("reader", "NCR", c->access_policy());
  EXPECT_TRUE(caller.export_role);
  EXPECT_FALSE(caller.reads_every_row());
  EXPECT_EQ(caller.claims_json, R"({"claims":{"zone":"NCR"},"role":"reader"})");
  EXPECT_FALSE(Caller::with_role("admin", std::nullopt, c->access_policy()).reads_some_rows());
}

TEST(AccessPolicy, RefusesBadPoliciesNamingTheField) {
  auto refused = [](const char* pointer, nlohmann::json value) {
    nlohmann::json doc = {{"datasets", nlohmann::json::array({good_dataset()})},
                          {"access_policy", {{"export_roles", {"admin"}},
                                             {"admin_role", "admin"},
                                             {"session_role", "authenticated"},
                                             {"region_claims", {"region"}},
                                             {"stores", {{"name", "stores"}, {"table", "s.stores"},
                                                         {"store_column", "store_id"},
                                                         {"region_column", "region"}}}}}};
    doc[nlohmann::json::json_pointer(pointer)] = value;
    auto c = Catalog::parse(doc.dump(), "test.json");
    return c.ok() ? std::string("accepted") : c.status().message();
  };
  EXPECT_EQ(refused("/access_policy/admin_role", "root"),
            "test.json: access_policy: admin_role 'root' must be one of export_roles");
  EXPECT_EQ(refused("/access_policy/export_roles", nlohmann::json::array()),
            "test.json: access_policy: 'export_roles' must be a non-empty array of names");
  EXPECT_EQ(refused("/access_policy/region_claims/0", "region'); DROP"),
            "test.json: access_policy: 'region_claims' holds 'region'); DROP', which is not a "
            "name matching ^[a-z_][a-z0-9_]*$");
  EXPECT_EQ(refused("/access_policy/stores/table", "a.b.c"),
            "test.json: access_policy.stores: 'table' must be a name matching ^[a-z_][a-z0-9_]*$ "
            "(or schema.table)");
  for (const char* path : {"app_metadata.", ".region", "a..b", "app_metadata.0"}) {
    EXPECT_EQ(refused("/access_policy/region_claims/0", path),
              "test.json: access_policy: 'region_claims' holds '" + std::string(path) +
                  "', which is not a name matching ^[a-z_][a-z0-9_]*$")
        << path;
  }
  EXPECT_EQ(refused("/access_policy/region_claims/0", "app_metadata.region"), "accepted");
  EXPECT_EQ(refused("/access_policy/roles", "x"), "test.json: access_policy: unknown field 'roles'");
  EXPECT_EQ(refused("/access_polcy", "x"), "test.json: unknown field 'access_polcy'");
}

}  // namespace
}  // namespace scout
