"""The explorer page driven in headless Chromium (DevTools protocol): it loads offline, draws every point,
finds captions by search, shows a tooltip on hover, and a box selection produces the comm message.

The page comes from the Swift test `ExplorerTests.testWritesTheBrowserSample`, which writes
`explorer-sample.html` (+ a small atlas pyramid) into `$VISTA_TEST_ARTIFACTS`. This test uses
`$VISTA_EXPLORER_SAMPLE` when set; else re-runs that one XCTest from the built test bundle
(`$VISTA_TEST_BUNDLE`, or .build/debug|release/vistaPackageTests.xctest) into a temporary folder; else
uses /tmp/vista-artifacts/explorer-sample.html from an earlier `swift test`. The screenshot is
saved as artifacts/explorer-browser.png under the repository root.
"""
import json
import os
import pathlib
import re
import shutil
import subprocess

import numpy as np
import pytest

from browser_lab import Chromium, find_chromium
from png_pixels import decode_png

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
INSTANCE = "vx-sample"


def _test_bundles():
    """$VISTA_TEST_BUNDLE, else the package's own .build/{debug,release} test bundle."""
    explicit = os.environ.get("VISTA_TEST_BUNDLE")
    candidates = [pathlib.Path(explicit)] if explicit else []
    candidates += [REPO_ROOT / ".build" / config / "vistaPackageTests.xctest" for config in ("debug", "release")]
    return [c for c in candidates if c.is_file()]


def _sample_page(tmp_path):
    """Uses $VISTA_EXPLORER_SAMPLE when set, else regenerates the page with the newest built test bundle,
    else falls back to the default artifact path."""
    explicit = os.environ.get("VISTA_EXPLORER_SAMPLE")
    if explicit:
        return _copy_sample(pathlib.Path(explicit), tmp_path)
    bundles = sorted(_test_bundles(), key=lambda p: p.stat().st_mtime, reverse=True)
    for bundle in bundles:
        env = dict(os.environ, VISTA_TEST_ARTIFACTS=str(tmp_path))
        run = subprocess.run([str(bundle), "VistaRenderTests.ExplorerTests/testWritesTheBrowserSample"],
                             env=env, capture_output=True, text=True, timeout=300)
        page = tmp_path / "explorer-sample.html"
        if run.returncode == 0 and page.is_file():
            return page
    return _copy_sample(pathlib.Path("/tmp/vista-artifacts/explorer-sample.html"), tmp_path)


def _copy_sample(existing, tmp_path):
    if not existing.is_file():
        pytest.fail(f"no explorer sample at {existing}: run `swift test --filter ExplorerTests` first")
    shutil.copy(existing, tmp_path / existing.name)
    atlas = existing.parent / "explorer-sample-atlas"
    if atlas.is_dir():
        shutil.copytree(atlas, tmp_path / atlas.name)
    return tmp_path / existing.name


