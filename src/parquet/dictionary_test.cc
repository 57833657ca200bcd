#include "parquet/dictionary.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace scout::parquet {
namespace {

// Every length from empty to past two words, every byte position changed in turn: each
// variant is a new entry, and looking any of them up again finds its own index. This covers
// the word loads of hash_bytes and bytes_equal at each tail length.
TEST(ByteArrayDictionary, EveryLengthAndEveryByteIsSignificant) {
  ByteArrayDictionary dict;
  std::vector<std::string> values;
  for (size_t n = 0; n <= 40; ++n) {
    std::string base(n, 'a');
    for (size_t i = 0; i < n; ++i) base[i] = static_cast<char>('a' + i % 26);
    values.push_back(base);
    for (size_t i = 0; i < n; ++i) {
      std::string changed = base;
      changed[i] = static_cast<char>(changed[i] ^ 0x01);
      values.push_back(changed);
      changed[i] = static_cast<char>(0xFF);  // high bit set: no sign-extension mixing
      values.push_back(changed);
    }
  }
  for (size_t i = 0; i < values.size(); ++i) {
    ASSERT_EQ(dict.index_of(values[i]), i) << "value " << i << " of length " << values[i].size();
  }
  ASSERT_EQ(dict.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(dict.index_of(values[i]), i);
    EXPECT_EQ(dict.entry(static_cast<uint32_t>(i)), values[i]);
  }
  EXPECT_EQ(dict.size(), values.size());
}

TEST(ByteArrayDictionary, PrefixesAndEmbeddedZerosAreDistinct) {
  ByteArrayDictionary dict;
  const std::vector<std::string> values = {
      std::string(), std::string(1, '\0'), std::string(2, '\0'), std::string("a\0", 2),
      std::string("\0a", 2), "a", "ab", "abc", "abcdefgh", "abcdefghi", std::string("abcdefgh\0", 9)};
  for (size_t i = 0; i < values.size(); ++i) ASSERT_EQ(dict.index_of(values[i]), i);
  for (size_t i = 0; i < values.size(); ++i) EXPECT_EQ(dict.index_of(values[i]), i);
}

TEST(ByteArrayDictionary, ManyEntriesSurviveGrowingAndClear) {
  ByteArrayDictionary dict;
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 20000; ++i) ASSERT_EQ(dict.index_of("SCOUT-DEV-" + std::to_string(i)), i);
    for (int i = 0; i < 20000; ++i) ASSERT_EQ(dict.index_of("SCOUT-DEV-" + std::to_string(i)), i);
    dict.clear();
    EXPECT_EQ(dict.size(), 0u);
  }
}

TEST(BytesEqual, AgreesWithMemcmpAtEveryLength) {
  for (size_t n = 0; n <= 33; ++n) {
    std::string a(n, 'x'), b(n, 'x');
    EXPECT_TRUE(bytes_equal(a.data(), b.data(), n));
    for (size_t i = 0; i < n; ++i) {
      b[i] = 'y';
      EXPECT_FALSE(bytes_equal(a.data(), b.data(), n)) << "length " << n << ", byte " << i;
      b[i] = 'x';
    }
  }
}

// Doubles are compared by their bits, as PLAIN keeps them: -0.0 is not 0.0, and a NaN is
// found again.
TEST(FixedDictionary, DoublesByBits) {
  FixedDictionary<double> dict;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(dict.index_of(0.0), 0u);
  EXPECT_EQ(dict.index_of(-0.0), 1u);
  EXPECT_EQ(dict.index_of(nan), 2u);
  EXPECT_EQ(dict.index_of(nan), 2u);
  EXPECT_EQ(dict.index_of(0.0), 0u);
  ASSERT_EQ(dict.size(), 3u);
  EXPECT_TRUE(std::signbit(dict.entries()[1]));
}

}  // namespace
}  // namespace scout::parquet
