#include "writer_bench.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "common/compression_levels.h"
#include "common/task_pool.h"
#include "daily_transactions_rows.h"
#include "export/format_writer.h"
#include "scout/parquet/writer.h"

namespace scout::bench {
namespace {

// Rows per batch, as the export pipeline's sources hand them to the writer.
constexpr size_t kBatchRows = 8192;

// What a child reports to the parent through a pipe (plain bytes: same binary on both ends).
struct CodecRun {
  bool ok = false;
  double seconds = 0;       // writer calls only: open, every write_batch, close
  double cpu_seconds = 0;   // the CPU time of those calls (user + system)
  int64_t bytes = 0;        // the closed file's size
  int64_t input_bytes = 0;  // value bytes of the batches written (see the table's notes)
  char error[512] = {};
};

// Uncompressed input: 4 bytes per date or int32, 8 per double, the string's bytes; NULLs and
// validity bytes count nothing. The same definition for every codec, so MB/s compare.
int64_t value_bytes(const ColumnBatch& batch) {
  int64_t bytes = 0;
  for (size_t c = 0; c < batch.num_columns(); ++c) {
    const ColumnVector& column = batch.column(c);
    if (column.type().is_variable_length()) {
      bytes += static_cast<int64_t>(column.chars_size());
    } else {
      int64_t values = static_cast<int64_t>(column.size()) - column.null_count();
      bytes += values * column.type().storage_width();
    }
  }
  return bytes;
}

// CPU time of this process, every thread of it, over the timed sections. On a shared machine
// the wall clock also counts time the scheduler gave to others; CPU time does not.
class CpuTimer {
 public:
  void start() { started_ = now(); }
  void stop() { total_ += now() - started_; }
  double seconds() const { return total_; }

