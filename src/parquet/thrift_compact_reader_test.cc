#include "parquet/thrift_compact_reader.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "parquet/thrift_compact_writer.h"

namespace scout::parquet {
namespace {

using Field = ThriftCompactReader::FieldHeader;

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int x : b) s.push_back(static_cast<char>(x));
  return s;
}

// Reads the next field header and checks its id and type.
void expect_field(ThriftCompactReader& r, int16_t id, ThriftType type) {
  Field f;
  ASSERT_TRUE(r.read_field_header(&f).ok());
  EXPECT_EQ(f.id, id);
  EXPECT_EQ(f.type, type);
}

// Owns its input, so a test can decode bytes built in the same expression.
struct Decoder {
  explicit Decoder(std::string in, size_t base_offset = 0)
      : bytes(std::move(in)), reader(bytes, base_offset) {}
  std::string bytes;
  ThriftCompactReader reader;
};

void expect_stop(ThriftCompactReader& r) { expect_field(r, 0, ThriftType::kStop); }

void expect_corruption(const Status& st, const std::string& fragment) {
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_NE(st.message().find(fragment), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("at byte"), std::string::npos) << st.message();
}

TEST(ThriftCompactReader, ReadsShortAndLongFormFieldIds) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.field_i32(1, 10);      // short: delta 1
  w.field_i32(16, 11);     // short: delta 15, the largest
  w.field_i32(40, 12);     // long: delta 24
  w.field_i32(3, 13);      // long: the id goes back
  w.field_i32(3, 14);      // long: delta 0
  w.field_i32(32767, 15);  // long: the largest i16
  out.push_back(0);

  ThriftCompactReader r(out);
  ASSERT_TRUE(r.begin_struct().ok());
  int32_t v = 0;
  for (auto [id, value] :
       {std::pair<int16_t, int32_t>{1, 10}, {16, 11}, {40, 12}, {3, 13}, {3, 14}, {32767, 15}}) {
    expect_field(r, id, ThriftType::kI32);
    ASSERT_TRUE(r.read_i32(&v).ok());
    EXPECT_EQ(v, value);
  }
  expect_stop(r);
  r.end_struct();
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ThriftCompactReader, RoundTripsNegativeNumbersAndExtremes) {
  const int64_t i64s[] = {0,
                          -1,
                          1,
                          -64,
                          63,
                          -65,
                          64,
                          std::numeric_limits<int64_t>::min(),
                          std::numeric_limits<int64_t>::max()};
  const int32_t i32s[] = {0, -1, std::numeric_limits<int32_t>::min(),
                          std::numeric_limits<int32_t>::max()};
  const int16_t i16s[] = {-1, std::numeric_limits<int16_t>::min(),
                          std::numeric_limits<int16_t>::max()};
  std::string out;
  ThriftCompactWriter w(&out);
  int16_t id = 0;
  for (int64_t v : i64s) w.field_i64(++id, v);
  for (int32_t v : i32s) w.field_i32(++id, v);
  for (int16_t v : i16s) w.field_i16(++id, v);
  w.field_byte(++id, -128);
  w.field_byte(++id, 127);
  out.push_back(0);

  ThriftCompactReader r(out);
  ASSERT_TRUE(r.begin_struct().ok());
  id = 0;
  for (int64_t v : i64s) {
    expect_field(r, ++id, ThriftType::kI64);
    int64_t got = 0;
    ASSERT_TRUE(r.read_i64(&got).ok());
    EXPECT_EQ(got, v);
  }
  for (int32_t v : i32s) {
    expect_field(r, ++id, ThriftType::kI32);
    int32_t got = 0;
    ASSERT_TRUE(r.read_i32(&got).ok());
    EXPECT_EQ(got, v);
  }
  for (int16_t v : i16s) {
    expect_field(r, ++id, ThriftType::kI16);
    int16_t got = 0;
    ASSERT_TRUE(r.read_i16(&got).ok());
    EXPECT_EQ(got, v);
  }
  for (int8_t v : {int8_t{-128}, int8_t{127}}) {
    expect_field(r, ++id, ThriftType::kByte);
    int8_t got = 0;
    ASSERT_TRUE(r.read_byte(&got).ok());
    EXPECT_EQ(got, v);
  }
  expect_stop(r);
}

