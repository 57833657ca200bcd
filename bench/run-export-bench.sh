#!/usr/bin/env bash
# The export benchmark of issue "The export pipeline": daily_transactions exported to Parquet
# (snappy) from PostgreSQL next to psql's raw `COPY (SELECT ...) TO STDOUT (FORMAT binary)` into
# /dev/null, and from the embedded SQLite warehouse next to `sqlite3 -csv` of the same query
# into /dev/null, in the same run; with peak memory of our export.
#   bench/run-export-bench.sh [ROWS]   (default 20,000,000 daily_transactions rows)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rows="${1:-20000000}"
cd "$root"
bash scripts/setup.sh >/dev/null
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target scout-export >/dev/null
bin="$root/build/src/cli/scout-export"

# 731 days (2024-01-01 .. 2025-12-31) x stores: the scale gives the row count asked for.
days=731
scale=$(awk -v r="$rows" -v d="$days" 'BEGIN { printf "%.4f", r / d / 500 }')
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pg="$(SCOUT_PG_DIR="${SCOUT_PG_DIR:-/tmp/scout-pg-bench}" SCOUT_PG_PORT="${SCOUT_PG_PORT:-55440}" scripts/pg-test-server.sh start)"
echo "generating $rows daily_transactions rows (scale $scale) in SQLite and PostgreSQL..."
"$bin" demo --warehouse "sqlite:$work/warehouse.db" --scale "$scale" --until 2025-12-31 >/dev/null
"$bin" demo --warehouse "$pg" --scale "$scale" --until 2025-12-31 >/dev/null

cols='"transaction_date", "device_id", "store_id", "transaction_count", "total_revenue", "avg_transaction_value", "unique_customers", "cash_amount", "gcash_amount", "maya_amount", "card_amount"'
measure() {  # label command...: prints seconds and peak RSS (MiB)
  local label="$1"; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
  read -r secs kib < "$work/time"
  printf '%s %s %s\n' "$label" "$secs" "$((kib / 1024))"
}

{
  measure pg_export "$bin" export --dataset daily_transactions --warehouse "$pg" --out "$work/pg-out"
  measure psql_copy sh -c "psql '$pg' -qAt -v ON_ERROR_STOP=1 >/dev/null <<SQL
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{\"role\":\"admin\"}', true);
COPY (SELECT $cols FROM scout_gold.daily_transactions ORDER BY transaction_date, ctid) TO STDOUT (FORMAT binary);
COMMIT;
SQL"
  measure sqlite_export "$bin" export --dataset daily_transactions --warehouse "sqlite:$work/warehouse.db" --out "$work/sqlite-out"
  measure sqlite3_csv sh -c "sqlite3 -csv '$work/warehouse.db' 'SELECT $cols FROM daily_transactions ORDER BY transaction_date, rowid' > /dev/null"
} > "$work/results"

awk -v rows="$rows" '
  { secs[$1] = $2; mem[$1] = $3 }
  END {
    printf "%-14s %10s %14s %12s\n", "run", "seconds", "rows/s", "peak MiB"
    for (k in secs) printf "%-14s %10.2f %14.0f %12d\n", k, secs[k], rows / secs[k], mem[k]
    pg = secs["psql_copy"] / secs["pg_export"]
    lite = secs["sqlite3_csv"] / secs["sqlite_export"]
    printf "\nPostgreSQL: our Parquet export runs at %.0f%% of raw binary COPY throughput (target >= 85%%)\n", pg * 100
    printf "SQLite: our Parquet export runs at %.2fx the rows/s of sqlite3 -csv (target >= 1.5x)\n", lite
    printf "peak memory of our exports: %d MiB (PostgreSQL), %d MiB (SQLite); target < 256 MiB\n", mem["pg_export"], mem["sqlite_export"]
  }' "$work/results"
