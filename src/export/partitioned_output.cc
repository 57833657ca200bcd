#include "export/partitioned_output.h"

#include "common/hex.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>

namespace scout {

namespace {

// With rows ordered by the partition column only one file is open at a time; unordered input
// may open more, and past this many every open file is finished to bound memory.
constexpr size_t kMaxOpenFiles = 32;

// The format writer's stream into an object of the store, which the output keeps: closing the
// stream closes nothing, the output finishes the object itself.
class ObjectOutputStream final : public OutputStream {
 public:
  explicit ObjectOutputStream(ObjectWriter* object) : object_(object) {}
  Status write(const void* data, size_t size) override { return object_->write(data, size); }
  int64_t position() const override { return object_->bytes_written(); }
  Status close() override { return Status::OK(); }

 private:
  ObjectWriter* object_;
};

// SHA-256 of everything that passes through to the inner stream.
class HashingOutputStream final : public OutputStream {
 public:
  HashingOutputStream(std::unique_ptr<OutputStream> inner, std::string* hex_out)
      : inner_(std::move(inner)), hex_out_(hex_out), ctx_(EVP_MD_CTX_new()) {
    EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr);
  }
  ~HashingOutputStream() override { EVP_MD_CTX_free(ctx_); }
  Status write(const void* data, size_t size) override {
    EVP_DigestUpdate(ctx_, data, size);
    return inner_->write(data, size);
  }
  int64_t position() const override { return inner_->position(); }
  Status close() override {
    if (!closed_) {
      closed_ = true;
      unsigned char digest[EVP_MAX_MD_SIZE];
      unsigned int len = 0;
      EVP_DigestFinal_ex(ctx_, digest, &len);
      *hex_out_ = to_hex(digest, len);
    }
    return inner_->close();
  }

 private:
  std::unique_ptr<OutputStream> inner_;
  std::string* hex_out_;
  EVP_MD_CTX* ctx_;
  bool closed_ = false;
};

bool same_value(const ColumnVector& col, size_t a, size_t b) {
  const uint8_t* valid = col.validity();
  if (valid[a] != valid[b]) return false;
  if (!valid[a]) return true;
  if (col.type().is_variable_length()) return col.string_at(a) == col.string_at(b);
  int w = col.type().storage_width();
  const auto* base = col.values<uint8_t>();
  return std::memcmp(base + a * w, base + b * w, w) == 0;
}

}  // namespace

struct PartitionedOutput::OpenFile {
  std::string folder;     // relative folder of the partition ("" at the top)
  std::string partition;  // value text
  bool is_null = false;   // the NULL partition
  ExportedFile result;
  std::unique_ptr<ObjectWriter> object;   // declared before the writer that streams into it
  std::unique_ptr<FormatWriter> writer;
};

std::string hive_partition_segment(const std::string& column, const std::string* value) {
  if (!value) return column + "=__HIVE_DEFAULT_PARTITION__";
  static constexpr std::string_view kEscaped = "\"#%'*/:=?\\^{[]";
  std::string out = column + "=";
  for (unsigned char ch : *value) {
    if (ch < 0x20 || ch == 0x7F || kEscaped.find(static_cast<char>(ch)) != std::string_view::npos) {
      out.push_back('%');
      append_hex_byte(&out, ch, HexCase::kUpper);
    } else {
      out.push_back(static_cast<char>(ch));
    }
  }
  if (*value == "." || *value == "..") out += "%2E";  // never a path step
  return out;
}

PartitionedOutput::PartitionedOutput(ExportStore& store, std::string prefix, const ExportPlan& plan)
    : store_(store),
      prefix_(std::move(prefix)),
      plan_(plan),
      extension_(file_extension(plan.format)),
      scratch_(plan.output_schema) {}

PartitionedOutput::~PartitionedOutput() {
  if (!published_) abandon();
}

Result<std::unique_ptr<PartitionedOutput>> PartitionedOutput::create(ExportStore& store,
                                                                     const std::string& prefix,
                                                                     const ExportPlan& plan) {
  SCOUT_RETURN_IF_ERROR(store.prepare(prefix));
  return std::unique_ptr<PartitionedOutput>(new PartitionedOutput(store, prefix, plan));
}

std::string PartitionedOutput::partition_text(const ColumnVector& col, size_t row) const {
  char buf[48];
  const DataType& t = col.type();
  switch (t.id) {
    case TypeId::kString: return std::string(col.string_at(row));
    case TypeId::kDate: return std::string(buf, write_date(buf, col.value<int32_t>(row)));
    case TypeId::kTimestamp:
      return std::string(buf, write_timestamp_micros(buf, col.value<int64_t>(row)));
    case TypeId::kBoolean: return col.value<uint8_t>(row) ? "true" : "false";
    case TypeId::kInt16:
    case TypeId::kInt32: return std::to_string(col.value<int32_t>(row));
    case TypeId::kInt64: return std::to_string(col.value<int64_t>(row));
    case TypeId::kDecimal: {
      std::string out;
      append_decimal(&out, t.precision <= 18 ? col.value<int64_t>(row) : col.value<__int128>(row),
                     t.scale);
      return out;
    }
    default: return "";  // refused by plan_export
  }
}

Result<PartitionedOutput::OpenFile*> PartitionedOutput::file_for(const std::string* value) {
  std::string folder = plan_.dataset->name;
  if (plan_.partition_column >= 0) {
    folder += "/" + hive_partition_segment(plan_.output_schema[plan_.partition_column].name, value);
  }
  return file_for_folder(folder, value ? *value : std::string(), value == nullptr);
}

