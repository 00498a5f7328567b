"""End to end in a real browser: JupyterLab on loopback, the quickstart notebook opened with the VISTA
kernel in headless Chromium, every cell run, and the map preview and the explorer checked in the DOM.

The screenshots are kept as test artefacts: artifacts/jupyterlab-quickstart.png (the map preview and the
explorer below it, both asserted to be in the captured area) and artifacts/jupyterlab-quickstart-explorer.png
(the explorer at the top).

Needs JupyterLab (`scripts/setup.sh --with-lab`), websocket-client and Debian's chromium; skipped with the
reason when one is missing.
"""
import os
import shutil
import time
from pathlib import Path

import pytest

from browser_lab import Chromium, LabServer, find_chromium
from notebook_env import kernel_home
from png_pixels import assert_not_blank

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO_ROOT / "notebooks"
ARTIFACTS = REPO_ROOT / "artifacts"
NOTEBOOK = "quickstart.ipynb"
# Selectors that identify the explorer's root element in an output (VistaRender's explorer HTML).
EXPLORER_SELECTOR = "[data-vista-explorer], .vista-explorer, [id^='vista-explorer']"
SCREENSHOT_HEIGHT = 2400
RUN_TIMEOUT = float(os.environ.get("VISTA_E2E_TIMEOUT", "600"))

try:
    import jupyterlab  # noqa: F401
    import websocket  # noqa: F401
    _MISSING = None if find_chromium() else "chromium is not installed"
except ImportError as error:
    _MISSING = f"{error.name} is not installed (scripts/setup.sh --with-lab)"

if _MISSING is not None:
    # A missing browser or JupyterLab is a broken set-up (scripts/setup.sh --with-lab installs both), not a skip.
    pytest.fail(_MISSING, pytrace=False)


def _panel(path):
    """JavaScript for the notebook panel showing `path` (found by path: the focus-based
    `currentWidget` is unreliable in a headless page)."""
    return f"Array.from(jupyterapp.shell.widgets('main')).find(w => w.context && w.context.path === {path!r})"


def _cells_state(panel):
    """JavaScript returning, per cell: type, execution count, and its outputs as nbformat JSON."""
    return f"""(() => {{
      const m = {panel}.content.model; const out = [];
      for (let i = 0; i < m.cells.length; i++) {{
        const c = m.cells.get(i);
        out.push({{type: c.type, count: c.type === 'code' ? c.executionCount : null,
                   outputs: c.type === 'code' ? c.outputs.toJSON() : []}});
      }}
      return out; }})()"""


