#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1 for a TierFS cluster on one machine (README "a three-node cluster on
# one machine") and for the multi-node tests. Uses Debian's postgresql package (setup.sh installs it); runs the
# server as the 'postgres' user when started by root (PostgreSQL refuses to run as root).
#
#   scripts/dev-postgres.sh start DIR [PORT]   creates DIR (once: initdb), starts the server, creates database
#                                              'tierfs' (user 'tierfs', trust auth on 127.0.0.1) and prints its
#                                              JDBC URL; DIR may hold an earlier run's database: it is reused
#   scripts/dev-postgres.sh stop DIR           stops it (fast shutdown: committed transactions are kept)
#   scripts/dev-postgres.sh status DIR
set -euo pipefail
cmd="${1:-}"; dir="${2:-}"; port="${3:-5433}"
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|status DIR [PORT]" >&2; exit 2; }
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$bin/initdb" ] || { echo "dev-postgres: PostgreSQL server binaries not found under /usr/lib/postgresql (run ./setup.sh)" >&2; exit 1; }
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres: "$dir"
      # the server must be able to reach DIR: every parent needs o+x
      p="$dir"; while [ "$p" != "/" ]; do p="$(dirname "$p")"; chmod o+x "$p" 2>/dev/null || true; done
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_pg "$bin/initdb" -D "$dir/data" -A trust -U tierfs -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    mkdir -p "$dir/sock"; [ "$(id -u)" -ne 0 ] || chown postgres: "$dir/sock"
    if ! as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null \
        || { tail -20 "$dir/server.log" >&2; exit 1; }
    fi
    as_pg "$bin/psql" -h "$dir/sock" -p "$port" -U tierfs -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='tierfs'" \
      | grep -q 1 || as_pg "$bin/createdb" -h "$dir/sock" -p "$port" -U tierfs tierfs
    echo "jdbc:postgresql://127.0.0.1:$port/tierfs"
    ;;
  stop)
    if [ -f "$dir/data/PG_VERSION" ]; then as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true; fi
    ;;
  status)
    as_pg "$bin/pg_ctl" -D "$dir/data" status
    ;;
  *) echo "usage: $0 start|stop|status DIR [PORT]" >&2; exit 2 ;;
esac
