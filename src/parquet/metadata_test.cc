#include "parquet/metadata.h"

#include <gtest/gtest.h>

namespace scout::parquet::format {
namespace {

TEST(MetadataToString, NamesEnumsAsTheSpecDoes) {
  EXPECT_STREQ(to_string(Type::FIXED_LEN_BYTE_ARRAY), "FIXED_LEN_BYTE_ARRAY");
  EXPECT_STREQ(to_string(Encoding::RLE_DICTIONARY), "RLE_DICTIONARY");
  EXPECT_STREQ(to_string(CompressionCodec::LZ4_RAW), "LZ4_RAW");
  EXPECT_STREQ(to_string(ConvertedType::TIMESTAMP_MICROS), "TIMESTAMP_MICROS");
  EXPECT_STREQ(to_string(FieldRepetitionType::OPTIONAL), "OPTIONAL");
  EXPECT_STREQ(to_string(BoundaryOrder::DESCENDING), "DESCENDING");
  EXPECT_STREQ(to_string(static_cast<Encoding>(42)), "UNKNOWN");
}

TEST(MetadataToString, NamesUnionMembersByFieldId) {
  EXPECT_STREQ(logical_type_member_name(8), "TIMESTAMP");
  EXPECT_STREQ(time_unit_name(2), "MICROS");
  EXPECT_EQ(logical_type_member_name(9), nullptr);
  EXPECT_EQ(time_unit_name(4), nullptr);
}

}  // namespace
}  // namespace scout::parquet::format
