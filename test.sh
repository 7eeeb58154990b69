#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian/Ubuntu machine, restores, builds and runs every test.
# Datasets are read from $ANOMALYNCD_DATA (default: ../shared/data beside the repository).
# --fast: unit tests only, i.e. without the tests marked with the trait Category = Integration (real PostgreSQL),
# Cluster (several anomalyncd processes) or Browser (Chromium end to end); see tests/AnomalyNcd.Testing/TestCategories.cs.
# Other arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Grains").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

fast=0
args=()
for arg in "$@"; do
  if [ "$arg" = "--fast" ]; then fast=1; else args+=("$arg"); fi
done
if [ "$fast" -eq 1 ]; then
  args+=(--filter "Category!=Integration&Category!=Cluster&Category!=Browser")
  "$root/scripts/ensure-system-packages.sh"
else
  "$root/scripts/ensure-system-packages.sh" --tests
fi

export ANOMALYNCD_DATA="${ANOMALYNCD_DATA:-$root/../shared/data}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

results="$root/TestResults"
rm -rf "$results"
dotnet restore AnomalyNcd.sln
dotnet build AnomalyNcd.sln -c Release --no-restore -nologo

status=0
dotnet test AnomalyNcd.sln -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" ${args[@]+"${args[@]}"} || status=$?

# One plain summary line over all test assemblies, read from the TRX files.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); passed=$((passed + ${p:-0}))
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); failed=$((failed + ${f:-0}))
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters"); skipped=$((skipped + ${n:-0}))
done
# Each failed test's name and message last, so the tail of a long CI log says what broke.
if [ "$failed" -gt 0 ]; then
  echo "failed tests:"
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    awk '
      /<UnitTestResult / && /outcome="Failed"/ { match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11); inside = 1; printed = 0 }
      inside && /<Message>/ { message = 1 }
      message && printed < 12 { line = $0; gsub(/^.*<Message>|<\/Message>.*$/, "", line); gsub(/&lt;/, "<", line); gsub(/&gt;/, ">", line); gsub(/&quot;/, "\"", line); gsub(/&apos;/, "'\''", line); gsub(/&amp;/, "\\&", line); print "  " (printed == 0 ? name ": " : "    ") line; printed++ }
      message && /<\/Message>/ { message = 0; inside = 0 }
    ' "$trx"
  done
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "error: no test ran" >&2
  exit 1
fi
exit "$status"
