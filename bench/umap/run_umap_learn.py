"""Times umap-learn on one benchmark input in a fresh process: the first fit (cold, numba JIT
included), `--warm` more fits after it (warm), and then its nearest-neighbour stage alone
(`umap.umap_.nearest_neighbors` with the arguments a fit passes: pynndescent's NN-descent above
4,096 points, a sort of the precomputed matrix for the VISTA metric), so that the bench can compare
the stages. Prints one JSON line; writes the last layout.

For the VISTA metric (sae4k) umap-learn gets metric="precomputed" with the full distance matrix
(1 - cos) + w·|Δx_L| computed by one sparse product plus the rank-1 term, as vista-method §2.10
recommends (its callable-metric path takes minutes); computing the matrix is included in the time.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import scipy.sparse as sp


def load(path):
    if path.endswith(".npz"):
        return sp.load_npz(path).tocsr().astype(np.float32)
    return np.load(path)


def vista_distances(x, axis, weight):
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    xn = sp.diags(1 / norms) @ x
    d = 1 - (xn @ xn.T).toarray()
    np.maximum(d, 0, out=d)
    a = np.asarray(x[:, axis].todense()).ravel()
    d += weight * np.abs(a[:, None] - a[None, :])
    np.fill_diagonal(d, 0)
    return d.astype(np.float32)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("input")
    p.add_argument("--out", required=True)
    p.add_argument("--metric", default="euclidean")
    p.add_argument("--axis", type=int, default=0)
    p.add_argument("--axis-weight", type=float, default=0.05)
    p.add_argument("--warm", type=int, default=1)
    p.add_argument("--neighbors", type=int, default=15)
    p.add_argument("--min-dist", type=float, default=0.1)
    args = p.parse_args()

    t0 = time.perf_counter()
    import umap  # noqa: E402
    import_seconds = time.perf_counter() - t0
    x = load(args.input)

    def fit():
        start = time.perf_counter()
        if args.metric == "vista":
            data = vista_distances(x, args.axis, args.axis_weight)
            model = umap.UMAP(n_neighbors=args.neighbors, min_dist=args.min_dist, metric="precomputed")
        else:
            data = x
            model = umap.UMAP(n_neighbors=args.neighbors, min_dist=args.min_dist, metric=args.metric)
        emb = model.fit_transform(data)
        return time.perf_counter() - start, emb

    def knn():
        from umap.umap_ import nearest_neighbors
        start = time.perf_counter()
        if args.metric == "vista":
            data, metric = vista_distances(x, args.axis, args.axis_weight), "precomputed"
        else:
            data, metric = x, args.metric
        # A fit turns on angular trees for these metrics (UMAP.fit sets angular_rp_forest).
        angular = metric in ("cosine", "correlation")
        nearest_neighbors(data, args.neighbors, metric, {}, angular, None)
        return time.perf_counter() - start

    cold, emb = fit()
    warm = []
    for _ in range(args.warm):
        t, emb = fit()
        warm.append(t)
    np.save(args.out, emb.astype(np.float32))
    print(json.dumps({"import": import_seconds, "cold": cold, "warm": warm, "knn": knn()}))


if __name__ == "__main__":
    main()