TEST(ThriftCompactReader, ReadsListsShortAndLong) {
  std::string out;
  ThriftCompactWriter w(&out);
  for (size_t n : {0u, 14u, 15u, 200u}) {
    w.list_header(ThriftType::kI64, n);
    for (size_t i = 0; i < n; ++i) w.write_i64(-static_cast<int64_t>(i) * 1000);
  }
  w.list_header(ThriftType::kBinary, 20);
  for (int i = 0; i < 20; ++i) w.write_binary(std::string(static_cast<size_t>(i), 'x'));

  ThriftCompactReader r(out);
  for (uint32_t n : {0u, 14u, 15u, 200u}) {
    ThriftCompactReader::ListHeader h;
    ASSERT_TRUE(r.read_list_header(&h).ok());
    EXPECT_EQ(h.element_type, ThriftType::kI64);
    ASSERT_EQ(h.size, n);
    for (uint32_t i = 0; i < n; ++i) {
      int64_t v = 0;
      ASSERT_TRUE(r.read_i64(&v).ok());
      EXPECT_EQ(v, -static_cast<int64_t>(i) * 1000);
    }
  }
  ThriftCompactReader::ListHeader h;
  ASSERT_TRUE(r.read_list_header(&h).ok());
  EXPECT_EQ(h.element_type, ThriftType::kBinary);
  ASSERT_EQ(h.size, 20u);
  for (size_t i = 0; i < 20; ++i) {
    std::string s;
    ASSERT_TRUE(r.read_binary(&s).ok());
    EXPECT_EQ(s, std::string(i, 'x'));
  }
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ThriftCompactReader, ReadsBoolFieldsAndBoolListElements) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.field_bool(1, true);
  w.field_bool(2, false);
  w.field_bool(30, true);  // long form: the value is still the type nibble
  w.field_list_begin(31, ThriftType::kTrue, 17);
  for (int i = 0; i < 17; ++i) w.write_bool_element(i % 3 == 0);
  out.push_back(0);

  ThriftCompactReader r(out);
  ASSERT_TRUE(r.begin_struct().ok());
  Field f;
  ASSERT_TRUE(r.read_field_header(&f).ok());
  EXPECT_TRUE(f.is_bool());
  EXPECT_TRUE(f.bool_value());
  ASSERT_TRUE(r.read_field_header(&f).ok());
  EXPECT_TRUE(f.is_bool());
  EXPECT_FALSE(f.bool_value());
  ASSERT_TRUE(r.read_field_header(&f).ok());
  EXPECT_EQ(f.id, 30);
  EXPECT_TRUE(f.bool_value());
  expect_field(r, 31, ThriftType::kList);
  ThriftCompactReader::ListHeader h;
  ASSERT_TRUE(r.read_list_header(&h).ok());
  EXPECT_EQ(h.element_type, ThriftType::kTrue);
  ASSERT_EQ(h.size, 17u);
  for (int i = 0; i < 17; ++i) {
    bool b = false;
    ASSERT_TRUE(r.read_bool_element(&b).ok());
    EXPECT_EQ(b, i % 3 == 0) << i;
  }
  expect_stop(r);
}

TEST(ThriftCompactReader, AcceptsBothBoolListConventions) {
  // The protocol document: element type 2, true 1, false 0. The libraries: type 1, false 2.
  const std::string in = bytes({0x32, 0x01, 0x00, 0x02});
  ThriftCompactReader r(in);
  ThriftCompactReader::ListHeader h;
  ASSERT_TRUE(r.read_list_header(&h).ok());
  EXPECT_EQ(h.element_type, ThriftType::kTrue);
  bool b[3];
  for (bool& x : b) ASSERT_TRUE(r.read_bool_element(&x).ok());
  EXPECT_TRUE(b[0]);
  EXPECT_FALSE(b[1]);
  EXPECT_FALSE(b[2]);
}

TEST(ThriftCompactReader, NestedStructsRestartTheFieldIdDelta) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.field_i32(5, 1);
  w.field_struct_begin(7);
  w.field_i32(1, 2);
  w.field_struct_begin(2);
  w.field_binary(20, "deep");
  w.end_struct();
  w.end_struct();
  w.field_i32(8, 3);
  out.push_back(0);

  ThriftCompactReader r(out);
  int32_t v = 0;
  std::string s;
  ASSERT_TRUE(r.begin_struct().ok());
  expect_field(r, 5, ThriftType::kI32);
  ASSERT_TRUE(r.read_i32(&v).ok());
  expect_field(r, 7, ThriftType::kStruct);
  ASSERT_TRUE(r.begin_struct().ok());
  expect_field(r, 1, ThriftType::kI32);
  ASSERT_TRUE(r.read_i32(&v).ok());
  EXPECT_EQ(v, 2);
  expect_field(r, 2, ThriftType::kStruct);
  ASSERT_TRUE(r.begin_struct().ok());
  expect_field(r, 20, ThriftType::kBinary);
  ASSERT_TRUE(r.read_binary(&s).ok());
  EXPECT_EQ(s, "deep");
  expect_stop(r);
  r.end_struct();
  expect_stop(r);
  r.end_struct();
  expect_field(r, 8, ThriftType::kI32);  // delta from 7, the outer struct's last id
  ASSERT_TRUE(r.read_i32(&v).ok());
  EXPECT_EQ(v, 3);
  expect_stop(r);
  r.end_struct();
}

