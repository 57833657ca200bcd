// Scout's Parquet writer: a schema in, column batches in, a Parquet file out.
// Memory is bounded by one row group's encoded pages, whatever the file's size.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "scout/codec.h"
#include "scout/column_batch.h"
#include "scout/output_stream.h"
#include "scout/status.h"

namespace scout::parquet {

// The product's codecs (scout/codec.h). In Parquet, lz4 is written as LZ4_RAW (codec 7), never
// the deprecated Hadoop-framed LZ4 (5).
using scout::Codec;
using scout::codec_name;
using scout::parse_codec;

struct WriterOptions {
  Codec codec = Codec::kSnappy;
  int compression_level = 0;  // 0: the codec's default for Parquet (common/compression_levels.h)
  int64_t max_row_group_rows = 1'048'576;
  int64_t max_row_group_bytes = 128LL << 20;  // estimated, before encoding
  int64_t target_page_bytes = 1 << 20;        // estimated, before encoding
  int64_t max_page_rows = 20'000;             // keeps the page index useful for skipping
  int64_t dictionary_page_limit = 1 << 20;    // a bigger dictionary falls back to PLAIN
  bool enable_dictionary = true;
  bool enable_delta = true;  // DELTA_BINARY_PACKED for integer pages where it beats PLAIN
  bool write_page_index = true;
  bool write_page_statistics = true;
  std::vector<std::pair<std::string, std::string>> key_value_metadata;
  std::string created_by;  // empty: "scout-export version <ver> (build <id>)"
  // Threads that encode and compress a row group's column chunks side by side, taken from the
  // process-wide pool that every writer shares; 0: all cores. The file's bytes are the same
  // whatever the count.
  int threads = 0;
};

// Our `created_by`, which readers parse to decide which writer bugs to work around.
std::string default_created_by();

class FileWriter {
 public:
  static Result<std::unique_ptr<FileWriter>> open(std::unique_ptr<OutputStream> out,
                                                  Schema schema, WriterOptions options = {});
  ~FileWriter();
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;

  // Appends the batch's rows; the batch must match the schema given to open(). Row groups
  // and pages are cut by the options; a batch may span several.
  Status write_batch(const ColumnBatch& batch);
  // Ends the current row group now (no-op when it is empty).
  Status flush_row_group();
  // Writes the footer and closes the stream. The file is valid even with zero rows.
  Status close();

  const Schema& schema() const;
  int64_t rows_written() const;
  // Bytes written to the stream so far (row groups already flushed), and the estimate of the
  // row group still in memory.
  int64_t bytes_written() const;
  int64_t buffered_bytes() const;

 private:
  class Impl;
  explicit FileWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace scout::parquet
