#include "parquet/thrift_compact_reader.h"

#include <bit>
#include <cstring>
#include <limits>

namespace scout::parquet {
namespace {

constexpr uint8_t kUuid = 13;  // compact type of a 16-byte UUID; skipped, never read

bool is_value_type(uint8_t t) { return t >= 1 && t <= kUuid; }

// The fewest bytes one value of a type takes on the wire: what bounds a container's size.
size_t min_encoded_size(uint8_t t) {
  switch (t) {
    case static_cast<uint8_t>(ThriftType::kDouble):
      return 8;
    case kUuid:
      return 16;
    default:
      return 1;  // bool element, byte, varints, binary length, struct stop, empty list
  }
}

int32_t zigzag_decode32(uint32_t v) { return static_cast<int32_t>((v >> 1) ^ (~(v & 1) + 1)); }
int64_t zigzag_decode64(uint64_t v) { return static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1)); }

}  // namespace

const char* ThriftCompactReader::type_name(ThriftType type) {
  switch (type) {
    case ThriftType::kStop:
      return "stop";
    case ThriftType::kTrue:
      return "bool(true)";
    case ThriftType::kFalse:
      return "bool(false)";
    case ThriftType::kByte:
      return "byte";
    case ThriftType::kI16:
      return "i16";
    case ThriftType::kI32:
      return "i32";
    case ThriftType::kI64:
      return "i64";
    case ThriftType::kDouble:
      return "double";
    case ThriftType::kBinary:
      return "binary";
    case ThriftType::kList:
      return "list";
    case ThriftType::kSet:
      return "set";
    case ThriftType::kMap:
      return "map";
    case ThriftType::kStruct:
      return "struct";
  }
  return static_cast<uint8_t>(type) == kUuid ? "uuid" : "invalid";
}

Status ThriftCompactReader::corruption_at(std::string_view what, size_t offset) {
  std::string message(what);
  message += " at byte ";
  message += std::to_string(offset);
  return Status::Corruption(std::move(message));
}

Status ThriftCompactReader::enter() {
  if (depth_ >= kMaxNestingDepth) {
    return corruption("structs and containers nested deeper than " +
                      std::to_string(kMaxNestingDepth) + " levels");
  }
  ++depth_;
  return Status::OK();
}

// Unsigned LEB128 of at most `max_bytes` bytes whose value fits max_bytes*7 bits truncated to
// 64 (10 bytes) or 32 (5 bytes): the last byte may carry only the bits that remain.
Status ThriftCompactReader::read_varint(int max_bytes, uint64_t* out) {
  const size_t start = pos_;
  const int value_bits = max_bytes == 10 ? 64 : 32;
  uint64_t value = 0;
  for (int i = 0; i < max_bytes; ++i) {
    if (pos_ >= size_) return corruption_at("varint runs past the end", base_offset_ + start);
    uint8_t byte = data_[pos_++];
    int shift = 7 * i;
    uint64_t bits = byte & 0x7F;
    if (value_bits - shift < 7 && (bits >> (value_bits - shift)) != 0) {
      return corruption_at("varint overflows " + std::to_string(value_bits) + " bits",
                           base_offset_ + start);
    }
    value |= bits << shift;
    if ((byte & 0x80) == 0) {
      *out = value;
      return Status::OK();
    }
  }
  return corruption_at("varint longer than " + std::to_string(max_bytes) + " bytes",
                       base_offset_ + start);
}

Status ThriftCompactReader::read_varint32(uint32_t* out) {
  uint64_t v = 0;
  SCOUT_RETURN_IF_ERROR(read_varint(5, &v));
  *out = static_cast<uint32_t>(v);
  return Status::OK();
}

Status ThriftCompactReader::begin_struct() {
  SCOUT_RETURN_IF_ERROR(enter());
  last_field_id_[struct_depth_++] = 0;
  return Status::OK();
}

void ThriftCompactReader::end_struct() {
  --struct_depth_;
  leave();
}

