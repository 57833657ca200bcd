#include "export/text_writers.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "common/hex.h"
#include "common/task_pool.h"

namespace scout {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

// Appends a non-string value's text (numbers, booleans, dates, timestamps, decimals).
// Dates and timestamps are bare: the caller quotes them where the format needs it.
void append_plain_value(std::string* out, const ColumnVector& col, size_t row) {
  char buf[48];
  const DataType& t = col.type();
  switch (t.id) {
    case TypeId::kBoolean:
      out->append(col.value<uint8_t>(row) ? "true" : "false");
      return;
    case TypeId::kInt16:
    case TypeId::kInt32: {
      auto r = std::to_chars(buf, buf + sizeof buf, col.value<int32_t>(row));
      out->append(buf, r.ptr);
      return;
    }
    case TypeId::kInt64: {
      auto r = std::to_chars(buf, buf + sizeof buf, col.value<int64_t>(row));
      out->append(buf, r.ptr);
      return;
    }
    case TypeId::kFloat:
      // Shortest float text, so 0.1f prints as 0.1 rather than its double expansion.
      if (float f = col.value<float>(row); std::isfinite(f)) {
        auto r = std::to_chars(buf, buf + sizeof buf, f);
        out->append(buf, r.ptr);
      } else {
        append_double(out, f);
      }
      return;
    case TypeId::kDouble:
      append_double(out, col.value<double>(row));
      return;
    case TypeId::kDecimal:
      append_decimal(out, t.precision <= 18 ? col.value<int64_t>(row) : col.value<__int128>(row),
                     t.scale);
      return;
    case TypeId::kDate:
      out->append(buf, write_date(buf, col.value<int32_t>(row)));
      return;
    case TypeId::kTimestamp:
      out->append(buf, write_timestamp_micros(buf, col.value<int64_t>(row)));
      return;
    case TypeId::kString:
    case TypeId::kBinary:
      return;  // the writers render these themselves
  }
}

// Rows are turned into text in slices, side by side on the process's task pool, and the
// slices are appended in order: the output is the same whatever the thread count, and so are
// the writes the stream below sees (one per batch once the buffer is full), which keeps the
// compressed bytes the same too.
class TextWriterBase : public FormatWriter {
 public:
  TextWriterBase(std::unique_ptr<OutputStream> out, int threads)
      : out_(std::move(out)), threads_(resolve_thread_count(threads)) {
    buffer_.reserve(kFlushBytes + (64 << 10));
  }
  Status write(const ColumnBatch& batch) final {
    const size_t rows = batch.num_rows();
    // Below this many rows a slice is too small to be worth waking a helper.
    constexpr size_t kMinSliceRows = 1024;
    const size_t slices = std::min<size_t>(static_cast<size_t>(threads_), rows / kMinSliceRows);
    if (slices <= 1) {
      format_rows(batch, 0, rows, rows_written_, &buffer_);
    } else {
      slices_.resize(slices);
      TaskPool::shared().parallel_for(slices, threads_, [&](size_t k) {
        const size_t begin = rows * k / slices, end = rows * (k + 1) / slices;
        slices_[k].clear();
        format_rows(batch, begin, end, rows_written_ + static_cast<int64_t>(begin), &slices_[k]);
      });
      for (size_t k = 0; k < slices; ++k) buffer_.append(slices_[k]);
    }
    rows_written_ += static_cast<int64_t>(rows);
    return buffer_.size() >= kFlushBytes ? drain() : Status::OK();
  }
  Status close() override {
    SCOUT_RETURN_IF_ERROR(write_trailer());
    SCOUT_RETURN_IF_ERROR(drain());
    return out_->close();
  }
  int64_t bytes_written() const override {
    return out_->position() + static_cast<int64_t>(buffer_.size());
  }

 protected:
  // Appends rows [begin, end) of `batch` to `out`; `first_row` is the file's index of `begin`.
  // Runs on several threads at once: it may read the writer, never change it.
  virtual void format_rows(const ColumnBatch& batch, size_t begin, size_t end, int64_t first_row,
                           std::string* out) const = 0;
  virtual Status write_trailer() { return Status::OK(); }
  Status drain() {
    if (buffer_.empty()) return Status::OK();
    Status st = out_->write(buffer_.data(), buffer_.size());
    buffer_.clear();
    return st;
  }

  std::unique_ptr<OutputStream> out_;
  std::string buffer_;
  int64_t rows_written_ = 0;

 private:
  int threads_;
  std::vector<std::string> slices_;  // kept between batches for their capacity
};

// RFC 4180's quoting: only when the field needs it, or is empty (to tell it from NULL).
void append_csv_field(std::string* out, std::string_view v) {
  bool quote = v.empty() || v.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    out->append(v);
    return;
  }
  out->push_back('"');
  for (char ch : v) {
    if (ch == '"') out->push_back('"');
    out->push_back(ch);
  }
  out->push_back('"');
}

