#include "inspect/metadata_text.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <limits>
#include <optional>
#include <type_traits>

#include "common/decimal_text.h"
#include "common/hex.h"
#include "parquet/bit_util.h"  // load_little_endian
#include "scout/column_batch.h"  // format_date, format_timestamp_micros

namespace scout::inspect {
namespace {

using namespace parquet::format;
using parquet::load_little_endian;

// "0x" and the first max_bytes bytes in hex, "..." when there were more.
std::string hex(std::string_view bytes, size_t max_bytes) {
  const size_t shown = std::min(bytes.size(), max_bytes);
  return "0x" + to_hex(bytes.data(), shown) + (bytes.size() > max_bytes ? "..." : "");
}

// Text cut to max_bytes without splitting a UTF-8 sequence.
std::string text(std::string_view bytes, size_t max_bytes) {
  if (bytes.size() <= max_bytes) return std::string(bytes);
  size_t cut = max_bytes;
  for (int back = 0; back < 3 && cut > 0 && (static_cast<unsigned char>(bytes[cut]) & 0xC0) == 0x80;
       ++back) {
    --cut;
  }
  return std::string(bytes.substr(0, cut)) + "...";
}

template <typename T>
std::string number(T v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  return ec == std::errc() ? std::string(buf, end) : std::string("?");
}

std::string decimal_string(__int128 unscaled, int32_t scale) {
  std::string out;
  append_decimal(&out, unscaled, scale);
  return out;
}

// Big-endian two's complement (Parquet's DECIMAL in byte arrays), 1 to 16 bytes.
__int128 load_be_signed(std::string_view bytes) {
  unsigned __int128 v =
      (static_cast<unsigned char>(bytes[0]) & 0x80) ? ~static_cast<unsigned __int128>(0) : 0;
  for (char c : bytes) v = (v << 8) | static_cast<unsigned char>(c);
  return static_cast<__int128>(v);
}

std::string format_timestamp(int64_t v, TimeUnit unit, bool utc) {
  std::string out;
  if (unit == TimeUnit::MICROS) {
    out = format_timestamp_micros(v);
  } else if (unit == TimeUnit::MILLIS) {
    if (v > std::numeric_limits<int64_t>::max() / 1000 ||
        v < std::numeric_limits<int64_t>::min() / 1000) {
      return number(v) + " ms (out of range)";
    }
    out = format_timestamp_micros(v * 1000);
  } else if (unit == TimeUnit::NANOS) {
    int64_t micros = v / 1000;
    int64_t nanos = v % 1000;
    if (nanos < 0) {
      nanos += 1000;
      --micros;
    }
    out = format_timestamp_micros(micros);
    std::string extra = std::to_string(nanos);
    out.insert(out.size() - 1, std::string(3 - extra.size(), '0') + extra);
  } else {
    return number(v);
  }
  if (!utc) out.pop_back();  // local time: no 'Z'
  return out;
}

struct ValueKind {
  bool is_date = false;
  bool is_decimal = false;
  bool is_unsigned = false;
  bool is_string = false;
  bool is_uuid = false;
  std::optional<TimeUnit> timestamp_unit;
  bool timestamp_utc = true;
  int32_t scale = 0;
};

ValueKind value_kind(const SchemaElement& column) {
  ValueKind k;
  if (column.logical_type) {
    const LogicalType& t = *column.logical_type;
    using K = LogicalType::Kind;
    k.is_date = t.kind == K::kDate;
    k.is_decimal = t.kind == K::kDecimal;
    k.is_unsigned = t.kind == K::kInteger && !t.is_signed;
    k.is_string = t.kind == K::kString ||
                  (t.kind == K::kOther && (t.other_field_id == 4 || t.other_field_id == 12));
    k.is_uuid = t.kind == K::kOther && t.other_field_id == 14;
    if (t.kind == K::kTimestamp) {
      k.timestamp_unit = t.unit;
      k.timestamp_utc = t.is_adjusted_to_utc;
    }
    if (k.is_decimal) k.scale = t.scale;
  }
  if (column.converted_type) {
    switch (*column.converted_type) {
      case ConvertedType::DATE:
        k.is_date = true;
        break;
      case ConvertedType::DECIMAL:
        k.is_decimal = true;
        break;
      case ConvertedType::UTF8:
      case ConvertedType::ENUM:
      case ConvertedType::JSON:
        k.is_string = true;
        break;
      case ConvertedType::UINT_8:
      case ConvertedType::UINT_16:
      case ConvertedType::UINT_32:
      case ConvertedType::UINT_64:
        k.is_unsigned = true;
        break;
      case ConvertedType::TIMESTAMP_MILLIS:
        if (!k.timestamp_unit) k.timestamp_unit = TimeUnit::MILLIS;
        break;
      case ConvertedType::TIMESTAMP_MICROS:
        if (!k.timestamp_unit) k.timestamp_unit = TimeUnit::MICROS;
        break;
      default:
        break;
    }
  }
  if (k.is_decimal &&
      !(column.logical_type && column.logical_type->kind == LogicalType::Kind::kDecimal)) {
    k.scale = column.scale.value_or(0);
  }
  return k;
}

std::string uuid_string(std::string_view sixteen_bytes) {
  unsigned char bytes[16];
  std::memcpy(bytes, sixteen_bytes.data(), sizeof bytes);
  return uuid_text(bytes);
}

}  // namespace

std::string format_statistic_value(const SchemaElement& column, std::string_view value,
                                   size_t max_bytes) {
  if (!column.type) return hex(value, max_bytes);
  const ValueKind k = value_kind(column);
  auto invalid = [&] {
    return "invalid(" + std::to_string(value.size()) + " bytes for " + to_string(*column.type) +
           ": " + hex(value, max_bytes) + ")";
  };
  switch (*column.type) {
    case Type::BOOLEAN:
      if (value.size() != 1 || static_cast<unsigned char>(value[0]) > 1) return invalid();
      return value[0] ? "true" : "false";
    case Type::INT32: {
      if (value.size() != 4) return invalid();
      const auto v = load_little_endian<int32_t>(value.data());
      if (k.is_date) return format_date(v);
      if (k.is_decimal) return decimal_string(v, k.scale);
      if (k.is_unsigned) return number(static_cast<uint32_t>(v));
      return number(v);
    }
    case Type::INT64: {
      if (value.size() != 8) return invalid();
      const auto v = load_little_endian<int64_t>(value.data());
      if (k.timestamp_unit) return format_timestamp(v, *k.timestamp_unit, k.timestamp_utc);
      if (k.is_decimal) return decimal_string(v, k.scale);
      if (k.is_unsigned) return number(static_cast<uint64_t>(v));
      return number(v);
    }
    case Type::FLOAT:
      if (value.size() != 4) return invalid();
      return number(std::bit_cast<float>(load_little_endian<uint32_t>(value.data())));
    case Type::DOUBLE:
      if (value.size() != 8) return invalid();
      return number(std::bit_cast<double>(load_little_endian<uint64_t>(value.data())));
    case Type::BYTE_ARRAY:
    case Type::FIXED_LEN_BYTE_ARRAY:
      if (k.is_decimal) {
        if (value.empty() || value.size() > 16) return invalid();
        return decimal_string(load_be_signed(value), k.scale);
      }
      if (k.is_string) return text(value, max_bytes);
      if (k.is_uuid && value.size() == 16) return uuid_string(value);
      return hex(value, max_bytes);
    case Type::INT96:
      break;
  }
  return hex(value, max_bytes);
}

std::string describe_logical_type(const LogicalType& t) {
  using K = LogicalType::Kind;
  switch (t.kind) {
    case K::kNone:
      return "";
    case K::kString:
      return "String";
    case K::kDate:
      return "Date";
    case K::kDecimal:
      return "Decimal(" + std::to_string(t.precision) + "," + std::to_string(t.scale) + ")";
    case K::kTimestamp: {
      const char* unit = time_unit_name(static_cast<int>(t.unit));
      return std::string("Timestamp(isAdjustedToUTC=") + (t.is_adjusted_to_utc ? "true" : "false") +
             ", unit=" + (unit ? unit : "?" + std::to_string(static_cast<int>(t.unit))) + ")";
    }
    case K::kInteger:
      return "Int(" + std::to_string(t.bit_width) + "," + (t.is_signed ? "signed" : "unsigned") +
             ")";
    case K::kOther: {
      const char* name = logical_type_member_name(t.other_field_id);
      return name ? name : "LogicalType member " + std::to_string(t.other_field_id);
    }
  }
  return "";
}

}  // namespace scout::inspect