def _data_block(html, instance):
    match = re.search(rf'<script type="application/json" id="{instance}-data">(.*?)</script>', html, re.S)
    assert match, "the page embeds its data block"
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    if find_chromium() is None:
        pytest.fail("chromium is not installed (scripts/setup.sh installs it)")
    folder = tmp_path_factory.mktemp("explorer")
    path = _sample_page(folder)
    html = path.read_text()
    # A second explorer on the same page, as two outputs in one notebook would be.
    body = re.search(r"<body[^>]*>(.*)</body>", html, re.S).group(1)
    double = folder / "two-explorers.html"
    double.write_text(html.replace("</body>", body.replace(INSTANCE, "vx-second") + "</body>"))
    browser = Chromium(folder / "profile", width=1300, height=900)
    browser.call("Network.enable")
    browser.call("Network.emulateNetworkConditions",
                 {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    yield {"browser": browser, "path": path, "html": html, "data": _data_block(html, INSTANCE), "double": double}
    browser.close()


def _open(browser, path, instance=INSTANCE):
    browser.navigate(path.as_uri())
    browser.wait_for("the explorer to start",
                     f"!!(window.vistaExplorer && window.vistaExplorer.instances[{json.dumps(instance)}])", 30)


def _inst(instance=INSTANCE):
    return f"window.vistaExplorer.instances[{json.dumps(instance)}]"


def test_page_is_self_contained(page):
    html = page["html"]
    assert not re.search(r"https?://", html), "no external URL in the page"
    assert "<link" not in html.lower() and not re.search(r"<script[^>]*\ssrc=", html, re.I)


def test_without_scripts_the_saved_picture_shows(page):
    """An untrusted saved notebook strips scripts: the page must still show the map as a picture."""
    browser = page["browser"]
    stripped = re.sub(r"<script>.*?</script>", "", page["html"], flags=re.S)
    path = page["path"].with_name("no-script.html")
    path.write_text(stripped)
    browser.navigate(path.as_uri())
    browser.wait_for("the page", "document.readyState === 'complete'", 10)
    size = browser.evaluate(f"(function(){{var i = document.getElementById('{INSTANCE}-static');"
                            " return [i.naturalWidth, i.getBoundingClientRect().height, getComputedStyle(i).display];})()")
    assert size[0] == 600 and size[1] > 100 and size[2] == "block"


def test_loads_offline_and_draws_every_point(page):
    browser = page["browser"]
    _open(browser, page["path"])
    n = page["data"]["n"]
    assert browser.evaluate(f"{_inst()}.drawnCount") == n
    assert browser.evaluate(f"document.getElementById('{INSTANCE}').getAttribute('data-drawn')") == str(n)
    assert browser.evaluate(f"{_inst()}.labelCount") >= 3, "labels are drawn"
    assert browser.evaluate(f"document.getElementById('{INSTANCE}-static').style.display") == "none", \
        "the static fallback picture gives way to the live canvas"
    requests = [e["params"]["request"]["url"] for e in browser.events if e.get("method") == "Network.requestWillBeSent"]
    assert all(u.startswith(("file:", "data:")) for u in requests), f"network requests: {requests[:5]}"
    assert not browser.console_errors(), browser.console_errors()
    shot = browser.screenshot(REPO_ROOT / "artifacts" / "explorer-browser.png")
    pixels = decode_png(shot)
    assert pixels.shape[1] == 1300
    assert len(np.unique(pixels[:, :, :3].reshape(-1, 3) // 8, axis=0)) > 100, "the screenshot is not blank"


def test_search_finds_captions_and_lists_them(page):
    browser = page["browser"]
    _open(browser, page["path"])
    captions = page["data"]["cap"]
    word = captions[0].split()[2].lower()
    expected = [i for i, c in enumerate(captions) if word in c.lower()]
    assert 0 < len(expected) < len(captions)
    browser.evaluate(f"document.getElementById('{INSTANCE}-search').focus()")
    browser.call("Input.insertText", {"text": word})
    found = browser.evaluate(f"{_inst()}.matches")
    assert sorted(found) == expected
    listed = browser.evaluate(f"document.querySelectorAll('#{INSTANCE}-list li').length")
    assert listed == min(300, len(expected))
    assert browser.evaluate(f"document.querySelector('#{INSTANCE}-list mark').textContent.toLowerCase()") == word


def test_hover_shows_caption_and_activation(page):
    browser = page["browser"]
    _open(browser, page["path"])
    data = page["data"]
    i = max(range(data["n"]), key=lambda k: data["a"][k])
    x, y = browser.evaluate(f"(function(){{var r = document.getElementById('{INSTANCE}-canvas').getBoundingClientRect();"
                            f" var p = {_inst()}.toScreen({i}); return [r.left + p[0], r.top + p[1]];}})()")
    browser.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
    tip = browser.wait_for("the tooltip", f"(function(){{var t = document.getElementById('{INSTANCE}-tip');"
                           " return t.style.display === 'block' && t.textContent;})()", 10)
    assert "activation" in tip
    assert f"{data['a'][i]:.3f}" in tip
    cols, rows = data["tiles"]["cols"], data["tiles"]["rows"]
    tile = f"tile {min(cols - 1, data['x'][i] * cols // data['q'])},{min(rows - 1, data['y'][i] * rows // data['q'])}"
    assert tile in tip


def test_box_selection_sends_the_expected_comm_message(page):
    browser = page["browser"]
    _open(browser, page["path"])
    data = page["data"]
    q, n = data["q"], data["n"]
    browser.evaluate(f"window.__events = []; document.getElementById('{INSTANCE}').addEventListener('vista-selection',"
                     " function(e){ window.__events.push(e.detail); })")
    # Programmatic rectangle in map units (edges between quantised coordinates, so no ties).
    x0, y0, x1, y1 = 0.30005, 0.20005, 0.65005, 0.70005
    expected = [i for i in range(n) if x0 <= data["x"][i] / q <= x1 and y0 <= data["y"][i] / q <= y1]
    assert len(expected) > 5
    browser.evaluate(f"{_inst()}.selectRect({x0}, {y0}, {x1}, {y1})")
    message = browser.evaluate("window.vistaExplorer.lastMessage")
    assert message["target"] == "vista.explorer"
    assert message["transport"] == "event", "no kernel on a file:// page: the DOM event carries it"
    assert message["data"]["event"] == "selection"
    assert message["data"]["indices"] == expected
    assert message["data"]["ids"] == [1000 + i for i in expected]
    assert browser.evaluate("window.__events.length") == 1
    assert browser.evaluate("window.__events[0].data.indices") == expected
    command = browser.evaluate(f"document.getElementById('{INSTANCE}-ids').value")
    assert command == "captions ids=" + ",".join(str(1000 + i) for i in expected)

    # The same through the mouse: shift-drag a box on the canvas.
    rect = browser.evaluate(f"(function(){{var r = document.getElementById('{INSTANCE}-canvas').getBoundingClientRect();"
                            " return [r.left, r.top, r.width, r.height];})()")
    ax, ay = rect[0] + rect[2] * 0.35, rect[1] + rect[3] * 0.3
    bx, by = rect[0] + rect[2] * 0.6, rect[1] + rect[3] * 0.75
    for kind, px, py, buttons in (("mousePressed", ax, ay, 1), ("mouseMoved", (ax + bx) / 2, (ay + by) / 2, 1),
                                  ("mouseMoved", bx, by, 1), ("mouseReleased", bx, by, 0)):
        browser.call("Input.dispatchMouseEvent", {"type": kind, "x": px, "y": py, "button": "left", "buttons": buttons,
                                                  "clickCount": 1, "modifiers": 8})
    m0 = browser.evaluate(f"{_inst()}.toMap({ax - rect[0]}, {ay - rect[1]})")
    m1 = browser.evaluate(f"{_inst()}.toMap({bx - rect[0]}, {by - rect[1]})")
    inside = [i for i in range(n) if m0[0] <= data["x"][i] / q <= m1[0] and m0[1] <= data["y"][i] / q <= m1[1]]
    got = browser.evaluate("window.vistaExplorer.lastMessage.data.indices")
    assert len(got) > 5
    # The lasso polygon follows the pointer path, so points within a pixel of the edge may differ.
    assert len(set(got) ^ set(inside)) <= max(2, len(inside) // 50), (len(got), len(inside))


def test_classic_notebook_transport_opens_a_comm(page):
    browser = page["browser"]
    _open(browser, page["path"])
    browser.evaluate("window.__comms = []; window.Jupyter = {notebook: {kernel: {comm_manager: {new_comm:"
                     " function(target, data){ window.__comms.push([target, data]); return {}; }}}}}")
    browser.evaluate(f"{_inst()}.selectRect(0, 0, 1, 1)")
    comms = browser.evaluate("window.__comms")
    assert len(comms) == 1 and comms[0][0] == "vista.explorer"
    assert comms[0][1]["event"] == "selection" and len(comms[0][1]["indices"]) == page["data"]["n"]
    assert browser.evaluate("window.vistaExplorer.lastMessage.transport") == "classic-notebook"


def test_two_explorers_on_one_page_do_not_clash(page):
    browser = page["browser"]
    _open(browser, page["double"])
    browser.wait_for("the second explorer", "!!window.vistaExplorer.instances['vx-second']", 10)
    n = page["data"]["n"]
    assert browser.evaluate(f"{_inst()}.drawnCount") == n
    assert browser.evaluate(f"{_inst('vx-second')}.drawnCount") == n
    browser.evaluate(f"{_inst('vx-second')}.search('zzzz-not-there')")
    assert browser.evaluate(f"{_inst()}.matches.length") == 0
    assert browser.evaluate("document.querySelectorAll('canvas').length") == 2


class _JupyterLikeServer:
    """Serves the page at /lab/tree/page.html and accepts the kernel websocket at
    /api/kernels/<id>/channels (RFC 6455 handshake, one masked text frame), recording what arrives."""

    def __init__(self, html):
        import base64
        import hashlib
        import socketserver
        import threading

        received = self.received = []
        page = html.encode()

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                request = self.rfile.readline().decode()
                headers = {}
                while True:
                    line = self.rfile.readline().decode().strip()
                    if not line:
                        break
                    key, _, value = line.partition(":")
                    headers[key.strip().lower()] = value.strip()
                path = request.split(" ")[1]
                if headers.get("upgrade", "").lower() != "websocket":
                    body = page if path.startswith("/lab/tree/") else b"not found"
                    status = "200 OK" if path.startswith("/lab/tree/") else "404 Not Found"
                    self.wfile.write(f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n"
                                     f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
                    return
                accept = base64.b64encode(hashlib.sha1((headers["sec-websocket-key"] +
                                          "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
                self.wfile.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                  f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())
                self.wfile.flush()
                head = self.rfile.read(2)
                length = head[1] & 0x7F
                if length == 126:
                    length = int.from_bytes(self.rfile.read(2), "big")
                elif length == 127:
                    length = int.from_bytes(self.rfile.read(8), "big")
                mask = self.rfile.read(4)
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(self.rfile.read(length)))
                received.append({"path": path, "message": json.loads(payload.decode())})

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_websocket_transport_sends_comm_open_to_the_kernel_channel(page):
    browser = page["browser"]
    marker = f'id="{INSTANCE}-data">{{'
    assert "kernelId" not in page["data"] and marker in page["html"]
    html = page["html"].replace(marker, marker + '"kernelId":"k-123",', 1)
    server = _JupyterLikeServer(html)
    try:
        # Loopback only: lift the offline emulation for this test.
        browser.call("Network.emulateNetworkConditions",
                     {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        browser.navigate(f"http://127.0.0.1:{server.port}/lab/tree/page.html?token=secret")
        browser.wait_for("the explorer", f"!!(window.vistaExplorer && {_inst()})", 30)
        ids = browser.evaluate(f"{_inst()}.selectRect(0.4, 0.2, 0.6, 0.8)")
        assert browser.evaluate("window.vistaExplorer.lastMessage.transport") == "websocket"
        import time
        deadline = time.monotonic() + 10
        while not server.received and time.monotonic() < deadline:
            time.sleep(0.1)
        assert server.received, "the kernel channel got a message"
        got = server.received[0]
        assert got["path"].startswith("/api/kernels/k-123/channels?session_id=") and got["path"].endswith("&token=secret")
        message = got["message"]
        assert message["channel"] == "shell"
        assert message["header"]["msg_type"] == "comm_open" and message["header"]["version"] == "5.3"
        assert message["content"]["target_name"] == "vista.explorer"
        assert len(message["content"]["comm_id"]) == 36
        assert message["content"]["data"]["event"] == "selection"
        assert message["content"]["data"]["indices"] == ids
    finally:
        browser.call("Network.emulateNetworkConditions",
                     {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        server.close()
