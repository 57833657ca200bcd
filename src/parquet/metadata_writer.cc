#include "parquet/metadata_writer.h"

#include "parquet/thrift_compact_writer.h"

namespace scout::parquet {
namespace {

using namespace format;
using W = ThriftCompactWriter;

int32_t as_i32(auto e) { return static_cast<int32_t>(e); }

void write_statistics(W& w, const Statistics& s) {
  if (s.max) w.field_binary(1, *s.max);
  if (s.min) w.field_binary(2, *s.min);
  if (s.null_count) w.field_i64(3, *s.null_count);
  if (s.distinct_count) w.field_i64(4, *s.distinct_count);
  if (s.max_value) w.field_binary(5, *s.max_value);
  if (s.min_value) w.field_binary(6, *s.min_value);
}

void write_key_values(W& w, int16_t id, const std::vector<KeyValue>& kvs) {
  if (kvs.empty()) return;
  w.field_list_begin(id, ThriftType::kStruct, kvs.size());
  for (const auto& kv : kvs) {
    w.begin_struct();
    w.field_binary(1, kv.key);
    if (kv.value) w.field_binary(2, *kv.value);
    w.end_struct();
  }
}

// LogicalType is a union of structs: the member is a field whose body is its (possibly empty)
// struct. parquet.thrift ids: STRING 1, DECIMAL 5, DATE 6, TIMESTAMP 8, INTEGER 10.
void write_logical_type(W& w, const LogicalType& t) {
  switch (t.kind) {
    case LogicalType::Kind::kString:
      w.field_struct_begin(1);
      w.end_struct();
      break;
    case LogicalType::Kind::kDecimal:
      w.field_struct_begin(5);
      w.field_i32(1, t.scale);
      w.field_i32(2, t.precision);
      w.end_struct();
      break;
    case LogicalType::Kind::kDate:
      w.field_struct_begin(6);
      w.end_struct();
      break;
    case LogicalType::Kind::kTimestamp:
      w.field_struct_begin(8);
      w.field_bool(1, t.is_adjusted_to_utc);
      w.field_struct_begin(2);  // TimeUnit union
      w.field_struct_begin(static_cast<int16_t>(t.unit));
      w.end_struct();
      w.end_struct();
      w.end_struct();
      break;
    case LogicalType::Kind::kInteger:
      w.field_struct_begin(10);
      w.field_byte(1, t.bit_width);
      w.field_bool(2, t.is_signed);
      w.end_struct();
      break;
    case LogicalType::Kind::kNone:
    case LogicalType::Kind::kOther:
      break;
  }
}

void write_schema_element(W& w, const SchemaElement& e) {
  w.begin_struct();
  if (e.type) w.field_i32(1, as_i32(*e.type));
  if (e.type_length) w.field_i32(2, *e.type_length);
  if (e.repetition_type) w.field_i32(3, as_i32(*e.repetition_type));
  w.field_binary(4, e.name);
  if (e.num_children) w.field_i32(5, *e.num_children);
  if (e.converted_type) w.field_i32(6, as_i32(*e.converted_type));
  if (e.scale) w.field_i32(7, *e.scale);
  if (e.precision) w.field_i32(8, *e.precision);
  if (e.field_id) w.field_i32(9, *e.field_id);
  if (e.logical_type && e.logical_type->kind != LogicalType::Kind::kNone) {
    w.field_struct_begin(10);
    write_logical_type(w, *e.logical_type);
    w.end_struct();
  }
  w.end_struct();
}

void write_column_meta(W& w, const ColumnMetaData& m) {
  w.field_i32(1, as_i32(m.type));
  w.field_list_begin(2, ThriftType::kI32, m.encodings.size());
  for (Encoding e : m.encodings) w.write_i32(as_i32(e));
  w.field_list_begin(3, ThriftType::kBinary, m.path_in_schema.size());
  for (const auto& p : m.path_in_schema) w.write_binary(p);
  w.field_i32(4, as_i32(m.codec));
  w.field_i64(5, m.num_values);
  w.field_i64(6, m.total_uncompressed_size);
  w.field_i64(7, m.total_compressed_size);
  write_key_values(w, 8, m.key_value_metadata);
  w.field_i64(9, m.data_page_offset);
  if (m.index_page_offset) w.field_i64(10, *m.index_page_offset);
  if (m.dictionary_page_offset) w.field_i64(11, *m.dictionary_page_offset);
  if (m.statistics) {
    w.field_struct_begin(12);
    write_statistics(w, *m.statistics);
    w.end_struct();
  }
}

void write_column_chunk(W& w, const ColumnChunk& c) {
  w.begin_struct();
  if (c.file_path) w.field_binary(1, *c.file_path);
  w.field_i64(2, c.file_offset);
  if (c.meta_data) {
    w.field_struct_begin(3);
    write_column_meta(w, *c.meta_data);
    w.end_struct();
  }
  if (c.offset_index_offset) w.field_i64(4, *c.offset_index_offset);
  if (c.offset_index_length) w.field_i32(5, *c.offset_index_length);
  if (c.column_index_offset) w.field_i64(6, *c.column_index_offset);
  if (c.column_index_length) w.field_i32(7, *c.column_index_length);
  w.end_struct();
}

void write_row_group(W& w, const RowGroup& g) {
  w.begin_struct();
  w.field_list_begin(1, ThriftType::kStruct, g.columns.size());
  for (const auto& c : g.columns) write_column_chunk(w, c);
  w.field_i64(2, g.total_byte_size);
  w.field_i64(3, g.num_rows);
  if (g.file_offset) w.field_i64(5, *g.file_offset);
  if (g.total_compressed_size) w.field_i64(6, *g.total_compressed_size);
  if (g.ordinal) w.field_i16(7, *g.ordinal);
  w.end_struct();
}

}  // namespace

void serialize(const FileMetaData& meta, std::string* out) {
  W w(out);
  w.field_i32(1, meta.version);
  w.field_list_begin(2, ThriftType::kStruct, meta.schema.size());
  for (const auto& e : meta.schema) write_schema_element(w, e);
  w.field_i64(3, meta.num_rows);
  w.field_list_begin(4, ThriftType::kStruct, meta.row_groups.size());
  for (const auto& g : meta.row_groups) write_row_group(w, g);
  write_key_values(w, 5, meta.key_value_metadata);
  if (meta.created_by) w.field_binary(6, *meta.created_by);
  if (meta.column_orders_type_defined) {
    // ColumnOrder is a union whose member 1 is the empty TypeDefinedOrder struct.
    size_t leaves = 0;
    for (const auto& e : meta.schema) leaves += e.num_children ? 0 : 1;
    w.field_list_begin(7, ThriftType::kStruct, leaves);
    for (size_t i = 0; i < leaves; ++i) {
      w.begin_struct();
      w.field_struct_begin(1);
      w.end_struct();
      w.end_struct();
    }
  }
  out->push_back(0);  // end of FileMetaData
}

void serialize(const PageHeader& h, std::string* out) {
  W w(out);
  w.field_i32(1, as_i32(h.type));
  w.field_i32(2, h.uncompressed_page_size);
  w.field_i32(3, h.compressed_page_size);
  if (h.crc) w.field_i32(4, *h.crc);
  if (h.data_page_header) {
    const auto& d = *h.data_page_header;
    w.field_struct_begin(5);
    w.field_i32(1, d.num_values);
    w.field_i32(2, as_i32(d.encoding));
    w.field_i32(3, as_i32(d.definition_level_encoding));
    w.field_i32(4, as_i32(d.repetition_level_encoding));
    if (d.statistics) {
      w.field_struct_begin(5);
      write_statistics(w, *d.statistics);
      w.end_struct();
    }
    w.end_struct();
  }
  if (h.dictionary_page_header) {
    const auto& d = *h.dictionary_page_header;
    w.field_struct_begin(7);
    w.field_i32(1, d.num_values);
    w.field_i32(2, as_i32(d.encoding));
    if (d.is_sorted) w.field_bool(3, *d.is_sorted);
    w.end_struct();
  }
  out->push_back(0);
}

void serialize(const ColumnIndex& index, std::string* out) {
  W w(out);
  w.field_list_begin(1, ThriftType::kTrue, index.null_pages.size());
  for (bool b : index.null_pages) w.write_bool_element(b);
  w.field_list_begin(2, ThriftType::kBinary, index.min_values.size());
  for (const auto& v : index.min_values) w.write_binary(v);
  w.field_list_begin(3, ThriftType::kBinary, index.max_values.size());
  for (const auto& v : index.max_values) w.write_binary(v);
  w.field_i32(4, as_i32(index.boundary_order));
  w.field_list_begin(5, ThriftType::kI64, index.null_counts.size());
  for (int64_t n : index.null_counts) w.write_i64(n);
  out->push_back(0);
}

void serialize(const OffsetIndex& index, std::string* out) {
  W w(out);
  w.field_list_begin(1, ThriftType::kStruct, index.page_locations.size());
  for (const auto& p : index.page_locations) {
    w.begin_struct();
    w.field_i64(1, p.offset);
    w.field_i32(2, p.compressed_page_size);
    w.field_i64(3, p.first_row_index);
    w.end_struct();
  }
  out->push_back(0);
}

}  // namespace scout::parquet
