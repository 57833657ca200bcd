#include "parquet/metadata_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <functional>
#include <iterator>
#include <limits>
#include <type_traits>
#include <utility>

#include "parquet/thrift_compact_reader.h"
#include "scout/column_batch.h"  // format_date, format_timestamp_micros

namespace scout::parquet {
namespace {

using namespace format;
using Field = ThriftCompactReader::FieldHeader;

// Member names of parquet.thrift's LogicalType union, by field id.
const char* logical_type_member_name(int id) {
  static constexpr const char* kNames[] = {nullptr,   "STRING",  "MAP",      "LIST",      "ENUM",
                                           "DECIMAL", "DATE",    "TIME",     "TIMESTAMP", nullptr,
                                           "INTEGER", "UNKNOWN", "JSON",     "BSON",      "UUID",
                                           "FLOAT16", "VARIANT", "GEOMETRY", "GEOGRAPHY", "VECTOR"};
  if (id < 0 || id >= static_cast<int>(std::size(kNames))) return nullptr;
  return kNames[id];
}

const char* time_unit_name(int id) {
  switch (id) {
    case 1:
      return "MILLIS";
    case 2:
      return "MICROS";
    case 3:
      return "NANOS";
  }
  return nullptr;
}

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

// ---------------------------------------------------------------------------------------------
// Reading a file: framing, footer, schema tree, page index.

// Random access to the file being read: exactly `length` bytes at `offset`.
using ReadAt = std::function<Status(uint64_t offset, size_t length, std::string* out)>;

// A name from the file, quoted for a message: control bytes escaped, long names cut.
std::string quoted(std::string_view name) {
  std::string out = "'";
  for (size_t i = 0; i < name.size() && i < 64; ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7F) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (name.size() > 64) out += "...";
  return out + "'";
}

uint32_t load_le32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

// Walks the flattened schema (depth first, groups announce num_children) without recursion:
// a hostile schema may nest as deep as it has elements.
Status check_schema(const FileMetaData& m, ParquetFileInfo* info) {
  const auto& schema = m.schema;
  if (schema.empty()) return Status::Corruption("the schema is empty: it has no root element");
  if (!schema[0].num_children || *schema[0].num_children < 0) {
    return Status::Corruption("the schema root " + quoted(schema[0].name) +
                              " is not a group (no valid num_children)");
  }
  info->schema_depth.assign(schema.size(), 0);
  info->leaf_columns.clear();
  std::vector<int64_t> children_left{*schema[0].num_children};
  size_t i = 1;
  while (!children_left.empty()) {
    if (children_left.back() == 0) {
      children_left.pop_back();
      continue;
    }
    --children_left.back();
    if (i >= schema.size()) {
      return Status::Corruption("the schema's groups announce more children than its " +
                                std::to_string(schema.size()) + " elements hold");
    }
    const SchemaElement& e = schema[i];
    info->schema_depth[i] = static_cast<int>(children_left.size());
    if (e.num_children) {
      if (*e.num_children < 0) {
        return Status::Corruption("schema element " + std::to_string(i) + " " + quoted(e.name) +
                                  " has num_children " + std::to_string(*e.num_children));
      }
      children_left.push_back(*e.num_children);
    } else {
      if (!e.type) {
        return Status::Corruption("schema element " + std::to_string(i) + " " + quoted(e.name) +
                                  " is a leaf without a type");
      }
      info->leaf_columns.push_back(i);
    }
    ++i;
  }
  if (i != schema.size()) {
    return Status::Corruption("the schema has " + std::to_string(schema.size()) +
                              " elements but the root's tree holds only " + std::to_string(i));
  }
  for (size_t g = 0; g < m.row_groups.size(); ++g) {
    size_t chunks = m.row_groups[g].columns.size();
    if (chunks != info->leaf_columns.size()) {
      return Status::Corruption("row group " + std::to_string(g) + " has " +
                                std::to_string(chunks) + " column chunks but the schema has " +
                                std::to_string(info->leaf_columns.size()) + " leaf columns");
    }
  }
  return Status::OK();
}

// Reads the page index of every column chunk. Regions must lie between the leading magic and
// the footer, and together fit in the file: overlapping regions cannot multiply the work.
class PageIndexReader {
 public:
  PageIndexReader(const ReadAt& read_at, uint64_t file_size, uint64_t data_end)
      : read_at_(read_at), budget_(file_size), data_end_(data_end) {}

