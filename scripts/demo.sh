#!/usr/bin/env bash
# The main job on the embedded default: installs what is missing, builds vista (release), installs the
# kernelspec for this user, fetches the MiniLM weights, and maps the demo captions into out/demo
# (map preview, gain curve, captions tables, explorer HTML, render plan).
# Usage: scripts/demo.sh          headless, writes out/demo
#        scripts/demo.sh --lab    then opens JupyterLab on notebooks/quickstart.ipynb
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--lab" ]]; then bash scripts/setup.sh --with-lab; else bash scripts/setup.sh; fi

echo "== building vista (release)"
mkdir -p artifacts
if ! swift build -c release --static-swift-stdlib --product vista > artifacts/swift-build-release.log 2>&1; then
  grep -E "error:" artifacts/swift-build-release.log | head -40; echo "build failed: see artifacts/swift-build-release.log"; exit 1
fi
VISTA=.build/release/vista
"$VISTA" install --user

echo "== mapping the demo captions (examples/demo.vista); the first run encodes 21.8k captions and trains the SAE"
"$VISTA" run examples/demo.vista --out out/demo
echo
echo "Outputs in $PWD/out/demo:"
ls -1 out/demo
explorer=$(ls out/demo/*explore*.html 2>/dev/null | head -n 1 || true)
[[ -n "$explorer" ]] && echo "Open the explorer: file://$PWD/$explorer"

if [[ "${1:-}" == "--lab" ]]; then
  exec .venv/bin/jupyter lab notebooks/quickstart.ipynb
fi
