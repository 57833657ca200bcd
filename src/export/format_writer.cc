#include "export/format_writer.h"

#include <charconv>
#include <cmath>

#include "common/compression_levels.h"
#include "export/compressed_output.h"
#include "export/text_writers.h"

namespace scout {

Result<ExportFormat> parse_export_format(std::string_view name) {
  if (name == "parquet") return ExportFormat::kParquet;
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "json") return ExportFormat::kJson;
  return Status::Invalid("unknown format '" + std::string(name) +
                         "'; choose one of: parquet, csv, json");
}

const char* export_format_name(ExportFormat format) {
  switch (format) {
    case ExportFormat::kParquet: return "parquet";
    case ExportFormat::kCsv: return "csv";
    case ExportFormat::kJson: return "json";
  }
  return "unknown";
}

Codec default_codec(ExportFormat format) {
  return format == ExportFormat::kParquet ? Codec::kSnappy : Codec::kUncompressed;
}

Result<Codec> parse_compression(ExportFormat format, std::string_view name) {
  Result<Codec> codec = parse_codec(name);
  if (format == ExportFormat::kParquet) {
    if (codec.ok()) return codec;
    // Parquet's own name for the lz4 it writes; it names no format for a whole file.
    if (name == "lz4_raw") return Codec::kLz4;
    return Status::Invalid("unknown compression '" + std::string(name) +
                           "' for parquet; choose one of: snappy, gzip, lz4, brotli, zstd, "
                           "uncompressed");
  }
  if (codec.ok() && *codec != Codec::kSnappy) return codec;
  return Status::Invalid("compression '" + std::string(name) + "' is not available for " +
                         export_format_name(format) +
                         "; choose one of: none, gzip, zstd, brotli, lz4");
}

const char* compression_name(ExportFormat format, Codec codec) {
  if (codec == Codec::kUncompressed && format != ExportFormat::kParquet) return "none";
  return codec_name(codec);
}

Status validate_compression_level(ExportFormat format, Codec codec, int level) {
  const std::string name = compression_name(format, codec);
  const CompressionLevels* levels = compression_levels(codec);
  if (levels == nullptr) {
    return Status::Invalid("compression '" + name +
                           "' takes no compression_level; gzip, zstd, brotli and lz4 do");
  }
  if (level >= levels->low && level <= levels->high && level != 0) return Status::OK();
  return Status::Invalid("compression_level " + std::to_string(level) + " is out of range for " +
                         name + "; choose " + std::string(levels->range));
}

Result<ParquetVersion> parse_parquet_version(std::string_view name) {
  if (name == "v1") return ParquetVersion::kV1;
  if (name == "v2") return ParquetVersion::kV2;
  return Status::Invalid("parquet_version '" + std::string(name) + "' is not known; choose " +
                         kParquetVersionChoices);
}

const char* parquet_version_name(ParquetVersion version) {
  return version == ParquetVersion::kV2 ? "v2" : "v1";
}

std::string file_extension(const FormatOptions& options) {
  switch (options.format) {
    case ExportFormat::kParquet: return ".parquet";
    case ExportFormat::kCsv:
    case ExportFormat::kJson: {
      std::string ext = options.format == ExportFormat::kCsv ? ".csv" : ".json";
      return ext + stream_codec_extension(options.codec);
    }
  }
  return "";
}

namespace {

class ParquetFormatWriter final : public FormatWriter {
 public:
  explicit ParquetFormatWriter(std::unique_ptr<parquet::FileWriter> writer)
      : writer_(std::move(writer)) {}
  Status write(const ColumnBatch& batch) override { return writer_->write_batch(batch); }
  Status close() override { return writer_->close(); }
  int64_t bytes_written() const override {
    return writer_->bytes_written() + writer_->buffered_bytes();
  }

 private:
  std::unique_ptr<parquet::FileWriter> writer_;
};

}  // namespace

Result<std::unique_ptr<FormatWriter>> open_format_writer(const FormatOptions& options,
                                                         const Schema& schema,
                                                         std::unique_ptr<OutputStream> out) {
  if (options.format == ExportFormat::kParquet) {
    parquet::WriterOptions po = options.parquet;
    po.codec = options.codec;
    po.compression_level = options.compression_level;
    po.enable_delta = options.parquet_version == ParquetVersion::kV2;
    po.threads = options.threads;
    SCOUT_ASSIGN_OR_RETURN(auto writer, parquet::FileWriter::open(std::move(out), schema, po));
    return std::unique_ptr<FormatWriter>(new ParquetFormatWriter(std::move(writer)));
  }
  SCOUT_ASSIGN_OR_RETURN(auto stream,
                         make_compressed_output(options.codec, options.compression_level, std::move(out)));
  if (options.format == ExportFormat::kCsv) {
    return make_csv_writer(schema, std::move(stream), options.threads);
  }
  return make_json_writer(schema, std::move(stream), options.json_array, options.threads);
}

void append_double(std::string* out, double v) {
  if (std::isnan(v)) {
    out->append("NaN");
  } else if (std::isinf(v)) {
    out->append(v > 0 ? "Infinity" : "-Infinity");
  } else {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out->append(buf, r.ptr);
  }
}

void append_base64(std::string* out, std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                 static_cast<uint8_t>(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out->push_back(kAlphabet[(v >> s) & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    out->push_back(kAlphabet[(v >> 18) & 63]);
    out->push_back(kAlphabet[(v >> 12) & 63]);
    out->push_back(rest == 2 ? kAlphabet[(v >> 6) & 63] : '=');
    out->push_back('=');
  }
}

}  // namespace scout
