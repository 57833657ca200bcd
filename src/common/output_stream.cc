#include "scout/output_stream.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

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

  Status write_pieces(std::span<const std::string_view> pieces) override {
    if (fd_ < 0) return Status::IOError("write to closed file '" + path_ + "'");
    iov_.clear();
    for (std::string_view piece : pieces) {
      if (!piece.empty()) iov_.push_back(iovec{const_cast<char*>(piece.data()), piece.size()});
    }
    size_t next = 0;  // the first iovec not yet fully written
    while (next < iov_.size()) {
      int count = static_cast<int>(std::min<size_t>(iov_.size() - next, IOV_MAX));
      ssize_t n = ::writev(fd_, iov_.data() + next, count);
      if (n < 0) {
        if (errno == EINTR) continue;
        return Status::IOError("cannot write '" + path_ + "': " + std::strerror(errno));
      }
      position_ += n;
      // A short write stops anywhere: skip what went out, and trim a piece cut in two.
      size_t left = static_cast<size_t>(n);
      while (next < iov_.size() && left >= iov_[next].iov_len) left -= iov_[next++].iov_len;
      if (left > 0) {
        iov_[next].iov_base = static_cast<char*>(iov_[next].iov_base) + left;
        iov_[next].iov_len -= left;
      }
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
  std::vector<iovec> iov_;  // scratch for write_pieces, kept for its capacity
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
