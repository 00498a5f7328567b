"""Synthetic inputs for the UMAP benchmark (seeded, written to bench/umap/data/).

  sae4k     4,000 x 16,384 CSR SAE-like codes: 40 clusters, ~70 active latents a row (about 60 % from the
            cluster's pool of 180 latents, the rest anywhere), exponential activations, and latent 0 (the
            "selected" latent) always active with activation |N(3, 1)|: the paper's map size.
  emb20k    20,000 x 384 dense sentence-embedding-like rows: 50 cluster centres on the unit sphere,
            each row a centre plus Gaussian noise, L2-normalised (float32 .npy).
  mnist70k  70,000 x 784, MNIST's shape: 10 classes, each a class mean in [0, 255]^784 (a smooth random
            "digit" blob) plus a 12-dimensional Gaussian subspace of within-class variation and pixel
            noise, clipped to [0, 255] (float32 .npy). Synthetic: no real MNIST file is at hand offline.
"""
import os
import sys

import numpy as np
import scipy.sparse as sp

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")


def sae4k(rng):
    n, d, clusters, active = 4000, 16384, 40, 70
    pools = [rng.choice(np.arange(1, d), size=180, replace=False) for _ in range(clusters)]
    labels = rng.integers(0, clusters, size=n)
    rows, cols, vals = [], [], []
    for i in range(n):
        own = rng.choice(pools[labels[i]], size=42, replace=False)
        anywhere = rng.choice(np.arange(1, d), size=active - 1 - 42, replace=False)
        c = np.unique(np.concatenate([[0], own, anywhere]))
        v = rng.exponential(1.0, size=c.size).astype(np.float32) + 0.05
        v[c == 0] = abs(rng.normal(3.0, 1.0))
        rows.append(np.full(c.size, i))
        cols.append(c)
        vals.append(v)
    m = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, d), dtype=np.float32)
    m.sort_indices()
    sp.save_npz(os.path.join(DATA, "sae4k.npz"), m, compressed=False)
    np.save(os.path.join(DATA, "sae4k.labels.npy"), labels)


def emb20k(rng):
    n, d, clusters = 20000, 384, 50
    centres = rng.normal(size=(clusters, d))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    labels = rng.integers(0, clusters, size=n)
    x = centres[labels] + rng.normal(scale=0.04, size=(n, d))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    np.save(os.path.join(DATA, "emb20k.npy"), x.astype(np.float32))
    np.save(os.path.join(DATA, "emb20k.labels.npy"), labels)


def mnist70k(rng):
    n, side, classes, sub = 70000, 28, 10, 12
    yy, xx = np.mgrid[0:side, 0:side]
    means, bases = [], []
    for _ in range(classes):
        img = np.zeros((side, side))
        for _ in range(6):  # a few strokes as Gaussian blobs
            cy, cx = rng.uniform(6, 22, size=2)
            s = rng.uniform(1.5, 3.5)
            img += np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * s * s))
        means.append(255 * img.ravel() / img.max())
        b = rng.normal(size=(sub, side * side))
        bases.append(b / np.linalg.norm(b, axis=1, keepdims=True) * 180)
    labels = rng.integers(0, classes, size=n)
    x = np.empty((n, side * side), dtype=np.float32)
    for c in range(classes):
        idx = np.where(labels == c)[0]
        z = rng.normal(size=(idx.size, sub))
        x[idx] = np.clip(means[c] + z @ bases[c] + rng.normal(scale=8, size=(idx.size, side * side)), 0, 255)
    np.save(os.path.join(DATA, "mnist70k.npy"), x)
    np.save(os.path.join(DATA, "mnist70k.labels.npy"), labels)


if __name__ == "__main__":
    os.makedirs(DATA, exist_ok=True)
    wanted = sys.argv[1:] or ["sae4k", "emb20k", "mnist70k"]
    rng = np.random.default_rng(2024)
    for name in ["sae4k", "emb20k", "mnist70k"]:
        sub = np.random.default_rng(rng.integers(1 << 62))
        if name in wanted and not os.path.exists(os.path.join(DATA, name + (".npz" if name == "sae4k" else ".npy"))):
            globals()[name](sub)
            print("wrote", name)
