#!/usr/bin/env python3
"""Writes the small array fixtures in Tests/VistaDataTests/Fixtures/arrays/ with numpy, scipy and the
`safetensors` library (run with /work/venv-st/bin/python, which has all three plus torch for bfloat16).

Every float array holds value(i, j) = i * 10 + j + 0.25 (exactly representable in f16/bf16 for these sizes),
so tests check the formula rather than stored numbers.
"""
import os

import numpy as np
import scipy.sparse
import torch
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "VistaDataTests", "Fixtures", "arrays")


def grid(rows, cols, dtype):
    i, j = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    return (i * 10 + j + 0.25).astype(dtype)


def main():
    os.makedirs(OUT, exist_ok=True)
    p = lambda name: os.path.join(OUT, name)
    np.save(p("f16.npy"), grid(2, 3, np.float16))
    np.save(p("f32.npy"), grid(3, 4, np.float32))
    np.save(p("f64.npy"), grid(4, 2, np.float64))
    np.save(p("f32_fortran.npy"), np.asfortranarray(grid(3, 4, np.float32)))
    np.save(p("f32_3d_fortran.npy"), np.asfortranarray(np.arange(24, dtype=np.float32).reshape(2, 3, 4)))
    np.save(p("i64.npy"), np.arange(5, dtype=np.int64) * 3)
    np.save(p("i32.npy"), np.arange(6, dtype=np.int32).reshape(2, 3) - 2)
    for version in [(2, 0), (3, 0)]:
        with open(p(f"f32_v{version[0]}.npy"), "wb") as f:
            np.lib.format.write_array(f, grid(3, 4, np.float32), version=version)
    bad = grid(2, 3, np.float32)
    bad[1, 2] = np.nan
    np.save(p("nan.npy"), bad)
    inf = grid(2, 3, np.float32)
    inf[0, 1] = np.inf
    np.save(p("inf.npy"), inf)
    with open(p("f32.npy"), "rb") as f:
        whole = f.read()
    with open(p("truncated.npy"), "wb") as f:
        f.write(whole[:-10])
    np.save(p("big_endian.npy"), grid(2, 2, ">f4"))

    np.savez(p("stored.npz"), W_enc=grid(3, 4, np.float32), b_enc=grid(1, 4, np.float32)[0], counts=np.arange(4, dtype=np.int64))
    np.savez_compressed(p("deflated.npz"), W_enc=grid(3, 4, np.float32), b_enc=grid(1, 4, np.float32)[0])

    save_file({
        "f16": torch.from_numpy(grid(2, 3, np.float32)).to(torch.float16),
        "bf16": torch.from_numpy(grid(2, 3, np.float32)).to(torch.bfloat16),
        "f32": torch.from_numpy(grid(3, 4, np.float32)),
        "f64": torch.from_numpy(grid(4, 2, np.float64)),
        "i64": torch.arange(5, dtype=torch.int64) * 3,
    }, p("mixed.safetensors"), metadata={"source": "make-array-fixtures"})
    with open(p("mixed.safetensors"), "rb") as f:
        whole = f.read()
    with open(p("truncated.safetensors"), "wb") as f:
        f.write(whole[:-16])

    dense = np.zeros((4, 6), dtype=np.float32)
    dense[0, 1] = 1.5
    dense[0, 4] = -2.0
    dense[2, 0] = 3.25
    dense[3, 5] = 0.5
    dense[3, 2] = 7.0
    scipy.sparse.save_npz(p("csr_scipy.npz"), scipy.sparse.csr_matrix(dense), compressed=True)
    np.save(p("csr_dense.npy"), dense)
    print("fixtures in", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
