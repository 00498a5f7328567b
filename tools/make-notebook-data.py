#!/usr/bin/env python3
"""Writes the small fixture files of notebooks/your-own-activations.ipynb into notebooks/data/own/, in the
real formats a researcher brings from elsewhere:

  captions.tsv     id, lemma, lexfile, caption: about 1,000 captions taken from the embedded demo set
  activations.npy  float16, captions x 96: one activation vector per caption ("a model's residual stream, pooled")
  params.npz       a Gemma Scope JumpReLU SAE (W_enc 96 x 128, W_dec 128 x 96, b_enc, b_dec, threshold; float32)
  codes.npz        the SAE's codes of those activations as CSR, in scipy.sparse.save_npz's layout
  concepts.tsv     latent, concept word: what each planted latent stands for (the answer key)

The activations are SYNTHETIC, with planted structure, so the notebook has something true to find: concept c
has a random unit direction d_c in R^96, and a caption's vector is the sum of the directions of the concept
words it contains (strength 2 to 3, varying per caption) plus Gaussian noise (sd 0.1). The concepts are 24
focus words (the captions are chosen so each has about 40), the captions' WordNet categories (noun.animal ...),
a graded "long caption" feature (0.15 per word), and the most frequent other content words, one latent each. The SAE's latent c encodes along d_c with a JumpReLU threshold of 1.4, so it
fires on the captions that contain word c, plus some cross-talk: 128 directions in 96 dimensions are not
orthogonal (superposition, as in real SAEs). Nothing here comes from a real model: the files only demonstrate
the formats and that the pipeline recovers planted structure.

Usage: python3 tools/make-notebook-data.py   (numpy only; deterministic, seed 20241203)
"""
import re
import zipfile
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
DEMO_ZIP = REPO_ROOT / "Sources/VistaData/Resources/imagenet21k-captions.zip"
OUT = REPO_ROOT / "notebooks/data/own"
SEED = 20241203
D_IN, D_SAE, CAPTIONS = 96, 128, 1000
STOPWORDS = set("""a an the of or and in on to with by for from as at is are that which its it be has have having
used use any various usually often especially small large one two into such other than not like very""".split())
LENGTH = "length:long caption"
FOCUS = ["water", "tree", "bird", "wood", "flowers", "fish", "dog", "leaves", "red", "white", "black",
            "yellow", "small", "large", "long", "seeds", "fruit", "cloth", "metal", "horse", "music", "boat",
            "house", "glass"]


def read_demo():
    with zipfile.ZipFile(DEMO_ZIP) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".tsv"))
        lines = archive.read(name).decode("utf-8").splitlines()
    header, rows = lines[0].split("\t"), [line.split("\t") for line in lines[1:]]
    return header, rows


def words(text):
    return set(re.findall(r"[a-z]+", text.lower()))


def concept_words(row):
    """The concepts a caption carries: its words and its WordNet category."""
    return words(row[3]) | {"lexfile:" + row[2]}


def choose_captions(rows, rng):
    """Up to CAPTIONS / len(FOCUS) captions per concept word, so every planted latent has enough points."""
    per_concept = CAPTIONS // len(FOCUS)
    chosen, seen = [], set()
    for concept in FOCUS:
        candidates = [i for i, row in enumerate(rows) if concept in words(row[3]) and i not in seen]
        rng.shuffle(candidates)
        for i in candidates[:per_concept]:
            chosen.append(i)
            seen.add(i)
    return sorted(chosen)


def vocabulary(rows, picked):
    """The concepts, one latent each: the focus words, the WordNet categories (lexfile) of the picked captions,
    "long caption", then the most frequent other content words, D_SAE in all."""
    categories = sorted({"lexfile:" + rows[i][2] for i in picked})
    counts = {}
    for i in picked:
        for word in words(rows[i][3]):
            if len(word) > 2 and word not in STOPWORDS and word not in FOCUS:
                counts[word] = counts.get(word, 0) + 1
    frequent = sorted(counts, key=lambda w: (-counts[w], w))
    fixed = FOCUS + categories + [LENGTH]
    return fixed + frequent[:D_SAE - len(fixed)]


def save_csr_npz(path, dense):
    """scipy.sparse.save_npz's layout for a CSR matrix, written with numpy alone."""
    indptr, indices, data = [0], [], []
    for row in dense:
        nz = np.nonzero(row)[0]
        indices.extend(nz.tolist())
        data.extend(row[nz].tolist())
        indptr.append(len(indices))
    np.savez_compressed(path, indices=np.asarray(indices, dtype=np.int32), indptr=np.asarray(indptr, dtype=np.int32),
                        format=np.array(b"csr"), shape=np.asarray(dense.shape, dtype=np.int64),
                        data=np.asarray(data, dtype=np.float32))


def main():
    rng = np.random.default_rng(SEED)
    header, rows = read_demo()
    picked = choose_captions(rows, rng)
    concepts = vocabulary(rows, picked)

    directions = rng.normal(size=(D_SAE, D_IN))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    activations = rng.normal(scale=0.1, size=(len(picked), D_IN))
    for r, i in enumerate(picked):
        present = concept_words(rows[i])
        for c, concept in enumerate(concepts):
            if concept in present:
                activations[r] += rng.uniform(2.0, 3.0) * directions[c]
        # A graded feature, as real SAEs have: grows with the caption's length in words.
        activations[r] += 0.15 * len(rows[i][3].split()) * directions[concepts.index(LENGTH)]
    activations = activations.astype(np.float16)

    w_enc = directions.T.astype(np.float32)               # d_in x d_sae: latent j reads along direction j
    w_dec = directions.astype(np.float32)                 # d_sae x d_in
    b_enc = np.zeros(D_SAE, dtype=np.float32)
    b_dec = np.zeros(D_IN, dtype=np.float32)
    threshold = np.full(D_SAE, 1.4, dtype=np.float32)
    pre = activations.astype(np.float32) @ w_enc + b_enc
    codes = np.where(pre > threshold, np.maximum(pre, 0), 0).astype(np.float32)

    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "captions.tsv", "w", encoding="utf-8") as f:
        f.write("\t".join(header) + "\n")
        for i in picked:
            f.write("\t".join(rows[i]) + "\n")
    np.save(OUT / "activations.npy", activations)
    np.savez(OUT / "params.npz", W_enc=w_enc, W_dec=w_dec, b_enc=b_enc, b_dec=b_dec, threshold=threshold)
    save_csr_npz(OUT / "codes.npz", codes)
    with open(OUT / "concepts.tsv", "w", encoding="utf-8") as f:
        f.write("latent\tconcept\n")
        for c, concept in enumerate(concepts):
            f.write(f"{c}\t{concept}\n")
    fires = (codes > 0).sum(axis=0)
    truth = np.array([[concept in concept_words(rows[i]) or concept == LENGTH for concept in concepts] for i in picked])
    precision = (truth & (codes > 0)).sum() / max(1, (codes > 0).sum())
    recall = (truth & (codes > 0)).sum() / max(1, truth.sum())
    print(f"{len(picked)} captions; captions per latent: min {fires.min()}, max {fires.max()}; "
          f"mean L0 {np.count_nonzero(codes, axis=1).mean():.2f}; firing matches the word: precision {precision:.2f}, "
          f"recall {recall:.2f}")
    for path in sorted(OUT.iterdir()):
        print(f"  {path.relative_to(REPO_ROOT)}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
