// `scout-export inspect` reads files from anywhere: the input is a whole file, read by the
// footer reader from memory, then every value inspect renders from it (logical types, chunk
// statistics, page index bounds) is formatted. The input is also given to each single-struct
// parser, as if it were a page header or an index found at some offset. Every failure must be
// a Status, never a crash.
#include <cstdint>
#include <string>

#include "fuzz_input.h"
#include "inspect/metadata_text.h"
#include "parquet/footer_reader.h"
#include "parquet/metadata_decoder.h"

namespace {

using scout::parquet::ParquetFileInfo;
namespace format = scout::parquet::format;

void format_statistics(const format::SchemaElement& leaf, const format::Statistics& s) {
  for (const auto* value : {&s.min, &s.max, &s.min_value, &s.max_value}) {
    if (*value) (void)scout::inspect::format_statistic_value(leaf, **value);
  }
}

// What inspect renders of a file the reader accepted.
void render(const ParquetFileInfo& info) {
  const auto& schema = info.metadata.schema;
  if (info.schema_depth.size() != schema.size()) __builtin_trap();
  for (const auto& e : schema) {
    if (e.logical_type) (void)scout::inspect::describe_logical_type(*e.logical_type);
  }
  if (info.page_index.size() != info.metadata.row_groups.size()) __builtin_trap();
  for (size_t g = 0; g < info.metadata.row_groups.size(); ++g) {
    const auto& columns = info.metadata.row_groups[g].columns;
    if (columns.size() != info.leaf_columns.size() || info.page_index[g].size() != columns.size()) {
      __builtin_trap();
    }
    for (size_t c = 0; c < columns.size(); ++c) {
      const format::SchemaElement& leaf = schema.at(info.leaf_columns[c]);
      if (columns[c].meta_data && columns[c].meta_data->statistics) {
        format_statistics(leaf, *columns[c].meta_data->statistics);
      }
      const auto& index = info.page_index[g][c];
      (void)index.page_count();
      if (index.column_index) {
        for (const auto& v : index.column_index->min_values) (void)scout::inspect::format_statistic_value(leaf, v);
        for (const auto& v : index.column_index->max_values) (void)scout::inspect::format_statistic_value(leaf, v);
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = scout::fuzz::as_text(data, size);
  auto info = scout::parquet::read_parquet_footer_from_memory(bytes);
  if (info.ok()) render(*info);

  size_t consumed = 0;
  auto check_consumed = [&](bool ok) {
    if (ok && consumed > size) __builtin_trap();
  };
  check_consumed(scout::parquet::parse_file_metadata(bytes, &consumed).ok());
  auto header = scout::parquet::parse_page_header(bytes, &consumed);
  check_consumed(header.ok());
  if (header.ok() && header->data_page_header && header->data_page_header->statistics) {
    format::SchemaElement any_column;  // a page header does not say its column's type
    any_column.type = format::Type::BYTE_ARRAY;
    format_statistics(any_column, *header->data_page_header->statistics);
  }
  check_consumed(scout::parquet::parse_column_index(bytes, &consumed).ok());
  check_consumed(scout::parquet::parse_offset_index(bytes, &consumed).ok());
  return 0;
}
