#!/usr/bin/env bash
# Many small defects per image (boards, wafers, printed parts): one synthetic line whose defective images carry
# several small defects of independently drawn kinds, discovered twice — from the generator's simulated maps and
# from raw images through a detector learnt on the line's normal images — and scored per painted defect with
# bench/region-truth.py (region recall at box IoU > 0.1, region-level NMI/ARI against each defect's kind).
# Usage: bench/many-defects.sh OUT [DEFECTS_PER_IMAGE [DEFECT_SCALE [IMAGES [SEED]]]]   (defaults: 5-10 0.4 200 0)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 1 ] || { echo "usage: bench/many-defects.sh OUT [DEFECTS_PER_IMAGE [DEFECT_SCALE [IMAGES [SEED]]]]" >&2; exit 2; }
out=$1; range=${2:-5-10}; scale=${3:-0.4}; images=${4:-200}; seed=${5:-0}
[ ! -e "$out" ] || [ -z "$(ls -A "$out")" ] || { echo "error: $out: not empty; give a new or empty folder" >&2; exit 2; }
cli="$root/anomalyncd"

"$cli" synth --lines 1 --images "$images" --normal-fraction 0.3 --defects-per-image "$range" --defect-scale "$scale" \
  --seed "$seed" --out "$out/data"
manifest="$out/data/manifest.csv"
# K: the line's defect kinds plus normal (the test split holds normal images too, as in docs/RESULTS.md's synthetic line).
kinds=$(tail -n +2 "$out/data/defects.csv" | cut -d, -f3 | sort -u | wc -l)
classes=$((kinds + 1))
echo "line-a: $kinds defect kinds; discovering $classes classes"

echo "== simulated maps (MEBin on the generator's maps)"
/usr/bin/time -f "discover: %e s, %M KB peak" "$cli" discover --manifest "$manifest" --regions maps --classes "$classes" \
  --out "$out/simulated" > "$out/simulated.log"
python3 "$root/bench/region-truth.py" "$out/data/defects.csv" "$out/simulated"

echo "== raw images (detect fit on the normal training images, then discover --detector)"
/usr/bin/time -f "detect fit: %e s, %M KB peak" "$cli" detect fit --manifest "$manifest" --out "$out/detector" > "$out/fit.log"
/usr/bin/time -f "discover: %e s, %M KB peak" "$cli" discover --manifest "$manifest" --detector "$out/detector" \
  --classes "$classes" --out "$out/raw" > "$out/raw.log"
python3 "$root/bench/region-truth.py" "$out/data/defects.csv" "$out/raw"
