"""The VISTA command language through the real kernel (jupyter_client): a short pipeline on synthetic
captions and codes (no model weights needed), outputs checked by content, errors, editor requests,
interrupt, user expressions and the explorer's comm."""
import base64
import os
import json
import pathlib
import time

import numpy as np
import pytest

from kernel_messages import collect_iopub


def execute(kc, code, timeout=60, **kwargs):
    msg_id = kc.execute(code, **kwargs)
    reply = kc.get_shell_msg(timeout=timeout)
    assert reply["parent_header"]["msg_id"] == msg_id
    return reply["content"], collect_iopub(kc, msg_id, timeout)


def ok(kc, code, **kwargs):
    reply, io = execute(kc, code, **kwargs)
    errors = [m["content"] for m in io if m["msg_type"] == "error"]
    assert reply["status"] == "ok", (code, reply, errors)
    return reply, io


def displays(io):
    """display_data outputs, without progress bars (those carry a transient display_id)."""
    return [m["content"] for m in io
            if m["msg_type"] == "display_data" and not m["content"].get("transient", {}).get("display_id")]


def png_size(b64):
    raw = base64.b64decode(b64)
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(raw[16:20], "big"), int.from_bytes(raw[20:24], "big")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """240 captions in 4 groups; latent 0 grows along each group, latents 1-4 mark the groups."""
    folder = tmp_path_factory.mktemp("vista-commands")
    rng = np.random.default_rng(5)
    words = ["apple", "river", "violin", "falcon"]
    n, latents = 240, 24
    codes = np.zeros((n, latents), dtype=np.float32)
    lines = ["id\tcaption\tgroup"]
    for i in range(n):
        g = i % 4
        lines.append(f"c{i}\ta {words[g]} picture number {i}\tg{g}")
        codes[i, 0] = 0.2 + (i // 4) / (n // 4) + rng.random() * 0.05
        codes[i, 1 + g] = 1 + rng.random() * 0.3
    (folder / "captions.tsv").write_text("\n".join(lines) + "\n")
    np.save(folder / "codes.npy", codes)
    return folder


def test_pipeline_through_the_kernel(kernel, dataset):
    km, kc = kernel
    _, io = ok(kc, f"load {dataset / 'captions.tsv'}\ncodes load {dataset / 'codes.npy'}\nselect latent=0 top=160")
    tables = [d for d in displays(io) if "text/html" in d["data"]]
    assert any("240 captions" in d["data"]["text/plain"] for d in tables)
    assert any("<table" in d["data"]["text/html"] for d in tables)

    _, io = ok(kc, "layout umap neighbors=8 epochs=60 seed=1")
    figures = [d for d in displays(io) if "image/png" in d["data"]]
    assert len(figures) == 1
    fig = figures[0]
    assert png_size(fig["data"]["image/png"]) == (fig["metadata"]["image/png"]["width"], fig["metadata"]["image/png"]["height"])
    assert fig["metadata"]["vista"]["neighbors"] == "8"
    assert "latent 0" in fig["data"]["text/plain"]

    _, io = ok(kc, "gain k=1%..10%")
    out = displays(io)
    assert "image/png" in out[0]["data"] and "max" in out[0]["data"]["text/plain"]
    assert "◀ max" in out[1]["data"]["text/plain"]

    _, io = ok(kc, "tiles 8x5 min=2\npreview grid=on width=800")
    pngs = [d for d in displays(io) if "image/png" in d["data"]]
    assert png_size(pngs[-1]["data"]["image/png"])[0] == 800

    _, io = ok(kc, "captions search=falcon page_size=5")
    html = displays(io)[-1]["data"]["text/html"]
    assert "<mark>falcon</mark>" in html

    _, io = ok(kc, "status")
    assert "fresh" in displays(io)[-1]["data"]["text/plain"]


def test_expression_errors_and_pager(kernel):
    km, kc = kernel
    reply, io = ok(kc, "6*7")
    results = [m["content"] for m in io if m["msg_type"] == "execute_result"]
    assert results[0]["data"]["text/plain"] == "42"

    reply, io = execute(kc, "echo fine\nlayout umap neighbours=5", stop_on_error=False)
    assert reply["status"] == "error"
    assert reply["ename"] == "BadOption"
    assert reply["evalue"].startswith("line 2, column 13:")
    assert "did you mean 'neighbors'" in reply["evalue"]
    # Nothing ran: the first line's output is absent.
    assert not [m for m in io if m["msg_type"] == "stream"]

    reply, _ = execute(kc, "select latent=1 top=two", stop_on_error=False)
    assert reply["ename"] == "BadValue" and "count or a percentage" in reply["evalue"]

    reply, _ = ok(kc, "page layout")
    page = reply["payload"][0]
    assert page["source"] == "page" and "min_dist" in page["data"]["text/plain"]


def test_editor_requests(kernel):
    km, kc = kernel
    kc.complete("layout umap min", 15)
    content = kc.get_shell_msg(timeout=10)["content"]
    assert content["matches"] == ["min_dist="] and content["cursor_start"] == 12
    kc.complete("sae tr", 6)
    assert kc.get_shell_msg(timeout=10)["content"]["matches"] == ["train"]
    kc.inspect("layout umap neighbors=15", 14)
    content = kc.get_shell_msg(timeout=10)["content"]
    assert content["found"] and "n_neighbors" in content["data"]["text/plain"]
    kc.is_complete("layout umap \\")
    content = kc.get_shell_msg(timeout=10)["content"]
    assert content["status"] == "incomplete"
    kc.is_complete('echo "open')
    assert kc.get_shell_msg(timeout=10)["content"]["status"] == "invalid"


def test_interrupt_keeps_the_session_and_user_expressions(kernel, dataset):
    km, kc = kernel
    ok(kc, f"load {dataset / 'captions.tsv'}\ncodes load {dataset / 'codes.npy'}\nselect latent=0 top=100")
    msg_id = kc.execute("sleep 20")
    time.sleep(0.5)
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=10)["content"]
    assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt"
    collect_iopub(kc, msg_id)
    reply, _ = ok(kc, "echo still here", user_expressions={"answer": "6*7", "seed": "seed", "status": "status"})
    expressions = reply["user_expressions"]
    assert expressions["answer"]["data"]["text/plain"] == "42"
    assert expressions["seed"]["data"]["text/plain"] == "1"
    assert "selection" in expressions["status"]["data"]["text/plain"]


