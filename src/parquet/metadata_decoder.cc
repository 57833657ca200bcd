#include "parquet/metadata_decoder.h"

#include <algorithm>
#include <type_traits>
#include <utility>
#include <vector>

#include "parquet/thrift_compact_reader.h"

namespace scout::parquet {
namespace {

using namespace format;
using Field = ThriftCompactReader::FieldHeader;

// Decodes the structs of metadata.h from one Thrift compact message. It tracks the path of
// the field or list element being read; on failure parsing stops, the path still points at
// the failing field, and the caller prefixes the message with where().
class Parser {
 public:
  Parser(std::string_view bytes, size_t base_offset) : r_(bytes, base_offset) {}

  ThriftCompactReader& reader() { return r_; }

  // "row_groups[0].columns[2].meta_data.num_values (field 5)"
  std::string where() const {
    std::string out;
    for (size_t i = 0; i < path_.size(); ++i) {
      const Segment& s = path_[i];
      if (s.index >= 0) {
        out += '[' + std::to_string(s.index) + ']';
        continue;
      }
      if (!out.empty()) out += '.';
      out += s.name ? std::string(s.name) : "<field " + std::to_string(s.id) + ">";
      if (i + 1 == path_.size()) out += " (field " + std::to_string(s.id) + ")";
    }
    return out;
  }

  // Reads one struct; `on_field(field)` reads or skips each field's value.
  template <typename OnField>
  Status read_struct(OnField&& on_field) {
    SCOUT_RETURN_IF_ERROR(r_.begin_struct());
    while (true) {
      Field f;
      SCOUT_RETURN_IF_ERROR(r_.read_field_header(&f));
      if (f.type == ThriftType::kStop) break;
      SCOUT_RETURN_IF_ERROR(on_field(f));
    }
    r_.end_struct();
    return Status::OK();
  }

  // Reads a union: a struct with exactly one field set, which `on_member(field)` reads.
  template <typename OnMember>
  Status read_union(const char* union_name, OnMember&& on_member) {
    int members = 0;
    SCOUT_RETURN_IF_ERROR(read_struct([&](const Field& f) {
      ++members;
      return on_member(f);
    }));
    if (members == 1) return Status::OK();
    return r_.corruption_at(std::string("union ") + union_name + " has " + std::to_string(members) +
                                " members set instead of one",
                            r_.offset() - 1);
  }

  // Fields seen in the struct being read, by id (the required ones are all below 32).
  struct Seen {
    uint32_t bits = 0;
    void mark(int16_t id) {
      if (id > 0 && id < 32) bits |= 1u << id;
    }
    bool has(int id) const { return (bits >> id) & 1u; }
  };
  struct Required {
    int id;
    const char* name;
  };
  // Called right after read_struct, whose stop byte was the last byte read.
  Status require(const Seen& seen, std::initializer_list<Required> required) {
    for (const Required& q : required) {
      if (seen.has(q.id)) continue;
      return r_.corruption_at("required field " + std::to_string(q.id) + " (" + q.name +
                                  ") is missing from the struct ending",
                              r_.offset() - 1);
    }
    return Status::OK();
  }

  // A field's value, checked against the wire type its C++ type implies.
  template <typename T>
  Status field(const Field& f, const char* name, T* out) {
    push(name, f.id);
    SCOUT_RETURN_IF_ERROR(value(f, out));
    pop();
    return Status::OK();
  }

  // A list field whose elements have wire type `element`; read_element() reads one.
  template <typename ReadElement>
  Status list(const Field& f, const char* name, ThriftType element, ReadElement&& read_element) {
    push(name, f.id);
    SCOUT_RETURN_IF_ERROR(expect(f, ThriftType::kList));
    ThriftCompactReader::ListHeader header;
    SCOUT_RETURN_IF_ERROR(r_.read_list_header(&header));
    if (header.element_type != element) {
      return r_.corruption_at(std::string("list of ") +
                                  ThriftCompactReader::type_name(header.element_type) +
                                  " where a list of " + type_name(element) + " was expected",
                              f.offset);
    }
    for (uint32_t i = 0; i < header.size; ++i) {
      path_.push_back(Segment{nullptr, 0, static_cast<int64_t>(i)});
      SCOUT_RETURN_IF_ERROR(read_element());
      path_.pop_back();
    }
    pop();
    return Status::OK();
  }

