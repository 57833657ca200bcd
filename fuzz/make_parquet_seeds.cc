// Writes the seed corpus of the parquet_footer fuzzer: small real files from our writer (every
// column type, several row groups and pages, each codec family, with and without the page
// index) and the hand-built files of tests/robustness (a nested schema, fields a newer writer
// adds). Deterministic, so that regenerating changes nothing:
//   cmake --build build --target fuzz_parquet_seeds && build/fuzz/fuzz_parquet_seeds fuzz/corpus/parquet_footer
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "robustness/sample_files.h"
#include "scout/column_batch.h"
#include "scout/output_stream.h"
#include "scout/parquet/writer.h"

namespace {

using namespace scout;

// Every column type the writer takes, 200 rows with a NULL in every seventh of the nullable ones.
Schema all_types_schema() {
  Schema s;
  s.fields = {{"id", DataType::of(TypeId::kInt64), false},
              {"flag", DataType::of(TypeId::kBoolean), true},
              {"small", DataType::of(TypeId::kInt16), true},
              {"count", DataType::of(TypeId::kInt32), true},
              {"ratio", DataType::of(TypeId::kFloat), true},
              {"score", DataType::of(TypeId::kDouble), true},
              {"amount", DataType::decimal(14, 2), true},
              {"big_amount", DataType::decimal(38, 10), true},
              {"region", DataType::of(TypeId::kString), true},
              {"day", DataType::of(TypeId::kDate), true},
              {"at", DataType::of(TypeId::kTimestamp), true},
              {"blob", DataType::of(TypeId::kBinary), true}};
  return s;
}

ColumnBatch all_types_rows(const Schema& schema, int rows) {
  static const char* kRegions[] = {"NCR", "Visayas", "Mindanao", "Luzon"};
  ColumnBatch b(schema);
  for (int i = 0; i < rows; ++i) {
    b.column(0).append_int64(1000 + i);
    for (size_t c = 1; c < schema.size(); ++c) {
      if (i % 7 == 0) {
        b.column(c).append_null();
        continue;
      }
      ColumnVector& v = b.column(c);
      switch (c) {
        case 1: v.append_bool(i % 3 == 0); break;
        case 2: v.append_int32(i % 300 - 150); break;
        case 3: v.append_int32(i * 37); break;
        case 4: v.append_float(static_cast<float>(i) / 8); break;
        case 5: v.append_double(i * 1.25 - 40); break;
        case 6: v.append_int64(i * 1999 - 5000); break;
        case 7: v.append_int128(static_cast<__int128>(i) * 100000000000LL); break;
        case 8: v.append_bytes(kRegions[i % 4]); break;
        case 9: v.append_int32(20089 + i % 31); break;  // January 2025
        case 10: v.append_int64(1735689600000000LL + i * 60000000LL); break;
        case 11: v.append_bytes(std::string(1 + i % 5, static_cast<char>(i))); break;
      }
    }
  }
  return b;
}

std::string write_parquet(const Schema& schema, const ColumnBatch& rows, parquet::WriterOptions options) {
  options.created_by = "scout-export fuzz seed";
  auto out = std::make_unique<BufferOutputStream>();
  BufferOutputStream* buffer = out.get();
  auto writer = parquet::FileWriter::open(std::move(out), schema, options);
  if (!writer.ok() || !(*writer)->write_batch(rows).ok() || !(*writer)->close().ok()) {
    std::fprintf(stderr, "make_parquet_seeds: the writer failed\n");
    std::exit(1);
  }
  return buffer->buffer();
}

void save(const std::string& folder, const std::string& name, const std::string& bytes) {
  std::ofstream(folder + "/" + name, std::ios::binary) << bytes;
  std::printf("%s/%s: %zu bytes\n", folder.c_str(), name.c_str(), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FOLDER\n", argv[0]);
    return 2;
  }
  const std::string folder = argv[1];
  const Schema schema = all_types_schema();
  const ColumnBatch rows = all_types_rows(schema, 200);

  parquet::WriterOptions paged;  // two row groups of four pages each, page index, statistics
  paged.codec = parquet::Codec::kUncompressed;
  paged.max_row_group_rows = 100;
  paged.max_page_rows = 25;
  paged.key_value_metadata = {{"scout.dataset", "daily_transactions"}};
  save(folder, "all_types_paged.parquet", write_parquet(schema, rows, paged));

  parquet::WriterOptions snappy;  // one row group, dictionary and delta pages, v2 style
  snappy.codec = parquet::Codec::kSnappy;
  save(folder, "all_types_snappy.parquet", write_parquet(schema, rows, snappy));

  parquet::WriterOptions bare;  // no page index, no statistics, no dictionary
  bare.codec = parquet::Codec::kZstd;
  bare.write_page_index = false;
  bare.write_page_statistics = false;
  bare.enable_dictionary = false;
  bare.enable_delta = false;
  save(folder, "all_types_bare_zstd.parquet", write_parquet(schema, rows, bare));

  Schema two;
  two.fields = {schema.fields[0], schema.fields[8]};
  ColumnBatch no_rows(two);
  save(folder, "zero_rows.parquet", write_parquet(two, no_rows, {}));

  save(folder, "robustness_rich.parquet", robustness::rich_file());
  save(folder, "robustness_zero_row.parquet", robustness::zero_row_file());
  return 0;
}
