#include "parquet/thrift_compact_writer.h"

#include <gtest/gtest.h>

namespace scout::parquet {
namespace {

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int x : b) s.push_back(static_cast<char>(x));
  return s;
}

TEST(ThriftCompactWriter, ShortFieldHeadersCarryTheIdDelta) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.field_i32(1, 3);     // delta 1, type i32 (5): 0x15, zigzag(3) = 6
  w.field_i64(3, -1);    // delta 2, type i64 (6): 0x26, zigzag(-1) = 1
  w.field_bool(4, true); // delta 1, type true (1), no body
  w.field_bool(5, false);
  EXPECT_EQ(out, bytes({0x15, 0x06, 0x26, 0x01, 0x11, 0x12}));
}

TEST(ThriftCompactWriter, LongFormWhenTheIdJumpsOrGoesBack) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.field_i32(20, 1);  // delta 20 > 15: type byte, then zigzag varint id (40)
  EXPECT_EQ(out, bytes({0x05, 0x28, 0x02}));
}

TEST(ThriftCompactWriter, NestedStructsRestartTheirDelta) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.field_i32(5, 0);
  w.field_struct_begin(7);  // delta 2, struct (12): 0x2C
  w.field_i32(1, 1);        // inner delta restarts at 0: 0x15
  w.end_struct();
  w.field_i32(8, 1);  // outer delta continues from 7: 0x15
  EXPECT_EQ(out, bytes({0x55, 0x00, 0x2C, 0x15, 0x02, 0x00, 0x15, 0x02}));
}

TEST(ThriftCompactWriter, ListHeadersShortAndLong) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.list_header(ThriftType::kI32, 3);
  w.list_header(ThriftType::kBinary, 20);
  w.list_header(ThriftType::kTrue, 2);  // booleans in lists use element type 1
  w.write_bool_element(true);
  w.write_bool_element(false);
  EXPECT_EQ(out, bytes({0x35, 0xF8, 0x14, 0x21, 0x01, 0x02}));
}

TEST(ThriftCompactWriter, BinaryIsLengthPrefixed) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.field_binary(4, "ab");
  EXPECT_EQ(out, bytes({0x48, 0x02, 'a', 'b'}));
}

}  // namespace
}  // namespace scout::parquet
