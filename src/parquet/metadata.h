// The subset of parquet.thrift that Scout writes and reads back, as plain structs.
// Field ids and enum values are the format's (apache/parquet-format, parquet.thrift); the
// writer serializes these with thrift_compact, the footer reader parses into them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace scout::parquet::format {

enum class Type : int32_t {
  BOOLEAN = 0, INT32 = 1, INT64 = 2, INT96 = 3, FLOAT = 4, DOUBLE = 5, BYTE_ARRAY = 6,
  FIXED_LEN_BYTE_ARRAY = 7,
};

enum class ConvertedType : int32_t {
  UTF8 = 0, MAP = 1, MAP_KEY_VALUE = 2, LIST = 3, ENUM = 4, DECIMAL = 5, DATE = 6,
  TIME_MILLIS = 7, TIME_MICROS = 8, TIMESTAMP_MILLIS = 9, TIMESTAMP_MICROS = 10, UINT_8 = 11,
  UINT_16 = 12, UINT_32 = 13, UINT_64 = 14, INT_8 = 15, INT_16 = 16, INT_32 = 17, INT_64 = 18,
  JSON = 19, BSON = 20, INTERVAL = 21,
};

enum class FieldRepetitionType : int32_t { REQUIRED = 0, OPTIONAL = 1, REPEATED = 2 };

enum class Encoding : int32_t {
  PLAIN = 0, PLAIN_DICTIONARY = 2, RLE = 3, BIT_PACKED = 4, DELTA_BINARY_PACKED = 5,
  DELTA_LENGTH_BYTE_ARRAY = 6, DELTA_BYTE_ARRAY = 7, RLE_DICTIONARY = 8, BYTE_STREAM_SPLIT = 9,
};

enum class CompressionCodec : int32_t {
  UNCOMPRESSED = 0, SNAPPY = 1, GZIP = 2, LZO = 3, BROTLI = 4, LZ4 = 5, ZSTD = 6, LZ4_RAW = 7,
};

enum class PageType : int32_t {
  DATA_PAGE = 0, INDEX_PAGE = 1, DICTIONARY_PAGE = 2, DATA_PAGE_V2 = 3,
};

enum class BoundaryOrder : int32_t { UNORDERED = 0, ASCENDING = 1, DESCENDING = 2 };

enum class TimeUnit : int32_t { MILLIS = 1, MICROS = 2, NANOS = 3 };  // union field ids

// LogicalType is a thrift union: exactly one member is set. Field ids from parquet.thrift:
// STRING 1, DATE 6, TIMESTAMP 8, INTEGER 10, DECIMAL 5.
struct LogicalType {
  enum class Kind { kNone, kString, kDate, kTimestamp, kInteger, kDecimal, kOther };
  Kind kind = Kind::kNone;
  // kTimestamp
  bool is_adjusted_to_utc = false;
  TimeUnit unit = TimeUnit::MICROS;
  // kInteger
  int8_t bit_width = 0;
  bool is_signed = true;
  // kDecimal
  int32_t scale = 0;
  int32_t precision = 0;
  // kOther: the union's field id as read
  int16_t other_field_id = 0;
};

struct SchemaElement {
  std::optional<Type> type;                 // 1
  std::optional<int32_t> type_length;       // 2
  std::optional<FieldRepetitionType> repetition_type;  // 3
  std::string name;                         // 4 (required)
  std::optional<int32_t> num_children;      // 5
  std::optional<ConvertedType> converted_type;  // 6
  std::optional<int32_t> scale;             // 7
  std::optional<int32_t> precision;         // 8
  std::optional<int32_t> field_id;          // 9
  std::optional<LogicalType> logical_type;  // 10
};

struct Statistics {
  std::optional<std::string> max;        // 1 (deprecated, signed order; we do not write it)
  std::optional<std::string> min;        // 2 (deprecated)
  std::optional<int64_t> null_count;     // 3
  std::optional<int64_t> distinct_count; // 4
  std::optional<std::string> max_value;  // 5
  std::optional<std::string> min_value;  // 6
};

