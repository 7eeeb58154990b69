#!/usr/bin/env python3
"""How well the regions a discovery run cut from maps fit the ground-truth masks, per defect kind, and what keeping
only each region's high-contrast pixels would change: for every region (8-connected component of the binarised map
in RUN/crops/maps/LINE/) that touches its image's mask, the IoU with the mask inside the region's box grown by half
its size on each side, as cut and after keeping the region pixels whose grey level (Gaussian radius 1) lies at least
K robust standard deviations (1.4826 MAD) from the median of the surrounding box outside the region; a region with
fewer than max(4, 2 %) such pixels is kept whole. A measurement for docs/RESULTS.md, not a product path.
Usage: bench/blob-contrast.py MANIFEST RUN_DIR [K=3]   (needs numpy and Pillow: apt-get install python3-numpy python3-pil)"""
import collections
import csv
import os
import sys

import numpy as np
from PIL import Image, ImageFilter


def components(mask):
    labels = np.zeros(mask.shape, dtype=np.int32)
    count = 0
    height, width = mask.shape
    for y, x in zip(*np.nonzero(mask)):
        if labels[y, x]:
            continue
        count += 1
        labels[y, x] = count
        queue = collections.deque([(y, x)])
        while queue:
            a, b = queue.popleft()
            for c in range(max(0, a - 1), min(height, a + 2)):
                for d in range(max(0, b - 1), min(width, b + 2)):
                    if mask[c, d] and not labels[c, d]:
                        labels[c, d] = count
                        queue.append((c, d))
    return labels, count


manifest, run = sys.argv[1], sys.argv[2]
k = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
base = os.path.dirname(os.path.abspath(manifest))
with open(manifest, newline="") as handle:
    rows = {os.path.splitext(os.path.basename(r["image"]))[0]: r for r in csv.DictReader(handle) if r.get("split") == "test"}
totals = collections.defaultdict(lambda: [0, 0, 0, 0, 0])
maps_root = os.path.join(run, "crops", "maps")
for line in sorted(os.listdir(maps_root)):
    folder = os.path.join(maps_root, line)
    if not os.path.isdir(folder):
        continue
    for name in sorted(os.listdir(folder)):
        row = rows.get(os.path.splitext(name)[0].split("-", 1)[-1])
        if row is None or not row.get("mask"):
            continue
        regions = np.asarray(Image.open(os.path.join(folder, name))) > 127
        truth = np.asarray(Image.open(os.path.join(base, row["mask"])).convert("L")) > 127
        grey = np.asarray(Image.open(os.path.join(base, row["image"])).convert("L").filter(ImageFilter.GaussianBlur(1)), dtype=np.float64)
        if regions.shape != truth.shape or regions.shape != grey.shape or not truth.any():
            continue
        labels, count = components(regions)
        height, width = regions.shape
        for label in range(1, count + 1):
            region = labels == label
            if not (region & truth).any():
                continue
            ys, xs = np.nonzero(region)
            h, w = ys.max() + 1 - ys.min(), xs.max() + 1 - xs.min()
            y0, y1 = max(0, ys.min() - h // 2), min(height, ys.max() + 1 + h // 2)
            x0, x1 = max(0, xs.min() - w // 2), min(width, xs.max() + 1 + w // 2)
            window, inside, mask = grey[y0:y1, x0:x1], region[y0:y1, x0:x1], truth[y0:y1, x0:x1]
            around = window[~inside] if (~inside).sum() >= 16 else window.ravel()
            median = np.median(around)
            spread = max(1.0, 1.4826 * np.median(np.abs(around - median)))
            kept = inside & (np.abs(window - median) >= k * spread)
            if kept.sum() < max(4, 0.02 * inside.sum()):
                kept = inside
            t = totals[row["label"]]
            t[0] += (inside & mask).sum(); t[1] += (inside | mask).sum()
            t[2] += (kept & mask).sum(); t[3] += (kept | mask).sum(); t[4] += 1
for kind, t in sorted(totals.items()):
    print(f"{kind}: {t[4]} regions touching the mask, IoU as cut {t[0] / t[1]:.3f}, high-contrast pixels (k={k:g}) {t[2] / t[3]:.3f}")
