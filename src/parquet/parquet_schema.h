// How our API types become Parquet schema elements: physical type, logical type, and the
// legacy converted type that older readers (Spark 2/3, older pandas) still rely on.
#pragma once

#include <vector>

#include "parquet/metadata.h"
#include "scout/column_batch.h"

namespace scout::parquet {

format::Type physical_type_of(const DataType& type);
// Bytes of a FIXED_LEN_BYTE_ARRAY decimal: the fewest that hold every value of `precision`
// digits in two's complement.
int decimal_byte_width(int precision);
format::SchemaElement schema_element_for(const Field& field);
// The flattened schema: a root element, then one leaf per field.
std::vector<format::SchemaElement> parquet_schema_for(const Schema& schema);

}  // namespace scout::parquet
