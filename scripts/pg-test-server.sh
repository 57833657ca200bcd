#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, on 127.0.0.1 only.
#   scripts/pg-test-server.sh start   -> prints the connection URL (starts it if needed)
#   scripts/pg-test-server.sh stop
#   scripts/pg-test-server.sh url
# SCOUT_PG_DIR (default /tmp/scout-pg-test) holds the cluster; SCOUT_PG_PORT (default 55432).
set -euo pipefail
dir="${SCOUT_PG_DIR:-/tmp/scout-pg-test}"
port="${SCOUT_PG_PORT:-55432}"
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -n "$bindir" ] || { echo "pg-test-server: no PostgreSQL server installed (apt-get install postgresql)" >&2; exit 1; }
url="postgresql://scout:scout@127.0.0.1:${port}/scout"

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      mkdir -p "$dir"
      [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
      as_pg "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_pg "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null
    fi
    # A login that is not a superuser: superusers bypass row-level security.
    psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'scout') THEN
    CREATE ROLE scout LOGIN PASSWORD 'scout' CREATEROLE;
  END IF;
END $$;
SQL
    if ! psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt -c "SELECT 1 FROM pg_database WHERE datname='scout'" | grep -q 1; then
      psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -c "CREATE DATABASE scout OWNER scout" >/dev/null
    fi
    echo "$url"
    ;;
  stop)
    if [ -f "$dir/data/PG_VERSION" ]; then as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true; fi
    ;;
  url) echo "$url" ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
