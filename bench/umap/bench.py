"""UMAP benchmark: VISTA's native UMAP (the release `vista layout` CLI) against umap-learn, same
inputs and parameters, on the three inputs of `make_data.py`.

  python bench/umap/bench.py [--quick] [--cases sae4k,emb20k,mnist70k] [--vista PATH] [--peer-cache]

Per case: our wall time (median of 5 fresh CLI processes, 1 with --quick; includes starting the
process, reading the input and writing the layout) and our fit time (the same runs' in-process time
after the input is read: kNN, graph, initialisation, SGD and writing the layout; what umap-learn's
figures time, less its output write, as its `fit_transform` gets data already in memory), umap-learn's first fit in a fresh process (cold: numba JIT included) and the
median of later fits in the same process (warm: 3 fits, 2 for mnist70k), peak memory (ru_maxrss of each child process; for
umap-learn the process that ran all its fits), trustworthiness (k = 15) and the maximum of the
mutual-kNN gain curve (0.5 %..20 %) for both layouts, scored by the same code (`vista gain`);
then the same ratio split into the nearest-neighbour stage (umap-learn's timed alone, warm) and the
rest of the fit.
Scoring metric in the data: the layout's own metric. mnist70k is scored on a fixed random subset of
10,000 rows (both layouts, same rows). umap-learn runs with its defaults (random_state=None: its
fastest, parallel mode); ours with --seed 42. --peer-cache reuses umap-learn results from
results/ when present (a fresh umap-learn process, JIT included, costs 20-80 s: process_wall). Results: results/summary.json and a table.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(HERE, "data")
RESULTS = os.path.join(HERE, "results")
PY = sys.executable

CASES = {
    "sae4k": dict(file="sae4k.npz", metric="vista", axis=0, weight=0.05, sample=None, peer_warm=3),
    "emb20k": dict(file="emb20k.npy", metric="cosine", sample=None, peer_warm=3),
    "mnist70k": dict(file="mnist70k.npy", metric="euclidean", sample=10000, peer_warm=2),
}


def run_child(cmd, env=None):
    """Runs cmd, returns (wall seconds, stdout); raises with its stderr on failure."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, env=env, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return time.perf_counter() - start, proc.stdout


