#include "server/openapi.h"

#include <algorithm>
#include <string>

#include "common/compression_levels.h"
#include "export/format_writer.h"
#include "server/export_listing.h"

namespace scout {

using json = nlohmann::ordered_json;

namespace {

// From the table the API checks levels against, so the document cannot drift from it.
json compression_level_schema() {
  int low = 0, high = 0;
  for (const CompressionLevels& levels : kCompressionLevels) {
    low = std::min(low, levels.low);
    high = std::max(high, levels.high);
  }
  return {{"type", "integer"},
          {"minimum", low},
          {"maximum", high},
          {"description", describe_compression_levels()}};
}

json ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }

json error_response(const std::string& description) {
  return {{"description", description},
          {"content", {{"application/json", {{"schema", ref("Error")}}}}}};
}

json json_response(const std::string& description, const std::string& schema) {
  return {{"description", description},
          {"content", {{"application/json", {{"schema", ref(schema)}}}}}};
}

// Which compression names each format takes, its default first: asked of parse_compression,
// the one place that decides, so a client can offer the right choices for a format.
json compression_by_format() {
  json out = json::object();
  for (ExportFormat format : {ExportFormat::kParquet, ExportFormat::kCsv, ExportFormat::kJson}) {
    Codec preferred = default_codec(format);
    json names = json::array({compression_name(format, preferred)});
    for (Codec codec : {Codec::kSnappy, Codec::kGzip, Codec::kLz4, Codec::kBrotli, Codec::kZstd,
                        Codec::kUncompressed}) {
      if (codec == preferred) continue;
      const char* name = compression_name(format, codec);
      if (parse_compression(format, name).ok()) names.push_back(name);
    }
    out[export_format_name(format)] = std::move(names);
  }
  return out;
}

}  // namespace