def test_explorer_selection_over_a_comm(kernel, dataset):
    km, kc = kernel
    ok(kc, f"load {dataset / 'captions.tsv'}\ncodes load {dataset / 'codes.npy'}\nselect latent=0 top=100\n"
           "layout umap neighbors=8 epochs=40 seed=1\ntiles 8x5 min=2")
    _, io = ok(kc, "explore")
    html = displays(io)[-1]["data"]["text/html"]
    assert "vista.explorer" in html
    data = {"event": "selection", "ids": [], "indices": [0, 1, 2]}
    msg = kc.session.msg("comm_open", {"comm_id": "sel-1", "target_name": "vista.explorer", "data": data})
    kc.shell_channel.send(msg)
    collect_iopub(kc, msg["header"]["msg_id"])
    _, io = ok(kc, "captions selection")
    assert "Explorer selection (3 captions)" in displays(io)[-1]["data"]["text/plain"]


@pytest.fixture
def eager_progress_kernel(vista_kernelspec):
    """A kernel whose progress bars appear at once (VISTA_PROGRESS_AFTER=0), so the test does not depend on
    the machine being slow enough for a sweep to last over the usual one second."""
    from jupyter_client.manager import start_new_kernel

    env = dict(os.environ, VISTA_PROGRESS_AFTER="0")
    km, kc = start_new_kernel(kernel_name=vista_kernelspec, startup_timeout=60, env=env)
    try:
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def test_long_command_shows_a_progress_bar_updated_in_place(eager_progress_kernel, dataset):
    km, kc = eager_progress_kernel
    ok(kc, f"load {dataset / 'captions.tsv'}\ncodes load {dataset / 'codes.npy'}\nselect latent=0 top=200\n"
           "layout umap neighbors=8 epochs=40 seed=1")
    _, io = ok(kc, "sweep layout neighbors=5..12 epochs=400")
    bars = [m for m in io if m["msg_type"] == "display_data" and m["content"].get("transient", {}).get("display_id")]
    assert bars, "a sweep shows a progress bar"
    display_id = bars[0]["content"]["transient"]["display_id"]
    updates = [m["content"] for m in io if m["msg_type"] == "update_display_data"
               and m["content"]["transient"]["display_id"] == display_id]
    assert updates and "done in" in updates[-1]["data"]["text/plain"]
    assert "<progress" in bars[0]["content"]["data"]["text/html"]
    # Then the contact sheet and the results table.
    out = displays(io)
    assert "image/png" in out[0]["data"] and "Sweep results" in out[1]["data"]["text/plain"]
