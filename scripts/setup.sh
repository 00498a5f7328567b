#!/usr/bin/env bash
# Installs what vista needs on a fresh Debian 12 machine, idempotently:
# system libraries, a Python virtual environment for the test tools and Jupyter, the MiniLM weights.
# Usage: scripts/setup.sh [--with-lab]   (--with-lab adds JupyterLab for the browser end-to-end test)
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libzmq3-dev libopenblas-dev libssl-dev libcairo2-dev libcurl4-openssl-dev pkg-config
              fonts-dejavu-core wordnet-base chromium unzip)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ ! -x .venv/bin/python ]]; then
  echo "setup: creating .venv"
  python3 -m venv .venv
fi
PY_PACKAGES=(pytest jupyter_client jupyter_kernel_test nbclient nbformat pyzmq numpy jupyter_console websocket-client pyarrow)
if [[ "${1:-}" == "--with-lab" ]]; then PY_PACKAGES+=(jupyterlab); fi
if ! .venv/bin/python -c "import pytest, jupyter_client, jupyter_kernel_test, nbclient, zmq, numpy, websocket, pyarrow, jupyter_console" 2>/dev/null \
   || { [[ "${1:-}" == "--with-lab" ]] && ! .venv/bin/python -c "import jupyterlab" 2>/dev/null; }; then
  echo "setup: installing Python tools into .venv"
  .venv/bin/pip install -q --disable-pip-version-check "${PY_PACKAGES[@]}"
fi

bash scripts/fetch-minilm.sh
