// What the column writer hands each codec: the width of PLAIN values (for brotli's distance
// codes) and dictionary indices packed tight or in whole bytes, as the compressor prefers.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "parquet/compression.h"
#include "parquet/footer_reader.h"
#include "parquet/metadata_decoder.h"
#include "parquet/rle_hybrid.h"
#include "scout/column_batch.h"
#include "scout/output_stream.h"
#include "scout/parquet/writer.h"

namespace scout::parquet {
namespace {

Schema ids_and_prices_schema() {
  Schema schema;
  schema.fields = {{"id", DataType::of(TypeId::kInt32), false},
                   {"price", DataType::of(TypeId::kDouble), false}};
  return schema;
}

// Store ids 1..`stores` in the same order every day, a few missing each day (as
// daily_transactions has them), and a price per row.
ColumnBatch store_days(int stores, int days) {
  ColumnBatch batch(ids_and_prices_schema());
  uint64_t x = 7;
  for (int day = 0; day < days; ++day) {
    for (int store = 1; store <= stores; ++store) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      if ((x >> 33) % 40 == 0) continue;  // the store sent nothing that day
      batch.column(0).append_int32(store);
      batch.column(1).append_double(static_cast<double>((x >> 40) % 100'000) / 100.0);
    }
  }
  return batch;
}

ColumnBatch ids(const std::vector<int32_t>& values) {
  ColumnBatch batch(ids_and_prices_schema());
  for (int32_t v : values) {
    batch.column(0).append_int32(v);
    batch.column(1).append_double(1.5);
  }
  return batch;
}

struct Page {
  format::PageHeader header;
  std::string compressed;
  std::string body;  // decompressed
};

// Writes `batch` in memory and splits the first row group's column chunks into pages.
struct WrittenFile {
  Codec codec = Codec::kSnappy;
  std::string bytes;
  ParquetFileInfo info;
  std::vector<std::vector<Page>>
      pages;  // per column: the dictionary page (if any), then data pages
};

void write_and_split(const ColumnBatch& batch, Codec codec, int level, WrittenFile* file) {
  WriterOptions options;
  options.codec = codec;
  options.compression_level = level;
  auto stream = std::make_unique<BufferOutputStream>();
  const BufferOutputStream* buffer = stream.get();
  auto writer = FileWriter::open(std::move(stream), ids_and_prices_schema(), options);
  ASSERT_TRUE(writer.ok()) << writer.status().to_string();
  ASSERT_TRUE((*writer)->write_batch(batch).ok());
  ASSERT_TRUE((*writer)->close().ok());
  file->codec = codec;
  file->bytes = buffer->buffer();
  auto info = read_parquet_footer_from_memory(file->bytes);
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  file->info = std::move(*info);
  ASSERT_EQ(file->info.metadata.row_groups.size(), 1u);
  for (const format::ColumnChunk& chunk : file->info.metadata.row_groups[0].columns) {
    const format::ColumnMetaData& meta = *chunk.meta_data;
    std::vector<Page>& pages = file->pages.emplace_back();
    size_t at = static_cast<size_t>(meta.dictionary_page_offset.value_or(meta.data_page_offset));
    const size_t end = at + static_cast<size_t>(meta.total_compressed_size);
    while (at < end) {
      Page& page = pages.emplace_back();
      size_t header_size = 0;
      auto header = parse_page_header(std::string_view(file->bytes).substr(at), &header_size);
      ASSERT_TRUE(header.ok()) << header.status().to_string();
      page.header = *header;
      page.compressed =
          file->bytes.substr(at + header_size, static_cast<size_t>(header->compressed_page_size));
      Status st = decompress_page(codec, page.compressed,
                                  static_cast<size_t>(header->uncompressed_page_size), &page.body);
      ASSERT_TRUE(st.ok()) << st.to_string();
      at += header_size + page.compressed.size();
    }
  }
}

// The indices of a required column's RLE_DICTIONARY data page: a width byte, then the hybrid.
void read_indices(const Page& page, int* width, std::vector<uint32_t>* indices) {
  ASSERT_TRUE(page.header.data_page_header.has_value());
  ASSERT_EQ(page.header.data_page_header->encoding, format::Encoding::RLE_DICTIONARY);
  ASSERT_FALSE(page.body.empty());
  *width = static_cast<uint8_t>(page.body[0]);
  Status st =
      decode_rle_bit_packed(std::string_view(page.body).substr(1), *width,
                            static_cast<size_t>(page.header.data_page_header->num_values), indices);
  ASSERT_TRUE(st.ok()) << st.to_string();
}

// Every data page of column 0 decodes to the ids written (the dictionary holds them in order of
// first appearance), and the pages' index widths are `widths`.
void expect_indices(const WrittenFile& file, const ColumnBatch& batch,
                    const std::vector<int>& widths) {
  std::map<int32_t, uint32_t> index_of_id;
  for (size_t i = 0; i < batch.num_rows(); ++i) {
    index_of_id.emplace(batch.column(0).value<int32_t>(i),
                        static_cast<uint32_t>(index_of_id.size()));
  }
  std::vector<int> got_widths;
  size_t row = 0;
  for (const Page& page : file.pages[0]) {
    if (page.header.dictionary_page_header) continue;
    int width = 0;
    std::vector<uint32_t> indices;
    ASSERT_NO_FATAL_FAILURE(read_indices(page, &width, &indices));
    got_widths.push_back(width);
    for (uint32_t index : indices) {
      ASSERT_LT(row, batch.num_rows());
      ASSERT_EQ(index, index_of_id.at(batch.column(0).value<int32_t>(row))) << "row " << row;
      ++row;
    }
  }
  EXPECT_EQ(row, batch.num_rows());
  EXPECT_EQ(got_widths, widths);
}

TEST(ColumnWriter, DictionaryIndicesAreWholeBytesOnlyWhereTheCompressorPrefersIt) {
  const ColumnBatch batch = store_days(300, 60);  // indices 0..299: 9 bits tight
  struct Case {
    Codec codec;
    int level;
    int width;
  };
  for (Case c :
       {Case{Codec::kBrotli, 0, 16}, Case{Codec::kBrotli, 11, 16}, Case{Codec::kBrotli, 10, 16},
        Case{Codec::kBrotli, 9, 9}, Case{Codec::kBrotli, 5, 9}, Case{Codec::kSnappy, 0, 9},
        Case{Codec::kZstd, 0, 9}, Case{Codec::kGzip, 0, 9}, Case{Codec::kLz4, 0, 9}}) {
    SCOPED_TRACE(std::string(codec_name(c.codec)) + " " + std::to_string(c.level));
    WrittenFile file;
    ASSERT_NO_FATAL_FAILURE(write_and_split(batch, c.codec, c.level, &file));
    ASSERT_NO_FATAL_FAILURE(expect_indices(file, batch, {c.width}));
  }
}

// Widths round up to the next whole byte, not to a fixed size, and RLE runs (whose value
// takes whole bytes either way) decode at the rounded width too.
TEST(ColumnWriter, IndexWidthsRoundUpToTheNextByte) {
  std::vector<int32_t> values;
  for (int i = 0; i < 20'000; ++i) values.push_back(i % 5);  // page 1: 5 ids, 3 bits
  for (int i = 0; i < 20'000; ++i)
    values.push_back(i / 100);  // page 2: runs of 100, 200 ids: 8 bits
  for (int i = 0; i < 80'000; ++i) values.push_back(1'000 + i);  // pages 3-6: 17 bits by page 6
  const ColumnBatch batch = ids(values);
  for (auto [level, widths] : {std::pair{11, std::vector<int>{8, 8, 16, 16, 16, 24}},
                               std::pair{5, std::vector<int>{3, 8, 15, 16, 16, 17}}}) {
    SCOPED_TRACE("brotli " + std::to_string(level));
    WrittenFile file;
    ASSERT_NO_FATAL_FAILURE(write_and_split(batch, Codec::kBrotli, level, &file));
    ASSERT_NO_FATAL_FAILURE(expect_indices(file, batch, widths));
  }
}

// The reason for whole bytes: the same page packed tight and compressed at the same level
// comes out larger.
TEST(ColumnWriter, WholeByteIndicesMakeBrotli11PagesOfRecurringIdsSmaller) {
  WrittenFile file;
  ASSERT_NO_FATAL_FAILURE(write_and_split(store_days(300, 60), Codec::kBrotli, 11, &file));
  const Page& page = file.pages[0].back();
  int width = 0;
  std::vector<uint32_t> indices;
  ASSERT_NO_FATAL_FAILURE(read_indices(page, &width, &indices));
  ASSERT_EQ(width, 16);

  std::string tight(1, static_cast<char>(9));
  RleBitPackedEncoder encoder(9, &tight);
  encoder.put_all(indices.data(), indices.size());
  encoder.flush();
  std::string tight_compressed;
  ASSERT_TRUE(PageCompressor::make(Codec::kBrotli, 11)
                  ->compress(reinterpret_cast<const uint8_t*>(tight.data()), tight.size(), 0,
                             &tight_compressed)
                  .ok());
  EXPECT_LT(page.compressed.size(), tight_compressed.size() * 0.7)
      << "whole bytes " << page.compressed.size() << ", tight " << tight_compressed.size();
}

// A PLAIN page of doubles reaches the compressor with its value width (8), which brotli turns
// into cheaper distance codes: the page is exactly what compress(..., 8) makes of its body.
TEST(ColumnWriter, PlainPagesReachTheCompressorWithTheirValueWidth) {
  WrittenFile file;
  ASSERT_NO_FATAL_FAILURE(write_and_split(store_days(300, 60), Codec::kBrotli, 5, &file));
  const Page& page = file.pages[1].front();
  ASSERT_TRUE(page.header.data_page_header.has_value());
  ASSERT_EQ(page.header.data_page_header->encoding, format::Encoding::PLAIN);
  auto compressor = PageCompressor::make(Codec::kBrotli, 5);
  std::string with_width, without_width;
  const auto* body = reinterpret_cast<const uint8_t*>(page.body.data());
  ASSERT_TRUE(compressor->compress(body, page.body.size(), 8, &with_width).ok());
  ASSERT_TRUE(compressor->compress(body, page.body.size(), 0, &without_width).ok());
  ASSERT_NE(with_width, without_width);  // else this test could not tell them apart
  EXPECT_EQ(page.compressed, with_width);
}

}  // namespace
}  // namespace scout::parquet
