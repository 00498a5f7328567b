"""`vista install` and `vista version`: the kernelspec Jupyter finds, with logos and the right argv/env."""
import json
import os
import pathlib
import re
import subprocess

from jupyter_client.kernelspec import KernelSpecManager

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]


def _blas_core(vista_bin, out, **env):
    """The OpenBLAS kernel `vista run` computes with (from its `version` output), under os.environ plus `env`."""
    base = {k: v for k, v in os.environ.items() if k != "VISTA_NO_REEXEC"}
    subprocess.run([str(vista_bin), "run", "-", "--out", str(out), "--cache", "none"], input="version\n",
                   env=dict(base, **env), capture_output=True, text=True, check=True, timeout=60)
    return re.search(r"OpenBLAS (\w+)", (out / "001-version.txt").read_text()).group(1)


def test_installed_spec_is_found_and_complete(vista_kernelspec, vista_prefix, vista_bin, tmp_path):
    spec = KernelSpecManager().get_kernel_spec(vista_kernelspec)
    assert pathlib.Path(spec.resource_dir) == vista_prefix / "share" / "jupyter" / "kernels" / "vista"
    assert spec.argv == [str(vista_bin), "kernel", "--connection-file", "{connection_file}"]
    assert os.path.isabs(spec.argv[0])
    assert spec.language == "vista"
    assert spec.interrupt_mode == "signal"
    assert spec.metadata["supported_encryption"] == ["curve"]
    # The kernel does not re-exec, so the spec's env forces the core the CLI's re-exec switches to on this
    # machine (OpenBLASCoreType), and nothing where OpenBLAS's own pick is kept.
    detected = _blas_core(vista_bin, tmp_path / "detected", VISTA_NO_REEXEC="1")
    runtime = _blas_core(vista_bin, tmp_path / "runtime")
    assert spec.env.get("OPENBLAS_CORETYPE") == (runtime if runtime != detected else None)
    flags = open("/proc/cpuinfo").read().split()
    if "avx2" in flags and "fma" in flags and "OPENBLAS_CORETYPE" not in os.environ:
        assert runtime != "Prescott"
    for logo in ("logo-32x32.png", "logo-64x64.png", "logo-svg.svg"):
        installed = pathlib.Path(spec.resource_dir, logo).read_bytes()
        assert installed == (REPO_ROOT / "kernelspec" / logo).read_bytes(), logo
    assert pathlib.Path(spec.resource_dir, "logo-64x64.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_message_mode_variant(vista_prefix):
    spec = KernelSpecManager().get_kernel_spec("vista-message")
    assert spec.interrupt_mode == "message"


def test_install_user_and_errors(tmp_path, vista_bin):
    env = dict(os.environ, JUPYTER_DATA_DIR=str(tmp_path / "data"))
    out = subprocess.run([str(vista_bin), "install", "--user", "--name", "Vista-Test"], env=env,
                         capture_output=True, text=True, check=True).stdout
    target = tmp_path / "data" / "kernels" / "vista-test"
    assert str(target) in out
    assert json.loads((target / "kernel.json").read_text())["display_name"] == "VISTA"
    bad = subprocess.run([str(vista_bin), "install", "--user", "--prefix", str(tmp_path)], capture_output=True, text=True)
    assert bad.returncode != 0 and "at most one" in bad.stderr
    bad = subprocess.run([str(vista_bin), "install", "--prefix", str(tmp_path), "--name", "no spaces"],
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "--name" in bad.stderr


def test_version(vista_bin):
    out = subprocess.run([str(vista_bin), "version"], capture_output=True, text=True, check=True).stdout
    assert out.startswith("vista ") and out.strip().split()[1].count(".") == 2


def test_kernel_reports_bad_connection_file(tmp_path, vista_bin):
    path = tmp_path / "kernel-broken.json"
    path.write_text('{"shell_port": 1}')
    result = subprocess.run([str(vista_bin), "kernel", "--connection-file", str(path)], capture_output=True, text=True,
                            timeout=10)
    assert result.returncode != 0
    assert "iopub_port" in result.stderr and str(path) in result.stderr
