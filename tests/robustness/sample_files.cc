#include "sample_files.h"

#include <vector>

#include "parquet/thrift_compact_writer.h"

namespace scout::robustness {
namespace {

using parquet::ThriftCompactWriter;
using parquet::ThriftType;

// parquet.thrift values, spelled out here so this file does not depend on metadata.h.
enum : int32_t { kBoolean = 0, kInt32 = 1, kInt64 = 2, kDouble = 5, kByteArray = 6, kFixed = 7 };
enum : int32_t { kPlain = 0, kPlainDictionary = 2, kRle = 3, kRleDictionary = 8 };
enum : int32_t { kDataPage = 0, kDictionaryPage = 2 };
constexpr int32_t kSnappy = 1;

struct Leaf {
  std::vector<std::string> path;
  int32_t type;
  // Statistics bounds, PLAIN encoded without length prefix; mid splits the two pages.
  std::string min, mid, max;
};

std::string big_endian_16(int64_t v) {
  std::string s(16, v < 0 ? '\xFF' : '\0');
  for (int i = 0; i < 8; ++i) s[15 - i] = static_cast<char>(static_cast<uint64_t>(v) >> (8 * i));
  return s;
}

std::string double_bytes(double d) {
  uint64_t bits;
  static_assert(sizeof bits == sizeof d);
  __builtin_memcpy(&bits, &d, sizeof d);
  return little_endian(bits, 8);
}

std::vector<Leaf> leaves() {
  const auto i64 = [](int64_t v) { return little_endian(static_cast<uint64_t>(v), 8); };
  const auto i32 = [](int32_t v) { return little_endian(static_cast<uint32_t>(v), 4); };
  return {
      {{"id"}, kInt64, i64(-3), i64(500), i64(1'000'000'000'000)},
      {{"info", "name"}, kByteArray, "apple", "mango", "zebra"},
      {{"info", "day"}, kInt32, i32(20089), i32(20200), i32(20453)},
      {{"ts"}, kInt64, i64(1735689600000000), i64(1740000000000000), i64(1767225599999999)},
      {{"amount"}, kFixed, big_endian_16(-12345678), big_endian_16(0), big_endian_16(99999999999)},
      {{"ratio"}, kDouble, double_bytes(-0.0), double_bytes(0.5), double_bytes(1.5)},
  };
}

void statistics(ThriftCompactWriter& w, int16_t id, const std::string& min, const std::string& max,
                int64_t nulls) {
  w.field_struct_begin(id);
  w.field_i64(3, nulls);
  w.field_binary(5, max);
  w.field_binary(6, min);
  w.field_bool(7, true);  // is_max_value_exact: newer than our structs
  w.end_struct();
}

// A page header followed by `body_size` bytes standing for the page.
std::string page(int32_t type, int32_t num_values, int32_t body_size, const std::string* min,
                 const std::string* max) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.field_i32(1, type);
  w.field_i32(2, body_size * 2);
  w.field_i32(3, body_size);
  w.field_i32(4, 0x1234567);
  if (type == kDictionaryPage) {
    w.field_struct_begin(7);
    w.field_i32(1, num_values);
    w.field_i32(2, kPlain);
    w.field_bool(3, true);
    w.end_struct();
  } else {
    w.field_struct_begin(5);
    w.field_i32(1, num_values);
    w.field_i32(2, kRleDictionary);
    w.field_i32(3, kRle);
    w.field_i32(4, kRle);
    statistics(w, 5, *min, *max, 1);
    w.end_struct();
  }
  out.push_back(0);
  return out + std::string(static_cast<size_t>(body_size), 'p');
}

struct ChunkLayout {
  int64_t dictionary_offset = 0;
  int64_t data_offset = 0;
  int64_t page_offset[2] = {};
  int32_t page_size[2] = {};  // header included, as the OffsetIndex wants it
  int64_t total_size = 0;
  int64_t column_index_offset = 0, column_index_length = 0;
  int64_t offset_index_offset = 0, offset_index_length = 0;
};

// Appends one chunk's pages to `file` and says where they went.
ChunkLayout write_chunk(const Leaf& leaf, std::string* file) {
  ChunkLayout c;
  c.dictionary_offset = static_cast<int64_t>(file->size());
  *file += page(kDictionaryPage, 3, 24, nullptr, nullptr);
  const std::string* bounds[2][2] = {{&leaf.min, &leaf.mid}, {&leaf.mid, &leaf.max}};
  for (int p = 0; p < 2; ++p) {
    c.page_offset[p] = static_cast<int64_t>(file->size());
    std::string data = page(kDataPage, 250, 40, bounds[p][0], bounds[p][1]);
    c.page_size[p] = static_cast<int32_t>(data.size());
    *file += data;
  }
  c.data_offset = c.page_offset[0];
  c.total_size = static_cast<int64_t>(file->size()) - c.dictionary_offset;
  return c;
}

void write_page_index(const Leaf& leaf, ChunkLayout* c, std::string* file) {
  std::string ci;
  ThriftCompactWriter w(&ci);
  w.field_list_begin(1, ThriftType::kTrue, 2);
  w.write_bool_element(false);
  w.write_bool_element(false);
  w.field_list_begin(2, ThriftType::kBinary, 2);
  w.write_binary(leaf.min);
  w.write_binary(leaf.mid);
  w.field_list_begin(3, ThriftType::kBinary, 2);
  w.write_binary(leaf.mid);
  w.write_binary(leaf.max);
  w.field_i32(4, 1);  // ASCENDING
  w.field_list_begin(5, ThriftType::kI64, 2);
  w.write_i64(1);
  w.write_i64(1);
  w.field_list_begin(7, ThriftType::kI64, 4);  // definition_level_histograms: skipped
  for (int i = 0; i < 4; ++i) w.write_i64(125);
  ci.push_back(0);
  c->column_index_offset = static_cast<int64_t>(file->size());
  c->column_index_length = static_cast<int64_t>(ci.size());
  *file += ci;
}

void write_offset_index(ChunkLayout* c, std::string* file) {
  std::string oi;
  ThriftCompactWriter w(&oi);
  w.field_list_begin(1, ThriftType::kStruct, 2);
  for (int p = 0; p < 2; ++p) {
    w.begin_struct();
    w.field_i64(1, c->page_offset[p]);
    w.field_i32(2, c->page_size[p]);
    w.field_i64(3, p * 250);
    w.end_struct();
  }
  oi.push_back(0);
  c->offset_index_offset = static_cast<int64_t>(file->size());
  c->offset_index_length = static_cast<int64_t>(oi.size());
  *file += oi;
}

void write_schema(ThriftCompactWriter& w) {
  w.field_list_begin(2, ThriftType::kStruct, 8);
  auto element = [&](const char* name, int32_t type, int32_t repetition) {
    w.begin_struct();
    if (type >= 0) w.field_i32(1, type);
    if (type == kFixed) w.field_i32(2, 16);
    if (repetition >= 0) w.field_i32(3, repetition);
    w.field_binary(4, name);
  };
  element("schema", -1, -1);
  w.field_i32(5, 5);
  w.end_struct();
  element("id", kInt64, 0);
  w.field_i32(6, 18);  // INT_64
  w.field_i32(9, 1);   // field_id
  w.field_struct_begin(10);
  w.field_struct_begin(10);  // INTEGER
  w.field_byte(1, 64);
  w.field_bool(2, true);
  w.end_struct();
  w.end_struct();
  w.end_struct();
  element("info", -1, 1);
  w.field_i32(5, 2);
  w.end_struct();
  element("name", kByteArray, 1);
  w.field_i32(6, 0);  // UTF8
  w.field_struct_begin(10);
  w.field_struct_begin(1);  // STRING
  w.end_struct();
  w.end_struct();
  w.end_struct();
  element("day", kInt32, 1);
  w.field_i32(6, 6);  // DATE
  w.field_struct_begin(10);
  w.field_struct_begin(6);
  w.end_struct();
  w.end_struct();
  w.end_struct();
  element("ts", kInt64, 1);
  w.field_i32(6, 10);  // TIMESTAMP_MICROS
  w.field_struct_begin(10);
  w.field_struct_begin(8);
  w.field_bool(1, true);
  w.field_struct_begin(2);
  w.field_struct_begin(2);  // MICROS
  w.end_struct();
  w.end_struct();
  w.end_struct();
  w.end_struct();
  w.end_struct();
  element("amount", kFixed, 1);
  w.field_i32(6, 5);  // DECIMAL
  w.field_i32(7, 4);
  w.field_i32(8, 38);
  w.field_struct_begin(10);
  w.field_struct_begin(5);
  w.field_i32(1, 4);
  w.field_i32(2, 38);
  w.end_struct();
  w.end_struct();
  w.end_struct();
  element("ratio", kDouble, 1);
  w.end_struct();
}

void write_column_chunk(ThriftCompactWriter& w, const Leaf& leaf, const ChunkLayout& c) {
  w.begin_struct();
  w.field_i64(2, 0);
  w.field_struct_begin(3);
  w.field_i32(1, leaf.type);
  w.field_list_begin(2, ThriftType::kI32, 4);
  for (int32_t e : {kPlain, kRle, kRleDictionary, kPlainDictionary}) w.write_i32(e);
  w.field_list_begin(3, ThriftType::kBinary, leaf.path.size());
  for (const auto& p : leaf.path) w.write_binary(p);
  w.field_i32(4, kSnappy);
  w.field_i64(5, 500);
  w.field_i64(6, c.total_size * 2);
  w.field_i64(7, c.total_size);
  w.field_list_begin(8, ThriftType::kStruct, 1);
  w.begin_struct();
  w.field_binary(1, "chunk.note");
  w.field_binary(2, leaf.path.back());
  w.end_struct();
  w.field_i64(9, c.data_offset);
  w.field_i64(11, c.dictionary_offset);
  statistics(w, 12, leaf.min, leaf.max, 2);
  w.field_list_begin(13, ThriftType::kStruct, 2);  // encoding_stats: skipped
  for (int32_t type : {kDictionaryPage, kDataPage}) {
    w.begin_struct();
    w.field_i32(1, type);
    w.field_i32(2, type == kDataPage ? kRleDictionary : kPlain);
    w.field_i32(3, type == kDataPage ? 2 : 1);
    w.end_struct();
  }
  w.field_i64(14, 0);  // bloom_filter_offset: skipped
  w.end_struct();
  w.field_i64(4, c.offset_index_offset);
  w.field_i32(5, static_cast<int32_t>(c.offset_index_length));
  w.field_i64(6, c.column_index_offset);
  w.field_i32(7, static_cast<int32_t>(c.column_index_length));
  w.end_struct();
}

}  // namespace

