#!/usr/bin/env python3
"""Writes the notebooks in notebooks/ from the cell lists below, executes them on the VISTA kernel and saves
them WITH their outputs, so they read well on GitHub and anyone can regenerate them to the same result.

Usage (from the repository root, with the venv of scripts/setup.sh):
  .venv/bin/python tools/make-notebooks.py [--vista-bin PATH] [--only NAME ...] [--no-execute]

--vista-bin defaults to $VISTA_BIN, else .build/debug/vista. The kernelspec is installed into a temporary
prefix for the run, so nothing outside the repository changes. notebooks/basics.ipynb is written by hand
(the protocol layer's notebook) and is not touched here.

Each notebook's metadata carries `vista.expect` (minimum images and tables, whether the explorer is shown);
Tests/python/test_notebooks.py re-executes every notebook and checks those expectations.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO_ROOT / "notebooks"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from notebook_cells import NOTEBOOKS as SPECS  # noqa: E402  (the cell lists live beside this script)


def build(spec):
    """An nbformat notebook (no outputs yet) from a spec: title, expect, and a list of ("md"|"code", text)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "vista", "display_name": "VISTA", "language": "vista"}
    nb.metadata["language_info"] = {"name": "vista", "file_extension": ".vista", "mimetype": "text/x-vista"}
    nb.metadata["vista"] = {"expect": spec["expect"], "generated_by": "tools/make-notebooks.py"}
    for index, (kind, text) in enumerate(spec["cells"]):
        text = text.strip("\n")
        cell = nbformat.v4.new_markdown_cell(text) if kind == "md" else nbformat.v4.new_code_cell(text)
        cell.id = f"cell-{index:02d}"  # stable ids keep regenerated notebooks' diffs small
        nb.cells.append(cell)
    nbformat.validator.normalize(nb)
    return nb


def install_kernelspec(vista_bin, prefix):
    subprocess.run([str(vista_bin), "install", "--prefix", str(prefix)], check=True, capture_output=True, text=True)
    return prefix / "share" / "jupyter"


def execute(nb, timeout, workdir):
    """Runs the notebook in `workdir`, a copy of notebooks/ (data included), so files the cells write
    (exports, render plans) do not land in the repository."""
    client = NotebookClient(nb, kernel_name="vista", timeout=timeout, startup_timeout=60, allow_errors=False,
                            resources={"metadata": {"path": str(workdir)}})
    started = time.monotonic()
    client.execute()
    return time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vista-bin", default=os.environ.get("VISTA_BIN", str(REPO_ROOT / ".build/debug/vista")))
    parser.add_argument("--only", nargs="*", help="notebook names (without .ipynb) to write")
    parser.add_argument("--no-execute", action="store_true", help="write the cells without running them")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    args = parser.parse_args()

    names = args.only or list(SPECS)
    unknown = [n for n in names if n not in SPECS]
    if unknown:
        parser.error(f"unknown notebook(s) {unknown}; known: {list(SPECS)}")
    with tempfile.TemporaryDirectory(prefix="vista-notebooks-") as tmp:
        workdir = Path(tmp) / "notebooks"
        shutil.copytree(NOTEBOOKS, workdir, ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints", "out"))
        if not args.no_execute:
            vista_bin = Path(args.vista_bin)
            if not vista_bin.is_file():
                parser.error(f"--vista-bin {vista_bin} does not exist (swift build first)")
            os.environ["JUPYTER_PATH"] = str(install_kernelspec(vista_bin, Path(tmp) / "prefix"))
        for name in names:
            nb = build(SPECS[name])
            path = NOTEBOOKS / f"{name}.ipynb"
            if not args.no_execute:
                seconds = execute(nb, args.timeout, workdir)
                print(f"{path.relative_to(REPO_ROOT)}: executed in {seconds:.1f} s", flush=True)
            nbformat.write(nb, path)
            print(f"wrote {path.relative_to(REPO_ROOT)}", flush=True)


if __name__ == "__main__":
    main()
