#!/usr/bin/env bash
# `anomalyncd bench ingest` against a scratch PostgreSQL (bench/scratch-postgres.sh starts it and removes it on exit):
#   anomalyncd bench ingest --postgres CONN [your options…]
# The server is durable, as a plant runs it (fsync, synchronous_commit and full_page_writes on); --unsafe-no-fsync
# turns all three off, for comparison with figures measured that way. bench ingest reads the settings back from the
# server and names them in its header ("durable: fsync on" / "NOT durable").
# Usage: bench/ingest-postgres.sh [--unsafe-no-fsync] [bench ingest options…]   e.g. --duration 30 --images 200 --concurrency 4 --batch 16
# ANOMALYNCD_CLI: the command to run (default: ./anomalyncd, which builds the CLI first when sources changed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ANOMALYNCD_CLI="${ANOMALYNCD_CLI:-$root/anomalyncd}"
durability=()
bench_args=()
for arg in "$@"; do
  if [ "$arg" = "--unsafe-no-fsync" ]; then durability=(--unsafe-no-fsync); else bench_args+=("$arg"); fi
done
# The connection string reaches the inner shell through the environment, so it is quoted there.
exec "$root/bench/scratch-postgres.sh" ${durability[@]+"${durability[@]}"} bash -c \
  '"$ANOMALYNCD_CLI" bench ingest --postgres "$ANOMALYNCD_BENCH_POSTGRES" "$@"' bench-ingest ${bench_args[@]+"${bench_args[@]}"}