 private:
  static double now() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
  double started_ = 0;
  double total_ = 0;
};

// The timed part, run in the child: rows come from the generator batch by batch (untimed), so
// `seconds` covers only our writer turning batches already in memory into a closed file.
CodecRun write_file(ExportFormat format, parquet::Codec codec, int level, int threads, int64_t rows,
                   const std::string& path) {
  using Clock = std::chrono::steady_clock;
  CodecRun run;
  CpuTimer cpu;
  auto fail = [&run](const Status& status) {
    std::snprintf(run.error, sizeof run.error, "%s", status.to_string().c_str());
    return run;
  };
  const Schema schema = daily_transactions_schema();
  DailyTransactionsRows generator;
  ColumnBatch batch(schema);
  Clock::duration timed{};

  Clock::time_point start = Clock::now();
  cpu.start();
  auto out = open_file_output(path);
  if (!out.ok()) return fail(out.status());
  // Through the export's own format layer: Parquet, or the CSV and JSON writers over the
  // whole-file stream codecs.
  FormatOptions options;
  options.format = format;
  options.codec = codec;
  options.compression_level = level;
  options.threads = threads;
  auto writer = open_format_writer(options, schema, std::move(*out));
  if (!writer.ok()) return fail(writer.status());
  cpu.stop();
  timed += Clock::now() - start;

  for (int64_t done = 0; done < rows;) {
    size_t n = static_cast<size_t>(std::min<int64_t>(rows - done, kBatchRows));
    generator.next_batch(&batch, n);
    run.input_bytes += value_bytes(batch);
    start = Clock::now();
    cpu.start();
    Status status = (*writer)->write(batch);
    cpu.stop();
    timed += Clock::now() - start;
    if (!status.ok()) return fail(status);
    done += static_cast<int64_t>(n);
  }

  start = Clock::now();
  cpu.start();
  Status closed = (*writer)->close();
  cpu.stop();
  timed += Clock::now() - start;
  if (!closed.ok()) return fail(closed);

  std::error_code ec;
  run.bytes = static_cast<int64_t>(std::filesystem::file_size(path, ec));
  if (ec) return fail(Status::IOError(path + ": " + ec.message()));
  run.seconds = std::chrono::duration<double>(timed).count();
  run.cpu_seconds = cpu.seconds();
  run.ok = true;
  return run;
}

struct CodecResult {
  CodecRun run;
  double peak_rss_mib = 0;  // the child's ru_maxrss: its whole life, generator included
};

// Forks so each codec's peak memory is its own: a child's high-water mark starts from the
// parent's small footprint, not from whatever an earlier codec reached.
CodecResult run_in_child(ExportFormat format, parquet::Codec codec, int level, int threads,
                         int64_t rows, const std::string& path) {
  CodecResult result;
  int fds[2];
  if (pipe(fds) != 0) {
    std::snprintf(result.run.error, sizeof result.run.error, "pipe: %s", std::strerror(errno));
    return result;
  }
  std::fflush(nullptr);  // nothing buffered may be written twice
  pid_t pid = fork();
  if (pid < 0) {
    std::snprintf(result.run.error, sizeof result.run.error, "fork: %s", std::strerror(errno));
    close(fds[0]);
    close(fds[1]);
    return result;
  }
  if (pid == 0) {
    close(fds[0]);
    CodecRun run = write_file(format, codec, level, threads, rows, path);
    ssize_t written = write(fds[1], &run, sizeof run);
    _exit(written == static_cast<ssize_t>(sizeof run) ? 0 : 1);
  }
  close(fds[1]);
  CodecRun run;
  size_t got = 0;
  while (got < sizeof run) {
    ssize_t n = read(fds[0], reinterpret_cast<char*>(&run) + got, sizeof run - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  close(fds[0]);
  int status = 0;
  struct rusage usage {};
  while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  if (got == sizeof run) {
    result.run = run;
  } else if (WIFSIGNALED(status)) {
    std::snprintf(result.run.error, sizeof result.run.error, "the child died of signal %d",
                  WTERMSIG(status));
  } else {
    std::snprintf(result.run.error, sizeof result.run.error, "the child reported nothing");
  }
  result.peak_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
  return result;
}

// The median run's times (the lower middle of an even count) and the highest peak RSS of all:
// one slow run from a noisy neighbour moves neither. Every run writes the same bytes.
CodecResult median_of(std::vector<CodecResult> results) {
  auto middle = [&](auto field) {
    std::vector<double> v;
    for (const CodecResult& r : results) v.push_back(field(r));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>((v.size() - 1) / 2), v.end());
    return v[(v.size() - 1) / 2];
  };
  CodecResult median = results.front();
  median.run.seconds = middle([](const CodecResult& r) { return r.run.seconds; });
  median.run.cpu_seconds = middle([](const CodecResult& r) { return r.run.cpu_seconds; });
  for (const CodecResult& r : results) median.peak_rss_mib = std::max(median.peak_rss_mib, r.peak_rss_mib);
  return median;
}

Result<std::vector<parquet::Codec>> parse_codecs(ExportFormat format, std::string_view list) {
  std::vector<parquet::Codec> codecs;
  while (true) {
    size_t comma = list.find(',');
    auto codec = parse_compression(format, list.substr(0, comma));
    if (!codec.ok()) return codec.status();
    if (std::find(codecs.begin(), codecs.end(), *codec) == codecs.end()) codecs.push_back(*codec);
    if (comma == std::string_view::npos) return codecs;
    list.remove_prefix(comma + 1);
  }
}

void print_table_header(const WriterBenchOptions& options, int threads) {
  std::printf("scout-bench writer: %lld rows shaped like daily_transactions, batches of %zu rows, "
              "%d encoding thread%s\n",
              static_cast<long long>(options.rows), kBatchRows, threads, threads == 1 ? "" : "s");
  if (options.compression_level != 0) std::printf("compression level %d\n", options.compression_level);
  if (options.repeat > 1) {
    std::printf("each codec run %d times: the median times, the highest peak RSS\n", options.repeat);
  }
  std::printf("\n");
  std::printf("%-13s %9s %9s %12s %9s %15s %7s %13s\n", "codec", "seconds", "CPU s", "rows/s",
              "MB/s", "output bytes", "ratio", "peak RSS MiB");
}

void print_table_row(const char* codec, int64_t rows, const CodecResult& r) {
  const CodecRun& run = r.run;
  double seconds = std::max(run.seconds, 1e-9);
  double ratio = run.input_bytes > 0 ? static_cast<double>(run.bytes) / run.input_bytes : 0;
  std::printf("%-13s %9.3f %9.3f %12.0f %9.1f %15lld %7.3f %13.1f\n", codec, run.seconds,
              run.cpu_seconds, rows / seconds, run.input_bytes / seconds / 1e6,
              static_cast<long long>(run.bytes), ratio, r.peak_rss_mib);
}

void print_table_notes(int64_t input_bytes) {
  std::printf(
      "\nseconds: our writer's calls only (open, write_batch, close), from column batches already\n"
      "  in memory to a closed file; generating the rows is not timed. CPU s: the CPU time\n"
      "  (user + system) of those calls; well below seconds means the machine was busy.\n"
      "MB/s: uncompressed input bytes per second, 1 MB = 10^6 bytes. Input bytes are the batches'\n"
      "  values: 4 per date or int32, 8 per double, the device_id's 14 characters; NULLs count 0.\n"
      "  These rows hold %lld input bytes. ratio: output bytes / input bytes.\n"
      "peak RSS: each codec runs in its own forked child; its ru_maxrss from wait4 (the child's\n"
      "  whole life: writer, one generated batch, the process itself).\n",
      static_cast<long long>(input_bytes));
}

}  // namespace

int run_writer_bench(const WriterBenchOptions& options) {
  if (options.threads < 0) {
    std::fprintf(stderr, "scout-bench writer: --threads must be 0 (all cores) or a positive count\n");
    return 2;
  }
  const int threads = resolve_thread_count(options.threads);
  auto format = parse_export_format(options.format);
  if (!format.ok()) {
    std::fprintf(stderr, "scout-bench writer: %s\n", format.status().message().c_str());
    return 2;
  }
  auto codecs = parse_codecs(*format, options.codecs);
  if (!codecs.ok()) {
    std::fprintf(stderr, "scout-bench writer: %s\n", codecs.status().message().c_str());
    return 2;
  }
  if (options.compression_level != 0) {
    for (parquet::Codec codec : *codecs) {
      Status level =
          validate_compression_level(*format, codec, options.compression_level);
      if (!level.ok()) {
        std::fprintf(stderr, "scout-bench writer: %s\n", level.message().c_str());
        return 2;
      }
    }
  }
  namespace fs = std::filesystem;
  fs::path dir = options.keep_dir;
  if (dir.empty()) {
    std::string pattern = (fs::temp_directory_path() / "scout-bench-writer.XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      std::fprintf(stderr, "scout-bench writer: cannot create a temporary folder in %s: %s\n",
                   fs::temp_directory_path().c_str(), std::strerror(errno));
      return 1;
    }
    dir = pattern;
  } else {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
      std::fprintf(stderr, "scout-bench writer: cannot create %s: %s\n", dir.c_str(),
                   ec.message().c_str());
      return 1;
    }
  }

