#!/usr/bin/env python3
"""How far apart the defect kinds lie in what discovery sees of each crop.

Reads the CSV that `discover --embeddings-out FILE` writes (one row per crop: image, region, area, frozen descriptor,
learnt feature) and the manifest's labels, and prints for the frozen and the learnt space:
  * 1-NN kind agreement: each defective crop takes the kind of its nearest other crop (cosine), over all other
    crops and, with --group-regex, over crops of other groups only (e.g. MTD shoots each tile six times, so a
    nearest neighbour of the same tile is a near-copy);
  * k-means (k-means++ starts, fixed seeds) and spectral clustering (10-nearest-neighbour graph) with K clusters over
    every crop, scored at image level (each image takes its largest crop's cluster) with NMI / ARI / matched accuracy.
Plain Python (no numpy), a minute or two for MTD's 617 crops.

Usage: bench/crop-neighbours.py EMBEDDINGS.csv MANIFEST.csv [--classes 6] [--group-regex 'num_(\\d+)\\d{3}\\b']
"""
import argparse
import collections
import csv
import itertools
import math
import random
import re


def unit(values):
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [v / norm for v in values]


def dot(a, b):
    return sum(x * y for x, y in zip(a, b))


def nmi(truth, predicted):
    n = len(truth)
    ct, cp, joint = collections.Counter(truth), collections.Counter(predicted), collections.Counter(zip(truth, predicted))
    mutual = sum(v / n * math.log(v * n / (ct[t] * cp[p])) for (t, p), v in joint.items())
    entropy = lambda c: -sum(v / n * math.log(v / n) for v in c.values())
    total = entropy(ct) + entropy(cp)
    return 2 * mutual / total if total > 0 else 1.0


def ari(truth, predicted):
    pairs = lambda x: x * (x - 1) / 2
    joint = sum(pairs(v) for v in collections.Counter(zip(truth, predicted)).values())
    a = sum(pairs(v) for v in collections.Counter(truth).values())
    b = sum(pairs(v) for v in collections.Counter(predicted).values())
    expected = a * b / pairs(len(truth))
    return (joint - expected) / ((a + b) / 2 - expected)


def matched_accuracy(truth, predicted):
    kinds, clusters = sorted(set(truth)), sorted(set(predicted))
    size = max(len(kinds), len(clusters))
    kinds += [None] * (size - len(kinds))
    clusters += [None] * (size - len(clusters))
    joint = collections.Counter(zip(truth, predicted))
    best = max(sum(joint[(kinds[i], clusters[p[i]])] for i in range(size)) for p in itertools.permutations(range(size)))
    return best / len(truth)


def kmeans(points, k, seed, restarts=10, rounds=50):
    best = None
    for r in range(restarts):
        rng = random.Random(seed * 1000 + r)
        centres = [points[rng.randrange(len(points))]]
        while len(centres) < k:
            d = [min(sum((a - b) ** 2 for a, b in zip(p, c)) for c in centres) for p in points]
            x, run = rng.random() * sum(d), 0.0
            for i, di in enumerate(d):
                run += di
                if run >= x:
                    centres.append(points[i])
                    break
        for _ in range(rounds):
            assign = [min(range(k), key=lambda c: sum((a - b) ** 2 for a, b in zip(p, centres[c]))) for p in points]
            for c in range(k):
                members = [points[i] for i in range(len(points)) if assign[i] == c]
                if members:
                    centres[c] = [sum(col) / len(members) for col in zip(*members)]
        inertia = sum(sum((a - b) ** 2 for a, b in zip(points[i], centres[assign[i]])) for i in range(len(points)))
        if best is None or inertia < best[0]:
            best = (inertia, assign)
    return best[1]