Result<PartitionedOutput::OpenFile*> PartitionedOutput::file_for_folder(const std::string& folder,
                                                                        const std::string& value,
                                                                        bool is_null) {
  auto it = open_.find(folder);
  if (it != open_.end()) return it->second.get();
  if (open_.size() >= kMaxOpenFiles) {
    for (auto& [name, file] : open_) SCOUT_RETURN_IF_ERROR(finish(file.get()));
    open_.clear();
  }

  auto file = std::make_unique<OpenFile>();
  file->folder = folder;
  file->partition = is_null ? "" : value;
  file->is_null = is_null;
  bool single_file = plan_.partition_column < 0 && plan_.max_file_size == 0;
  if (single_file) {
    file->result.path = plan_.dataset->name + extension_;
  } else {
    char part[32];
    std::snprintf(part, sizeof part, "part-%05d", next_part_[folder]++);
    file->result.path = folder + "/" + part + extension_;
  }
  file->result.partition = file->partition;
  SCOUT_ASSIGN_OR_RETURN(file->object,
                         store_.open_object(prefix_.empty() ? file->result.path
                                                            : prefix_ + "/" + file->result.path));
  auto hashing = std::make_unique<HashingOutputStream>(
      std::make_unique<ObjectOutputStream>(file->object.get()), &file->result.sha256);
  SCOUT_ASSIGN_OR_RETURN(file->writer,
                         open_format_writer(plan_.format, plan_.output_schema, std::move(hashing)));
  OpenFile* raw = file.get();
  open_.emplace(folder, std::move(file));
  return raw;
}

Status PartitionedOutput::finish(OpenFile* file) {
  SCOUT_RETURN_IF_ERROR(file->writer->close());
  file->writer.reset();
  SCOUT_RETURN_IF_ERROR(file->object->finish());
  file->result.bytes = file->object->bytes_written();
  closed_bytes_ += file->result.bytes;
  finished_.push_back(file->result);
  stored_.push_back(std::move(file->object));
  return Status::OK();
}

Status PartitionedOutput::write_run(OpenFile* file, const ColumnBatch& batch, size_t begin,
                                    size_t end) {
  // Under a size cap, rows go in slices so that a file is closed soon after it passes the cap.
  constexpr size_t kCappedSlice = 2048;
  if (plan_.max_file_size > 0 && end - begin > kCappedSlice) {
    // A slice may finish the file (and free it): keep what names its partition.
    const std::string folder = file->folder, partition = file->partition;
    const bool is_null = file->is_null;
    for (size_t at = begin; at < end; at += kCappedSlice) {
      SCOUT_ASSIGN_OR_RETURN(file, file_for_folder(folder, partition, is_null));
      SCOUT_RETURN_IF_ERROR(write_run(file, batch, at, std::min(end, at + kCappedSlice)));
    }
    return Status::OK();
  }
  if (begin == 0 && end == batch.num_rows()) {
    SCOUT_RETURN_IF_ERROR(file->writer->write(batch));
  } else {
    scratch_.clear();
    for (size_t c = 0; c < batch.num_columns(); ++c) {
      scratch_.column(c).append_range(batch.column(c), begin, end);
    }
    SCOUT_RETURN_IF_ERROR(file->writer->write(scratch_));
  }
  file->result.rows += static_cast<int64_t>(end - begin);
  rows_ += static_cast<int64_t>(end - begin);
  if (plan_.max_file_size > 0 && file->writer->bytes_written() >= plan_.max_file_size) {
    SCOUT_RETURN_IF_ERROR(finish(file));
    open_.erase(file->folder);  // the partition's next rows start a new part
  }
  return Status::OK();
}

Status PartitionedOutput::write(const ColumnBatch& batch) {
  size_t rows = batch.num_rows();
  if (rows == 0) return Status::OK();
  if (plan_.partition_column < 0) {
    SCOUT_ASSIGN_OR_RETURN(OpenFile * file, file_for(nullptr));
    return write_run(file, batch, 0, rows);
  }
  const ColumnVector& key = batch.column(plan_.partition_column);
  size_t begin = 0;
  while (begin < rows) {
    size_t end = begin + 1;
    while (end < rows && same_value(key, begin, end)) ++end;
    std::string value;
    bool is_null = !key.validity()[begin];
    if (!is_null) value = partition_text(key, begin);
    SCOUT_ASSIGN_OR_RETURN(OpenFile * file, file_for(is_null ? nullptr : &value));
    SCOUT_RETURN_IF_ERROR(write_run(file, batch, begin, end));
    begin = end;
  }
  return Status::OK();
}

int64_t PartitionedOutput::bytes_written() const {
  int64_t total = closed_bytes_;
  for (const auto& [name, file] : open_) total += file->writer ? file->writer->bytes_written() : 0;
  return total;
}

Result<std::vector<ExportedFile>> PartitionedOutput::publish() {
  for (auto& [name, file] : open_) SCOUT_RETURN_IF_ERROR(finish(file.get()));
  open_.clear();
  // An export with no rows still yields one valid (empty) file, so readers see the schema.
  if (finished_.empty()) {
    SCOUT_ASSIGN_OR_RETURN(OpenFile * file, file_for(nullptr));
    SCOUT_RETURN_IF_ERROR(finish(file));
    open_.clear();
  }
  for (auto& object : stored_) SCOUT_RETURN_IF_ERROR(object->publish());
  published_ = true;
  std::vector<ExportedFile> files = finished_;
  std::sort(files.begin(), files.end(),
            [](const ExportedFile& a, const ExportedFile& b) { return a.path < b.path; });
  return files;
}

void PartitionedOutput::abandon() {
  open_.clear();  // each open object discards itself as it goes
  for (auto& object : stored_) object->discard();
  stored_.clear();
  finished_.clear();
  published_ = false;
}

}  // namespace scout
