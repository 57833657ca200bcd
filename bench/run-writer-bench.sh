#!/usr/bin/env bash
# The writer benchmark of issue "Parquet writer engine": our writer against DuckDB's
# single-thread COPY on the same rows, with ratios and the targets.
#   bench/run-writer-bench.sh [ROWS]   (default 20,000,000)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rows="${1:-20000000}"
cd "$root"
bash scripts/setup.sh --tests >/dev/null
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target scout-bench >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
build/bench/scout-bench writer --rows "$rows" --keep "$work" --json > "$work/ours.jsonl"
node bench/compare_duckdb.mjs "$work" "$work/ours.jsonl"