def spectral(points, k, neighbours=10, width=0.1, iterations=300):
    n = len(points)
    weights = collections.defaultdict(float)
    for i in range(n):
        nearest = sorted(((dot(points[i], points[j]), j) for j in range(n) if j != i), reverse=True)[:neighbours]
        for similarity, j in nearest:
            w = math.exp((similarity - 1) / width)
            weights[(i, j)] = weights[(j, i)] = max(weights[(i, j)], w)
    adjacency = collections.defaultdict(list)
    for (i, j), w in weights.items():
        adjacency[i].append((j, w))
    scale = [1 / math.sqrt(sum(w for _, w in adjacency[i])) for i in range(n)]
    rng = random.Random(0)
    basis = [[rng.gauss(0, 1) for _ in range(n)] for _ in range(k)]
    for _ in range(iterations):  # orthogonal iteration on I + D^-1/2 W D^-1/2
        basis = [[v[i] + scale[i] * sum(w * scale[j] * v[j] for j, w in adjacency[i]) for i in range(n)] for v in basis]
        orthonormal = []
        for v in basis:
            for q in orthonormal:
                d = dot(v, q)
                v = [a - d * b for a, b in zip(v, q)]
            orthonormal.append(unit(v))
        basis = orthonormal
    return kmeans([unit([basis[c][i] for c in range(k)]) for i in range(n)], k, seed=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("embeddings")
    parser.add_argument("manifest")
    parser.add_argument("--classes", type=int, default=6)
    parser.add_argument("--group-regex", help="a regex on the image path whose first group names the crop's group")
    parser.add_argument("--normal-area", type=int, default=0, help="crops of this area (no region) are left out of the 1-NN")
    args = parser.parse_args()

    labels = {r["image"]: r["label"] for r in csv.DictReader(open(args.manifest, newline=""))}
    crops = []
    for row in csv.DictReader(open(args.embeddings, newline="")):
        if row["image"] not in labels:
            raise SystemExit(f"error: {args.embeddings}: image {row['image']} is not in {args.manifest}")
        group = None
        if args.group_regex:
            match = re.search(args.group_regex, row["image"])
            group = (labels[row["image"]], match.group(1) if match else row["image"])
        crops.append({"image": row["image"], "area": int(row["area"]), "label": labels[row["image"]], "group": group,
                      "frozen": unit([float(v) for v in row["frozen"].split()]),
                      "learnt": unit([float(v) for v in row["learnt"].split()])})
    defective = [c for c in crops if c["area"] > args.normal_area]
    largest = {}
    for i, c in enumerate(crops):
        if c["image"] not in largest or c["area"] > crops[largest[c["image"]]]["area"]:
            largest[c["image"]] = i
    images = sorted(largest)
    truth = [labels[i] for i in images]
    print(f"{len(crops)} crops of {len(images)} images; {len(defective)} crops with a region"
          + (f" in {len(set(c['group'] for c in defective))} groups" if args.group_regex else ""))

    for space in ("frozen", "learnt"):
        scopes = [("all other crops", lambda a, b: a is not b)]
        if args.group_regex:
            scopes.append(("other groups only", lambda a, b: a["group"] != b["group"]))
        for name, allowed in scopes:
            confusion = collections.Counter()
            for c in defective:
                nearest = max((o for o in defective if allowed(c, o)), key=lambda o: dot(c[space], o[space]))
                confusion[(c["label"], nearest["label"])] += 1
            kinds = sorted(set(c["label"] for c in defective))
            per_kind = " ".join(f"{k} {confusion[(k, k)] / sum(v for (t, _), v in confusion.items() if t == k):.2f}" for k in kinds)
            right = sum(v for (t, p), v in confusion.items() if t == p) / len(defective)
            mistakes = sorted(((v, t, p) for (t, p), v in confusion.items() if t != p), reverse=True)[:4]
            print(f"{space}: 1-NN over {name}: {right:.3f} ({per_kind}); commonest mistakes: "
                  + ", ".join(f"{t} -> {p} {v}" for v, t, p in mistakes))
        points = [c[space] for c in crops]
        for method, assign in (("k-means", kmeans(points, args.classes, seed=0)), ("spectral", spectral(points, args.classes))):
            predicted = [assign[largest[i]] for i in images]
            print(f"{space}: {method}, K = {args.classes}, image level: NMI {nmi(truth, predicted):.3f} ARI {ari(truth, predicted):.3f} "
                  f"F1 {matched_accuracy(truth, predicted):.3f}")
            counts = collections.Counter(zip(truth, predicted))
            for kind in sorted(set(truth)):
                print(f"    {kind:<14}" + " ".join(f"{counts[(kind, c)]:4d}" for c in range(args.classes)))


if __name__ == "__main__":
    main()
