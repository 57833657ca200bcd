#include "parquet/footer_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <utility>

#include "common/hex.h"
#include "parquet/bit_util.h"
#include "parquet/metadata_decoder.h"

namespace scout::parquet {
namespace {

using namespace format;

// Random access to the file being read: exactly `length` bytes at `offset`.
using ReadAt = std::function<Status(uint64_t offset, size_t length, std::string* out)>;

// A name from the file, quoted for a message: control bytes escaped, long names cut.
std::string quoted(std::string_view name) {
  constexpr size_t kMaxShown = 64;
  return "'" + printable(name.substr(0, kMaxShown)) + (name.size() > kMaxShown ? "..." : "") + "'";
}

// Walks the flattened schema (depth first, groups announce num_children) without recursion:
// a hostile schema may nest as deep as it has elements.
Status check_schema(const FileMetaData& m, ParquetFileInfo* info) {
  const auto& schema = m.schema;
  if (schema.empty()) return Status::Corruption("the schema is empty: it has no root element");
  if (!schema[0].num_children || *schema[0].num_children < 0) {
    return Status::Corruption("the schema root " + quoted(schema[0].name) +
                              " is not a group (no valid num_children)");
  }
  info->schema_depth.assign(schema.size(), 0);
  info->leaf_columns.clear();
  std::vector<int64_t> children_left{*schema[0].num_children};
  size_t i = 1;
  while (!children_left.empty()) {
    if (children_left.back() == 0) {
      children_left.pop_back();
      continue;
    }
    --children_left.back();
    if (i >= schema.size()) {
      return Status::Corruption("the schema's groups announce more children than its " +
                                std::to_string(schema.size()) + " elements hold");
    }
    const SchemaElement& e = schema[i];
    info->schema_depth[i] = static_cast<int>(children_left.size());
    if (e.num_children) {
      if (*e.num_children < 0) {
        return Status::Corruption("schema element " + std::to_string(i) + " " + quoted(e.name) +
                                  " has num_children " + std::to_string(*e.num_children));
      }
      children_left.push_back(*e.num_children);
    } else {
      if (!e.type) {
        return Status::Corruption("schema element " + std::to_string(i) + " " + quoted(e.name) +
                                  " is a leaf without a type");
      }
      info->leaf_columns.push_back(i);
    }
    ++i;
  }
  if (i != schema.size()) {
    return Status::Corruption("the schema has " + std::to_string(schema.size()) +
                              " elements but the root's tree holds only " + std::to_string(i));
  }
  for (size_t g = 0; g < m.row_groups.size(); ++g) {
    size_t chunks = m.row_groups[g].columns.size();
    if (chunks != info->leaf_columns.size()) {
      return Status::Corruption("row group " + std::to_string(g) + " has " +
                                std::to_string(chunks) + " column chunks but the schema has " +
                                std::to_string(info->leaf_columns.size()) + " leaf columns");
    }
  }
  return Status::OK();
}

// Reads the page index of every column chunk. Regions must lie between the leading magic and
// the footer, and together fit in the file: overlapping regions cannot multiply the work.
class PageIndexReader {
 public:
  PageIndexReader(const ReadAt& read_at, uint64_t file_size, uint64_t data_end)
      : read_at_(read_at), budget_(file_size), data_end_(data_end) {}

  Status read(ParquetFileInfo* info) {
    const auto& groups = info->metadata.row_groups;
    info->page_index.assign(groups.size(), {});
    for (size_t g = 0; g < groups.size(); ++g) {
      info->page_index[g].resize(groups[g].columns.size());
      for (size_t c = 0; c < groups[g].columns.size(); ++c) {
        const SchemaElement& leaf = info->metadata.schema[info->leaf_columns[c]];
        Status st = read_chunk(groups[g].columns[c], &info->page_index[g][c]);
        if (!st.ok()) {
          return Status::Corruption("row group " + std::to_string(g) + ", column " +
                                    quoted(leaf.name) + ": " + st.message());
        }
      }
    }
    return Status::OK();
  }

