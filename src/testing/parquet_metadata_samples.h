// Parquet metadata for the tests of the decoder, the footer reader and inspect's text: a
// schema and footer covering the logical types Scout writes, little-endian values, and a check
// that a Status is a Corruption saying what it should.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <vector>

#include "parquet/metadata.h"
#include "parquet/metadata_writer.h"
#include "scout/status.h"

namespace scout::test_support {

using namespace scout::parquet::format;

inline void expect_corruption(const Status& st, std::initializer_list<const char*> fragments) {
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kCorruption) << st.to_string();
  for (const char* f : fragments) {
    EXPECT_NE(st.message().find(f), std::string::npos) << "'" << f << "' in: " << st.message();
  }
}

inline SchemaElement leaf(std::string name, Type type, FieldRepetitionType repetition) {
  SchemaElement e;
  e.name = std::move(name);
  e.type = type;
  e.repetition_type = repetition;
  return e;
}

inline LogicalType logical(LogicalType::Kind kind) {
  LogicalType t;
  t.kind = kind;
  return t;
}

inline std::string le64(int64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i)
    s[static_cast<size_t>(i)] = static_cast<char>(static_cast<uint64_t>(v) >> (8 * i));
  return s;
}

inline std::string le32(int32_t v) { return le64(v).substr(0, 4); }

// Five columns covering the logical types Scout writes.
inline std::vector<SchemaElement> sample_schema() {
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

inline ColumnChunk sample_chunk(const std::string& name, Type type, int64_t offset) {
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

inline FileMetaData sample_metadata() {
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

inline std::string serialized(const auto& value) {
  std::string out;
  scout::parquet::serialize(value, &out);
  return out;
}

}  // namespace scout::test_support
