#include "server/data_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>

#include "testing/temp_dir.h"

namespace scout {
namespace {

namespace fs = std::filesystem;

// The permission bits of `path` in octal, as chmod takes them: "0700".
std::string mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  char octal[8];
  std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(st.st_mode & 0777));
  return octal;
}

// Sets the usual umask (022) for one test: what a service started by hand or by systemd has.
class DataDirTest : public ::testing::Test {
 protected:
  DataDirTest() : saved_umask_(::umask(022)) {}
  ~DataDirTest() override { ::umask(saved_umask_); }

  test_support::TempDir dir_;
  mode_t saved_umask_;
};

// Issue 13 #11: the data dir was created 0755, so other users could read its exports.
TEST_F(DataDirTest, AMissingDataDirIsCreatedPrivateWithItsParents) {
  std::string path = dir_.file("srv/scout/data");
  auto warning = prepare_data_dir(path);
  ASSERT_TRUE(warning.ok()) << warning.status().to_string();
  EXPECT_EQ(*warning, "");
  EXPECT_TRUE(fs::is_directory(path));
  EXPECT_EQ(mode_of(path), "0700");
}

TEST_F(DataDirTest, AFolderInTheDataDirIsCreatedPrivate) {
  ASSERT_TRUE(create_private_dir(dir_.file("data/exports/")).ok());
  EXPECT_EQ(mode_of(dir_.file("data/exports")), "0700");
  EXPECT_TRUE(create_private_dir(dir_.file("data/exports")).ok());  // there already: fine
}

TEST_F(DataDirTest, AnExistingDataDirOpenToOthersIsLeftButWarnedAbout) {
  std::string path = dir_.file("data");
  ASSERT_EQ(::mkdir(path.c_str(), 0755), 0);
  ASSERT_EQ(::chmod(path.c_str(), 0755), 0);
  auto warning = prepare_data_dir(path);
  ASSERT_TRUE(warning.ok()) << warning.status().to_string();
  EXPECT_NE(warning->find("'" + path + "'"), std::string::npos) << *warning;
  EXPECT_NE(warning->find("0755"), std::string::npos) << *warning;
  EXPECT_NE(warning->find("chmod 700"), std::string::npos) << *warning;
  EXPECT_EQ(warning->find('\n'), std::string::npos);  // one line
  EXPECT_EQ(mode_of(path), "0755");  // the operator's folder: changed by the operator

  ASSERT_EQ(::chmod(path.c_str(), 0710), 0);  // others may enter: still a warning
  EXPECT_NE(prepare_data_dir(path)->find("0710"), std::string::npos);
  ASSERT_EQ(::chmod(path.c_str(), 0700), 0);
  EXPECT_EQ(*prepare_data_dir(path), "");
}

TEST_F(DataDirTest, AFileWhereTheDataDirShouldBeIsAnError) {
  std::string path = dir_.write("data", "not a folder");
  auto warning = prepare_data_dir(path);
  ASSERT_FALSE(warning.ok());
  EXPECT_NE(warning.status().message().find("not a folder"), std::string::npos);
}

}  // namespace
}  // namespace scout
