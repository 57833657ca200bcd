// What the column writer hands each codec: the width of PLAIN values (for brotli's distance
// codes) and dictionary indices packed tight or in whole bytes, as the compressor prefers.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "parquet/compression.h"
#include "parquet/metadata_reader.h"
#include "parquet/rle_hybrid.h"
#include "scout/column_batch.h"
#include "scout/parquet/writer.h"
#include "testing/temp_dir.h"

namespace scout::parquet {
namespace {

using test_support::TempDir;

constexpr int kStores = 300;  // dictionary indices 0..299: 9 bits tight, 16 in whole bytes

// Store ids in the same order every day, a few missing each day (as daily_transactions has
// them), and a price per row.
Schema store_days_schema() {
  Schema schema;
  schema.fields = {{"store_id", DataType::of(TypeId::kInt32), false},
                   {"price", DataType::of(TypeId::kDouble), false}};
  return schema;
}

ColumnBatch store_days(int days) {
  ColumnBatch batch(store_days_schema());
  uint64_t x = 7;
  for (int day = 0; day < days; ++day) {
    for (int store = 1; store <= kStores; ++store) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      if ((x >> 33) % 40 == 0) continue;  // the store sent nothing that day
      batch.column(0).append_int32(store);
      batch.column(1).append_double(static_cast<double>((x >> 40) % 100'000) / 100.0);
    }
  }
  return batch;
}

struct Page {
  format::PageHeader header;
  std::string body;  // decompressed
  std::string compressed;
};

struct WrittenFile {
  std::string bytes;
  ParquetFileInfo info;

  // The first page at `offset` of the file.
  Page page_at(int64_t offset, Codec codec) const {
    Page page;
    size_t header_size = 0;
    auto header = parse_page_header(std::string_view(bytes).substr(static_cast<size_t>(offset)), &header_size);
    EXPECT_TRUE(header.ok()) << header.status().to_string();
    if (!header.ok()) return page;
    page.header = *header;
    page.compressed = bytes.substr(static_cast<size_t>(offset) + header_size,
                                   static_cast<size_t>(header->compressed_page_size));
    Status st = decompress_page(codec, page.compressed, static_cast<size_t>(header->uncompressed_page_size),
                                &page.body);
    EXPECT_TRUE(st.ok()) << st.to_string();
    return page;
  }
  Page first_data_page(size_t column, Codec codec) const {
    return page_at(info.metadata.row_groups[0].columns[column].meta_data->data_page_offset, codec);
  }
};

WrittenFile write(const ColumnBatch& batch, Codec codec, int level) {
  TempDir dir;
  const std::string path = dir.file("t.parquet");
  WriterOptions options;
  options.codec = codec;
  options.compression_level = level;
  auto out = open_file_output(path);
  EXPECT_TRUE(out.ok());
  auto writer = FileWriter::open(std::move(*out), store_days_schema(), options);
  EXPECT_TRUE(writer.ok()) << writer.status().to_string();
  EXPECT_TRUE((*writer)->write_batch(batch).ok());
  EXPECT_TRUE((*writer)->close().ok());
  WrittenFile file;
  std::ifstream in(path, std::ios::binary);
  file.bytes.assign(std::istreambuf_iterator<char>(in), {});
  auto info = read_parquet_footer(path);
  EXPECT_TRUE(info.ok()) << info.status().to_string();
  if (info.ok()) file.info = std::move(*info);
  return file;
}

// The indices of a required column's RLE_DICTIONARY data page: a width byte, then the hybrid.
std::vector<uint32_t> indices_of(const Page& page, int* width) {
  *width = static_cast<uint8_t>(page.body[0]);
  std::vector<uint32_t> indices;
  Status st = decode_rle_bit_packed(std::string_view(page.body).substr(1), *width,
                                    static_cast<size_t>(page.header.data_page_header->num_values), &indices);
  EXPECT_TRUE(st.ok()) << st.to_string();
  return indices;
}

TEST(ColumnWriter, DictionaryIndicesAreWholeBytesOnlyWhereTheCompressorPrefersIt) {
  const ColumnBatch batch = store_days(60);
  struct Case {
    Codec codec;
    int level;
    int width;
  };
  for (Case c : {Case{Codec::kBrotli, 11, 16}, Case{Codec::kBrotli, 10, 16}, Case{Codec::kBrotli, 5, 9},
                 Case{Codec::kSnappy, 0, 9}, Case{Codec::kZstd, 0, 9}, Case{Codec::kGzip, 0, 9}}) {
    SCOPED_TRACE(std::string(codec_name(c.codec)) + " " + std::to_string(c.level));
    const WrittenFile file = write(batch, c.codec, c.level);
    const Page page = file.first_data_page(0, c.codec);
    ASSERT_EQ(page.header.data_page_header->encoding, format::Encoding::RLE_DICTIONARY);
    int width = 0;
    const std::vector<uint32_t> indices = indices_of(page, &width);
    EXPECT_EQ(width, c.width);
    // The dictionary holds the ids in order of first appearance.
    std::map<int32_t, uint32_t> index_of_id;
    for (size_t i = 0; i < batch.num_rows(); ++i) {
      index_of_id.emplace(batch.column(0).value<int32_t>(i), static_cast<uint32_t>(index_of_id.size()));
    }
    ASSERT_EQ(index_of_id.size(), static_cast<size_t>(kStores));
    ASSERT_EQ(indices.size(), static_cast<size_t>(page.header.data_page_header->num_values));
    for (size_t i = 0; i < indices.size(); ++i) {
      ASSERT_EQ(indices[i], index_of_id.at(batch.column(0).value<int32_t>(i))) << "row " << i;
    }
  }
}

// The reason for whole bytes: the same page packed tight and compressed at the same level
// comes out larger.
TEST(ColumnWriter, WholeByteIndicesMakeBrotli11PagesOfRecurringIdsSmaller) {
  const ColumnBatch batch = store_days(60);
  const WrittenFile file = write(batch, Codec::kBrotli, 11);
  const Page page = file.first_data_page(0, Codec::kBrotli);
  int width = 0;
  const std::vector<uint32_t> indices = indices_of(page, &width);
  ASSERT_EQ(width, 16);

  std::string tight(1, static_cast<char>(9));
  RleBitPackedEncoder encoder(9, &tight);
  encoder.put_all(indices.data(), indices.size());
  encoder.flush();
  std::string tight_compressed;
  ASSERT_TRUE(PageCompressor::make(Codec::kBrotli, 11)
                  ->compress(reinterpret_cast<const uint8_t*>(tight.data()), tight.size(), 0, &tight_compressed)
                  .ok());
  EXPECT_LT(page.compressed.size(), tight_compressed.size() * 0.7)
      << "whole bytes " << page.compressed.size() << ", tight " << tight_compressed.size();
}

// A PLAIN page of doubles reaches the compressor with its value width (8), which brotli turns
// into cheaper distance codes: the page is exactly what compress(..., 8) makes of its body.
TEST(ColumnWriter, PlainPagesReachTheCompressorWithTheirValueWidth) {
  const ColumnBatch batch = store_days(60);
  const WrittenFile file = write(batch, Codec::kBrotli, 5);
  const Page page = file.first_data_page(1, Codec::kBrotli);
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
