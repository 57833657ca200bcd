// Writes the interop matrix: every type × required/optional/all-null × every codec ×
// dictionary / dictionary fallback / plain × one or several row groups and pages, plus edge
// values and zero-row files. Beside each file, <name>.expected.json holds what any reader must
// find, in a reader-neutral form (int64 and decimals as strings, dates as YYYY-MM-DD,
// timestamps as microsecond strings, non-finite floats as "NaN"/"Infinity"/"-Infinity",
// binary as hex). A second mode writes the sorted file the statistics test filters.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "export/format_writer.h"
#include "scout/parquet/writer.h"

using namespace scout;
using json = nlohmann::ordered_json;

namespace {

uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

struct TypeCase {
  const char* name;
  DataType type;
};

const std::vector<TypeCase> kTypes = {
    {"boolean", DataType::of(TypeId::kBoolean)},   {"int16", DataType::of(TypeId::kInt16)},
    {"int32", DataType::of(TypeId::kInt32)},       {"int64", DataType::of(TypeId::kInt64)},
    {"float", DataType::of(TypeId::kFloat)},       {"double", DataType::of(TypeId::kDouble)},
    {"dec9", DataType::decimal(9, 2)},             {"dec18", DataType::decimal(18, 4)},
    {"dec38", DataType::decimal(38, 6)},           {"string", DataType::of(TypeId::kString)},
    {"date", DataType::of(TypeId::kDate)},         {"timestamp", DataType::of(TypeId::kTimestamp)},
    {"binary", DataType::of(TypeId::kBinary)},
};

// kGrowing repeats a few values at the start of each row group (so the dictionary is chosen)
// and then turns distinct (so it outgrows its limit and the chunk falls back to PLAIN).
enum class Values { kFewDistinct, kManyDistinct, kGrowing, kEdges };

std::string hex(std::string_view b) {
  static constexpr char k[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : b) {
    out.push_back(k[c >> 4]);
    out.push_back(k[c & 15]);
  }
  return out;
}

std::string decimal_text(__int128 v, int scale) {
  std::string s;
  append_decimal(&s, v, scale);
  return s;
}

json double_json(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

// Appends row `r`'s value of `t` to `col` and returns its expected JSON.
json put_value(ColumnVector& col, const TypeCase& t, int64_t r, Values mode) {
  bool few = mode == Values::kFewDistinct || (mode == Values::kGrowing && r % 1000 < 400);
  uint64_t h = few ? mix(static_cast<uint64_t>(r % 7)) : mix(static_cast<uint64_t>(r) * 7919 + 13);
  const int edge = static_cast<int>(r % 8);
  const bool edges = mode == Values::kEdges;
  switch (t.type.id) {
    case TypeId::kBoolean: {
      bool v = h & 1;
      col.append_bool(v);
      return v;
    }
    case TypeId::kInt16: {
      int16_t v = edges ? (edge == 0 ? INT16_MIN : edge == 1 ? INT16_MAX : static_cast<int16_t>(-edge)) : static_cast<int16_t>(h);
      col.append_int32(v);
      return v;
    }
    case TypeId::kInt32: {
      int32_t v = edges ? (edge == 0 ? INT32_MIN : edge == 1 ? INT32_MAX : -edge * 1000) : static_cast<int32_t>(h % 2000000) - 1000000;
      col.append_int32(v);
      return v;
    }
    case TypeId::kInt64: {
      int64_t v = edges ? (edge == 0 ? INT64_MIN : edge == 1 ? INT64_MAX : -static_cast<int64_t>(edge)) : static_cast<int64_t>(h);
      col.append_int64(v);
      return std::to_string(v);
    }
    case TypeId::kFloat: {
      float v = edges ? (edge == 0 ? NAN : edge == 1 ? INFINITY : edge == 2 ? -INFINITY : edge == 3 ? -0.0f : std::numeric_limits<float>::max())
                      : static_cast<float>(static_cast<int64_t>(h % 200001) - 100000) / 64.0f;
      col.append_float(v);
      return double_json(v);
    }
    case TypeId::kDouble: {
      double v = edges ? (edge == 0 ? NAN : edge == 1 ? INFINITY : edge == 2 ? -INFINITY : edge == 3 ? -0.0 : edge == 4 ? std::numeric_limits<double>::max() : std::numeric_limits<double>::denorm_min())
                       : static_cast<double>(static_cast<int64_t>(h % 2000000001) - 1000000000) / 1024.0;
      col.append_double(v);
      return double_json(v);
    }
    case TypeId::kDecimal: {
      __int128 v;
      if (t.type.precision <= 9) {
        v = edges ? (edge == 0 ? -999999999 : edge == 1 ? 999999999 : -edge) : static_cast<int64_t>(h % 1999999999) - 999999999;
        col.append_int64(static_cast<int64_t>(v));
      } else if (t.type.precision <= 18) {
        v = edges ? (edge == 0 ? -999999999999999999LL : edge == 1 ? 999999999999999999LL : -edge) : static_cast<int64_t>(h % 1999999999999999999ULL) - 999999999999999999LL;
        col.append_int64(static_cast<int64_t>(v));
      } else {
        __int128 max38 = 1;
        for (int i = 0; i < 38; ++i) max38 *= 10;
        max38 -= 1;
        v = edges ? (edge == 0 ? -max38 : edge == 1 ? max38 : -edge) : (static_cast<__int128>(static_cast<int64_t>(h)) * 1000003 + r);
        col.append_int128(v);
      }
      return decimal_text(v, t.type.scale);
    }
    case TypeId::kString: {
      static const char* kEdge[] = {"", "Niño 日本語 🎉", "a,b \"quoted\"", "\n\t", "ü", "x", "", "Ωmega"};
      std::string v = edges ? kEdge[edge] : "s" + std::to_string(h % 100000) + (h % 5 == 0 ? "-ñ" : "");
      col.append_bytes(v);
      return v;
    }
    case TypeId::kDate: {
      int32_t v = edges ? (edge == 0 ? -25567 : edge == 1 ? -1 : edge == 2 ? 0 : edge == 3 ? 2932896 : -719162 + edge) : static_cast<int32_t>(h % 40000) - 10000;
      col.append_int32(v);
      return format_date(v);
    }
    case TypeId::kTimestamp: {
      int64_t v = edges ? (edge == 0 ? -2208988800000000LL : edge == 1 ? -1 : edge == 2 ? 0 : 253402300799999999LL - edge)
                        : static_cast<int64_t>(h % 4000000000000000ULL) - 1000000000000000LL;
      col.append_int64(v);
      return std::to_string(v);
    }
    case TypeId::kBinary: {
      std::string v = edges ? std::string(static_cast<size_t>(edge), '\xff') : std::string("\x00\x01", 2) + std::to_string(h % 1000);
      col.append_bytes(v);
      return hex(v);
    }
  }
  return nullptr;
}

struct FileSpec {
  std::string name;
  parquet::Codec codec;
  Values values;
  bool dictionary;
  int64_t dictionary_limit;
  int64_t rows;
  int64_t row_group_rows;
  int64_t page_rows;
};

int write_file(const std::string& dir, const FileSpec& spec) {
  Schema schema;
  for (const auto& t : kTypes) {
    schema.fields.push_back({std::string(t.name) + "_req", t.type, false});
    schema.fields.push_back({std::string(t.name) + "_opt", t.type, true});
    schema.fields.push_back({std::string(t.name) + "_null", t.type, true});
  }
  parquet::WriterOptions options;
  options.codec = spec.codec;
  options.enable_dictionary = spec.dictionary;
  options.dictionary_page_limit = spec.dictionary_limit;
  options.max_row_group_rows = spec.row_group_rows;
  options.max_page_rows = spec.page_rows;
  options.key_value_metadata = {{"scout.test", spec.name}};
  auto out = open_file_output(dir + "/" + spec.name + ".parquet");
  if (!out.ok()) return std::fprintf(stderr, "%s\n", out.status().to_string().c_str()), 1;
  auto writer = parquet::FileWriter::open(std::move(*out), schema, options);
  if (!writer.ok()) return std::fprintf(stderr, "%s\n", writer.status().to_string().c_str()), 1;

  json expected = {{"file", spec.name + ".parquet"}, {"rows", spec.rows}, {"codec", parquet::codec_name(spec.codec)},
                   {"row_groups", spec.rows == 0 ? 0 : (spec.rows + spec.row_group_rows - 1) / spec.row_group_rows}};
  json columns = json::array();
  std::vector<json> values(schema.size(), json::array());
  ColumnBatch batch(schema);
  for (int64_t r = 0; r < spec.rows; ++r) {
    for (size_t t = 0; t < kTypes.size(); ++t) {
      values[3 * t].push_back(put_value(batch.column(3 * t), kTypes[t], r, spec.values));
      bool null = mix(static_cast<uint64_t>(r) * 31 + t) % 10 < 3;
      if (null) {
        batch.column(3 * t + 1).append_null();
        values[3 * t + 1].push_back(nullptr);
      } else {
        values[3 * t + 1].push_back(put_value(batch.column(3 * t + 1), kTypes[t], r + 1, spec.values));
      }
      batch.column(3 * t + 2).append_null();
      values[3 * t + 2].push_back(nullptr);
    }
    if (batch.num_rows() == 1000) {
      if (auto st = (*writer)->write_batch(batch); !st.ok()) return std::fprintf(stderr, "%s\n", st.to_string().c_str()), 1;
      batch.clear();
    }
  }
  if (auto st = (*writer)->write_batch(batch); !st.ok()) return std::fprintf(stderr, "%s\n", st.to_string().c_str()), 1;
  if (auto st = (*writer)->close(); !st.ok()) return std::fprintf(stderr, "%s\n", st.to_string().c_str()), 1;
  for (size_t c = 0; c < schema.size(); ++c) {
    columns.push_back({{"name", schema[c].name}, {"type", schema[c].type.name()}, {"nullable", schema[c].nullable},
                       {"values", std::move(values[c])}});
  }
  expected["columns"] = std::move(columns);
  std::ofstream(dir + "/" + spec.name + ".expected.json") << expected.dump();
  return 0;
}

// One million sorted rows in ten row groups: what DuckDB's filter pushdown should skip.
int write_sorted(const std::string& dir) {
  Schema schema{{{"id", DataType::of(TypeId::kInt64), false}, {"day", DataType::of(TypeId::kDate), false},
                 {"amount", DataType::of(TypeId::kDouble), true}}};
  parquet::WriterOptions options;
  options.max_row_group_rows = 100000;
  auto out = open_file_output(dir + "/sorted.parquet");
  if (!out.ok()) return 1;
  auto writer = parquet::FileWriter::open(std::move(*out), schema, options);
  if (!writer.ok()) return 1;
  ColumnBatch batch(schema);
  for (int64_t r = 0; r < 1'000'000; ++r) {
    batch.column(0).append_int64(r);
    batch.column(1).append_int32(static_cast<int32_t>(19723 + r / 1000));
    batch.column(2).append_double(static_cast<double>(r % 977) / 4.0);
    if (batch.num_rows() == 8192) {
      if (!(*writer)->write_batch(batch).ok()) return 1;
      batch.clear();
    }
  }
  if (!(*writer)->write_batch(batch).ok() || !(*writer)->close().ok()) return 1;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: interop_write_matrix OUTDIR [--sorted]\n");
    return 2;
  }
  std::string dir = argv[1];
  if (argc > 2 && std::string(argv[2]) == "--sorted") return write_sorted(dir);
  using parquet::Codec;
  int written = 0;
  for (Codec codec : {Codec::kUncompressed, Codec::kSnappy, Codec::kGzip, Codec::kLz4Raw, Codec::kBrotli, Codec::kZstd}) {
    std::string c = parquet::codec_name(codec);
    std::vector<FileSpec> specs = {
        {c + "-dict-one-group", codec, Values::kFewDistinct, true, 1 << 20, 1500, 1 << 20, 20000},
        {c + "-dict-fallback-many-groups", codec, Values::kGrowing, true, 1024, 2500, 1000, 300},
        {c + "-plain-many-groups", codec, Values::kManyDistinct, false, 1 << 20, 2500, 1200, 250},
        {c + "-edges", codec, Values::kEdges, true, 1 << 20, 64, 40, 16},
    };
    for (const auto& s : specs) {
      if (write_file(dir, s) != 0) return 1;
      ++written;
    }
  }
  if (write_file(dir, {"zero-rows", Codec::kSnappy, Values::kFewDistinct, true, 1 << 20, 0, 1000, 1000}) != 0) return 1;
  std::printf("wrote %d files into %s\n", written + 1, dir.c_str());
  return 0;
}
