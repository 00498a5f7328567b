"""Real Jupyter clients against the installed vista kernel: jupyter_client (execute, interrupt in
both modes, restart, shutdown, parent death), nbclient (notebooks/basics.ipynb) and jupyter console."""
import json
import os
import pathlib
import signal
import subprocess
import sys
import time

import nbformat
import pytest
from jupyter_client.connect import write_connection_file
from jupyter_client.manager import KernelManager, start_new_kernel
from nbclient import NotebookClient

from kernel_messages import collect_iopub

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]


def execute(kc, code, **kwargs):
    msg_id = kc.execute(code, **kwargs)
    reply = kc.get_shell_msg(timeout=15)
    assert reply["parent_header"]["msg_id"] == msg_id
    return reply, collect_iopub(kc, msg_id)


def test_execute_order_and_counter(kernel):
    km, kc = kernel
    reply, io = execute(kc, "echo one\n6*7")
    assert reply["content"]["status"] == "ok"
    assert [m["msg_type"] for m in io] == ["status", "execute_input", "stream", "execute_result", "status"]
    assert io[0]["content"]["execution_state"] == "busy"
    assert io[2]["content"] == {"name": "stdout", "text": "one\n"}
    assert io[3]["content"]["data"]["text/plain"] == "42"
    count = reply["content"]["execution_count"]
    assert io[1]["content"]["execution_count"] == count == io[3]["content"]["execution_count"]
    reply2, _ = execute(kc, "echo two")
    assert reply2["content"]["execution_count"] == count + 1


def test_silent_and_store_history(kernel):
    km, kc = kernel
    first, _ = execute(kc, "echo a")
    reply, io = execute(kc, "echo hidden", silent=True)
    assert [m["msg_type"] for m in io] == ["status", "status"]
    assert reply["content"]["status"] == "ok"
    assert reply["content"]["execution_count"] == first["content"]["execution_count"]
    reply, io = execute(kc, "echo shown", store_history=False)
    assert "stream" in [m["msg_type"] for m in io]
    assert reply["content"]["execution_count"] == first["content"]["execution_count"]
    after, _ = execute(kc, "echo b")
    assert after["content"]["execution_count"] == first["content"]["execution_count"] + 1


def test_user_expressions(kernel):
    km, kc = kernel
    reply, _ = execute(kc, "echo x", user_expressions={"answer": "6*7", "bad": "nosuchverb"})
    expressions = reply["content"]["user_expressions"]
    assert expressions["answer"]["status"] == "ok"
    assert expressions["answer"]["data"]["text/plain"] == "42"
    assert expressions["bad"]["status"] == "error"
    assert reply["content"]["status"] == "ok"


def test_error_reply_and_stop_on_error_aborts_queue(kernel):
    km, kc = kernel
    failing = kc.execute("sleep 0.3\n1/0")  # fails at run time, after the queue filled
    queued = [kc.execute("6*7"), kc.execute("echo never")]
    replies = {}
    while len(replies) < 3:
        msg = kc.get_shell_msg(timeout=15)
        replies[msg["parent_header"]["msg_id"]] = msg["content"]
    assert replies[failing]["status"] == "error"
    assert "line 2" in replies[failing]["evalue"]
    for msg_id in queued:
        assert replies[msg_id]["status"] == "error"
        assert replies[msg_id]["ename"] == "ExecutionAborted"
        assert "traceback" in replies[msg_id]
    # Without stop_on_error the next request runs normally.
    failing = kc.execute("sleep 0.2\n1/0", stop_on_error=False)
    after = kc.execute("6*7")
    got = {}
    while len(got) < 2:
        msg = kc.get_shell_msg(timeout=15)
        got[msg["parent_header"]["msg_id"]] = msg["content"]
    assert got[failing]["status"] == "error"
    assert got[after]["status"] == "ok"


def test_error_names_line_and_column(kernel):
    km, kc = kernel
    reply, io = execute(kc, "echo fine\n  nosuchverb here")
    errors = [m for m in io if m["msg_type"] == "error"]
    assert len(errors) == 1
    assert "line 2" in errors[0]["content"]["evalue"] and "column 3" in errors[0]["content"]["evalue"]
    assert [m["msg_type"] for m in io if m["msg_type"] == "stream"] == []


