// The dataset catalog: the only source of identifiers (tables, columns) that reach SQL.
// Loaded from a JSON file an operator can extend (config/datasets.json is the default).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/access_policy.h"
#include "scout/column_batch.h"
#include "scout/status.h"

namespace scout {

struct DatasetSpec {
  std::string name;              // "daily_transactions": the API's and SQLite's table name
  std::string layer;             // "gold" | "platinum"
  std::string table;             // "scout_gold.daily_transactions": PostgreSQL's qualified name
  std::string description;
  std::string partition_column;  // the guide's default partition column
  std::string date_column;       // what date_range filters on (a date or timestamp column)
  Schema schema;                 // exact names, API types and NOT NULL flags of datasets.md
  // How a region-scoped caller's rows are found: the dataset's own region column, else its
  // store column joined through the stores table; both empty means no region applies.
  std::string region_column;
  std::string store_column;
};

class Catalog {
 public:
  // Reads and validates a catalog file; errors name the file, the dataset and the field.
  static Result<Catalog> load(const std::string& path);
  static Result<Catalog> parse(std::string_view json_text, const std::string& origin);
  // The six datasets of datasets.md, as config/datasets.json ships them.
  static const Catalog& builtin();

  const std::vector<DatasetSpec>& datasets() const { return datasets_; }
  const DatasetSpec* find(std::string_view name) const;  // nullptr when absent
  std::string names() const;  // "daily_transactions, store_rankings, ..." for error messages
  // Who reads which rows: the file's "access_policy", else the built-in catalog's.
  const AccessPolicy& access_policy() const { return policy_; }

 private:
  std::vector<DatasetSpec> datasets_;
  AccessPolicy policy_;
};

}  // namespace scout