struct KeyValue {
  std::string key;                   // 1
  std::optional<std::string> value;  // 2
};

struct ColumnMetaData {
  Type type = Type::INT32;                 // 1
  std::vector<Encoding> encodings;         // 2
  std::vector<std::string> path_in_schema; // 3
  CompressionCodec codec = CompressionCodec::UNCOMPRESSED;  // 4
  int64_t num_values = 0;                  // 5
  int64_t total_uncompressed_size = 0;     // 6
  int64_t total_compressed_size = 0;       // 7
  std::vector<KeyValue> key_value_metadata;  // 8
  int64_t data_page_offset = 0;            // 9
  std::optional<int64_t> index_page_offset;       // 10
  std::optional<int64_t> dictionary_page_offset;  // 11
  std::optional<Statistics> statistics;           // 12
};

struct ColumnChunk {
  std::optional<std::string> file_path;  // 1
  int64_t file_offset = 0;               // 2 (required)
  std::optional<ColumnMetaData> meta_data;  // 3
  std::optional<int64_t> offset_index_offset;  // 4
  std::optional<int32_t> offset_index_length;  // 5
  std::optional<int64_t> column_index_offset;  // 6
  std::optional<int32_t> column_index_length;  // 7
};

struct RowGroup {
  std::vector<ColumnChunk> columns;      // 1
  int64_t total_byte_size = 0;           // 2
  int64_t num_rows = 0;                  // 3
  std::optional<int64_t> file_offset;    // 5
  std::optional<int64_t> total_compressed_size;  // 6
  std::optional<int16_t> ordinal;        // 7
};

struct FileMetaData {
  int32_t version = 1;                       // 1
  std::vector<SchemaElement> schema;         // 2
  int64_t num_rows = 0;                      // 3
  std::vector<RowGroup> row_groups;          // 4
  std::vector<KeyValue> key_value_metadata;  // 5
  std::optional<std::string> created_by;     // 6
  // 7: column_orders, one TypeDefinedOrder per leaf; true when present for every leaf.
  bool column_orders_type_defined = false;
};

struct DataPageHeader {
  int32_t num_values = 0;  // 1
  Encoding encoding = Encoding::PLAIN;  // 2
  Encoding definition_level_encoding = Encoding::RLE;  // 3
  Encoding repetition_level_encoding = Encoding::RLE;  // 4
  std::optional<Statistics> statistics;  // 5
};

struct DictionaryPageHeader {
  int32_t num_values = 0;  // 1
  Encoding encoding = Encoding::PLAIN;  // 2
  std::optional<bool> is_sorted;  // 3
};

struct PageHeader {
  PageType type = PageType::DATA_PAGE;  // 1
  int32_t uncompressed_page_size = 0;   // 2
  int32_t compressed_page_size = 0;     // 3
  std::optional<int32_t> crc;           // 4
  std::optional<DataPageHeader> data_page_header;  // 5
  std::optional<DictionaryPageHeader> dictionary_page_header;  // 7
};

struct PageLocation {
  int64_t offset = 0;                // 1
  int32_t compressed_page_size = 0;  // 2 (header included)
  int64_t first_row_index = 0;       // 3
};

struct OffsetIndex {
  std::vector<PageLocation> page_locations;  // 1
};

struct ColumnIndex {
  std::vector<bool> null_pages;          // 1
  std::vector<std::string> min_values;   // 2
  std::vector<std::string> max_values;   // 3
  BoundaryOrder boundary_order = BoundaryOrder::UNORDERED;  // 4
  std::vector<int64_t> null_counts;      // 5 (optional in the format; we always write it)
};

const char* to_string(Type t);
const char* to_string(Encoding e);
const char* to_string(CompressionCodec c);
const char* to_string(ConvertedType c);
const char* to_string(FieldRepetitionType r);
const char* to_string(BoundaryOrder b);
// Members of the LogicalType and TimeUnit unions, by field id; nullptr for ids the format does
// not define (yet).
const char* logical_type_member_name(int field_id);
const char* time_unit_name(int field_id);

}  // namespace scout::parquet::format
