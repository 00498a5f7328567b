#!/usr/bin/env bash
# Encoder throughput: VISTA's Swift MiniLM vs sentence-transformers (CPU torch), same captions, same machine.
# Usage: bench/encoder/run.sh [COUNT=2000] [REPEAT=3] [THREADS=2]
# Wall time is what a user sees; CPU time (user + system) is also printed because on a shared, loaded machine it
# is the steadier measure (with THREADS=1 it approximates wall time on an idle core).
# Needs scripts/fetch-minilm.sh done and /work/venv-st (torch CPU + sentence-transformers); see tools/representation-fixtures.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
count="${1:-2000}"; repeat="${2:-3}"; threads="${3:-2}"
venv="${VISTA_ST_VENV:-/work/venv-st}"
scratch="${VISTA_BENCH_SCRATCH:-$here/.build}"
swift build -c release --package-path "$here" --scratch-path "$scratch" --product EncoderBench >/dev/null
swift build -c release --package-path "$here" --scratch-path "$scratch" --product SGEMMBench >/dev/null

echo "== sgemm, detected OpenBLAS core (no override)"
VISTA_NO_REEXEC=1 env -u OPENBLAS_CORETYPE "$scratch/release/SGEMMBench"
echo "== sgemm, OPENBLAS_CORETYPE=Prescott (no AVX: what Debian's OpenBLAS 0.3.21 picks on recent Intel Xeons)"
OPENBLAS_CORETYPE=Prescott "$scratch/release/SGEMMBench"
echo "== sgemm, OPENBLAS_CORETYPE=SkylakeX"
OPENBLAS_CORETYPE=SkylakeX "$scratch/release/SGEMMBench"

ours="$(OPENBLAS_CORETYPE=SkylakeX "$scratch/release/EncoderBench" --count "$count" --repeat "$repeat" --threads "$threads")"
peer="$(HF_HUB_OFFLINE=1 "$venv/bin/python" "$here/st_bench.py" --count "$count" --repeat "$repeat" --threads "$threads" 2>/dev/null | tail -n 1)"
python3 - "$ours" "$peer" <<'PY'
import json, sys
ours, peer = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"== MiniLM encoding of {ours['sentences']} demo captions ({ours['tokens']} tokens), median of runs")
print(f"{'':28}{'VISTA (Swift)':>16}{'sentence-transformers':>24}{'ratio':>8}")
print(f"{'sentences/s':28}{ours['sentences_per_second']:>16.1f}{peer['sentences_per_second']:>24.1f}{ours['sentences_per_second']/peer['sentences_per_second']:>7.2f}x")
print(f"{'seconds (wall)':28}{ours['seconds_median']:>16.3f}{peer['seconds_median']:>24.3f}")
print(f"{'sentences per CPU second':28}{ours['sentences_per_cpu_second']:>16.1f}{peer['sentences_per_cpu_second']:>24.1f}{ours['sentences_per_cpu_second']/peer['sentences_per_cpu_second']:>7.2f}x")
print(f"{'peak RSS (MB)':28}{ours['peak_rss_mb']:>16.1f}{peer['peak_rss_mb']:>24.1f}{peer['peak_rss_mb']/ours['peak_rss_mb']:>7.2f}x less")
print(f"{'GFLOP/s reached (wall)':28}{ours['gflops']:>16.1f}")
print(f"{'GFLOP per CPU second':28}{ours['gflops_per_cpu_second']:>16.1f}")
print(f"{'BLAS core / threads':28}{ours['core'] + ' / ' + str(ours['threads']):>16}{'torch ' + peer['torch'] + ' / ' + str(peer['threads']):>24}")
PY
