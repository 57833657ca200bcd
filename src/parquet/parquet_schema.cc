#include "parquet/parquet_schema.h"

#include <cmath>

namespace scout::parquet {

using format::ConvertedType;
using format::LogicalType;
using format::Type;

format::Type physical_type_of(const DataType& type) {
  switch (type.id) {
    case TypeId::kBoolean: return Type::BOOLEAN;
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kDate: return Type::INT32;
    case TypeId::kInt64:
    case TypeId::kTimestamp: return Type::INT64;
    case TypeId::kFloat: return Type::FLOAT;
    case TypeId::kDouble: return Type::DOUBLE;
    case TypeId::kDecimal:
      // parquet.thrift: INT32 for precision <= 9, INT64 for <= 18.
      if (type.precision <= 9) return Type::INT32;
      if (type.precision <= 18) return Type::INT64;
      return Type::FIXED_LEN_BYTE_ARRAY;
    case TypeId::kString:
    case TypeId::kBinary: return Type::BYTE_ARRAY;
  }
  return Type::BYTE_ARRAY;
}

int decimal_byte_width(int precision) {
  // Largest magnitude is 10^p - 1; n bytes hold up to 2^(8n-1) - 1.
  for (int n = 1; n <= 16; ++n) {
    if (std::log10(std::ldexp(1.0, 8 * n - 1)) > precision) return n;
  }
  return 16;
}

namespace {

LogicalType integer_type(int bits) {
  LogicalType t;
  t.kind = LogicalType::Kind::kInteger;
  t.bit_width = static_cast<int8_t>(bits);
  t.is_signed = true;
  return t;
}

}  // namespace

format::SchemaElement schema_element_for(const Field& field) {
  format::SchemaElement e;
  e.name = field.name;
  e.type = physical_type_of(field.type);
  e.repetition_type = field.nullable ? format::FieldRepetitionType::OPTIONAL
                                     : format::FieldRepetitionType::REQUIRED;
  LogicalType logical;
  switch (field.type.id) {
    case TypeId::kInt16:
      logical = integer_type(16);
      e.converted_type = ConvertedType::INT_16;
      break;
    case TypeId::kInt32:
      logical = integer_type(32);
      e.converted_type = ConvertedType::INT_32;
      break;
    case TypeId::kInt64:
      logical = integer_type(64);
      e.converted_type = ConvertedType::INT_64;
      break;
    case TypeId::kDecimal:
      logical.kind = LogicalType::Kind::kDecimal;
      logical.precision = field.type.precision;
      logical.scale = field.type.scale;
      e.converted_type = ConvertedType::DECIMAL;
      e.precision = field.type.precision;
      e.scale = field.type.scale;
      if (*e.type == Type::FIXED_LEN_BYTE_ARRAY) e.type_length = decimal_byte_width(field.type.precision);
      break;
    case TypeId::kString:
      logical.kind = LogicalType::Kind::kString;
      e.converted_type = ConvertedType::UTF8;
      break;
    case TypeId::kDate:
      logical.kind = LogicalType::Kind::kDate;
      e.converted_type = ConvertedType::DATE;
      break;
    case TypeId::kTimestamp:
      logical.kind = LogicalType::Kind::kTimestamp;
      logical.is_adjusted_to_utc = true;
      logical.unit = format::TimeUnit::MICROS;
      e.converted_type = ConvertedType::TIMESTAMP_MICROS;
      break;
    case TypeId::kBoolean:
    case TypeId::kFloat:
    case TypeId::kDouble:
    case TypeId::kBinary:
      break;
  }
  if (logical.kind != LogicalType::Kind::kNone) e.logical_type = logical;
  return e;
}

std::vector<format::SchemaElement> parquet_schema_for(const Schema& schema) {
  std::vector<format::SchemaElement> out;
  format::SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(schema.size());
  out.push_back(root);
  for (const Field& f : schema.fields) out.push_back(schema_element_for(f));
  return out;
}

}  // namespace scout::parquet
