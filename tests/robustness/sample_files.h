// Parquet files built byte by byte with ThriftCompactWriter, independent of our file writer and
// of metadata_writer, for the robustness test to start its mutations from. The rich file
// reaches every struct the footer reader models: a nested schema, all logical types Scout
// writes, two row groups, page headers, statistics, the page index, and fields a newer writer
// would add (which the reader must skip).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace scout::robustness {

// A schema and no row groups: the smallest valid file.
std::string zero_row_file();

// Six leaf columns (one inside a group) in two row groups of 500 rows, every chunk with a
// dictionary page, two data pages, statistics, a ColumnIndex and an OffsetIndex.
std::string rich_file();

// PAR1, `body`, `footer`, the footer's length, PAR1. The body starts at byte 4.
std::string frame(std::string_view body, std::string_view footer);

// Little-endian bytes of v, `width` of them.
std::string little_endian(uint64_t v, int width);

}  // namespace scout::robustness
