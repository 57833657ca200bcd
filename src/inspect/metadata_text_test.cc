#include "inspect/metadata_text.h"

#include <gtest/gtest.h>

#include <bit>
#include <limits>
#include <string>

#include "parquet/footer_reader.h"
#include "scout/column_batch.h"
#include "scout/output_stream.h"
#include "scout/parquet/writer.h"
#include "testing/parquet_metadata_samples.h"
#include "testing/temp_dir.h"

namespace scout::inspect {
namespace {

using namespace parquet::format;
using namespace scout::test_support;
using parquet::ColumnPageIndex;
using parquet::FileWriter;
using parquet::read_parquet_footer;

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
  // Members and widths the decoder keeps from a hand-built footer (metadata_decoder_test.cc).
  LogicalType time = logical(LogicalType::Kind::kOther);
  time.other_field_id = 7;
  EXPECT_EQ(describe_logical_type(time), "TIME");
  LogicalType u16 = logical(LogicalType::Kind::kInteger);
  u16.bit_width = 16;
  u16.is_signed = false;
  EXPECT_EQ(describe_logical_type(u16), "Int(16,unsigned)");
}

}  // namespace
}  // namespace scout::inspect