def run_measured(cmd, env=None):
    """Like run_child but with the child's own ru_maxrss via wait4."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed with {proc.returncode}")
    return wall, usage.ru_maxrss / 1024, out


def metric_args(case, prefix=""):
    args = [f"--{prefix}metric", case["metric"]]
    if case["metric"] == "vista":
        args += ["--axis", str(case["axis"]), "--axis-weight", str(case["weight"])]
    return args


def score(vista, case, layout, env):
    high = os.path.join(DATA, case["file"])
    low = layout
    if case["sample"]:
        import numpy as np
        rows = np.random.default_rng(7).choice(np.load(layout).shape[0], size=case["sample"], replace=False)
        rows.sort()
        sub_high = os.path.join(RESULTS, f"sample_{case['file']}")
        if not os.path.exists(sub_high):
            np.save(sub_high, np.load(high, mmap_mode="r")[rows])
        high = sub_high if sub_high.endswith(".npy") else sub_high + ".npy"
        low = layout.replace(".npy", ".sample.npy")
        np.save(low, np.load(layout)[rows])
    _, out = run_child([vista, "gain", "--high", high, "--low", low, "--trustworthiness", "15"]
                       + metric_args(case, "high-"), env)
    best = re.search(r"max gain ([-0-9.]+) at k = (\d+) \(([0-9.]+)%\)", out)
    trust = re.search(r"trustworthiness ([0-9.]+)", out)
    return dict(max_gain=float(best.group(1)), max_gain_at=float(best.group(3)) / 100, trustworthiness=float(trust.group(1)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true", help="1 run of ours, 1 warm fit of umap-learn")
    p.add_argument("--cases", default=",".join(CASES))
    p.add_argument("--vista", default=os.path.join(ROOT, ".build", "release", "vista"),
                   help="the release vista binary (swift build -c release --product vista)")
    p.add_argument("--peer-cache", action="store_true", help="reuse umap-learn results found in results/")
    p.add_argument("--peer-only", action="store_true", help="only run (and cache) umap-learn")
    args = p.parse_args()
    os.makedirs(RESULTS, exist_ok=True)
    subprocess.run([PY, os.path.join(HERE, "make_data.py")], check=True)
    env = dict(os.environ, OPENBLAS_CORETYPE=os.environ.get("OPENBLAS_CORETYPE", "SkylakeX"))
    summary = {}
    for name in args.cases.split(","):
        case = CASES[name]
        data = os.path.join(DATA, case["file"])
        row = {}
        # Ours.
        ours_layout = os.path.join(RESULTS, f"{name}.ours.npy")
        walls, fits, knns, rss, stages = [], [], [], [], None
        for _ in range(0 if args.peer_only else (1 if args.quick else 5)):
            wall, peak, out = run_measured([args.vista, "layout", data, "--out", ours_layout, "--seed", "42", "--json"]
                                           + metric_args(case), env)
            walls.append(wall)
            rss.append(peak)
            stages = json.loads(out.strip().splitlines()[-1])
            fits.append(stages["total"] - stages["read"])
            knns.append(stages["nearest neighbours"])
        if not args.peer_only:
            row["ours"] = dict(wall=statistics.median(walls), walls=walls, fit=statistics.median(fits), fits=fits,
                               knn=statistics.median(knns), peak_mb=max(rss), stages=stages)
            row["ours"].update(score(args.vista, case, ours_layout, env))
            print(name, "ours", json.dumps(row["ours"]), flush=True)
        # umap-learn.
        peer_layout = os.path.join(RESULTS, f"{name}.umap.npy")
        cache = os.path.join(RESULTS, f"{name}.umap.json")
        if args.peer_cache and os.path.exists(cache) and os.path.exists(peer_layout):
            peer = json.load(open(cache))
        else:
            warm = 1 if args.quick else case["peer_warm"]
            cmd = [PY, os.path.join(HERE, "run_umap_learn.py"), data, "--out", peer_layout, "--warm", str(warm),
                   "--metric", case["metric"]]
            if case["metric"] == "vista":
                cmd += ["--axis", str(case["axis"]), "--axis-weight", str(case["weight"])]
            wall, peak, out = run_measured(cmd, env)
            peer = json.loads(out.strip().splitlines()[-1])
            peer.update(process_wall=wall, peak_mb=peak)
            peer["warm_median"] = statistics.median(peer["warm"])
            json.dump(peer, open(cache, "w"))
        if args.peer_only:
            print(name, "umap-learn", json.dumps(peer), flush=True)
            continue
        peer.update(score(args.vista, case, peer_layout, env))
        row["umap_learn"] = peer
        print(name, "umap-learn", json.dumps(peer), flush=True)
        summary[name] = row
    if args.peer_only:
        return
    json.dump(summary, open(os.path.join(RESULTS, "summary.json"), "w"), indent=1)
    print()
    print("| input | ours: process / fit (s) | umap-learn warm (s) | cold (s) | speed-up warm: process / fit |"
          " peak MB ours / theirs | trust ours / theirs | max gain ours / theirs |")
    print("|---|---|---|---|---|---|---|---|")
    for name, row in summary.items():
        o, u = row["ours"], row["umap_learn"]
        print(f"| {name} | {o['wall']:.2f} / {o['fit']:.2f} | {u['warm_median']:.1f} | {u['cold']:.1f} |"
              f" {u['warm_median'] / o['wall']:.1f}x / {u['warm_median'] / o['fit']:.1f}x |"
              f" {o['peak_mb']:.0f} / {u['peak_mb']:.0f} | {o['trustworthiness']:.4f} / {u['trustworthiness']:.4f} |"
              f" {o['max_gain']:.3f} @{o['max_gain_at']:.1%} / {u['max_gain']:.3f} @{u['max_gain_at']:.1%} |")
    # Where the ratio comes from: the nearest-neighbour stage against umap-learn's own (timed alone,
    # warm, after its fits), and the rest of the fit (graph, initialisation, SGD) against the rest.
    print()
    print("| input | kNN ours / umap-learn (s) | kNN speed-up | rest of the fit ours / umap-learn (s) | rest speed-up |")
    print("|---|---|---|---|---|")
    for name, row in summary.items():
        o, u = row["ours"], row["umap_learn"]
        if "knn" not in u:
            continue  # a cached peer result from before the stage was timed
        rest_ours, rest_peer = o["fit"] - o["knn"], u["warm_median"] - u["knn"]
        print(f"| {name} | {o['knn']:.2f} / {u['knn']:.2f} | {u['knn'] / o['knn']:.1f}x |"
              f" {rest_ours:.2f} / {rest_peer:.2f} | {rest_peer / rest_ours:.1f}x |")


if __name__ == "__main__":
    main()
