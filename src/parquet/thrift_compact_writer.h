// Thrift compact protocol encoder (thrift/doc/specs/thrift-compact-protocol.md), just what
// Parquet's footer and page headers need. Field ids are delta-encoded per struct, so the writer
// keeps a stack of "last field id", one entry per open struct.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace scout::parquet {

enum class ThriftType : uint8_t {
  kStop = 0, kTrue = 1, kFalse = 2, kByte = 3, kI16 = 4, kI32 = 5, kI64 = 6, kDouble = 7,
  kBinary = 8, kList = 9, kSet = 10, kMap = 11, kStruct = 12,
};

class ThriftCompactWriter {
 public:
  explicit ThriftCompactWriter(std::string* out) : out_(out) { last_field_id_.push_back(0); }

  // Fields of the current struct, in increasing id order.
  void field_bool(int16_t id, bool v) { field_header(id, v ? ThriftType::kTrue : ThriftType::kFalse); }
  void field_byte(int16_t id, int8_t v) {
    field_header(id, ThriftType::kByte);
    out_->push_back(static_cast<char>(v));
  }
  void field_i16(int16_t id, int16_t v) { field_header(id, ThriftType::kI16); write_i32(v); }
  void field_i32(int16_t id, int32_t v) { field_header(id, ThriftType::kI32); write_i32(v); }
  void field_i64(int16_t id, int64_t v) { field_header(id, ThriftType::kI64); write_i64(v); }
  void field_binary(int16_t id, std::string_view v) {
    field_header(id, ThriftType::kBinary);
    write_binary(v);
  }
  // Opens a nested struct as field `id`; close it with end_struct().
  void field_struct_begin(int16_t id) { field_header(id, ThriftType::kStruct); begin_struct(); }
  // Opens a list field; elements follow with the write_* calls (structs with begin_struct).
  void field_list_begin(int16_t id, ThriftType elem, size_t size) {
    field_header(id, ThriftType::kList);
    list_header(elem, size);
  }

  // A struct as a list element (or the top-level message): no field header.
  void begin_struct() { last_field_id_.push_back(0); }
  void end_struct() {
    out_->push_back(static_cast<char>(ThriftType::kStop));
    last_field_id_.pop_back();
  }

  // Element writers for lists.
  void write_i32(int32_t v) { write_varint(zigzag32(v)); }
  void write_i64(int64_t v) { write_varint(zigzag64(v)); }
  void write_binary(std::string_view v) {
    write_varint(v.size());
    out_->append(v.data(), v.size());
  }
  // Boolean list elements are one byte each: 1 true, 2 false (what the reference libraries
  // write; readers take anything but 1 as false).
  void write_bool_element(bool v) { out_->push_back(v ? 1 : 2); }

  void list_header(ThriftType elem, size_t size);

  static uint32_t zigzag32(int32_t v) {
    return (static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31);
  }
  static uint64_t zigzag64(int64_t v) {
    return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  }
  void write_varint(uint64_t v);

 private:
  void field_header(int16_t id, ThriftType type);

  std::string* out_;
  std::vector<int16_t> last_field_id_;
};

}  // namespace scout::parquet
