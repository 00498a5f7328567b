"""Headless runs of `.vista` recipes: `vista run SCRIPT.vista --out DIR` (issue 5).

What must hold: a saved recipe re-run headless gives byte-identical outputs, whether it computes
everything (cold cache) or finds everything in the disk cache (warm), and the first error stops the
run with SCRIPT:LINE.
"""
import filecmp
import json
import pathlib
import signal
import subprocess
import time


TIMEOUT = 600


def run_script(vista_bin, script, out, cache, extra_env=None):
    """Runs `vista run` and returns the CompletedProcess (never raises on a non-zero exit)."""
    args = [str(vista_bin), "run", str(script), "--out", str(out), "--cache", str(cache)]
    return subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT, env=extra_env)


def assert_same_folders(a, b):
    """Both folders hold the same file names with the same bytes."""
    names_a = sorted(p.name for p in pathlib.Path(a).iterdir())
    names_b = sorted(p.name for p in pathlib.Path(b).iterdir())
    assert names_a == names_b
    match, mismatch, errors = filecmp.cmpfiles(a, b, names_a, shallow=False)
    assert mismatch == [] and errors == [], f"differing outputs: {mismatch} {errors}"
    return names_a


def test_basic_script_writes_stable_names_and_manifest(vista_bin, tmp_path):
    script = tmp_path / "basic.vista"
    script.write_text('# basics\ndisplay "hello, world"\necho one \\\n  two\nversion\n')
    out = tmp_path / "out"
    result = run_script(vista_bin, script, out, tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert "manifest.json" in names
    assert any(n.startswith("001-display.") for n in names), names
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "ok"
    assert manifest["commands"] == 3
    html = (out / "001-display.html").read_text()
    assert "hello, world" in html
    lines = [entry["line"] for entry in manifest["outputs"]]
    assert lines == sorted(lines) and lines[0] == 2


def test_first_error_stops_with_file_and_line(vista_bin, tmp_path):
    script = tmp_path / "broken.vista"
    script.write_text('display "before"\n\n# comment\nfrobnicate now\ndisplay "never"\n')
    out = tmp_path / "out"
    result = run_script(vista_bin, script, out, tmp_path / "cache")
    assert result.returncode != 0
    assert f"{script}:4:" in result.stderr, result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "error"
    assert not any("never" in (out / n).read_text() for n in manifest_files(manifest))


def test_script_from_standard_input_and_from_a_pipe(vista_bin, tmp_path):
    source = 'display "from a pipe"\nfrobnicate\n'
    for name, args, stdin in [
        ("<stdin>", ["-"], source),
        ("/dev/stdin", ["/dev/stdin"], source),
    ]:
        out = tmp_path / f"out-{len(args[0])}"
        result = subprocess.run([str(vista_bin), "run", *args, "--out", str(out), "--cache", "none"],
                                input=stdin, capture_output=True, text=True, timeout=TIMEOUT)
        # The first command ran, the second is a typo reported at the script's own line 2.
        assert result.returncode != 0
        assert f"{name}:2:" in result.stderr, result.stderr
        assert "from a pipe" in (out / "001-display.html").read_text()
    not_utf8 = subprocess.run([str(vista_bin), "run", "-", "--out", str(tmp_path / "bad"), "--cache", "none"],
                              input=b"display \xff\xfe\n", capture_output=True, timeout=TIMEOUT)
    assert not_utf8.returncode != 0 and b"not UTF-8" in not_utf8.stderr, not_utf8.stderr


def test_missing_script_or_a_folder_is_named(vista_bin, tmp_path):
    for path, message in [(tmp_path / "nope.vista", "no such file"), (tmp_path, "is a folder")]:
        result = run_script(vista_bin, path, tmp_path / "out", "none")
        assert result.returncode != 0
        assert f"{path}: {message}" in result.stderr, result.stderr


def manifest_files(manifest):
    return [f for entry in manifest["outputs"] for f in entry.get("files", [entry.get("file")]) if f]


def test_refuses_to_write_into_a_foreign_folder(vista_bin, tmp_path):
    script = tmp_path / "s.vista"
    script.write_text("version\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "precious.txt").write_text("keep me")
    result = run_script(vista_bin, script, out, tmp_path / "cache")
    assert result.returncode != 0
    assert (out / "precious.txt").read_text() == "keep me"


def test_ctrl_c_stops_the_running_command_and_names_its_line(vista_bin, tmp_path):
    script = tmp_path / "slow.vista"
    script.write_text('display "first"\nsleep 60\ndisplay "never"\n')
    out = tmp_path / "out"
    args = [str(vista_bin), "run", str(script), "--out", str(out), "--cache", str(tmp_path / "cache")]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    started = time.monotonic()
    _, stderr = process.communicate(timeout=20)
    assert time.monotonic() - started < 10, "the interrupt must stop the sleeping command promptly"
    assert process.returncode != 0
    assert f"{script}:2" in stderr, stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "error"
    assert [e["command"] for e in manifest["outputs"]] == ['display "first"']


# The pipeline recipe: small captions, the session's stages, the outputs a researcher looks at,
# and `save recipe` so the saved script can be re-run too. Written against the command texts of issue 5.
PIPELINE = """\
set seed=3
load {captions}
codes load {codes}
select latent=2 top=60%
layout umap neighbors=5 min_dist=0.1 epochs=60
gain
tiles 6x4 min=1
preview width=400
status
sweep layout neighbors=4,6 min_dist=0.05,0.3 columns=2
export layout {export}
save recipe {recipe}
"""


def write_fixture(tmp_path):
    """A tiny caption set and matching precomputed codes (captions x latents) for the pipeline."""
    import numpy as np

    rng = np.random.default_rng(7)
    words = ["red", "blue", "dog", "cat", "car", "tree", "sky", "boat", "house", "bird"]
    captions = tmp_path / "captions.tsv"
    rows = ["id\tcaption"]
    for i in range(40):
        rows.append(f"c{i}\ta {words[i % 10]} near a {words[(i * 3 + 1) % 10]} number {i}")
    captions.write_text("\n".join(rows) + "\n")
    codes = np.maximum(rng.normal(size=(40, 8)).astype(np.float32), 0)
    codes_path = tmp_path / "codes.npy"
    np.save(codes_path, codes)
    return captions, codes_path


def test_recipe_rerun_headless_gives_byte_identical_outputs(vista_bin, tmp_path):
    captions, codes = write_fixture(tmp_path)
    recipe = tmp_path / "saved.vista"
    script = tmp_path / "pipeline.vista"
    script.write_text(PIPELINE.format(captions=captions, codes=codes, recipe=recipe, export=tmp_path / "layout.csv"))
    cache = tmp_path / "cache"

    cold = run_script(vista_bin, script, tmp_path / "cold", cache)
    assert cold.returncode == 0, cold.stderr
    saved_cold = recipe.read_text()
    assert any(p.suffix == ".vcache" for p in cache.rglob("*")), "the cold run fills the disk cache"
    warm = run_script(vista_bin, script, tmp_path / "warm", cache)
    assert warm.returncode == 0, warm.stderr
    assert recipe.read_text() == saved_cold, "the saved recipe is byte-stable"
    names = assert_same_folders(tmp_path / "cold", tmp_path / "warm")
    assert any(n.endswith(".html") or n.endswith(".png") for n in names), names

    # The saved recipe reproduces the session: running it (cold and warm) gives identical outputs too.
    saved = recipe.read_text()
    assert saved.startswith("# VISTA recipe")
    assert "set seed=3" in saved
    first = run_script(vista_bin, recipe, tmp_path / "r1", tmp_path / "cache-r")
    assert first.returncode == 0, first.stderr
    second = run_script(vista_bin, recipe, tmp_path / "r2", tmp_path / "cache-r")
    assert second.returncode == 0, second.stderr
    assert_same_folders(tmp_path / "r1", tmp_path / "r2")
    assert recipe.read_text() == saved, "re-running a recipe saves the same recipe"
