// Serializes the footer structs of metadata.h with the Thrift compact protocol.
#pragma once

#include <string>

#include "parquet/metadata.h"

namespace scout::parquet {

void serialize(const format::FileMetaData& meta, std::string* out);
void serialize(const format::PageHeader& header, std::string* out);
void serialize(const format::ColumnIndex& index, std::string* out);
void serialize(const format::OffsetIndex& index, std::string* out);

}  // namespace scout::parquet
