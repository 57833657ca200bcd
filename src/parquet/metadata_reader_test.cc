#include "parquet/metadata_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "parquet/metadata_writer.h"
#include "parquet/thrift_compact_writer.h"
#include "scout/column_batch.h"
#include "scout/output_stream.h"
#include "scout/parquet/writer.h"
#include "testing/temp_dir.h"

namespace scout::parquet {
namespace {

using namespace format;

void expect_corruption(const Status& st, std::initializer_list<const char*> fragments) {
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kCorruption) << st.to_string();
  for (const char* f : fragments) {
    EXPECT_NE(st.message().find(f), std::string::npos) << "'" << f << "' in: " << st.message();
  }
}

SchemaElement leaf(std::string name, Type type, FieldRepetitionType repetition) {
  SchemaElement e;
  e.name = std::move(name);
  e.type = type;
  e.repetition_type = repetition;
  return e;
}

LogicalType logical(LogicalType::Kind kind) {
  LogicalType t;
  t.kind = kind;
  return t;
}

std::string le64(int64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i)
    s[static_cast<size_t>(i)] = static_cast<char>(static_cast<uint64_t>(v) >> (8 * i));
  return s;
}

std::string le32(int32_t v) { return le64(v).substr(0, 4); }

// Five columns covering the logical types Scout writes.
std::vector<SchemaElement> sample_schema() {
  std::vector<SchemaElement> schema(1);
  schema[0].name = "schema";
  schema[0].num_children = 5;
  auto& id = schema.emplace_back(leaf("id", Type::INT64, FieldRepetitionType::REQUIRED));
  id.logical_type = logical(LogicalType::Kind::kInteger);
  id.logical_type->bit_width = 64;
  id.converted_type = ConvertedType::INT_64;
  auto& name = schema.emplace_back(leaf("name", Type::BYTE_ARRAY, FieldRepetitionType::OPTIONAL));
  name.logical_type = logical(LogicalType::Kind::kString);
  name.converted_type = ConvertedType::UTF8;
  auto& day = schema.emplace_back(leaf("day", Type::INT32, FieldRepetitionType::OPTIONAL));
  day.logical_type = logical(LogicalType::Kind::kDate);
  day.converted_type = ConvertedType::DATE;
  auto& ts = schema.emplace_back(leaf("ts", Type::INT64, FieldRepetitionType::OPTIONAL));
  ts.logical_type = logical(LogicalType::Kind::kTimestamp);
  ts.logical_type->is_adjusted_to_utc = true;
  ts.logical_type->unit = TimeUnit::MICROS;
  ts.converted_type = ConvertedType::TIMESTAMP_MICROS;
  auto& amount = schema.emplace_back(leaf("amount", Type::INT64, FieldRepetitionType::OPTIONAL));
  amount.logical_type = logical(LogicalType::Kind::kDecimal);
  amount.logical_type->precision = 14;
  amount.logical_type->scale = 2;
  amount.converted_type = ConvertedType::DECIMAL;
  amount.precision = 14;
  amount.scale = 2;
  return schema;
}

ColumnChunk sample_chunk(const std::string& name, Type type, int64_t offset) {
  ColumnChunk c;
  c.file_offset = 0;
  ColumnMetaData& m = c.meta_data.emplace();
  m.type = type;
  m.encodings = {Encoding::PLAIN, Encoding::RLE, Encoding::RLE_DICTIONARY};
  m.path_in_schema = {name};
  m.codec = CompressionCodec::SNAPPY;
  m.num_values = 1000;
  m.total_uncompressed_size = 4000;
  m.total_compressed_size = 3000;
  m.key_value_metadata = {{"chunk", std::string("kv")}};
  m.data_page_offset = offset + 100;
  m.dictionary_page_offset = offset;
  Statistics& s = m.statistics.emplace();
  s.null_count = 7;
  s.distinct_count = 900;
  s.min_value = le64(-5);
  s.max_value = le64(std::numeric_limits<int64_t>::max());
  return c;
}

FileMetaData sample_metadata() {
  FileMetaData m;
  m.version = 1;
  m.schema = sample_schema();
  m.num_rows = 2000;
  for (int g = 0; g < 2; ++g) {
    RowGroup& group = m.row_groups.emplace_back();
    const char* names[] = {"id", "name", "day", "ts", "amount"};
    const Type types[] = {Type::INT64, Type::BYTE_ARRAY, Type::INT32, Type::INT64, Type::INT64};
    for (int c = 0; c < 5; ++c) group.columns.push_back(sample_chunk(names[c], types[c], 4 + c));
    group.total_byte_size = 123456;
    group.num_rows = 1000;
    group.file_offset = 4;
    group.total_compressed_size = 99999;
    group.ordinal = static_cast<int16_t>(g);
  }
  m.key_value_metadata = {{"scout.dataset", std::string("daily")}, {"no_value", std::nullopt}};
  m.created_by = "scout-export version 0.1.0 (build test)";
  m.column_orders_type_defined = true;
  return m;
}

