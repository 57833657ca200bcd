#!/bin/sh
# ctest's interop_readers: writes the matrix into a fresh folder and has the three npm readers
# check every file. Missing node or readers fail the test (a skipped interop suite would let a
# broken writer pass). Usage: run_interop.sh WRITE_MATRIX_BINARY MATRIX_DIR [NODE]
set -eu
writer="$1"
matrix="$2"
node="${3:-node}"
here="$(cd "$(dirname "$0")" && pwd)"

if ! command -v "$node" >/dev/null 2>&1; then
  echo "interop_readers: node not found; run scripts/setup.sh --tests" >&2
  exit 1
fi
for package in @duckdb/node-api parquet-wasm apache-arrow hyparquet hyparquet-compressors; do
  if [ ! -f "$here/node_modules/$package/package.json" ]; then
    echo "interop_readers: npm package $package is not installed in $here/node_modules;" \
         "run scripts/setup.sh --tests (it runs npm ci there)" >&2
    exit 1
  fi
done

rm -rf "$matrix"
mkdir -p "$matrix"
"$writer" "$matrix"
"$writer" "$matrix" --sorted
SCOUT_MATRIX_DIR="$matrix" exec "$node" --test --test-reporter=spec --test-concurrency=1 \
  "$here/control.test.mjs" "$here/readers.test.mjs" "$here/statistics.test.mjs"
