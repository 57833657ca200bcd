#include <algorithm>
#include <string>
#include <vector>

#include "common/task_pool.h"
#include "parquet/column_writer.h"
#include "parquet/metadata_writer.h"
#include "parquet/parquet_schema.h"
#include "scout/parquet/writer.h"
#include "scout/version.h"

namespace scout::parquet {

std::string default_created_by() {
  return "scout-export version " SCOUT_VERSION " (build " SCOUT_BUILD_ID ")";
}

class FileWriter::Impl {
 public:
  Impl(std::unique_ptr<OutputStream> out, Schema schema, WriterOptions options)
      : out_(std::move(out)),
        schema_(std::move(schema)),
        options_(std::move(options)),
        threads_(resolve_thread_count(options_.threads)) {
    for (const Field& f : schema_.fields) columns_.push_back(ColumnWriter::make(f, options_));
    pending_.resize(schema_.size());
  }

  Status start() { return out_->write("PAR1", 4); }

  Status write_batch(const ColumnBatch& batch) {
    SCOUT_RETURN_IF_ERROR(failed_);
    SCOUT_RETURN_IF_ERROR(check_batch(batch));
    size_t rows = batch.num_rows();
    size_t at = 0;
    // Rows per slice: the row group's byte target is checked between slices, so a slice is
    // sized from the batch's average row width to end near it.
    const size_t per_row = std::max<size_t>(1, estimated_bytes(batch) / std::max<size_t>(1, rows));
    while (at < rows) {
      int64_t byte_room = std::max<int64_t>(options_.max_row_group_bytes - buffered_bytes(), 0);
      size_t by_bytes = std::max<size_t>(1, static_cast<size_t>(byte_room) / per_row);
      size_t n = std::min({rows - at, static_cast<size_t>(options_.max_row_group_rows - group_rows_), by_bytes});
      auto append = [&](size_t c) { columns_[c]->append(batch.column(c), at, at + n); };
      // Most slices only copy values into the pages being filled, too little work to be worth
      // handing to a helper; a slice in which some column finishes a page goes in parallel.
      bool encodes = false;
      for (size_t c = 0; c < columns_.size() && !encodes; ++c) {
        encodes = columns_[c]->may_finish_page(batch.column(c), at, at + n);
      }
      if (encodes) {
        for_each_column(n, append);
      } else {
        for (size_t c = 0; c < columns_.size(); ++c) append(c);
      }
      group_rows_ += static_cast<int64_t>(n);
      at += n;
      if (group_rows_ >= options_.max_row_group_rows || buffered_bytes() >= options_.max_row_group_bytes) {
        SCOUT_RETURN_IF_ERROR(remember(flush_row_group()));
      }
    }
    return Status::OK();
  }

  Status flush_row_group() {
    SCOUT_RETURN_IF_ERROR(failed_);
    if (group_rows_ == 0) return Status::OK();
    format::RowGroup group;
    group.num_rows = group_rows_;
    group.file_offset = out_->position();
    group.ordinal = static_cast<int16_t>(meta_.row_groups.size());
    int64_t compressed = 0;
    std::vector<Status> sealed(columns_.size());
    for_each_column(group_rows_, [&](size_t c) { sealed[c] = columns_[c]->seal_chunk(); });
    for (const Status& st : sealed) SCOUT_RETURN_IF_ERROR(remember(st));
    for (size_t c = 0; c < columns_.size(); ++c) {
      WrittenChunk written;
      SCOUT_RETURN_IF_ERROR(remember(columns_[c]->flush_chunk(out_.get(), &written)));
      group.total_byte_size += written.chunk.meta_data->total_uncompressed_size;
      compressed += written.chunk.meta_data->total_compressed_size;
      group.columns.push_back(std::move(written.chunk));
      pending_[c].push_back(PendingIndex{std::move(written.column_index),
                                         std::move(written.offset_index),
                                         written.has_column_index});
    }
    group.total_compressed_size = compressed;
    meta_.num_rows += group_rows_;
    meta_.row_groups.push_back(std::move(group));
    group_rows_ = 0;
    return Status::OK();
  }

  Status close() {
    if (closed_) return failed_;
    SCOUT_RETURN_IF_ERROR(flush_row_group());
    closed_ = true;
    SCOUT_RETURN_IF_ERROR(remember(write_page_indexes()));
    meta_.version = 1;
    meta_.schema = parquet_schema_for(schema_);
    for (const auto& [k, v] : options_.key_value_metadata) meta_.key_value_metadata.push_back({k, v});
    meta_.created_by = options_.created_by.empty() ? default_created_by() : options_.created_by;
    meta_.column_orders_type_defined = true;
    std::string footer;
    serialize(meta_, &footer);
    uint32_t length = static_cast<uint32_t>(footer.size());
    footer.append(reinterpret_cast<const char*>(&length), 4);
    footer.append("PAR1", 4);
    SCOUT_RETURN_IF_ERROR(remember(out_->write(footer.data(), footer.size())));
    return remember(out_->close());
  }

  const Schema& schema() const { return schema_; }
  int64_t rows_written() const { return meta_.num_rows + group_rows_; }
  int64_t bytes_written() const { return out_->position(); }
  int64_t buffered_bytes() const {
    int64_t total = 0;
    for (const auto& c : columns_) total += c->buffered_bytes();
    return total;
  }

 private:
  struct PendingIndex {
    format::ColumnIndex column_index;
    format::OffsetIndex offset_index;
    bool has_column_index;
  };

