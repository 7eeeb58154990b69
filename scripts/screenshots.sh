#!/usr/bin/env bash
# Regenerates docs/screenshots from the demo (not from test fixtures): runs `anomalyncd demo` into a scratch folder,
# waits until it serves, signs in as the demo's first-run admin with Chromium and saves one screenshot per page.
# Usage: scripts/screenshots.sh [OUT-FOLDER]   (default docs/screenshots; about 4 min on two cores)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/docs/screenshots}"
work="$(mktemp -d)"
port=5097
trap 'kill "${demo:-0}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet build "$root/tools/AnomalyNcd.Screenshots/AnomalyNcd.Screenshots.csproj" -c Release -nologo -v q -o "$work/tool" >/dev/null
"$root/anomalyncd" demo --out "$work/demo" --port "$port" >"$work/demo.log" 2>&1 &
demo=$!
echo "demo running (log: $work/demo.log); waiting until it serves"
until grep -q "The API keeps running on" "$work/demo.log"; do
  if ! kill -0 "$demo" 2>/dev/null; then echo "error: the demo stopped before serving:" >&2; tail -20 "$work/demo.log" >&2; exit 1; fi
  sleep 5
done
url=$(grep -o "The API keeps running on [^ ]*" "$work/demo.log" | awk '{print $6}')
password_file=$(find "$work/demo" -name first-run-admin.txt | head -1)
[ -n "$password_file" ] || { echo "error: the demo wrote no first-run-admin.txt under $work/demo" >&2; exit 1; }
dotnet "$work/tool/AnomalyNcd.Screenshots.dll" "$url" admin "$(tr -d '\n' <"$password_file")" "$out" \
  || { echo "error: taking the screenshots failed; the demo's last lines:" >&2; tail -30 "$work/demo.log" >&2; exit 1; }
