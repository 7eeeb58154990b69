#!/usr/bin/env python3
"""Writes a per-image-normalised copy of a folder of float anomaly maps: every map scaled to 0..255 by its own
minimum and maximum and saved as an 8-bit PNG of the same stem, as many detectors export their maps. Used to measure
what `discover --maps DIR --degenerate-fallback global-min` costs on such a set (docs/RESULTS.md).
Usage: bench/per-image-maps.py IN_DIR OUT_DIR   (needs numpy and Pillow: apt-get install python3-numpy python3-pil)"""
import os
import sys

import numpy as np
from PIL import Image

source, target = sys.argv[1], sys.argv[2]
os.makedirs(target, exist_ok=True)
count = 0
for name in sorted(os.listdir(source)):
    stem, extension = os.path.splitext(name)
    if extension.lower() not in (".tif", ".tiff", ".png"):
        continue
    values = np.asarray(Image.open(os.path.join(source, name)), dtype=np.float64)
    low, high = values.min(), values.max()
    scaled = np.zeros_like(values) if high <= low else (values - low) / (high - low) * 255.0
    Image.fromarray(np.round(scaled).astype(np.uint8)).save(os.path.join(target, stem + ".png"))
    count += 1
print(f"wrote {count} per-image-normalised maps to {target}")