 private:
  // A page-index struct the chunk points at, when it points at one: its bytes read, parsed
  // and used up exactly.
  template <typename T>
  Status read_index_struct(const char* what, const std::optional<int64_t>& offset,
                           const std::optional<int32_t>& length,
                           Result<T> (*parse)(std::string_view, size_t*, size_t),
                           std::optional<T>* out) {
    if (!offset && !length) return Status::OK();
    std::string bytes;
    SCOUT_RETURN_IF_ERROR(read_region(what, offset, length, &bytes));
    size_t used = 0;
    auto parsed = parse(bytes, &used, static_cast<size_t>(*offset));
    if (!parsed.ok()) return parsed.status();
    SCOUT_RETURN_IF_ERROR(check_length(what, used, bytes.size()));
    *out = std::move(*parsed);
    return Status::OK();
  }

  Status read_chunk(const ColumnChunk& chunk, ColumnPageIndex* out) {
    SCOUT_RETURN_IF_ERROR(read_index_struct("ColumnIndex", chunk.column_index_offset,
                                            chunk.column_index_length, parse_column_index,
                                            &out->column_index));
    if (out->column_index) {
      const ColumnIndex& index = *out->column_index;
      size_t pages = index.null_pages.size();
      if (index.min_values.size() != pages || index.max_values.size() != pages ||
          (!index.null_counts.empty() && index.null_counts.size() != pages)) {
        return Status::Corruption("ColumnIndex lists disagree on the page count: null_pages " +
                                  std::to_string(pages) + ", min_values " +
                                  std::to_string(index.min_values.size()) + ", max_values " +
                                  std::to_string(index.max_values.size()) + ", null_counts " +
                                  std::to_string(index.null_counts.size()));
      }
    }
    SCOUT_RETURN_IF_ERROR(read_index_struct("OffsetIndex", chunk.offset_index_offset,
                                            chunk.offset_index_length, parse_offset_index,
                                            &out->offset_index));
    if (out->column_index && out->offset_index &&
        out->column_index->null_pages.size() != out->offset_index->page_locations.size()) {
      return Status::Corruption(
          "ColumnIndex describes " + std::to_string(out->column_index->null_pages.size()) +
          " pages but OffsetIndex " + std::to_string(out->offset_index->page_locations.size()));
    }
    return Status::OK();
  }

  Status read_region(const char* what, const std::optional<int64_t>& offset,
                     const std::optional<int32_t>& length, std::string* out) {
    if (!offset || !length) {
      return Status::Corruption(std::string(what) + ": the chunk sets only one of its offset " +
                                "and length");
    }
    const std::string region = std::string(what) + " at offset " + std::to_string(*offset) +
                               " length " + std::to_string(*length);
    if (*offset < 4 || *length <= 0 || static_cast<uint64_t>(*offset) > data_end_ ||
        static_cast<uint64_t>(*length) > data_end_ - static_cast<uint64_t>(*offset)) {
      return Status::Corruption(region + " lies outside the file's data, bytes [4, " +
                                std::to_string(data_end_) + ")");
    }
    if (static_cast<uint64_t>(*length) > budget_) {
      return Status::Corruption(region + ": the page index regions add up to more than the " +
                                "file's size (they overlap)");
    }
    budget_ -= static_cast<uint64_t>(*length);
    return read_at_(static_cast<uint64_t>(*offset), static_cast<size_t>(*length), out);
  }

  static Status check_length(const char* what, size_t used, size_t length) {
    if (used == length) return Status::OK();
    return Status::Corruption(std::string(what) + " is " + std::to_string(used) +
                              " bytes but the column chunk says " + std::to_string(length));
  }

