#include "export/text_writers.h"

#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "common/hex.h"

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

class TextWriterBase : public FormatWriter {
 public:
  explicit TextWriterBase(std::unique_ptr<OutputStream> out) : out_(std::move(out)) {
    buffer_.reserve(kFlushBytes + (64 << 10));
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
  virtual Status write_trailer() { return Status::OK(); }
  Status maybe_drain() { return buffer_.size() >= kFlushBytes ? drain() : Status::OK(); }
  Status drain() {
    if (buffer_.empty()) return Status::OK();
    Status st = out_->write(buffer_.data(), buffer_.size());
    buffer_.clear();
    return st;
  }

  std::unique_ptr<OutputStream> out_;
  std::string buffer_;
};

class CsvWriter final : public TextWriterBase {
 public:
  CsvWriter(const Schema& schema, std::unique_ptr<OutputStream> out)
      : TextWriterBase(std::move(out)) {
    for (size_t c = 0; c < schema.size(); ++c) {
      if (c) buffer_.push_back(',');
      append_field(schema[c].name);
    }
    buffer_.append("\r\n");
  }

  Status write(const ColumnBatch& batch) override {
    const size_t rows = batch.num_rows(), cols = batch.num_columns();
    for (size_t r = 0; r < rows; ++r) {
      for (size_t c = 0; c < cols; ++c) {
        if (c) buffer_.push_back(',');
        const ColumnVector& col = batch.column(c);
        if (!col.validity()[r]) continue;  // NULL: an empty field
        switch (col.type().id) {
          case TypeId::kString:
            append_field(col.string_at(r));
            break;
          case TypeId::kBinary:
            append_base64(&buffer_, col.string_at(r));
            break;
          default:
            append_plain_value(&buffer_, col, r);
        }
      }
      buffer_.append("\r\n");
      SCOUT_RETURN_IF_ERROR(maybe_drain());
    }
    return Status::OK();
  }

 private:
  void append_field(std::string_view v) {
    bool quote = v.empty() || v.find_first_of(",\"\r\n") != std::string_view::npos;
    if (!quote) {
      buffer_.append(v);
      return;
    }
    buffer_.push_back('"');
    for (char ch : v) {
      if (ch == '"') buffer_.push_back('"');
      buffer_.push_back(ch);
    }
    buffer_.push_back('"');
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

class JsonWriter final : public TextWriterBase {
 public:
  JsonWriter(const Schema& schema, std::unique_ptr<OutputStream> out, bool as_array)
      : TextWriterBase(std::move(out)), as_array_(as_array) {
    for (size_t c = 0; c < schema.size(); ++c) {
      std::string key = c ? "," : "{";
      append_json_string(&key, schema[c].name);
      key.push_back(':');
      keys_.push_back(std::move(key));
    }
    if (as_array_) buffer_.push_back('[');
  }

  Status write(const ColumnBatch& batch) override {
    const size_t rows = batch.num_rows(), cols = batch.num_columns();
    for (size_t r = 0; r < rows; ++r) {
      if (as_array_) buffer_.append(rows_written_ ? ",\n" : "\n");
      for (size_t c = 0; c < cols; ++c) {
        buffer_.append(keys_[c]);
        append_value(batch.column(c), r);
      }
      buffer_.push_back('}');
      if (!as_array_) buffer_.push_back('\n');
      ++rows_written_;
      SCOUT_RETURN_IF_ERROR(maybe_drain());
    }
    return Status::OK();
  }

 private:
  Status write_trailer() override {
    if (as_array_) buffer_.append(rows_written_ ? "\n]\n" : "]\n");
    return Status::OK();
  }

  void append_value(const ColumnVector& col, size_t r) {
    if (!col.validity()[r]) {
      buffer_.append("null");
      return;
    }
    switch (col.type().id) {
      case TypeId::kString:
        append_json_string(&buffer_, col.string_at(r));
        return;
      case TypeId::kBinary:
        buffer_.push_back('"');
        append_base64(&buffer_, col.string_at(r));
        buffer_.push_back('"');
        return;
      case TypeId::kDate:
      case TypeId::kTimestamp:
        buffer_.push_back('"');
        append_plain_value(&buffer_, col, r);
        buffer_.push_back('"');
        return;
      case TypeId::kFloat:
      case TypeId::kDouble: {
        double v = col.type().id == TypeId::kFloat ? col.value<float>(r) : col.value<double>(r);
        if (!std::isfinite(v)) {
          buffer_.push_back('"');
          append_double(&buffer_, v);
          buffer_.push_back('"');
          return;
        }
        append_plain_value(&buffer_, col, r);
        return;
      }
      default:
        append_plain_value(&buffer_, col, r);
    }
  }

  bool as_array_;
  std::vector<std::string> keys_;
  int64_t rows_written_ = 0;
};

}  // namespace

std::unique_ptr<FormatWriter> make_csv_writer(const Schema& schema,
                                              std::unique_ptr<OutputStream> out) {
  return std::make_unique<CsvWriter>(schema, std::move(out));
}

std::unique_ptr<FormatWriter> make_json_writer(const Schema& schema,
                                               std::unique_ptr<OutputStream> out, bool as_array) {
  return std::make_unique<JsonWriter>(schema, std::move(out), as_array);
}

}  // namespace scout
