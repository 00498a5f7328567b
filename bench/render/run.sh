#!/usr/bin/env bash
# Render benchmarks: our preview / atlas / explorer / plan against datamapplot's static map.
# Usage: bench/render/run.sh [output-folder] [--full-atlas]
#   (the peer needs datamapplot in .venv: .venv/bin/pip install datamapplot; --full-atlas also writes the
#   whole 16k x 9k pyramid, about 3,000 tiles, and times it)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="/tmp/vista-bench-render"; full=""
for arg in "$@"; do if [ "$arg" = "--full-atlas" ]; then full="--full-atlas"; else out="$arg"; fi; done
mkdir -p "$out"
swift build -c release --package-path "$here" --scratch-path "$root/.build-bench-render" --product RenderBench >&2
ours="$("$root/.build-bench-render/release/RenderBench" "$out" $full)"
echo "$ours" > "$out/ours.json"
peer="$("$root/.venv/bin/python" "$here/peer_datamapplot.py" "$out" 2>/dev/null)"
echo "$peer" > "$out/peer.json"
"$root/.venv/bin/python" - "$out" <<'PY'
import json, sys
from pathlib import Path
out = Path(sys.argv[1])
ours, peer = json.loads((out / "ours.json").read_text()), json.loads((out / "peer.json").read_text())
print(f"points {ours['points']}, regions {ours['regions']}, fine clusters {ours['fine_clusters']}")
print(f"{'figure':38} {'vista':>10} {'peer':>12} {'ratio':>8}")
def row(name, a, b=None):
    print(f"{name:38} {a:10.4f} " + (f"{b:12.4f} {b / a:7.1f}x" if b else f"{'-':>12} {'-':>8}"))
row("static map 1600x900, warm median (s)", ours["preview_1600_s"], peer["warm_s"])
row("static map, first call (s)", ours["preview_1600_s"], peer["cold_s"])
row("preview with tile grid (s)", ours["preview_1600_grid_s"])
row("map build: clusters/regions/labels (s)", ours["map_build_s"])
row("atlas 16k tile, 256 px (s/tile)", ours["atlas_16k_tile_s"])
print(f"{'atlas 16k tiles per second':38} {ours['atlas_16k_tiles_per_s']:10.1f}   (whole 16k pyramid ~{ours['atlas_16k_estimated_s']:.0f} s for {ours['atlas_16k_total_tiles']} tiles)")
row(f"atlas 4096 px pyramid, {ours['atlas_4096_tiles']} tiles (s)", ours["atlas_4096_pyramid_s"])
if ours["atlas_16k_written_s"] > 0:
    row(f"atlas 16k pyramid written, {ours['atlas_16k_total_tiles']} tiles (s)", ours["atlas_16k_written_s"])
row("explorer page (s)", ours["explorer_s"])
print(f"{'explorer page size (bytes)':38} {ours['explorer_bytes']:10d}")
row(f"render plan, {ours['plan_windows']} windows x 100 steps (s)", ours["plan_s"])
print(f"peer: {peer['peer']}, import {peer['import_s']:.1f} s; images in {out}")
PY
