#!/usr/bin/env python3
"""Counts, per label, the crops of a discovery run whose mask has foreground but no 16-px cell of the 224² crop at
least half covered: before stop 30 such a crop showed the CLS query no token at all, exactly like a normal image's
empty-mask crop (docs/RESULTS.md, "Token visibility"). Empty masks are counted apart.
Usage: bench/invisible-masks.py RUN_DIR   (RUN_DIR/crops/novel/regions.csv; needs numpy and Pillow:
apt-get install python3-numpy python3-pil)"""
import collections
import csv
import os
import sys

import numpy as np
from PIL import Image

SIDE, GRID = 224, 14
CELL = SIDE // GRID
folder = os.path.join(sys.argv[1], "crops", "novel")
crops, invisible, empty = collections.Counter(), collections.Counter(), collections.Counter()
with open(os.path.join(folder, "regions.csv"), newline="") as handle:
    for row in csv.DictReader(handle):
        mask = Image.open(os.path.join(folder, row["crop_mask"])).convert("L").resize((SIDE, SIDE), Image.NEAREST)
        coverage = (np.asarray(mask, dtype=np.float64) / 255).reshape(GRID, CELL, GRID, CELL).mean(axis=(1, 3))
        label = row["label"]
        crops[label] += 1
        if coverage.max() == 0:
            empty[label] += 1
        elif coverage.max() < 0.5:
            invisible[label] += 1
for label in sorted(crops):
    print(f"{label}: {crops[label]} crops, {invisible[label]} with foreground but no half-covered cell, {empty[label]} empty")
