"""Every notebook in notebooks/ is re-executed headless with nbclient on the VISTA kernel, and its outputs
are judged by content: no error outputs, every PNG decodes and is visibly drawn on, every HTML table has
rows, and each notebook meets the expectations it declares in its metadata (`metadata.vista.expect`,
written by tools/make-notebooks.py): a minimum of images and tables, and the explorer when it shows one.

The notebooks run in a temporary copy of notebooks/ (so relative data paths work and nothing in the
repository changes). The kernel's cache and weights: see notebook_env.py (shared by default, fresh with
VISTA_NOTEBOOK_FRESH=1).
"""
import os
import re
import shutil
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from notebook_env import kernel_home
from png_pixels import assert_not_blank

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO_ROOT / "notebooks"
CELL_TIMEOUT = int(os.environ.get("VISTA_NOTEBOOK_CELL_TIMEOUT", "600"))
# Wall-clock budget per notebook; the notebooks are written to finish in about 3 minutes on 2 cores.
NOTEBOOK_BUDGET = float(os.environ.get("VISTA_NOTEBOOK_BUDGET", "900"))
EXPLORER_MARKER = re.compile(r"data-vista-explorer|class=\"vista-explorer|id=\"vista-explorer")


def _notebook_paths():
    return sorted(p for p in NOTEBOOKS.glob("*.ipynb") if not p.name.startswith("."))


def _outputs(nb):
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                yield index, output


def _html_tables(html):
    """Row counts of each <table> in an HTML string (data rows: <tr> holding a <td>)."""
    tables = re.findall(r"<table\b.*?</table>", html, flags=re.S | re.I)
    rows = [re.findall(r"<tr\b.*?(?:</tr>|(?=<tr\b)|$)", t, flags=re.S | re.I) for t in tables]
    return [sum(1 for row in table if re.search(r"<td\b", row, flags=re.I)) for table in rows]


def check_outputs(nb, name):
    """Asserts the content rules on an executed notebook; returns counts for the expectations."""
    counts = {"images": 0, "tables": 0, "explorer": 0}
    for index, output in _outputs(nb):
        where = f"{name} cell {index}"
        kind = output.get("output_type")
        assert kind != "error", f"{where}: error output {output.get('ename')}: {output.get('evalue')}"
        data = output.get("data", {})
        if "image/png" in data:
            png = data["image/png"]
            assert_not_blank("".join(png) if isinstance(png, list) else png, where)
            counts["images"] += 1
        html = data.get("text/html")
        if html is not None:
            html = "".join(html) if isinstance(html, list) else html
            for rows in _html_tables(html):
                assert rows >= 1, f"{where}: an HTML table without data rows"
                counts["tables"] += 1
            if EXPLORER_MARKER.search(html):
                counts["explorer"] += 1
        if kind in ("display_data", "execute_result"):
            assert "text/plain" in data, f"{where}: a rich output without its text/plain fallback"
    return counts


def check_expectations(nb, counts, name):
    expect = nb.metadata.get("vista", {}).get("expect", {})
    assert counts["images"] >= expect.get("min_images", 0), f"{name}: {counts['images']} images, expected {expect}"
    assert counts["tables"] >= expect.get("min_tables", 0), f"{name}: {counts['tables']} tables, expected {expect}"
    if expect.get("explorer"):
        assert counts["explorer"] >= 1, f"{name}: no explorer output"


@pytest.mark.parametrize("path", _notebook_paths(), ids=lambda p: p.name)
def test_notebook_executes_with_good_outputs(path, tmp_path, monkeypatch, vista_kernelspec):
    saved = nbformat.read(path, as_version=4)
    workdir = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, workdir, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.ipynb"))
    monkeypatch.setenv("VISTA_HOME", str(kernel_home(tmp_path)))

    nb = nbformat.read(path, as_version=4)
    kernel_name = nb.metadata.get("kernelspec", {}).get("name", vista_kernelspec)
    assert kernel_name == vista_kernelspec, f"{path.name} asks for kernel {kernel_name!r}, not {vista_kernelspec!r}"
    client = NotebookClient(nb, kernel_name=kernel_name, timeout=CELL_TIMEOUT, startup_timeout=60,
                            allow_errors=False, resources={"metadata": {"path": str(workdir)}})
    started = time.monotonic()
    client.execute()
    seconds = time.monotonic() - started
    print(f"{path.name}: executed in {seconds:.1f} s")

    counts = check_outputs(nb, path.name)
    check_expectations(nb, counts, path.name)
    assert seconds <= NOTEBOOK_BUDGET, f"{path.name} took {seconds:.0f} s, over the {NOTEBOOK_BUDGET:.0f} s budget"

    # The committed file carries its outputs (it must read well on GitHub), and they pass the same checks.
    unexecuted = [i for i, c in enumerate(saved.cells) if c.cell_type == "code" and c.get("execution_count") is None]
    assert not unexecuted, f"{path.name} is saved without outputs in cells {unexecuted} (run tools/make-notebooks.py)"
    check_expectations(saved, check_outputs(saved, f"saved {path.name}"), f"saved {path.name}")


def test_table_row_counter():
    """The table rule itself: a header-only table has no data rows; row headers (<th> then <td>) count."""
    assert _html_tables("<table><tr><th>a</th></tr></table>") == [0]
    assert _html_tables("<table><thead><tr><th>a</th></tr></thead><tr><td>1</td></tr>"
                        "<tr><th>r</th><td>2</td></tr></table><p><table><tr><td>x</td></tr></table>") == [2, 1]


def _csr_npz_to_dense(path):
    import numpy as np
    archive = np.load(path)
    rows, cols = (int(v) for v in archive["shape"])
    dense = np.zeros((rows, cols), dtype=np.float32)
    indptr, indices, data = archive["indptr"], archive["indices"], archive["data"]
    for r in range(rows):
        dense[r, indices[indptr[r]:indptr[r + 1]]] = data[indptr[r]:indptr[r + 1]]
    return dense


def test_own_activations_fixture_agrees_with_vista_sae_apply(vista_bin, tmp_path):
    """notebooks/data/own/codes.npz (JumpReLU applied by numpy in tools/make-notebook-data.py) is what
    `vista sae apply` computes from the same Gemma Scope params.npz and activations, so the notebook's
    `codes load` shows the same codes a researcher gets from the CLI."""
    import subprocess
    import numpy as np
    own = NOTEBOOKS / "data" / "own"
    out = tmp_path / "codes.npz"
    subprocess.run([str(vista_bin), "sae", "apply", "--sae", str(own / "params.npz"),
                    "--activations", str(own / "activations.npy"), "--out", str(out)],
                   check=True, capture_output=True, text=True, timeout=120)
    ours, committed = _csr_npz_to_dense(out), _csr_npz_to_dense(own / "codes.npz")
    assert ours.shape == committed.shape
    assert ((ours > 0) == (committed > 0)).all(), "the CLI and the fixture disagree on which latents fire"
    np.testing.assert_allclose(ours, committed, rtol=1e-4, atol=1e-4)