def test_complete_counts_code_points(kernel):
    km, kc = kernel
    code = "# häßlich 🗺\nec"
    kc.complete(code, len(code))
    reply = kc.get_shell_msg(timeout=10)["content"]
    assert reply["matches"] == ["echo"]
    assert reply["cursor_end"] == len(code)
    assert reply["cursor_start"] == len(code) - 2


def test_inspect_and_is_complete(kernel):
    km, kc = kernel
    kc.inspect("echo", 2)
    reply = kc.get_shell_msg(timeout=10)["content"]
    assert reply["found"] and "echo" in reply["data"]["text/plain"]
    kc.is_complete("echo a \\")
    reply = kc.get_shell_msg(timeout=10)["content"]
    assert reply == {"status": "incomplete", "indent": ""}


def test_comms(kernel):
    km, kc = kernel
    msg = kc.session.msg("comm_open", {"comm_id": "c-unknown", "target_name": "no.such.target", "data": {}})
    kc.shell_channel.send(msg)
    io = collect_iopub(kc, msg["header"]["msg_id"])
    closes = [m for m in io if m["msg_type"] == "comm_close"]
    assert len(closes) == 1 and closes[0]["content"]["comm_id"] == "c-unknown"
    # The explorer's comm target (registered by the interpreter) is accepted and listed.
    execute(kc, "echo register")
    msg = kc.session.msg("comm_open", {"comm_id": "c-explorer", "target_name": "vista.explorer", "data": {}})
    kc.shell_channel.send(msg)
    io = collect_iopub(kc, msg["header"]["msg_id"])
    assert not [m for m in io if m["msg_type"] == "comm_close"]
    kc.comm_info()
    reply = kc.get_shell_msg(timeout=10)["content"]
    assert reply["comms"] == {"c-explorer": {"target_name": "vista.explorer"}}
    kc.comm_info(target_name="other")
    assert kc.get_shell_msg(timeout=10)["content"]["comms"] == {}
    msg = kc.session.msg("comm_close", {"comm_id": "c-explorer", "data": {}})
    kc.shell_channel.send(msg)
    io = collect_iopub(kc, msg["header"]["msg_id"])
    assert [m["content"]["execution_state"] for m in io] == ["busy", "idle"]
    kc.comm_info()
    assert kc.get_shell_msg(timeout=10)["content"]["comms"] == {}


def test_kernel_info_on_control_while_busy(kernel):
    km, kc = kernel
    running = kc.execute("sleep 1.5")
    time.sleep(0.2)
    msg = kc.session.msg("kernel_info_request")
    started = time.monotonic()
    kc.control_channel.send(msg)
    reply = kc.control_channel.get_msg(timeout=5)
    assert time.monotonic() - started < 0.5
    assert reply["content"]["language_info"]["name"] == "vista"
    assert kc.get_shell_msg(timeout=10)["parent_header"]["msg_id"] == running


def test_heartbeat_answers_while_busy(kernel):
    import zmq
    km, kc = kernel
    kc.execute("sleep 1")
    time.sleep(0.1)
    ctx = zmq.Context.instance()
    hb = ctx.socket(zmq.REQ)
    hb.linger = 0
    hb.connect(f"tcp://127.0.0.1:{km.hb_port}")
    hb.send(b"ping")
    assert hb.poll(500), "heartbeat blocked by execution"
    assert hb.recv() == b"ping"
    hb.close()
    kc.get_shell_msg(timeout=10)


@pytest.mark.parametrize("kernel_name", ["vista", "vista-message"])
def test_interrupt_keeps_state(kernel_name):
    km, kc = start_new_kernel(kernel_name=kernel_name)
    try:
        assert km.kernel_spec.interrupt_mode == ("message" if kernel_name == "vista-message" else "signal")
        first, _ = execute(kc, "6*7")
        # Interrupting an idle kernel is harmless.
        km.interrupt_kernel()
        time.sleep(0.1)
        msg_id = kc.execute("sleep 30")
        time.sleep(0.3)
        started = time.monotonic()
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=10)
        assert time.monotonic() - started < 1.0
        assert reply["parent_header"]["msg_id"] == msg_id
        assert reply["content"]["status"] == "error"
        assert reply["content"]["ename"] == "KeyboardInterrupt"
        after, _ = execute(kc, "6*7")
        assert after["content"]["status"] == "ok"
        assert after["content"]["execution_count"] == first["content"]["execution_count"] + 2
        assert km.is_alive()
    finally:
        kc.stop_channels()
        km.shutdown_kernel()


