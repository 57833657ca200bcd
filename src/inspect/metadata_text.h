// Parquet metadata as text for people, for `scout-export inspect`: statistics values decoded
// by their column's type, and logical types by name. Only display: nothing here is parsed back.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "parquet/metadata.h"

namespace scout::inspect {

// Renders a PLAIN-encoded statistics value (min_value, max_value, ColumnIndex bounds; byte
// arrays without their length prefix) by the column's type: integers in decimal (unsigned
// when annotated so), DATE as YYYY-MM-DD, TIMESTAMP as ISO 8601 UTC, decimals with their
// scale, floats, strings as text, other bytes as hex. A value whose width does not fit its
// type is shown as "invalid(...)"; strings and hex longer than `max_bytes` are cut with "...".
std::string format_statistic_value(const parquet::format::SchemaElement& column, std::string_view value,
                                   size_t max_bytes = 64);

// "String", "Decimal(14,2)", "Timestamp(isAdjustedToUTC=true, unit=MICROS)", "Int(16,signed)".
std::string describe_logical_type(const parquet::format::LogicalType& type);

}  // namespace scout::inspect
