// A folder of a test's own under the system's temporary folder, removed with all it holds when
// the test ends. mkdtemp makes the name unique, so tests that ctest runs in parallel never
// share one.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace scout::test_support {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "scout-test.XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed: " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // The path of `name` inside the folder, which need not exist.
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  // Writes `contents` to `name` inside the folder; returns its path.
  std::string write(const std::string& name, const std::string& contents) const {
    std::string p = file(name);
    std::ofstream(p, std::ios::binary) << contents;
    return p;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace scout::test_support
