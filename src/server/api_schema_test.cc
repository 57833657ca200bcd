// The OpenAPI document against the records: every field api_json.h emits for a fully populated
// record is declared in its schema with the right JSON type, every required field is emitted,
// and every declared field is emitted by one of the samples. A field added to one side only
// fails here (clients/typescript/test/openapi-types.test.mjs holds the client to the document).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "export/api_json.h"
#include "core/catalog.h"
#include "server/export_service.h"
#include "server/openapi.h"
#include "testing/sample_records.h"
#include "testing/temp_dir.h"

namespace scout {
namespace {

using json = nlohmann::ordered_json;

class ApiSchema : public ::testing::Test {
 protected:
  json doc = openapi_document("/prefix");

  const json& resolve(const json& schema) const {
    if (!schema.contains("$ref")) return schema;
    std::string name = schema["$ref"].get<std::string>().substr(std::string("#/components/schemas/").size());
    return doc["components"]["schemas"][name];
  }

  static bool has_type(const json& value, const json& type) {
    if (type.is_array()) {
      for (const json& t : type) {
        if (has_type(value, t)) return true;
      }
      return false;
    }
    std::string t = type.get<std::string>();
    if (t == "string") return value.is_string();
    if (t == "integer") return value.is_number_integer();
    if (t == "number") return value.is_number();
    if (t == "boolean") return value.is_boolean();
    if (t == "object") return value.is_object();
    if (t == "array") return value.is_array();
    if (t == "null") return value.is_null();
    return false;
  }

  // Checks `value` against `schema`, recording the paths of the declared fields it emits.
  void check(const json& value, const json& schema_or_ref, const std::string& path,
             std::set<std::string>& emitted) const {
    const json& schema = resolve(schema_or_ref);
    if (schema.contains("type")) {
      EXPECT_TRUE(has_type(value, schema["type"]))
          << path << " is " << value.type_name() << ", the document says " << schema["type"];
    }
    if (value.is_object() && schema.contains("properties")) {
      for (const json& required : schema.value("required", json::array())) {
        EXPECT_TRUE(value.contains(required.get<std::string>()))
            << path << "." << required.get<std::string>() << " is required but not emitted";
      }
      for (const auto& [key, field] : value.items()) {
        std::string field_path = path + "." + key;
        if (!schema["properties"].contains(key)) {
          ADD_FAILURE() << field_path << " is emitted but not in the OpenAPI document";
          continue;
        }
        emitted.insert(field_path);
        check(field, schema["properties"][key], field_path, emitted);
      }
    } else if (value.is_object() && schema.contains("additionalProperties")) {
      for (const auto& [key, field] : value.items()) {
        check(field, schema["additionalProperties"], path + "." + key, emitted);
      }
    } else if (value.is_array() && schema.contains("items")) {
      for (const json& item : value) check(item, schema["items"], path + "[]", emitted);
    }
  }

  // Every field path `schema` declares.
  void declared(const json& schema_or_ref, const std::string& path, std::set<std::string>& out) const {
    const json& schema = resolve(schema_or_ref);
    if (schema.contains("properties")) {
      for (const auto& [key, field] : schema["properties"].items()) {
        out.insert(path + "." + key);
        declared(field, path + "." + key, out);
      }
    }
    if (schema.contains("items")) declared(schema["items"], path + "[]", out);
  }

  void expect_matches(const std::string& component, const std::vector<json>& samples) const {
    json schema = {{"$ref", "#/components/schemas/" + component}};
    std::set<std::string> emitted, all;
    for (const json& sample : samples) check(sample, schema, component, emitted);
    declared(schema, component, all);
    for (const std::string& path : all) {
      EXPECT_TRUE(emitted.count(path)) << path << " is in the OpenAPI document but never emitted";
    }
  }
};

using test_support::sample_links;
using test_support::sample_partitioned_result;

// A request naming every field the document declares for one.
nlohmann::json full_request() {
  return nlohmann::json::parse(R"({"dataset": "store_rankings", "format": "parquet",
      "compression": "zstd", "compression_level": 3, "partition_by": "region",
      "date_range": {"start": "2025-03-01", "end": "2025-03-31"}, "limit": 10,
      "columns": ["store_id"], "max_file_size": 65536, "json_array": false,
      "parquet_version": "v2", "async": true})");
}

JobRecord job(JobStatus status) {
  JobRecord rec;
  rec.id = "id-1";
  rec.status = status;
  rec.progress = {5, 190, 5};
  rec.created_at = "2025-03-31T10:00:00.000Z";
  rec.created_unix = 1743415200;
  rec.finished_at = "2025-03-31T10:00:01.000Z";
  rec.finished_unix = 1743415201;
  rec.requested_by = "key:abc";
  rec.request = full_request();
  if (status == JobStatus::kSucceeded) rec.result = sample_partitioned_result();
  if (status == JobStatus::kFailed) rec.error = Status::SchemaMismatch("column 'x' is missing");
  return rec;
}

TEST_F(ApiSchema, ExportResultMatchesTheDocument) {
  expect_matches("ExportResult", {export_response_json(sample_partitioned_result(), sample_links())});
}

TEST_F(ApiSchema, ExportStatusMatchesTheDocument) {
  JobRecord running = job(JobStatus::kRunning);
  running.finished_at.clear();
  running.progress.estimated_rows.reset();
  expect_matches("ExportStatus", {job_status_json(job(JobStatus::kSucceeded), sample_links()),
                                  job_status_json(job(JobStatus::kFailed), sample_links()),
                                  job_status_json(running, sample_links())});
}

TEST_F(ApiSchema, ExportListMatchesTheDocument) {
  auto links = [](const std::string&) { return sample_links(); };
  expect_matches("ExportList", {export_list_json({job(JobStatus::kSucceeded), job(JobStatus::kFailed)},
                                                 links, std::string("6162")),
                                export_list_json({}, links, std::nullopt)});
}

// The console offers these per format: each one is taken by the API, the default comes first.
TEST_F(ApiSchema, CompressionChoicesPerFormatAreTheApisDefaultFirst) {
  const json& by_format =
      doc["components"]["schemas"]["ExportRequest"]["properties"]["compression"]["x-compression-by-format"];
  EXPECT_EQ(by_format["parquet"], json::parse(R"(["snappy", "gzip", "lz4", "brotli", "zstd", "uncompressed"])"));
  EXPECT_EQ(by_format["csv"], json::parse(R"(["none", "gzip", "lz4", "brotli", "zstd"])"));
  EXPECT_EQ(by_format["json"], by_format["csv"]);
}

// GET /health as the service answers it (local storage, a data dir of its own).
TEST_F(ApiSchema, HealthMatchesTheDocument) {
  test_support::TempDir dir;
  ServerConfig config;
  config.data_dir = dir.path().string();
  auto service = ExportService::create(config);
  ASSERT_TRUE(service.ok()) << service.status().message();
  HttpRequest req;
  req.method = "GET";
  req.target = req.path = "/health";
  HttpResponse res = (*service)->handle(req);
  json body = json::parse(res.body);
  EXPECT_EQ(body["storage"], "reachable");
  expect_matches("Health", {body});
}

TEST_F(ApiSchema, DatasetListMatchesTheDocument) {
  expect_matches("DatasetList", {datasets_json(dataset_infos(Catalog::builtin()))});
}

}  // namespace
}  // namespace scout
