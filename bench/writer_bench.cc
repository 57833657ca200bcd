// scout-bench: benchmarks that print ratios against named peers.
//   scout-bench writer --rows N [--codecs a,b] [--keep DIR] [--json]
// writes N synthetic rows shaped like daily_transactions with each codec. `seconds` runs from
// column batches already in memory to a closed file; each codec runs in its own child process
// so that `peak_rss_mib` is that codec's own peak (getrusage of the child).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "scout/parquet/writer.h"

using namespace scout;

namespace {

constexpr size_t kBatchRows = 8192;
constexpr size_t kPoolBatches = 64;  // 524,288 distinct rows, then the pool repeats

uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

Schema daily_transactions_schema() {
  auto f = [](const char* n, TypeId t, bool nullable = false) { return Field{n, DataType::of(t), nullable}; };
  return Schema{{f("transaction_date", TypeId::kDate), f("device_id", TypeId::kString), f("store_id", TypeId::kInt32),
                 f("transaction_count", TypeId::kInt32), f("total_revenue", TypeId::kDouble),
                 f("avg_transaction_value", TypeId::kDouble, true), f("unique_customers", TypeId::kInt32, true),
                 f("cash_amount", TypeId::kDouble), f("gcash_amount", TypeId::kDouble), f("maya_amount", TypeId::kDouble),
                 f("card_amount", TypeId::kDouble)}};
}

// ~500 stores a day, dates ascending, revenues in centavos split four ways, 5% NULLs.
std::vector<ColumnBatch> make_pool(const Schema& schema) {
  std::vector<ColumnBatch> pool;
  int64_t row = 0;
  for (size_t b = 0; b < kPoolBatches; ++b) {
    ColumnBatch batch(schema);
    batch.reserve(kBatchRows);
    for (size_t i = 0; i < kBatchRows; ++i, ++row) {
      int store = static_cast<int>(row % 500) + 1;
      uint64_t h = mix(static_cast<uint64_t>(row));
      char device[32];
      std::snprintf(device, sizeof device, "SCOUT-DEV-%04d", store);
      int32_t count = 20 + static_cast<int32_t>(h % 180);
      int64_t revenue = count * (5000 + static_cast<int64_t>((h >> 16) % 15000));
      int64_t cash = revenue * 55 / 100, gcash = revenue * 25 / 100, maya = revenue * 8 / 100;
      batch.column(0).append_int32(19723 + static_cast<int32_t>(row / 500));
      batch.column(1).append_bytes(device);
      batch.column(2).append_int32(store);
      batch.column(3).append_int32(count);
      batch.column(4).append_double(revenue / 100.0);
      batch.column(5).append_double(std::round(static_cast<double>(revenue) / count) / 100.0);
      if ((h >> 40) % 20 == 0) batch.column(6).append_null(); else batch.column(6).append_int32(count * 8 / 10);
      batch.column(7).append_double(cash / 100.0);
      batch.column(8).append_double(gcash / 100.0);
      batch.column(9).append_double(maya / 100.0);
      batch.column(10).append_double((revenue - cash - gcash - maya) / 100.0);
    }
    pool.push_back(std::move(batch));
  }
  return pool;
}

struct RunResult {
  double seconds = 0;
  int64_t bytes = 0;
  double peak_rss_mib = 0;
  bool ok = false;
};

RunResult run_codec(parquet::Codec codec, int64_t rows, const std::string& path) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    Schema schema = daily_transactions_schema();
    std::vector<ColumnBatch> pool = make_pool(schema);
    parquet::WriterOptions options;
    options.codec = codec;
    RunResult r;
    auto start = std::chrono::steady_clock::now();
    auto out = open_file_output(path);
    auto writer = out.ok() ? parquet::FileWriter::open(std::move(*out), schema, options)
                           : Result<std::unique_ptr<parquet::FileWriter>>(out.status());
    bool ok = writer.ok();
    for (int64_t done = 0, b = 0; ok && done < rows; ++b) {
      const ColumnBatch& batch = pool[static_cast<size_t>(b) % kPoolBatches];
      if (rows - done < static_cast<int64_t>(kBatchRows)) {
        ColumnBatch tail(schema);
        for (size_t c = 0; c < schema.size(); ++c) tail.column(c).append_range(batch.column(c), 0, static_cast<size_t>(rows - done));
        ok = (*writer)->write_batch(tail).ok();
        done = rows;
      } else {
        ok = (*writer)->write_batch(batch).ok();
        done += kBatchRows;
      }
    }
    ok = ok && (*writer)->close().ok();
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.bytes = ok ? static_cast<int64_t>(std::filesystem::file_size(path)) : 0;
    struct rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    r.peak_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;
    r.ok = ok;
    ssize_t w = write(fds[1], &r, sizeof r);
    _exit(w == sizeof r ? 0 : 1);
  }
  close(fds[1]);
  RunResult r;
  ssize_t n = read(fds[0], &r, sizeof r);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (n != sizeof r) r.ok = false;
  return r;
}

