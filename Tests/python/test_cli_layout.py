"""`vista layout` and `vista gain` as scripts use them: a layout of a small array, its scores, and
clear errors that name the option or file at fault."""
import subprocess

import numpy as np


def run(vista_bin, *args):
    return subprocess.run([str(vista_bin), *map(str, args)], capture_output=True, text=True, timeout=120)


def blobs(path, n=60, seed=3):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=8, size=(3, 5))
    data = np.concatenate([c + rng.normal(size=(n // 3, 5)) for c in centres]).astype(np.float32)
    np.save(path, data)
    return data


def test_layout_then_gain_with_trustworthiness(tmp_path, vista_bin):
    high = tmp_path / "high.npy"
    blobs(high)
    low = tmp_path / "low.npy"
    done = run(vista_bin, "layout", high, "--out", low, "--seed", "1", "--neighbors", "10")
    assert done.returncode == 0, done.stderr
    layout = np.load(low)
    assert layout.shape == (60, 2) and np.isfinite(layout).all()
    scored = run(vista_bin, "gain", "--high", high, "--low", low, "--trustworthiness", "10")
    assert scored.returncode == 0, scored.stderr
    assert "max gain" in scored.stdout
    trust = float(scored.stdout.split("trustworthiness ")[1].split(",")[0])
    assert 0.8 < trust <= 1, scored.stdout


def test_gain_names_the_option_and_the_file_at_fault(tmp_path, vista_bin):
    high = tmp_path / "high.npy"
    blobs(high, n=30)
    low = tmp_path / "low.npy"
    np.save(low, np.random.default_rng(1).normal(size=(30, 2)).astype(np.float32))
    too_many = run(vista_bin, "gain", "--high", high, "--low", low, "--trustworthiness", "15")
    assert too_many.returncode != 0
    assert "option --trustworthiness" in too_many.stderr and "below n/2" in too_many.stderr, too_many.stderr
    other_points = tmp_path / "other.npy"
    np.save(other_points, np.zeros((29, 2), dtype=np.float32))
    mismatch = run(vista_bin, "gain", "--high", high, "--low", other_points, "--trustworthiness", "15")
    assert mismatch.returncode != 0 and "option --trustworthiness" not in mismatch.stderr, mismatch.stderr
    assert "30" in mismatch.stderr and "29" in mismatch.stderr, mismatch.stderr
    missing = run(vista_bin, "gain", "--high", tmp_path / "nowhere.npy", "--low", low)
    assert missing.returncode != 0 and "nowhere.npy" in missing.stderr, missing.stderr
