// Writes the interop matrix with our FileWriter: every type × required/optional/all-null ×
// every codec × dictionary / dictionary fallback / no dictionary × one row group / several row
// groups and pages, plus edge values, zero-row files and a file without page index. Beside each
// file, <name>.expected.json holds the options used, the schema and every value any reader must
// find, in a reader-neutral form: int64, decimals and timestamps (microseconds) as strings,
// dates as YYYY-MM-DD, non-finite floats as "NaN"/"Infinity"/"-Infinity", binary as hex, NULL
// as null. `--sorted` writes instead the sorted file the statistics test filters.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/splitmix64.h"
#include "scout/output_stream.h"
#include "scout/parquet/writer.h"

using namespace scout;
using json = nlohmann::ordered_json;

namespace {

struct TypeCase {
  const char* name;
  DataType type;
};

const std::vector<TypeCase> kTypes = {
    {"boolean", DataType::of(TypeId::kBoolean)}, {"int16", DataType::of(TypeId::kInt16)},
    {"int32", DataType::of(TypeId::kInt32)},     {"int64", DataType::of(TypeId::kInt64)},
    {"float", DataType::of(TypeId::kFloat)},     {"double", DataType::of(TypeId::kDouble)},
    {"dec9", DataType::decimal(9, 2)},           {"dec18", DataType::decimal(18, 4)},
    {"dec38", DataType::decimal(38, 6)},         {"string", DataType::of(TypeId::kString)},
    {"date", DataType::of(TypeId::kDate)},       {"timestamp", DataType::of(TypeId::kTimestamp)},
    {"binary", DataType::of(TypeId::kBinary)},
};

// kFewDistinct: seven values repeat (the dictionary wins). kManyDistinct: nearly every value is
// new. kGrowing: the first 400 rows of every 1000 repeat a few values (so the dictionary is
// chosen), the rest are new (so it outgrows its limit and the chunk falls back). kEdges: the
// extremes of every type, cycling with period 8.
enum class Values { kFewDistinct, kManyDistinct, kGrowing, kEdges };

const char* values_name(Values v) {
  switch (v) {
    case Values::kFewDistinct:
      return "few-distinct";
    case Values::kManyDistinct:
      return "many-distinct";
    case Values::kGrowing:
      return "growing";
    case Values::kEdges:
      return "edges";
  }
  return "?";
}

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

// "-1234.500000" for unscaled -1234500000 at scale 6; our own, so the expectation does not
// share code with the writer under test.
std::string decimal_text(__int128 unscaled, int scale) {
  bool negative = unscaled < 0;
  unsigned __int128 magnitude = negative ? -static_cast<unsigned __int128>(unscaled)
                                         : static_cast<unsigned __int128>(unscaled);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude != 0);
  if (digits.size() <= static_cast<size_t>(scale)) {
    digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
  }
  if (scale > 0) digits.insert(digits.size() - static_cast<size_t>(scale), ".");
  return negative ? "-" + digits : digits;
}

