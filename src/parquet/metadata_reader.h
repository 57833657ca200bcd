// Reads back the metadata of a Parquet file (footer, page index, page headers) into the structs
// of metadata.h, for `scout-export inspect` and for round-trip tests. It trusts nothing it
// reads: every failure is a Status (Corruption for bad bytes) whose message names the struct,
// the field and the byte offset, never a crash. Only what metadata.h models is kept; fields
// the format added since are skipped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parquet/metadata.h"
#include "scout/status.h"

namespace scout::parquet {

// Each parser reads one Thrift compact struct from the start of `bytes` and checks that the
// fields parquet.thrift marks required were present. `consumed`, when given, receives the
// struct's length: a page header is followed by its page, a footer may carry a signature.
Result<format::FileMetaData> parse_file_metadata(std::string_view bytes,
                                                 size_t* consumed = nullptr);
Result<format::PageHeader> parse_page_header(std::string_view bytes, size_t* consumed = nullptr);
Result<format::ColumnIndex> parse_column_index(std::string_view bytes, size_t* consumed = nullptr);
Result<format::OffsetIndex> parse_offset_index(std::string_view bytes, size_t* consumed = nullptr);

// The page index of one column chunk, each part present when the chunk points at one.
struct ColumnPageIndex {
  std::optional<format::ColumnIndex> column_index;
  std::optional<format::OffsetIndex> offset_index;
  // Pages the index describes (both parts agree when both are present).
  size_t page_count() const;
};

// A file's footer, checked for consistency, with its page index.
struct ParquetFileInfo {
  int64_t file_size = 0;
  uint32_t footer_length = 0;
  format::FileMetaData metadata;
  // Depth of each schema element (root 0) and the schema index of each leaf column, in the
  // order of every row group's column chunks. Every row group has exactly leaf_columns.size()
  // chunks, so metadata.schema[leaf_columns[c]] is the element of chunk c.
  std::vector<int> schema_depth;
  std::vector<size_t> leaf_columns;
  // page_index[row_group][column], shaped like metadata.row_groups.
  std::vector<std::vector<ColumnPageIndex>> page_index;
};

// Footers larger than this are refused before they are read: parsing may take several times
// the footer's size in memory.
inline constexpr uint32_t kMaxFooterLength = 128u << 20;

// Reads the file at `path`: PAR1 at both ends, a footer length that fits the file, the
// footer, a schema tree that holds together, one chunk per leaf column in every row group,
// and every ColumnIndex/OffsetIndex a chunk points at. Messages do not repeat the path:
// callers prefix it. NotFound or IOError when the file cannot be read, Corruption otherwise.
Result<ParquetFileInfo> read_parquet_footer(const std::string& path);
// The same over a whole file held in memory.
Result<ParquetFileInfo> read_parquet_footer_from_memory(std::string_view file);

// Renders a PLAIN-encoded statistics value (min_value, max_value, ColumnIndex bounds; byte
// arrays without their length prefix) by the column's type: integers in decimal (unsigned
// when annotated so), DATE as YYYY-MM-DD, TIMESTAMP as ISO 8601 UTC, decimals with their
// scale, floats, strings as text, other bytes as hex. A value whose width does not fit its
// type is shown as "invalid(...)"; strings and hex longer than `max_bytes` are cut with "...".
std::string format_statistic_value(const format::SchemaElement& column, std::string_view value,
                                   size_t max_bytes = 64);

// "String", "Decimal(14,2)", "Timestamp(isAdjustedToUTC=true, unit=MICROS)", "Int(16,signed)".
std::string describe_logical_type(const format::LogicalType& type);

}  // namespace scout::parquet
