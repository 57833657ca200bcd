#include "parquet/metadata_decoder.h"

#include <gtest/gtest.h>

#include <string>

#include "parquet/metadata_writer.h"
#include "parquet/thrift_compact_writer.h"
#include "testing/parquet_metadata_samples.h"

namespace scout::parquet {
namespace {

using namespace format;
using namespace scout::test_support;

TEST(MetadataReader, RoundTripsFileMetaDataThroughTheWriter) {
  const FileMetaData original = sample_metadata();
  const std::string bytes = serialized(original);
  size_t consumed = 0;
  auto parsed = parse_file_metadata(bytes, &consumed);
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  EXPECT_EQ(consumed, bytes.size());
  // Everything the structs hold survives: serializing again gives the same bytes.
  EXPECT_EQ(serialized(*parsed), bytes);

  const FileMetaData& m = *parsed;
  EXPECT_EQ(m.num_rows, 2000);
  EXPECT_EQ(m.created_by, original.created_by);
  EXPECT_TRUE(m.column_orders_type_defined);
  ASSERT_EQ(m.key_value_metadata.size(), 2u);
  EXPECT_EQ(m.key_value_metadata[0].value, "daily");
  EXPECT_FALSE(m.key_value_metadata[1].value.has_value());
  ASSERT_EQ(m.schema.size(), 6u);
  EXPECT_EQ(m.schema[0].num_children, 5);
  EXPECT_EQ(m.schema[2].logical_type->kind, LogicalType::Kind::kString);
  EXPECT_EQ(m.schema[4].logical_type->unit, TimeUnit::MICROS);
  EXPECT_TRUE(m.schema[4].logical_type->is_adjusted_to_utc);
  EXPECT_EQ(m.schema[5].logical_type->precision, 14);
  EXPECT_EQ(m.schema[5].logical_type->scale, 2);
  EXPECT_EQ(m.schema[1].logical_type->bit_width, 64);
  ASSERT_EQ(m.row_groups.size(), 2u);
  EXPECT_EQ(m.row_groups[1].ordinal, 1);
  const ColumnMetaData& c = *m.row_groups[1].columns[4].meta_data;
  EXPECT_EQ(c.path_in_schema, std::vector<std::string>{"amount"});
  EXPECT_EQ(c.encodings.size(), 3u);
  EXPECT_EQ(c.dictionary_page_offset, 8);
  EXPECT_EQ(c.statistics->null_count, 7);
  EXPECT_EQ(c.statistics->max_value, le64(std::numeric_limits<int64_t>::max()));
}

TEST(MetadataReader, RoundTripsPageHeadersThroughTheWriter) {
  PageHeader data;
  data.type = PageType::DATA_PAGE;
  data.uncompressed_page_size = 1 << 20;
  data.compressed_page_size = 12345;
  data.crc = -1;
  auto& d = data.data_page_header.emplace();
  d.num_values = 20000;
  d.encoding = Encoding::RLE_DICTIONARY;
  d.statistics.emplace().null_count = 3;
  d.statistics->min_value = "a";
  d.statistics->max_value = "zz";

  PageHeader dict;
  dict.type = PageType::DICTIONARY_PAGE;
  dict.uncompressed_page_size = 10;
  dict.compressed_page_size = 8;
  dict.dictionary_page_header.emplace().num_values = 2;
  dict.dictionary_page_header->is_sorted = false;

  for (const PageHeader& h : {data, dict}) {
    // A page header is followed by its page: the parser says where the header ends.
    const std::string header = serialized(h);
    size_t consumed = 0;
    auto parsed = parse_page_header(header + "page body", &consumed);
    ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
    EXPECT_EQ(consumed, header.size());
    EXPECT_EQ(serialized(*parsed), header);
    EXPECT_EQ(parsed->type, h.type);
    EXPECT_EQ(parsed->compressed_page_size, h.compressed_page_size);
  }
  auto parsed = parse_page_header(serialized(data));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->crc, -1);
  EXPECT_EQ(parsed->data_page_header->num_values, 20000);
  EXPECT_EQ(parsed->data_page_header->statistics->max_value, "zz");
  parsed = parse_page_header(serialized(dict));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->dictionary_page_header->is_sorted, false);
}