  Status read(ParquetFileInfo* info) {
    const auto& groups = info->metadata.row_groups;
    info->page_index.assign(groups.size(), {});
    for (size_t g = 0; g < groups.size(); ++g) {
      info->page_index[g].resize(groups[g].columns.size());
      for (size_t c = 0; c < groups[g].columns.size(); ++c) {
        const SchemaElement& leaf = info->metadata.schema[info->leaf_columns[c]];
        Status st = read_chunk(groups[g].columns[c], &info->page_index[g][c]);
        if (!st.ok()) {
          return Status::Corruption("row group " + std::to_string(g) + ", column " +
                                    quoted(leaf.name) + ": " + st.message());
        }
      }
    }
    return Status::OK();
  }

 private:
  Status read_chunk(const ColumnChunk& chunk, ColumnPageIndex* out) {
    if (chunk.column_index_offset || chunk.column_index_length) {
      std::string bytes;
      SCOUT_RETURN_IF_ERROR(
          read_region("ColumnIndex", chunk.column_index_offset, chunk.column_index_length, &bytes));
      size_t used = 0;
      auto parsed = parse_message<ColumnIndex>(bytes, *chunk.column_index_offset, &used,
                                               "ColumnIndex", parse_column_index_struct);
      if (!parsed.ok()) return parsed.status();
      SCOUT_RETURN_IF_ERROR(check_length("ColumnIndex", used, bytes.size()));
      const ColumnIndex& index = *parsed;
      size_t pages = index.null_pages.size();
      if (index.min_values.size() != pages || index.max_values.size() != pages ||
          (!index.null_counts.empty() && index.null_counts.size() != pages)) {
        return Status::Corruption("ColumnIndex lists disagree on the page count: null_pages " +
                                  std::to_string(pages) + ", min_values " +
                                  std::to_string(index.min_values.size()) + ", max_values " +
                                  std::to_string(index.max_values.size()) + ", null_counts " +
                                  std::to_string(index.null_counts.size()));
      }
      out->column_index = std::move(*parsed);
    }
    if (chunk.offset_index_offset || chunk.offset_index_length) {
      std::string bytes;
      SCOUT_RETURN_IF_ERROR(
          read_region("OffsetIndex", chunk.offset_index_offset, chunk.offset_index_length, &bytes));
      size_t used = 0;
      auto parsed = parse_message<OffsetIndex>(bytes, *chunk.offset_index_offset, &used,
                                               "OffsetIndex", parse_offset_index_struct);
      if (!parsed.ok()) return parsed.status();
      SCOUT_RETURN_IF_ERROR(check_length("OffsetIndex", used, bytes.size()));
      out->offset_index = std::move(*parsed);
    }
    if (out->column_index && out->offset_index &&
        out->column_index->null_pages.size() != out->offset_index->page_locations.size()) {
      return Status::Corruption(
          "ColumnIndex describes " + std::to_string(out->column_index->null_pages.size()) +
          " pages but OffsetIndex " + std::to_string(out->offset_index->page_locations.size()));
    }
    return Status::OK();
  }

  Status read_region(const char* what, const std::optional<int64_t>& offset,
                     const std::optional<int32_t>& length, std::string* out) {
    if (!offset || !length) {
      return Status::Corruption(std::string(what) + ": the chunk sets only one of its offset " +
                                "and length");
    }
    const std::string region = std::string(what) + " at offset " + std::to_string(*offset) +
                               " length " + std::to_string(*length);
    if (*offset < 4 || *length <= 0 || static_cast<uint64_t>(*offset) > data_end_ ||
        static_cast<uint64_t>(*length) > data_end_ - static_cast<uint64_t>(*offset)) {
      return Status::Corruption(region + " lies outside the file's data, bytes [4, " +
                                std::to_string(data_end_) + ")");
    }
    if (static_cast<uint64_t>(*length) > budget_) {
      return Status::Corruption(region + ": the page index regions add up to more than the " +
                                "file's size (they overlap)");
    }
    budget_ -= static_cast<uint64_t>(*length);
    return read_at_(static_cast<uint64_t>(*offset), static_cast<size_t>(*length), out);
  }

