#include "server/data_dir.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace scout {
namespace fs = std::filesystem;

Status create_private_dir(const std::string& path) {
  fs::path dir = fs::path(path).lexically_normal();
  if (!dir.has_filename() && dir.has_parent_path()) dir = dir.parent_path();  // "a/b/" is "a/b"
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return Status::OK();
  if (fs::exists(dir, ec)) return Status::IOError("'" + path + "' exists and is not a folder");
  if (dir.has_parent_path()) {
    fs::create_directories(dir.parent_path(), ec);
    if (ec)
      return Status::IOError("cannot create folder '" + dir.parent_path().string() +
                             "': " + ec.message());
  }
  if (::mkdir(dir.c_str(), 0700) != 0) {
    int err = errno;
    if (err == EEXIST && fs::is_directory(dir, ec)) return Status::OK();  // made meanwhile
    return Status::IOError("cannot create folder '" + path + "': " + std::strerror(err));
  }
  // mkdir's mode passes through the umask, which could take the owner's bits too.
  if (::chmod(dir.c_str(), 0700) != 0) {
    return Status::IOError("cannot make folder '" + path + "' private: " + std::strerror(errno));
  }
  return Status::OK();
}

Result<std::string> prepare_data_dir(const std::string& path) {
  SCOUT_RETURN_IF_ERROR(create_private_dir(path));
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return Status::IOError("cannot read data dir '" + path + "': " + std::strerror(errno));
  }
  mode_t mode = st.st_mode & 0777;
  if ((mode & 0077) == 0) return std::string();
  char octal[8];
  std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode));
  return "warning: data dir '" + path + "' has mode " + octal +
         ": other users can reach its exports, keys and signing key; fix with: chmod 700 '" + path +
         "'";
}

}  // namespace scout
