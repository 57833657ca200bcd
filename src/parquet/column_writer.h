// Writes one column's chunk of the current row group: buffers the page being filled, encodes
// and compresses finished pages, and keeps them in memory until the row group is flushed.
// Dictionary pages must precede data pages, so a chunk is only emitted once it is complete.
#pragma once

#include <cstdint>
#include <memory>

#include "parquet/metadata.h"
#include "scout/column_batch.h"
#include "scout/output_stream.h"
#include "scout/parquet/writer.h"

namespace scout::parquet {

// What a flushed chunk leaves behind for the footer and the page index.
struct WrittenChunk {
  format::ColumnChunk chunk;
  format::ColumnIndex column_index;
  format::OffsetIndex offset_index;
  bool has_column_index = false;  // false when a page's min/max cannot be represented
};

class ColumnWriter {
 public:
  static std::unique_ptr<ColumnWriter> make(const Field& field, const WriterOptions& options);
  virtual ~ColumnWriter() = default;

  // Appends rows [begin, end) of `column`, whose type is the field's.
  virtual void append(const ColumnVector& column, size_t begin, size_t end) = 0;
  // Whether appending rows [begin, end) may finish a page, the step that encodes and
  // compresses; false means the append only copies values. May say true when it will not.
  virtual bool may_finish_page(const ColumnVector& column, size_t begin, size_t end) const = 0;
  // Bytes this chunk holds in memory: finished pages plus the page being filled.
  virtual int64_t buffered_bytes() const = 0;
  // Closes the last page and encodes the dictionary page: the chunk's remaining CPU work, which
  // columns may do in parallel. flush_chunk() does it when it was not done.
  virtual Status seal_chunk() = 0;
  // Writes the whole chunk to `out` and resets for the next row group.
  virtual Status flush_chunk(OutputStream* out, WrittenChunk* written) = 0;
};

}  // namespace scout::parquet