  // A struct-valued field; parse() reads the struct.
  template <typename ParseStruct>
  Status nested(const Field& f, const char* name, ParseStruct&& parse) {
    push(name, f.id);
    SCOUT_RETURN_IF_ERROR(expect(f, ThriftType::kStruct));
    SCOUT_RETURN_IF_ERROR(parse());
    pop();
    return Status::OK();
  }

  // A field this reader does not model (added to the format later, or not needed).
  Status skip(const Field& f) {
    push(nullptr, f.id);
    SCOUT_RETURN_IF_ERROR(r_.skip_field(f));
    pop();
    return Status::OK();
  }

 private:
  struct Segment {
    const char* name;  // nullptr: a field this reader does not model
    int16_t id;
    int64_t index;  // >= 0: a list element, not a field
  };
  void push(const char* name, int16_t id) { path_.push_back(Segment{name, id, -1}); }
  void pop() { path_.pop_back(); }

  static const char* type_name(ThriftType t) {
    return t == ThriftType::kTrue ? "bool" : ThriftCompactReader::type_name(t);
  }

  Status expect(const Field& f, ThriftType want) {
    bool ok = want == ThriftType::kTrue ? f.is_bool() : f.type == want;
    if (ok) return Status::OK();
    return r_.corruption_at(std::string("wire type ") + type_name(f.type) + " where " +
                                type_name(want) + " was expected",
                            f.offset);
  }

  Status value(const Field& f, bool* out) {
    SCOUT_RETURN_IF_ERROR(expect(f, ThriftType::kTrue));
    *out = f.bool_value();
    return Status::OK();
  }
  Status value(const Field& f, int8_t* out) {
    SCOUT_RETURN_IF_ERROR(expect(f, ThriftType::kByte));
    return r_.read_byte(out);
  }
  Status value(const Field& f, int16_t* out) {
    SCOUT_RETURN_IF_ERROR(expect(f, ThriftType::kI16));
    return r_.read_i16(out);
  }
  Status value(const Field& f, int32_t* out) {
    SCOUT_RETURN_IF_ERROR(expect(f, ThriftType::kI32));
    return r_.read_i32(out);
  }
  Status value(const Field& f, int64_t* out) {
    SCOUT_RETURN_IF_ERROR(expect(f, ThriftType::kI64));
    return r_.read_i64(out);
  }
  Status value(const Field& f, std::string* out) {
    SCOUT_RETURN_IF_ERROR(expect(f, ThriftType::kBinary));
    return r_.read_binary(out);
  }
  // Thrift enums are i32. Every i32 is a valid value of our int32_t-based enums: unknown ones
  // (added to the format later) are kept for the caller to show.
  template <typename E>
  requires std::is_enum_v<E> Status value(const Field& f, E* out) {
    int32_t v = 0;
    SCOUT_RETURN_IF_ERROR(value(f, &v));
    *out = static_cast<E>(v);
    return Status::OK();
  }
  template <typename T>
  Status value(const Field& f, std::optional<T>* out) {
    T v{};
    SCOUT_RETURN_IF_ERROR(value(f, &v));
    *out = std::move(v);
    return Status::OK();
  }