TEST(ThriftCompactReader, ReadsDoublesLittleEndian) {
  // Field 1, type double (7), then 1.5 as IEEE 754 little endian.
  const std::string in = bytes({0x17, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F, 0});
  ThriftCompactReader r(in);
  ASSERT_TRUE(r.begin_struct().ok());
  expect_field(r, 1, ThriftType::kDouble);
  double d = 0;
  ASSERT_TRUE(r.read_double(&d).ok());
  EXPECT_EQ(d, 1.5);
  expect_stop(r);
}

TEST(ThriftCompactReader, SkipsUnknownFieldsOfEveryType) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.field_bool(1, true);
  w.field_byte(2, -3);
  w.field_i16(3, -300);
  w.field_i32(4, 1 << 30);
  w.field_i64(5, std::numeric_limits<int64_t>::min());
  w.field_binary(6, "skip me");
  w.field_list_begin(7, ThriftType::kList, 2);  // list<list<i32>>
  w.list_header(ThriftType::kI32, 1);
  w.write_i32(-7);
  w.list_header(ThriftType::kI32, 0);
  // What our writer cannot write, by hand, each field one id after the previous:
  out += bytes({0x17, 1, 2, 3, 4, 5, 6, 7, 8});                   // 8: double
  out += bytes({0x1A, 0x18, 0x01, 'a'});                          // 9: set<binary> {"a"}
  out += bytes({0x1B, 0x01, 0x5C, 0x02, 0x18, 0x01, 'x', 0x00});  // 10: map<i32, struct>
  out += bytes({0x1B, 0x00});                                     // 11: empty map
  out += bytes({0x1D}) + std::string(16, '\x55');                 // 12: uuid
  // 13: a struct holding a bool list, an empty struct and a long-form i32 field 64.
  out += bytes({0x1C, 0x19, 0x21, 0x01, 0x02, 0x1C, 0x00, 0x05, 0x80, 0x01, 0x02, 0x00});
  out += bytes({0x18, 0x05, 'k', 'n', 'o', 'w', 'n'});  // 14: the field we want
  out.push_back(0);

  ThriftCompactReader r(out);
  ASSERT_TRUE(r.begin_struct().ok());
  for (int i = 1; i <= 13; ++i) {
    Field f;
    ASSERT_TRUE(r.read_field_header(&f).ok());
    ASSERT_EQ(f.id, i);
    Status st = r.skip_field(f);
    ASSERT_TRUE(st.ok()) << "field " << i << ": " << st.to_string();
  }
  expect_field(r, 14, ThriftType::kBinary);
  std::string s;
  ASSERT_TRUE(r.read_binary(&s).ok());
  EXPECT_EQ(s, "known");
  expect_stop(r);
  r.end_struct();
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ThriftCompactReader, ReadsMapHeaders) {
  const std::string in = bytes({0x00, 0x02, 0x58, 0x02, 0x01, 'a', 0x04, 0x01, 'b'});
  ThriftCompactReader r(in);
  ThriftCompactReader::MapHeader m;
  ASSERT_TRUE(r.read_map_header(&m).ok());
  EXPECT_EQ(m.size, 0u);
  ASSERT_TRUE(r.read_map_header(&m).ok());
  EXPECT_EQ(m.size, 2u);
  EXPECT_EQ(m.key_type, ThriftType::kI32);
  EXPECT_EQ(m.value_type, ThriftType::kBinary);
}

TEST(ThriftCompactReader, RefusesTruncatedAndOverlongVarints) {
  int64_t v64;
  int32_t v32;
  expect_corruption(Decoder(bytes({0x80, 0x80})).reader.read_i64(&v64), "past the end");
  // Eleven bytes: longer than any 64-bit varint.
  expect_corruption(
      Decoder(bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}))
          .reader.read_i64(&v64),
      "varint");
  // Ten bytes whose last carries bits beyond 64.
  expect_corruption(Decoder(bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02}))
                        .reader.read_i64(&v64),
                    "overflows 64 bits");
  // The largest 64-bit varint is fine.
  ASSERT_TRUE(Decoder(bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}))
                  .reader.read_i64(&v64)
                  .ok());
  EXPECT_EQ(v64, std::numeric_limits<int64_t>::min());
  expect_corruption(Decoder(bytes({0xFF, 0xFF, 0xFF, 0xFF, 0x1F})).reader.read_i32(&v32),
                    "overflows 32 bits");
  expect_corruption(Decoder(bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x00})).reader.read_i32(&v32),
                    "varint");
  int16_t v16;
  expect_corruption(Decoder(bytes({0x80, 0x80, 0x04})).reader.read_i16(&v16), "i16");
}

