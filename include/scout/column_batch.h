// The pipeline's one central data type: a batch of rows held column by column.
// Sources fill batches, validators check them, writers (Parquet, CSV, JSON) consume them.
// Values sit in Parquet's physical layout so the Parquet writer reads them without conversion.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scout/status.h"

namespace scout {

// The API's type names (datasets.md): boolean, int16, int32, int64, float, double,
// decimal(p,s), string, date, timestamp, binary.
enum class TypeId : uint8_t {
  kBoolean,
  kInt16,
  kInt32,
  kInt64,
  kFloat,
  kDouble,
  kDecimal,
  kString,
  kDate,       // days since 1970-01-01, int32
  kTimestamp,  // microseconds since 1970-01-01T00:00:00Z, int64
  kBinary,
};

struct DataType {
  TypeId id = TypeId::kInt32;
  int precision = 0;  // decimal only: 1..38
  int scale = 0;      // decimal only: 0..precision

  static DataType of(TypeId id) { return DataType{id, 0, 0}; }
  static DataType decimal(int precision, int scale) {
    return DataType{TypeId::kDecimal, precision, scale};
  }
  // "decimal(14,2)", "int32", ...: the names the API reports in `schema` objects.
  std::string name() const;
  static Result<DataType> parse(std::string_view name);

  // Bytes per value in a ColumnVector; 0 for the variable-length types (string, binary).
  // int16 is held widened to int32 (Parquet's INT32); decimals as their unscaled integer:
  // int64 up to precision 18, __int128 above.
  int storage_width() const;
  bool is_variable_length() const { return id == TypeId::kString || id == TypeId::kBinary; }

  friend bool operator==(const DataType&, const DataType&) = default;
};

struct Field {
  std::string name;
  DataType type;
  bool nullable = true;
};

struct Schema {
  std::vector<Field> fields;

  int index_of(std::string_view name) const;  // -1 when absent
  size_t size() const { return fields.size(); }
  const Field& operator[](size_t i) const { return fields[i]; }
};

// One column of a batch. Fixed-width values are contiguous (`values<T>()`); strings and
// binaries are Arrow-style offsets (size()+1 entries) into one character buffer. Every row has
// a validity byte (1 = value, 0 = NULL); a NULL row's value slot holds zero bytes.
class ColumnVector {
 public:
  explicit ColumnVector(DataType type) : type_(type), width_(type.storage_width()) {
    offsets_.push_back(0);
  }

  const DataType& type() const { return type_; }
  size_t size() const { return size_; }
  int64_t null_count() const { return null_count_; }
  const uint8_t* validity() const { return validity_.data(); }

  template <typename T>
  const T* values() const {
    return reinterpret_cast<const T*>(fixed_.data());
  }
  template <typename T>
  T value(size_t row) const {
    T v;
    std::memcpy(&v, fixed_.data() + row * sizeof(T), sizeof(T));
    return v;
  }
  std::string_view string_at(size_t row) const {
    return std::string_view(chars_.data() + offsets_[row], offsets_[row + 1] - offsets_[row]);
  }
  const uint32_t* offsets() const { return offsets_.data(); }
  const char* chars() const { return chars_.data(); }
  size_t chars_size() const { return chars_.size(); }

  void reserve(size_t rows);
  void clear();

  void append_null();
  void append_bool(bool v) { append_fixed(static_cast<uint8_t>(v ? 1 : 0)); }
  void append_int32(int32_t v) { append_fixed(v); }  // int16, int32, date
  void append_int64(int64_t v) { append_fixed(v); }  // int64, timestamp, decimal(p<=18)
  void append_int128(__int128 v) { append_fixed(v); }  // decimal(p>18)
  void append_float(float v) { append_fixed(v); }
  void append_double(double v) { append_fixed(v); }
  void append_bytes(std::string_view v);  // string, binary

  // Copies rows [begin, end) of `other` (same type) onto the end of this column.
  void append_range(const ColumnVector& other, size_t begin, size_t end);
  // Copies the listed rows of `other` (same type), in order, onto the end of this column.
  void append_rows(const ColumnVector& other, const uint32_t* rows, size_t count);

 private:
  template <typename T>
  void append_fixed(T v) {
    size_t at = fixed_.size();
    fixed_.resize(at + sizeof(T));
    std::memcpy(fixed_.data() + at, &v, sizeof(T));
    validity_.push_back(1);
    if (width_ == 0) offsets_.push_back(static_cast<uint32_t>(chars_.size()));
    ++size_;
  }

  DataType type_;
  int width_;
  size_t size_ = 0;
  int64_t null_count_ = 0;
  std::vector<uint8_t> validity_;
  std::vector<uint8_t> fixed_;
  std::vector<uint32_t> offsets_;
  std::string chars_;
};

// Rows held column by column, all columns the same length, typed by a Schema.
class ColumnBatch {
 public:
  explicit ColumnBatch(const Schema& schema);

  size_t num_rows() const { return columns_.empty() ? 0 : columns_[0].size(); }
  size_t num_columns() const { return columns_.size(); }
  ColumnVector& column(size_t i) { return columns_[i]; }
  const ColumnVector& column(size_t i) const { return columns_[i]; }
  void reserve(size_t rows);
  void clear();

 private:
  std::vector<ColumnVector> columns_;
};

// Calendar helpers shared by sources and writers (proleptic Gregorian, UTC).
int32_t days_from_civil(int year, unsigned month, unsigned day);
void civil_from_days(int32_t days, int* year, unsigned* month, unsigned* day);
// Parses YYYY-MM-DD strictly (real calendar date); nullopt otherwise.
std::optional<int32_t> parse_date(std::string_view text);
// Parses 'YYYY-MM-DD[T ]HH:MM:SS[.f{1,6}][Z|+00:00|+00]' (UTC) strictly; nullopt otherwise.
std::optional<int64_t> parse_timestamp_micros(std::string_view text);
// Parses a plain decimal ("-1234.5") into its unscaled value at `scale`; nullopt when it is not
// a decimal, has more fraction digits than `scale`, or needs more than `precision` digits.
std::optional<__int128> parse_decimal(std::string_view text, int precision, int scale);
std::string format_date(int32_t days);                 // YYYY-MM-DD
std::string format_timestamp_micros(int64_t micros);   // YYYY-MM-DDTHH:MM:SS.ffffffZ
// The same without allocating: write into `buf` (at least 40 bytes), return the length.
size_t write_date(char* buf, int32_t days);
size_t write_timestamp_micros(char* buf, int64_t micros);

}  // namespace scout
