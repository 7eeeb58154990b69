#!/usr/bin/env bash
# Two builds of the CLI, taking turns: `bench ingest` against a scratch PostgreSQL (a fresh one per run), and over each
# run's measured phase the CPU of the postgres processes and of the whole machine, read from /proc. For "did this
# change make ingest slower?": single runs vary by about ±10 %, so compare several alternating runs.
# Usage: bench/ab-ingest.sh [--unsafe-no-fsync] BUILD_A BUILD_B ORDER [bench ingest options…]
#   BUILD_A, BUILD_B: folders holding anomalyncd.dll (e.g. a copy of .build/cli taken at each commit)
#   ORDER: which build runs when, e.g. abbaabba
#   e.g. bench/ab-ingest.sh --unsafe-no-fsync /tmp/cli-before /tmp/cli-after abbaabba --duration 30 --images 200 --concurrency 4 --batch 16
# Prints one line per run: sustained images/s, CPU ms per image in the bench's process (API + silo + load generator)
# and in PostgreSQL, and how busy the machine was.
# PostgreSQL's CPU is read here, not taken from the bench's own output, because older builds' benches do not report it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
durability=()
if [ "${1:-}" = "--unsafe-no-fsync" ]; then durability=(--unsafe-no-fsync); shift; fi
[ $# -ge 3 ] || { echo "usage: bench/ab-ingest.sh [--unsafe-no-fsync] BUILD_A BUILD_B ORDER [bench ingest options…]" >&2; exit 2; }
build_a=$1; build_b=$2; order=$3; shift 3
for build in "$build_a" "$build_b"; do
  [ -f "$build/anomalyncd.dll" ] || { echo "error: $build: no anomalyncd.dll (copy .build/cli after building the commit)" >&2; exit 2; }
done
[[ "$order" =~ ^[ab]+$ ]] || { echo "error: ORDER must be a sequence of a and b, got '$order'" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/anomalyncd-ab-XXXXXX")
trap 'rm -rf "$work"' EXIT
# One run, inside scratch-postgres.sh: the bench in the background; /proc read when its measured phase starts
# (the line after the JIT warm-up) and when it reports.
cat >"$work/run.sh" <<'RUN'
#!/usr/bin/env bash
set -uo pipefail
build=$1; out=$2; shift 2
postgres_ticks() {
  local total=0 fields
  for pid in $(pgrep -x postgres); do
    read -r -a fields < <(cut -d' ' -f14,15 "/proc/$pid/stat" 2>/dev/null || echo "0 0")
    total=$((total + ${fields[0]:-0} + ${fields[1]:-0}))
  done
  echo "$total"
}
machine_ticks() { head -1 /proc/stat | awk '{ print $2 + $3 + $4 + $7 + $8, $5 + $6 }'; }
dotnet "$build/anomalyncd.dll" bench ingest --postgres "$ANOMALYNCD_BENCH_POSTGRES" "$@" >"$out" 2>&1 &
bench=$!
wait_for() { until grep -q "$1" "$out" 2>/dev/null; do kill -0 "$bench" 2>/dev/null || return 1; sleep 0.2; done; }
wait_for '^warm-up: .* after ' || true
pg0=$(postgres_ticks); read -r busy0 idle0 < <(machine_ticks)
wait_for '^acknowledged ' || true
pg1=$(postgres_ticks); read -r busy1 idle1 < <(machine_ticks)
wait "$bench" || { echo "error: bench ingest failed; its output:" >&2; tail -20 "$out" >&2; exit 1; }
acknowledged=$(grep -oP '^acknowledged \K[0-9]+' "$out")
awk -v tick="$(getconf CLK_TCK)" -v pg=$((pg1 - pg0)) -v n="$acknowledged" -v busy=$((busy1 - busy0)) -v idle=$((idle1 - idle0)) \
    -v rate="$(grep -oP '^sustained: \K[0-9.]+' "$out")" -v cpu="$(grep -oP '^cpu per image: \K[0-9.]+' "$out")" \
    'BEGIN { printf "%s images/s, %s ms CPU per image in the process, %.2f ms in PostgreSQL, machine %.0f %% busy\n", rate, cpu, pg * 1000 / tick / n, 100 * busy / (busy + idle) }'
RUN
chmod +x "$work/run.sh"

for (( i = 0; i < ${#order}; i++ )); do
  which=${order:i:1}
  if [ "$which" = a ]; then build=$build_a; else build=$build_b; fi
  line=$("$root/bench/scratch-postgres.sh" ${durability[@]+"${durability[@]}"} "$work/run.sh" "$build" "$work/run-$i.txt" "$@" | tail -1)
  echo "run $((i + 1)) $which ($build): $line"
done