class CsvWriter final : public TextWriterBase {
 public:
  CsvWriter(const Schema& schema, std::unique_ptr<OutputStream> out, int threads)
      : TextWriterBase(std::move(out), threads) {
    for (size_t c = 0; c < schema.size(); ++c) {
      if (c) buffer_.push_back(',');
      append_csv_field(&buffer_, schema[c].name);
    }
    buffer_.append("\r\n");
  }

 private:
  void format_rows(const ColumnBatch& batch, size_t begin, size_t end, int64_t,
                   std::string* out) const override {
    const size_t cols = batch.num_columns();
    for (size_t r = begin; r < end; ++r) {
      for (size_t c = 0; c < cols; ++c) {
        if (c) out->push_back(',');
        const ColumnVector& col = batch.column(c);
        if (!col.validity()[r]) continue;  // NULL: an empty field
        switch (col.type().id) {
          case TypeId::kString:
            append_csv_field(out, col.string_at(r));
            break;
          case TypeId::kBinary:
            append_base64(out, col.string_at(r));
            break;
          default:
            append_plain_value(out, col, r);
        }
      }
      out->append("\r\n");
    }
  }
};

void append_json_string(std::string* out, std::string_view v) {
  out->push_back('"');
  size_t run = 0;  // copy clean stretches in one append
  for (size_t i = 0; i < v.size(); ++i) {
    auto ch = static_cast<unsigned char>(v[i]);
    if (ch >= 0x20 && ch != '"' && ch != '\\') continue;
    out->append(v.data() + run, i - run);
    run = i + 1;
    switch (ch) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        out->append("\\u00");
        append_hex_byte(out, ch);
    }
  }
  out->append(v.data() + run, v.size() - run);
  out->push_back('"');
}

void append_json_value(std::string* out, const ColumnVector& col, size_t r) {
  if (!col.validity()[r]) {
    out->append("null");
    return;
  }
  switch (col.type().id) {
    case TypeId::kString:
      append_json_string(out, col.string_at(r));
      return;
    case TypeId::kBinary:
      out->push_back('"');
      append_base64(out, col.string_at(r));
      out->push_back('"');
      return;
    case TypeId::kDate:
    case TypeId::kTimestamp:
      out->push_back('"');
      append_plain_value(out, col, r);
      out->push_back('"');
      return;
    case TypeId::kFloat:
    case TypeId::kDouble: {
      double v = col.type().id == TypeId::kFloat ? col.value<float>(r) : col.value<double>(r);
      if (!std::isfinite(v)) {
        out->push_back('"');
        append_double(out, v);
        out->push_back('"');
        return;
      }
      append_plain_value(out, col, r);
      return;
    }
    default:
      append_plain_value(out, col, r);
  }
}

class JsonWriter final : public TextWriterBase {
 public:
  JsonWriter(const Schema& schema, std::unique_ptr<OutputStream> out, bool as_array, int threads)
      : TextWriterBase(std::move(out), threads), as_array_(as_array) {
    for (size_t c = 0; c < schema.size(); ++c) {
      std::string key = c ? "," : "{";
      append_json_string(&key, schema[c].name);
      key.push_back(':');
      keys_.push_back(std::move(key));
    }
    if (as_array_) buffer_.push_back('[');
  }

 private:
  void format_rows(const ColumnBatch& batch, size_t begin, size_t end, int64_t first_row,
                   std::string* out) const override {
    const size_t cols = batch.num_columns();
    for (size_t r = begin; r < end; ++r) {
      if (as_array_) out->append(first_row + static_cast<int64_t>(r - begin) > 0 ? ",\n" : "\n");
      for (size_t c = 0; c < cols; ++c) {
        out->append(keys_[c]);
        append_json_value(out, batch.column(c), r);
      }
      out->push_back('}');
      if (!as_array_) out->push_back('\n');
    }
  }

  Status write_trailer() override {
    if (as_array_) buffer_.append(rows_written_ ? "\n]\n" : "]\n");
    return Status::OK();
  }

  bool as_array_;
  std::vector<std::string> keys_;
};

}  // namespace

std::unique_ptr<FormatWriter> make_csv_writer(const Schema& schema,
                                              std::unique_ptr<OutputStream> out, int threads) {
  return std::make_unique<CsvWriter>(schema, std::move(out), threads);
}

std::unique_ptr<FormatWriter> make_json_writer(const Schema& schema,
                                               std::unique_ptr<OutputStream> out, bool as_array,
                                               int threads) {
  return std::make_unique<JsonWriter>(schema, std::move(out), as_array, threads);
}

}  // namespace scout
