// Decodes the Thrift compact structs of a Parquet file's metadata (footer, page headers, page
// index) into the structs of metadata.h. It trusts nothing it reads: every failure is a
// Status::Corruption whose message names the struct, the path of the field and the byte offset,
// never a crash. Only what metadata.h models is kept; fields the format added since are skipped.
#pragma once

#include <cstddef>
#include <string_view>

#include "parquet/metadata.h"
#include "scout/status.h"

namespace scout::parquet {

// Each parser reads one Thrift compact struct from the start of `bytes` and checks that the
// fields parquet.thrift marks required were present. `consumed`, when given, receives the
// struct's length: a page header is followed by its page, a footer may carry a signature.
// `base_offset` is where `bytes` start in the file, so that messages give file offsets.
Result<format::FileMetaData> parse_file_metadata(std::string_view bytes,
                                                 size_t* consumed = nullptr,
                                                 size_t base_offset = 0);
Result<format::PageHeader> parse_page_header(std::string_view bytes, size_t* consumed = nullptr,
                                             size_t base_offset = 0);
Result<format::ColumnIndex> parse_column_index(std::string_view bytes, size_t* consumed = nullptr,
                                               size_t base_offset = 0);
Result<format::OffsetIndex> parse_offset_index(std::string_view bytes, size_t* consumed = nullptr,
                                               size_t base_offset = 0);

}  // namespace scout::parquet
