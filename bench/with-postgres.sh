#!/usr/bin/env bash
# Runs a command with DATABASE_URL pointing at a throwaway PostgreSQL 15 on a loopback port.
# The server keeps PostgreSQL's defaults (fsync on: this is for latency figures), except where it
# listens and where its socket goes. It is stopped by its own pid file when the command ends.
#   bench/with-postgres.sh npx tsx bench/slack-ack.bench.ts
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 <command> [args...]" >&2; exit 2; }

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
[ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL 15 server binaries not found in $PG_BIN (Debian package postgresql-15)" >&2; exit 1; }

PGDIR=$(mktemp -d /tmp/binome-bench-pg.XXXXXX)
stop_pg() {
  if [ -f "$PGDIR/data/postmaster.pid" ]; then
    kill -INT "$(head -n 1 "$PGDIR/data/postmaster.pid")" 2>/dev/null || true
    for _ in $(seq 1 100); do [ -f "$PGDIR/data/postmaster.pid" ] || break; sleep 0.1; done
  fi
  rm -rf "$PGDIR"
}
trap stop_pg EXIT

# initdb refuses to run as root: the cluster belongs to the `postgres` system user.
as_postgres=()
if [ "$(id -u)" -eq 0 ]; then
  id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$PGDIR"
  as_postgres=(runuser -u postgres --)
fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"${as_postgres[@]}" "$PG_BIN/initdb" -D "$PGDIR/data" -U binome --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_postgres[@]}" "$PG_BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
  -o "-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1" start >/dev/null

export DATABASE_URL="postgres://binome@127.0.0.1:$PORT/postgres"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (defaults, fsync on)" >&2
status=0
"$@" || status=$?
exit "$status"
