#include "core/catalog.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "scout/builtin_catalog.h"

namespace scout {
namespace {

constexpr const char* kBuiltinOrigin = "built-in catalog";

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

// A misspelt key ("not_nul") would silently change a schema, so unknown keys are refused.
Status check_keys(const nlohmann::json& object, std::initializer_list<std::string_view> known,
                  const std::string& where) {
  for (const auto& item : object.items()) {
    if (std::find(known.begin(), known.end(), item.key()) == known.end()) {
      return Status::Invalid(where + ": unknown field '" + item.key() + "'");
    }
  }
  return Status::OK();
}

Result<Field> parse_column(const nlohmann::json& c, size_t index, const std::string& where) {
  if (!c.is_object() || !c.contains("name") || !c["name"].is_string()) {
    return Status::Invalid(where + ": column #" + std::to_string(index + 1) + " needs a string 'name'");
  }
  Field f;
  f.name = c["name"].get<std::string>();
  const std::string at = where + ": column '" + f.name + "'";
  if (!is_identifier(f.name)) return Status::Invalid(at + ": name must match ^[a-z_][a-z0-9_]*$");
  SCOUT_RETURN_IF_ERROR(check_keys(c, {"name", "type", "not_null", "description"}, at));
  if (!c.contains("type") || !c["type"].is_string()) {
    return Status::Invalid(at + ": needs a string 'type'");
  }
  auto type = DataType::parse(c["type"].get<std::string>());
  if (!type.ok()) return Status::Invalid(at + ": " + type.status().message());
  f.type = *type;
  if (c.contains("not_null") && !c["not_null"].is_boolean()) {
    return Status::Invalid(at + ": 'not_null' must be true or false");
  }
  f.nullable = !(c.contains("not_null") && c["not_null"].get<bool>());
  return f;
}

// The named role columns must exist and have a type their use needs.
Status check_column_roles(const DatasetSpec& spec, const std::string& where) {
  auto type_of = [&](const std::string& column) { return spec.schema[spec.schema.index_of(column)].type.id; };
  for (const auto& [field, column] :
       {std::pair{"partition_column", spec.partition_column}, std::pair{"date_column", spec.date_column},
        std::pair{"region_column", spec.region_column}, std::pair{"store_column", spec.store_column}}) {
    if (!column.empty() && spec.schema.index_of(column) < 0) {
      return Status::Invalid(where + ": " + field + " '" + column + "' is not one of its columns");
    }
  }
  TypeId date_type = type_of(spec.date_column);
  if (date_type != TypeId::kDate && date_type != TypeId::kTimestamp) {
    return Status::Invalid(where + ": date_column '" + spec.date_column + "' must be a date or timestamp");
  }
  TypeId partition_type = type_of(spec.partition_column);
  if (partition_type == TypeId::kFloat || partition_type == TypeId::kDouble ||
      partition_type == TypeId::kBinary) {
    return Status::Invalid(where + ": partition_column '" + spec.partition_column +
                           "' must be a string, integer, boolean, decimal, date or timestamp");
  }
  if (!spec.region_column.empty() && type_of(spec.region_column) != TypeId::kString) {
    return Status::Invalid(where + ": region_column '" + spec.region_column + "' must be a string");
  }
  if (!spec.store_column.empty() && type_of(spec.store_column) != TypeId::kInt32 &&
      type_of(spec.store_column) != TypeId::kInt64) {
    return Status::Invalid(where + ": store_column '" + spec.store_column + "' must be an int32 or int64");
  }
  return Status::OK();
}

Result<DatasetSpec> parse_dataset(const nlohmann::json& d, size_t index, const std::string& origin) {
  auto where = [&](const std::string& name) { return origin + ": dataset '" + name + "'"; };
  if (!d.is_object() || !d.contains("name") || !d["name"].is_string()) {
    return Status::Invalid(origin + ": dataset #" + std::to_string(index + 1) + " needs a string 'name'");
  }
  DatasetSpec spec;
  spec.name = d["name"].get<std::string>();
  if (!is_identifier(spec.name)) {
    return Status::Invalid(where(spec.name) + ": name must match ^[a-z_][a-z0-9_]*$");
  }
  SCOUT_RETURN_IF_ERROR(check_keys(d, {"name", "layer", "table", "description", "partition_column",
                                       "date_column", "region_column", "store_column", "columns"},
                                   where(spec.name)));
  auto text = [&](const char* field, bool required, std::string* out) -> Status {
    if (!d.contains(field)) {
      return required ? Status::Invalid(where(spec.name) + ": missing '" + field + "'") : Status::OK();
    }
    if (!d[field].is_string()) return Status::Invalid(where(spec.name) + ": '" + field + "' must be a string");
    *out = d[field].get<std::string>();
    if (required && out->empty()) return Status::Invalid(where(spec.name) + ": '" + field + "' is empty");
    return Status::OK();
  };
  SCOUT_RETURN_IF_ERROR(text("layer", false, &spec.layer));
  SCOUT_RETURN_IF_ERROR(text("table", true, &spec.table));
  SCOUT_RETURN_IF_ERROR(text("description", false, &spec.description));
  SCOUT_RETURN_IF_ERROR(text("partition_column", true, &spec.partition_column));
  SCOUT_RETURN_IF_ERROR(text("date_column", true, &spec.date_column));
  SCOUT_RETURN_IF_ERROR(text("region_column", false, &spec.region_column));
  SCOUT_RETURN_IF_ERROR(text("store_column", false, &spec.store_column));
  if (!spec.layer.empty() && spec.layer != "gold" && spec.layer != "platinum") {
    return Status::Invalid(where(spec.name) + ": layer '" + spec.layer + "' must be gold or platinum");
  }
  if (!is_qualified_table(spec.table)) {
    return Status::Invalid(where(spec.name) + ": table '" + spec.table +
                           "' must be schema.table, each part matching ^[a-z_][a-z0-9_]*$");
  }
  if (!d.contains("columns") || !d["columns"].is_array() || d["columns"].empty()) {
    return Status::Invalid(where(spec.name) + ": 'columns' must be a non-empty array");
  }
  std::set<std::string> seen;
  const auto& columns = d["columns"];
  for (size_t i = 0; i < columns.size(); ++i) {
    SCOUT_ASSIGN_OR_RETURN(Field f, parse_column(columns[i], i, where(spec.name)));
    if (!seen.insert(f.name).second) {
      return Status::Invalid(where(spec.name) + ": column '" + f.name + "' appears twice");
    }
    spec.schema.fields.push_back(std::move(f));
  }
  SCOUT_RETURN_IF_ERROR(check_column_roles(spec, where(spec.name)));
  return spec;
}

// The "access_policy" object: every field required, so a catalog that states a policy states
// all of it.
Result<AccessPolicy> parse_access_policy(const nlohmann::json& p, const std::string& origin) {
  const std::string where = origin + ": access_policy";
  if (!p.is_object()) return Status::Invalid(where + " must be an object");
  SCOUT_RETURN_IF_ERROR(
      check_keys(p, {"export_roles", "admin_role", "session_role", "region_claims", "stores"}, where));
  auto names = [&](const char* field, std::vector<std::string>* out, bool dotted) -> Status {
    if (!p.contains(field) || !p[field].is_array() || p[field].empty()) {
      return Status::Invalid(where + ": '" + field + "' must be a non-empty array of names");
    }
    for (const auto& item : p[field]) {
      std::string name = item.is_string() ? item.get<std::string>() : "";
      // A dotted path's every part is a name: "app_metadata.region".
      bool valid = !name.empty();
      for (size_t start = 0, dot = 0; valid && start <= name.size(); start = dot + 1) {
        dot = dotted ? std::min(name.find('.', start), name.size()) : name.size();
        valid = is_identifier(name.substr(start, dot - start));
      }
      if (!valid) {
        return Status::Invalid(where + ": '" + field + "' holds '" + name +
                               "', which is not a name matching ^[a-z_][a-z0-9_]*$");
      }
      out->push_back(std::move(name));
    }
    return Status::OK();
  };
  auto name = [&](const nlohmann::json& object, const char* field, const std::string& at,
                  std::string* out, bool qualified = false) -> Status {
    *out = object.contains(field) && object[field].is_string() ? object[field].get<std::string>() : "";
    if (!(qualified ? is_qualified_table(*out) : is_identifier(*out))) {
      return Status::Invalid(at + ": '" + field + "' must be a name matching ^[a-z_][a-z0-9_]*$" +
                             (qualified ? " (or schema.table)" : ""));
    }
    return Status::OK();
  };
  AccessPolicy policy;
  SCOUT_RETURN_IF_ERROR(names("export_roles", &policy.export_roles, false));
  SCOUT_RETURN_IF_ERROR(names("region_claims", &policy.region_claims, true));
  SCOUT_RETURN_IF_ERROR(name(p, "admin_role", where, &policy.admin_role));
  if (!policy.is_export_role(policy.admin_role)) {
    return Status::Invalid(where + ": admin_role '" + policy.admin_role + "' must be one of export_roles");
  }
  SCOUT_RETURN_IF_ERROR(name(p, "session_role", where, &policy.session_role));
  if (!p.contains("stores") || !p["stores"].is_object()) {
    return Status::Invalid(where + ": 'stores' must be an object");
  }
  const auto& stores = p["stores"];
  const std::string at = where + ".stores";
  SCOUT_RETURN_IF_ERROR(check_keys(stores, {"name", "table", "store_column", "region_column"}, at));
  SCOUT_RETURN_IF_ERROR(name(stores, "name", at, &policy.stores.name));
  SCOUT_RETURN_IF_ERROR(name(stores, "table", at, &policy.stores.table, true));
  SCOUT_RETURN_IF_ERROR(name(stores, "store_column", at, &policy.stores.store_column));
  SCOUT_RETURN_IF_ERROR(name(stores, "region_column", at, &policy.stores.region_column));
  return policy;
}

}  // namespace

Result<Catalog> Catalog::parse(std::string_view json_text, const std::string& origin) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    return Status::Invalid(origin + ": not valid JSON (at byte " + std::to_string(e.byte) + ")");
  }
  if (!doc.is_object() || !doc.contains("datasets") || !doc["datasets"].is_array()) {
    return Status::Invalid(origin + ": expected an object with a 'datasets' array");
  }
  SCOUT_RETURN_IF_ERROR(check_keys(doc, {"access_policy", "datasets"}, origin));
  Catalog catalog;
  if (doc.contains("access_policy")) {
    SCOUT_ASSIGN_OR_RETURN(catalog.policy_, parse_access_policy(doc["access_policy"], origin));
  } else if (origin == kBuiltinOrigin) {
    // Every other catalog falls back on this one's, so it must state its own.
    return Status::Invalid(origin + ": needs an 'access_policy'");
  } else {
    catalog.policy_ = builtin().access_policy();
  }
  const auto& datasets = doc["datasets"];
  for (size_t i = 0; i < datasets.size(); ++i) {
    SCOUT_ASSIGN_OR_RETURN(DatasetSpec spec, parse_dataset(datasets[i], i, origin));
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
    auto parsed = parse(kBuiltinCatalogJson, kBuiltinOrigin);
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
