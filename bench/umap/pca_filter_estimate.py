"""How many of NN-descent's local-join pairs a lossless PCA filter could skip (mnist70k).

An orthonormal projection never lengthens a distance, so a pair (p, q) whose projected squared
distance already exceeds both points' current k-th squared distance could be skipped without the
784-dimensional computation. The joins compare neighbours of neighbours; this takes each of 2,000
sampled points' final 15 neighbours (pynndescent), pairs them, and counts the pairs the filter would
skip against the final bounds and against 1.5 x and 2.5 x them (the looser bounds of the first
rounds, where most pairs are compared). Asserts the filter never skips a pair within the bounds.

  .venv/bin/python bench/umap/pca_filter_estimate.py      (about a minute, most of it pynndescent)
"""
import os

import numpy as np
from pynndescent import NNDescent

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data", "mnist70k.npy")
if not os.path.exists(DATA):
    raise SystemExit(f"{DATA} is missing: run bench/umap/make_data.py (bench.py runs it) first")
X = np.load(DATA).astype(np.float32)
rng = np.random.default_rng(0)
sample = X[rng.choice(len(X), 4096, replace=False)]
sample = sample - sample.mean(0)
eigenvalues, vectors = np.linalg.eigh((sample.T @ sample).astype(np.float64))
order = np.argsort(eigenvalues)[::-1]
indices, distances = NNDescent(X, metric="euclidean", n_neighbors=15, random_state=0).neighbor_graph
bound = distances[:, -1] ** 2
points = rng.choice(len(X), 2000, replace=False)
for dims in (64, 128):
    basis = vectors[:, order[:dims]].astype(np.float32)
    projected = X @ basis
    captured = eigenvalues[order[:dims]].sum() / eigenvalues.sum()
    counts = {1.0: 0, 1.5: 0, 2.5: 0}
    total = 0
    for i in points:
        c = indices[i, 1:]
        a, b = np.triu_indices(len(c), 1)
        p, q = c[a], c[b]
        exact = ((X[p] - X[q]) ** 2).sum(1)
        proj = ((projected[p] - projected[q]) ** 2).sum(1)
        limit = np.maximum(bound[p], bound[q])
        assert not ((proj > limit * 1.01) & (exact <= limit)).any(), "the filter skipped a pair within the bounds"
        total += len(p)
        for f in counts:
            counts[f] += int((proj > limit * f * 1.01).sum())
    print(f"{dims} dimensions ({captured:.0%} of the variance): skippable "
          + ", ".join(f"{counts[f] / total:.1%} against {f} x the final bounds" for f in counts))
