// `scout-bench writer`: our Parquet writer's throughput, file size and peak memory per codec on
// rows shaped like daily_transactions (issue "Parquet writer engine", item 4).
#pragma once

#include <cstdint>
#include <string>

namespace scout::bench {

struct WriterBenchOptions {
  int64_t rows = 1'000'000;
  std::string format = "parquet";  // or csv, json (newline-delimited)
  std::string codecs = "uncompressed,snappy,gzip,lz4,brotli,zstd";  // comma-separated, of the format
  std::string keep_dir;  // empty: a temporary folder, deleted at the end
  bool json = false;     // one JSON object per codec instead of the table
  int compression_level = 0;  // 0: each codec's default; else applied to every codec listed
  int repeat = 1;             // runs per codec; the median time is reported
  int threads = 0;            // the writer's encoding threads; 0: all cores
};

// Writes `rows` rows `repeat` times per codec, each run in its own forked child so that its peak RSS is
// its own. Returns the process exit code: 0, 1 when a codec failed, 2 for bad options.
int run_writer_bench(const WriterBenchOptions& options);

}  // namespace scout::bench