  static Status check_length(const char* what, size_t used, size_t length) {
    if (used == length) return Status::OK();
    return Status::Corruption(std::string(what) + " is " + std::to_string(used) +
                              " bytes but the column chunk says " + std::to_string(length));
  }

  const ReadAt& read_at_;
  uint64_t budget_;
  uint64_t data_end_;
};

Result<ParquetFileInfo> read_footer(uint64_t file_size, const ReadAt& read_at) {
  static constexpr std::string_view kMagic = "PAR1";
  if (file_size < 12) {
    return Status::Corruption("the file has " + std::to_string(file_size) +
                              " bytes; a Parquet file has at least 12 (PAR1, footer length, PAR1)");
  }
  std::string head, tail;
  SCOUT_RETURN_IF_ERROR(read_at(0, 4, &head));
  SCOUT_RETURN_IF_ERROR(read_at(file_size - 8, 8, &tail));
  if (std::string_view(tail).substr(4) == "PARE") {
    return Status::Corruption("the footer is encrypted (PARE), which this reader does not support");
  }
  if (head != kMagic) return Status::Corruption("not a Parquet file: it does not start with PAR1");
  if (std::string_view(tail).substr(4) != kMagic) {
    return Status::Corruption("not a Parquet file, or a truncated one: it does not end with PAR1");
  }
  const uint32_t footer_length = load_le32(tail.data());
  if (footer_length == 0 || footer_length > file_size - 12) {
    return Status::Corruption("footer length " + std::to_string(footer_length) +
                              " does not fit the " + std::to_string(file_size - 12) +
                              " bytes between the magic numbers");
  }
  if (footer_length > kMaxFooterLength) {
    return Status(StatusCode::kResourceExhausted, "footer length " + std::to_string(footer_length) +
                                                      " exceeds this reader's " + "limit of " +
                                                      std::to_string(kMaxFooterLength) + " bytes");
  }
  const uint64_t footer_offset = file_size - 8 - footer_length;
  std::string footer;
  SCOUT_RETURN_IF_ERROR(read_at(footer_offset, footer_length, &footer));

  ParquetFileInfo info;
  info.file_size = static_cast<int64_t>(file_size);
  info.footer_length = footer_length;
  auto meta = parse_message<FileMetaData>(footer, footer_offset, nullptr, "FileMetaData",
                                          parse_file_metadata_struct);
  if (!meta.ok()) return meta.status();
  info.metadata = std::move(*meta);
  SCOUT_RETURN_IF_ERROR(check_schema(info.metadata, &info));
  SCOUT_RETURN_IF_ERROR(PageIndexReader(read_at, file_size, footer_offset).read(&info));
  return info;
}

// Closes a file descriptor on every path.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

Status errno_status(const char* action, int err) {
  std::string message = std::string(action) + ": " + std::strerror(err);
  return err == ENOENT ? Status::NotFound(std::move(message)) : Status::IOError(std::move(message));
}

// ---------------------------------------------------------------------------------------------
// Statistics values for people.

std::string hex(std::string_view bytes, size_t max_bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "0x";
  for (size_t i = 0; i < bytes.size() && i < max_bytes; ++i) {
    auto c = static_cast<unsigned char>(bytes[i]);
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  if (bytes.size() > max_bytes) out += "...";
  return out;
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
T load_le(std::string_view bytes) {
  std::make_unsigned_t<T> v = 0;
  for (size_t i = sizeof(T); i-- > 0;) {
    v = static_cast<std::make_unsigned_t<T>>((v << 8) | static_cast<unsigned char>(bytes[i]));
  }
  return static_cast<T>(v);
}

template <typename T>
std::string number(T v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  return ec == std::errc() ? std::string(buf, end) : std::string("?");
}

std::string decimal_string(__int128 unscaled, int32_t scale) {
  const bool negative = unscaled < 0;
  unsigned __int128 magnitude = static_cast<unsigned __int128>(unscaled);
  if (negative) magnitude = ~magnitude + 1;
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude != 0);
  std::reverse(digits.begin(), digits.end());
  if (scale < 0 || scale > 38) {
    digits += "e" + std::to_string(-static_cast<int64_t>(scale));
  } else if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale)) {
      digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - static_cast<size_t>(scale), 1, '.');
  }
  return negative ? "-" + digits : digits;
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

std::string uuid_string(std::string_view b) {
  std::string h = hex(b, 16).substr(2);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

}  // namespace

size_t ColumnPageIndex::page_count() const {
  if (offset_index) return offset_index->page_locations.size();
  if (column_index) return column_index->null_pages.size();
  return 0;
}

Result<FileMetaData> parse_file_metadata(std::string_view bytes, size_t* consumed) {
  return parse_message<FileMetaData>(bytes, 0, consumed, "FileMetaData",
                                     parse_file_metadata_struct);
}

Result<PageHeader> parse_page_header(std::string_view bytes, size_t* consumed) {
  return parse_message<PageHeader>(bytes, 0, consumed, "PageHeader", parse_page_header_struct);
}

Result<ColumnIndex> parse_column_index(std::string_view bytes, size_t* consumed) {
  return parse_message<ColumnIndex>(bytes, 0, consumed, "ColumnIndex", parse_column_index_struct);
}

Result<OffsetIndex> parse_offset_index(std::string_view bytes, size_t* consumed) {
  return parse_message<OffsetIndex>(bytes, 0, consumed, "OffsetIndex", parse_offset_index_struct);
}

Result<ParquetFileInfo> read_parquet_footer_from_memory(std::string_view file) {
  ReadAt read_at = [file](uint64_t offset, size_t length, std::string* out) -> Status {
    if (offset > file.size() || length > file.size() - offset) {
      return Status::Internal("read past the end of the in-memory file");
    }
    out->assign(file.data() + offset, length);
    return Status::OK();
  };
  return read_footer(file.size(), read_at);
}

Result<ParquetFileInfo> read_parquet_footer(const std::string& path) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) return errno_status("cannot open", errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return errno_status("cannot stat", errno);
  if (S_ISDIR(st.st_mode)) return Status::IOError("is a directory");
  if (!S_ISREG(st.st_mode)) return Status::IOError("not a regular file");
  ReadAt read_at = [&fd](uint64_t offset, size_t length, std::string* out) -> Status {
    out->resize(length);
    size_t done = 0;
    while (done < length) {
      ssize_t n =
          ::pread(fd.get(), out->data() + done, length - done, static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return errno_status("cannot read", errno);
      if (n == 0) return Status::IOError("the file shrank while being read");
      done += static_cast<size_t>(n);
    }
    return Status::OK();
  };
  return read_footer(static_cast<uint64_t>(st.st_size), read_at);
}

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
      const auto v = load_le<int32_t>(value);
      if (k.is_date) return format_date(v);
      if (k.is_decimal) return decimal_string(v, k.scale);
      if (k.is_unsigned) return number(static_cast<uint32_t>(v));
      return number(v);
    }
    case Type::INT64: {
      if (value.size() != 8) return invalid();
      const auto v = load_le<int64_t>(value);
      if (k.timestamp_unit) return format_timestamp(v, *k.timestamp_unit, k.timestamp_utc);
      if (k.is_decimal) return decimal_string(v, k.scale);
      if (k.is_unsigned) return number(static_cast<uint64_t>(v));
      return number(v);
    }
    case Type::FLOAT:
      if (value.size() != 4) return invalid();
      return number(std::bit_cast<float>(load_le<uint32_t>(value)));
    case Type::DOUBLE:
      if (value.size() != 8) return invalid();
      return number(std::bit_cast<double>(load_le<uint64_t>(value)));
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

}  // namespace scout::parquet