int writer_bench(int64_t rows, const std::string& codecs_arg, const std::string& keep, bool json) {
  std::vector<parquet::Codec> codecs;
  size_t start = 0;
  while (start <= codecs_arg.size()) {
    size_t comma = codecs_arg.find(',', start);
    if (comma == std::string::npos) comma = codecs_arg.size();
    auto codec = parquet::parse_codec(codecs_arg.substr(start, comma - start));
    if (!codec.ok()) {
      std::fprintf(stderr, "scout-bench: %s\n", codec.status().message().c_str());
      return 2;
    }
    codecs.push_back(*codec);
    start = comma + 1;
  }
  std::string dir = keep;
  bool temporary = dir.empty();
  if (temporary) dir = std::filesystem::temp_directory_path() / ("scout-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  // Bytes of the input as the batches hold it, for MB/s: 8 per double, 4 per int32/date, the
  // 14-byte device id, one validity byte per nullable value.
  const double input_bytes_per_row = 4 + 14 + 4 + 4 + 8 * 6 + 4;
  if (!json) {
    std::printf("%-13s %12s %9s %12s %10s %14s %10s\n", "codec", "rows", "seconds", "rows/s", "MB/s", "bytes", "peak MiB");
  }
  int failures = 0;
  for (parquet::Codec codec : codecs) {
    std::string path = dir + "/" + parquet::codec_name(codec) + ".parquet";
    RunResult r = run_codec(codec, rows, path);
    if (!r.ok) {
      std::fprintf(stderr, "scout-bench: writing %s failed\n", path.c_str());
      ++failures;
      continue;
    }
    if (json) {
      nlohmann::ordered_json line = {{"codec", parquet::codec_name(codec)}, {"rows", rows}, {"seconds", r.seconds},
                                     {"bytes", r.bytes}, {"peak_rss_mib", r.peak_rss_mib}};
      std::printf("%s\n", line.dump().c_str());
    } else {
      std::printf("%-13s %12lld %9.3f %12.0f %10.1f %14lld %10.1f\n", parquet::codec_name(codec),
                  static_cast<long long>(rows), r.seconds, rows / r.seconds,
                  rows * input_bytes_per_row / r.seconds / 1e6, static_cast<long long>(r.bytes), r.peak_rss_mib);
    }
    std::fflush(stdout);
  }
  if (temporary) std::filesystem::remove_all(dir);
  return failures ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Scout Export benchmarks"};
  app.require_subcommand(1);
  int64_t rows = 1'000'000;
  std::string codecs = "uncompressed,snappy,gzip,lz4,brotli,zstd";
  std::string keep;
  bool json = false;
  auto* writer = app.add_subcommand("writer", "Parquet writer throughput, size and memory per codec");
  writer->add_option("--rows", rows, "Rows to write (daily_transactions-shaped)");
  writer->add_option("--codecs", codecs, "Comma-separated codecs");
  writer->add_option("--keep", keep, "Leave each file in this folder as <codec>.parquet");
  writer->add_flag("--json", json, "One JSON object per codec");
  int exit_code = 0;
  writer->callback([&] { exit_code = writer_bench(rows, codecs, keep, json); });
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
