#!/usr/bin/env bash
# SAE apply at the paper's shape (d_in 2304, 16k latents, JumpReLU, random weights): VISTA (Swift, OpenBLAS)
# vs numpy doing the same formula in row blocks, side by side. Then the embedded demo end to end (MiniLM token
# states -> TopK SAE training -> codes pooled per caption) with FVE, L0 and dead fraction.
# Usage: bench/sae/run.sh [TOKENS=100000] [DEMO_CAPTIONS=21844] [THREADS=2]   (e.g. `run.sh 20000 3000` for a quick run)
# CPU seconds are printed next to wall seconds: on a shared, loaded machine they are the steadier measure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tokens="${1:-100000}"; captions="${2:-21844}"; threads="${3:-2}"
python="${VISTA_NUMPY_PYTHON:-$here/../../.venv/bin/python}"
package="$here/../encoder"   # the benchmark package (symlinked VistaCore/VistaData/VistaEncode)
scratch="${VISTA_BENCH_SCRATCH:-$package/.build}"
swift build -c release --package-path "$package" --scratch-path "$scratch" --product SAEBench >/dev/null

ours="$(OPENBLAS_CORETYPE=SkylakeX "$scratch/release/SAEBench" apply --tokens "$tokens" --threads "$threads")"
peer="$(OPENBLAS_NUM_THREADS="$threads" "$python" "$here/numpy_apply.py" --tokens "$tokens")"
python3 - "$ours" "$peer" <<'PY'
import json, sys
ours, peer = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"== SAE apply: {ours['tokens']} tokens x d_in {ours['d_in']} -> {ours['latents']} latents (JumpReLU, CSR out)")
print(f"{'':20}{'VISTA (Swift)':>16}{'numpy ' + peer['numpy']:>16}{'ratio':>9}")
print(f"{'seconds':20}{ours['seconds']:>16.2f}{peer['seconds']:>16.2f}{peer['seconds']/ours['seconds']:>8.2f}x")
print(f"{'CPU seconds':20}{ours['cpu_seconds']:>16.2f}{peer['cpu_seconds']:>16.2f}{peer['cpu_seconds']/ours['cpu_seconds']:>8.2f}x")
print(f"{'GFLOP/s':20}{ours['gflops']:>16.1f}{peer['gflops']:>16.1f}")
print(f"{'peak RSS (MB)':20}{ours['peak_rss_mb']:>16.1f}{peer['peak_rss_mb']:>16.1f}{peer['peak_rss_mb']/ours['peak_rss_mb']:>8.2f}x")
print(f"{'non-zeros':20}{ours['nnz']:>16}{peer['nnz']:>16}   (random inputs differ: similar, not equal)")
PY

[[ "$captions" == "0" ]] && exit 0
echo "== demo end to end ($captions captions): MiniLM token states -> TopK SAE 384 -> 4096, k 32, 2 epochs -> max-pooled codes"
OPENBLAS_CORETYPE=SkylakeX "$scratch/release/SAEBench" train-demo --captions "$captions" --threads "$threads"