json openapi_document(const std::string& api_prefix) {
  json secured = json::array({{{"bearer", json::array()}}});
  json export_body = {{"required", true},
                      {"content", {{"application/json", {{"schema", ref("ExportRequest")}}}}}};
  json paths;
  paths["/health"]["get"] = {{"summary", "Service health and Parquet support (no credential)"},
                             {"security", json::array()},
                             {"responses", {{"200", json_response("Healthy", "Health")},
                                            {"503", json_response("Warehouse or state database unreachable", "Health")}}}};
  paths["/datasets"]["get"] = {{"summary", "The datasets and their schemas"},
                               {"security", secured},
                               {"responses", {{"200", json_response("The catalog", "DatasetList")},
                                              {"401", error_response("No or bad credential")}}}};
  paths["/export"]["post"] = {
      {"summary", "Export a dataset; waits for the result unless async is true"},
      {"security", secured},
      {"requestBody", export_body},
      {"responses", {{"200", json_response("The finished export", "ExportResult")},
                     {"202", json_response("Accepted; poll status_url", "ExportAccepted")},
                     {"400", error_response("Invalid request (unknown dataset, column, codec, date)")},
                     {"401", error_response("No or bad credential")},
                     {"403", error_response("The role may not read the dataset")},
                     {"413", error_response("Body too large")},
                     {"415", error_response("The body is not sent as application/json")},
                     {"422", error_response("The source does not match the dataset's schema")},
                     {"429", error_response("Too many exports; retry after Retry-After seconds")},
                     {"503", error_response("The warehouse or the state database is unavailable")}}}};
  paths["/estimate"]["post"] = {{"summary", "Expected rows and bytes of an export, without running it"},
                                {"security", secured},
                                {"requestBody", export_body},
                                {"responses", {{"200", json_response("The estimate", "Estimate")},
                                               {"400", error_response("Invalid request")},
                                               {"415", error_response("The body is not sent as application/json")},
                                               {"401", error_response("No or bad credential")},
                                               {"403", error_response("Forbidden")}}}};
  paths["/exports"]["get"] = {
      {"summary", "The caller's own exports, newest first, a page at a time (an admin's too)"},
      {"security", secured},
      {"parameters", json::array({{{"name", "limit"}, {"in", "query"}, {"required", false},
                                   {"schema", {{"type", "integer"}, {"minimum", 1},
                                               {"maximum", kMaxExportPageSize},
                                               {"default", kDefaultExportPageSize}}}},
                                  {{"name", "cursor"}, {"in", "query"}, {"required", false},
                                   {"description", "next_cursor of the previous page, as it is"},
                                   {"schema", {{"type", "string"}}}}})},
      {"responses", {{"200", json_response("A page of exports", "ExportList")},
                     {"400", error_response("A limit out of range or a cursor this service did not give")},
                     {"401", error_response("No or bad credential")}}}};
  json id_param = json::array({{{"name", "id"}, {"in", "path"}, {"required", true},
                                {"schema", {{"type", "string"}, {"format", "uuid"}}}}});
  paths["/exports/{id}"]["get"] = {{"summary", "Status, progress and result of an export"},
                                   {"security", secured},
                                   {"parameters", id_param},
                                   {"responses", {{"200", json_response("The export", "ExportStatus")},
                                                  {"401", error_response("No or bad credential")},
                                                  {"404", error_response("No such export")},
                                                  {"503", error_response("The state database is unavailable")}}}};
  paths["/exports/{id}"]["delete"] = {{"summary", "Cancel a running export or delete a finished one"},
                                      {"security", secured},
                                      {"parameters", id_param},
                                      {"responses", {{"200", {{"description", "Cancelled or deleted"}}},
                                                     {"401", error_response("No or bad credential")},
                                                     {"404", error_response("No such export")},
                                                     {"503", error_response("The state database is unavailable")}}}};
  paths["/download/{key}"]["get"] = {
      {"summary", "Download an exported file through its signed URL (Range and ETag supported)"},
      {"security", json::array()},
      {"parameters", json::array({{{"name", "key"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}},
                                  {{"name", "expires"}, {"in", "query"}, {"required", true}, {"schema", {{"type", "integer"}}}},
                                  {{"name", "signature"}, {"in", "query"}, {"required", true}, {"schema", {{"type", "string"}}}}})},
      {"responses", {{"200", {{"description", "The file"}}},
                     {"206", {{"description", "Part of the file (Range)"}}},
                     {"304", {{"description", "Not modified (If-None-Match)"}}},
                     {"403", error_response("Tampered or expired link")},
                     {"404", error_response("The file no longer exists")},
                     {"416", error_response("The Range lies outside the file")}}}};
  paths["/metrics"]["get"] = {{"summary", "Prometheus metrics"}, {"security", json::array()},
                              {"responses", {{"200", {{"description", "Prometheus text format"}}}}}};

  json string_t = {{"type", "string"}}, int_t = {{"type", "integer"}};
  json schemas;
  schemas["Error"] = {{"type", "object"}, {"required", {"error"}},
                      {"properties", {{"error", {{"type", "object"}, {"required", {"code", "message"}},
                                                 {"properties", {{"code", string_t}, {"message", string_t}}}}}}}};
  schemas["DateRange"] = {{"type", "object"},
                          {"properties", {{"start", {{"type", "string"}, {"format", "date"}}},
                                          {"end", {{"type", "string"}, {"format", "date"}}}}}};
  schemas["ExportRequest"] = {
      {"type", "object"}, {"required", {"dataset"}}, {"additionalProperties", false},
      {"properties",
       {{"dataset", string_t},
        {"format", {{"type", "string"}, {"enum", {"parquet", "csv", "json"}}, {"default", "parquet"}}},
        {"compression", {{"type", "string"}, {"enum", {"snappy", "gzip", "lz4", "brotli", "zstd", "uncompressed", "none"}},
                         {"description", "The format's codecs; x-compression-by-format lists them per format, default first"},
                         {"x-compression-by-format", compression_by_format()}}},
        {"compression_level", compression_level_schema()},
        {"partition_by", string_t},
        {"date_range", ref("DateRange")},
        {"limit", {{"type", "integer"}, {"minimum", 1}}},
        {"columns", {{"type", "array"}, {"items", string_t}}},
        {"max_file_size", {{"type", "integer"}, {"minimum", 65536}}},
        {"json_array", {{"type", "boolean"}}},
        {"parquet_version", {{"type", "string"}, {"enum", {"v1", "v2"}}, {"default", "v1"},
                             {"description", kParquetVersionChoices}}},
        {"async", {{"type", "boolean"}}}}}};
  json nullable_string = {{"type", {"string", "null"}}};
  json column_types = {{"type", "object"}, {"additionalProperties", string_t}};
  // Every field an answer always carries is required, so the client's types can rely on it.
  schemas["ExportedFile"] = {
      {"type", "object"},
      {"required", {"path", "file_path", "rows", "bytes", "sha256", "signed_url"}},
      {"properties", {{"path", string_t}, {"file_path", string_t}, {"rows", int_t}, {"bytes", int_t},
                      {"sha256", string_t}, {"signed_url", string_t},
                      {"partition", {{"type", "object"}, {"additionalProperties", string_t}}}}}};
  schemas["ExportResult"] = {
      {"type", "object"},
      {"required", {"export_id", "file_path", "file_size", "row_count", "schema", "compression", "parquet_version",
                    "created_at", "signed_url", "format", "dataset", "partition_by", "files", "manifest_url",
                    "expires_at", "duration_ms"}},
      {"properties", {{"export_id", string_t}, {"file_path", string_t}, {"file_size", int_t}, {"row_count", int_t},
                      {"schema", column_types},
                      {"compression", string_t}, {"created_at", string_t}, {"signed_url", string_t},
                      {"parquet_version", {{"type", {"string", "null"}}, {"enum", {"v1", "v2", nullptr}}}},
                      {"format", string_t}, {"dataset", string_t}, {"partition_by", nullable_string},
                      {"files", {{"type", "array"}, {"items", ref("ExportedFile")}}}, {"manifest_url", string_t},
                      {"expires_at", string_t}, {"duration_ms", int_t}}}};
  schemas["ExportAccepted"] = {{"type", "object"},
                               {"required", {"export_id", "status", "status_url"}},
                               {"properties", {{"export_id", string_t}, {"status", string_t}, {"status_url", string_t}}}};
  schemas["ExportProgress"] = {{"type", "object"},
                               {"required", {"rows_written", "bytes_written", "estimated_rows", "percent"}},
                               {"properties", {{"rows_written", int_t}, {"bytes_written", int_t},
                                               {"estimated_rows", {{"type", {"integer", "null"}}}},
                                               {"percent", {{"type", "number"}}}}}};
  schemas["ExportStatus"] = {
      {"type", "object"},
      {"required", {"export_id", "status", "progress", "created_at", "created_unix", "requested_by", "request"}},
      {"properties", {{"export_id", string_t},
                      {"status", {{"type", "string"}, {"enum", {"queued", "running", "succeeded", "failed", "cancelled"}}}},
                      {"progress", ref("ExportProgress")},
                      {"created_at", string_t}, {"created_unix", int_t},
                      {"finished_at", string_t}, {"finished_unix", int_t},
                      {"requested_by", string_t}, {"request", ref("ExportRequest")},
                      {"result", ref("ExportResult")},
                      {"error", {{"type", "object"}, {"required", {"code", "message"}},
                                 {"properties", {{"code", string_t}, {"message", string_t}}}}}}}};
  schemas["ExportList"] = {{"type", "object"},
                          {"required", {"exports", "next_cursor"}},
                          {"properties", {{"exports", {{"type", "array"}, {"items", ref("ExportStatus")}}},
                                          {"next_cursor", nullable_string}}}};
  schemas["Estimate"] = {{"type", "object"},
                         {"required", {"dataset", "format", "compression", "estimated_rows", "estimated_bytes"}},
                         {"properties", {{"dataset", string_t}, {"format", string_t}, {"compression", string_t},
                                         {"estimated_rows", int_t}, {"estimated_bytes", int_t}}}};
  schemas["Health"] = {{"type", "object"},
                       {"required", {"status", "parquet_support", "pyarrow_version", "parquet_writer", "version",
                                     "available_datasets", "warehouse", "state", "storage", "timestamp"}},
                       {"properties", {{"status", {{"type", "string"}, {"enum", {"healthy", "degraded"}}}},
                                       {"parquet_support", {{"type", "boolean"}}},
                                       {"pyarrow_version", nullable_string}, {"parquet_writer", string_t},
                                       {"version", string_t}, {"available_datasets", int_t},
                                       {"warehouse", {{"type", "string"}, {"enum", {"reachable", "unreachable"}}}},
                                       {"state", {{"type", "string"}, {"enum", {"reachable", "unreachable"}}}},
                                       // The exports' store: the data dir's folder or the S3 bucket.
                                       {"storage", {{"type", "string"}, {"enum", {"reachable", "unreachable"}}}},
                                       {"timestamp", string_t}}}};
  schemas["DatasetInfo"] = {
      {"type", "object"},
      {"required", {"name", "table", "layer", "description", "partition_column", "date_column", "schema", "columns"}},
      {"properties", {{"name", string_t}, {"table", string_t}, {"layer", string_t}, {"description", string_t},
                      {"partition_column", string_t}, {"date_column", string_t}, {"schema", column_types},
                      {"columns", int_t}}}};
  schemas["DatasetList"] = {{"type", "object"},
                            {"required", {"datasets"}},
                            {"properties", {{"datasets", {{"type", "array"}, {"items", ref("DatasetInfo")}}}}}};

  return {{"openapi", "3.0.3"},
          {"info", {{"title", "Scout Export"}, {"version", "0.1.0"},
                    {"description", "Exports Scout warehouse datasets as Parquet, CSV or JSON."}}},
          {"servers", json::array({{{"url", "/"}}, {{"url", api_prefix}}})},
          {"paths", paths},
          {"components", {{"schemas", schemas},
                          {"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"},
                                                           {"description", "An API key or an HS256 JWT"}}}}}}},
          {"security", secured}};
}

}  // namespace scout
