#include "server/request_body.h"

#include <gtest/gtest.h>

namespace scout {
namespace {

std::string refusal(const std::string& body) {
  auto parsed = parse_export_body(body);
  EXPECT_FALSE(parsed.ok()) << body;
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << body;
  return parsed.status().message();
}

TEST(ExportBody, TheGuidesRequestWithEveryField) {
  auto parsed = parse_export_body(R"({
    "dataset": "daily_transactions", "format": "parquet", "compression": "zstd",
    "compression_level": 3, "partition_by": "transaction_date",
    "date_range": {"start": "2025-01-01", "end": "2025-01-31"}, "limit": 1000,
    "columns": ["transaction_date", "store_id"], "max_file_size": 1048576,
    "json_array": false, "parquet_version": "v2", "async": true})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  const ExportRequest& r = parsed->request;
  EXPECT_EQ(r.dataset, "daily_transactions");
  EXPECT_EQ(r.format, "parquet");
  EXPECT_EQ(r.compression, std::optional<std::string>("zstd"));
  EXPECT_EQ(r.compression_level, std::optional<int>(3));
  EXPECT_EQ(r.partition_by, std::optional<std::string>("transaction_date"));
  EXPECT_EQ(r.date_from, std::optional<std::string>("2025-01-01"));
  EXPECT_EQ(r.date_to, std::optional<std::string>("2025-01-31"));
  EXPECT_EQ(r.limit, std::optional<int64_t>(1000));
  EXPECT_EQ(r.columns, (std::vector<std::string>{"transaction_date", "store_id"}));
  EXPECT_EQ(r.max_file_size, 1048576);
  EXPECT_EQ(r.parquet_version, std::optional<std::string>("v2"));
  EXPECT_TRUE(parsed->async);
}

TEST(ExportBody, NullsMeanDefaults) {
  auto parsed = parse_export_body(R"({"dataset": "store_rankings", "partition_by": null,
    "date_range": {"start": null, "end": "2025-02-01"}, "limit": null, "compression_level": null})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  EXPECT_EQ(parsed->request.format, "parquet");
  EXPECT_FALSE(parsed->request.partition_by);
  EXPECT_FALSE(parsed->request.date_from);
  EXPECT_EQ(parsed->request.date_to, std::optional<std::string>("2025-02-01"));
  EXPECT_FALSE(parsed->request.limit);
  EXPECT_FALSE(parsed->request.compression_level);
  EXPECT_FALSE(parsed->async);
}

TEST(ExportBody, RefusalsNameTheField) {
  EXPECT_EQ(refusal("{"), "Request body is not valid JSON");
  EXPECT_EQ(refusal("[]"), "Request body must be a JSON object");
  EXPECT_EQ(refusal("{}"), "Field 'dataset' is required");
  EXPECT_NE(refusal(R"({"dataset": "x", "datset": 1})").find("Unknown field 'datset'; valid fields: dataset,"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"dataset": 7})").find("Field 'dataset' must be a string"), std::string::npos);
  EXPECT_NE(refusal(R"({"dataset": "x", "limit": "10"})").find("Field 'limit'"), std::string::npos);
  EXPECT_NE(refusal(R"({"dataset": "x", "limit": 1.5})").find("Field 'limit'"), std::string::npos);
  EXPECT_NE(refusal(R"({"dataset": "x", "columns": ["a", 1]})").find("Field 'columns'"), std::string::npos);
  EXPECT_EQ(refusal(R"({"dataset": "x", "parquet_version": 2})"), "Field 'parquet_version' must be a string: v1 or v2");
  EXPECT_NE(refusal(R"({"dataset": "x", "async": "yes"})").find("Field 'async' must be true or false"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"dataset": "x", "date_range": {"from": "2025-01-01"}})")
                .find("Unknown field 'date_range.from'"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"dataset": "x", "date_range": {"start": 20250101}})").find("'date_range.start'"),
            std::string::npos);
}

// A number too large for its field is refused, never wrapped into a valid-looking value
// (4294967297 would otherwise become compression_level 1).
TEST(ExportBody, NumbersOutOfTheirFieldsRangeAreRefused) {
  EXPECT_NE(refusal(R"({"dataset": "x", "compression_level": 4294967297})").find("'compression_level'"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"dataset": "x", "limit": 18446744073709551615})").find("'limit'"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"dataset": "x", "max_file_size": 18446744073709551615})").find("'max_file_size'"),
            std::string::npos);
  auto negative = parse_export_body(R"({"dataset": "x", "compression_level": -7})");
  ASSERT_TRUE(negative.ok());  // zstd's fast levels; the codec check decides
  EXPECT_EQ(negative->request.compression_level, std::optional<int>(-7));
}

}  // namespace
}  // namespace scout
