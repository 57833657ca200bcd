// Reads the metadata of a Parquet file for `scout-export inspect` and for round-trip tests: the
// framing, the footer, and the page index every column chunk points at, checked for consistency
// (a schema tree that holds together, one chunk per leaf column, index regions inside the file).
// It trusts nothing it reads: every failure is a Status, never a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parquet/metadata.h"
#include "scout/status.h"

namespace scout::parquet {

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

}  // namespace scout::parquet
