// Thrift compact protocol decoder (thrift/doc/specs/thrift-compact-protocol.md) for bytes we did
// not write: every read is bounds-checked, varints are checked for overflow, container sizes are
// checked against the bytes left before anything is allocated, and nesting is limited. Every
// failure is a Status::Corruption that names what was wrong and its byte offset in the input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "parquet/thrift_compact_writer.h"  // ThriftType
#include "scout/status.h"

namespace scout::parquet {

class ThriftCompactReader {
 public:
  // Structs and containers nested deeper than this are refused. Parquet's deepest struct
  // (SchemaElement.logicalType.TIMESTAMP.unit.MICROS inside FileMetaData) is 6 levels down.
  static constexpr int kMaxNestingDepth = 64;

  // Reads `bytes`, which must outlive the reader. Offsets in messages count from its start
  // plus `base_offset` (pass the position of the bytes in the file for messages in file terms).
  explicit ThriftCompactReader(std::string_view bytes, size_t base_offset = 0)
      : data_(reinterpret_cast<const uint8_t*>(bytes.data())),
        size_(bytes.size()),
        base_offset_(base_offset) {}
  // The reader keeps a view: a temporary string would be gone before the first read.
  explicit ThriftCompactReader(std::string&& bytes, size_t base_offset = 0) = delete;

  size_t position() const { return pos_; }               // bytes consumed
  size_t offset() const { return base_offset_ + pos_; }  // the same, in message terms
  size_t remaining() const { return size_ - pos_; }

  struct FieldHeader {
    // kTrue or kFalse: a bool field carrying its value. 13 (uuid) has no enumerator but is
    // valid on the wire; skip() handles it.
    ThriftType type = ThriftType::kStop;
    int16_t id = 0;
    size_t offset = 0;  // of the header's first byte, in message terms (base included)
    bool bool_value() const { return type == ThriftType::kTrue; }
    bool is_bool() const { return type == ThriftType::kTrue || type == ThriftType::kFalse; }
  };

  // A struct is begin_struct(), read_field_header() until it returns a kStop header (reading
  // or skipping each field's value in between), then end_struct().
  Status begin_struct();
  Status read_field_header(FieldHeader* field);
  void end_struct();

  // Values of fields and of list elements.
  Status read_byte(int8_t* out);
  Status read_i16(int16_t* out);
  Status read_i32(int32_t* out);
  Status read_i64(int64_t* out);
  Status read_double(double* out);
  Status read_binary(std::string* out);
  // A bool list element is one byte; 1 is true and anything else false, as the C++ and Java
  // libraries write 1/2 and the protocol document says 1/0.
  Status read_bool_element(bool* out);

  // List and set headers. `size` is at most remaining() / (smallest encoding of one element),
  // so a caller may reserve `size` elements of a fixed-width type safely.
  struct ListHeader {
    ThriftType element_type = ThriftType::kStop;  // kTrue for bools (1 and 2 both accepted)
    uint32_t size = 0;
  };
  Status read_list_header(ListHeader* out);

  struct MapHeader {
    ThriftType key_type = ThriftType::kStop;
    ThriftType value_type = ThriftType::kStop;
    uint32_t size = 0;
  };
  Status read_map_header(MapHeader* out);

  // Skips one value of wire type `type` (whole structs, lists, sets and maps included).
  Status skip(ThriftType type);
  // Skips the value of a field whose header was just read (bool fields have none).
  Status skip_field(const FieldHeader& field) {
    return field.is_bool() ? Status::OK() : skip(field.type);
  }

  // "<what> at byte N": a Corruption at the current position, or at a given message offset.
  Status corruption(std::string_view what) const {
    return corruption_at(what, base_offset_ + pos_);
  }
  static Status corruption_at(std::string_view what, size_t offset);

  static const char* type_name(ThriftType type);

 private:
  Status read_varint(int max_bytes, uint64_t* out);
  Status read_varint32(uint32_t* out);
  Status enter();  // one more level of nesting
  // A binary's length prefix, checked against the bytes that remain.
  Status read_binary_length(uint32_t* length);
  // Skips `count` list elements or map entries (`entry`: the element's type, or the key's and
  // the value's), one level down.
  Status skip_entries(uint32_t count, std::initializer_list<ThriftType> entry);
  void leave() { --depth_; }
  // Refuses sizes that are negative as i32 or that could not fit in the bytes left.
  Status check_container_size(uint64_t declared, uint64_t min_bytes_per_item, size_t header_offset,
                              uint32_t* out);

  const uint8_t* data_;
  size_t size_;
  size_t base_offset_;
  size_t pos_ = 0;
  int depth_ = 0;
  // Last field id of each open struct (delta-encoded ids restart at 0 in each struct).
  int16_t last_field_id_[kMaxNestingDepth + 1] = {};
  int struct_depth_ = 0;
};

}  // namespace scout::parquet
