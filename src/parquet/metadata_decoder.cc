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

  // A list field of values (bools, i64s, enums, binaries), replacing what `out` held.
  template <typename T>
  Status value_list(const Field& f, const char* name, std::vector<T>* out) {
    out->clear();
    return list(f, name, element_type<T>(), [&]() -> Status {
      T v{};
      SCOUT_RETURN_IF_ERROR(element(&v));
      out->push_back(std::move(v));
      return Status::OK();
    });
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

  // List elements have no field header: the list's element type was checked instead.
  template <typename T>
  static constexpr ThriftType element_type() {
    if constexpr (std::is_same_v<T, bool>) {
      return ThriftType::kTrue;
    } else if constexpr (std::is_same_v<T, int64_t>) {
      return ThriftType::kI64;
    } else if constexpr (std::is_enum_v<T>) {
      return ThriftType::kI32;
    } else {
      static_assert(std::is_same_v<T, std::string>, "no list of this element type in parquet.thrift");
      return ThriftType::kBinary;
    }
  }
  Status element(bool* out) { return r_.read_bool_element(out); }
  Status element(int64_t* out) { return r_.read_i64(out); }
  Status element(std::string* out) { return r_.read_binary(out); }
  template <typename E>
  requires std::is_enum_v<E> Status element(E* out) {
    int32_t v = 0;
    SCOUT_RETURN_IF_ERROR(r_.read_i32(&v));
    *out = static_cast<E>(v);
    return Status::OK();
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

Status skip_struct(Parser& p) { return p.reader().skip(ThriftType::kStruct); }

// ---------------------------------------------------------------------------------------------
// The structs, as tables of their fields in parquet.thrift's order: id, name, required or not,
// and how the value is read. read_fields() reads a struct by its table, skips the fields the
// table does not name, and refuses a struct that lacks a required field.

// How field `id` of struct S is read. `read` gets the rule's name for the path in messages.
template <typename S>
struct FieldRule {
  int16_t id;
  const char* name;
  bool required;
  Status (*read)(Parser& p, const Field& f, const char* name, S* s);
};
constexpr bool kRequired = true;
constexpr bool kOptional = false;

// The readers of a field by the type of its member. Generic lambdas, so that a rule of a
// struct derived from the member's class can use them too.
template <auto Member>  // bool, integer, enum, string, or an optional one
constexpr auto value = [](Parser& p, const Field& f, const char* name, auto* s) -> Status {
  return p.field(f, name, &(s->*Member));
};
template <auto Member>  // std::vector of values
constexpr auto value_list = [](Parser& p, const Field& f, const char* name, auto* s) -> Status {
  return p.value_list(f, name, &(s->*Member));
};
template <auto Member>  // std::optional of a struct
constexpr auto nested_struct = [](Parser& p, const Field& f, const char* name,
                                  auto* s) -> Status {
  return p.nested(f, name, [&] { return parse(p, &(s->*Member).emplace()); });
};
template <auto Member>  // std::vector of structs
constexpr auto struct_list = [](Parser& p, const Field& f, const char* name, auto* s) -> Status {
  auto& out = s->*Member;
  out.clear();
  return p.list(f, name, ThriftType::kStruct, [&] { return parse(p, &out.emplace_back()); });
};

template <typename S, size_t N>
Status read_fields(Parser& p, S* s, const FieldRule<S> (&rules)[N]) {
  uint32_t seen = 0;  // by field id; every id in a table is below 32
  SCOUT_RETURN_IF_ERROR(p.read_struct([&](const Field& f) -> Status {
    for (const FieldRule<S>& rule : rules) {
      if (rule.id != f.id) continue;
      seen |= 1u << rule.id;
      return rule.read(p, f, rule.name, s);
    }
    return p.skip(f);
  }));
  for (const FieldRule<S>& rule : rules) {
    if (!rule.required || (seen >> rule.id) & 1u) continue;
    // The struct's stop byte was the last byte read.
    return p.reader().corruption_at("required field " + std::to_string(rule.id) + " (" +
                                        rule.name + ") is missing from the struct ending",
                                    p.reader().offset() - 1);
  }
  return Status::OK();
}

constexpr FieldRule<Statistics> kStatisticsFields[] = {
    {1, "max", kOptional, value<&Statistics::max>},
    {2, "min", kOptional, value<&Statistics::min>},
    {3, "null_count", kOptional, value<&Statistics::null_count>},
    {4, "distinct_count", kOptional, value<&Statistics::distinct_count>},
    {5, "max_value", kOptional, value<&Statistics::max_value>},
    {6, "min_value", kOptional, value<&Statistics::min_value>},
};
Status parse(Parser& p, Statistics* s) { return read_fields(p, s, kStatisticsFields); }

constexpr FieldRule<KeyValue> kKeyValueFields[] = {
    {1, "key", kRequired, value<&KeyValue::key>},
    {2, "value", kOptional, value<&KeyValue::value>},
};
Status parse(Parser& p, KeyValue* kv) { return read_fields(p, kv, kKeyValueFields); }

// LogicalType's members that carry parameters, read into the one LogicalType struct.
constexpr FieldRule<LogicalType> kDecimalTypeFields[] = {
    {1, "scale", kRequired, value<&LogicalType::scale>},
    {2, "precision", kRequired, value<&LogicalType::precision>},
};
constexpr FieldRule<LogicalType> kTimestampTypeFields[] = {
    {1, "isAdjustedToUTC", kRequired, value<&LogicalType::is_adjusted_to_utc>},
    {2, "unit", kRequired, [](Parser& p, const Field& f, const char* name, LogicalType* t) {
       return p.nested(f, name, [&] {
         return p.read_union("TimeUnit", [&](const Field& u) {
           t->unit = static_cast<TimeUnit>(u.id);  // unknown units kept for display
           return p.nested(u, time_unit_name(u.id), [&] { return skip_struct(p); });
         });
       });
     }},
};
constexpr FieldRule<LogicalType> kIntTypeFields[] = {
    {1, "bitWidth", kRequired, value<&LogicalType::bit_width>},
    {2, "isSigned", kRequired, value<&LogicalType::is_signed>},
};

// parquet.thrift's LogicalType union; members this reader does not model become kOther.
Status parse(Parser& p, LogicalType* t) {
  using Kind = LogicalType::Kind;
  return p.read_union("LogicalType", [&](const Field& f) {
    return p.nested(f, logical_type_member_name(f.id), [&]() -> Status {
      switch (f.id) {
        case 1:
          t->kind = Kind::kString;
          return skip_struct(p);
        case 5:
          t->kind = Kind::kDecimal;
          return read_fields(p, t, kDecimalTypeFields);
        case 6:
          t->kind = Kind::kDate;
          return skip_struct(p);
        case 8:
          t->kind = Kind::kTimestamp;
          return read_fields(p, t, kTimestampTypeFields);
        case 10:
          t->kind = Kind::kInteger;
          return read_fields(p, t, kIntTypeFields);
        default:
          t->kind = Kind::kOther;
          t->other_field_id = f.id;
          return skip_struct(p);
      }
    });
  });
}

constexpr FieldRule<SchemaElement> kSchemaElementFields[] = {
    {1, "type", kOptional, value<&SchemaElement::type>},
    {2, "type_length", kOptional, value<&SchemaElement::type_length>},
    {3, "repetition_type", kOptional, value<&SchemaElement::repetition_type>},
    {4, "name", kRequired, value<&SchemaElement::name>},
    {5, "num_children", kOptional, value<&SchemaElement::num_children>},
    {6, "converted_type", kOptional, value<&SchemaElement::converted_type>},
    {7, "scale", kOptional, value<&SchemaElement::scale>},
    {8, "precision", kOptional, value<&SchemaElement::precision>},
    {9, "field_id", kOptional, value<&SchemaElement::field_id>},
    {10, "logicalType", kOptional, nested_struct<&SchemaElement::logical_type>},
};
Status parse(Parser& p, SchemaElement* e) { return read_fields(p, e, kSchemaElementFields); }

constexpr FieldRule<ColumnMetaData> kColumnMetaDataFields[] = {
    {1, "type", kRequired, value<&ColumnMetaData::type>},
    {2, "encodings", kRequired, value_list<&ColumnMetaData::encodings>},
    {3, "path_in_schema", kRequired, value_list<&ColumnMetaData::path_in_schema>},
    {4, "codec", kRequired, value<&ColumnMetaData::codec>},
    {5, "num_values", kRequired, value<&ColumnMetaData::num_values>},
    {6, "total_uncompressed_size", kRequired, value<&ColumnMetaData::total_uncompressed_size>},
    {7, "total_compressed_size", kRequired, value<&ColumnMetaData::total_compressed_size>},
    {8, "key_value_metadata", kOptional, struct_list<&ColumnMetaData::key_value_metadata>},
    {9, "data_page_offset", kRequired, value<&ColumnMetaData::data_page_offset>},
    {10, "index_page_offset", kOptional, value<&ColumnMetaData::index_page_offset>},
    {11, "dictionary_page_offset", kOptional, value<&ColumnMetaData::dictionary_page_offset>},
    {12, "statistics", kOptional, nested_struct<&ColumnMetaData::statistics>},
};
Status parse(Parser& p, ColumnMetaData* m) { return read_fields(p, m, kColumnMetaDataFields); }

constexpr FieldRule<ColumnChunk> kColumnChunkFields[] = {
    {1, "file_path", kOptional, value<&ColumnChunk::file_path>},
    {2, "file_offset", kRequired, value<&ColumnChunk::file_offset>},
    {3, "meta_data", kOptional, nested_struct<&ColumnChunk::meta_data>},
    {4, "offset_index_offset", kOptional, value<&ColumnChunk::offset_index_offset>},
    {5, "offset_index_length", kOptional, value<&ColumnChunk::offset_index_length>},
    {6, "column_index_offset", kOptional, value<&ColumnChunk::column_index_offset>},
    {7, "column_index_length", kOptional, value<&ColumnChunk::column_index_length>},
};
Status parse(Parser& p, ColumnChunk* c) { return read_fields(p, c, kColumnChunkFields); }

constexpr FieldRule<RowGroup> kRowGroupFields[] = {
    {1, "columns", kRequired, struct_list<&RowGroup::columns>},
    {2, "total_byte_size", kRequired, value<&RowGroup::total_byte_size>},
    {3, "num_rows", kRequired, value<&RowGroup::num_rows>},
    {5, "file_offset", kOptional, value<&RowGroup::file_offset>},
    {6, "total_compressed_size", kOptional, value<&RowGroup::total_compressed_size>},
    {7, "ordinal", kOptional, value<&RowGroup::ordinal>},
};
Status parse(Parser& p, RowGroup* g) { return read_fields(p, g, kRowGroupFields); }

// FileMetaData keeps of column_orders only whether every entry is a TypeDefinedOrder; while
// the footer is read, the count is kept too, to check it against the leaves at the end.
struct FileMetaDataBeingRead : FileMetaData {
  bool has_column_orders = false;
  size_t column_orders = 0;
  bool all_type_defined = true;
};

constexpr FieldRule<FileMetaDataBeingRead> kFileMetaDataFields[] = {
    {1, "version", kRequired, value<&FileMetaData::version>},
    {2, "schema", kRequired, struct_list<&FileMetaData::schema>},
    {3, "num_rows", kRequired, value<&FileMetaData::num_rows>},
    {4, "row_groups", kRequired, struct_list<&FileMetaData::row_groups>},
    {5, "key_value_metadata", kOptional, struct_list<&FileMetaData::key_value_metadata>},
    {6, "created_by", kOptional, value<&FileMetaData::created_by>},
    // ColumnOrder is a union; member 1 is the empty TypeDefinedOrder.
    {7, "column_orders", kOptional,
     [](Parser& p, const Field& f, const char* name, FileMetaDataBeingRead* m) {
       m->has_column_orders = true;
       m->column_orders = 0;
       m->all_type_defined = true;
       return p.list(f, name, ThriftType::kStruct, [&] {
         ++m->column_orders;
         return p.read_union("ColumnOrder", [&](const Field& o) {
           if (o.id != 1) m->all_type_defined = false;
           return p.nested(o, o.id == 1 ? "TYPE_ORDER" : nullptr, [&] { return skip_struct(p); });
         });
       });
     }},
};

Status parse(Parser& p, FileMetaData* out) {
  FileMetaDataBeingRead m;
  SCOUT_RETURN_IF_ERROR(read_fields(p, &m, kFileMetaDataFields));
  if (m.has_column_orders) {
    size_t leaves =
        static_cast<size_t>(std::count_if(m.schema.begin(), m.schema.end(),
                                          [](const SchemaElement& e) { return !e.num_children; }));
    if (m.column_orders != leaves) {
      return Status::Corruption("column_orders has " + std::to_string(m.column_orders) +
                                " entries but the schema has " + std::to_string(leaves) +
                                " leaf columns");
    }
  }
  m.column_orders_type_defined = m.has_column_orders && m.all_type_defined;
  *out = std::move(static_cast<FileMetaData&>(m));
  return Status::OK();
}

constexpr FieldRule<DataPageHeader> kDataPageHeaderFields[] = {
    {1, "num_values", kRequired, value<&DataPageHeader::num_values>},
    {2, "encoding", kRequired, value<&DataPageHeader::encoding>},
    {3, "definition_level_encoding", kRequired, value<&DataPageHeader::definition_level_encoding>},
    {4, "repetition_level_encoding", kRequired, value<&DataPageHeader::repetition_level_encoding>},
    {5, "statistics", kOptional, nested_struct<&DataPageHeader::statistics>},
};
Status parse(Parser& p, DataPageHeader* d) { return read_fields(p, d, kDataPageHeaderFields); }

constexpr FieldRule<DictionaryPageHeader> kDictionaryPageHeaderFields[] = {
    {1, "num_values", kRequired, value<&DictionaryPageHeader::num_values>},
    {2, "encoding", kRequired, value<&DictionaryPageHeader::encoding>},
    {3, "is_sorted", kOptional, value<&DictionaryPageHeader::is_sorted>},
};
Status parse(Parser& p, DictionaryPageHeader* d) {
  return read_fields(p, d, kDictionaryPageHeaderFields);
}

constexpr FieldRule<PageHeader> kPageHeaderFields[] = {
    {1, "type", kRequired, value<&PageHeader::type>},
    {2, "uncompressed_page_size", kRequired, value<&PageHeader::uncompressed_page_size>},
    {3, "compressed_page_size", kRequired, value<&PageHeader::compressed_page_size>},
    {4, "crc", kOptional, value<&PageHeader::crc>},
    {5, "data_page_header", kOptional, nested_struct<&PageHeader::data_page_header>},
    {7, "dictionary_page_header", kOptional, nested_struct<&PageHeader::dictionary_page_header>},
};
Status parse(Parser& p, PageHeader* h) { return read_fields(p, h, kPageHeaderFields); }

constexpr FieldRule<ColumnIndex> kColumnIndexFields[] = {
    {1, "null_pages", kRequired, value_list<&ColumnIndex::null_pages>},
    {2, "min_values", kRequired, value_list<&ColumnIndex::min_values>},
    {3, "max_values", kRequired, value_list<&ColumnIndex::max_values>},
    {4, "boundary_order", kRequired, value<&ColumnIndex::boundary_order>},
    {5, "null_counts", kOptional, value_list<&ColumnIndex::null_counts>},
};
Status parse(Parser& p, ColumnIndex* c) { return read_fields(p, c, kColumnIndexFields); }

constexpr FieldRule<PageLocation> kPageLocationFields[] = {
    {1, "offset", kRequired, value<&PageLocation::offset>},
    {2, "compressed_page_size", kRequired, value<&PageLocation::compressed_page_size>},
    {3, "first_row_index", kRequired, value<&PageLocation::first_row_index>},
};
Status parse(Parser& p, PageLocation* l) { return read_fields(p, l, kPageLocationFields); }

constexpr FieldRule<OffsetIndex> kOffsetIndexFields[] = {
    {1, "page_locations", kRequired, struct_list<&OffsetIndex::page_locations>},
};
Status parse(Parser& p, OffsetIndex* o) { return read_fields(p, o, kOffsetIndexFields); }

// Parses one message; a failure's message starts with the struct and the path of the field.
template <typename T>
Result<T> parse_message(std::string_view bytes, size_t base_offset, size_t* consumed,
                        const char* struct_name) {
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
  return parse_message<FileMetaData>(bytes, base_offset, consumed, "FileMetaData");
}

Result<PageHeader> parse_page_header(std::string_view bytes, size_t* consumed,
                                     size_t base_offset) {
  return parse_message<PageHeader>(bytes, base_offset, consumed, "PageHeader");
}

Result<ColumnIndex> parse_column_index(std::string_view bytes, size_t* consumed,
                                       size_t base_offset) {
  return parse_message<ColumnIndex>(bytes, base_offset, consumed, "ColumnIndex");
}

Result<OffsetIndex> parse_offset_index(std::string_view bytes, size_t* consumed,
                                       size_t base_offset) {
  return parse_message<OffsetIndex>(bytes, base_offset, consumed, "OffsetIndex");
}

}  // namespace scout::parquet
