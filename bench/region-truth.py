#!/usr/bin/env python3
"""Region-level quality of a discovery run against painted defects (synth's defects.csv).

Usage: bench/region-truth.py DEFECTS_CSV DISCOVER_OUT

For the images the run classified (DISCOVER_OUT/images.csv) it prints:
  recall      share of their painted defects that some region box overlaps with box IoU > 0.1 (the paper's rule)
  centred     share of defects whose box centre lies inside some region box (crops are squares around a region,
              so a small defect can sit inside its crop with IoU under 0.1)
  merged      regions whose box holds the centres of two or more defects
  NMI / ARI   region class against the kind of the defect each region overlaps most (regions overlapping none left out)
"""
import csv
import math
import sys
from collections import Counter, defaultdict


def key(path):
    # the last three components (line/images/name.png) name an image whatever folder the paths were written from
    return "/".join(path.replace("\\", "/").split("/")[-3:])


def iou(a, b):
    left, top = max(a[0], b[0]), max(a[1], b[1])
    right, bottom = min(a[2], b[2]), min(a[3], b[3])
    inter = max(0, right - left) * max(0, bottom - top)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def entropy(counts, n):
    return -sum(c / n * math.log(c / n) for c in counts if c)


def nmi_ari(truth, predicted):
    n = len(truth)
    joint = Counter(zip(truth, predicted))
    rows, cols = Counter(truth), Counter(predicted)
    mi = sum(c / n * math.log(c * n / (rows[t] * cols[p])) for (t, p), c in joint.items())
    h_true, h_pred = entropy(rows.values(), n), entropy(cols.values(), n)
    nmi = 1.0 if h_true == h_pred == 0 else (mi / ((h_true + h_pred) / 2) if h_true + h_pred > 0 else 0.0)
    pairs = lambda x: x * (x - 1) / 2
    index = sum(pairs(c) for c in joint.values())
    row_pairs, col_pairs = sum(pairs(c) for c in rows.values()), sum(pairs(c) for c in cols.values())
    expected = row_pairs * col_pairs / pairs(n) if n > 1 else 0.0
    maximum = (row_pairs + col_pairs) / 2
    ari = 1.0 if maximum == expected else (index - expected) / (maximum - expected)
    return nmi, ari


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    defects_csv, out = sys.argv[1], sys.argv[2]
    with open(f"{out}/images.csv", newline="") as f:
        classified = {key(r["image"]) for r in csv.DictReader(f)}
    defects = defaultdict(list)
    with open(defects_csv, newline="") as f:
        for r in csv.DictReader(f):
            if key(r["image"]) in classified and int(r["width"]) > 0:
                left, top = int(r["left"]), int(r["top"])
                defects[key(r["image"])].append((r["kind"], (left, top, left + int(r["width"]), top + int(r["height"]))))
    regions = defaultdict(list)
    with open(f"{out}/regions.csv", newline="") as f:
        for r in csv.DictReader(f):
            box = tuple(float(r[c]) for c in ("left", "up", "right", "bottom"))
            regions[key(r["image"])].append((r["class"], box))

    total = recalled = centred = merged = 0
    truth, predicted = [], []
    for image, painted in defects.items():
        boxes = regions.get(image, [])
        for _, d in painted:
            total += 1
            recalled += any(iou(d, b) > 0.1 for _, b in boxes)
            cx, cy = (d[0] + d[2]) / 2, (d[1] + d[3]) / 2
            centred += any(b[0] <= cx < b[2] and b[1] <= cy < b[3] for _, b in boxes)
    for image, boxes in regions.items():
        painted = defects.get(image, [])
        for cls, b in boxes:
            inside = sum(b[0] <= (d[0] + d[2]) / 2 < b[2] and b[1] <= (d[1] + d[3]) / 2 < b[3] for _, d in painted)
            merged += inside >= 2
            overlaps = [(iou(d, b), kind) for kind, d in painted if iou(d, b) > 0]
            if overlaps:
                truth.append(max(overlaps)[1])
                predicted.append(cls)
    region_count = sum(len(v) for v in regions.values())
    nmi, ari = nmi_ari(truth, predicted) if truth else (0.0, 0.0)
    print(f"defects {total} in {len(defects)} images; regions {region_count}")
    print(f"recall (IoU > 0.1) {recalled / max(total, 1):.3f}; centred in a region {centred / max(total, 1):.3f}; "
          f"regions holding 2+ defect centres {merged}")
    print(f"region-level NMI {nmi:.3f}, ARI {ari:.3f} over {len(truth)} regions that overlap a defect "
          f"({region_count - len(truth)} overlap none)")


if __name__ == "__main__":
    main()
