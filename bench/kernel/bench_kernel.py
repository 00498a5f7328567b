#!/usr/bin/env python3
"""Kernel protocol benchmark: vista against ipykernel, measured the same way in the same run.

A raw pyzmq client (DEALER shell + control, SUB iopub, HMAC-SHA256 signing) measures
  * request-to-idle latency of a trivial execute (vista `6*7`, ipykernel `1+1`): p50 and p99 of
    N sequential requests after warm-up;
  * pipelined throughput: N executes sent back to back, executes/s until the last reply and idle;
  * spawn-to-ready: process start to the first kernel_info_reply (the client connects first with a
    1 ms reconnect interval and sends kernel_info_request at once), median of several spawns.

Usage (release build first):  swift build -c release
  .venv/bin/python bench/kernel/bench_kernel.py [--vista-bin .build/release/vista] [--n 2000] [--spawns 7]
Targets: p50 <= 0.5 ms, p99 <= 5 ms, >= 2000 executes/s, spawn-to-ready <= 50 ms.
"""
import argparse
import hashlib
import hmac
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

import zmq
from jupyter_client.connect import write_connection_file

DELIM = b"<IDS|MSG>"
REPO = pathlib.Path(__file__).resolve().parents[2]


class Client:
    def __init__(self, ctx, info, key):
        self.key = key
        self.session = uuid.uuid4().hex
        self.sockets = []

        def sock(kind, port):
            s = ctx.socket(kind)
            s.linger = 0
            s.setsockopt(zmq.RECONNECT_IVL, 1)
            s.connect(f"tcp://127.0.0.1:{port}")
            self.sockets.append(s)
            return s

        self.shell = sock(zmq.DEALER, info["shell_port"])
        self.control = sock(zmq.DEALER, info["control_port"])
        self.iopub = sock(zmq.SUB, info["iopub_port"])
        self.iopub.setsockopt(zmq.RCVHWM, 0)
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.counter = 0

    def frames(self, msg_type, content):
        self.counter += 1
        header = {"msg_id": f"{self.session}_{self.counter}", "msg_type": msg_type, "session": self.session,
                  "username": "bench", "date": "2026-01-01T00:00:00.000000Z", "version": "5.3"}
        parts = [json.dumps(header).encode(), b"{}", b"{}", json.dumps(content).encode()]
        mac = hmac.new(self.key, digestmod=hashlib.sha256)
        for p in parts:
            mac.update(p)
        return header["msg_id"], [DELIM, mac.hexdigest().encode()] + parts

    def execute(self, code):
        msg_id, frames = self.frames("execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True})
        self.shell.send_multipart(frames)
        return msg_id

    @staticmethod
    def parent_and_type(frames):
        i = frames.index(DELIM)
        header = json.loads(frames[i + 2])
        parent = json.loads(frames[i + 3])
        return header["msg_type"], parent.get("msg_id"), frames[i + 5]

    def wait_idle(self, msg_id):
        while True:
            msg_type, parent, content = self.parent_and_type(self.iopub.recv_multipart())
            if parent == msg_id and msg_type == "status" and b'"idle"' in content:
                return

    def close(self):
        for s in self.sockets:
            s.close()


def spawn(kind, vista_bin, tmp):
    key = uuid.uuid4().hex.encode()
    path, info = write_connection_file(os.path.join(tmp, f"kernel-{uuid.uuid4().hex}.json"), key=key)
    env = dict(os.environ)
    if kind == "vista":
        argv = [vista_bin, "kernel", "--connection-file", path]
        env.setdefault("OPENBLAS_CORETYPE", "SkylakeX" if "avx512f" in open("/proc/cpuinfo").read() else "Haswell")
    else:
        argv = [sys.executable, "-m", "ipykernel_launcher", "-f", path]
    return argv, env, info, key


def spawn_to_ready(ctx, kind, vista_bin, tmp):
    argv, env, info, key = spawn(kind, vista_bin, tmp)
    client = Client(ctx, info, key)
    msg_id, frames = client.frames("kernel_info_request", {})
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client.shell.send_multipart(frames)
    if not client.shell.poll(60000):
        raise RuntimeError(f"{kind} did not answer kernel_info")
    client.shell.recv_multipart()
    elapsed = time.perf_counter() - start
    return elapsed, proc, client


def shutdown(ctx, proc, client):
    _, frames = client.frames("shutdown_request", {"restart": False})
    client.control.send_multipart(frames)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    client.close()


def measure(kind, code, vista_bin, n, spawns, tmp):
    ctx = zmq.Context()
    ready_times = []
    for _ in range(spawns):
        elapsed, proc, client = spawn_to_ready(ctx, kind, vista_bin, tmp)
        ready_times.append(elapsed)
        shutdown(ctx, proc, client)
    _, proc, client = spawn_to_ready(ctx, kind, vista_bin, tmp)
    time.sleep(0.5)  # let the IOPub subscription settle
    for _ in range(50):
        client.wait_idle(client.execute(code))
        client.shell.recv_multipart()
    latencies = []
    for _ in range(n):
        t0 = time.perf_counter()
        msg_id = client.execute(code)
        client.wait_idle(msg_id)
        latencies.append(time.perf_counter() - t0)
        # The reply arrived before idle; take it off the queue.
        client.shell.recv_multipart()
    latencies.sort()
    # Pipelined: all requests back to back, then every reply and the last idle. IOPub is drained while
    # waiting, so no high-water mark drops the final idle.
    t0 = time.perf_counter()
    ids = [client.execute(code) for _ in range(n)]
    replies, idle_seen = 0, False
    poller = zmq.Poller()
    poller.register(client.shell, zmq.POLLIN)
    poller.register(client.iopub, zmq.POLLIN)
    while replies < n or not idle_seen:
        events = dict(poller.poll(60000))
        if not events:
            raise RuntimeError(f"{kind}: pipelined run stalled after {replies} replies")
        if client.shell in events:
            client.shell.recv_multipart()
            replies += 1
        if client.iopub in events:
            msg_type, parent, content = client.parent_and_type(client.iopub.recv_multipart())
            idle_seen |= parent == ids[-1] and msg_type == "status" and b'"idle"' in content
    throughput = n / (time.perf_counter() - t0)
    shutdown(ctx, proc, client)
    ctx.term()
    return {
        "p50": latencies[len(latencies) // 2] * 1e3,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1e3,
        "throughput": throughput,
        "ready": statistics.median(ready_times) * 1e3,
    }


def echo_floor(n):
    """The same client loop against a trivial pyzmq ROUTER/XPUB echo in another process: the latency
    floor of the client, loopback and this machine's scheduling (no kernel work at all)."""
    server = subprocess.Popen([sys.executable, "-c", ECHO_SERVER], stdout=subprocess.PIPE, text=True)
    shell_port, iopub_port = (int(x) for x in server.stdout.readline().split())
    ctx = zmq.Context()
    client = Client(ctx, {"shell_port": shell_port, "control_port": shell_port, "iopub_port": iopub_port}, b"k")
    time.sleep(0.5)
    latencies = []
    for i in range(n + 50):
        t0 = time.perf_counter()
        client.wait_idle(client.execute("x"))
        client.shell.recv_multipart()
        if i >= 50:
            latencies.append(time.perf_counter() - t0)
    latencies.sort()
    server.kill()
    client.close()
    ctx.term()
    return latencies[len(latencies) // 2] * 1e3, latencies[int(len(latencies) * 0.99)] * 1e3


ECHO_SERVER = """
import json, zmq
ctx = zmq.Context()
shell = ctx.socket(zmq.ROUTER); shell_port = shell.bind_to_random_port("tcp://127.0.0.1")
iopub = ctx.socket(zmq.XPUB); iopub_port = iopub.bind_to_random_port("tcp://127.0.0.1")
print(shell_port, iopub_port, flush=True)
poller = zmq.Poller(); poller.register(shell, zmq.POLLIN); poller.register(iopub, zmq.POLLIN)
while True:
    events = dict(poller.poll())
    if iopub in events:
        iopub.recv_multipart()
        continue
    frames = shell.recv_multipart()
    shell.send_multipart(frames)
    i = frames.index(b"<IDS|MSG>")
    iopub.send_multipart([b"t", b"<IDS|MSG>", b"", b'{"msg_type":"status"}', frames[i + 2], b"{}",
                          b'{"execution_state":"idle"}'])
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vista-bin", default=str(REPO / ".build" / "release" / "vista"))
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--spawns", type=int, default=7)
    parser.add_argument("--skip-ipykernel", action="store_true")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-kernel-")
    os.environ.setdefault("VISTA_HISTORY", os.path.join(tmp, "history.jsonl"))
    vista = measure("vista", "6*7", args.vista_bin, args.n, args.spawns, tmp)
    ipy = None if args.skip_ipykernel else measure("ipykernel", "1+1", None, args.n, args.spawns, tmp)
    rows = [("request->idle p50 (ms)", "p50", 0.5, False), ("request->idle p99 (ms)", "p99", 5.0, False),
            ("pipelined executes/s", "throughput", 2000, True), ("spawn->kernel_info_reply (ms)", "ready", 50, False)]
    print(f"{'metric':32} {'vista':>10} {'ipykernel':>10} {'speed-up':>9} {'target':>8}  met")
    for label, key, target, higher_is_better in rows:
        v = vista[key]
        ok = v >= target if higher_is_better else v <= target
        if ipy:
            ratio = v / ipy[key] if higher_is_better else ipy[key] / v
            print(f"{label:32} {v:10.3f} {ipy[key]:10.3f} {ratio:8.1f}x {target:8}  {'yes' if ok else 'NO'}")
        else:
            print(f"{label:32} {v:10.3f} {'-':>10} {'-':>9} {target:8}  {'yes' if ok else 'NO'}")
    floor = echo_floor(args.n)
    print(f"{'floor: pyzmq echo p50 / p99 (ms)':32} {floor[0]:10.3f} {floor[1]:10.3f}   (no kernel: client + loopback + scheduler)")
    print(f"(N={args.n} executes, {args.spawns} spawns, binary {args.vista_bin}, load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
