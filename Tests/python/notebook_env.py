"""Where the kernels of the notebook tests keep their cache and find the MiniLM weights.

By default the shared home ($VISTA_NOTEBOOK_HOME, else ~/.cache/vista, where scripts/setup.sh puts the
weights), so re-runs reuse encodings and SAEs and the suite stays fast. VISTA_NOTEBOOK_FRESH=1 gives a fresh,
empty home with the weights linked in, to prove the notebooks compute everything from scratch (slower).
"""
import os
from pathlib import Path


def shared_home():
    return Path(os.environ.get("VISTA_NOTEBOOK_HOME", Path.home() / ".cache" / "vista"))


def kernel_home(tmp_path):
    if os.environ.get("VISTA_NOTEBOOK_FRESH") == "1":
        home = tmp_path / "vista-home"
        home.mkdir()
        models = shared_home() / "models"
        if models.is_dir():
            # The weights are an input, not a cached result: link them so only computations start cold.
            (home / "models").symlink_to(models)
        return home
    return shared_home()
