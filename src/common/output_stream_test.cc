#include "scout/output_stream.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "testing/temp_dir.h"

namespace scout {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// More pieces than one writev takes (IOV_MAX is 1024 on Linux), empty ones among them, each
// with distinct bytes so that a piece written twice, skipped or out of order shows.
TEST(FileOutputStream, WritePiecesWritesEveryPieceInOrder) {
  test_support::TempDir dir;
  std::vector<std::string> storage;
  std::string expected;
  for (int i = 0; i < 3000; ++i) {
    storage.push_back(i % 7 == 0 ? std::string() : std::to_string(i) + std::string(i % 13, 'a' + i % 26));
    expected += storage.back();
  }
  std::vector<std::string_view> pieces(storage.begin(), storage.end());

  auto out = open_file_output(dir.file("pieces.bin"));
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  ASSERT_TRUE((*out)->write("head", 4).ok());
  ASSERT_TRUE((*out)->write_pieces(pieces).ok());
  ASSERT_TRUE((*out)->write("tail", 4).ok());
  EXPECT_EQ((*out)->position(), static_cast<int64_t>(expected.size() + 8));
  ASSERT_TRUE((*out)->close().ok());

  EXPECT_EQ(read_file(dir.file("pieces.bin")), "head" + expected + "tail");
}

TEST(FileOutputStream, WritePiecesAfterCloseIsAnError) {
  test_support::TempDir dir;
  auto out = open_file_output(dir.file("closed.bin"));
  ASSERT_TRUE(out.ok());
  ASSERT_TRUE((*out)->close().ok());
  std::string_view piece = "x";
  EXPECT_FALSE((*out)->write_pieces({&piece, 1}).ok());
}

// The default for streams without a vectored write: the same bytes, piece by piece.
TEST(BufferOutputStream, WritePiecesAppendsThemInOrder) {
  BufferOutputStream out;
  std::vector<std::string_view> pieces = {"ab", "", "cde", "f"};
  ASSERT_TRUE(out.write_pieces(pieces).ok());
  EXPECT_EQ(out.buffer(), "abcdef");
}

}  // namespace
}  // namespace scout
