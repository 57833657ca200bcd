// `scout-export inspect` reads files from anywhere. This test feeds the footer reader, and the
// inspect command itself, broken and hostile bytes under AddressSanitizer and
// UndefinedBehaviorSanitizer: the empty file, every truncation, every single-bit flip, seeded
// random overwrites and splices, and footers built to exhaust memory, stack or time. Each
// input must be parsed or refused with a Corruption that says why: never a crash, a leak, a
// read out of bounds, undefined behaviour or a hang.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "inspect/metadata_text.h"
#include "parquet/footer_reader.h"
#include "parquet/metadata_decoder.h"
#include "parquet/thrift_compact_writer.h"
#include "sample_files.h"
#include "testing/temp_dir.h"

// Sanitizer reports end the process at once (the leak check runs at exit), so a child running
// inspect that hits one is seen as killed by a signal.
extern "C" const char* __asan_default_options() { return "abort_on_error=1:detect_leaks=1"; }
extern "C" const char* __ubsan_default_options() {
  return "halt_on_error=1:abort_on_error=1:print_stacktrace=1";
}

namespace scout::robustness {
namespace {

using namespace scout::parquet;
using namespace scout::parquet::format;
using scout::inspect::describe_logical_type;
using scout::inspect::format_statistic_value;
using Clock = std::chrono::steady_clock;

// Everything inspect prints from parsed metadata, computed and thrown away: this is where
// statistics bytes of any length meet the value decoding.
size_t render_like_inspect(const ParquetFileInfo& info) {
  const FileMetaData& m = info.metadata;
  size_t sink = 0;
  for (const SchemaElement& e : m.schema) {
    if (e.logical_type) sink += describe_logical_type(*e.logical_type).size();
    if (e.type) sink += std::string(to_string(*e.type)).size();
    if (e.converted_type) sink += std::string(to_string(*e.converted_type)).size();
    if (e.repetition_type) sink += std::string(to_string(*e.repetition_type)).size();
  }
  for (size_t g = 0; g < m.row_groups.size(); ++g) {
    for (size_t c = 0; c < m.row_groups[g].columns.size(); ++c) {
      const SchemaElement& leaf = m.schema[info.leaf_columns[c]];
      const ColumnChunk& chunk = m.row_groups[g].columns[c];
      if (chunk.meta_data) {
        for (Encoding e : chunk.meta_data->encodings) sink += std::string(to_string(e)).size();
        sink += std::string(to_string(chunk.meta_data->codec)).size();
        if (const auto& s = chunk.meta_data->statistics) {
          for (const auto* v : {&s->min, &s->max, &s->min_value, &s->max_value}) {
            if (*v) sink += format_statistic_value(leaf, **v).size();
          }
        }
      }
      const ColumnPageIndex& index = info.page_index[g][c];
      sink += index.page_count();
      if (index.column_index) {
        for (const auto& v : index.column_index->min_values) {
          sink += format_statistic_value(leaf, v).size();
        }
        for (const auto& v : index.column_index->max_values) {
          sink += format_statistic_value(leaf, v).size();
        }
      }
    }
  }
  return sink;
}

// Tallies what the inputs came to, and the first few that broke the contract.
class Verdicts {
 public:
  ~Verdicts() {
    std::printf("    %zu inputs: %zu parsed, %zu refused; slowest %.3f ms\n", parsed_ + refused_,
                parsed_, refused_, slowest_.count() * 1000);
  }

  // Parses `file` and checks the outcome; returns whether it parsed.
  bool check(std::string_view file, const std::string& what) {
    const auto start = Clock::now();
    auto info = read_parquet_footer_from_memory(file);
    if (info.ok()) {
      expect_usable(*info, what);
      render_like_inspect(*info);
    }
    const std::chrono::duration<double> took = Clock::now() - start;
    slowest_ = std::max(slowest_, took);
    if (took.count() > 1.0) fail(what, "took " + std::to_string(took.count()) + " s");
    if (info.ok()) {
      ++parsed_;
      return true;
    }
    ++refused_;
    expect_explained(info.status(), what);
    return false;
  }

  // For the page-level parsers, which take bytes directly.
  template <typename Parse>
  void check_parse(Parse&& parse, const std::string& what) {
    const auto start = Clock::now();
    auto result = parse();
    const std::chrono::duration<double> took = Clock::now() - start;
    slowest_ = std::max(slowest_, took);
    if (result.ok()) {
      ++parsed_;
    } else {
      ++refused_;
      expect_explained(result.status(), what);
    }
  }

