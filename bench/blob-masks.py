#!/usr/bin/env python3
"""Writes a copy of a manifest whose test masks are blurred into detector-like blobs: each ground-truth mask dilated
by a 15-px square, smoothed (Gaussian radius 4) and thresholded again. The regions stay exactly where the defects are;
only their outlines become as coarse as a patch detector draws them. Used to measure what the shape of the masks alone
costs the classes (docs/RESULTS.md, "Where the kinds are lost").
Usage: bench/blob-masks.py MANIFEST OUT_DIR   (writes OUT_DIR/manifest.csv and OUT_DIR/masks/; needs Pillow:
apt-get install python3-pil)"""
import csv
import os
import sys

from PIL import Image, ImageFilter

manifest, target = sys.argv[1], sys.argv[2]
base = os.path.dirname(os.path.abspath(manifest))
os.makedirs(os.path.join(target, "masks"), exist_ok=True)
with open(manifest, newline="") as handle:
    rows = list(csv.DictReader(handle))
count = 0
for index, row in enumerate(rows):
    for column in ("image", "mask"):
        if row.get(column):
            row[column] = os.path.normpath(os.path.join(base, row[column]))
    if row.get("split") != "test" or not row.get("mask"):
        continue
    mask = Image.open(row["mask"]).convert("L")
    blob = mask.filter(ImageFilter.MaxFilter(15)).filter(ImageFilter.GaussianBlur(4)).point(lambda v: 255 if v > 100 else 0)
    path = os.path.join(os.path.abspath(target), "masks", f"{index:06d}.png")
    blob.save(path)
    row["mask"] = path
    count += 1
with open(os.path.join(target, "manifest.csv"), "w", newline="") as handle:
    writer = csv.DictWriter(handle, fieldnames=list(rows[0].keys()))
    writer.writeheader()
    writer.writerows(rows)
print(f"wrote {count} blob masks and {os.path.join(target, 'manifest.csv')}")
