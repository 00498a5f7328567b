#!/usr/bin/env python3
"""Session cache benchmark: what a restarted kernel saves, measured through `vista run`.

One recipe (load captions, precomputed codes, select, UMAP layout, gain, tiles, preview, status) on a
synthetic caption set is run three times in fresh processes:
  * cold      empty disk cache: every stage computed;
  * warm      same cache, new process (a "restarted kernel"): stages with a codec load from disk;
  * no-cache  `--cache none`, the same work as cold without writing the cache (the cost of caching).
Prints wall times (median of --repeat), the warm/cold ratio, cache size on disk, and checks that all
output folders are byte-identical (the reproducibility promise of issue 5).

Usage (release build first):  swift build -c release
  .venv/bin/python bench/session/bench_session_cache.py [--vista-bin .build/release/vista] [--captions 6000]
"""
import argparse
import filecmp
import os
import pathlib
import shutil
import statistics
import subprocess
import tempfile
import time

import numpy as np

REPO = pathlib.Path(__file__).resolve().parents[2]
WORDS = ["red", "blue", "dog", "cat", "car", "tree", "sky", "boat", "house", "bird", "river", "stone", "glass"]


def make_data(folder, captions, latents, seed):
    rng = np.random.default_rng(seed)
    rows = ["id\tcaption"]
    for i in range(captions):
        a, b, c = rng.integers(0, len(WORDS), size=3)
        rows.append(f"c{i}\ta {WORDS[a]} {WORDS[b]} beside a {WORDS[c]} ({i})")
    (folder / "captions.tsv").write_text("\n".join(rows) + "\n")
    codes = np.maximum(rng.normal(size=(captions, latents)).astype(np.float32) - 0.8, 0)
    np.save(folder / "codes.npy", codes)


def run(vista, script, out, cache):
    if out.exists():
        shutil.rmtree(out)
    started = time.perf_counter()
    result = subprocess.run([str(vista), "run", str(script), "--out", str(out), "--cache", str(cache)],
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"vista run failed: {result.stderr}")
    return elapsed


def same_folders(a, b):
    names = sorted(p.name for p in a.iterdir())
    if names != sorted(p.name for p in b.iterdir()):
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return not mismatch and not errors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vista-bin", default=str(REPO / ".build" / "release" / "vista"))
    parser.add_argument("--captions", type=int, default=6000)
    parser.add_argument("--latents", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    work = pathlib.Path(tempfile.mkdtemp(prefix="vista-bench-session-"))
    try:
        make_data(work, args.captions, args.latents, seed=5)
        script = work / "recipe.vista"
        script.write_text(
            "set seed=2\n"
            f"load {work / 'captions.tsv'}\n"
            f"codes load {work / 'codes.npy'}\n"
            "select latent=3 top=50%\n"
            "layout umap neighbors=15 min_dist=0.1\n"
            "gain\n"
            "tiles 16x9 min=4\n"
            "preview width=800\n"
            "status\n")
        env_note = os.environ.get("OPENBLAS_CORETYPE", "(auto)")
        cold, warm, uncached = [], [], []
        for i in range(args.repeat):
            cache = work / f"cache-{i}"
            cold.append(run(args.vista_bin, script, work / "cold", cache))
            warm.append(run(args.vista_bin, script, work / "warm", cache))
            uncached.append(run(args.vista_bin, script, work / "nocache", "none"))
        size = sum(p.stat().st_size for p in (work / "cache-0").rglob("*.vcache"))
        identical = same_folders(work / "cold", work / "warm") and same_folders(work / "cold", work / "nocache")
        c, w, u = (statistics.median(x) for x in (cold, warm, uncached))
        print(f"captions={args.captions} latents={args.latents} repeat={args.repeat} OPENBLAS_CORETYPE={env_note}")
        print(f"{'run':<10}{'median s':>10}")
        print(f"{'cold':<10}{c:>10.3f}")
        print(f"{'warm':<10}{w:>10.3f}   warm/cold = {w / c:.2f}  (restarted kernel, disk cache)")
        print(f"{'no-cache':<10}{u:>10.3f}   cold/no-cache = {c / u:.2f}  (cost of writing the cache)")
        print(f"cache on disk: {size / 1e6:.1f} MB; outputs byte-identical across the three: {identical}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
