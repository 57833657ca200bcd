// Where written bytes go: a file, a compressing wrapper, a buffer in tests.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "scout/status.h"

namespace scout {

// Writes are large (whole pages or encoded batches); implementations need no buffering of
// their own beyond what the OS gives.
class OutputStream {
 public:
  virtual ~OutputStream() = default;
  virtual Status write(const void* data, size_t size) = 0;
  // Writes the pieces one after another; a file takes them in one system call (writev), so a
  // writer that keeps its output in many buffers need not copy them together first.
  virtual Status write_pieces(std::span<const std::string_view> pieces) {
    for (std::string_view piece : pieces) SCOUT_RETURN_IF_ERROR(write(piece.data(), piece.size()));
    return Status::OK();
  }
  virtual int64_t position() const = 0;  // bytes accepted so far
  virtual Status close() = 0;            // flushes; idempotent
};

// A file created or truncated at `path`. Callers that need the file to appear only when
// complete write to a temporary name and rename after close().
Result<std::unique_ptr<OutputStream>> open_file_output(const std::string& path);

// Collects everything in memory; for tests and for small encoded pieces.
class BufferOutputStream : public OutputStream {
 public:
  Status write(const void* data, size_t size) override {
    buffer_.append(static_cast<const char*>(data), size);
    return Status::OK();
  }
  int64_t position() const override { return static_cast<int64_t>(buffer_.size()); }
  Status close() override { return Status::OK(); }
  const std::string& buffer() const { return buffer_; }

 private:
  std::string buffer_;
};

}  // namespace scout
