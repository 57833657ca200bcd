// The file's bytes must not depend on how many threads encoded it: the same batches give the
// same file at 1 thread and at N, for every codec, with row groups, page cuts, nulls and
// dictionaries that fall back to PLAIN in the middle of a chunk.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "common/splitmix64.h"
#include "common/task_pool.h"
#include "parquet/footer_reader.h"
#include "scout/column_batch.h"
#include "scout/output_stream.h"
#include "scout/parquet/writer.h"

namespace scout::parquet {
namespace {

Schema every_type_schema() {
  Schema schema;
  schema.fields = {{"flag", DataType::of(TypeId::kBoolean), true},
                   {"small", DataType::of(TypeId::kInt16), false},
                   {"id", DataType::of(TypeId::kInt32), false},
                   {"big", DataType::of(TypeId::kInt64), true},
                   {"ratio", DataType::of(TypeId::kFloat), true},
                   {"amount", DataType::of(TypeId::kDouble), false},
                   {"price", DataType::decimal(12, 2), true},
                   {"huge", DataType::decimal(30, 4), true},
                   {"region", DataType::of(TypeId::kString), false},
                   {"note", DataType::of(TypeId::kString), true},
                   {"day", DataType::of(TypeId::kDate), false},
                   {"at", DataType::of(TypeId::kTimestamp), true},
                   {"blob", DataType::of(TypeId::kBinary), true}};
  return schema;
}

// Deterministic rows: low-cardinality columns that stay dictionary-encoded, and `note`, whose
// distinct values outgrow the dictionary limit part way through a chunk.
void fill(ColumnBatch* batch, size_t rows, int64_t* row) {
  static const char* kRegions[] = {"NCR", "Visayas", "Mindanao", "CALABARZON", "Ilocos"};
  batch->clear();
  for (size_t i = 0; i < rows; ++i, ++*row) {
    uint64_t r = splitmix64(static_cast<uint64_t>(*row) * 2 + 2024);
    auto col = [&](size_t c) -> ColumnVector& { return batch->column(c); };
    if (r % 17 == 0) col(0).append_null(); else col(0).append_bool(r & 1);
    col(1).append_int32(static_cast<int16_t>(r >> 8));
    col(2).append_int32(static_cast<int32_t>(*row));
    if (r % 13 == 0) col(3).append_null(); else col(3).append_int64(static_cast<int64_t>(r >> 3));
    if (r % 11 == 0) col(4).append_null(); else col(4).append_float(static_cast<float>(r % 1000) / 7.0f);
    col(5).append_double(static_cast<double>(r % 100'000) / 100.0);
    if (r % 7 == 0) col(6).append_null(); else col(6).append_int64(static_cast<int64_t>(r % 10'000'000));
    if (r % 5 == 0) col(7).append_null(); else col(7).append_int128(static_cast<__int128>(r) * 1'000'003);
    col(8).append_bytes(kRegions[r % 5]);
    if (r % 9 == 0) col(9).append_null(); else col(9).append_bytes("note-" + std::to_string(r % 50'000));
    col(10).append_int32(19'000 + static_cast<int32_t>(*row / 500));
    if (r % 3 == 0) col(11).append_null(); else col(11).append_int64(static_cast<int64_t>(r >> 12));
    if (r % 4 == 0) col(12).append_null(); else col(12).append_bytes(std::string(r % 40, static_cast<char>(r)));
  }
}

std::string write_file(Codec codec, int threads, int64_t rows) {
  WriterOptions options;
  options.codec = codec;
  options.threads = threads;
  options.max_row_group_rows = 12'000;  // several row groups, the last one short
  options.target_page_bytes = 64 << 10;
  options.max_page_rows = 5'000;
  options.dictionary_page_limit = 128 << 10;  // `note` falls back to PLAIN within a chunk
  auto stream = std::make_unique<BufferOutputStream>();
  const BufferOutputStream* buffer = stream.get();
  auto writer = FileWriter::open(std::move(stream), every_type_schema(), options);
  EXPECT_TRUE(writer.ok()) << writer.status().to_string();
  if (!writer.ok()) return {};
  ColumnBatch batch(every_type_schema());
  int64_t row = 0;
  // Batches of uneven sizes, some too small to be encoded in parallel.
  const size_t sizes[] = {8192, 100, 20'000, 3, 4096};
  for (size_t k = 0; row < rows; ++k) {
    fill(&batch, static_cast<size_t>(std::min<int64_t>(sizes[k % 5], rows - row)), &row);
    Status st = (*writer)->write_batch(batch);
    EXPECT_TRUE(st.ok()) << st.to_string();
  }
  Status st = (*writer)->close();
  EXPECT_TRUE(st.ok()) << st.to_string();
  return buffer->buffer();
}

TEST(FileWriterThreads, SameBytesAtEveryThreadCount) {
  for (Codec codec : {Codec::kUncompressed, Codec::kSnappy, Codec::kGzip, Codec::kLz4,
                      Codec::kBrotli, Codec::kZstd}) {
    SCOPED_TRACE(std::string(codec_name(codec)));
    const int64_t rows = codec == Codec::kBrotli || codec == Codec::kGzip ? 15'000 : 40'000;
    const std::string one = write_file(codec, 1, rows);
    ASSERT_FALSE(one.empty());
    auto info = read_parquet_footer_from_memory(one);
    ASSERT_TRUE(info.ok()) << info.status().to_string();
    EXPECT_EQ(info->metadata.num_rows, rows);
    EXPECT_GE(info->metadata.row_groups.size(), 2u);
    for (int threads : {2, 3, 8, 0}) {
      EXPECT_TRUE(write_file(codec, threads, rows) == one) << "threads=" << threads;
    }
  }
}

TEST(FileWriterThreads, RefusesANegativeThreadCount) {
  WriterOptions options;
  options.threads = -1;
  auto writer = FileWriter::open(std::make_unique<BufferOutputStream>(), every_type_schema(), options);
  ASSERT_FALSE(writer.ok());
  EXPECT_NE(writer.status().message().find("threads"), std::string::npos);
}

// Many writers at once share the one pool and still each write their own exact file.
TEST(FileWriterThreads, ConcurrentWritersShareThePool) {
  const std::string expected = write_file(Codec::kZstd, 1, 30'000);
  std::vector<std::string> results(6);
  std::vector<std::thread> writers;
  for (size_t i = 0; i < results.size(); ++i) {
    writers.emplace_back([&, i] { results[i] = write_file(Codec::kZstd, 0, 30'000); });
  }
  for (auto& t : writers) t.join();
  for (const std::string& r : results) EXPECT_TRUE(r == expected);
}

// String min/max are compared 8 bytes at a time: every pair of these, written in both orders,
// must give the min and max std::string gives (unsigned bytes, then length), whether they
// differ before, in or after the 8th byte, in a byte >= 0x80, or by one being a prefix.
TEST(FileWriter, StringStatisticsOrderAsStdString) {
  const std::vector<std::string> values = {
      "SCOUT-DEV-0002", "SCOUT-DEV-0001", "SCOUT-DEV-1000", "SCOUT-DEV-0009", "SCOUT-DEV-00010",
      "SCOUT-DE", "SCOUT-DEV-0001\xff", "SCOUT-DEV-\x80", "abcdefgh", "abcdefgi", "abcdefg",
      "abzzzzzz", "bazzzzzz", "", "ba", "ab", "z", "SCOUT-DEV-00019999", std::string("SCOUT\0DEV", 9),
      "\xff\xff\xff\xff\xff\xff\xff\xff\x01", "0123456789abcdef0", "0123456789abcdef1",
      "1123456789abcdef0"};
  Schema schema;
  schema.fields = {{"device_id", DataType::of(TypeId::kString), false}};
  for (const std::string& a : values) {
    for (const std::string& b : values) {
      ColumnBatch batch(schema);
      batch.column(0).append_bytes(a);
      batch.column(0).append_bytes(b);
      auto stream = std::make_unique<BufferOutputStream>();
      const BufferOutputStream* buffer = stream.get();
      auto writer = FileWriter::open(std::move(stream), schema, WriterOptions{});
      ASSERT_TRUE(writer.ok()) << writer.status().to_string();
      ASSERT_TRUE((*writer)->write_batch(batch).ok());
      ASSERT_TRUE((*writer)->close().ok());
      auto info = read_parquet_footer_from_memory(buffer->buffer());
      ASSERT_TRUE(info.ok()) << info.status().to_string();
      const auto& stats = info->metadata.row_groups.at(0).columns.at(0).meta_data->statistics;
      ASSERT_TRUE(stats.has_value());
      EXPECT_EQ(stats->min_value, std::min(a, b)) << "'" << a << "' and '" << b << "'";
      EXPECT_EQ(stats->max_value, std::max(a, b)) << "'" << a << "' and '" << b << "'";
    }
  }
}

}  // namespace
}  // namespace scout::parquet
