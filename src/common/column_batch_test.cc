#include "scout/column_batch.h"

#include <gtest/gtest.h>

namespace scout {
namespace {

TEST(Calendar, DatesRoundTripAcrossEras) {
  for (int32_t d = -800'000; d <= 800'000; d += 997) {
    int y;
    unsigned m, day;
    civil_from_days(d, &y, &m, &day);
    EXPECT_EQ(days_from_civil(y, m, day), d);
  }
  EXPECT_EQ(format_date(0), "1970-01-01");
  EXPECT_EQ(format_date(-1), "1969-12-31");
  EXPECT_EQ(format_date(20119), "2025-01-31");
  EXPECT_EQ(format_date(days_from_civil(-44, 3, 15)), "-00044-03-15");
}

TEST(Calendar, ParseDateIsStrict) {
  EXPECT_EQ(parse_date("2024-02-29"), days_from_civil(2024, 2, 29));
  EXPECT_FALSE(parse_date("2023-02-29"));
  EXPECT_FALSE(parse_date("2025-13-01"));
  EXPECT_FALSE(parse_date("2025-1-01"));
  EXPECT_FALSE(parse_date("2025-01-01x"));
  EXPECT_FALSE(parse_date(""));
}

TEST(Calendar, TimestampsInIso8601Utc) {
  EXPECT_EQ(format_timestamp_micros(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_timestamp_micros(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_timestamp_micros(1738324800123456LL), "2025-01-31T12:00:00.123456Z");
}

TEST(TextParsing, TimestampsAndDecimals) {
  EXPECT_EQ(parse_timestamp_micros("2025-01-31T12:00:00.123456Z"), 1738324800123456LL);
  EXPECT_EQ(parse_timestamp_micros("2025-01-31 12:00:00+00:00"), 1738324800000000LL);
  EXPECT_EQ(parse_timestamp_micros("1969-12-31T23:59:59.5Z"), -500000);
  EXPECT_FALSE(parse_timestamp_micros("2025-01-31T24:00:00Z"));
  EXPECT_FALSE(parse_timestamp_micros("2025-01-31T12:00:00+08:00"));
  EXPECT_FALSE(parse_timestamp_micros("2025-01-31T12:00:00.1234567Z"));
  EXPECT_EQ(parse_decimal("1234.56", 14, 2), 123456);
  EXPECT_EQ(parse_decimal("-0.5", 14, 2), -50);
  EXPECT_EQ(parse_decimal("7", 14, 2), 700);
  EXPECT_EQ(parse_decimal("1.250", 14, 2), 125);
  EXPECT_FALSE(parse_decimal("1.255", 14, 2));
  EXPECT_FALSE(parse_decimal("1000000000000.00", 14, 2));  // 13 integer digits > 12
  EXPECT_EQ(parse_decimal("999999999999.99", 14, 2), 99999999999999LL);
  EXPECT_FALSE(parse_decimal("12a", 14, 2));
  EXPECT_FALSE(parse_decimal("", 14, 2));
}

TEST(DataType, NamesRoundTrip) {
  for (const char* name : {"boolean", "int16", "int32", "int64", "float", "double", "string",
                           "date", "timestamp", "binary", "decimal(14,2)", "decimal(38,0)"}) {
    auto t = DataType::parse(name);
    ASSERT_TRUE(t.ok()) << name;
    EXPECT_EQ(t->name(), name);
  }
  EXPECT_FALSE(DataType::parse("decimal(39,2)").ok());
  EXPECT_FALSE(DataType::parse("decimal(5,6)").ok());
  EXPECT_FALSE(DataType::parse("varchar").ok());
}

TEST(ColumnVector, AppendsRangesAndSelectedRows) {
  ColumnVector s(DataType::of(TypeId::kString));
  s.append_bytes("a");
  s.append_null();
  s.append_bytes("ñb");
  ColumnVector t(DataType::of(TypeId::kString));
  t.append_range(s, 1, 3);
  uint32_t rows[] = {2, 0};
  t.append_rows(s, rows, 2);
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t.null_count(), 1);
  EXPECT_EQ(t.validity()[0], 0);
  EXPECT_EQ(t.string_at(1), "ñb");
  EXPECT_EQ(t.string_at(2), "ñb");
  EXPECT_EQ(t.string_at(3), "a");
}

}  // namespace
}  // namespace scout
