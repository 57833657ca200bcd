#include "common/hex.h"

#include <gtest/gtest.h>

namespace scout {
namespace {

TEST(Hex, RendersBytesInEitherCase) {
  EXPECT_EQ(to_hex("\x00\xAB\x7F", 3), "00ab7f");
  std::string out;
  append_hex_byte(&out, 0xAB, HexCase::kUpper);
  append_hex_byte(&out, 0x0F);
  EXPECT_EQ(out, "AB0f");
}

TEST(Hex, WritesUuidsInCanonicalForm) {
  const unsigned char bytes[16] = {0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3,
                                   0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00};
  EXPECT_EQ(uuid_text(bytes), "123e4567-e89b-12d3-a456-426614174000");
}

TEST(Hex, EscapesControlBytesOnlyForDisplay) {
  EXPECT_EQ(printable("a\tb\x7F\x1B[31m"), "a\\x09b\\x7f\\x1b[31m");
  EXPECT_EQ(printable("caf\xC3\xA9 \"ok\""), "caf\xC3\xA9 \"ok\"");
}

}  // namespace
}  // namespace scout
