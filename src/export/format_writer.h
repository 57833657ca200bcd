// The seam between the export pipeline and the file formats: column batches in, one file's
// bytes out. Parquet uses our writer; CSV and JSON are written row by row from the batches,
// with the whole file compressed by a stream codec.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/decimal_text.h"  // append_decimal, the writers' rendering of decimals
#include "scout/codec.h"
#include "scout/column_batch.h"
#include "scout/output_stream.h"
#include "scout/parquet/writer.h"
#include "scout/status.h"

namespace scout {

enum class ExportFormat { kParquet, kCsv, kJson };

Result<ExportFormat> parse_export_format(std::string_view name);  // parquet | csv | json
const char* export_format_name(ExportFormat format);

// Parquet's encodings by the names DuckDB and parquet-mr give their writers' versions. Exports
// default to v1 because Spark before 3.3 cannot read DELTA_BINARY_PACKED in its vectorized
// reader (the writer library, which tests every encoding, defaults to DELTA where smaller).
enum class ParquetVersion { kV1, kV2 };

struct FormatOptions {
  ExportFormat format = ExportFormat::kParquet;
  // One the format takes (parse_compression): Parquet compresses each page with it, CSV and JSON
  // the whole file (compressed_output.h).
  Codec codec = Codec::kSnappy;
  int compression_level = 0;  // 0: the codec's default for the format (common/compression_levels.h)
  bool json_array = false;  // JSON: one array instead of newline-delimited objects
  ParquetVersion parquet_version = ParquetVersion::kV1;
  // Threads that encode (Parquet) or format (CSV, JSON) side by side, from the process-wide
  // pool (common/task_pool.h); 0: all cores. Not a request field: the server's export_threads
  // and the CLI's --threads set it. The bytes written do not depend on it.
  int threads = 0;
  parquet::WriterOptions parquet;  // codec, level, encodings and threads are taken from above
};

// The codec a request gets when it names none: snappy for parquet, none for text.
Codec default_codec(ExportFormat format);
// The one decision of which codecs a format takes: every one for parquet (also by Parquet's name
// "lz4_raw"); all but snappy for csv and json, which compress the whole file as one stream. The
// error lists the format's choices.
Result<Codec> parse_compression(ExportFormat format, std::string_view name);
// The codec's name as the API shows it for `format` (results, estimates, errors): codec_name,
// except that a CSV or JSON file without compression says "none", as its choices do.
const char* compression_name(ExportFormat format, Codec codec);
// A level the codec takes (common/compression_levels.h; lz4 above 1 is LZ4's HC mode); snappy and
// none take none. The error names the codec's range.
Status validate_compression_level(ExportFormat format, Codec codec, int level);
// "v1" or "v2"; the error lists both (kParquetVersionChoices).
Result<ParquetVersion> parse_parquet_version(std::string_view name);
const char* parquet_version_name(ParquetVersion version);
// The one description of the choices, for errors, the CLI's help and the OpenAPI document.
inline constexpr const char* kParquetVersionChoices =
    "v1 (the default: PLAIN and dictionary pages only, which every reader takes, Spark 2 and "
    "Spark 3.0-3.2 included) or v2 (also DELTA_BINARY_PACKED for integer and date columns where "
    "it is smaller: DuckDB, pyarrow, Polars, Spark 3.3+; data pages stay V1)";
// The file name ending for the format and its compression: ".parquet", ".csv.gz", ".json".
std::string file_extension(const FormatOptions& options);

class FormatWriter {
 public:
  virtual ~FormatWriter() = default;
  virtual Status write(const ColumnBatch& batch) = 0;
  // Finishes the file (footer, compression trailer) and closes the stream.
  virtual Status close() = 0;
  // Bytes that reached the stream so far, plus what the writer still holds.
  virtual int64_t bytes_written() const = 0;
};

Result<std::unique_ptr<FormatWriter>> open_format_writer(const FormatOptions& options,
                                                         const Schema& schema,
                                                         std::unique_ptr<OutputStream> out);

// Text renderings shared by the CSV and JSON writers.
void append_double(std::string* out, double v);  // shortest round-trip form
void append_base64(std::string* out, std::string_view bytes);

}  // namespace scout