std::string serialized(const auto& value) {
  std::string out;
  serialize(value, &out);
  return out;
}

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
  EXPECT_EQ(describe_logical_type(*m.schema[1].logical_type), "TIME");
  EXPECT_EQ(m.schema[2].logical_type->kind, LogicalType::Kind::kInteger);
  EXPECT_EQ(m.schema[2].logical_type->bit_width, 16);
  EXPECT_FALSE(m.schema[2].logical_type->is_signed);
  EXPECT_EQ(describe_logical_type(*m.schema[2].logical_type), "Int(16,unsigned)");
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

// ---------------------------------------------------------------------------------------------
// Whole files

using scout::test_support::TempDir;

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

// The writer's own files read back with the values it was given.
TEST(MetadataReader, ReadsWhatFileWriterWrites) {
  TempDir dir;
  const std::string path = dir.file("written.parquet");
  Schema schema;
  schema.fields = {{"id", DataType::of(TypeId::kInt64), false},
                   {"name", DataType::of(TypeId::kString), true},
                   {"day", DataType::of(TypeId::kDate), true},
                   {"ts", DataType::of(TypeId::kTimestamp), true},
                   {"amount", DataType::decimal(14, 2), true}};
  ColumnBatch batch(schema);
  for (int i = 0; i < 1000; ++i) {
    batch.column(0).append_int64(i - 10);
    if (i % 10 == 0) {
      batch.column(1).append_null();
    } else {
      batch.column(1).append_bytes("name" + std::to_string(100 + i % 50));
    }
    batch.column(2).append_int32(20089 + i % 31);  // 2025-01-01 ...
    batch.column(3).append_int64(1735689600000000LL + i * 1000000LL);
    batch.column(4).append_int64(-12345 + i);
  }
  auto out = open_file_output(path);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  auto writer = FileWriter::open(std::move(*out), schema);
  ASSERT_TRUE(writer.ok()) << writer.status().to_string();
  ASSERT_TRUE((*writer)->write_batch(batch).ok());
  ASSERT_TRUE((*writer)->close().ok());

  auto info = read_parquet_footer(path);
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  const FileMetaData& m = info->metadata;
  EXPECT_EQ(m.num_rows, 1000);
  EXPECT_TRUE(m.column_orders_type_defined);
  ASSERT_TRUE(m.created_by.has_value());
  EXPECT_EQ(m.created_by->rfind("scout-export version ", 0), 0u) << *m.created_by;
  ASSERT_EQ(info->leaf_columns.size(), 5u);
  ASSERT_EQ(m.row_groups.size(), 1u);
  auto stat = [&](size_t column, bool max) {
    const Statistics& s = *m.row_groups[0].columns[column].meta_data->statistics;
    return format_statistic_value(m.schema[info->leaf_columns[column]],
                                  max ? *s.max_value : *s.min_value);
  };
  EXPECT_EQ(stat(0, false), "-10");
  EXPECT_EQ(stat(0, true), "989");
  EXPECT_EQ(stat(1, false), "name101");
  EXPECT_EQ(stat(1, true), "name149");
  EXPECT_EQ(stat(2, false), "2025-01-01");
  EXPECT_EQ(stat(2, true), "2025-01-31");
  EXPECT_EQ(stat(3, false), "2025-01-01T00:00:00.000000Z");
  EXPECT_EQ(stat(3, true), "2025-01-01T00:16:39.000000Z");
  EXPECT_EQ(stat(4, false), "-123.45");
  EXPECT_EQ(stat(4, true), "-113.46");
  EXPECT_EQ(m.row_groups[0].columns[1].meta_data->statistics->null_count, 100);
  for (const ColumnPageIndex& index : info->page_index[0]) {
    EXPECT_TRUE(index.column_index.has_value());
    EXPECT_TRUE(index.offset_index.has_value());
    EXPECT_GE(index.page_count(), 1u);
  }
}

// ---------------------------------------------------------------------------------------------
// Values for people

