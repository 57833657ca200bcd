// Turns a stream of batches into the export's files: one file, or Hive-style folders
// (`<dataset>/<column>=<value>/part-00000.parquet`) with a new part when a file passes the size
// cap. Every file is an object of the export's store (storage/export_store.h): a local folder
// stages it under a hidden name and publish() moves it into place, a bucket completes it as
// it finishes; abandon() removes what was written either way.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "export/export_request.h"
#include "export/format_writer.h"
#include "scout/column_batch.h"
#include "storage/export_store.h"

namespace scout {

struct ExportedFile {
  std::string path;        // relative to the export folder, '/'-separated
  std::string partition;   // the partition value as text ("" when not partitioned)
  int64_t rows = 0;
  int64_t bytes = 0;
  std::string sha256;      // hex
};

// Hive's escaping of a partition value for a path segment (NULL has its own name).
std::string hive_partition_segment(const std::string& column, const std::string* value);

class PartitionedOutput {
 public:
  // Files go to the store's keys `<prefix>/<relative paths>` ("" for the store's root).
  static Result<std::unique_ptr<PartitionedOutput>> create(ExportStore& store,
                                                           const std::string& prefix,
                                                           const ExportPlan& plan);
  ~PartitionedOutput();  // abandons what was not published

  Status write(const ColumnBatch& batch);
  // Closes every file and makes them visible under their final names; returns them in path
  // order.
  Result<std::vector<ExportedFile>> publish();
  // Removes every file written, published ones too (an export whose manifest could not be
  // written); safe to call more than once.
  void abandon();

  int64_t rows_written() const { return rows_; }
  int64_t bytes_written() const;

 private:
  struct OpenFile;
  PartitionedOutput(ExportStore& store, std::string prefix, const ExportPlan& plan);
  Result<OpenFile*> file_for(const std::string* partition_value);
  Result<OpenFile*> file_for_folder(const std::string& folder, const std::string& value,
                                    bool is_null = false);
  Status write_run(OpenFile* file, const ColumnBatch& batch, size_t begin, size_t end);
  Status finish(OpenFile* file);
  std::string partition_text(const ColumnVector& col, size_t row) const;

  ExportStore& store_;
  std::string prefix_;
  const ExportPlan& plan_;
  std::string extension_;
  std::map<std::string, std::unique_ptr<OpenFile>> open_;  // by partition folder
  std::map<std::string, int> next_part_;                   // by partition folder
  std::vector<ExportedFile> finished_;
  std::vector<std::unique_ptr<ObjectWriter>> stored_;  // finished objects (parallel to finished_)
  ColumnBatch scratch_;
  int64_t rows_ = 0;
  int64_t closed_bytes_ = 0;
  bool published_ = false;
};

}  // namespace scout
