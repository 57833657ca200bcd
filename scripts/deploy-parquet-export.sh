#!/usr/bin/env bash
# Installs and starts the Scout Export service on this machine (the guide's Quick Start step 1).
# Idempotent: run it again to upgrade; it keeps the data, the keys and the signing key.
#   scripts/deploy-parquet-export.sh [--prefix /usr/local] [--data-dir /var/lib/scout-export]
#                                     [--port 8080] [--host 127.0.0.1] [--warehouse URL]
# With systemd it installs and (re)starts the unit scout-export.service; without it, it runs the
# service in the background with a pid file. Ends with the URL and, on first install, a key.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix=/usr/local data_dir=/var/lib/scout-export port=8080 host=127.0.0.1 warehouse=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --data-dir) data_dir="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --host) host="$2"; shift 2 ;;
    --warehouse) warehouse="$2"; shift 2 ;;
    *) echo "deploy: unknown option $1" >&2; exit 2 ;;
  esac
done

cd "$root"
bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target scout-export
install -D -m 0755 build/src/cli/scout-export "$prefix/bin/scout-export"
mkdir -p "$data_dir"
chmod 0700 "$data_dir"

export SCOUT_DATA_DIR="$data_dir"
new_key=""
if [ ! -s "$data_dir/keys.json" ]; then
  new_key="$("$prefix/bin/scout-export" keys create --role analytics_export --name deploy --data-dir "$data_dir" | tail -1)"
fi
serve_args=(serve --host "$host" --port "$port" --data-dir "$data_dir")
[ -n "$warehouse" ] && serve_args+=(--warehouse "$warehouse")

if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  cat > /etc/systemd/system/scout-export.service <<UNIT
[Unit]
Description=Scout Export service
After=network-online.target

[Service]
Environment=SCOUT_DATA_DIR=$data_dir
ExecStart=$prefix/bin/scout-export ${serve_args[*]}
Restart=on-failure
KillSignal=SIGTERM
TimeoutStopSec=60

[Install]
WantedBy=multi-user.target
UNIT
  systemctl daemon-reload
  systemctl enable scout-export.service >/dev/null
  systemctl restart scout-export.service
else
  pidfile="$data_dir/scout-export.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    kill "$(cat "$pidfile")"
    while kill -0 "$(cat "$pidfile")" 2>/dev/null; do sleep 0.2; done
  fi
  nohup "$prefix/bin/scout-export" "${serve_args[@]}" >> "$data_dir/service.log" 2>&1 &
  echo $! > "$pidfile"
fi

for _ in $(seq 1 100); do
  curl -fsS "http://$host:$port/health" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://$host:$port/health" >/dev/null || { echo "deploy: the service did not come up; see $data_dir/service.log" >&2; exit 1; }
echo "Scout Export is running at http://$host:$port (data in $data_dir)"
if [ -n "$new_key" ]; then
  echo "API key (shown once): $new_key"
  echo "Smoke test: node scripts/test-parquet-export.js --url http://$host:$port --key $new_key"
fi