TEST(FormatStatisticValue, DecodesByPhysicalAndLogicalType) {
  const auto schema = sample_schema();
  EXPECT_EQ(format_statistic_value(schema[1], le64(-42)), "-42");
  EXPECT_EQ(format_statistic_value(schema[2], "caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(format_statistic_value(schema[3], le32(0)), "1970-01-01");
  EXPECT_EQ(format_statistic_value(schema[3], le32(-1)), "1969-12-31");
  EXPECT_EQ(format_statistic_value(schema[4], le64(1'500'000)), "1970-01-01T00:00:01.500000Z");
  EXPECT_EQ(format_statistic_value(schema[4], le64(std::numeric_limits<int64_t>::min())),
            "-290308-12-21T19:59:05.224192Z");
  EXPECT_EQ(format_statistic_value(schema[5], le64(-5)), "-0.05");
  EXPECT_EQ(format_statistic_value(schema[5], le64(12345)), "123.45");
  EXPECT_EQ(format_statistic_value(schema[5], le64(std::numeric_limits<int64_t>::min())),
            "-92233720368547758.08");

  SchemaElement d = leaf("d", Type::DOUBLE, FieldRepetitionType::OPTIONAL);
  EXPECT_EQ(format_statistic_value(d, le64(std::bit_cast<int64_t>(-0.0))), "-0");
  EXPECT_EQ(format_statistic_value(d, le64(std::bit_cast<int64_t>(2.5))), "2.5");
  SchemaElement f = leaf("f", Type::FLOAT, FieldRepetitionType::OPTIONAL);
  EXPECT_EQ(format_statistic_value(f, le32(std::bit_cast<int32_t>(0.1f))), "0.1");
  SchemaElement b = leaf("b", Type::BOOLEAN, FieldRepetitionType::OPTIONAL);
  EXPECT_EQ(format_statistic_value(b, std::string(1, '\1')), "true");
  SchemaElement u = leaf("u", Type::INT32, FieldRepetitionType::OPTIONAL);
  u.converted_type = ConvertedType::UINT_32;
  EXPECT_EQ(format_statistic_value(u, le32(-1)), "4294967295");

  // DECIMAL(38,4) in 16 big-endian bytes: -1 is all ones.
  SchemaElement wide = leaf("w", Type::FIXED_LEN_BYTE_ARRAY, FieldRepetitionType::OPTIONAL);
  wide.type_length = 16;
  wide.converted_type = ConvertedType::DECIMAL;
  wide.scale = 4;
  EXPECT_EQ(format_statistic_value(wide, std::string(16, '\xFF')), "-0.0001");
  EXPECT_EQ(format_statistic_value(wide, std::string("\x01\x00", 2)), "0.0256");

  SchemaElement ts_ms = leaf("t", Type::INT64, FieldRepetitionType::OPTIONAL);
  ts_ms.logical_type = logical(LogicalType::Kind::kTimestamp);
  ts_ms.logical_type->unit = TimeUnit::NANOS;
  ts_ms.logical_type->is_adjusted_to_utc = false;
  EXPECT_EQ(format_statistic_value(ts_ms, le64(-1)), "1969-12-31T23:59:59.999999999");
}

TEST(FormatStatisticValue, ShowsBadWidthsAndLongValuesSafely) {
  const auto schema = sample_schema();
  EXPECT_EQ(format_statistic_value(schema[3], "\x01\x02"), "invalid(2 bytes for INT32: 0x0102)");
  EXPECT_EQ(format_statistic_value(schema[5], ""), "invalid(0 bytes for INT64: 0x)");
  EXPECT_EQ(format_statistic_value(schema[2], std::string(100, 'a'), 10), "aaaaaaaaaa...");
  // A cut never splits a UTF-8 sequence.
  EXPECT_EQ(format_statistic_value(schema[2], "ab\xC3\xA9\xC3\xA9", 3), "ab...");
  SchemaElement raw = leaf("r", Type::BYTE_ARRAY, FieldRepetitionType::OPTIONAL);
  EXPECT_EQ(format_statistic_value(raw, std::string("\x00\xFF\x10", 3), 2), "0x00ff...");
  SchemaElement wide = leaf("w", Type::FIXED_LEN_BYTE_ARRAY, FieldRepetitionType::OPTIONAL);
  wide.converted_type = ConvertedType::DECIMAL;
  EXPECT_EQ(format_statistic_value(wide, std::string(17, '\x01'), 4),
            "invalid(17 bytes for FIXED_LEN_BYTE_ARRAY: 0x01010101...)");
}

TEST(DescribeLogicalType, NamesEveryKind) {
  const auto schema = sample_schema();
  EXPECT_EQ(describe_logical_type(*schema[1].logical_type), "Int(64,signed)");
  EXPECT_EQ(describe_logical_type(*schema[2].logical_type), "String");
  EXPECT_EQ(describe_logical_type(*schema[3].logical_type), "Date");
  EXPECT_EQ(describe_logical_type(*schema[4].logical_type),
            "Timestamp(isAdjustedToUTC=true, unit=MICROS)");
  EXPECT_EQ(describe_logical_type(*schema[5].logical_type), "Decimal(14,2)");
  LogicalType other = logical(LogicalType::Kind::kOther);
  other.other_field_id = 99;
  EXPECT_EQ(describe_logical_type(other), "LogicalType member 99");
}

TEST(MetadataToString, NamesEnumsAsTheSpecDoes) {
  EXPECT_STREQ(to_string(Type::FIXED_LEN_BYTE_ARRAY), "FIXED_LEN_BYTE_ARRAY");
  EXPECT_STREQ(to_string(Encoding::RLE_DICTIONARY), "RLE_DICTIONARY");
  EXPECT_STREQ(to_string(CompressionCodec::LZ4_RAW), "LZ4_RAW");
  EXPECT_STREQ(to_string(ConvertedType::TIMESTAMP_MICROS), "TIMESTAMP_MICROS");
  EXPECT_STREQ(to_string(FieldRepetitionType::OPTIONAL), "OPTIONAL");
  EXPECT_STREQ(to_string(BoundaryOrder::DESCENDING), "DESCENDING");
  EXPECT_STREQ(to_string(static_cast<Encoding>(42)), "UNKNOWN");
}

}  // namespace
}  // namespace scout::parquet