  const ReadAt& read_at_;
  uint64_t budget_;
  uint64_t data_end_;
};

Result<ParquetFileInfo> read_footer(uint64_t file_size, const ReadAt& read_at) {
  static constexpr std::string_view kMagic = "PAR1";
  if (file_size < 12) {
    return Status::Corruption("the file has " + std::to_string(file_size) +
                              " bytes; a Parquet file has at least 12 (PAR1, footer length, PAR1)");
  }
  std::string head, tail;
  SCOUT_RETURN_IF_ERROR(read_at(0, 4, &head));
  SCOUT_RETURN_IF_ERROR(read_at(file_size - 8, 8, &tail));
  if (std::string_view(tail).substr(4) == "PARE") {
    return Status::Corruption("the footer is encrypted (PARE), which this reader does not support");
  }
  if (head != kMagic) return Status::Corruption("not a Parquet file: it does not start with PAR1");
  if (std::string_view(tail).substr(4) != kMagic) {
    return Status::Corruption("not a Parquet file, or a truncated one: it does not end with PAR1");
  }
  const uint32_t footer_length = load_little_endian<uint32_t>(tail.data());
  if (footer_length == 0 || footer_length > file_size - 12) {
    return Status::Corruption("footer length " + std::to_string(footer_length) +
                              " does not fit the " + std::to_string(file_size - 12) +
                              " bytes between the magic numbers");
  }
  if (footer_length > kMaxFooterLength) {
    return Status(StatusCode::kResourceExhausted, "footer length " + std::to_string(footer_length) +
                                                      " exceeds this reader's " + "limit of " +
                                                      std::to_string(kMaxFooterLength) + " bytes");
  }
  const uint64_t footer_offset = file_size - 8 - footer_length;
  std::string footer;
  SCOUT_RETURN_IF_ERROR(read_at(footer_offset, footer_length, &footer));

  ParquetFileInfo info;
  info.file_size = static_cast<int64_t>(file_size);
  info.footer_length = footer_length;
  auto meta = parse_file_metadata(footer, nullptr, footer_offset);
  if (!meta.ok()) return meta.status();
  info.metadata = std::move(*meta);
  SCOUT_RETURN_IF_ERROR(check_schema(info.metadata, &info));
  SCOUT_RETURN_IF_ERROR(PageIndexReader(read_at, file_size, footer_offset).read(&info));
  return info;
}

// Closes a file descriptor on every path.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

Status errno_status(const char* action, int err) {
  std::string message = std::string(action) + ": " + std::strerror(err);
  return err == ENOENT ? Status::NotFound(std::move(message)) : Status::IOError(std::move(message));
}

}  // namespace

size_t ColumnPageIndex::page_count() const {
  if (offset_index) return offset_index->page_locations.size();
  if (column_index) return column_index->null_pages.size();
  return 0;
}

Result<ParquetFileInfo> read_parquet_footer_from_memory(std::string_view file) {
  ReadAt read_at = [file](uint64_t offset, size_t length, std::string* out) -> Status {
    if (offset > file.size() || length > file.size() - offset) {
      return Status::Internal("read past the end of the in-memory file");
    }
    out->assign(file.data() + offset, length);
    return Status::OK();
  };
  return read_footer(file.size(), read_at);
}

Result<ParquetFileInfo> read_parquet_footer(const std::string& path) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) return errno_status("cannot open", errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return errno_status("cannot stat", errno);
  if (S_ISDIR(st.st_mode)) return Status::IOError("is a directory");
  if (!S_ISREG(st.st_mode)) return Status::IOError("not a regular file");
  ReadAt read_at = [&fd](uint64_t offset, size_t length, std::string* out) -> Status {
    out->resize(length);
    size_t done = 0;
    while (done < length) {
      ssize_t n =
          ::pread(fd.get(), out->data() + done, length - done, static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return errno_status("cannot read", errno);
      if (n == 0) return Status::IOError("the file shrank while being read");
      done += static_cast<size_t>(n);
    }
    return Status::OK();
  };
  return read_footer(static_cast<uint64_t>(st.st_size), read_at);
}

}  // namespace scout::parquet
