"""Shared pytest fixtures for every Python test of the vista kernel.

Fixtures other test files can use:

- ``vista_bin`` (session): absolute path of the built ``vista`` executable. Taken from ``$VISTA_BIN``,
  else ``.build/debug/vista`` or ``.build/release/vista`` under the repository root (the newest wins).
- ``vista_kernelspec`` (session): installs the kernelspec with ``vista install --prefix <tmp>`` and
  returns its name ("vista"). A second spec, "vista-message", uses ``interrupt_mode: message``.
- ``vista_prefix`` (session): the temporary prefix holding ``share/jupyter/kernels``.
- ``jupyter_path`` (autouse): points ``JUPYTER_PATH`` at that prefix and sets ``VISTA_HOME`` and
  ``VISTA_HISTORY`` to per-session temporary paths, so tests never touch the user's files.
- ``kernel`` (function): a started ``(KernelManager, BlockingKernelClient)`` pair for "vista",
  shut down afterwards.

Environment variables are set at import time too, so unittest-style classes (jupyter_kernel_test)
that start kernels in ``setUpClass`` see them.
"""
import os
import pathlib
import subprocess
import sys
import tempfile

import pytest

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
_SESSION_DIR = pathlib.Path(tempfile.mkdtemp(prefix="vista-pytest-"))
PREFIX = _SESSION_DIR / "prefix"
KERNEL_NAME = "vista"
MESSAGE_KERNEL_NAME = "vista-message"


def find_vista_bin():
    explicit = os.environ.get("VISTA_BIN")
    if explicit:
        path = pathlib.Path(explicit).resolve()
        if not path.is_file():
            raise RuntimeError(f"VISTA_BIN={explicit} is not a file")
        return path
    candidates = [REPO_ROOT / ".build" / config / "vista" for config in ("debug", "release")]
    existing = [c for c in candidates if c.is_file()]
    if not existing:
        raise RuntimeError("no vista binary: run `swift build` first or set VISTA_BIN")
    return max(existing, key=lambda p: p.stat().st_mtime).resolve()


def _install_specs(binary):
    for name, mode in ((KERNEL_NAME, "signal"), (MESSAGE_KERNEL_NAME, "message")):
        subprocess.run(
            [str(binary), "install", "--prefix", str(PREFIX), "--name", name, "--interrupt-mode", mode],
            check=True, capture_output=True, text=True)


def _configure_environment():
    os.environ["JUPYTER_PATH"] = str(PREFIX / "share" / "jupyter")
    os.environ.setdefault("VISTA_HOME", str(_SESSION_DIR / "home"))
    os.environ["VISTA_HISTORY"] = str(_SESSION_DIR / "history.jsonl")
    os.environ.setdefault("JUPYTER_RUNTIME_DIR", str(_SESSION_DIR / "runtime"))
    os.environ["JUPYTER_PLATFORM_DIRS"] = "1"


_configure_environment()
VISTA_BIN = find_vista_bin()
_install_specs(VISTA_BIN)


@pytest.fixture(scope="session")
def vista_bin():
    return VISTA_BIN


@pytest.fixture(scope="session")
def vista_prefix():
    return PREFIX


@pytest.fixture(scope="session")
def vista_kernelspec():
    return KERNEL_NAME


@pytest.fixture(autouse=True)
def jupyter_path():
    _configure_environment()
    yield os.environ["JUPYTER_PATH"]


@pytest.fixture
def kernel(vista_kernelspec):
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name=vista_kernelspec, startup_timeout=60)
    try:
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def python_executable():
    return sys.executable
