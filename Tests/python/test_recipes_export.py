"""`export layout` in every format reads back in Python to the same table (issue 5: "for use in pandas or R")."""
import csv
import json
import subprocess

import numpy as np

from test_recipes import write_fixture


def test_every_export_format_reads_back_to_the_same_table(vista_bin, tmp_path):
    captions, codes = write_fixture(tmp_path)
    script = tmp_path / "export.vista"
    script.write_text(
        f"load {captions}\ncodes load {codes}\nselect latent=2 top=60%\n"
        "layout umap neighbors=5 epochs=40\ntiles 6x4 min=1\n"
        f"export layout {tmp_path / 'l.csv'}\nexport layout {tmp_path / 'l.jsonl'}\n"
        f"export layout {tmp_path / 'l.parquet'}\nexport layout {tmp_path / 'cols'}\n")
    result = subprocess.run([str(vista_bin), "run", str(script), "--out", str(tmp_path / "out"), "--cache", "none"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr

    with open(tmp_path / "l.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert 0 < len(rows) <= 24, "at most 60% of the 40 captions are selected"
    assert list(rows[0].keys()) == ["id", "caption", "x", "y", "tile", "cluster", "activation"]
    ids = [r["id"] for r in rows]
    x = np.array([float(r["x"]) for r in rows], dtype=np.float32)

    lines = [json.loads(line) for line in (tmp_path / "l.jsonl").read_text().splitlines()]
    assert [line["id"] for line in lines] == ids
    assert np.array_equal(np.array([line["x"] for line in lines], dtype=np.float32), x)
    assert [line["caption"] for line in lines] == [r["caption"] for r in rows]

    schema = json.loads((tmp_path / "cols" / "schema.json").read_text())
    assert [c["name"] for c in schema["columns"]] == list(rows[0].keys())
    assert list(np.load(tmp_path / "cols" / "id.npy")) == ids
    assert np.array_equal(np.load(tmp_path / "cols" / "x.npy"), x)
    assert list(np.load(tmp_path / "cols" / "tile.npy")) == [int(r["tile"]) for r in rows]

    import pyarrow.parquet as pq  # installed by scripts/setup.sh
    table = pq.read_table(tmp_path / "l.parquet")
    assert table.column_names == list(rows[0].keys())
    assert table.num_rows == len(rows)
    assert table.column("id").to_pylist() == ids
    assert table.column("caption").to_pylist() == [r["caption"] for r in rows]
    assert np.array_equal(table.column("x").to_numpy(), x)
    assert table.column("cluster").to_pylist() == [int(r["cluster"]) for r in rows]
    assert str(table.schema.field("x").type) == "float"
    assert str(table.schema.field("id").type) == "string"