std::string little_endian(uint64_t v, int width) {
  std::string s(static_cast<size_t>(width), '\0');
  for (int i = 0; i < width; ++i) s[static_cast<size_t>(i)] = static_cast<char>(v >> (8 * i));
  return s;
}

std::string frame(std::string_view body, std::string_view footer) {
  std::string file = "PAR1";
  file += body;
  file += footer;
  file += little_endian(footer.size(), 4);
  file += "PAR1";
  return file;
}

std::string zero_row_file() {
  std::string footer;
  ThriftCompactWriter w(&footer);
  w.field_i32(1, 1);
  w.field_list_begin(2, ThriftType::kStruct, 3);
  w.begin_struct();
  w.field_binary(4, "schema");
  w.field_i32(5, 2);
  w.end_struct();
  for (const char* name : {"a", "b"}) {
    w.begin_struct();
    w.field_i32(1, kBoolean);
    w.field_i32(3, 1);
    w.field_binary(4, name);
    w.end_struct();
  }
  w.field_i64(3, 0);
  w.field_list_begin(4, ThriftType::kStruct, 0);
  w.field_binary(6, "scout-export robustness test");
  footer.push_back(0);
  return frame("", footer);
}

std::string rich_file() {
  const std::vector<Leaf> columns = leaves();
  std::string file = "PAR1";
  ChunkLayout chunks[2][6];
  for (auto& group : chunks) {
    for (size_t c = 0; c < columns.size(); ++c) group[c] = write_chunk(columns[c], &file);
  }
  for (auto& group : chunks) {
    for (size_t c = 0; c < columns.size(); ++c) write_page_index(columns[c], &group[c], &file);
  }
  for (auto& group : chunks) {
    for (auto& chunk : group) write_offset_index(&chunk, &file);
  }

  std::string footer;
  ThriftCompactWriter w(&footer);
  w.field_i32(1, 1);
  write_schema(w);
  w.field_i64(3, 1000);
  w.field_list_begin(4, ThriftType::kStruct, 2);
  for (int g = 0; g < 2; ++g) {
    w.begin_struct();
    w.field_list_begin(1, ThriftType::kStruct, columns.size());
    int64_t bytes = 0;
    for (size_t c = 0; c < columns.size(); ++c) {
      write_column_chunk(w, columns[c], chunks[g][c]);
      bytes += chunks[g][c].total_size;
    }
    w.field_i64(2, bytes * 2);
    w.field_i64(3, 500);
    w.field_list_begin(4, ThriftType::kStruct, 1);  // sorting_columns: skipped
    w.begin_struct();
    w.field_i32(1, 0);
    w.field_bool(2, false);
    w.field_bool(3, true);
    w.end_struct();
    w.field_i64(5, chunks[g][0].dictionary_offset);
    w.field_i64(6, bytes);
    w.field_i16(7, static_cast<int16_t>(g));
    w.end_struct();
  }
  w.field_list_begin(5, ThriftType::kStruct, 2);
  w.begin_struct();
  w.field_binary(1, "scout.dataset");
  w.field_binary(2, "robustness");
  w.end_struct();
  w.begin_struct();
  w.field_binary(1, "no value");
  w.end_struct();
  w.field_binary(6, "scout-export version 0.0.0 (build robustness)");
  w.field_list_begin(7, ThriftType::kStruct, columns.size());
  for (size_t c = 0; c < columns.size(); ++c) {
    w.begin_struct();
    w.field_struct_begin(1);  // TYPE_ORDER
    w.end_struct();
    w.end_struct();
  }
  // Field 30, a map<binary, i32> from some future writer, written by hand: long-form header
  // (type 11, zigzag id 60), size 2, key/value types binary/i32.
  footer += std::string("\x0B\x3C\x02\x85", 4);
  footer += std::string("\x02k1\x02\x02k2\x04", 8);
  footer.push_back(0);

  return file + footer + little_endian(footer.size(), 4) + "PAR1";
}

}  // namespace scout::robustness
