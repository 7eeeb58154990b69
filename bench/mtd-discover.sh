#!/usr/bin/env bash
# Benchmark of the whole MTD discovery run (paper protocol: the 583 test images, ground-truth masks):
# import → regions and crops → backbone features → training → prediction → metrics, per seed, timed
# with /usr/bin/time -v. Usage: [SEEDS="3407 1 2"] [CLASSES=6|auto] bench/mtd-discover.sh [OUTDIR] [extra discover options...]
# Data: $ANOMALYNCD_DATA (default ../shared/data). Prints one line per seed and the mean ± spread.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${ANOMALYNCD_DATA:-$root/../shared/data}"
out="${1:-$root/bench-output/mtd}"; shift || true
seeds="${SEEDS:-3407 1 2}"
classes="${CLASSES:-6}"
mkdir -p "$out"
# Build once, then run a frozen copy so that source edits during the benchmark cannot trigger rebuilds.
"$root/anomalyncd" info >/dev/null
rm -rf "$out/bin" && cp -r "$root/.build/cli" "$out/bin"
cli="dotnet $out/bin/anomalyncd.dll"
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

for seed in $seeds; do
  run="$out/seed-$seed"
  rm -rf "$run"; mkdir -p "$run"
  /usr/bin/time -v -o "$run/time.txt" bash -c "
    $cli import mtd --root '$data/mtd' --split '$data/mtd/splits/differnet_train_normal.txt' --out '$run/mtd.csv' >'$run/import.log' 2>&1 &&
    $cli discover --manifest '$run/mtd.csv' --out '$run/discover' --classes $classes --seed $seed $* >'$run/discover.log' 2>&1"
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$run/time.txt")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$run/time.txt")
  python3 - "$run/discover/metrics.json" "$seed" "$wall" "$rss" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(f"seed {sys.argv[2]}: K {m['classes']}{' (estimated)' if m['classesEstimated'] else ''}, NMI {m['nmi']:.3f} ARI {m['ari']:.3f} F1 {m['f1']:.3f} (n={m['n']}), wall {sys.argv[3]}, peak RSS {int(sys.argv[4])/1048576:.2f} GB")
PY
done | tee "$out/summary.txt"

python3 - "$out" $seeds <<'PY' | tee -a "$out/summary.txt"
import json, statistics, sys
out, seeds = sys.argv[1], sys.argv[2:]
ms = [json.load(open(f"{out}/seed-{s}/discover/metrics.json")) for s in seeds]
for key in ("nmi", "ari", "f1"):
    values = [m[key] for m in ms]
    spread = statistics.stdev(values) if len(values) > 1 else 0.0
    print(f"{key.upper()}: mean {statistics.mean(values):.3f} ± {spread:.3f} (min {min(values):.3f}, max {max(values):.3f}) over {len(values)} seeds")
PY