TEST(MetadataReader, RoundTripsPageIndexThroughTheWriter) {
  ColumnIndex ci;
  OffsetIndex oi;
  for (int p = 0; p < 20; ++p) {  // more than 14: long list headers
    const bool all_null = p % 7 == 3;
    ci.null_pages.push_back(all_null);
    ci.min_values.push_back(all_null ? "" : le32(p * 10));
    ci.max_values.push_back(all_null ? "" : le32(p * 10 + 9));
    ci.null_counts.push_back(all_null ? 100 : p);
    oi.page_locations.push_back(PageLocation{4 + p * 1000LL, 1000, p * 100LL});
  }
  ci.boundary_order = BoundaryOrder::ASCENDING;

  const std::string ci_bytes = serialized(ci);
  auto ci_parsed = parse_column_index(ci_bytes);
  ASSERT_TRUE(ci_parsed.ok()) << ci_parsed.status().to_string();
  EXPECT_EQ(ci_parsed->null_pages, ci.null_pages);
  EXPECT_EQ(ci_parsed->min_values, ci.min_values);
  EXPECT_EQ(ci_parsed->max_values, ci.max_values);
  EXPECT_EQ(ci_parsed->null_counts, ci.null_counts);
  EXPECT_EQ(ci_parsed->boundary_order, BoundaryOrder::ASCENDING);
  EXPECT_EQ(serialized(*ci_parsed), ci_bytes);

  const std::string oi_bytes = serialized(oi);
  auto oi_parsed = parse_offset_index(oi_bytes);
  ASSERT_TRUE(oi_parsed.ok()) << oi_parsed.status().to_string();
  ASSERT_EQ(oi_parsed->page_locations.size(), 20u);
  EXPECT_EQ(oi_parsed->page_locations[19].offset, 4 + 19 * 1000);
  EXPECT_EQ(oi_parsed->page_locations[19].first_row_index, 1900);
  EXPECT_EQ(serialized(*oi_parsed), oi_bytes);
}

// A footer written field by field, with what newer writers add and we skip: unknown fields of
// several types, and LogicalType members we do not model.
TEST(MetadataReader, ParsesHandBuiltFooterSkippingUnknownFields) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.field_i32(1, 2);
  w.field_list_begin(2, ThriftType::kStruct, 3);
  w.begin_struct();  // root
  w.field_binary(4, "root");
  w.field_i32(5, 2);
  w.end_struct();
  w.begin_struct();  // a TIME(MICROS) leaf: LogicalType member 7, kept as kOther
  w.field_i32(1, static_cast<int32_t>(Type::INT64));
  w.field_i32(3, 1);
  w.field_binary(4, "t");
  w.field_struct_begin(10);
  w.field_struct_begin(7);
  w.field_bool(1, true);
  w.field_struct_begin(2);
  w.field_struct_begin(2);
  w.end_struct();
  w.end_struct();
  w.end_struct();
  w.end_struct();
  w.field_i32(11, 3);  // vector_length: newer than our structs
  w.end_struct();
  w.begin_struct();  // an unsigned INTEGER leaf with an unknown double field
  w.field_i32(1, static_cast<int32_t>(Type::INT32));
  w.field_binary(4, "u");
  w.field_struct_begin(10);
  w.field_struct_begin(10);
  w.field_byte(1, 16);
  w.field_bool(2, false);
  w.end_struct();
  w.end_struct();
  w.end_struct();
  w.field_i64(3, 0);
  w.field_list_begin(4, ThriftType::kStruct, 0);
  w.field_binary(6, "hand");
  w.field_list_begin(7, ThriftType::kStruct, 2);
  for (int i = 0; i < 2; ++i) {
    w.begin_struct();
    w.field_struct_begin(1);
    w.end_struct();
    w.end_struct();
  }
  w.field_struct_begin(8);  // encryption_algorithm: a union we skip
  w.field_struct_begin(1);
  w.field_binary(1, "aad");
  w.end_struct();
  w.end_struct();
  w.field_list_begin(20, ThriftType::kI64, 3);  // a field from the future
  for (int i = 0; i < 3; ++i) w.write_i64(i);
  out.push_back(0);

  auto parsed = parse_file_metadata(out);
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  const FileMetaData& m = *parsed;
  EXPECT_EQ(m.version, 2);
  EXPECT_EQ(m.created_by, "hand");
  EXPECT_TRUE(m.column_orders_type_defined);
  ASSERT_EQ(m.schema.size(), 3u);
  EXPECT_EQ(m.schema[1].logical_type->kind, LogicalType::Kind::kOther);
  EXPECT_EQ(m.schema[1].logical_type->other_field_id, 7);
  EXPECT_EQ(m.schema[2].logical_type->kind, LogicalType::Kind::kInteger);
  EXPECT_EQ(m.schema[2].logical_type->bit_width, 16);
  EXPECT_FALSE(m.schema[2].logical_type->is_signed);
}

