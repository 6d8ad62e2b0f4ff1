"""Faults a classroom server meets: no network (four ways), a GPU that fails, the shared-server settings."""
import socket
import threading
import time
import tomllib
from pathlib import Path

import pytest
import torch

from helpers import figures, notices, widget
from roi_viz.model import features, images, weights

ROOT = Path(__file__).resolve().parents[2]


def find_in_a_thread(seconds_guard: float = 60.0, **kw):
    """Run find_weights with a guard, so that a hang fails the test instead of freezing it."""
    result = []
    t0 = time.monotonic()
    t = threading.Thread(target=lambda: result.append(weights.find_weights(allow_download=True, **kw)), daemon=True)
    t.start()
    t.join(seconds_guard)
    assert result, "find_weights hung"
    return result[0], time.monotonic() - t0


@pytest.fixture
def no_cache(monkeypatch):
    monkeypatch.setattr(weights, "cache_path", lambda: Path("/nonexistent/vgg16-397923af.pth"))


def point_weights_at(monkeypatch, url: str):
    monkeypatch.setattr(weights, "WEIGHTS", type("W", (), {"url": url}))


def test_connection_refused(monkeypatch, no_cache):
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    point_weights_at(monkeypatch, f"http://127.0.0.1:{port}/vgg16-397923af.pth")
    found, seconds = find_in_a_thread(probe_seconds=2)
    assert found.state_dict is None and "could not be reached" in found.problems[-1]
    assert seconds < 10  # a guard: refused connections answer at once


def test_name_that_does_not_resolve(monkeypatch, no_cache):
    point_weights_at(monkeypatch, "https://unresolvable.invalid/vgg16-397923af.pth")
    found, _ = find_in_a_thread(probe_seconds=2)
    assert found.state_dict is None and "unresolvable.invalid could not be reached" in found.problems[-1]


def test_packets_silently_dropped(monkeypatch, no_cache):
    """A firewall that drops packets: the connection never opens nor fails. The probe stops waiting."""
    never = threading.Event()

    def black_hole(*args, **kwargs):
        never.wait(120)  # like a SYN that nobody answers
        raise TimeoutError

    monkeypatch.setattr(weights.socket, "create_connection", black_hole)
    point_weights_at(monkeypatch, "https://download.pytorch.org/models/vgg16-397923af.pth")
    found, seconds = find_in_a_thread(probe_seconds=1.5)
    never.set()
    assert found.state_dict is None and "within 1.5 s" in found.problems[-1]
    assert seconds < 30  # the guard; the probe itself gives up after 1.5 s


def test_server_accepts_then_goes_silent(monkeypatch, no_cache):
    """A proxy that takes the connection and never answers: the read timeout ends the download."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    port = server.getsockname()[1]
    held = []
    stop = threading.Event()

    def accept_and_hold():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])  # never write a byte back
            except OSError:
                pass

    threading.Thread(target=accept_and_hold, daemon=True).start()
    monkeypatch.setattr(weights, "READ_TIMEOUT_SECONDS", 1.0)
    point_weights_at(monkeypatch, f"http://127.0.0.1:{port}/vgg16-397923af.pth")
    try:
        found, seconds = find_in_a_thread(probe_seconds=2)
    finally:
        stop.set()
        for c in held:
            c.close()
        server.close()
    assert found.state_dict is None and "download from 127.0.0.1 failed" in found.problems[-1]
    assert seconds < 30


def test_a_gpu_that_fails_hands_the_forward_to_the_cpu(backbone, astronaut_input, monkeypatch):
    real = features._forward
    calls = []

    def flaky(bb, x, end):
        calls.append(bb.device.type)
        if bb.device.type == "cuda":
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB (simulated)")
        return real(bb, x, end)

    pretend = features.Backbone(backbone.net, torch.device("cpu"), False, "none", (), 0.0, threading.Lock())
    pretend.device = torch.device("cuda")  # as if the model sat on a GPU that is now full
    monkeypatch.setattr(features, "_forward", flaky)
    fm = features.extract(pretend, astronaut_input.resize((224, 224)), "pool5")
    assert calls == ["cuda", "cpu"] and pretend.device.type == "cpu"
    assert fm.values.shape == (512, 7, 7) and "out of memory" in fm.note and "CPU" in fm.note
    # The page says it in its student's language, the error quoted as it came (the weights' Said, translated whole).
    from roi_viz.language import using
    from roi_viz.model.weights import said
    with using("zh"):
        assert "CPU" in said(fm.note) and "out of memory" in said(fm.note) and "前向计算失败" in said(fm.note)
    assert "out of memory" in fm.gpu_error and fm.gpu_error in fm.note
    assert any("GPU forward failed" in p for p in pretend.problems)


def test_a_forward_that_fails_on_the_cpu_is_a_message_in_the_page(monkeypatch):
    from streamlit.testing.v1 import AppTest

    def broken(*args, **kwargs):
        raise RuntimeError("simulated: not enough memory")

    monkeypatch.setattr(features, "extract", broken)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    widget(at, "select_slider", "Model input size").set_value(320).run()  # a size no other test computes (not cached)
    assert not at.exception
    assert any("VGG16 could not run on this image at 320 × 320" in n for n in notices(at, "error"))
    monkeypatch.undo()
    widget(at, "select_slider", "Model input size").set_value(512).run()  # and the session goes on
    assert not notices(at, "error") and figures(at)


def test_server_settings_for_a_shared_classroom():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert cfg["server"]["headless"] is True
    assert cfg["server"]["enableXsrfProtection"] is True
    assert cfg["server"]["maxUploadSize"] == images.MAX_FILE_MB
    assert cfg["browser"]["gatherUsageStats"] is False
    assert cfg["client"]["showErrorDetails"] == "none"
