#!/usr/bin/env bash
# Runs every test: the Swift unit tests, then the Python-driven protocol, notebook and browser tests
# against the real kernel. Installs what is missing first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-lab
export VISTA_HOME="${VISTA_HOME:-$HOME/.cache/vista}"
# The notebooks share that home (weights + cache), so a re-run reuses encodings and SAEs.
export VISTA_NOTEBOOK_HOME="${VISTA_NOTEBOOK_HOME:-$VISTA_HOME}"
mkdir -p artifacts

echo "== swift build"
if ! swift build --build-tests > artifacts/swift-build.log 2>&1; then
  grep -E "error:" artifacts/swift-build.log | head -40; echo "swift build failed"; exit 1
fi

echo "== swift test"
status=0
swift test --skip-build > artifacts/swift-test.log 2>&1 || status=$?
grep -E "error:|failed \(|Executed [0-9]+ tests" artifacts/swift-test.log | tail -40
if [[ $status -ne 0 ]]; then echo "swift test failed (exit $status); see artifacts/swift-test.log"; exit $status; fi

echo "== swift build -c release (the Python tests drive the release kernel: notebooks encode 21.8k captions)"
if ! swift build -c release --static-swift-stdlib --product vista > artifacts/swift-build-release.log 2>&1; then
  grep -E "error:" artifacts/swift-build-release.log | head -40; echo "release build failed"; exit 1
fi

echo "== python tests"
export VISTA_BIN="$PWD/.build/release/vista"
.venv/bin/python -m pytest -q -ra Tests/python
