#!/usr/bin/env bash
# The writer benchmark: our writer per codec, then DuckDB's COPY on the same rows, at 1 thread
# each and at every core each, with the ratios and the targets (README.md, "Benchmarks"), and a
# check that the thread count changes no byte of our files.
#
#   bench/run-writer-bench.sh [ROWS]      ROWS defaults to 20,000,000
#
# Builds scout-bench in build-bench/ (Release) when needed. Our files and DuckDB's go to a
# temporary folder (about 200 bytes a row), removed on exit.
# Environment: SCOUT_BENCH_BUILD_DIR (default build-bench), BENCH_REPEATS (runs of each quick
# codec, default 3; the medians are compared), BENCH_BROTLI_ROWS (rows both writers write with
# brotli, default 500,000 or ROWS if fewer; "all" for ROWS: at quality 11 both write ~10,000
# rows/s, so 20M rows take over half an hour each), BENCH_RESULTS_JSON (a file for the compared
# figures as JSON lines).
# Exit code: 0 every target met, 1 a target missed, 2 the benchmark could not run.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rows="${1:-20000000}"
rows="${rows//,/}"
rows="${rows//_/}"
if ! [[ "$rows" =~ ^[0-9]+$ ]] || [ "$rows" -eq 0 ]; then
  echo "usage: bench/run-writer-bench.sh [ROWS]   (a positive row count; default 20000000)" >&2
  exit 2
fi
repeats="${BENCH_REPEATS:-3}"
if ! [[ "$repeats" =~ ^[0-9]+$ ]] || [ "$repeats" -eq 0 ] || [ "$repeats" -gt 100 ]; then
  echo "BENCH_REPEATS must be a count from 1 to 100, not '$repeats'" >&2
  exit 2
fi
brotli_rows="${BENCH_BROTLI_ROWS:-500000}"
if [ "$brotli_rows" = all ]; then brotli_rows="$rows"; fi
if ! [[ "$brotli_rows" =~ ^[0-9]+$ ]] || [ "$brotli_rows" -eq 0 ]; then
  echo "BENCH_BROTLI_ROWS must be a positive row count or \"all\", not '$brotli_rows'" >&2
  exit 2
fi
[ "$brotli_rows" -gt "$rows" ] && brotli_rows="$rows"
build="${SCOUT_BENCH_BUILD_DIR:-$root/build-bench}"
cd "$root"

work="$(mktemp -d "${TMPDIR:-/tmp}/scout-writer-bench.XXXXXX")"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# Debian packages and the interop readers (DuckDB's node package): installs only what is missing.
bash scripts/setup.sh --tests >&2

echo "building scout-bench in $build" >&2
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >"$work/build.log" 2>&1 ||
    { cat "$work/build.log" >&2; exit 2; }
fi
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target scout-bench >"$work/build.log" 2>&1 ||
  { cat "$work/build.log" >&2; exit 2; }

# Twice: ours at 1 thread against DuckDB at 1, then ours at every core against DuckDB at every
# core. The quick codecs run $repeats times each (ours and DuckDB's) and their medians are
# compared, so that one run slowed by a noisy neighbour decides no target; gzip and brotli once.
cores="$(nproc 2>/dev/null || echo 2)"
[ -n "${BENCH_RESULTS_JSON:-}" ] && : >"$BENCH_RESULTS_JSON"
status=0
for threads in 1 "$cores"; do
  out="$work/threads-$threads"
  mkdir -p "$out"
  echo "our writer, $rows rows, $threads encoding thread(s), one child process per run:" >&2
  "$build/bench/scout-bench" writer --threads "$threads" --rows "$rows" --keep "$out" --json \
    --repeat "$repeats" --codecs uncompressed,snappy,lz4,zstd | tee "$out/ours.jsonl" >&2
  "$build/bench/scout-bench" writer --threads "$threads" --rows "$rows" --keep "$out" --json \
    --codecs gzip | tee -a "$out/ours.jsonl" >&2
  "$build/bench/scout-bench" writer --threads "$threads" --rows "$brotli_rows" --keep "$out" --json \
    --codecs brotli | tee -a "$out/ours.jsonl" >&2
  for format in csv json; do
    "$build/bench/scout-bench" writer --threads "$threads" --rows "$rows" --keep "$out" --json \
      --format "$format" --repeat "$repeats" --codecs none,zstd | tee -a "$out/text.jsonl" >&2
  done
  echo "DuckDB on the same rows, SET threads = $threads:" >&2
  node bench/compare_duckdb.mjs "$out" "$out/ours.jsonl" "$out/text.jsonl" || status=$?
  echo
  [ "$status" -ge 2 ] && exit "$status"
done

# The thread count must not change a byte of any file.
for file in "$work/threads-1"/*.parquet "$work/threads-1"/*.csv* "$work/threads-1"/*.json*; do
  [ -f "$file" ] || continue
  name="$(basename "$file")"
  [[ "$name" == duckdb-* || "$name" == *.jsonl ]] && continue
  if cmp -s "$file" "$work/threads-$cores/$name"; then
    echo "$name: byte-identical at 1 and $cores threads"
  else
    echo "$name: DIFFERS between 1 and $cores threads"
    status=1
  fi
done
exit "$status"