  // Column writers share nothing, so their chunks are encoded side by side; each column's own
  // work is done in order, so the bytes do not depend on the thread count. Below a few
  // thousand rows the work is too small to be worth waking a helper.
  template <typename Fn>
  void for_each_column(int64_t rows, Fn&& fn) {
    constexpr int64_t kMinParallelRows = 2048;
    if (threads_ <= 1 || columns_.size() < 2 || rows < kMinParallelRows) {
      for (size_t c = 0; c < columns_.size(); ++c) fn(c);
      return;
    }
    TaskPool::shared().parallel_for(columns_.size(), threads_, fn);
  }

  // A failed write leaves the stream in an unknown state: every later call reports it.
  Status remember(Status st) {
    if (!st.ok() && failed_.ok()) failed_ = st;
    return st;
  }

  static size_t estimated_bytes(const ColumnBatch& batch) {
    size_t total = 0;
    for (size_t c = 0; c < batch.num_columns(); ++c) {
      const ColumnVector& col = batch.column(c);
      int w = col.type().storage_width();
      total += w > 0 ? col.size() * static_cast<size_t>(w) : col.chars_size() + 4 * col.size();
    }
    return total;
  }

  Status check_batch(const ColumnBatch& batch) const {
    if (batch.num_columns() != schema_.size()) {
      return Status::Invalid("batch has " + std::to_string(batch.num_columns()) +
                             " columns; the file's schema has " + std::to_string(schema_.size()));
    }
    for (size_t c = 0; c < schema_.size(); ++c) {
      const Field& f = schema_[c];
      const ColumnVector& col = batch.column(c);
      if (!(col.type() == f.type)) {
        return Status::Invalid("column '" + f.name + "': batch holds " + col.type().name() +
                               ", schema says " + f.type.name());
      }
      if (col.size() != batch.num_rows()) {
        return Status::Invalid("column '" + f.name + "' has " + std::to_string(col.size()) +
                               " rows, the batch " + std::to_string(batch.num_rows()));
      }
      if (!f.nullable && col.null_count() > 0) {
        return Status::Invalid("column '" + f.name + "' is NOT NULL but the batch holds " +
                               std::to_string(col.null_count()) + " NULL values");
      }
    }
    return Status::OK();
  }

  // PageIndex.md: all ColumnIndex structs, then all OffsetIndex structs, before the footer.
  Status write_page_indexes() {
    if (!options_.write_page_index) return Status::OK();
    std::string buf;
    for (size_t g = 0; g < meta_.row_groups.size(); ++g) {
      for (size_t c = 0; c < columns_.size(); ++c) {
        const PendingIndex& p = pending_[c][g];
        if (!p.has_column_index) continue;
        buf.clear();
        serialize(p.column_index, &buf);
        auto& chunk = meta_.row_groups[g].columns[c];
        chunk.column_index_offset = out_->position();
        chunk.column_index_length = static_cast<int32_t>(buf.size());
        SCOUT_RETURN_IF_ERROR(out_->write(buf.data(), buf.size()));
      }
    }
    for (size_t g = 0; g < meta_.row_groups.size(); ++g) {
      for (size_t c = 0; c < columns_.size(); ++c) {
        buf.clear();
        serialize(pending_[c][g].offset_index, &buf);
        auto& chunk = meta_.row_groups[g].columns[c];
        chunk.offset_index_offset = out_->position();
        chunk.offset_index_length = static_cast<int32_t>(buf.size());
        SCOUT_RETURN_IF_ERROR(out_->write(buf.data(), buf.size()));
      }
    }
    return Status::OK();
  }

  std::unique_ptr<OutputStream> out_;
  Schema schema_;
  WriterOptions options_;
  int threads_;
  std::vector<std::unique_ptr<ColumnWriter>> columns_;
  std::vector<std::vector<PendingIndex>> pending_;  // [column][row group]
  format::FileMetaData meta_;
  int64_t group_rows_ = 0;
  bool closed_ = false;
  Status failed_;
};

Result<std::unique_ptr<FileWriter>> FileWriter::open(std::unique_ptr<OutputStream> out,
                                                     Schema schema, WriterOptions options) {
  if (!out) return Status::Invalid("no output stream");
  if (schema.fields.empty()) return Status::Invalid("a Parquet file needs at least one column");
  for (const Field& f : schema.fields) {
    if (f.name.empty()) return Status::Invalid("a column name is empty");
  }
  if (options.max_row_group_rows <= 0 || options.max_page_rows <= 0 ||
      options.target_page_bytes <= 0 || options.max_row_group_bytes <= 0) {
    return Status::Invalid("row group and page limits must be positive");
  }
  if (options.threads < 0) {
    return Status::Invalid("threads must be 0 (all cores) or a positive count, not " +
                           std::to_string(options.threads));
  }
  auto impl = std::make_unique<Impl>(std::move(out), std::move(schema), std::move(options));
  SCOUT_RETURN_IF_ERROR(impl->start());
  return std::unique_ptr<FileWriter>(new FileWriter(std::move(impl)));
}

FileWriter::FileWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FileWriter::~FileWriter() = default;
Status FileWriter::write_batch(const ColumnBatch& batch) { return impl_->write_batch(batch); }
Status FileWriter::flush_row_group() { return impl_->flush_row_group(); }
Status FileWriter::close() { return impl_->close(); }
const Schema& FileWriter::schema() const { return impl_->schema(); }
int64_t FileWriter::rows_written() const { return impl_->rows_written(); }
int64_t FileWriter::bytes_written() const { return impl_->bytes_written(); }
int64_t FileWriter::buffered_bytes() const { return impl_->buffered_bytes(); }

}  // namespace scout::parquet
