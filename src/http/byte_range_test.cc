#include "http/byte_range.h"

#include <gtest/gtest.h>

namespace scout {
namespace {

using Kind = RangeDecision::Kind;
constexpr uint64_t kSize = 178261;  // the file of the report

void expect_partial(std::string_view header, uint64_t offset, uint64_t length) {
  RangeDecision d = decide_range(header, kSize);
  EXPECT_EQ(d.kind, Kind::kPartial) << header;
  EXPECT_EQ(d.offset, offset) << header;
  EXPECT_EQ(d.length, length) << header;
}

TEST(ByteRange, ClampsALastPositionPastTheEnd) {
  expect_partial("bytes=0-1048575", 0, kSize);
  expect_partial("bytes=178000-999999999999", 178000, kSize - 178000);
  expect_partial("bytes=0-9", 0, 10);
  expect_partial("bytes=178260-", 178260, 1);
  expect_partial("bytes=-10", kSize - 10, 10);
  expect_partial("bytes=-99999999", 0, kSize);
  expect_partial("BYTES=5-5", 5, 1);  // the unit is case-insensitive
}

TEST(ByteRange, RefusesWhatLiesOutsideTheFile) {
  for (std::string_view h : {"bytes=179261-180261", "bytes=178261-", "bytes=-0", "bytes=100-50",
                             "bytes=9223372036854775807-", "bytes=99999999999999999999999-",
                             "bytes=178261-178261, 200000-"}) {
    EXPECT_EQ(decide_range(h, kSize).kind, Kind::kUnsatisfiable) << h;
  }
  EXPECT_EQ(decide_range("bytes=0-", 0).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(decide_range("bytes=-0", 0).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(decide_range("bytes=-5", 0).kind, Kind::kWholeFile);  // the whole, empty file
}

TEST(ByteRange, MergesOverlapsAndNeverAmplifies) {
  std::string fifty = "bytes=0-";
  for (int i = 1; i < 50; ++i) fifty += ",0-";
  expect_partial(fifty, 0, kSize);
  expect_partial("bytes=0-99,50-199,200-299", 0, 300);      // overlapping and adjacent
  expect_partial("bytes=500-600, 100000-, 0-", 0, kSize);
  // Disjoint ranges would need multipart/byteranges; the whole file is the honest answer.
  EXPECT_EQ(decide_range("bytes=0-9,100-109", kSize).kind, Kind::kWholeFile);
  // An abusive number of specs is not worth parsing.
  std::string many = "bytes=0-0";
  for (int i = 0; i < 1000; ++i) many += ",0-0";
  EXPECT_EQ(decide_range(many, kSize).kind, Kind::kWholeFile);
}

TEST(ByteRange, IgnoresWhatIsNotAByteRange) {
  for (std::string_view h : {"", "items=0-5", "bytes=", "bytes=abc", "bytes=5", "bytes=--5",
                             "bytes=1-2-3", "bytes=0x10-", "bytes=-", "bytes= , ,"}) {
    EXPECT_EQ(decide_range(h, kSize).kind, Kind::kWholeFile) << h;
  }
}

}  // namespace
}  // namespace scout
