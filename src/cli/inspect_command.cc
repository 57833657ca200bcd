// `scout-export inspect FILE [--json]`: a Parquet file's schema, footer, row groups, column
// chunks, statistics and page index, as text for people or as one JSON object for scripts.
// Any file is refused with a one-line error and exit code 1, never a crash: the footer reader
// checks the bytes, and everything printed from the file is escaped for the terminal.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "cli/commands.h"
#include "common/hex.h"  // printable
#include "inspect/metadata_text.h"
#include "parquet/footer_reader.h"

namespace scout::cli {
namespace {

using namespace scout::parquet;
using namespace scout::parquet::format;
using scout::inspect::describe_logical_type;
using scout::inspect::format_statistic_value;
using nlohmann::json;

// An enum's name, or UNKNOWN(n) for a value this build does not know.
template <typename E>
std::string name_of(E e) {
  const char* name = to_string(e);
  if (std::strcmp(name, "UNKNOWN") != 0) return name;
  return "UNKNOWN(" + std::to_string(static_cast<int32_t>(e)) + ")";
}

std::string physical_type(const SchemaElement& e) {
  std::string out = name_of(*e.type);
  if (*e.type == Type::FIXED_LEN_BYTE_ARRAY && e.type_length) {
    out += "(" + std::to_string(*e.type_length) + ")";
  }
  return out;
}

std::string column_path(const ParquetFileInfo& info, const ColumnChunk& chunk, size_t column) {
  if (!chunk.meta_data || chunk.meta_data->path_in_schema.empty()) {
    return info.metadata.schema[info.leaf_columns[column]].name;
  }
  std::string path;
  for (const auto& part : chunk.meta_data->path_in_schema) {
    if (!path.empty()) path += '.';
    path += part;
  }
  return path;
}

// Chunk statistics for display: min_value/max_value, or the deprecated signed-order min/max
// when only those were written (flagged as legacy).
struct ShownStatistics {
  std::optional<std::string> min, max;
  bool legacy = false;
};

ShownStatistics shown_statistics(const SchemaElement& leaf, const Statistics& s) {
  ShownStatistics out;
  const auto& min = s.min_value ? s.min_value : s.min;
  const auto& max = s.max_value ? s.max_value : s.max;
  out.legacy = (!s.min_value && s.min) || (!s.max_value && s.max);
  if (min) out.min = format_statistic_value(leaf, *min);
  if (max) out.max = format_statistic_value(leaf, *max);
  return out;
}

// Sum of the row groups' num_rows, wrapping rather than overflowing on hostile values.
int64_t row_group_rows(const FileMetaData& m) {
  uint64_t total = 0;
  for (const auto& g : m.row_groups) total += static_cast<uint64_t>(g.num_rows);
  return static_cast<int64_t>(total);
}

// ---------------------------------------------------------------------------------------------
// Text

constexpr int kMaxIndentDepth = 16;

void append_schema_text(const ParquetFileInfo& info, std::string* out) {
  const auto& schema = info.metadata.schema;
  *out += "schema (" + std::to_string(info.leaf_columns.size()) + " columns):\n";
  for (size_t i = 0; i < schema.size(); ++i) {
    const SchemaElement& e = schema[i];
    // Indentation shows nesting up to a point: a hostile schema may be thousands deep.
    const int depth = info.schema_depth[i];
    *out += std::string(2 + 2 * static_cast<size_t>(std::min(depth, kMaxIndentDepth)), ' ');
    if (depth > kMaxIndentDepth) *out += "[depth " + std::to_string(depth) + "] ";
    *out += printable(e.name) + ":";
    if (e.num_children) {
      *out += " group of " + std::to_string(*e.num_children);
    } else {
      *out += " " + physical_type(e);
    }
    if (e.repetition_type) *out += " " + name_of(*e.repetition_type);
    if (e.logical_type && e.logical_type->kind != LogicalType::Kind::kNone) {
      *out += ", logical " + describe_logical_type(*e.logical_type);
    }
    if (e.converted_type) *out += ", converted " + name_of(*e.converted_type);
    if (e.precision) *out += ", precision " + std::to_string(*e.precision);
    if (e.scale) *out += ", scale " + std::to_string(*e.scale);
    if (e.field_id) *out += ", field_id " + std::to_string(*e.field_id);
    *out += "\n";
  }
}

void append_chunk_text(const ParquetFileInfo& info, size_t group, size_t column, std::string* out) {
  const ColumnChunk& chunk = info.metadata.row_groups[group].columns[column];
  const SchemaElement& leaf = info.metadata.schema[info.leaf_columns[column]];
  *out += "  column " + std::to_string(column) + " '" +
          printable(column_path(info, chunk, column)) + "':";
  if (!chunk.meta_data) {
    *out += " no column metadata in the footer\n";
  } else {
    const ColumnMetaData& m = *chunk.meta_data;
    *out += " " + name_of(m.type) + ", " + name_of(m.codec) + ", encodings";
    for (size_t i = 0; i < m.encodings.size(); ++i) {
      *out += (i == 0 ? " " : ",") + name_of(m.encodings[i]);
    }
    *out += "\n    " + std::to_string(m.num_values) + " values, compressed " +
            std::to_string(m.total_compressed_size) + " B, uncompressed " +
            std::to_string(m.total_uncompressed_size) + " B\n    ";
    if (m.dictionary_page_offset) {
      *out += "dictionary page at " + std::to_string(*m.dictionary_page_offset) + ", ";
    }
    *out += "data page at " + std::to_string(m.data_page_offset) + "\n";
    if (m.statistics) {
      const Statistics& s = *m.statistics;
      const ShownStatistics shown = shown_statistics(leaf, s);
      *out += "    statistics:";
      if (shown.min) *out += " min " + printable(*shown.min) + ",";
      if (shown.max) *out += " max " + printable(*shown.max) + ",";
      if (shown.legacy) *out += " (legacy signed-order min/max),";
      *out += " null_count " + (s.null_count ? std::to_string(*s.null_count) : "absent");
      if (s.distinct_count) *out += ", distinct_count " + std::to_string(*s.distinct_count);
      *out += "\n";
    } else {
      *out += "    statistics: none\n";
    }
  }
  const ColumnPageIndex& index = info.page_index[group][column];
  if (!index.column_index && !index.offset_index) {
    *out += "    page index: none\n";
    return;
  }
  *out += "    page index: " + std::to_string(index.page_count()) + " pages (";
  if (index.column_index) {
    *out += "column index " + name_of(index.column_index->boundary_order);
    if (index.offset_index) *out += ", ";
  }
  if (index.offset_index) *out += "offset index";
  *out += ")\n";
}

std::string inspect_text(const std::string& path, const ParquetFileInfo& info) {
  const FileMetaData& m = info.metadata;
  std::string out;
  out += "file: " + printable(path) + " (" + std::to_string(info.file_size) + " bytes, footer " +
         std::to_string(info.footer_length) + " bytes)\n";
  out += "created_by: " + (m.created_by ? printable(*m.created_by) : "(absent)") + "\n";
  out += "version: " + std::to_string(m.version) + "\n";
  out += "num_rows: " + std::to_string(m.num_rows);
  if (row_group_rows(m) != m.num_rows) {
    out += " (but the row groups hold " + std::to_string(row_group_rows(m)) + ")";
  }
  out += "\ncolumn orders: ";
  out += m.column_orders_type_defined
             ? "TypeDefinedOrder for every column\n"
             : "absent or not TypeDefinedOrder (readers may ignore min/max statistics)\n";
  if (!m.key_value_metadata.empty()) {
    out += "key-value metadata:\n";
    for (const auto& kv : m.key_value_metadata) {
      out += "  " + printable(kv.key) + " = " + (kv.value ? printable(*kv.value) : "(null)") + "\n";
    }
  }
  append_schema_text(info, &out);
  out += "row groups: " + std::to_string(m.row_groups.size()) + "\n";
  for (size_t g = 0; g < m.row_groups.size(); ++g) {
    const RowGroup& group = m.row_groups[g];
    out += "row group " + std::to_string(g) + ": " + std::to_string(group.num_rows) +
           " rows, total_byte_size " + std::to_string(group.total_byte_size);
    if (group.total_compressed_size) {
      out += ", compressed " + std::to_string(*group.total_compressed_size);
    }
    if (group.file_offset) out += ", file_offset " + std::to_string(*group.file_offset);
    out += "\n";
    for (size_t c = 0; c < group.columns.size(); ++c) append_chunk_text(info, g, c, &out);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// JSON

json schema_json(const ParquetFileInfo& info) {
  json out = json::array();
  const auto& schema = info.metadata.schema;
  for (size_t i = 0; i < schema.size(); ++i) {
    const SchemaElement& e = schema[i];
    json j = {{"name", e.name}, {"depth", info.schema_depth[i]}};
    if (e.type) j["physical_type"] = name_of(*e.type);
    if (e.type_length) j["type_length"] = *e.type_length;
    if (e.repetition_type) j["repetition"] = name_of(*e.repetition_type);
    if (e.num_children) j["num_children"] = *e.num_children;
    if (e.logical_type && e.logical_type->kind != LogicalType::Kind::kNone) {
      j["logical_type"] = describe_logical_type(*e.logical_type);
    }
    if (e.converted_type) j["converted_type"] = name_of(*e.converted_type);
    if (e.precision) j["precision"] = *e.precision;
    if (e.scale) j["scale"] = *e.scale;
    if (e.field_id) j["field_id"] = *e.field_id;
    out.push_back(std::move(j));
  }
  return out;
}

json chunk_json(const ParquetFileInfo& info, size_t group, size_t column) {
  const ColumnChunk& chunk = info.metadata.row_groups[group].columns[column];
  const SchemaElement& leaf = info.metadata.schema[info.leaf_columns[column]];
  json j = {{"path", column_path(info, chunk, column)}, {"file_offset", chunk.file_offset}};
  if (chunk.meta_data) {
    const ColumnMetaData& m = *chunk.meta_data;
    json encodings = json::array();
    for (Encoding e : m.encodings) encodings.push_back(name_of(e));
    j["physical_type"] = name_of(m.type);
    j["codec"] = name_of(m.codec);
    j["encodings"] = std::move(encodings);
    j["num_values"] = m.num_values;
    j["total_compressed_size"] = m.total_compressed_size;
    j["total_uncompressed_size"] = m.total_uncompressed_size;
    j["data_page_offset"] = m.data_page_offset;
    if (m.dictionary_page_offset) j["dictionary_page_offset"] = *m.dictionary_page_offset;
    if (m.statistics) {
      const Statistics& s = *m.statistics;
      const ShownStatistics shown = shown_statistics(leaf, s);
      json stats = json::object();
      if (shown.min) stats["min"] = *shown.min;
      if (shown.max) stats["max"] = *shown.max;
      if (shown.legacy) stats["legacy_min_max"] = true;
      if (s.null_count) stats["null_count"] = *s.null_count;
      if (s.distinct_count) stats["distinct_count"] = *s.distinct_count;
      j["statistics"] = std::move(stats);
    }
  }
  const ColumnPageIndex& index = info.page_index[group][column];
  if (index.column_index || index.offset_index) {
    json p = {{"pages", index.page_count()},
              {"column_index", index.column_index.has_value()},
              {"offset_index", index.offset_index.has_value()}};
    if (index.column_index) p["boundary_order"] = name_of(index.column_index->boundary_order);
    j["page_index"] = std::move(p);
  }
  return j;
}

json inspect_json(const std::string& path, const ParquetFileInfo& info) {
  const FileMetaData& m = info.metadata;
  json out = {{"file", path},
              {"file_size", info.file_size},
              {"footer_length", info.footer_length},
              {"version", m.version},
              {"num_rows", m.num_rows},
              {"column_orders_type_defined", m.column_orders_type_defined}};
  if (m.created_by) out["created_by"] = *m.created_by;
  json kvs = json::array();
  for (const auto& kv : m.key_value_metadata) {
    kvs.push_back({{"key", kv.key}, {"value", kv.value ? json(*kv.value) : json(nullptr)}});
  }
  out["key_value_metadata"] = std::move(kvs);
  out["schema"] = schema_json(info);
  json groups = json::array();
  for (size_t g = 0; g < m.row_groups.size(); ++g) {
    const RowGroup& group = m.row_groups[g];
    json jg = {{"num_rows", group.num_rows}, {"total_byte_size", group.total_byte_size}};
    if (group.total_compressed_size) jg["total_compressed_size"] = *group.total_compressed_size;
    if (group.file_offset) jg["file_offset"] = *group.file_offset;
    json columns = json::array();
    for (size_t c = 0; c < group.columns.size(); ++c) columns.push_back(chunk_json(info, g, c));
    jg["columns"] = std::move(columns);
    groups.push_back(std::move(jg));
  }
  out["row_groups"] = std::move(groups);
  return out;
}

int run_inspect(const std::string& path, bool as_json) {
  auto fail = [&](const std::string& reason) {
    std::fprintf(stderr, "inspect: '%s': %s\n", printable(path).c_str(), reason.c_str());
    return 1;
  };
  try {
    auto info = read_parquet_footer(path);
    if (!info.ok()) return fail(info.status().message());
    std::string out;
    if (as_json) {
      // Names and values from the file need not be UTF-8: replace what is not.
      out = inspect_json(path, *info).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
    } else {
      out = inspect_text(path, *info);
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    if (std::fflush(stdout) != 0) return fail(std::string("cannot write: ") + std::strerror(errno));
    return 0;
  } catch (const std::exception& e) {  // allocation failure on a huge footer
    return fail(e.what());
  }
}

}  // namespace

void add_inspect_command(CLI::App& app, int* exit_code) {
  auto* cmd =
      app.add_subcommand("inspect", "Print a Parquet file's schema, row groups and metadata");
  struct Args {
    std::string path;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("file", args->path, "Parquet file")->required();
  cmd->add_flag("--json", args->json, "Print one JSON object instead of text");
  cmd->callback([args, exit_code] { *exit_code = run_inspect(args->path, args->json); });
}

}  // namespace scout::cli
