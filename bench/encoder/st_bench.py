#!/usr/bin/env python3
"""The peer: sentence-transformers on CPU torch encoding the same demo captions. Prints one JSON line.
Run with /work/venv-st/bin/python (torch CPU + sentence-transformers), HF_HUB_OFFLINE=1."""
import argparse
import io
import json
import os
import resource
import statistics
import time
import zipfile

import torch
from sentence_transformers import SentenceTransformer

HERE = os.path.dirname(os.path.abspath(__file__))
parser = argparse.ArgumentParser()
parser.add_argument("--count", type=int, default=2000)
parser.add_argument("--repeat", type=int, default=3)
parser.add_argument("--batch-size", type=int, default=32)
parser.add_argument("--threads", type=int, default=0)
args = parser.parse_args()
if args.threads:
    torch.set_num_threads(args.threads)

archive = os.path.join(HERE, "..", "..", "Sources", "VistaData", "Resources", "imagenet21k-captions.zip")
with zipfile.ZipFile(archive) as z:
    lines = z.read("imagenet21k-captions.tsv").decode("utf-8").splitlines()
texts = [line.split("\t")[3] for line in lines[1:]][: args.count]

home = os.environ.get("VISTA_HOME", os.path.expanduser("~/.cache/vista"))
model = SentenceTransformer(os.environ.get("VISTA_MODEL_DIR", os.path.join(home, "models", "all-MiniLM-L6-v2")), device="cpu")
model.encode(texts[:64], batch_size=args.batch_size)
times, cpu_times = [], []
for _ in range(args.repeat):
    start, start_cpu = time.perf_counter(), time.process_time()
    model.encode(texts, batch_size=args.batch_size)
    times.append(time.perf_counter() - start)
    cpu_times.append(time.process_time() - start_cpu)
median = statistics.median(times)
cpu_median = statistics.median(cpu_times)
print(json.dumps({
    "sentences": len(texts), "seconds_median": round(median, 4), "sentences_per_second": round(len(texts) / median, 1),
    "cpu_seconds_median": round(cpu_median, 4), "sentences_per_cpu_second": round(len(texts) / cpu_median, 1),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    "torch": torch.__version__, "threads": torch.get_num_threads(),
}))
