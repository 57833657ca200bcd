#include "storage/local_folder_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "testing/temp_dir.h"

namespace scout {
namespace {
namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Files other than the hidden staging folder's.
std::vector<std::string> visible_files(const fs::path& root) {
  std::vector<std::string> out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    if (it->path().filename().string().starts_with(".scout-staging-")) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) out.push_back(fs::relative(it->path(), root).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(LocalFolderStoreTest, AnObjectAppearsOnlyWhenPublished) {
  test_support::TempDir dir;
  auto store = open_local_folder_store(dir.path().string(), {});
  ASSERT_TRUE(store->prepare("e1").ok());
  auto writer = store->open_object("e1/ds/region=NCR/part-00000.csv");
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->write("a,b\n", 4).ok());
  ASSERT_TRUE((*writer)->finish().ok());
  EXPECT_EQ((*writer)->bytes_written(), 4);
  EXPECT_TRUE(visible_files(dir.path()).empty());
  ASSERT_TRUE((*writer)->publish().ok());
  EXPECT_EQ(visible_files(dir.path()), std::vector<std::string>{"e1/ds/region=NCR/part-00000.csv"});
  EXPECT_EQ(read(dir.path() / "e1/ds/region=NCR/part-00000.csv"), "a,b\n");
  ASSERT_TRUE(store->put_object("e1/manifest.json", "{}").ok());
  EXPECT_EQ(read(dir.path() / "e1/manifest.json"), "{}");
}

TEST(LocalFolderStoreTest, DiscardRemovesStagedAndPublishedFiles) {
  test_support::TempDir dir;
  auto store = open_local_folder_store(dir.path().string(), {});
  {
    auto unfinished = store->open_object("e1/a.csv");
    ASSERT_TRUE((*unfinished)->write("x", 1).ok());
  }  // dropped without publish
  auto published = store->open_object("e1/b.csv");
  ASSERT_TRUE((*published)->finish().ok());
  ASSERT_TRUE((*published)->publish().ok());
  (*published)->discard();
  EXPECT_TRUE(visible_files(dir.path()).empty());
  store.reset();  // the staging folder goes with the store
  for (const auto& entry : fs::recursive_directory_iterator(dir.path())) {
    EXPECT_TRUE(entry.is_directory()) << "left: " << entry.path();
  }
}

TEST(LocalFolderStoreTest, RemovesAPrefixButNeverTheRoot) {
  test_support::TempDir dir;
  auto store = open_local_folder_store(dir.path().string(), {});
  ASSERT_TRUE(store->put_object("e1/x/y.csv", "1").ok());
  ASSERT_TRUE(store->put_object("e2/y.csv", "2").ok());
  ASSERT_TRUE(store->remove_prefix("e1").ok());
  EXPECT_EQ(visible_files(dir.path()), std::vector<std::string>{"e2/y.csv"});
  EXPECT_EQ(store->remove_prefix("").code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(store->remove_prefix("never-written").ok());
  EXPECT_TRUE(store->abort_incomplete_uploads("e2").ok());
}

TEST(LocalFolderStoreTest, ServesOnlyFilesInsideItsRoot) {
  test_support::TempDir dir;
  auto store = open_local_folder_store((dir.path() / "root").string(), [](const std::string& key, int64_t expires) {
    return "http://svc/download/" + key + "?expires=" + std::to_string(expires);
  });
  ASSERT_TRUE(store->put_object("e1/a.csv", "1").ok());
  auto file = store->local_file("e1/a.csv");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(read(*file), "1");
  for (const char* bad : {"../outside", "e1/../../x", "/etc/passwd", ""}) {
    EXPECT_EQ(store->local_file(bad).status().code(), StatusCode::kNotFound) << bad;
  }
  EXPECT_EQ(*store->download_url("e1/a.csv", 5), "http://svc/download/e1/a.csv?expires=5");
  EXPECT_TRUE(store->check_reachable().ok());
  EXPECT_FALSE(open_local_folder_store((dir.path() / "missing").string(), {})->check_reachable().ok());
}

}  // namespace
}  // namespace scout