def test_restart_keeps_history_on_disk():
    km, kc = start_new_kernel(kernel_name="vista")
    try:
        marker = f"echo before-restart-{os.getpid()}"
        execute(kc, marker)
        old_pid = km.provisioner.process.pid
        km.restart_kernel(now=False)
        assert km.provisioner.process.pid != old_pid
        kc.wait_for_ready(timeout=30)
        reply, io = execute(kc, "6*7")
        assert reply["content"]["status"] == "ok"
        assert reply["content"]["execution_count"] == 1  # a new session
        kc.history(hist_access_type="search", pattern=marker, output=False, raw=True)
        hist = kc.get_shell_msg(timeout=10)["content"]["history"]
        assert [h[2] for h in hist] == [marker]
        kc.history(hist_access_type="tail", n=1, output=False, raw=True)
        (session, line, code), = kc.get_shell_msg(timeout=10)["content"]["history"]
        assert code == "6*7" and line == 1 and session > hist[0][0]
        kc.history(hist_access_type="range", session=0, start=1, stop=2, output=True, raw=True)
        assert kc.get_shell_msg(timeout=10)["content"]["history"] == [[session, 1, ["6*7", "42"]]]
    finally:
        kc.stop_channels()
        km.shutdown_kernel()


def test_shutdown_exits_quickly():
    km, kc = start_new_kernel(kernel_name="vista")
    try:
        process = km.provisioner.process
        kc.shutdown(restart=False)
        reply = kc.get_control_msg(timeout=5) if hasattr(kc, "get_control_msg") else kc.control_channel.get_msg(timeout=5)
        replied = time.monotonic()
        assert reply["content"] == {"status": "ok", "restart": False}
        process.wait(timeout=2)
        assert time.monotonic() - replied < 0.25
        assert process.returncode == 0
    finally:
        kc.stop_channels()
        km.cleanup_resources()


def test_exits_when_parent_dies(tmp_path, vista_bin):
    parent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.5)"])
    connection_file, _ = write_connection_file(str(tmp_path / "kernel-parent.json"), key=b"k")
    env = dict(os.environ, JPY_PARENT_PID=str(parent.pid))
    kernel = subprocess.Popen([str(vista_bin), "kernel", "--connection-file", connection_file], env=env,
                              stderr=subprocess.PIPE)
    parent.wait()
    kernel.wait(timeout=5)
    assert kernel.returncode == 0
    assert b"parent process" in kernel.stderr.read()


def test_curve_encryption():
    km = KernelManager(kernel_name="vista", transport_encryption="required")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=30)
        assert km.curve_publickey is not None
        reply, io = execute(kc, "echo secret")
        assert [m["content"]["text"] for m in io if m["msg_type"] == "stream"] == ["secret\n"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel()


def test_ipc_transport(tmp_path):
    km = KernelManager(kernel_name="vista", transport="ipc", ip=str(tmp_path / "vista-ipc"))
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=30)
        reply, io = execute(kc, "6*7")
        assert reply["content"]["status"] == "ok"
    finally:
        kc.stop_channels()
        km.shutdown_kernel()


def test_nbclient_runs_basics_notebook():
    path = REPO_ROOT / "notebooks" / "basics.ipynb"
    saved = nbformat.read(path, as_version=4)
    fresh = nbformat.read(path, as_version=4)
    for cell in fresh.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    NotebookClient(fresh, kernel_name="vista", timeout=60).execute()
    nbformat.validate(fresh)
    assert fresh.metadata["language_info"]["name"] == "vista"
    code_cells = [(a, b) for a, b in zip(saved.cells, fresh.cells) if a.cell_type == "code"]
    assert len(code_cells) >= 5
    for old, new in code_cells:
        assert [o.output_type for o in new.outputs] == [o.output_type for o in old.outputs], old.source
        for o_old, o_new in zip(old.outputs, new.outputs):
            if o_new.output_type == "stream":
                assert o_new.text == o_old.text
            elif o_new.output_type in ("execute_result", "display_data"):
                assert o_new.data == o_old.data


def test_jupyter_console_runs_a_command():
    console = pathlib.Path(sys.executable).with_name("jupyter-console")
    result = subprocess.run(
        [str(console), "--kernel", "vista", "--simple-prompt", "--ZMQTerminalInteractiveShell.confirm_exit=False"],
        input="echo console-says-hi\n6*7\n", capture_output=True, text=True, timeout=60)
    assert "console-says-hi" in result.stdout, result.stdout + result.stderr
    assert "42" in result.stdout
