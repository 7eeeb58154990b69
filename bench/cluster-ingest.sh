#!/usr/bin/env bash
# What an image costs when its grains are spread over silos: N `anomalyncd serve` processes on loopback (cpu, one
# PostgreSQL, one data folder) and `bench ingest --url` sending uploads to them in turn. A first bench run warms the
# silos' JIT and is not counted; around the second it reads each silo's CPU time (/proc) and, when dotnet-counters is
# on PATH, the Orleans messages each silo sent (Microsoft.Orleans orleans-messaging-sent-messages), and prints them per
# acknowledged image. Compare --silos 1 with --silos 2 (all processes share this machine's cores).
# Usage: bench/scratch-postgres.sh bench/cluster-ingest.sh [--silos N] [bench ingest options…]
#   e.g. bench/scratch-postgres.sh bench/cluster-ingest.sh --silos 2 --duration 30 --images 200 --concurrency 4 --batch 16
# ANOMALYNCD_CLI: the command to run (default: ./anomalyncd, which builds the CLI first when sources changed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cli="${ANOMALYNCD_CLI:-$root/anomalyncd}"
connection="${ANOMALYNCD_BENCH_POSTGRES:?run this through bench/scratch-postgres.sh, which sets ANOMALYNCD_BENCH_POSTGRES}"
silos=2
if [ "${1:-}" = "--silos" ]; then silos="$2"; shift 2; fi
[[ "$silos" =~ ^[1-8]$ ]] || { echo "error: --silos must be 1 to 8, got $silos" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/anomalyncd-cluster-XXXXXX")
pids=()
cleanup() {
  for pid in ${pids[@]+"${pids[@]}"}; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cpu_seconds() { awk -v tick="$(getconf CLK_TCK)" '{ print ($14 + $15) / tick }' "/proc/$1/stat"; }

"$cli" keys new --name bench --role operator >"$work/key.txt"
key=$(sed -n 2p "$work/key.txt")
grant=$(grep -o 'ANOMALYNCD_API_KEYS=.*' "$work/key.txt" | cut -d= -f2-)
"$cli" db init --postgres "$connection" >/dev/null

urls=()
for i in $(seq 1 "$silos"); do
  port=$(free_port)
  ANOMALYNCD_API_KEYS="$grant" "$cli" serve --data "$work/data" --postgres "$connection" --accelerator cpu \
    --port "$port" --silo-port "$(free_port)" --gateway-port "$(free_port)" >"$work/silo-$i.log" 2>&1 &
  urls+=("http://127.0.0.1:$port")
done
for i in $(seq 1 "$silos"); do
  url=${urls[$((i - 1))]}
  for _ in $(seq 1 120); do
    active=$(curl -s "$url/health" | python3 -c 'import json, sys; print(json.load(sys.stdin)["activeSilos"])' 2>/dev/null || true)
    [ "$active" = "$silos" ] && break
    sleep 1
  done
  [ "$active" = "$silos" ] || { echo "error: silo $i at $url did not report $silos active silos; its log:" >&2; tail -20 "$work/silo-$i.log" >&2; exit 1; }
  # The dotnet process that serves this port (the CLI wrapper may have started it).
  pids+=("$(pgrep -n -f -- "serve .*--port ${url##*:}")")
done
echo "$silos silo(s) up: ${urls[*]} (pids ${pids[*]})"
all_urls=$(IFS=,; echo "${urls[*]}")

echo "warm-up run (not counted) …"
"$cli" bench ingest --url "$all_urls" --api-key "$key" "$@" >"$work/warm.log" 2>&1 || { tail -20 "$work/warm.log" >&2; exit 1; }

# The counters run for the measured run's length (its --duration, 10 s by default, plus its 32-upload warm-up margin).
duration=10
args=("$@")
for i in "${!args[@]}"; do [ "${args[$i]}" = "--duration" ] && duration="${args[$((i + 1))]}"; done
window=$(python3 -c "import math; print(math.ceil(float('$duration')) + 5)")
before=(); counters=()
for i in "${!pids[@]}"; do
  before+=("$(cpu_seconds "${pids[$i]}")")
  if command -v dotnet-counters >/dev/null; then
    dotnet-counters collect -p "${pids[$i]}" --counters Microsoft.Orleans --refresh-interval 1 --duration "00:00:00:$window" \
      --format csv -o "$work/counters-$i.csv" </dev/null >/dev/null 2>&1 &
    counters+=("$!")
  fi
done
"$cli" bench ingest --url "$all_urls" --api-key "$key" "$@" | tee "$work/bench.log"
after=()
for i in "${!pids[@]}"; do after+=("$(cpu_seconds "${pids[$i]}")"); done
for pid in ${counters[@]+"${counters[@]}"}; do wait "$pid" || true; done

acknowledged=$(sed -n 's/^acknowledged \([0-9]*\),.*/\1/p' "$work/bench.log")
[ -n "$acknowledged" ] && [ "$acknowledged" -gt 0 ] || { echo "error: the measured run acknowledged nothing" >&2; exit 1; }
total=0
for i in "${!pids[@]}"; do
  used=$(python3 -c "print(${after[$i]} - ${before[$i]})")
  total=$(python3 -c "print($total + $used)")
  messages="not measured (dotnet-counters not on PATH)"
  if [ -f "$work/counters-$i.csv" ]; then
    messages=$(python3 - "$work/counters-$i.csv" "$acknowledged" <<'PY'
import csv, sys
sent = {}
for row in csv.reader(open(sys.argv[1])):
    if len(row) >= 5 and row[2].startswith("orleans-messaging-sent") and "/ 1 sec" in row[2]:
        name = row[2].split("[")[0].replace(" / 1 sec)", ")")
        sent[name] = sent.get(name, 0.0) + float(row[4])
images = int(sys.argv[2])
print("; ".join(f"{name.removeprefix('orleans-messaging-')}: {total:.0f} ({total / images:.2f} per image)" for name, total in sorted(sent.items())) or "no Orleans messages counted")
PY
)
  fi
  printf 'silo %d: %.1f s of CPU during the run, %.2f ms per acknowledged image; %s\n' "$((i + 1))" "$used" "$(python3 -c "print($used * 1000 / $acknowledged)")" "$messages"
done
printf 'all %d silo(s): %.2f ms of CPU per acknowledged image (%d images; the load generator and PostgreSQL not included)\n' "$silos" "$(python3 -c "print($total * 1000 / $acknowledged)")" "$acknowledged"
