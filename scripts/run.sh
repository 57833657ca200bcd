#!/usr/bin/env bash
# Builds Scout Export and starts it on the embedded demo warehouse: one command, no server to
# install. Ends by printing what to try first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)"

bin="$root/build/src/cli/scout-export"
export SCOUT_DATA_DIR="${SCOUT_DATA_DIR:-$root/scout-data}"
mkdir -p "$SCOUT_DATA_DIR"

if "$bin" --help | grep -q '^  demo'; then
  [ -f "$SCOUT_DATA_DIR/warehouse.db" ] || "$bin" demo
fi

if "$bin" --help | grep -q '^  serve'; then
  exec "$bin" serve --data-dir "$SCOUT_DATA_DIR" "$@"
fi

# Until the HTTP service lands, the one-shot CLI is the product: show it working.
out="$SCOUT_DATA_DIR/exports/first"
rm -rf "$out"
"$bin" export --dataset daily_transactions --from 2025-01-01 --to 2025-01-31 --out "$out"
"$bin" inspect "$out/daily_transactions.parquet" | head -40
echo
echo "Scout Export is built: $bin"
echo "Try: $bin datasets"
echo "     $bin export --dataset store_rankings --format csv --compression gzip --out /tmp/rankings"
