// scout-bench: benchmarks that print figures the comparisons with named peers start from.
//   scout-bench writer --rows N [--codecs uncompressed,snappy,...] [--keep DIR] [--json]
//                      [--compression-level L] [--repeat N]
#include <CLI/CLI.hpp>
#include <string>

#include "common/compression_levels.h"
#include "writer_bench.h"

int main(int argc, char** argv) {
  CLI::App app{"Scout Export benchmarks"};
  app.require_subcommand(1);

  scout::bench::WriterBenchOptions writer_options;
  auto* writer = app.add_subcommand(
      "writer", "Our Parquet writer per codec: throughput, file size and peak memory");
  writer->add_option("--rows", writer_options.rows, "Rows shaped like daily_transactions")
      ->check(CLI::Validator(
          [](std::string& text) {
            return !text.empty() && text[0] != '-' ? std::string() : "must be 0 or more";
          },
          "ROWS >= 0"));
  writer->add_option("--format", writer_options.format,
                     "parquet (default), csv or json: the export's own writer for the format");
  writer->add_option("--codecs", writer_options.codecs,
                     "Comma-separated: uncompressed, snappy, gzip, lz4 (LZ4_RAW), brotli, zstd; "
                     "for csv and json none, gzip, lz4, brotli, zstd");
  writer->add_option("--keep", writer_options.keep_dir,
                     "Leave each file in this folder as <codec>.parquet");
  writer->add_option("--compression-level", writer_options.compression_level,
                     "A level for every codec listed, as the export API's compression_level: " +
                         scout::describe_compression_levels());
  writer->add_option("--repeat", writer_options.repeat,
                     "Runs per codec, each in its own process; the median time is reported")
      ->check(CLI::Range(1, 100));
  writer->add_option("--threads", writer_options.threads,
                     "Threads that encode column chunks side by side (default: all cores; 1 is the "
                     "single-thread figure)")
      ->check(CLI::Range(1, 1024));
  writer->add_flag(
      "--json", writer_options.json,
      "One JSON line per codec: codec, rows, seconds, bytes, peak_rss_mib, cpu_seconds "
      "threads (and repeats, seconds_each with --repeat)");

  int exit_code = 0;
  writer->callback([&] { exit_code = scout::bench::run_writer_bench(writer_options); });
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
