"""JupyterLab on loopback and headless Chromium driven over the DevTools protocol, for end-to-end tests.

Nothing here knows about VISTA: a test starts a `LabServer` on a folder, opens a notebook in a `Chromium`
page and asks the running JupyterLab app (exposed as `window.jupyterapp`) to run cells.
"""
import base64
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import websocket


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(what, predicate, timeout, interval=0.25):
    """Polls `predicate` until it returns a truthy value; fails naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as error:  # noqa: BLE001 - retried until the deadline, then reported
            last_error = error
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}" + (f" (last error: {last_error})" if last_error else ""))


def _stop_process_group(process, grace=10):
    """SIGTERM then SIGKILL to the process group we started (the server's kernels and the browser's helpers)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(5)


class LabServer:
    """A JupyterLab server on 127.0.0.1 with a random port and token, and its own config, settings,
    workspace and runtime folders so the user's own Jupyter set-up cannot leak in."""

    def __init__(self, root_dir, home, jupyter_path, extra_env=None, log_path=None):
        self.root_dir = Path(root_dir)
        self.home = Path(home)
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.base_url = f"http://127.0.0.1:{self.port}"
        settings = self.home / "lab-settings"
        # Render every cell (no virtual scrolling), so all outputs are in the DOM for the assertions,
        # and do not pop up the "news" and update notifications over the notebook.
        self._write_settings(settings / "@jupyterlab/notebook-extension/tracker.jupyterlab-settings",
                             {"windowingMode": "none"})
        self._write_settings(settings / "@jupyterlab/apputils-extension/notification.jupyterlab-settings",
                             {"fetchNews": "false", "checkForUpdates": False, "doNotDisturbMode": True})
        env = dict(os.environ)
        env.update({
            "JUPYTER_PATH": os.pathsep.join(str(p) for p in jupyter_path),
            "JUPYTER_CONFIG_DIR": str(self.home / "config"),
            "JUPYTER_RUNTIME_DIR": str(self.home / "runtime"),
            "JUPYTER_DATA_DIR": str(self.home / "data"),
            "JUPYTERLAB_SETTINGS_DIR": str(settings),
            "JUPYTERLAB_WORKSPACES_DIR": str(self.home / "workspaces"),
        })
        env.update(extra_env or {})
        self.log_path = Path(log_path or self.home / "jupyterlab.log")
        self._log = open(self.log_path, "wb")
        command = [
            sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root_dir}",
            "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=", "--ServerApp.disable_check_xsrf=False",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        self.process = subprocess.Popen(command, cwd=self.root_dir, env=env, stdout=self._log,
                                        stderr=subprocess.STDOUT, start_new_session=True)

    @staticmethod
    def _write_settings(path, value):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))

    def api(self, path, method="GET", timeout=10):
        request = urllib.request.Request(f"{self.base_url}/api/{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def wait_ready(self, timeout=120):
        def ready():
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {self.process.returncode}; log:\n{self.log_tail()}")
            return self.api("status") is not None
        try:
            _wait("JupyterLab to answer /api/status", ready, timeout, interval=0.5)
        except TimeoutError as error:
            raise TimeoutError(f"{error}\n{self.log_tail()}") from None

    def url(self, notebook):
        return f"{self.base_url}/lab/tree/{notebook}?token={self.token}&reset"

    def log_tail(self, size=4000):
        self._log.flush()
        return self.log_path.read_bytes()[-size:].decode(errors="replace")

    def close(self):
        """Shuts the kernels down through the API first (so they exit cleanly), then the server."""
        try:
            if self.process.poll() is None:
                for kernel in self.api("kernels"):
                    self.api(f"kernels/{kernel['id']}", method="DELETE", timeout=20)
        except Exception:  # noqa: BLE001 - best effort; the process group is stopped below either way
            pass
        _stop_process_group(self.process)
        self._log.close()


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "chromium-headless-shell"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Chromium:
    """Headless Chromium with one page, driven over the Chrome DevTools Protocol (websocket-client)."""

    def __init__(self, profile_dir, width=1400, height=1800):
        self.profile_dir = Path(profile_dir)
        self.profile_dir.mkdir(parents=True, exist_ok=True)
        binary = find_chromium()
        if binary is None:
            raise RuntimeError("chromium is not installed (apt-get install chromium)")
        self._log = open(self.profile_dir / "chromium.log", "wb")
        self.process = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
             "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
             "--mute-audio", f"--window-size={width},{height}", "--remote-debugging-port=0",
             "--remote-allow-origins=*", f"--user-data-dir={self.profile_dir}", "about:blank"],
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        self._next_id = 0
        self.events = []
        port_file = self.profile_dir / "DevToolsActivePort"
        port = _wait("Chromium's DevToolsActivePort file",
                     lambda: port_file.exists() and port_file.read_text().split("\n")[0].strip(), 60)
        self.devtools = f"http://127.0.0.1:{port}"

        def page_target():
            with urllib.request.urlopen(f"{self.devtools}/json/list", timeout=5) as response:
                targets = json.loads(response.read())
            return next((t for t in targets if t.get("type") == "page"), None)
        target = _wait("Chromium's page target", page_target, 30)
        self.socket = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=60,
                                                  suppress_origin=True)
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def call(self, method, params=None, timeout=60):
        """Sends one DevTools command and returns its result; events that arrive meanwhile are kept."""
        self._next_id += 1
        message_id = self._next_id
        self.socket.settimeout(timeout)
        self.socket.send(json.dumps({"id": message_id, "method": method, "params": params or {}}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"DevTools {method} failed: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def evaluate(self, expression, timeout=60):
        """Evaluates JavaScript in the page (awaiting promises) and returns its JSON value."""
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True, "timeout": timeout * 1000}, timeout + 5)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise RuntimeError(f"JavaScript error: {text}")
        return result["result"].get("value")

    def wait_for(self, what, expression, timeout, interval=0.5):
        return _wait(what, lambda: self.evaluate(expression), timeout, interval)

    def navigate(self, url):
        self.call("Page.navigate", {"url": url})

    def console_errors(self):
        """Console errors and uncaught exceptions seen so far (for diagnostics in failure messages)."""
        out = []
        for event in self.events:
            if event.get("method") == "Runtime.exceptionThrown":
                out.append(event["params"]["exceptionDetails"].get("text", ""))
            elif event.get("method") == "Runtime.consoleAPICalled" and event["params"].get("type") == "error":
                out.append(" ".join(str(a.get("value", a.get("description", ""))) for a in event["params"]["args"]))
        return out

    def screenshot(self, path, clip=None):
        params = {"format": "png", "captureBeyondViewport": False}
        if clip:
            params["clip"] = dict(clip, scale=1)
        data = base64.b64decode(self.call("Page.captureScreenshot", params)["data"])
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(data)
        return data

    def close(self):
        try:
            self.call("Browser.close", timeout=10)
        except Exception:  # noqa: BLE001 - the process group is stopped below either way
            pass
        try:
            self.socket.close()
        except Exception:  # noqa: BLE001
            pass
        _stop_process_group(self.process, grace=5)
        self._log.close()