json float_json(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

__int128 max_decimal(int precision) {
  __int128 v = 1;
  for (int i = 0; i < precision; ++i) v *= 10;
  return v - 1;
}

// Row `r`'s value of type `t`, appended to `col`; returns its expected JSON.
json put_value(ColumnVector& col, const TypeCase& t, int64_t r, Values mode) {
  const bool few = mode == Values::kFewDistinct || (mode == Values::kGrowing && r % 1000 < 400);
  const uint64_t h =
      few ? splitmix64(static_cast<uint64_t>(r % 7)) : splitmix64(static_cast<uint64_t>(r) * 7919 + 13);
  const bool edges = mode == Values::kEdges;
  const int e = static_cast<int>(r % 8);
  switch (t.type.id) {
    case TypeId::kBoolean: {
      bool v = edges ? e % 3 == 0 : (h & 1) != 0;
      col.append_bool(v);
      return v;
    }
    case TypeId::kInt16: {
      int16_t v = static_cast<int16_t>(h);
      if (edges) v = e == 0 ? INT16_MIN : e == 1 ? INT16_MAX : static_cast<int16_t>(-e);
      col.append_int32(v);
      return v;
    }
    case TypeId::kInt32: {
      int32_t v = static_cast<int32_t>(h % 2000000) - 1000000;
      if (edges) v = e == 0 ? INT32_MIN : e == 1 ? INT32_MAX : -e * 1000;
      col.append_int32(v);
      return v;
    }
    case TypeId::kInt64: {
      int64_t v = static_cast<int64_t>(h);
      if (edges) v = e == 0 ? INT64_MIN : e == 1 ? INT64_MAX : -static_cast<int64_t>(e);
      col.append_int64(v);
      return std::to_string(v);
    }
    case TypeId::kFloat: {
      float v = static_cast<float>(static_cast<int64_t>(h % 200001) - 100000) / 64.0f;
      if (edges) {
        const float k[] = {NAN,
                           INFINITY,
                           -INFINITY,
                           -0.0f,
                           std::numeric_limits<float>::max(),
                           std::numeric_limits<float>::denorm_min(),
                           0.0f,
                           -1.5f};
        v = k[e];
      }
      col.append_float(v);
      return float_json(v);
    }
    case TypeId::kDouble: {
      double v = static_cast<double>(static_cast<int64_t>(h % 2000000001) - 1000000000) / 1024.0;
      if (edges) {
        const double k[] = {NAN,
                            INFINITY,
                            -INFINITY,
                            -0.0,
                            std::numeric_limits<double>::max(),
                            std::numeric_limits<double>::denorm_min(),
                            0.0,
                            -std::numeric_limits<double>::max()};
        v = k[e];
      }
      col.append_double(v);
      return float_json(v);
    }
    case TypeId::kDecimal: {
      const __int128 max = max_decimal(t.type.precision);
      __int128 v;
      if (edges) {
        v = e == 0   ? -max
            : e == 1 ? max
            : e == 2 ? -1
            : e == 3 ? 0
                     : -static_cast<__int128>(e) * 1000;
      } else if (t.type.precision <= 9) {
        v = static_cast<int64_t>(h % 1999999999) - 999999999;
      } else if (t.type.precision <= 18) {
        v = static_cast<int64_t>(h % 1999999999999999999ULL) - 999999999999999999LL;
      } else {
        v = static_cast<__int128>(static_cast<int64_t>(h)) * 1000003 + r % 7;
      }
      if (t.type.precision <= 18) {
        col.append_int64(static_cast<int64_t>(v));
      } else {
        col.append_int128(v);
      }
      return decimal_text(v, t.type.scale);
    }
    case TypeId::kString: {
      static const char* kEdge[] = {"", "Niño 日本語 🎉", "a,b \"quoted\"", "\n\t\\", "ü", "x",
                                    "", "Ωmega"};  // [6] is "nul\0byte", set below
      std::string v = "s" + std::to_string(h % 100000) + (h % 5 == 0 ? "-ñ" : "");
      if (edges) v = e == 6 ? std::string("nul\0byte", 8) : kEdge[e];
      col.append_bytes(v);
      return v;
    }
    case TypeId::kDate: {
      int32_t v = static_cast<int32_t>(h % 40000) - 10000;
      // 1900-01-01, 1969-12-31, 1970-01-01, 9999-12-31, 0001-01-01 and a few after it.
      if (edges)
        v = e == 0 ? -25567 : e == 1 ? -1 : e == 2 ? 0 : e == 3 ? 2932896 : -719162 + e - 4;
      col.append_int32(v);
      return format_date(v);
    }
    case TypeId::kTimestamp: {
      int64_t v = static_cast<int64_t>(h % 4000000000000000ULL) - 1000000000000000LL;
      // 1900-01-01, one microsecond before the epoch, the epoch, the end of 9999.
      if (edges)
        v = e == 0 ? -2208988800000000LL : e == 1 ? -1 : e == 2 ? 0 : 253402300799999999LL - e;
      col.append_int64(v);
      return std::to_string(v);
    }
    case TypeId::kBinary: {
      std::string v = std::string("\x00\x01", 2) + std::to_string(h % 1000);
      if (edges) v = std::string(static_cast<size_t>(e), e % 2 ? '\xff' : '\x00');
      col.append_bytes(v);
      return hex(v);
    }
  }
  return nullptr;
}

// Appends row `row`'s value of column `column` to `col` (or a NULL) and returns its expected
// JSON.
using ValueFn = std::function<json(ColumnVector& col, size_t column, int64_t row)>;

struct FileSpec {
  std::string name;
  parquet::Codec codec;
  std::string dictionary_mode;  // "dictionary", "fallback" or "plain": what the test asserts
  std::string layout;           // "one-group" or "many-groups"
  Values values;
  int64_t rows;
  int64_t row_group_rows;
  int64_t page_rows;
  int64_t dictionary_limit = 1 << 20;
  bool page_index = true;
  // The extra files: their own schema and values, byte limits, uneven batches.
  Schema schema = {};  // empty: the matrix schema
  ValueFn value = {};  // empty: the matrix values
  int64_t page_bytes = 1 << 20;
  int64_t row_group_bytes = 128LL << 20;     // when it cuts groups, row_group_rows is unknown
  std::vector<int64_t> batch_rows = {1000};  // cycled
};

Schema matrix_schema() {
  Schema schema;
  for (const auto& t : kTypes) {
    schema.fields.push_back({std::string(t.name) + "_req", t.type, false});
    schema.fields.push_back({std::string(t.name) + "_opt", t.type, true});
    schema.fields.push_back({std::string(t.name) + "_null", t.type, true});
  }
  return schema;
}

// Columns 3t, 3t+1, 3t+2 of the matrix: type t required, optional (~30% NULL), all NULL.
ValueFn matrix_values(Values mode) {
  return [mode](ColumnVector& col, size_t column, int64_t r) -> json {
    const size_t t = column / 3;
    switch (column % 3) {
      case 0:
        return put_value(col, kTypes[t], r, mode);
      case 1:
        if (splitmix64(static_cast<uint64_t>(r) * 31 + t) % 10 < 3) break;
        return put_value(col, kTypes[t], r + 1, mode);
    }
    col.append_null();
    return nullptr;
  };
}

bool report(const Status& status, const std::string& file) {
  if (status.ok()) return true;
  std::fprintf(stderr, "interop_write_matrix: %s: %s\n", file.c_str(), status.to_string().c_str());
  return false;
}

bool write_file(const std::string& dir, const FileSpec& spec) {
  const Schema schema = spec.schema.size() ? spec.schema : matrix_schema();
  const ValueFn value = spec.value ? spec.value : matrix_values(spec.values);
  parquet::WriterOptions options;
  options.codec = spec.codec;
  options.enable_dictionary = spec.dictionary_mode != "plain";
  options.dictionary_page_limit = spec.dictionary_limit;
  options.max_row_group_rows = spec.row_group_rows;
  options.max_row_group_bytes = spec.row_group_bytes;
  options.max_page_rows = spec.page_rows;
  options.target_page_bytes = spec.page_bytes;
  options.write_page_index = spec.page_index;
  options.key_value_metadata = {{"scout.test", spec.name}};

  const std::string file = spec.name + ".parquet";
  auto out = open_file_output(dir + "/" + file);
  if (!report(out.status(), file)) return false;
  auto writer = parquet::FileWriter::open(std::move(*out), schema, options);
  if (!report(writer.status(), file)) return false;

  std::vector<json> values(schema.size(), json::array());
  ColumnBatch batch(schema);
  size_t batch_index = 0;
  for (int64_t r = 0; r < spec.rows; ++r) {
    for (size_t c = 0; c < schema.size(); ++c) values[c].push_back(value(batch.column(c), c, r));
    // Batches that do not line up with row groups or pages.
    if (static_cast<int64_t>(batch.num_rows()) ==
        spec.batch_rows[batch_index % spec.batch_rows.size()]) {
      if (!report((*writer)->write_batch(batch), file)) return false;
      batch.clear();
      ++batch_index;
    }
  }
  if (!report((*writer)->write_batch(batch), file)) return false;
  if (!report((*writer)->close(), file)) return false;

  json group_rows = json::array();
  for (int64_t start = 0; start < spec.rows; start += spec.row_group_rows) {
    group_rows.push_back(std::min(spec.row_group_rows, spec.rows - start));
  }
  const bool groups_by_bytes = spec.row_group_bytes < (128LL << 20);
  json expected = {
      {"file", file},
      {"rows", spec.rows},
      {"row_group_rows", groups_by_bytes ? json(nullptr) : group_rows},
      {"dictionary_mode", spec.dictionary_mode},
      {"layout", spec.layout},
      {"values", spec.value ? "extra" : values_name(spec.values)},
      {"options",
       {{"codec", parquet::codec_name(spec.codec)},
        {"enable_dictionary", options.enable_dictionary},
        {"dictionary_page_limit", options.dictionary_page_limit},
        {"max_row_group_rows", options.max_row_group_rows},
        {"max_row_group_bytes", options.max_row_group_bytes},
        {"max_page_rows", options.max_page_rows},
        {"target_page_bytes", options.target_page_bytes},
        {"enable_delta", options.enable_delta},
        {"write_page_index", options.write_page_index},
        {"write_page_statistics", options.write_page_statistics},
        {"key_value_metadata", {{"scout.test", spec.name}}}}},
  };
  json columns = json::array();
  for (size_t c = 0; c < schema.size(); ++c) {
    columns.push_back({{"name", schema[c].name},
                       {"type", schema[c].type.name()},
                       {"nullable", schema[c].nullable},
                       {"values", std::move(values[c])}});
  }
  expected["columns"] = std::move(columns);
  std::ofstream(dir + "/" + spec.name + ".expected.json") << expected.dump();
  return true;
}

std::vector<FileSpec> matrix() {
  using parquet::Codec;
  std::vector<FileSpec> specs;
  for (Codec codec : {Codec::kUncompressed, Codec::kSnappy, Codec::kGzip, Codec::kLz4,
                      Codec::kBrotli, Codec::kZstd}) {
    const std::string c = parquet::codec_name(codec);
    // name, codec, dictionary mode, layout, values, rows, row group rows, page rows[, limit]
    specs.push_back({c + "-dictionary-one-group", codec, "dictionary", "one-group",
                     Values::kFewDistinct, 1500, 1 << 20, 20000});
    specs.push_back({c + "-dictionary-many-groups", codec, "dictionary", "many-groups",
                     Values::kFewDistinct, 2500, 1000, 300});
    // The fallback needs several pages: the first page decides for the dictionary, a later
    // one makes it outgrow its 1 KiB limit.
    specs.push_back({c + "-fallback-one-group", codec, "fallback", "one-group", Values::kGrowing,
                     2500, 1 << 20, 300, 1024});
    specs.push_back({c + "-fallback-many-groups", codec, "fallback", "many-groups",
                     Values::kGrowing, 2500, 1000, 300, 1024});
    specs.push_back({c + "-plain-one-group", codec, "plain", "one-group", Values::kManyDistinct,
                     1500, 1 << 20, 20000});
    specs.push_back({c + "-plain-many-groups", codec, "plain", "many-groups", Values::kManyDistinct,
                     2500, 1200, 250});
    specs.push_back({c + "-edges-dictionary-many-groups", codec, "dictionary", "many-groups",
                     Values::kEdges, 64, 40, 16});
    specs.push_back({c + "-edges-plain-one-group", codec, "plain", "one-group", Values::kEdges, 64,
                     1 << 20, 20000});
  }
  specs.push_back({"zero-rows-snappy", Codec::kSnappy, "dictionary", "one-group",
                   Values::kFewDistinct, 0, 1000, 1000});
  specs.push_back({"zero-rows-uncompressed-plain", Codec::kUncompressed, "plain", "one-group",
                   Values::kFewDistinct, 0, 1000, 1000});
  FileSpec no_index{"zstd-no-page-index", Codec::kZstd, "dictionary", "many-groups",
                    Values::kFewDistinct, 2500,         1000,         300};
  no_index.page_index = false;
  specs.push_back(no_index);
  return specs;
}

// Files outside the matrix's grid, each aimed at one way a writer goes wrong.
std::vector<FileSpec> extra_files() {
  using parquet::Codec;
  std::vector<FileSpec> specs;

  // Every FIXED_LEN_BYTE_ARRAY width (minimal for the precision) and both integer ones.
  FileSpec dec{"extra-decimal-widths", Codec::kZstd, "dictionary", "many-groups",
               Values::kEdges,         600,          250,          100};
  const std::pair<int, int> kDecimals[] = {{1, 0},  {4, 2},  {9, 0},  {10, 2}, {18, 0}, {19, 4},
                                           {20, 2}, {25, 5}, {28, 0}, {33, 3}, {38, 0}};
  for (auto [p, sc] : kDecimals) {
    std::string name = "dec" + std::to_string(p) + "_" + std::to_string(sc);
    dec.schema.fields.push_back({name + "_req", DataType::decimal(p, sc), false});
    dec.schema.fields.push_back({name + "_opt", DataType::decimal(p, sc), true});
  }
  dec.value = [schema = dec.schema](ColumnVector& col, size_t c, int64_t r) -> json {
    const DataType& type = schema[c].type;
    if (schema[c].nullable && splitmix64(static_cast<uint64_t>(r) * 17 + c) % 4 == 0) {
      col.append_null();
      return nullptr;
    }
    const __int128 max = max_decimal(type.precision);
    __int128 one = 1;
    for (int i = 0; i < type.scale; ++i) one *= 10;
    const uint64_t h = splitmix64(static_cast<uint64_t>(r) * 131 + c);
    const __int128 wide =
        (static_cast<__int128>(h) << 64 | splitmix64(h)) & ~(static_cast<__int128>(1) << 127);
    const __int128 random = wide % (2 * max + 1) - max;
    const __int128 k[] = {-max, max, -1, 0, 1, -one, random, -random};
    const __int128 v = k[(r + c) % 8];
    if (type.precision <= 18) {
      col.append_int64(static_cast<int64_t>(v));
    } else {
      col.append_int128(v);
    }
    return decimal_text(v, type.scale);
  };
  specs.push_back(dec);

  // Sequences DELTA_BINARY_PACKED wins on, across the integer extremes (wrapping deltas).
  FileSpec delta{"extra-delta-sequences",
                 Codec::kUncompressed,
                 "plain",
                 "many-groups",
                 Values::kEdges,
                 3000,
                 1500,
                 500};
  delta.schema.fields = {{"i64_wrap", DataType::of(TypeId::kInt64), false},
                         {"i64_desc", DataType::of(TypeId::kInt64), false},
                         {"i64_swing", DataType::of(TypeId::kInt64), false},
                         {"i64_const", DataType::of(TypeId::kInt64), true},
                         {"i32_wrap", DataType::of(TypeId::kInt32), false},
                         {"i32_steps", DataType::of(TypeId::kInt32), true},
                         {"i16_steps", DataType::of(TypeId::kInt16), false},
                         {"date_seq", DataType::of(TypeId::kDate), false},
                         {"ts_seq", DataType::of(TypeId::kTimestamp), true}};
  delta.value = [](ColumnVector& col, size_t c, int64_t r) -> json {
    const bool null = c % 2 == 1 && c != 1 && c != 5 && splitmix64(static_cast<uint64_t>(r) + c) % 10 == 0;
    if ((c == 3 || c == 5 || c == 8) && null) {
      col.append_null();
      return nullptr;
    }
    const uint64_t u = static_cast<uint64_t>(r);
    switch (c) {
      case 0: {  // INT64_MAX - 299 ... INT64_MAX, then INT64_MIN ...: every delta is +1 wrapped
        int64_t v = static_cast<int64_t>(static_cast<uint64_t>(INT64_MAX) - 299 + u);
        col.append_int64(v);
        return std::to_string(v);
      }
      case 1: {
        int64_t v = INT64_MAX - 3 * r;
        col.append_int64(v);
        return std::to_string(v);
      }
      case 2: {
        int64_t v = r % 2 ? INT64_MAX - r : INT64_MIN + r;
        col.append_int64(v);
        return std::to_string(v);
      }
      case 3:
        col.append_int64(42);
        return "42";
      case 4: {
        int32_t v =
            static_cast<int32_t>(static_cast<uint32_t>(INT32_MAX) - 299 + static_cast<uint32_t>(r));
        col.append_int32(v);
        return v;
      }
      case 5: {
        int32_t v = static_cast<int32_t>(r * r % 1000) - 500;
        col.append_int32(v);
        return v;
      }
      case 6: {
        int16_t v = static_cast<int16_t>(-32768 + (r * 7) % 65536);
        col.append_int32(v);
        return v;
      }
      case 7: {
        int32_t v = -719162 + static_cast<int32_t>(r);  // from 0001-01-01
        col.append_int32(v);
        return format_date(v);
      }
      default: {
        int64_t v = 1000000000000000LL + r * 1000003;
        col.append_int64(v);
        return std::to_string(v);
      }
    }
  };
  specs.push_back(delta);

  // Values up to 40 KB: pages cut by bytes, row groups cut by bytes, the dictionary outgrows
  // 1 MiB, and long shared prefixes test how statistics are cut.
  FileSpec longs{"extra-long-strings",
                 Codec::kSnappy,
                 "dictionary",
                 "many-groups",
                 Values::kEdges,
                 400,
                 1 << 20,
                 20000};
  longs.page_bytes = 64 << 10;
  longs.row_group_bytes = 1 << 20;
  longs.schema.fields = {{"text_req", DataType::of(TypeId::kString), false},
                         {"text_opt", DataType::of(TypeId::kString), true},
                         {"prefix_req", DataType::of(TypeId::kString), false},
                         {"bytes_opt", DataType::of(TypeId::kBinary), true}};
  longs.value = [](ColumnVector& col, size_t c, int64_t r) -> json {
    const uint64_t h = splitmix64(static_cast<uint64_t>(r) * 7 + c);
    if ((c == 1 || c == 3) && h % 5 == 0 && r != 11) {
      col.append_null();
      return nullptr;
    }
    const size_t n = r % 10 == 0 ? 20000 + h % 20000 : h % 200;
    std::string v;
    if (c == 2) v = std::string(5000, 'p') + std::to_string(h % 1000);
    static const char* kPieces[] = {"a", "é", "日本", "🎉", "z", "\x7f", "Ω", " "};
    while (v.size() < n)
      v += c == 3 ? std::string(1, static_cast<char>(splitmix64(v.size() + h) & 0xff))
                  : kPieces[splitmix64(v.size() + h) % 8];
    if (c == 0 && r == 7) {  // U+FFFF 10,000 times
      v.clear();
      for (int i = 0; i < 10000; ++i) v += "\xef\xbf\xbf";
    }
    // The binary maximum: a cut max cannot add one to its last byte, so it stays whole or out.
    if (c == 3 && r == 11) v = std::string(100, '\xff');
    col.append_bytes(v);
    return c == 3 ? json(hex(v)) : json(v);
  };
  specs.push_back(longs);

  // Floats whose statistics need care: pages and a whole chunk of only NaN, chunks of only
  // +0.0 or only -0.0 (min -0.0, max +0.0), NULL-only pages between.
  FileSpec floats{"extra-float-statistics", Codec::kGzip, "dictionary", "many-groups",
                  Values::kEdges,           96,           32,           8};
  floats.schema.fields = {{"f_nan", DataType::of(TypeId::kFloat), false},
                          {"d_nan", DataType::of(TypeId::kDouble), true},
                          {"f_zero", DataType::of(TypeId::kFloat), false},
                          {"d_zero", DataType::of(TypeId::kDouble), true}};
  floats.value = [](ColumnVector& col, size_t c, int64_t r) -> json {
    const bool is_float = c % 2 == 0;
    const int64_t page = r / 8;
    double v;
    if (c == 1 && page % 4 == 1) {  // an all-NULL page
      col.append_null();
      return nullptr;
    }
    if (c < 2) {  // group 0: NaN pages and mixed pages; group 1: mixed; group 2: only NaN
      const bool nan = r >= 64 || (r < 32 && page % 2 == 0) || r % 3 == 0;
      v = nan ? NAN : static_cast<double>(r % 5) - 2.5;
    } else {  // group 0: only +0.0; group 1: only -0.0; group 2: >= 0 with +0.0
      v = r < 32 ? 0.0 : r < 64 ? -0.0 : static_cast<double>(r % 3);
    }
    if (c == 3 && r % 5 == 1) {
      col.append_null();
      return nullptr;
    }
    if (is_float) {
      col.append_float(static_cast<float>(v));
    } else {
      col.append_double(v);
    }
    return float_json(v);
  };
  specs.push_back(floats);

  // Mostly NULL columns with long runs, booleans over pages of 7 rows, uneven batches.
  FileSpec sparse{"extra-sparse-uneven", Codec::kBrotli, "dictionary", "many-groups",
                  Values::kEdges,        1000,           333,          7};
  sparse.batch_rows = {1, 2, 999, 37, 5000};
  sparse.schema.fields = {{"flag_req", DataType::of(TypeId::kBoolean), false},
                          {"flag_opt", DataType::of(TypeId::kBoolean), true},
                          {"n_opt", DataType::of(TypeId::kInt32), true},
                          {"s_opt", DataType::of(TypeId::kString), true}};
  sparse.value = [](ColumnVector& col, size_t c, int64_t r) -> json {
    const bool present = c == 0 || (r < 500 ? r % 97 == 0 : r % 250 < 240 && splitmix64(r + c) % 3 != 0);
    if (!present) {
      col.append_null();
      return nullptr;
    }
    const uint64_t h = splitmix64(static_cast<uint64_t>(r) * 3 + c);
    switch (c) {
      case 0:
      case 1: {
        bool v = r % 11 < 5 || h % 7 == 0;
        col.append_bool(v);
        return v;
      }
      case 2: {
        int32_t v = static_cast<int32_t>(h % 50);
        col.append_int32(v);
        return v;
      }
      default: {
        std::string v = "v" + std::to_string(h % 20);
        col.append_bytes(v);
        return v;
      }
    }
  };
  specs.push_back(sparse);

  // A first page of 100 distinct values (the dictionary wins), then 70,000: dictionary indices
  // 17 bits wide under a 16 MiB limit.
  FileSpec wide{"extra-wide-dictionary",
                Codec::kLz4,
                "dictionary",
                "one-group",
                Values::kEdges,
                140000,
                1 << 20,
                20000,
                16 << 20};
  wide.schema.fields = {{"k_req", DataType::of(TypeId::kInt32), false},
                        {"name_opt", DataType::of(TypeId::kString), true}};
  wide.value = [](ColumnVector& col, size_t c, int64_t r) -> json {
    const int64_t k = r < 20000 ? r % 100 : (r * 7919) % 70000;
    if (c == 0) {
      col.append_int32(static_cast<int32_t>(k * 31));
      return k * 31;
    }
    if (k % 9 == 4) {
      col.append_null();
      return nullptr;
    }
    std::string v = "name-" + std::to_string(k);
    col.append_bytes(v);
    return v;
  };
  specs.push_back(wide);
  return specs;
}

// One million rows sorted by id (and so by day and ts) in ten row groups of 100,000: what the
// statistics test filters. amount is unsorted and ~10% NULL.
bool write_sorted(const std::string& dir) {
  Schema schema{{{"id", DataType::of(TypeId::kInt64), false},
                 {"day", DataType::of(TypeId::kDate), false},
                 {"ts", DataType::of(TypeId::kTimestamp), false},
                 {"amount", DataType::of(TypeId::kDouble), true}}};
  parquet::WriterOptions options;
  options.max_row_group_rows = 100000;
  const std::string file = "sorted.parquet";
  auto out = open_file_output(dir + "/" + file);
  if (!report(out.status(), file)) return false;
  auto writer = parquet::FileWriter::open(std::move(*out), schema, options);
  if (!report(writer.status(), file)) return false;
  ColumnBatch batch(schema);
  for (int64_t r = 0; r < 1'000'000; ++r) {
    batch.column(0).append_int64(r);
    batch.column(1).append_int32(static_cast<int32_t>(19723 + r / 1000));  // from 2024-01-01
    batch.column(2).append_int64(1704067200000000LL + r * 1000000);        // one per second
    if (r % 10 == 3) {
      batch.column(3).append_null();
    } else {
      batch.column(3).append_double(static_cast<double>(r % 977) / 4.0);
    }
    if (batch.num_rows() == 8192) {
      if (!report((*writer)->write_batch(batch), file)) return false;
      batch.clear();
    }
  }
  return report((*writer)->write_batch(batch), file) && report((*writer)->close(), file);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: interop_write_matrix OUTDIR [--sorted]\n");
    return 2;
  }
  const std::string dir = argv[1];
  if (argc > 2 && std::string(argv[2]) == "--sorted") return write_sorted(dir) ? 0 : 1;
  auto specs = matrix();
  for (auto& extra : extra_files()) specs.push_back(std::move(extra));
  for (const auto& spec : specs) {
    if (!write_file(dir, spec)) return 1;
  }
  std::printf("interop_write_matrix: wrote %zu files into %s\n", specs.size(), dir.c_str());
  return 0;
}
