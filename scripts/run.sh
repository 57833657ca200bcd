#!/usr/bin/env bash
# Builds Scout Export and runs the service on the embedded demo warehouse: one command, no
# database server to install. Ends by printing the URL, a key and a first curl to try.
#   scripts/run.sh [--port P] [--host H]      (SCOUT_DATA_DIR, default ./scout-data)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)"

bin="$root/build/src/cli/scout-export"
export SCOUT_DATA_DIR="${SCOUT_DATA_DIR:-$root/scout-data}"
(umask 077; mkdir -p "$SCOUT_DATA_DIR")  # private: exports, keys and the signing key live here
port=8080 host=127.0.0.1
args=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --host) host="$2"; shift 2 ;;
    *) shift ;;
  esac
done

[ -f "$SCOUT_DATA_DIR/warehouse.db" ] || "$bin" demo

# A demo key, kept (owner-only) so that every run prints the same one. Real deployments make
# their own with `scout-export keys create` and keep them elsewhere.
key_file="$SCOUT_DATA_DIR/demo-key.txt"
if [ ! -s "$key_file" ]; then
  (umask 077; "$bin" keys create --role analytics_export --name demo | tail -1 > "$key_file")
fi
key="$(cat "$key_file")"

cat <<BANNER

Scout Export is running at http://$host:$port  (the guide's URLs work under /functions/v1/export-parquet)
API key: $key
Web console: http://$host:$port/  (sign in with the key above)

Try:
  curl -X POST "http://$host:$port/functions/v1/export-parquet/export" \\
    -H "Authorization: Bearer $key" -H "Content-Type: application/json" \\
    -d '{"dataset": "daily_transactions", "format": "parquet", "date_range": {"start": "2025-01-01", "end": "2025-01-31"}, "compression": "snappy"}'

BANNER
exec "$bin" serve --data-dir "$SCOUT_DATA_DIR" "${args[@]}"
