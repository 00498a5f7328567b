"""Hostile input through a raw ZeroMQ client: the kernel answers the valid messages, silently drops
the rest (one log line each), never crashes, and keeps its state. Also clients that subscribe to
IOPub late, or never."""
import contextlib
import hashlib
import hmac
import json
import os
import subprocess
import time
import uuid

import pytest
import zmq
from jupyter_client.connect import write_connection_file

DELIM = b"<IDS|MSG>"


class RawClient:
    """A minimal DEALER/SUB client that signs (or mis-signs) messages by hand."""

    def __init__(self, ctx, info, key, subscribe=True):
        self.key = key
        self.session = str(uuid.uuid4())
        self.shell = ctx.socket(zmq.DEALER)
        self.shell.linger = 0
        self.shell.connect(f"tcp://127.0.0.1:{info['shell_port']}")
        self.iopub = ctx.socket(zmq.SUB)
        self.iopub.linger = 0
        if subscribe:
            self.subscribe(info)

    def subscribe(self, info):
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.iopub.connect(f"tcp://127.0.0.1:{info['iopub_port']}")

    def sign(self, parts):
        mac = hmac.new(self.key, digestmod=hashlib.sha256)
        for p in parts:
            mac.update(p)
        return mac.hexdigest().encode()

    def frames(self, msg_type, content, msg_id=None):
        header = {"msg_id": msg_id or uuid.uuid4().hex, "msg_type": msg_type, "session": self.session,
                  "username": "test", "date": "2026-01-01T00:00:00.000000Z", "version": "5.5"}
        parts = [json.dumps(header).encode(), b"{}", b"{}", json.dumps(content).encode()]
        return header["msg_id"], [DELIM, self.sign(parts)] + parts

    def send(self, msg_type, content):
        msg_id, frames = self.frames(msg_type, content)
        self.shell.send_multipart(frames)
        return msg_id

    def execute(self, code):
        return self.send("execute_request", {"code": code, "silent": False, "store_history": True,
                                             "user_expressions": {}, "allow_stdin": False})

    def reply(self, timeout=5.0):
        if not self.shell.poll(int(timeout * 1000)):
            return None
        frames = self.shell.recv_multipart()
        i = frames.index(DELIM)
        signature, parts = frames[i + 1], frames[i + 2:i + 6]
        assert hmac.compare_digest(signature, self.sign(parts)), "kernel signature invalid"
        header, parent, _, content = (json.loads(p) for p in parts)
        return {"header": header, "parent": parent, "content": content}

    def iopub_until_idle(self, msg_id, timeout=10.0):
        got = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.iopub.poll(100):
                continue
            frames = self.iopub.recv_multipart()
            i = frames.index(DELIM)
            header, parent, _, content = (json.loads(p) for p in frames[i + 2:i + 6])
            if parent.get("msg_id") != msg_id:
                continue
            got.append((header["msg_type"], content))
            if header["msg_type"] == "status" and content["execution_state"] == "idle":
                return got
        raise AssertionError(f"no idle for {msg_id}: {got}")

    def close(self):
        self.shell.close()
        self.iopub.close()


@contextlib.contextmanager
def started_kernel(tmp_path, vista_bin, subscribe=True):
    """A kernel process on a fresh connection file, a RawClient for it, and what the tests need."""
    key = uuid.uuid4().hex.encode()
    path, info = write_connection_file(str(tmp_path / "kernel-hostile.json"), key=key)
    log = open(tmp_path / "kernel.log", "wb")
    proc = subprocess.Popen([str(vista_bin), "kernel", "--connection-file", path], stderr=log)
    ctx = zmq.Context()
    client = RawClient(ctx, info, key, subscribe=subscribe)
    try:
        yield proc, client, ctx, info, key, tmp_path / "kernel.log"
    finally:
        client.close()
        proc.terminate()
        proc.wait(timeout=5)
        ctx.term()
        log.close()


@pytest.fixture
def raw_kernel(tmp_path, vista_bin):
    with started_kernel(tmp_path, vista_bin) as started:
        _, client, *_ = started
        # Wait until the kernel answers, and the IOPub subscription is live (first message: welcome).
        deadline = time.monotonic() + 30
        while True:
            client.send("kernel_info_request", {})
            if client.reply(timeout=0.5):
                break
            assert time.monotonic() < deadline, "kernel did not start"
        time.sleep(0.2)
        yield started


def assert_silent(client, wait=0.3):
    assert client.reply(timeout=wait) is None, "the kernel answered a message it should have dropped"


