"""Reading a request's IOPub messages, shared by the tests that drive the kernel through jupyter_client."""
import queue
import time


def collect_iopub(kc, msg_id, timeout=60):
    """IOPub messages of one request up to and including its idle status."""
    messages = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=0.5)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        messages.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return messages
    raise AssertionError(f"no idle for {msg_id}: {[m['msg_type'] for m in messages]}")
