#include "parquet/footer_reader.h"

#include <gtest/gtest.h>

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "testing/parquet_metadata_samples.h"
#include "testing/temp_dir.h"

namespace scout::parquet {
namespace {

using namespace format;
using namespace scout::test_support;


// PAR1, `body`, the footer, its length, PAR1. The body starts at byte 4.
std::string frame(const std::string& body, const FileMetaData& meta) {
  std::string footer = serialized(meta);
  std::string file = "PAR1" + body + footer + le32(static_cast<int32_t>(footer.size())) + "PAR1";
  return file;
}

// sample_metadata() with a page index for row group 0, column 0, placed in the body.
std::string file_with_page_index(FileMetaData* meta) {
  *meta = sample_metadata();
  ColumnIndex ci;
  ci.null_pages = {false, true};
  ci.min_values = {le64(1), ""};
  ci.max_values = {le64(9), ""};
  ci.null_counts = {0, 50};
  OffsetIndex oi;
  oi.page_locations = {{4, 50, 0}, {54, 50, 50}};
  std::string body(200, 'd');  // stands for the pages
  ColumnChunk& chunk = meta->row_groups[0].columns[0];
  chunk.column_index_offset = 4 + static_cast<int64_t>(body.size());
  body += serialized(ci);
  chunk.column_index_length = static_cast<int32_t>(4 + body.size() - *chunk.column_index_offset);
  chunk.offset_index_offset = 4 + static_cast<int64_t>(body.size());
  body += serialized(oi);
  chunk.offset_index_length = static_cast<int32_t>(4 + body.size() - *chunk.offset_index_offset);
  return frame(body, *meta);
}

TEST(MetadataReader, ReadsAFileWithItsPageIndex) {
  TempDir dir;
  FileMetaData meta;
  const std::string bytes = file_with_page_index(&meta);
  auto info = read_parquet_footer(dir.write("a.parquet", bytes));
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->file_size, static_cast<int64_t>(bytes.size()));
  EXPECT_EQ(info->metadata.num_rows, 2000);
  EXPECT_EQ(info->leaf_columns, (std::vector<size_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(info->schema_depth, (std::vector<int>{0, 1, 1, 1, 1, 1}));
  ASSERT_EQ(info->page_index.size(), 2u);
  const ColumnPageIndex& index = info->page_index[0][0];
  ASSERT_TRUE(index.column_index && index.offset_index);
  EXPECT_EQ(index.page_count(), 2u);
  EXPECT_EQ(index.column_index->null_counts[1], 50);
  EXPECT_EQ(index.offset_index->page_locations[1].offset, 54);
  EXPECT_FALSE(info->page_index[1][4].column_index.has_value());

  auto in_memory = read_parquet_footer_from_memory(bytes);
  ASSERT_TRUE(in_memory.ok());
  EXPECT_EQ(serialized(in_memory->metadata), serialized(info->metadata));
}

TEST(MetadataReader, ReadsAZeroRowFile) {
  FileMetaData meta;
  meta.schema = {SchemaElement{}};
  meta.schema[0].name = "schema";
  meta.schema[0].num_children = 0;
  auto info = read_parquet_footer_from_memory(frame("", meta));
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->metadata.num_rows, 0);
  EXPECT_TRUE(info->leaf_columns.empty());
}

TEST(MetadataReader, RefusesBadFraming) {
  FileMetaData meta;
  const std::string good = file_with_page_index(&meta);
  expect_corruption(read_parquet_footer_from_memory("").status(), {"0 bytes", "at least 12"});
  expect_corruption(read_parquet_footer_from_memory("PAR1PAR1").status(), {"8 bytes"});
  expect_corruption(read_parquet_footer_from_memory("XAR1" + good.substr(4)).status(),
                    {"does not start with PAR1"});
  expect_corruption(read_parquet_footer_from_memory(good.substr(0, good.size() - 1)).status(),
                    {"does not end with PAR1"});
  std::string encrypted = good;
  encrypted.replace(encrypted.size() - 4, 4, "PARE");
  expect_corruption(read_parquet_footer_from_memory(encrypted).status(), {"encrypted"});
  for (int32_t length : {0, static_cast<int32_t>(good.size()), -1}) {
    std::string bad = good;
    bad.replace(bad.size() - 8, 4, le32(length));
    expect_corruption(read_parquet_footer_from_memory(bad).status(), {"footer length"});
  }
}

TEST(MetadataReader, RefusesInconsistentSchemasAndRowGroups) {
  FileMetaData meta = sample_metadata();
  meta.schema[0].num_children = 6;
  expect_corruption(read_parquet_footer_from_memory(frame("", meta)).status(),
                    {"announce more children"});
  meta = sample_metadata();
  meta.schema[0].num_children = 4;
  meta.column_orders_type_defined = false;
  expect_corruption(read_parquet_footer_from_memory(frame("", meta)).status(),
                    {"6 elements but the root's tree holds only 5"});
  meta = sample_metadata();
  meta.schema[3].type.reset();
  meta.column_orders_type_defined = false;
  expect_corruption(read_parquet_footer_from_memory(frame("", meta)).status(),
                    {"schema element 3 'day' is a leaf without a type"});
  meta = sample_metadata();
  meta.row_groups[1].columns.pop_back();
  expect_corruption(read_parquet_footer_from_memory(frame("", meta)).status(),
                    {"row group 1 has 4 column chunks but the schema has 5 leaf columns"});
}

TEST(MetadataReader, RefusesPageIndexRegionsOutsideTheData) {
  FileMetaData meta;
  file_with_page_index(&meta);
  const std::string body(400, 'd');
  auto with_column_index = [&](std::optional<int64_t> offset, std::optional<int32_t> length) {
    FileMetaData m = meta;
    m.row_groups[0].columns[0].column_index_offset = offset;
    m.row_groups[0].columns[0].column_index_length = length;
    return read_parquet_footer_from_memory(frame(body, m)).status();
  };
  expect_corruption(with_column_index(0, 10), {"row group 0, column 'id': ColumnIndex at offset 0",
                                               "outside the file's data"});
  expect_corruption(with_column_index(400, 10), {"outside"});
  expect_corruption(with_column_index(10, -1), {"outside"});
  expect_corruption(with_column_index(std::numeric_limits<int64_t>::max(), 10), {"outside"});
  expect_corruption(with_column_index(10, std::nullopt), {"only one of its offset and length"});
  // The region holds page bytes, not a ColumnIndex.
  expect_corruption(with_column_index(4, 20), {"row group 0, column 'id': ColumnIndex"});
}

TEST(MetadataReader, RefusesOverlappingPageIndexRegionsThatExceedTheFile) {
  // Every chunk points at the same big region: the work would grow with chunks x region.
  FileMetaData meta = sample_metadata();
  meta.row_groups.resize(1);
  OffsetIndex big;
  for (int p = 0; p < 300; ++p) big.page_locations.push_back({4 + p * 10LL, 10, p * 10LL});
  const std::string body = serialized(big);
  for (ColumnChunk& c : meta.row_groups[0].columns) {
    c.offset_index_offset = 4;
    c.offset_index_length = static_cast<int32_t>(body.size());
  }
  expect_corruption(read_parquet_footer_from_memory(frame(body, meta)).status(),
                    {"add up to more than the file's size"});
}

TEST(MetadataReader, ReportsFileErrorsWithoutThePath) {
  TempDir dir;
  auto missing = read_parquet_footer(dir.file("missing.parquet"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message().find("missing.parquet"), std::string::npos);
  auto directory = read_parquet_footer(dir.path().string());
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.status().code(), StatusCode::kIOError);
  EXPECT_EQ(directory.status().message(), "is a directory");
  expect_corruption(read_parquet_footer(dir.write("empty", "")).status(), {"0 bytes"});
}

}  // namespace
}  // namespace scout::parquet