def test_bad_messages_are_dropped_and_state_kept(raw_kernel):
    proc, client, ctx, info, key, log_path = raw_kernel
    first = client.execute("6*7")
    count = client.reply()["content"]["execution_count"]

    header = json.dumps({"msg_id": "x", "msg_type": "execute_request", "session": "s", "username": "u",
                         "date": "2026-01-01T00:00:00Z", "version": "5.5"}).encode()
    content = json.dumps({"code": "echo evil"}).encode()
    good_parts = [header, b"{}", b"{}", content]
    hostile = {
        "wrong signature": [DELIM, b"0" * 64] + good_parts,
        "missing signature": [DELIM, b""] + good_parts,
        "signature of other bytes": [DELIM, client.sign([header, b"{}", b"{}", b"{}"])] + good_parts,
        "missing delimiter": [client.sign(good_parts)] + good_parts,
        "truncated frames": [DELIM, client.sign(good_parts)] + good_parts[:2],
        "only a delimiter": [DELIM],
        "empty frame": [b""],
        "invalid JSON": [DELIM, client.sign([b"{not json", b"{}", b"{}", content]), b"{not json", b"{}", b"{}", content],
        "content not an object": [DELIM, client.sign([header, b"{}", b"{}", b"[1]"]), header, b"{}", b"{}", b"[1]"],
        "header without msg_type": [DELIM, client.sign([b"{}", b"{}", b"{}", content]), b"{}", b"{}", b"{}", content],
        "invalid UTF-8": [DELIM, client.sign([header, b"{}", b"{}", b'{"code":"\xff"}']), header, b"{}", b"{}", b'{"code":"\xff"}'],
        "NaN literal": [DELIM, client.sign([header, b"{}", b"{}", b'{"x":NaN}']), header, b"{}", b"{}", b'{"x":NaN}'],
    }
    for name, frames in hostile.items():
        client.shell.send_multipart(frames)
        assert_silent(client, wait=0.2)
    assert proc.poll() is None, "kernel died"
    log = log_path.read_text()
    assert log.count("dropped a message") == len(hostile), log

    # Unknown message types are bracketed by busy/idle but get no reply.
    msg_id = client.send("no_such_request", {})
    assert [t for t, _ in client.iopub_until_idle(msg_id)] == ["status", "status"]
    assert_silent(client)

    # State survives: the counter continues.
    client.execute("6*7")
    assert client.reply()["content"]["execution_count"] == count + 1


def test_ten_megabytes_of_code(raw_kernel):
    proc, client, ctx, info, key, log_path = raw_kernel
    code = "# " + "x" * (10 * 1024 * 1024) + "\n6*7"
    msg_id = client.execute(code)
    reply = client.reply(timeout=60)
    assert reply["content"]["status"] == "ok"
    io = client.iopub_until_idle(msg_id, timeout=60)
    assert [t for t, _ in io] == ["status", "execute_input", "execute_result", "status"]
    assert len(io[1][1]["code"]) == len(code)
    client.execute("echo still alive")
    assert client.reply()["content"]["status"] == "ok"


def test_two_clients_at_once(raw_kernel):
    proc, client, ctx, info, key, log_path = raw_kernel
    other = RawClient(ctx, info, key)
    try:
        sent = {}
        for i in range(50):
            sent[client.execute(f"echo a{i}")] = client
            sent[other.execute(f"echo b{i}")] = other
        seen = {client: set(), other: set()}
        for c in (client, other):
            for _ in range(50):
                r = c.reply()
                assert r is not None and r["content"]["status"] == "ok"
                seen[c].add(r["parent"]["msg_id"])
        assert seen[client] == {m for m, c in sent.items() if c is client}
        assert seen[other] == {m for m, c in sent.items() if c is other}
    finally:
        other.close()


def test_welcome_on_subscription(raw_kernel):
    proc, client, ctx, info, key, log_path = raw_kernel
    sub = ctx.socket(zmq.SUB)
    sub.linger = 0
    sub.setsockopt(zmq.SUBSCRIBE, b"")
    sub.connect(f"tcp://127.0.0.1:{info['iopub_port']}")
    assert sub.poll(5000)
    frames = sub.recv_multipart()
    i = frames.index(DELIM)
    assert hmac.compare_digest(frames[i + 1], client.sign(frames[i + 2:i + 6]))
    header, parent, _, content = (json.loads(p) for p in frames[i + 2:i + 6])
    assert header["msg_type"] == "iopub_welcome" and content == {"subscription": ""} and parent == {}
    assert header["version"] == "5.5" and header["date"].endswith("Z")
    sub.close()


@pytest.fixture
def unsubscribed_kernel(tmp_path, vista_bin):
    """A started kernel (its heartbeat answers) that no client has subscribed to yet."""
    with started_kernel(tmp_path, vista_bin, subscribe=False) as (_, client, ctx, info, *_):
        hb = ctx.socket(zmq.REQ)
        hb.linger = 0
        hb.connect(f"tcp://127.0.0.1:{info['hb_port']}")
        hb.send(b"ping")
        assert hb.poll(30000), "kernel did not start"
        hb.recv()
        hb.close()
        yield client, info


def test_outputs_wait_for_a_late_first_subscription(unsubscribed_kernel):
    """ZeroMQ's slow joiner: a client's IOPub subscription can arrive after its first request has
    been answered, and a PUB socket drops what it sends before then (jupyter console with piped
    input then waited forever for idle). Until the first subscription the kernel holds what it
    publishes, then sends it after the welcome; the reply itself is not held."""
    client, info = unsubscribed_kernel
    msg_id = client.execute("echo late-subscriber")
    assert client.reply(timeout=5)["content"]["status"] == "ok"
    time.sleep(0.3)  # the execute is over; the subscription comes well after it
    client.subscribe(info)
    assert client.iopub.poll(5000)
    frames = client.iopub.recv_multipart()
    header = json.loads(frames[frames.index(DELIM) + 2])
    assert header["msg_type"] == "iopub_welcome"
    got = client.iopub_until_idle(msg_id, timeout=10)
    assert [t for t, _ in got] == ["status", "execute_input", "stream", "status"], got
    assert got[2][1]["text"] == "late-subscriber\n"


def test_a_client_that_never_subscribes_is_answered(unsubscribed_kernel):
    """Holding IOPub for the first subscriber holds no reply: a shell-only client gets them all."""
    client, _ = unsubscribed_kernel
    client.execute("echo nobody-listens")
    first = client.reply(timeout=10)
    assert first is not None and first["content"]["status"] == "ok"
    client.execute("6*7")
    second = client.reply(timeout=10)
    assert second is not None and second["content"]["status"] == "ok"