  if (!options.json) {
    print_table_header(options, threads);
  }
  int failures = 0;
  int64_t input_bytes = 0;
  for (parquet::Codec codec : *codecs) {
    const char* name = compression_name(*format, codec);
    FormatOptions file_options;
    file_options.format = *format;
    file_options.codec = codec;
    // Parquet files keep their codec's name alone (<codec>.parquet), as compare_duckdb.mjs reads them.
    fs::path path = dir / (*format == ExportFormat::kParquet
                               ? std::string(name) + ".parquet"
                               : std::string(name) + file_extension(file_options));
    std::vector<CodecResult> results;
    for (int i = 0; i < options.repeat; ++i) {
      CodecResult result = run_in_child(*format, codec, options.compression_level, threads,
                                        options.rows, path.string());
      if (!result.run.ok) {
        std::fprintf(stderr, "scout-bench writer: %s with %s failed: %s\n", path.c_str(), name,
                     result.run.error);
        break;
      }
      results.push_back(result);
    }
    if (results.size() != static_cast<size_t>(options.repeat)) {
      ++failures;
      continue;
    }
    CodecResult median = median_of(results);
    input_bytes = median.run.input_bytes;
    if (options.json) {
      nlohmann::ordered_json line = {{"format", options.format},
                                     {"codec", name},
                                     {"rows", options.rows},
                                     {"threads", threads},
                                     {"seconds", median.run.seconds},
                                     {"bytes", median.run.bytes},
                                     {"peak_rss_mib", median.peak_rss_mib},
                                     {"cpu_seconds", median.run.cpu_seconds}};
      // The level used, whether given or the codec's default, so that no reader guesses it.
      if (const CompressionLevels* levels = compression_levels(codec)) {
        line["compression_level"] = levels->for_parquet(options.compression_level);
      }
      if (options.repeat > 1) {
        line["repeats"] = options.repeat;
        nlohmann::json each = nlohmann::json::array();
        for (const CodecResult& r : results) each.push_back(r.run.seconds);
        line["seconds_each"] = each;
      }
      std::printf("%s\n", line.dump().c_str());
    } else {
      print_table_row(name, options.rows, median);
    }
    std::fflush(stdout);
  }
  if (!options.json) print_table_notes(input_bytes);
  if (options.keep_dir.empty()) {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace scout::bench
