#!/usr/bin/env bash
# Starts a two-silo AnomalyNcd cluster on loopback: a throwaway PostgreSQL (own data folder, free port),
# the schema (`anomalyncd db init`), silo A advertising hardware.accelerator=cuda (training and inference
# are placed there) and silo B advertising cpu, both sharing one artefact folder.
#
#   deploy/local-cluster.sh                 # run until Ctrl+C, then stop everything and remove the database
#   deploy/local-cluster.sh --check         # start, wait until both silos serve the API and see each other, stop
#   deploy/local-cluster.sh --work DIR      # keep database, artefacts and logs in DIR (default: a temp folder)
#
# ANOMALYNCD_CLI may name a built anomalyncd.dll (the tests pass theirs); default: the repository's ./anomalyncd.
# API keys: ANOMALYNCD_API_KEYS (name:role:sha256 grants) is passed to the silos as set; when it is unset the
# script mints an operator key for this run (`anomalyncd keys new`) and prints it; --check proves that /api
# refuses a call without it (401) and accepts the call with it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
check=0
work=""
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check=1 ;;
    --work) work="$2"; shift ;;
    *) echo "error: unknown option $1 (use --check, --work DIR)" >&2; exit 2 ;;
  esac
  shift
done

if [ -n "${ANOMALYNCD_CLI:-}" ]; then
  cli=(dotnet "$ANOMALYNCD_CLI")
else
  cli=("$root/anomalyncd")
fi

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "error: PostgreSQL server binaries not found under /usr/lib/postgresql (install: apt-get install -y postgresql)" >&2
  exit 1
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

keep_work=1
if [ -z "$work" ]; then work=$(mktemp -d /tmp/anomalyncd-cluster.XXXXXX); keep_work=0; fi
mkdir -p "$work/logs" "$work/data"
pgdata="$work/pg"
pg_port=$(free_port)

# initdb refuses to run as root: run PostgreSQL as the postgres user when we are root.
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  as_pg=(runuser -u postgres --)
  mkdir -p "$pgdata"; chown postgres "$pgdata" "$work" "$work/logs"
fi

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pgdata" -m fast stop >/dev/null 2>&1 || true
  if [ "$keep_work" -eq 0 ]; then rm -rf "$work"; fi
}
trap cleanup EXIT INT TERM

echo "postgres: initialising $pgdata (port $pg_port)"
"${as_pg[@]}" "$pg_bin/initdb" -D "$pgdata" -U anomalyncd --auth=trust >"$work/logs/initdb.log" 2>&1
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pgdata" -l "$work/logs/postgres.log" \
  -o "-p $pg_port -k $pgdata -c listen_addresses=127.0.0.1" -w start >/dev/null
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U anomalyncd anomalyncd
conn="Host=127.0.0.1;Port=$pg_port;Username=anomalyncd;Database=anomalyncd"

"${cli[@]}" db init --postgres "$conn"

api_key="${ANOMALYNCD_API_KEY:-}"
if [ -z "${ANOMALYNCD_API_KEYS:-}" ]; then
  minted=$("${cli[@]}" keys new --name local-cluster --role operator)
  api_key=$(sed -n 's/^\(ancd_.*\)$/\1/p' <<<"$minted")
  export ANOMALYNCD_API_KEYS=$(sed -n 's/^ANOMALYNCD_API_KEYS=//p' <<<"$minted")
  echo "api key (operator, minted for this run): $api_key"
fi

start_silo() { # name accelerator http silo gateway
  "${cli[@]}" serve --data "$work/data" --postgres "$conn" --accelerator "$2" \
    --port "$3" --silo-port "$4" --gateway-port "$5" >"$work/logs/silo-$1.log" 2>&1 &
  pids+=($!)
  echo "silo $1 ($2): http://127.0.0.1:$3/  (log: $work/logs/silo-$1.log)"
}
http_a=$(free_port); http_b=$(free_port)
start_silo a cuda "$http_a" "$(free_port)" "$(free_port)"
start_silo b cpu "$http_b" "$(free_port)" "$(free_port)"

wait_healthy() { # port
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$1/health" >/dev/null 2>&1; then return 0; fi
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "error: a silo exited during start; see $work/logs" >&2; return 1; }; done
    sleep 0.5
  done
  echo "error: silo on port $1 did not become healthy within 60 s; see $work/logs" >&2
  return 1
}
wait_healthy "$http_a"
wait_healthy "$http_b"

# Both silos must see the same two-silo membership.
for _ in $(seq 1 60); do
  a=$(curl -fsS "http://127.0.0.1:$http_a/health" || true)
  if grep -q '"activeSilos":2' <<<"$a"; then break; fi
  sleep 0.5
done
echo "cluster: $(curl -fsS "http://127.0.0.1:$http_a/health")"
grep -q '"activeSilos":2' <<<"$(curl -fsS "http://127.0.0.1:$http_a/health")" || { echo "error: silos did not form one cluster; see $work/logs" >&2; exit 1; }

if [ "$check" -eq 1 ]; then
  anonymous=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_b/api/lines")
  [ "$anonymous" = "401" ] || { echo "error: /api/lines without a key answered $anonymous, expected 401" >&2; exit 1; }
  if [ -n "$api_key" ]; then
    curl -fsS -H "X-Api-Key: $api_key" "http://127.0.0.1:$http_b/api/lines" >/dev/null || { echo "error: /api/lines refused the key" >&2; exit 1; }
    echo "api: 401 without a key, 200 with it"
  fi
  echo "check passed: two silos on one PostgreSQL cluster"
  exit 0
fi
echo "running; Ctrl+C stops the silos and the database"
wait "${pids[0]}"