@pytest.fixture
def lab_root(tmp_path):
    """A temporary copy of notebooks/ (data files included) so running cells never edits the repository."""
    if not (NOTEBOOKS / NOTEBOOK).is_file():
        pytest.fail(f"notebooks/{NOTEBOOK} is missing (tools/make-notebooks.py writes it)")
    root = tmp_path / "lab-root"
    shutil.copytree(NOTEBOOKS, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return root


@pytest.fixture
def lab(lab_root, tmp_path, vista_prefix, vista_kernelspec):
    server = LabServer(lab_root, tmp_path / "lab-home", [vista_prefix / "share" / "jupyter"],
                       extra_env={"VISTA_HOME": str(kernel_home(tmp_path))}, log_path=tmp_path / "jupyterlab.log")
    try:
        server.wait_ready()
        yield server
    finally:
        server.close()


@pytest.fixture
def browser(tmp_path):
    chromium = Chromium(tmp_path / "chromium-profile", width=1400, height=1800)
    try:
        chromium.call("Emulation.setFocusEmulationEnabled", {"enabled": True})
        yield chromium
    finally:
        chromium.close()


def _run_all_cells(lab, browser, notebook):
    panel = _panel(notebook)
    browser.navigate(lab.url(notebook))
    browser.wait_for("JupyterLab to open the notebook", f"!!(window.jupyterapp && {panel})", 180)
    kernel_name = browser.wait_for(
        "the VISTA kernel to start and go idle",
        f"""(() => {{ const s = {panel}.sessionContext;
             return s.isReady && s.session && s.session.kernel && s.session.kernel.status === 'idle'
                    && s.session.kernel.name; }})()""", 120)
    assert kernel_name == "vista", f"the notebook started kernel {kernel_name!r}, not vista"
    # The committed notebook carries its outputs: clear them first, so everything checked below is fresh.
    browser.evaluate(f"""(async () => {{ const p = {panel}; jupyterapp.shell.activateById(p.id);
        await jupyterapp.commands.execute('notebook:clear-all-cell-outputs'); return true; }})()""")
    leftover = browser.evaluate("document.querySelectorAll('.jp-OutputArea-output').length")
    assert leftover == 0, f"{leftover} outputs survived clear-all-cell-outputs"
    browser.evaluate(f"""(() => {{ const p = {panel}; jupyterapp.shell.activateById(p.id);
        window.__vistaRunAll = 'running';
        jupyterapp.commands.execute('notebook:run-all-cells')
          .then(ok => {{ window.__vistaRunAll = ok ? 'done' : 'failed'; }},
                err => {{ window.__vistaRunAll = 'error: ' + err; }});
        return true; }})()""")
    started = time.monotonic()
    deadline = started + RUN_TIMEOUT
    while True:
        status = browser.evaluate("window.__vistaRunAll")
        cells = browser.evaluate(_cells_state(panel))
        errors = [o for c in cells for o in c["outputs"] if o.get("output_type") == "error"]
        assert not errors, f"a cell failed in JupyterLab: {errors[0].get('ename')}: {errors[0].get('evalue')}"
        if status != "running":
            break
        assert time.monotonic() < deadline, f"cells still running after {RUN_TIMEOUT:.0f} s"
        time.sleep(1)
    assert status == "done", f"run-all-cells ended with {status!r}"
    browser.wait_for("the kernel to go idle after the run",
                     f"{panel}.sessionContext.session.kernel.status === 'idle'", 60)
    return cells, time.monotonic() - started


def _scroll_into_view(browser, selector):
    browser.evaluate(f"""(() => {{ const e = document.querySelector({selector!r});
        if (e) e.scrollIntoView({{block: 'start'}}); return !!e; }})()""")
    time.sleep(0.5)


def test_quickstart_runs_in_jupyterlab_and_shows_map_and_explorer(lab, browser):
    cells, seconds = _run_all_cells(lab, browser, NOTEBOOK)
    code_cells = [c for c in cells if c["type"] == "code"]
    assert code_cells, "the notebook has no code cells"
    unrun = [i for i, c in enumerate(code_cells) if c["count"] is None]
    assert not unrun, f"code cells {unrun} were not executed"

    # The map preview: PNG outputs rendered as <img>, decoded by the browser, drawn on (checked by pixels).
    images = browser.evaluate("""Array.from(document.querySelectorAll('.jp-OutputArea-output img'))
        .map(i => ({src: i.src.slice(0, 22) === 'data:image/png;base64,' ? i.src.slice(22) : null,
                    complete: i.complete, w: i.naturalWidth, h: i.naturalHeight}))""")
    assert images, "no image output in the DOM"
    broken = [i for i in images if not i["complete"] or i["w"] == 0]
    assert not broken, f"{len(broken)} image(s) failed to decode in the browser"
    largest = max(images, key=lambda i: i["w"] * i["h"])
    assert largest["w"] >= 400 and largest["h"] >= 200, f"the largest image is only {largest['w']}x{largest['h']}"
    for index, image in enumerate(images):
        if image["src"]:
            assert_not_blank(image["src"], f"image {index} in the JupyterLab DOM")

    # The explorer: one self-contained HTML output whose script ran (trusted, since we ran it here).
    explorer = browser.evaluate(f"""(() => {{
        const root = Array.from(document.querySelectorAll({EXPLORER_SELECTOR!r}))
                       .find(e => e.closest('.jp-OutputArea-output'));
        if (!root) return null;
        const box = root.getBoundingClientRect();
        const canvases = Array.from(root.querySelectorAll('canvas')).map(c => [c.width, c.height]);
        const svgs = root.querySelectorAll('svg').length;
        return {{width: box.width, height: box.height, canvases, svgs,
                 text: root.innerText.slice(0, 200)}}; }})()""")
    assert explorer is not None, f"no explorer element ({EXPLORER_SELECTOR}) in the outputs"
    assert explorer["width"] >= 300 and explorer["height"] >= 200, f"the explorer is not laid out: {explorer}"
    assert explorer["canvases"] or explorer["svgs"], f"the explorer drew nothing: {explorer}"

    # Screenshots: one with the map preview (the last full-width map image) at the top and the explorer below
    # it, both checked to be inside the captured viewport; then one with the explorer at the top.
    browser.evaluate("jupyterapp.shell.collapseLeft(); true")
    ARTIFACTS.mkdir(exist_ok=True)
    browser.call("Emulation.setDeviceMetricsOverride",
                 {"width": 1400, "height": SCREENSHOT_HEIGHT, "deviceScaleFactor": 1, "mobile": False})
    time.sleep(1)
    visible = browser.evaluate(f"""(() => {{
        const maps = Array.from(document.querySelectorAll('.jp-OutputArea-output img'))
                          .filter(i => i.naturalWidth >= 1000);
        const preview = maps[maps.length - 1];
        const explorer = Array.from(document.querySelectorAll({EXPLORER_SELECTOR!r}))
                              .find(e => e.closest('.jp-OutputArea-output'));
        if (!preview || !explorer) return {{preview: !!preview, explorer: !!explorer}};
        preview.scrollIntoView({{block: 'start'}});
        const inView = e => {{ const r = e.getBoundingClientRect();
                              return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }};
        return {{preview: inView(preview), explorer: inView(explorer)}}; }})()""")
    time.sleep(0.5)
    assert visible == {"preview": True, "explorer": True}, f"map preview and explorer not both in view: {visible}"
    shot = browser.screenshot(ARTIFACTS / "jupyterlab-quickstart.png")
    facts = assert_not_blank(shot, "artifacts/jupyterlab-quickstart.png")
    assert facts["distinct_colours"] > 200, f"the screenshot looks empty: {facts}"
    _scroll_into_view(browser, EXPLORER_SELECTOR)
    explorer_shot = browser.screenshot(ARTIFACTS / "jupyterlab-quickstart-explorer.png")
    assert_not_blank(explorer_shot, "artifacts/jupyterlab-quickstart-explorer.png")
    print(f"quickstart ran in JupyterLab in {seconds:.1f} s; {len(images)} images; explorer {explorer}")