Status ThriftCompactReader::read_field_header(FieldHeader* field) {
  field->offset = base_offset_ + pos_;
  if (pos_ >= size_) return corruption("input ends inside a struct (field header expected)");
  const uint8_t byte = data_[pos_++];
  const uint8_t type = byte & 0x0F;
  const int delta = byte >> 4;
  if (byte == 0) {
    field->type = ThriftType::kStop;
    field->id = 0;
    return Status::OK();
  }
  if (!is_value_type(type)) {
    return corruption_at(
        "field header byte " + std::to_string(byte) + " has invalid type " + std::to_string(type),
        field->offset);
  }
  int16_t& last = last_field_id_[struct_depth_ > 0 ? struct_depth_ - 1 : 0];
  int id = 0;
  if (delta != 0) {
    id = last + delta;
    if (id > std::numeric_limits<int16_t>::max()) {
      return corruption_at("field id overflows i16", field->offset);
    }
  } else {
    int16_t long_id = 0;
    SCOUT_RETURN_IF_ERROR(read_i16(&long_id));
    id = long_id;
  }
  field->type = static_cast<ThriftType>(type);
  field->id = static_cast<int16_t>(id);
  last = field->id;
  return Status::OK();
}

Status ThriftCompactReader::read_byte(int8_t* out) {
  if (pos_ >= size_) return corruption("byte runs past the end");
  *out = static_cast<int8_t>(data_[pos_++]);
  return Status::OK();
}

Status ThriftCompactReader::read_i16(int16_t* out) {
  const size_t start = pos_;
  uint32_t v = 0;
  SCOUT_RETURN_IF_ERROR(read_varint32(&v));
  int32_t value = zigzag_decode32(v);
  if (value < std::numeric_limits<int16_t>::min() || value > std::numeric_limits<int16_t>::max()) {
    return corruption_at("i16 value " + std::to_string(value) + " out of range",
                         base_offset_ + start);
  }
  *out = static_cast<int16_t>(value);
  return Status::OK();
}

Status ThriftCompactReader::read_i32(int32_t* out) {
  uint32_t v = 0;
  SCOUT_RETURN_IF_ERROR(read_varint32(&v));
  *out = zigzag_decode32(v);
  return Status::OK();
}

Status ThriftCompactReader::read_i64(int64_t* out) {
  uint64_t v = 0;
  SCOUT_RETURN_IF_ERROR(read_varint(10, &v));
  *out = zigzag_decode64(v);
  return Status::OK();
}

Status ThriftCompactReader::read_double(double* out) {
  if (remaining() < 8) return corruption("double runs past the end");
  uint64_t bits = 0;
  for (int i = 7; i >= 0; --i) bits = (bits << 8) | data_[pos_ + i];  // little endian
  pos_ += 8;
  *out = std::bit_cast<double>(bits);
  return Status::OK();
}

Status ThriftCompactReader::read_binary_length(uint32_t* length) {
  const size_t start = pos_;
  SCOUT_RETURN_IF_ERROR(read_varint32(length));
  if (*length > remaining()) {
    return corruption_at("binary of " + std::to_string(*length) + " bytes but only " +
                             std::to_string(remaining()) + " remain",
                         base_offset_ + start);
  }
  return Status::OK();
}

Status ThriftCompactReader::read_binary(std::string* out) {
  uint32_t length = 0;
  SCOUT_RETURN_IF_ERROR(read_binary_length(&length));
  out->assign(reinterpret_cast<const char*>(data_ + pos_), length);
  pos_ += length;
  return Status::OK();
}

Status ThriftCompactReader::read_bool_element(bool* out) {
  if (pos_ >= size_) return corruption("bool element runs past the end");
  *out = data_[pos_++] == 1;
  return Status::OK();
}

Status ThriftCompactReader::check_container_size(uint64_t declared, uint64_t min_bytes_per_item,
                                                 size_t header_offset, uint32_t* out) {
  if (declared > static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) {
    return corruption_at("container size " + std::to_string(declared) + " is negative as i32",
                         header_offset);
  }
  if (declared * min_bytes_per_item > remaining()) {
    return corruption_at("container of " + std::to_string(declared) +
                             " elements cannot fit in the " + std::to_string(remaining()) +
                             " bytes that remain",
                         header_offset);
  }
  *out = static_cast<uint32_t>(declared);
  return Status::OK();
}

