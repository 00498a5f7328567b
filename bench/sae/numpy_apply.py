#!/usr/bin/env python3
"""The peer for bench/sae: numpy applying the same JumpReLU formula, pre = x W_enc + b_enc,
codes = (pre > threshold) * relu(pre) (threshold 2.6: L0 near 70 as in Gemma Scope), in row blocks (a dense tokens x 16k matrix would need 6.5 GB at 100k
tokens), collecting CSR (data, indices, indptr). Prints one JSON line."""
import argparse
import json
import resource
import time

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--tokens", type=int, default=100_000)
parser.add_argument("--d-in", type=int, default=2304)
parser.add_argument("--latents", type=int, default=16384)
parser.add_argument("--block", type=int, default=2048)
args = parser.parse_args()

rng = np.random.default_rng(1)
scale = 1 / np.sqrt(args.d_in)
w_enc = ((rng.random((args.d_in, args.latents), dtype=np.float32) * 2 - 1) * scale).astype(np.float32)
b_enc = np.zeros(args.latents, dtype=np.float32)
threshold = np.full(args.latents, 2.6, dtype=np.float32)
x = ((rng.random((args.tokens, args.d_in), dtype=np.float32) * 2 - 1) * 3).astype(np.float32)

start, start_cpu = time.perf_counter(), time.process_time()
data, indices, indptr = [], [], [np.zeros(1, dtype=np.int64)]
total = 0
for begin in range(0, args.tokens, args.block):
    pre = x[begin:begin + args.block] @ w_enc + b_enc
    keep = (pre > threshold) & (pre > 0)
    rows, cols = np.nonzero(keep)
    data.append(pre[rows, cols])
    indices.append(cols.astype(np.int32))
    counts = np.bincount(rows, minlength=pre.shape[0])
    indptr.append(total + np.cumsum(counts))
    total += len(cols)
data, indices, indptr = np.concatenate(data), np.concatenate(indices), np.concatenate(indptr)
seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
print(json.dumps({
    "tokens": args.tokens, "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3), "nnz": int(len(data)),
    "gflops": round(2 * args.tokens * args.d_in * args.latents / seconds / 1e9, 1),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1), "numpy": np.__version__,
}))