  ThriftCompactReader r_;
  std::vector<Segment> path_;
};

using Seen = Parser::Seen;

Status skip_struct(Parser& p) { return p.reader().skip(ThriftType::kStruct); }

Status parse_statistics(Parser& p, Statistics* s) {
  return p.read_struct([&](const Field& f) -> Status {
    switch (f.id) {
      case 1:
        return p.field(f, "max", &s->max);
      case 2:
        return p.field(f, "min", &s->min);
      case 3:
        return p.field(f, "null_count", &s->null_count);
      case 4:
        return p.field(f, "distinct_count", &s->distinct_count);
      case 5:
        return p.field(f, "max_value", &s->max_value);
      case 6:
        return p.field(f, "min_value", &s->min_value);
      default:
        return p.skip(f);
    }
  });
}

Status parse_key_values(Parser& p, const Field& f, std::vector<KeyValue>* out) {
  out->clear();
  return p.list(f, "key_value_metadata", ThriftType::kStruct, [&]() -> Status {
    KeyValue kv;
    Seen seen;
    SCOUT_RETURN_IF_ERROR(p.read_struct([&](const Field& g) -> Status {
      seen.mark(g.id);
      switch (g.id) {
        case 1:
          return p.field(g, "key", &kv.key);
        case 2:
          return p.field(g, "value", &kv.value);
        default:
          return p.skip(g);
      }
    }));
    SCOUT_RETURN_IF_ERROR(p.require(seen, {{1, "key"}}));
    out->push_back(std::move(kv));
    return Status::OK();
  });
}

Status parse_decimal_type(Parser& p, LogicalType* t) {
  t->kind = LogicalType::Kind::kDecimal;
  Seen seen;
  SCOUT_RETURN_IF_ERROR(p.read_struct([&](const Field& f) -> Status {
    seen.mark(f.id);
    switch (f.id) {
      case 1:
        return p.field(f, "scale", &t->scale);
      case 2:
        return p.field(f, "precision", &t->precision);
      default:
        return p.skip(f);
    }
  }));
  return p.require(seen, {{1, "scale"}, {2, "precision"}});
}

Status parse_timestamp_type(Parser& p, LogicalType* t) {
  t->kind = LogicalType::Kind::kTimestamp;
  Seen seen;
  SCOUT_RETURN_IF_ERROR(p.read_struct([&](const Field& f) -> Status {
    seen.mark(f.id);
    switch (f.id) {
      case 1:
        return p.field(f, "isAdjustedToUTC", &t->is_adjusted_to_utc);
      case 2:
        return p.nested(f, "unit", [&] {
          return p.read_union("TimeUnit", [&](const Field& u) {
            t->unit = static_cast<TimeUnit>(u.id);  // unknown units kept for display
            return p.nested(u, time_unit_name(u.id), [&] { return skip_struct(p); });
          });
        });
      default:
        return p.skip(f);
    }
  }));
  return p.require(seen, {{1, "isAdjustedToUTC"}, {2, "unit"}});
}

Status parse_int_type(Parser& p, LogicalType* t) {
  t->kind = LogicalType::Kind::kInteger;
  Seen seen;
  SCOUT_RETURN_IF_ERROR(p.read_struct([&](const Field& f) -> Status {
    seen.mark(f.id);
    switch (f.id) {
      case 1:
        return p.field(f, "bitWidth", &t->bit_width);
      case 2:
        return p.field(f, "isSigned", &t->is_signed);
      default:
        return p.skip(f);
    }
  }));
  return p.require(seen, {{1, "bitWidth"}, {2, "isSigned"}});
}

// parquet.thrift's LogicalType union; members this reader does not model become kOther.
Status parse_logical_type(Parser& p, LogicalType* t) {
  return p.read_union("LogicalType", [&](const Field& f) {
    return p.nested(f, logical_type_member_name(f.id), [&]() -> Status {
      switch (f.id) {
        case 1:
          t->kind = LogicalType::Kind::kString;
          return skip_struct(p);
        case 5:
          return parse_decimal_type(p, t);
        case 6:
          t->kind = LogicalType::Kind::kDate;
          return skip_struct(p);
        case 8:
          return parse_timestamp_type(p, t);
        case 10:
          return parse_int_type(p, t);
        default:
          t->kind = LogicalType::Kind::kOther;
          t->other_field_id = f.id;
          return skip_struct(p);
      }
    });
  });
}

Status parse_schema_element(Parser& p, SchemaElement* e) {
  Seen seen;
  SCOUT_RETURN_IF_ERROR(p.read_struct([&](const Field& f) -> Status {
    seen.mark(f.id);
    switch (f.id) {
      case 1:
        return p.field(f, "type", &e->type);
      case 2:
        return p.field(f, "type_length", &e->type_length);
      case 3:
        return p.field(f, "repetition_type", &e->repetition_type);
      case 4:
        return p.field(f, "name", &e->name);
      case 5:
        return p.field(f, "num_children", &e->num_children);
      case 6:
        return p.field(f, "converted_type", &e->converted_type);
      case 7:
        return p.field(f, "scale", &e->scale);
      case 8:
        return p.field(f, "precision", &e->precision);
      case 9:
        return p.field(f, "field_id", &e->field_id);
      case 10:
        return p.nested(f, "logicalType",
                        [&] { return parse_logical_type(p, &e->logical_type.emplace()); });
      default:
        return p.skip(f);
    }
  }));
  return p.require(seen, {{4, "name"}});
}

Status parse_column_meta_data(Parser& p, ColumnMetaData* m) {
  Seen seen;
  SCOUT_RETURN_IF_ERROR(p.read_struct([&](const Field& f) -> Status {
    seen.mark(f.id);
    switch (f.id) {
      case 1:
        return p.field(f, "type", &m->type);
      case 2:
        m->encodings.clear();
        return p.list(f, "encodings", ThriftType::kI32, [&]() -> Status {
          int32_t v = 0;
          SCOUT_RETURN_IF_ERROR(p.reader().read_i32(&v));
          m->encodings.push_back(static_cast<Encoding>(v));
          return Status::OK();
        });
      case 3:
        m->path_in_schema.clear();
        return p.list(f, "path_in_schema", ThriftType::kBinary, [&]() -> Status {
          return p.reader().read_binary(&m->path_in_schema.emplace_back());
        });
      case 4:
        return p.field(f, "codec", &m->codec);
      case 5:
        return p.field(f, "num_values", &m->num_values);
      case 6:
        return p.field(f, "total_uncompressed_size", &m->total_uncompressed_size);
      case 7:
        return p.field(f, "total_compressed_size", &m->total_compressed_size);
      case 8:
        return parse_key_values(p, f, &m->key_value_metadata);
      case 9:
        return p.field(f, "data_page_offset", &m->data_page_offset);
      case 10:
        return p.field(f, "index_page_offset", &m->index_page_offset);
      case 11:
        return p.field(f, "dictionary_page_offset", &m->dictionary_page_offset);
      case 12:
        return p.nested(f, "statistics",
                        [&] { return parse_statistics(p, &m->statistics.emplace()); });
      default:
        return p.skip(f);
    }
  }));
  return p.require(seen, {{1, "type"},
                          {2, "encodings"},
                          {3, "path_in_schema"},
                          {4, "codec"},
                          {5, "num_values"},
                          {6, "total_uncompressed_size"},
                          {7, "total_compressed_size"},
                          {9, "data_page_offset"}});
}

Status parse_column_chunk(Parser& p, ColumnChunk* c) {
  Seen seen;
  SCOUT_RETURN_IF_ERROR(p.read_struct([&](const Field& f) -> Status {
    seen.mark(f.id);
    switch (f.id) {
      case 1:
        return p.field(f, "file_path", &c->file_path);
      case 2:
        return p.field(f, "file_offset", &c->file_offset);
      case 3:
        return p.nested(f, "meta_data",
                        [&] { return parse_column_meta_data(p, &c->meta_data.emplace()); });
      case 4:
        return p.field(f, "offset_index_offset", &c->offset_index_offset);
      case 5:
        return p.field(f, "offset_index_length", &c->offset_index_length);
      case 6:
        return p.field(f, "column_index_offset", &c->column_index_offset);
      case 7:
        return p.field(f, "column_index_length", &c->column_index_length);
      default:
        return p.skip(f);
    }
  }));
  return p.require(seen, {{2, "file_offset"}});
}

Status parse_row_group(Parser& p, RowGroup* g) {
  Seen seen;
  SCOUT_RETURN_IF_ERROR(p.read_struct([&](const Field& f) -> Status {
    seen.mark(f.id);
    switch (f.id) {
      case 1:
        g->columns.clear();
        return p.list(f, "columns", ThriftType::kStruct,
                      [&] { return parse_column_chunk(p, &g->columns.emplace_back()); });
      case 2:
        return p.field(f, "total_byte_size", &g->total_byte_size);
      case 3:
        return p.field(f, "num_rows", &g->num_rows);
      case 5:
        return p.field(f, "file_offset", &g->file_offset);
      case 6:
        return p.field(f, "total_compressed_size", &g->total_compressed_size);
      case 7:
        return p.field(f, "ordinal", &g->ordinal);
      default:
        return p.skip(f);
    }
  }));
  return p.require(seen, {{1, "columns"}, {2, "total_byte_size"}, {3, "num_rows"}});
}

Status parse_file_metadata_struct(Parser& p, FileMetaData* m) {
  Seen seen;
  bool has_column_orders = false;
  size_t column_orders = 0;
  bool all_type_defined = true;
  SCOUT_RETURN_IF_ERROR(p.read_struct([&](const Field& f) -> Status {
    seen.mark(f.id);
    switch (f.id) {
      case 1:
        return p.field(f, "version", &m->version);
      case 2:
        m->schema.clear();
        return p.list(f, "schema", ThriftType::kStruct,
                      [&] { return parse_schema_element(p, &m->schema.emplace_back()); });
      case 3:
        return p.field(f, "num_rows", &m->num_rows);
      case 4:
        m->row_groups.clear();
        return p.list(f, "row_groups", ThriftType::kStruct,
                      [&] { return parse_row_group(p, &m->row_groups.emplace_back()); });
      case 5:
        return parse_key_values(p, f, &m->key_value_metadata);
      case 6:
        return p.field(f, "created_by", &m->created_by);
      case 7:
        // ColumnOrder is a union; member 1 is the empty TypeDefinedOrder.
        has_column_orders = true;
        column_orders = 0;
        all_type_defined = true;
        return p.list(f, "column_orders", ThriftType::kStruct, [&] {
          ++column_orders;
          return p.read_union("ColumnOrder", [&](const Field& o) {
            if (o.id != 1) all_type_defined = false;
            return p.nested(o, o.id == 1 ? "TYPE_ORDER" : nullptr, [&] { return skip_struct(p); });
          });
        });
      default:
        return p.skip(f);
    }
  }));
  SCOUT_RETURN_IF_ERROR(
      p.require(seen, {{1, "version"}, {2, "schema"}, {3, "num_rows"}, {4, "row_groups"}}));
  if (has_column_orders) {
    size_t leaves =
        static_cast<size_t>(std::count_if(m->schema.begin(), m->schema.end(),
                                          [](const SchemaElement& e) { return !e.num_children; }));
    if (column_orders != leaves) {
      return Status::Corruption("column_orders has " + std::to_string(column_orders) +
                                " entries but the schema has " + std::to_string(leaves) +
                                " leaf columns");
    }
  }
  m->column_orders_type_defined = has_column_orders && all_type_defined;
  return Status::OK();
}

Status parse_data_page_header(Parser& p, DataPageHeader* d) {
  Seen seen;
  SCOUT_RETURN_IF_ERROR(p.read_struct([&](const Field& f) -> Status {
    seen.mark(f.id);
    switch (f.id) {
      case 1:
        return p.field(f, "num_values", &d->num_values);
      case 2:
        return p.field(f, "encoding", &d->encoding);
      case 3:
        return p.field(f, "definition_level_encoding", &d->definition_level_encoding);
      case 4:
        return p.field(f, "repetition_level_encoding", &d->repetition_level_encoding);
      case 5:
        return p.nested(f, "statistics",
                        [&] { return parse_statistics(p, &d->statistics.emplace()); });
      default:
        return p.skip(f);
    }
  }));
  return p.require(seen, {{1, "num_values"},
                          {2, "encoding"},
                          {3, "definition_level_encoding"},
                          {4, "repetition_level_encoding"}});
}

Status parse_dictionary_page_header(Parser& p, DictionaryPageHeader* d) {
  Seen seen;
  SCOUT_RETURN_IF_ERROR(p.read_struct([&](const Field& f) -> Status {
    seen.mark(f.id);
    switch (f.id) {
      case 1:
        return p.field(f, "num_values", &d->num_values);
      case 2:
        return p.field(f, "encoding", &d->encoding);
      case 3:
        return p.field(f, "is_sorted", &d->is_sorted);
      default:
        return p.skip(f);
    }
  }));
  return p.require(seen, {{1, "num_values"}, {2, "encoding"}});
}

Status parse_page_header_struct(Parser& p, PageHeader* h) {
  Seen seen;
  SCOUT_RETURN_IF_ERROR(p.read_struct([&](const Field& f) -> Status {
    seen.mark(f.id);
    switch (f.id) {
      case 1:
        return p.field(f, "type", &h->type);
      case 2:
        return p.field(f, "uncompressed_page_size", &h->uncompressed_page_size);
      case 3:
        return p.field(f, "compressed_page_size", &h->compressed_page_size);
      case 4:
        return p.field(f, "crc", &h->crc);
      case 5:
        return p.nested(f, "data_page_header",
                        [&] { return parse_data_page_header(p, &h->data_page_header.emplace()); });
      case 7:
        return p.nested(f, "dictionary_page_header", [&] {
          return parse_dictionary_page_header(p, &h->dictionary_page_header.emplace());
        });
      default:
        return p.skip(f);
    }
  }));
  return p.require(seen, {{1, "type"}, {2, "uncompressed_page_size"}, {3, "compressed_page_size"}});
}

Status parse_column_index_struct(Parser& p, ColumnIndex* c) {
  Seen seen;
  SCOUT_RETURN_IF_ERROR(p.read_struct([&](const Field& f) -> Status {
    seen.mark(f.id);
    switch (f.id) {
      case 1:
        c->null_pages.clear();
        return p.list(f, "null_pages", ThriftType::kTrue, [&]() -> Status {
          bool b = false;
          SCOUT_RETURN_IF_ERROR(p.reader().read_bool_element(&b));
          c->null_pages.push_back(b);
          return Status::OK();
        });
      case 2:
        c->min_values.clear();
        return p.list(f, "min_values", ThriftType::kBinary,
                      [&] { return p.reader().read_binary(&c->min_values.emplace_back()); });
      case 3:
        c->max_values.clear();
        return p.list(f, "max_values", ThriftType::kBinary,
                      [&] { return p.reader().read_binary(&c->max_values.emplace_back()); });
      case 4:
        return p.field(f, "boundary_order", &c->boundary_order);
      case 5:
        c->null_counts.clear();
        return p.list(f, "null_counts", ThriftType::kI64, [&]() -> Status {
          int64_t n = 0;
          SCOUT_RETURN_IF_ERROR(p.reader().read_i64(&n));
          c->null_counts.push_back(n);
          return Status::OK();
        });
      default:
        return p.skip(f);
    }
  }));
  return p.require(
      seen, {{1, "null_pages"}, {2, "min_values"}, {3, "max_values"}, {4, "boundary_order"}});
}

Status parse_page_location(Parser& p, PageLocation* l) {
  Seen seen;
  SCOUT_RETURN_IF_ERROR(p.read_struct([&](const Field& f) -> Status {
    seen.mark(f.id);
    switch (f.id) {
      case 1:
        return p.field(f, "offset", &l->offset);
      case 2:
        return p.field(f, "compressed_page_size", &l->compressed_page_size);
      case 3:
        return p.field(f, "first_row_index", &l->first_row_index);
      default:
        return p.skip(f);
    }
  }));
  return p.require(seen, {{1, "offset"}, {2, "compressed_page_size"}, {3, "first_row_index"}});
}

Status parse_offset_index_struct(Parser& p, OffsetIndex* o) {
  Seen seen;
  SCOUT_RETURN_IF_ERROR(p.read_struct([&](const Field& f) -> Status {
    seen.mark(f.id);
    switch (f.id) {
      case 1:
        o->page_locations.clear();
        return p.list(f, "page_locations", ThriftType::kStruct,
                      [&] { return parse_page_location(p, &o->page_locations.emplace_back()); });
      default:
        return p.skip(f);
    }
  }));
  return p.require(seen, {{1, "page_locations"}});
}

// Parses one message; a failure's message starts with the struct and the path of the field.
template <typename T, typename ParseStruct>
Result<T> parse_message(std::string_view bytes, size_t base_offset, size_t* consumed,
                        const char* struct_name, ParseStruct parse) {
  Parser p(bytes, base_offset);
  T out;
  Status st = parse(p, &out);
  if (!st.ok()) {
    std::string where = p.where();
    return Status::Corruption(std::string(struct_name) + (where.empty() ? "" : "." + where) + ": " +
                              st.message());
  }
  if (consumed) *consumed = p.reader().position();
  return out;
}

}  // namespace

Result<FileMetaData> parse_file_metadata(std::string_view bytes, size_t* consumed,
                                         size_t base_offset) {
  return parse_message<FileMetaData>(bytes, base_offset, consumed, "FileMetaData",
                                     parse_file_metadata_struct);
}

Result<PageHeader> parse_page_header(std::string_view bytes, size_t* consumed,
                                     size_t base_offset) {
  return parse_message<PageHeader>(bytes, base_offset, consumed, "PageHeader",
                                   parse_page_header_struct);
}

Result<ColumnIndex> parse_column_index(std::string_view bytes, size_t* consumed,
                                       size_t base_offset) {
  return parse_message<ColumnIndex>(bytes, base_offset, consumed, "ColumnIndex",
                                    parse_column_index_struct);
}

Result<OffsetIndex> parse_offset_index(std::string_view bytes, size_t* consumed,
                                       size_t base_offset) {
  return parse_message<OffsetIndex>(bytes, base_offset, consumed, "OffsetIndex",
                                    parse_offset_index_struct);
}

}  // namespace scout::parquet