  size_t parsed() const { return parsed_; }

 private:
  void expect_explained(const Status& st, const std::string& what) {
    if (st.code() != StatusCode::kCorruption) fail(what, "refused with " + st.to_string());
    if (st.message().empty()) fail(what, "refused without a message");
  }

  // What inspect relies on when it prints a parsed file.
  void expect_usable(const ParquetFileInfo& info, const std::string& what) {
    const FileMetaData& m = info.metadata;
    bool ok = info.schema_depth.size() == m.schema.size() &&
              info.page_index.size() == m.row_groups.size();
    for (size_t leaf : info.leaf_columns) ok = ok && leaf < m.schema.size();
    for (size_t g = 0; ok && g < m.row_groups.size(); ++g) {
      ok = m.row_groups[g].columns.size() == info.leaf_columns.size() &&
           info.page_index[g].size() == info.leaf_columns.size();
    }
    if (!ok) fail(what, "parsed into inconsistent ParquetFileInfo");
  }

  void fail(const std::string& what, const std::string& problem) {
    ADD_FAILURE() << what << ": " << problem;
  }

  size_t parsed_ = 0, refused_ = 0;
  std::chrono::duration<double> slowest_{0};
};

struct FooterRange {
  size_t offset, length;
};

FooterRange footer_of(const std::string& file) {
  const size_t length = static_cast<unsigned char>(file[file.size() - 8]) |
                        static_cast<unsigned char>(file[file.size() - 7]) << 8 |
                        static_cast<unsigned char>(file[file.size() - 6]) << 16 |
                        static_cast<size_t>(static_cast<unsigned char>(file[file.size() - 5]))
                            << 24;
  return {file.size() - 8 - length, length};
}

const std::string& rich() {
  static const std::string file = rich_file();
  return file;
}

// ---------------------------------------------------------------------------------------------
// The starting points

TEST(InspectRobustness, SampleFilesParseWithTheirValues) {
  auto zero = read_parquet_footer_from_memory(zero_row_file());
  ASSERT_TRUE(zero.ok()) << zero.status().to_string();
  EXPECT_EQ(zero->metadata.num_rows, 0);
  EXPECT_EQ(zero->leaf_columns.size(), 2u);

  auto info = read_parquet_footer_from_memory(rich());
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  const FileMetaData& m = info->metadata;
  EXPECT_EQ(m.num_rows, 1000);
  EXPECT_TRUE(m.column_orders_type_defined);
  EXPECT_EQ(info->leaf_columns, (std::vector<size_t>{1, 3, 4, 5, 6, 7}));
  EXPECT_EQ(info->schema_depth[3], 2);  // info.name
  ASSERT_EQ(m.row_groups.size(), 2u);
  auto min_max = [&](size_t column) {
    const Statistics& s = *m.row_groups[1].columns[column].meta_data->statistics;
    const SchemaElement& leaf = m.schema[info->leaf_columns[column]];
    return format_statistic_value(leaf, *s.min_value) + " .. " +
           format_statistic_value(leaf, *s.max_value);
  };
  EXPECT_EQ(min_max(0), "-3 .. 1000000000000");
  EXPECT_EQ(min_max(1), "apple .. zebra");
  EXPECT_EQ(min_max(2), "2025-01-01 .. 2025-12-31");
  EXPECT_EQ(min_max(3), "2025-01-01T00:00:00.000000Z .. 2025-12-31T23:59:59.999999Z");
  EXPECT_EQ(min_max(4), "-1234.5678 .. 9999999.9999");
  EXPECT_EQ(min_max(5), "-0 .. 1.5");
  for (const auto& group : info->page_index) {
    for (const ColumnPageIndex& index : group) EXPECT_EQ(index.page_count(), 2u);
  }
}

// ---------------------------------------------------------------------------------------------
// Mutations of valid files

TEST(InspectRobustness, EmptyAndTinyFilesAreRefused) {
  Verdicts v;
  for (size_t n = 0; n < 12; ++n) {
    EXPECT_FALSE(v.check(rich().substr(0, n), "prefix " + std::to_string(n)));
    EXPECT_FALSE(v.check(std::string(n, '\0'), "zeros " + std::to_string(n)));
  }
  EXPECT_FALSE(v.check(std::string("PAR1\0\0\0\0PAR1", 12), "empty footer"));
}

TEST(InspectRobustness, EveryTruncationIsRefused) {
  Verdicts v;
  for (const std::string& file : {zero_row_file(), rich()}) {
    for (size_t n = 0; n < file.size(); ++n) {
      EXPECT_FALSE(
          v.check(std::string_view(file).substr(0, n), "truncated to " + std::to_string(n)));
    }
    for (size_t k = 1; k < file.size(); ++k) {
      v.check(std::string_view(file).substr(k), "first " + std::to_string(k) + " bytes cut");
    }
  }
}

TEST(InspectRobustness, EveryTruncatedFooterReframedIsHandled) {
  // The framing stays valid, so the footer parser meets the end of input at every position.
  Verdicts v;
  for (const std::string& file : {zero_row_file(), rich()}) {
    const FooterRange footer = footer_of(file);
    const std::string_view body = std::string_view(file).substr(4, footer.offset - 4);
    for (size_t k = 0; k < footer.length; ++k) {
      const std::string cut = frame(body, std::string_view(file).substr(footer.offset, k));
      EXPECT_FALSE(v.check(cut, "footer cut to " + std::to_string(k)));
    }
  }
}

TEST(InspectRobustness, EverySingleBitFlipIsHandled) {
  Verdicts v;
  for (const std::string& original : {zero_row_file(), rich()}) {
    std::string file = original;
    for (size_t bit = 0; bit < file.size() * 8; ++bit) {
      file[bit / 8] ^= static_cast<char>(1 << (bit % 8));
      v.check(file, "bit " + std::to_string(bit) + " flipped");
      file[bit / 8] ^= static_cast<char>(1 << (bit % 8));
    }
  }
  EXPECT_GT(v.parsed(), 0u);  // flips in page bytes leave the footer intact
}

TEST(InspectRobustness, SeededRandomOverwritesAreHandled) {
  std::mt19937_64 random(20250101);  // fixed: failures reproduce
  const std::string& original = rich();
  const FooterRange footer = footer_of(original);
  const uint8_t interesting[] = {0x00, 0x01, 0x0F, 0x10, 0x7F, 0x80, 0xF0, 0xFF, 0x0C, 0x09};
  Verdicts v;
  for (int round = 0; round < 20000; ++round) {
    std::string file = original;
    const int writes = 1 + static_cast<int>(random() % 4);
    for (int i = 0; i < writes; ++i) {
      // Mostly in the footer, where the structure is; sometimes anywhere.
      const size_t at =
          random() % 4 != 0 ? footer.offset + random() % footer.length : random() % file.size();
      const uint64_t r = random();
      file[at] = static_cast<char>(r % 2 ? interesting[(r >> 8) % sizeof interesting] : r >> 16);
    }
    v.check(file, "random round " + std::to_string(round));
  }
}

TEST(InspectRobustness, SeededSplicesOfFooterAndGarbageAreHandled) {
  // A valid footer prefix then random bytes: the parser is deep in a struct when garbage
  // begins.
  std::mt19937_64 random(42);
  const std::string& original = rich();
  const FooterRange footer = footer_of(original);
  const std::string_view body = std::string_view(original).substr(4, footer.offset - 4);
  const std::string_view real = std::string_view(original).substr(footer.offset, footer.length);
  Verdicts v;
  for (int round = 0; round < 5000; ++round) {
    std::string spliced(real.substr(0, random() % real.size()));
    const size_t garbage = random() % 64;
    for (size_t i = 0; i < garbage; ++i) spliced.push_back(static_cast<char>(random()));
    v.check(frame(body, spliced), "splice round " + std::to_string(round));
  }
  for (int round = 0; round < 2000; ++round) {
    std::string garbage(1 + random() % 300, '\0');
    for (char& c : garbage) c = static_cast<char>(random());
    v.check(frame("", garbage), "garbage footer round " + std::to_string(round));
  }
}

TEST(InspectRobustness, PageHeadersAndPageIndexStructsSurviveMutation) {
  // inspect does not read pages, but parse_page_header and the page-index parsers are public:
  // every bit flip and truncation of a real one.
  auto info = read_parquet_footer_from_memory(rich());
  ASSERT_TRUE(info.ok());
  const ColumnChunk& chunk = info->metadata.row_groups[0].columns[1];
  const std::string& file = rich();
  const std::string header =
      file.substr(static_cast<size_t>(chunk.meta_data->data_page_offset), 60);
  const std::string column_index = file.substr(static_cast<size_t>(*chunk.column_index_offset),
                                               static_cast<size_t>(*chunk.column_index_length));
  const std::string offset_index = file.substr(static_cast<size_t>(*chunk.offset_index_offset),
                                               static_cast<size_t>(*chunk.offset_index_length));
  Verdicts v;
  auto mutate = [&](const std::string& original, auto parse) {
    for (size_t n = 0; n < original.size(); ++n) {
      v.check_parse([&] { return parse(std::string_view(original).substr(0, n)); },
                    "cut " + std::to_string(n));
    }
    std::string bytes = original;
    for (size_t bit = 0; bit < bytes.size() * 8; ++bit) {
      bytes[bit / 8] ^= static_cast<char>(1 << (bit % 8));
      v.check_parse([&] { return parse(bytes); }, "bit " + std::to_string(bit));
      bytes[bit / 8] ^= static_cast<char>(1 << (bit % 8));
    }
  };
  mutate(header, [](std::string_view b) { return parse_page_header(b); });
  mutate(column_index, [](std::string_view b) { return parse_column_index(b); });
  mutate(offset_index, [](std::string_view b) { return parse_offset_index(b); });
}

// ---------------------------------------------------------------------------------------------
// Footers built to hurt

std::string zigzag_varint(int64_t v) {
  std::string out;
  uint64_t z = (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  while (z >= 0x80) {
    out.push_back(static_cast<char>((z & 0x7F) | 0x80));
    z >>= 7;
  }
  out.push_back(static_cast<char>(z));
  return out;
}

std::string varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
  return out;
}

// A long-form field header: the type byte, then the id as a zigzag varint.
std::string field(ThriftType type, int16_t id) {
  return std::string(1, static_cast<char>(type)) + zigzag_varint(id);
}

// A valid footer up to (excluding) num_rows: version and a one-leaf schema.
std::string footer_start() {
  std::string out;
  ThriftCompactWriter w(&out);
  w.field_i32(1, 1);
  w.field_list_begin(2, ThriftType::kStruct, 2);
  w.begin_struct();
  w.field_binary(4, "schema");
  w.field_i32(5, 1);
  w.end_struct();
  w.begin_struct();
  w.field_i32(1, 1);
  w.field_binary(4, "x");
  w.end_struct();
  return out;
}

// A footer whose schema has `leaves` INT32 leaves and one row group whose chunks all point
// their OffsetIndex at [offset, offset+length).
std::string footer_with_shared_offset_index(int leaves, int64_t offset, int32_t length) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.field_i32(1, 1);
  w.field_list_begin(2, ThriftType::kStruct, static_cast<size_t>(leaves) + 1);
  w.begin_struct();
  w.field_binary(4, "schema");
  w.field_i32(5, leaves);
  w.end_struct();
  for (int i = 0; i < leaves; ++i) {
    w.begin_struct();
    w.field_i32(1, 1);
    w.field_binary(4, "c" + std::to_string(i));
    w.end_struct();
  }
  w.field_i64(3, 1);
  w.field_list_begin(4, ThriftType::kStruct, 1);
  w.begin_struct();
  w.field_list_begin(1, ThriftType::kStruct, static_cast<size_t>(leaves));
  for (int i = 0; i < leaves; ++i) {
    w.begin_struct();
    w.field_i64(2, 0);
    w.field_i64(4, offset);
    w.field_i32(5, length);
    w.end_struct();
  }
  w.field_i64(2, 1);
  w.field_i64(3, 1);
  w.end_struct();
  out.push_back(0);
  return out;
}

struct Hostile {
  std::string name;
  std::string file;
};

std::vector<Hostile> hostile_files() {
  std::vector<Hostile> out;
  auto add = [&](std::string name, std::string footer) {
    out.push_back({std::move(name), frame("", footer)});
  };
  const std::string big = varint(0x7FFFFFFF);
  // Containers announcing far more elements than there are bytes: refused before allocating.
  add("schema list of 2^31-1 structs",
      field(ThriftType::kI32, 1) + "\x02" + field(ThriftType::kList, 2) + "\xFC" + big);
  add("row_groups list of 2^31-1", footer_start() + field(ThriftType::kI64, 3) + "\x00" +
                                       field(ThriftType::kList, 4) + "\xFC" + big);
  add("key_value list of 2^31-1", footer_start() + field(ThriftType::kList, 5) + "\xFC" + big);
  add("list size beyond i32",
      footer_start() + field(ThriftType::kList, 5) + "\xFC" + varint(0xFFFFFFFFull));
  add("unknown map of 2^31-1 pairs", footer_start() + field(ThriftType::kMap, 20) + big + "\x88");
  add("unknown set of 2^31-1 doubles", footer_start() + field(ThriftType::kSet, 20) + "\xF7" + big);
  // Lengths beyond the input.
  add("created_by of 2^31-1 bytes", footer_start() + field(ThriftType::kBinary, 6) + big + "abc");
  add("created_by of 2^32-1 bytes",
      footer_start() + field(ThriftType::kBinary, 6) + varint(0xFFFFFFFFull) + "abc");
  add("varint of 100 bytes",
      footer_start() + field(ThriftType::kI64, 3) + std::string(100, '\x80') + "\x01");
  // Nesting built to exhaust the stack.
  add("100000 nested structs", footer_start() + field(ThriftType::kStruct, 20) +
                                   std::string(100000, '\x1C') + std::string(100001, '\0'));
  add("100000 nested lists",
      footer_start() + field(ThriftType::kList, 20) + std::string(100000, '\x19') + "\x05\x00");
  add(
      "100000 nested maps", footer_start() + field(ThriftType::kMap, 20) + [] {
        std::string s;
        for (int i = 0; i < 100000; ++i) s += "\x01\x5B";  // one i32 -> map
        return s;
      }());
  // Ids and values out of their ranges.
  add("field id past i16", field(ThriftType::kI32, 32767) + "\x02\x15\x02\x00");
  add("ordinal past i16", footer_start() + field(ThriftType::kI64, 3) + "\x02" +
                              field(ThriftType::kList, 4) + "\x1C" + field(ThriftType::kList, 1) +
                              "\x0C" + field(ThriftType::kI64, 2) + "\x02" +
                              field(ThriftType::kI64, 3) + "\x02" + field(ThriftType::kI16, 7) +
                              varint(80000) + "\x00\x00");
  add("invalid field type 14", footer_start() + "\x0E\x28");
  add("invalid list element type", footer_start() + field(ThriftType::kList, 5) + "\x10");
  add("1000 empty schema elements", field(ThriftType::kI32, 1) + "\x02" +
                                        field(ThriftType::kList, 2) + "\xFC" + varint(1000) +
                                        std::string(1000, '\0'));
  // Schemas whose tree does not hold together, or is absurdly deep but valid.
  {
    std::string f;
    ThriftCompactWriter w(&f);
    w.field_i32(1, 1);
    w.field_list_begin(2, ThriftType::kStruct, 1);
    w.begin_struct();
    w.field_binary(4, "schema");
    w.field_i32(5, 0x7FFFFFFF);
    w.end_struct();
    w.field_i64(3, 0);
    w.field_list_begin(4, ThriftType::kStruct, 0);
    f.push_back(0);
    add("root announcing 2^31-1 children", f);
  }
  {
    std::string f;
    ThriftCompactWriter w(&f);
    w.field_i32(1, 1);
    const int depth = 50000;
    w.field_list_begin(2, ThriftType::kStruct, depth + 1);
    for (int i = 0; i < depth; ++i) {
      w.begin_struct();
      w.field_binary(4, "g");
      w.field_i32(5, 1);
      w.end_struct();
    }
    w.begin_struct();
    w.field_i32(1, 1);
    w.field_binary(4, "leaf");
    w.end_struct();
    w.field_i64(3, 0);
    w.field_list_begin(4, ThriftType::kStruct, 0);
    f.push_back(0);
    add("schema 50000 groups deep", f);
  }
  // Unions with no member, or two.
  add("LogicalType with no member",
      field(ThriftType::kI32, 1) + "\x02" + field(ThriftType::kList, 2) + "\x1C" +
          field(ThriftType::kBinary, 4) + "\x01r" + field(ThriftType::kStruct, 10) + "\x00\x00");
  // The page index, pointing where it must not, or at one region from every chunk.
  {
    const std::string body(2000, '\x01');
    for (int64_t offset : {int64_t{0}, int64_t{-4}, int64_t{2004}, int64_t{1} << 62}) {
      const std::string footer = footer_with_shared_offset_index(1, offset, 8);
      out.push_back({"offset index at " + std::to_string(offset), frame(body, footer)});
    }
    const std::string footer = footer_with_shared_offset_index(1, 4, 0x7FFFFFFF);
    out.push_back({"offset index of 2^31-1 bytes", frame(body, footer)});
  }
  {
    // 2000 chunks, one 3000-byte OffsetIndex region: 6 MB of parsing for a 3 KB file unless
    // the reader notices that the regions overlap.
    std::string oi;
    ThriftCompactWriter w(&oi);
    w.field_list_begin(1, ThriftType::kStruct, 300);
    for (int i = 0; i < 300; ++i) {
      w.begin_struct();
      w.field_i64(1, 4);
      w.field_i32(2, 1);
      w.field_i64(3, i);
      w.end_struct();
    }
    oi.push_back(0);
    const std::string footer =
        footer_with_shared_offset_index(2000, 4, static_cast<int32_t>(oi.size()));
    out.push_back({"2000 chunks sharing one offset index", frame(oi, footer)});
  }
  // Framing.
  for (uint32_t length : {0u, 1u, 0xFFFFFFFFu, 0x80000000u}) {
    std::string f = rich();
    f.replace(f.size() - 8, 4, little_endian(length, 4));
    out.push_back({"footer length " + std::to_string(length), f});
  }
  {
    std::string f = rich();
    f.replace(f.size() - 8, 4, little_endian(f.size() - 11, 4));
    out.push_back({"footer length one past the data", f});
  }
  return out;
}

TEST(InspectRobustness, HostileFootersAreRefusedQuickly) {
  Verdicts v;
  for (const Hostile& h : hostile_files()) {
    // The one valid but absurd schema may parse; everything else must be refused.
    const bool parsed = v.check(h.file, h.name);
    if (h.name != "schema 50000 groups deep") {
      EXPECT_FALSE(parsed) << h.name;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The inspect command, end to end

using scout::test_support::TempDir;

struct InspectRun {
  int exit_code = -1;  // -1: killed by a signal (a sanitizer report, a crash, the alarm)
  std::string out, err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `scout-export inspect <args>` as a child process (this executable re-run with
// --run-inspect, see main): a crash or a sanitizer report is a failure that shows the child's
// stderr instead of the end of the test. A fresh process also gets its own leak check at exit.
InspectRun run_inspect(const TempDir& dir, std::vector<std::string> args) {
  const std::string out_path = dir.file("stdout"), err_path = dir.file("stderr");
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&files, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  args.insert(args.begin(), {"inspect_robustness_test", "--run-inspect"});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t child = 0;
  const int spawned = posix_spawn(&child, "/proc/self/exe", &files, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  InspectRun run;
  if (spawned != 0) {
    run.err = std::string("cannot start the child: ") + std::strerror(spawned);
    return run;
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = slurp(out_path);
  run.err = slurp(err_path);
  return run;
}

// Exit 0 with output (JSON that parses, in --json mode), or exit 1 with one line
// "inspect: '<path>': <reason>" on stderr.
void expect_clean_outcome(const InspectRun& run, const std::string& path, bool json,
                          const std::string& what) {
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1)
      << what << ": exit " << run.exit_code << "\n"
      << run.err;
  if (run.exit_code == 0) {
    EXPECT_FALSE(run.out.empty()) << what;
    EXPECT_TRUE(run.err.empty()) << what << ": " << run.err;
    if (json) {
      EXPECT_FALSE(nlohmann::json::parse(run.out, nullptr, false).is_discarded()) << what;
    }
    return;
  }
  const std::string prefix = "inspect: '" + path + "': ";
  EXPECT_EQ(run.err.rfind(prefix, 0), 0u) << what << ": " << run.err;
  EXPECT_GT(run.err.size(), prefix.size() + 1) << what << ": no reason given";
  EXPECT_EQ(run.err.find('\n'), run.err.size() - 1) << what << ": " << run.err;
  EXPECT_TRUE(run.out.empty()) << what;
}

TEST(InspectRobustness, InspectPrintsTheSampleFile) {
  TempDir dir;
  const std::string path = dir.write("rich.parquet", rich());
  InspectRun text = run_inspect(dir, {path});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  for (const char* line :
       {"created_by: scout-export version 0.0.0 (build robustness)", "num_rows: 1000",
        "  scout.dataset = robustness", "      name: BYTE_ARRAY OPTIONAL, logical String",
        "    amount: FIXED_LEN_BYTE_ARRAY(16) OPTIONAL, logical Decimal(38,4), converted DECIMAL",
        "  column 1 'info.name': BYTE_ARRAY, SNAPPY, encodings PLAIN,RLE,RLE_DICTIONARY",
        "statistics: min -1234.5678, max 9999999.9999, null_count 2",
        "page index: 2 pages (column index ASCENDING, offset index)"}) {
    EXPECT_NE(text.out.find(line), std::string::npos) << line << "\n" << text.out;
  }
  InspectRun json = run_inspect(dir, {path, "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["num_rows"], 1000);
  EXPECT_EQ(j["schema"].size(), 8u);
  EXPECT_EQ(j["row_groups"][1]["columns"][2]["statistics"]["min"], "2025-01-01");
  EXPECT_EQ(j["row_groups"][0]["columns"][3]["page_index"]["pages"], 2);
  EXPECT_TRUE(j["key_value_metadata"][1]["value"].is_null());
}

TEST(InspectRobustness, InspectRefusesBrokenFilesWithOneLine) {
  TempDir dir;
  std::vector<std::pair<std::string, std::string>> files = {
      {"empty", ""}, {"short", "PAR1"}, {"text", "this is not parquet at all\n"}};
  const std::string& original = rich();
  for (size_t bit = 0; bit < original.size() * 8; bit += 331) {
    std::string f = original;
    f[bit / 8] ^= static_cast<char>(1 << (bit % 8));
    files.push_back({"flip" + std::to_string(bit), f});
  }
  for (size_t n = 0; n < original.size(); n += 401) {
    files.push_back({"cut" + std::to_string(n), original.substr(0, n)});
  }
  for (const Hostile& h : hostile_files()) files.push_back({"hostile", h.file});
  // Names and values that are not UTF-8 and carry terminal escapes.
  std::string evil = original;
  const size_t at = evil.find("scout.dataset");
  evil.replace(at, 5, "\x1B[2J\xFF");
  files.push_back({"evil", evil});

  for (size_t i = 0; i < files.size(); ++i) {
    const std::string path = dir.write("f" + std::to_string(i), files[i].second);
    for (bool json : {false, true}) {
      std::vector<std::string> args = {path};
      if (json) args.push_back("--json");
      expect_clean_outcome(run_inspect(dir, args), path, json, files[i].first);
    }
  }
  InspectRun evil_text = run_inspect(dir, {dir.write("evil.parquet", evil)});
  ASSERT_EQ(evil_text.exit_code, 0) << evil_text.err;
  EXPECT_EQ(evil_text.out.find('\x1B'), std::string::npos);
  EXPECT_NE(evil_text.out.find("\\x1b[2J"), std::string::npos);

  const std::string missing = dir.file("missing.parquet");
  expect_clean_outcome(run_inspect(dir, {missing}), missing, false, "missing file");
  const std::string directory = dir.path().string() + "/";
  expect_clean_outcome(run_inspect(dir, {directory}), directory, false, "a directory");
}

}  // namespace
}  // namespace scout::robustness

// `inspect_robustness_test --run-inspect FILE [--json]` is `scout-export inspect`, for the
// tests that run it as a child process; anything else runs the tests.
int main(int argc, char** argv) {
  if (argc >= 2 && std::string_view(argv[1]) == "--run-inspect") {
    ::alarm(60);  // a hang becomes SIGALRM, a failure the parent sees
    CLI::App app{"scout-export"};
    int exit_code = 0;
    scout::cli::add_inspect_command(app, &exit_code);
    std::string inspect = "inspect";
    std::vector<char*> args = {argv[0], inspect.data()};
    args.insert(args.end(), argv + 2, argv + argc);
    try {
      app.parse(static_cast<int>(args.size()), args.data());
    } catch (const CLI::ParseError& e) {
      return app.exit(e);
    }
    return exit_code;
  }
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
