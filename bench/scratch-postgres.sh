#!/usr/bin/env bash
# Runs a command against a scratch PostgreSQL: initdb into a temp folder, pg_ctl start on a free loopback port, then
# COMMAND with ANOMALYNCD_BENCH_POSTGRES set to its connection string; the server and its folder are removed on exit,
# whatever happened. Runs the server as the postgres user when started as root (initdb refuses root).
# The server is durable, as a plant runs it: fsync, synchronous_commit and full_page_writes on (PostgreSQL's
# defaults). --unsafe-no-fsync turns all three off (a commit no longer waits for the disk: acknowledged images can be
# lost when the machine crashes), for comparison with figures measured that way.
# Usage: bench/scratch-postgres.sh [--unsafe-no-fsync] COMMAND [ARGS…]
set -euo pipefail
durability="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
if [ "${1:-}" = "--unsafe-no-fsync" ]; then
  durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  shift
fi
[ $# -gt 0 ] || { echo "usage: bench/scratch-postgres.sh [--unsafe-no-fsync] COMMAND [ARGS…]" >&2; exit 2; }

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | while read -r candidate; do
  [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ] && echo "$candidate"; done | tail -1)
[ -n "$bin" ] || { echo "error: PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql; install them with \`apt-get install -y postgresql\`" >&2; exit 1; }

folder=$(mktemp -d "${TMPDIR:-/tmp}/anomalyncd-pg-XXXXXX")
as_server=()
if [ "$(id -u)" -eq 0 ]; then
  chown -R postgres:postgres "$folder"
  as_server=(runuser -u postgres --)
fi

started=0
cleanup() {
  if [ "$started" -eq 1 ]; then
    "${as_server[@]}" "$bin/pg_ctl" -D "$folder/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$folder"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"${as_server[@]}" "$bin/initdb" -D "$folder/data" -U postgres -A trust -E UTF8 --no-sync --no-instructions >"$folder/initdb.log" 2>&1 \
  || { cat "$folder/initdb.log" >&2; exit 1; }
# A free loopback port: bind port 0 and read what the kernel gave.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
options="-p $port -k $folder -c listen_addresses=127.0.0.1 $durability -c max_connections=200"
started=1
"${as_server[@]}" "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -o "$options" -w -t 60 start >/dev/null \
  || { cat "$folder/server.log" >&2; exit 1; }
"${as_server[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres anomalyncd
echo "started a scratch PostgreSQL on 127.0.0.1:$port (${durability//-c /}; removed on exit)"

status=0
ANOMALYNCD_BENCH_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=anomalyncd" "$@" || status=$?
exit "$status"