TEST(ThriftCompactReader, RefusesLengthsAndSizesBeyondTheInput) {
  std::string s;
  // Binary of 5 bytes with 3 present; the offset is the length's.
  Status st = Decoder(bytes({0x05, 'a', 'b', 'c'}), 100).reader.read_binary(&s);
  expect_corruption(st, "binary of 5 bytes but only 3 remain");
  EXPECT_NE(st.message().find("at byte 100"), std::string::npos) << st.message();
  // A list claiming 2^31-1 elements in a few bytes is refused before anything is allocated.
  ThriftCompactReader::ListHeader h;
  expect_corruption(
      Decoder(bytes({0xF5, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00})).reader.read_list_header(&h),
      "cannot fit");
  // Doubles need 8 bytes each: 15 of them cannot fit in 100.
  std::string doubles = bytes({0xF7, 0x0F}) + std::string(100, '\0');
  expect_corruption(ThriftCompactReader(doubles).read_list_header(&h), "cannot fit");
  // Sizes beyond i32 are negative on the wire.
  expect_corruption(
      Decoder(bytes({0xF5, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F})).reader.read_list_header(&h), "negative");
  ThriftCompactReader::MapHeader m;
  expect_corruption(Decoder(bytes({0x64, 0x55, 0x00})).reader.read_map_header(&m), "cannot fit");
}

TEST(ThriftCompactReader, RefusesInvalidTypes) {
  Field f;
  const std::string in = bytes({0x1E});
  ThriftCompactReader r(in);
  ASSERT_TRUE(r.begin_struct().ok());
  expect_corruption(r.read_field_header(&f), "invalid type 14");
  ThriftCompactReader::ListHeader h;
  expect_corruption(Decoder(bytes({0x10})).reader.read_list_header(&h), "element type 0");
  expect_corruption(Decoder(bytes({0x1F})).reader.read_list_header(&h), "element type 15");
  ThriftCompactReader::MapHeader m;
  expect_corruption(Decoder(bytes({0x01, 0xE5})).reader.read_map_header(&m), "map");
  const std::string zero = bytes({0x00});
  ThriftCompactReader skip_invalid(zero);
  expect_corruption(skip_invalid.skip(ThriftType::kStop), "invalid type");
}

TEST(ThriftCompactReader, RefusesUnterminatedStructs) {
  const std::string in = bytes({0x15, 0x02});
  ThriftCompactReader r(in);
  expect_corruption(r.skip(ThriftType::kStruct), "input ends inside a struct");
}

TEST(ThriftCompactReader, RefusesFieldIdsBeyondI16) {
  // Long-form id 32767, then a short delta of 1.
  const std::string in = bytes({0x05, 0xFE, 0xFF, 0x03, 0x02, 0x15, 0x02, 0x00});
  ThriftCompactReader r(in);
  ASSERT_TRUE(r.begin_struct().ok());
  Field f;
  ASSERT_TRUE(r.read_field_header(&f).ok());
  EXPECT_EQ(f.id, 32767);
  int32_t v;
  ASSERT_TRUE(r.read_i32(&v).ok());
  expect_corruption(r.read_field_header(&f), "overflows i16");
}

TEST(ThriftCompactReader, LimitsNestingDepth) {
  // Structs as field 1 of structs, 200 deep: refused, with no stack overflow.
  std::string deep_structs(200, '\x1C');
  deep_structs += std::string(201, '\0');
  expect_corruption(ThriftCompactReader(deep_structs).skip(ThriftType::kStruct), "nested deeper");
  // Lists of one list, 200 deep.
  std::string deep_lists(200, '\x19');
  expect_corruption(Decoder(deep_lists + "\x05\x00").reader.skip(ThriftType::kList),
                    "nested deeper");
  // At the limit itself nesting is fine.
  const int depth = ThriftCompactReader::kMaxNestingDepth;
  std::string ok_structs(static_cast<size_t>(depth - 1), '\x1C');
  ok_structs += std::string(static_cast<size_t>(depth), '\0');
  ThriftCompactReader r(ok_structs);
  EXPECT_TRUE(r.skip(ThriftType::kStruct).ok());
  EXPECT_EQ(r.remaining(), 0u);
}

}  // namespace
}  // namespace scout::parquet
