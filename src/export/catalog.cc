#include "export/catalog.h"

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "scout/builtin_catalog.h"

namespace scout {
namespace {

// Identifiers are quoted into SQL, so only plain lower-case names are accepted.
bool is_identifier(const std::string& s) {
  static const std::regex kIdent("^[a-z_][a-z0-9_]{0,62}$");
  return std::regex_match(s, kIdent);
}

bool is_qualified_table(const std::string& s) {
  size_t dot = s.find('.');
  if (dot == std::string::npos) return is_identifier(s);
  return is_identifier(s.substr(0, dot)) && is_identifier(s.substr(dot + 1));
}

Result<DatasetSpec> parse_dataset(const nlohmann::json& d, const std::string& origin) {
  auto where = [&](const std::string& name) { return origin + ": dataset '" + name + "'"; };
  if (!d.is_object() || !d.contains("name") || !d["name"].is_string()) {
    return Status::Invalid(origin + ": every dataset needs a string 'name'");
  }
  DatasetSpec spec;
  spec.name = d["name"].get<std::string>();
  if (!is_identifier(spec.name)) {
    return Status::Invalid(where(spec.name) + ": name must match [a-z_][a-z0-9_]*");
  }
  auto text = [&](const char* field, bool required, std::string* out) -> Status {
    if (!d.contains(field)) {
      return required ? Status::Invalid(where(spec.name) + ": missing '" + field + "'") : Status::OK();
    }
    if (!d[field].is_string()) return Status::Invalid(where(spec.name) + ": '" + field + "' must be a string");
    *out = d[field].get<std::string>();
    return Status::OK();
  };
  SCOUT_RETURN_IF_ERROR(text("layer", false, &spec.layer));
  SCOUT_RETURN_IF_ERROR(text("table", true, &spec.table));
  SCOUT_RETURN_IF_ERROR(text("description", false, &spec.description));
  SCOUT_RETURN_IF_ERROR(text("partition_column", true, &spec.partition_column));
  SCOUT_RETURN_IF_ERROR(text("date_column", true, &spec.date_column));
  SCOUT_RETURN_IF_ERROR(text("region_column", false, &spec.region_column));
  SCOUT_RETURN_IF_ERROR(text("store_column", false, &spec.store_column));
  if (!is_qualified_table(spec.table)) {
    return Status::Invalid(where(spec.name) + ": table '" + spec.table + "' must be schema.table of plain names");
  }
  if (!d.contains("columns") || !d["columns"].is_array() || d["columns"].empty()) {
    return Status::Invalid(where(spec.name) + ": 'columns' must be a non-empty array");
  }
  std::set<std::string> seen;
  for (const auto& c : d["columns"]) {
    if (!c.is_object() || !c.contains("name") || !c["name"].is_string() || !c.contains("type") ||
        !c["type"].is_string()) {
      return Status::Invalid(where(spec.name) + ": every column needs a string 'name' and 'type'");
    }
    Field f;
    f.name = c["name"].get<std::string>();
    if (!is_identifier(f.name)) {
      return Status::Invalid(where(spec.name) + ": column name '" + f.name + "' must match [a-z_][a-z0-9_]*");
    }
    if (!seen.insert(f.name).second) {
      return Status::Invalid(where(spec.name) + ": column '" + f.name + "' appears twice");
    }
    auto type = DataType::parse(c["type"].get<std::string>());
    if (!type.ok()) {
      return Status::Invalid(where(spec.name) + ": column '" + f.name + "': " + type.status().message());
    }
    f.type = *type;
    f.nullable = !c.value("not_null", false);
    spec.schema.fields.push_back(std::move(f));
  }
  for (const auto& [field, column] :
       {std::pair{"partition_column", spec.partition_column}, std::pair{"date_column", spec.date_column},
        std::pair{"region_column", spec.region_column}, std::pair{"store_column", spec.store_column}}) {
    if (!column.empty() && spec.schema.index_of(column) < 0) {
      return Status::Invalid(where(spec.name) + ": " + field + " '" + column + "' is not one of its columns");
    }
  }
  TypeId date_type = spec.schema[spec.schema.index_of(spec.date_column)].type.id;
  if (date_type != TypeId::kDate && date_type != TypeId::kTimestamp) {
    return Status::Invalid(where(spec.name) + ": date_column '" + spec.date_column + "' must be a date or timestamp");
  }
  return spec;
}

}  // namespace

Result<Catalog> Catalog::parse(std::string_view json_text, const std::string& origin) {
  auto doc = nlohmann::json::parse(json_text, nullptr, false);
  if (doc.is_discarded()) return Status::Invalid(origin + ": not valid JSON");
  if (!doc.is_object() || !doc.contains("datasets") || !doc["datasets"].is_array()) {
    return Status::Invalid(origin + ": expected an object with a 'datasets' array");
  }
  Catalog catalog;
  for (const auto& d : doc["datasets"]) {
    SCOUT_ASSIGN_OR_RETURN(DatasetSpec spec, parse_dataset(d, origin));
    if (catalog.find(spec.name)) return Status::Invalid(origin + ": dataset '" + spec.name + "' appears twice");
    catalog.datasets_.push_back(std::move(spec));
  }
  if (catalog.datasets_.empty()) return Status::Invalid(origin + ": no datasets");
  return catalog;
}

Result<Catalog> Catalog::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("catalog file '" + path + "' cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

const Catalog& Catalog::builtin() {
  static const Catalog catalog = [] {
    auto parsed = parse(kBuiltinCatalogJson, "built-in catalog");
    if (!parsed.ok()) std::abort();  // config/datasets.json is checked by catalog_test
    return std::move(parsed).value();
  }();
  return catalog;
}

const DatasetSpec* Catalog::find(std::string_view name) const {
  for (const auto& d : datasets_) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

std::string Catalog::names() const {
  std::string out;
  for (const auto& d : datasets_) {
    if (!out.empty()) out += ", ";
    out += d.name;
  }
  return out;
}

}  // namespace scout
