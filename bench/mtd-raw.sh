#!/usr/bin/env bash
# MTD from raw images (issue 15): import → detect fit on the 761 normal training images → discover --detector on the
# 583 test images, timed with /usr/bin/time -v. Prints NMI/ARI/F1, region FNR/FPR (box IoU > 0.1), images with a
# region (defective and normal), wall time and peak memory of fit and discover.
# Usage: bench/mtd-raw.sh [OUTDIR] [extra discover options...]
#   STAGES=1 also runs the stage table's measurement rows on the same maps: detector map quality (AUROC, AUPRO per
#   defect kind), MEBin as in the reference (discover --maps), and the oracle binarisation (detect oracle).
# Data: $ANOMALYNCD_DATA (default ../shared/data). SEED (default 3407) seeds discovery.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${ANOMALYNCD_DATA:-$root/../shared/data}"
out="${1:-$root/bench-output/mtd-raw}"; shift || true
seed="${SEED:-3407}"
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
mkdir -p "$out"
# Build once, then run a frozen copy so that source edits during the benchmark cannot trigger rebuilds.
"$root/anomalyncd" info >/dev/null
rm -rf "$out/bin" && cp -r "$root/.build/cli" "$out/bin"
cli="dotnet $out/bin/anomalyncd.dll"

timed() { # name, command...
  local name="$1"; shift
  /usr/bin/time -v -o "$out/$name.time" "$@" >"$out/$name.log" 2>&1 || { echo "error: $name failed, see $out/$name.log" >&2; tail -3 "$out/$name.log" >&2; exit 1; }
  local wall rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out/$name.time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/$name.time")
  printf '%-10s wall %s, peak RSS %.2f GB\n' "$name" "$wall" "$(echo "$rss / 1048576" | bc -l)"
}

report() { # metrics.json, title
  python3 - "$1" "$2" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); b = m.get("binarization") or {}; r = m.get("regions") or {}
normal = r.get("images", 0) - r.get("defectiveImages", 0)
print(f"{sys.argv[2]}: NMI {m['nmi']:.3f} ARI {m['ari']:.3f} F1 {m['f1']:.3f} (n={m['n']}); "
      f"region FNR {b.get('fnr', float('nan')):.3f} FPR {b.get('fpr', float('nan')):.3f}; "
      f"images with a region: {r.get('defectiveImagesWithRegions')}/{r.get('defectiveImages')} defective, "
      f"{r.get('normalImagesWithRegions')}/{normal} normal ({r.get('normalImagesWithRegions', 0) / max(normal, 1):.1%}); {r.get('crops')} crops")
PY
}

$cli import mtd --root "$data/mtd" --split "$data/mtd/splits/differnet_train_normal.txt" --out "$out/mtd.csv" >"$out/import.log" 2>&1
timed fit $cli detect fit --manifest "$out/mtd.csv" --out "$out/detector"
timed discover $cli discover --manifest "$out/mtd.csv" --detector "$out/detector" --classes 6 --seed "$seed" --out "$out/discover" "$@"
report "$out/discover/metrics.json" "raw images (discover --detector)" | tee "$out/summary.txt"

if [ "${STAGES:-0}" = 1 ]; then
  maps="$out/discover/crops/detector-maps"
  $cli detect quality --manifest "$out/mtd.csv" --maps "$maps" | tee -a "$out/summary.txt"
  timed parity $cli discover --manifest "$out/mtd.csv" --maps "$maps" --classes 6 --seed "$seed" --out "$out/parity"
  report "$out/parity/metrics.json" "detector maps + MEBin as the reference (discover --maps)" | tee -a "$out/summary.txt"
  $cli detect oracle --manifest "$out/mtd.csv" --maps "$maps" --out "$out/oracle-maps" | tee -a "$out/summary.txt"
  timed oracle $cli discover --manifest "$out/mtd.csv" --maps "$out/oracle-maps" --classes 6 --seed "$seed" --out "$out/oracle"
  report "$out/oracle/metrics.json" "detector maps, oracle binarisation" | tee -a "$out/summary.txt"
fi