TEST(MetadataReader, NamesTheMissingRequiredField) {
  // Without num_rows (field 3).
  std::string out;
  ThriftCompactWriter w(&out);
  w.field_i32(1, 1);
  w.field_list_begin(2, ThriftType::kStruct, 1);
  w.begin_struct();
  w.field_binary(4, "root");
  w.field_i32(5, 0);
  w.end_struct();
  w.field_list_begin(4, ThriftType::kStruct, 0);
  out.push_back(0);
  expect_corruption(parse_file_metadata(out).status(),
                    {"FileMetaData: required field 3 (num_rows) is missing", "at byte"});

  // A chunk without data_page_offset (the writer always writes it, so by hand): the message
  // gives the path down to it.
  out.clear();
  ThriftCompactWriter v(&out);
  v.field_i32(1, 1);
  v.field_list_begin(2, ThriftType::kStruct, 2);
  v.begin_struct();
  v.field_binary(4, "root");
  v.field_i32(5, 1);
  v.end_struct();
  v.begin_struct();
  v.field_i32(1, 1);
  v.field_binary(4, "x");
  v.end_struct();
  v.field_i64(3, 1);
  v.field_list_begin(4, ThriftType::kStruct, 1);
  v.begin_struct();
  v.field_list_begin(1, ThriftType::kStruct, 1);
  v.begin_struct();
  v.field_i64(2, 0);
  v.field_struct_begin(3);
  v.field_i32(1, 1);
  v.field_list_begin(2, ThriftType::kI32, 0);
  v.field_list_begin(3, ThriftType::kBinary, 1);
  v.write_binary("x");
  v.field_i32(4, 0);
  v.field_i64(5, 1);
  v.field_i64(6, 1);
  v.field_i64(7, 1);
  v.end_struct();
  v.end_struct();
  v.field_i64(2, 1);
  v.field_i64(3, 1);
  v.end_struct();
  out.push_back(0);
  expect_corruption(parse_file_metadata(out).status(),
                    {"FileMetaData.row_groups[0].columns[0].meta_data (field 3): required field 9 "
                     "(data_page_offset) is missing"});
}

TEST(MetadataReader, RefusesFieldsOfTheWrongWireType) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.field_i32(1, 1);
  w.field_binary(3, "not a number");
  out.push_back(0);
  expect_corruption(
      parse_file_metadata(out).status(),
      {"FileMetaData.num_rows (field 3): wire type binary where i64 was expected", "at byte 2"});
}

TEST(MetadataReader, RefusesUnionsWithSeveralMembers) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.field_i32(1, 1);
  w.field_list_begin(2, ThriftType::kStruct, 1);
  w.begin_struct();
  w.field_binary(4, "root");
  w.field_struct_begin(10);
  w.field_struct_begin(1);
  w.end_struct();
  w.field_struct_begin(6);
  w.end_struct();
  w.end_struct();
  w.end_struct();
  out.push_back(0);
  expect_corruption(parse_file_metadata(out).status(),
                    {"schema[0].logicalType (field 10): union LogicalType has 2 members"});
}

TEST(MetadataReader, RefusesColumnOrdersThatDoNotMatchTheLeaves) {
  // One leaf, no column orders (metadata_writer counts leaves itself, so by hand).
  std::string out;
  ThriftCompactWriter w(&out);
  w.field_i32(1, 1);
  w.field_list_begin(2, ThriftType::kStruct, 2);
  w.begin_struct();
  w.field_binary(4, "root");
  w.field_i32(5, 1);
  w.end_struct();
  w.begin_struct();
  w.field_i32(1, 1);
  w.field_binary(4, "x");
  w.end_struct();
  w.field_i64(3, 0);
  w.field_list_begin(4, ThriftType::kStruct, 0);
  w.field_list_begin(7, ThriftType::kStruct, 0);
  out.push_back(0);
  expect_corruption(parse_file_metadata(out).status(),
                    {"column_orders has 0 entries but the schema has 1 leaf columns"});
}

}  // namespace
}  // namespace scout::parquet
