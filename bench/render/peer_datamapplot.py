"""The peer: datamapplot's static map (matplotlib) of the same 4,000 points and labels, timed like ours.

Reads peer-input.json written by RenderBench; prints one JSON object. The first call (numba JIT, font
loading) is timed separately as `cold`; `warm` is the median of the next runs.
"""
import json
import sys
import time
from pathlib import Path

import numpy as np

folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/vista-bench-render")
data = json.loads((folder / "peer-input.json").read_text())
coords = np.column_stack([data["x"], data["y"]]).astype(np.float32)
labels = np.array(data["label"], dtype=object)

t0 = time.perf_counter()
import datamapplot  # noqa: E402
import matplotlib  # noqa: E402
matplotlib.use("Agg")
import_s = time.perf_counter() - t0


def once(path):
    start = time.perf_counter()
    fig, ax = datamapplot.create_plot(coords, labels, title="4,000 captions", use_system_fonts=True,
                                      figsize=(16, 9), dpi=100)
    fig.savefig(path, dpi=100)
    matplotlib.pyplot.close(fig)
    return time.perf_counter() - start


cold = once(folder / "peer-datamapplot.png")
warm = sorted(once(folder / "peer-datamapplot.png") for _ in range(3))[1]
print(json.dumps({"peer": "datamapplot " + getattr(datamapplot, "__version__", "?"), "import_s": import_s,
                  "cold_s": cold, "warm_s": warm}))
