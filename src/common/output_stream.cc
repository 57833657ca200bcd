#include "scout/output_stream.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace scout {
namespace {

class FileOutputStream : public OutputStream {
 public:
  FileOutputStream(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~FileOutputStream() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status write(const void* data, size_t size) override {
    if (fd_ < 0) return Status::IOError("write to closed file '" + path_ + "'");
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
      ssize_t n = ::write(fd_, p, size);
      if (n < 0) {
        if (errno == EINTR) continue;
        return Status::IOError("cannot write '" + path_ + "': " + std::strerror(errno));
      }
      p += n;
      size -= static_cast<size_t>(n);
      position_ += n;
    }
    return Status::OK();
  }

  int64_t position() const override { return position_; }

  Status close() override {
    if (fd_ < 0) return Status::OK();
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) {
      return Status::IOError("cannot close '" + path_ + "': " + std::strerror(errno));
    }
    return Status::OK();
  }

 private:
  int fd_;
  std::string path_;
  int64_t position_ = 0;
};

}  // namespace

Result<std::unique_ptr<OutputStream>> open_file_output(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::IOError("cannot create '" + path + "': " + std::strerror(errno));
  }
  return std::unique_ptr<OutputStream>(new FileOutputStream(fd, path));
}

}  // namespace scout
