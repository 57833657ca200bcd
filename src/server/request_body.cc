#include "server/request_body.h"

#include <cstdint>
#include <limits>

namespace scout {
namespace {

constexpr const char* kFields =
    "dataset, format, compression, compression_level, partition_by, date_range, limit, columns, max_file_size, "
    "json_array, parquet_version, async";

Status wrong_type(const std::string& field, const char* expected) {
  return Status::Invalid("Field '" + field + "' must be " + expected);
}

// A JSON integer that fits T; anything else (a fraction, a string, or a number too large,
// which get<T>() would silently wrap) is refused naming the field.
template <typename T>
Result<T> whole_number(const std::string& field, const nlohmann::json& value, const char* expected) {
  if (value.is_number_unsigned()) {
    auto u = value.get<uint64_t>();
    if (u <= static_cast<uint64_t>(std::numeric_limits<T>::max())) return static_cast<T>(u);
  } else if (value.is_number_integer()) {
    auto i = value.get<int64_t>();
    if (i >= std::numeric_limits<T>::min() && i <= std::numeric_limits<T>::max()) return static_cast<T>(i);
  }
  return wrong_type(field, expected);
}

}  // namespace

Result<ExportBody> parse_export_body(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) return Status::Invalid("Request body is not valid JSON");
  if (!j.is_object()) return Status::Invalid("Request body must be a JSON object");
  ExportBody out;
  ExportRequest& r = out.request;
  for (auto& [key, value] : j.items()) {
    if (key == "dataset") {
      if (!value.is_string()) return wrong_type(key, "a string");
      r.dataset = value.get<std::string>();
    } else if (key == "format") {
      if (!value.is_string()) return wrong_type(key, "a string: parquet, csv or json");
      r.format = value.get<std::string>();
    } else if (key == "compression") {
      if (!value.is_string()) return wrong_type(key, "a string");
      r.compression = value.get<std::string>();
    } else if (key == "compression_level") {
      if (value.is_null()) continue;
      auto level = whole_number<int>(key, value, "a whole number");
      if (!level.ok()) return level.status();
      r.compression_level = *level;
    } else if (key == "partition_by") {
      if (value.is_null()) continue;
      if (!value.is_string()) return wrong_type(key, "a column name (string)");
      r.partition_by = value.get<std::string>();
    } else if (key == "date_range") {
      if (value.is_null()) continue;
      if (!value.is_object()) return wrong_type(key, "an object {\"start\": \"YYYY-MM-DD\", \"end\": \"YYYY-MM-DD\"}");
      for (auto& [k, v] : value.items()) {
        if (k != "start" && k != "end") {
          return Status::Invalid("Unknown field 'date_range." + k + "'; date_range takes start and end");
        }
        if (v.is_null()) continue;
        if (!v.is_string()) return wrong_type("date_range." + k, "a date string YYYY-MM-DD");
        (k == "start" ? r.date_from : r.date_to) = v.get<std::string>();
      }
    } else if (key == "limit") {
      if (value.is_null()) continue;
      auto limit = whole_number<int64_t>(key, value, "a whole number of rows");
      if (!limit.ok()) return limit.status();
      r.limit = *limit;
    } else if (key == "columns") {
      if (value.is_null()) continue;
      if (!value.is_array()) return wrong_type(key, "an array of column names");
      for (const auto& c : value) {
        if (!c.is_string()) return wrong_type(key, "an array of column names");
        r.columns.push_back(c.get<std::string>());
      }
    } else if (key == "max_file_size") {
      if (value.is_null()) continue;
      auto bytes = whole_number<int64_t>(key, value, "a whole number of bytes");
      if (!bytes.ok()) return bytes.status();
      r.max_file_size = *bytes;
    } else if (key == "json_array") {
      if (!value.is_boolean()) return wrong_type(key, "true or false");
      r.json_array = value.get<bool>();
    } else if (key == "parquet_version") {
      if (value.is_null()) continue;
      if (!value.is_string()) return wrong_type(key, "a string: v1 or v2");
      r.parquet_version = value.get<std::string>();
    } else if (key == "async") {
      if (!value.is_boolean()) return wrong_type(key, "true or false");
      out.async = value.get<bool>();
    } else {
      return Status::Invalid("Unknown field '" + key + "'; valid fields: " + kFields);
    }
  }
  if (r.dataset.empty()) return Status::Invalid("Field 'dataset' is required");
  return out;
}

}  // namespace scout
