#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and benchmarks, listening on 127.0.0.1 only.
#   scripts/pg-test-server.sh start     starts it (creating the cluster on first use) and prints
#                                       the connection URL of its test database
#   scripts/pg-test-server.sh url       prints that URL
#   scripts/pg-test-server.sh admin-url prints the superuser's URL (postgres, password postgres)
#   scripts/pg-test-server.sh status    exit 0 when it runs
#   scripts/pg-test-server.sh stop      stops it; the cluster stays for the next start
#   scripts/pg-test-server.sh destroy   stops it and deletes the cluster
# SCOUT_PG_DIR (default /tmp/scout-pg-test) holds the cluster, its log and its socket;
# SCOUT_PG_PORT (default 55432) is its TCP port. Run as root, the server runs as the postgres
# user (through runuser); otherwise as the caller.
#
# The URL logs in as `scout` (password scout, CREATEROLE and CREATEDB, not a superuser, since
# superusers bypass row-level security) to the database `scout`. TCP logins need a password
# (scram-sha-256); tests that must act as the superuser (ending a backend) use admin-url.
set -euo pipefail
dir="${SCOUT_PG_DIR:-/tmp/scout-pg-test}"
port="${SCOUT_PG_PORT:-55432}"
url="postgresql://scout:scout@127.0.0.1:${port}/scout"
admin_url="postgresql://postgres:postgres@127.0.0.1:${port}/scout"

bindir="$(printf "%s\n" /usr/lib/postgresql/*/bin | grep -v "\*" | sort -V | tail -1 || true)"
if [ -z "$bindir" ]; then
  echo "pg-test-server: no PostgreSQL server installed (apt-get install postgresql)" >&2
  exit 1
fi

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() { as_server_user "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; }

admin_psql() { as_server_user "$bindir/psql" -h "$dir" -p "$port" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }

create_cluster() {
  mkdir -p "$dir"
  chmod 700 "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  as_server_user "$bindir/initdb" -D "$dir/data" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
}

start_server() {
  # Durability is worth nothing here; speed is.
  if ! as_server_user "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null; then
    echo "pg-test-server: the server did not start; the end of $dir/server.log:" >&2
    tail -n 20 "$dir/server.log" >&2 || true
    exit 1
  fi
}

prepare_login() {
  admin_psql -d postgres <<'SQL' >/dev/null
ALTER ROLE postgres PASSWORD 'postgres';
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'scout') THEN
    CREATE ROLE scout LOGIN PASSWORD 'scout' CREATEROLE CREATEDB;
  ELSE
    ALTER ROLE scout LOGIN PASSWORD 'scout' CREATEROLE CREATEDB;
  END IF;
END $$;
SQL
  if [ "$(admin_psql -d postgres -At -c "SELECT 1 FROM pg_database WHERE datname = 'scout'")" != 1 ]; then
    admin_psql -d postgres -c "CREATE DATABASE scout OWNER scout" >/dev/null
  fi
}

case "${1:-start}" in
  start)
    [ -f "$dir/data/PG_VERSION" ] || create_cluster
    running || start_server
    prepare_login
    echo "$url"
    ;;
  url) echo "$url" ;;
  admin-url) echo "$admin_url" ;;
  status) running ;;
  stop)
    if [ -f "$dir/data/PG_VERSION" ] && running; then
      as_server_user "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
    ;;
  destroy)
    "$0" stop
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|url|admin-url|status|stop|destroy" >&2
    exit 2
    ;;
esac
