#include "parquet/thrift_compact_writer.h"

#include "parquet/bit_util.h"

namespace scout::parquet {

void ThriftCompactWriter::write_varint(uint64_t v) { append_uleb128(out_, v); }

void ThriftCompactWriter::field_header(int16_t id, ThriftType type) {
  int16_t& last = last_field_id_.back();
  int delta = id - last;
  if (delta > 0 && delta <= 15) {
    out_->push_back(static_cast<char>((delta << 4) | static_cast<uint8_t>(type)));
  } else {
    out_->push_back(static_cast<char>(type));
    write_i32(id);  // the long form carries the id as a zigzag varint (i16)
  }
  last = id;
}

void ThriftCompactWriter::list_header(ThriftType elem, size_t size) {
  // Boolean list elements use type id 1 in the list header.
  uint8_t t = elem == ThriftType::kFalse ? static_cast<uint8_t>(ThriftType::kTrue)
                                         : static_cast<uint8_t>(elem);
  if (size <= 14) {
    out_->push_back(static_cast<char>((size << 4) | t));
  } else {
    out_->push_back(static_cast<char>(0xF0 | t));
    write_varint(size);
  }
}

}  // namespace scout::parquet