Status ThriftCompactReader::read_list_header(ListHeader* out) {
  const size_t header_offset = base_offset_ + pos_;
  if (pos_ >= size_) return corruption("list header runs past the end");
  const uint8_t byte = data_[pos_++];
  uint8_t type = byte & 0x0F;
  if (!is_value_type(type)) {
    return corruption_at("list element type " + std::to_string(type) + " is invalid",
                         header_offset);
  }
  if (type == static_cast<uint8_t>(ThriftType::kFalse)) type = 1;  // both mean bool
  uint64_t size = byte >> 4;
  if (size == 15) {
    uint32_t long_size = 0;
    SCOUT_RETURN_IF_ERROR(read_varint32(&long_size));
    size = long_size;
  }
  out->element_type = static_cast<ThriftType>(type);
  return check_container_size(size, min_encoded_size(type), header_offset, &out->size);
}

Status ThriftCompactReader::read_map_header(MapHeader* out) {
  const size_t header_offset = base_offset_ + pos_;
  uint32_t size = 0;
  SCOUT_RETURN_IF_ERROR(read_varint32(&size));
  if (size == 0) {
    *out = MapHeader{};
    return Status::OK();
  }
  if (pos_ >= size_) return corruption("map types run past the end");
  const uint8_t types = data_[pos_++];
  uint8_t key = types >> 4;
  uint8_t value = types & 0x0F;
  if (!is_value_type(key) || !is_value_type(value)) {
    return corruption_at(
        "map key/value types " + std::to_string(key) + "/" + std::to_string(value) + " are invalid",
        header_offset);
  }
  if (key == static_cast<uint8_t>(ThriftType::kFalse)) key = 1;
  if (value == static_cast<uint8_t>(ThriftType::kFalse)) value = 1;
  out->key_type = static_cast<ThriftType>(key);
  out->value_type = static_cast<ThriftType>(value);
  return check_container_size(size, min_encoded_size(key) + min_encoded_size(value), header_offset,
                              &out->size);
}

Status ThriftCompactReader::skip_entries(uint32_t count, std::initializer_list<ThriftType> entry) {
  SCOUT_RETURN_IF_ERROR(enter());
  Status st;
  for (uint32_t i = 0; i < count && st.ok(); ++i) {
    for (ThriftType type : entry) {
      st = skip(type);
      if (!st.ok()) break;
    }
  }
  leave();
  return st;
}

Status ThriftCompactReader::skip(ThriftType type) {
  switch (type) {
    case ThriftType::kTrue:
    case ThriftType::kFalse:
    case ThriftType::kByte: {  // as a list element; bool fields have no value and never get here
      int8_t b;
      return read_byte(&b);
    }
    case ThriftType::kI16:
    case ThriftType::kI32: {
      uint32_t v;
      return read_varint32(&v);
    }
    case ThriftType::kI64: {
      uint64_t v;
      return read_varint(10, &v);
    }
    case ThriftType::kDouble: {
      double d;
      return read_double(&d);
    }
    case ThriftType::kBinary: {
      uint32_t length = 0;
      SCOUT_RETURN_IF_ERROR(read_binary_length(&length));
      pos_ += length;
      return Status::OK();
    }
    case ThriftType::kList:
    case ThriftType::kSet: {
      ListHeader list;
      SCOUT_RETURN_IF_ERROR(read_list_header(&list));
      return skip_entries(list.size, {list.element_type});
    }
    case ThriftType::kMap: {
      MapHeader map;
      SCOUT_RETURN_IF_ERROR(read_map_header(&map));
      return skip_entries(map.size, {map.key_type, map.value_type});
    }
    case ThriftType::kStruct: {
      SCOUT_RETURN_IF_ERROR(begin_struct());
      while (true) {
        FieldHeader field;
        Status st = read_field_header(&field);
        if (st.ok() && field.type == ThriftType::kStop) break;
        if (st.ok()) st = skip_field(field);
        if (!st.ok()) {
          end_struct();
          return st;
        }
      }
      end_struct();
      return Status::OK();
    }
    case ThriftType::kStop:
      break;
  }
  if (static_cast<uint8_t>(type) == kUuid) {
    if (remaining() < 16) return corruption("uuid runs past the end");
    pos_ += 16;
    return Status::OK();
  }
  return corruption("cannot skip a value of invalid type " +
                    std::to_string(static_cast<int>(type)));
}

}  // namespace scout::parquet
