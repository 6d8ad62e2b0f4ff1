"""``python -m roi_viz download-weights``, run as a teacher runs it: in a subprocess, offline and from a server.

The server is a loopback ``http.server`` holding a VGG16 state dict this file writes itself (the
13 conv layers torchvision's ``vgg16()`` builds as its ``features``, saved under the whole model's
key names, as torchvision's file has them): the command must fetch it, check its checksum and
shapes, keep it where the app looks, and the page must then say the network is pretrained.
"""
from __future__ import annotations

import hashlib
import http.server
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import torch
from streamlit.testing.v1 import AppTest
from torchvision.models.vgg import cfgs, make_layers

from roi_viz.model import loading, weights

from helpers import page_text

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
URL_VAR = "ROI_VIZ_WEIGHTS_URL"  # the mirror's address, as a teacher sets it


@pytest.fixture(scope="module")
def state_file(tmp_path_factory) -> tuple[bytes, dict]:
    """The bytes of a weights file, and its state dict: torchvision's VGG16 ``features`` under a fixed seed."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(27)
        net = make_layers(cfgs["D"])  # what torchvision.models.vgg16() builds as .features, without the classifier
    sd = {f"features.{k}": v for k, v in net.state_dict().items()}
    path = tmp_path_factory.mktemp("served") / "vgg16.pth"
    torch.save(sd, path)
    return path.read_bytes(), sd


class Server:
    """A loopback HTTP server: ``files`` maps a path to its bytes; a path in ``cut`` sends half its body."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.cut: set[str] = set()
        self.requests: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                body = outer.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if self.path in outer.cut else body)

            def log_message(self, *args):  # the test's output is the command's, not the server's log
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"


@pytest.fixture
def server():
    s = Server()
    s.thread.start()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


def hub_name(data: bytes) -> str:
    """torch.hub's naming: the file's name carries the start of its SHA-256."""
    return f"vgg16-{hashlib.sha256(data).hexdigest()[:8]}.pth"


def run_download(env: dict, *args: str) -> subprocess.CompletedProcess:
    full = {**os.environ, **env}
    full.pop("ROI_VIZ_WEIGHTS", None)
    return subprocess.run([sys.executable, "-m", "roi_viz", "download-weights", *args], cwd=ROOT, env=full,
                          capture_output=True, text=True, timeout=300)


def closed_port() -> int:
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_one_line_error(proc: subprocess.CompletedProcess, *words: str) -> str:
    assert proc.returncode != 0, proc
    assert "Traceback" not in proc.stderr and "Error:" not in proc.stderr, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, proc.stderr
    for w in words:
        assert w in errors[0], errors[0]
    return errors[0]


# ------------------------------------------------------------------ no network
def test_no_network_is_one_sentence_and_a_failing_status(tmp_path):
    port = closed_port()
    url = f"http://127.0.0.1:{port}/vgg16-397923af.pth"
    proc = run_download({"TORCH_HOME": str(tmp_path), URL_VAR: url})
    line = assert_one_line_error(proc, "could not be downloaded", "127.0.0.1", "Nothing was saved")
    assert "ROI_VIZ_WEIGHTS" in line  # what to do instead
    assert proc.stdout == ""
    assert not list(tmp_path.rglob("*.pth*")), "a failed download leaves nothing behind"


def test_the_default_address_offline_is_one_sentence(tmp_path):
    """torchvision's own address, with the name lookup pointed nowhere: the probe gives up, one sentence."""
    proc = run_download({"TORCH_HOME": str(tmp_path), URL_VAR: "https://unresolvable.invalid/vgg16-397923af.pth"})
    assert_one_line_error(proc, "unresolvable.invalid", "did not answer")


def test_an_address_that_is_not_http_is_refused(tmp_path):
    proc = run_download({"TORCH_HOME": str(tmp_path), URL_VAR: "file:///etc/passwd"})
    assert_one_line_error(proc, "http://")


# ------------------------------------------------------------------ from a server
@pytest.mark.slow
def test_download_check_and_the_page_says_pretrained(tmp_path, server, state_file, monkeypatch):
    data, sd = state_file
    name = hub_name(data)
    server.files[f"/models/{name}"] = data
    env = {"TORCH_HOME": str(tmp_path / "torch"), URL_VAR: server.url(f"/models/{name}")}
    proc = run_download(env)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "Warning" not in proc.stderr
    saved = tmp_path / "torch" / "hub" / "checkpoints" / name
    assert saved.read_bytes() == data  # downloaded whole, under torchvision's cache, by its own name
    assert f"Saved and checked: {saved}" in proc.stdout
    assert f"export ROI_VIZ_WEIGHTS={saved}" in proc.stdout  # another name than torchvision's: named outright
    assert server.requests == [f"/models/{name}"]
    assert [p.name for p in saved.parent.iterdir()] == [name], "no partial file left beside it"

    # The app's own search finds it there, and its conv weights are the ones served.
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    found = weights.find_weights(allow_download=False)
    assert found.path == saved and "torchvision's cache" in found.source
    for k, v in found.state_dict.items():
        torch.testing.assert_close(v, sd[f"features.{k}"], rtol=0, atol=0)

    # The page: a fresh backbone (one per process), then what the sidebar and the page say.
    import streamlit as st

    monkeypatch.setattr(loading, "_future", None)
    st.cache_resource.clear()  # feature maps of an earlier test's untrained network must not be shown
    st.cache_data.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=240)
        at.run()
        assert not at.exception
        status = [c.value for c in at.sidebar.caption if "weights:" in c.value]
        assert status and f"weights: ImageNet, from torchvision's cache ({saved})" in status[0], status
        assert "Untrained VGG16" not in page_text(at)
        assert "untrained" not in " ".join(status)
        assert loading.backbone().pretrained
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()


@pytest.mark.slow
def test_download_into_a_named_file(tmp_path, server, state_file):
    data, _ = state_file
    name = hub_name(data)
    server.files[f"/{name}"] = data
    dest = tmp_path / "class" / "vgg16.pth"
    proc = run_download({"TORCH_HOME": str(tmp_path / "torch"), URL_VAR: server.url(f"/{name}")},
                        "--dest", str(dest))
    assert proc.returncode == 0, proc.stderr
    assert dest.read_bytes() == data
    assert f"export ROI_VIZ_WEIGHTS={dest}" in proc.stdout
    assert not (tmp_path / "torch").exists()


@pytest.mark.slow
def test_a_file_that_fails_its_checksum_is_not_kept(tmp_path, server, state_file):
    data, _ = state_file
    server.files["/vgg16-397923af.pth"] = data  # torchvision's name, other bytes
    proc = run_download({"TORCH_HOME": str(tmp_path), URL_VAR: server.url("/vgg16-397923af.pth")})
    assert_one_line_error(proc, "checksum", "397923af", "Nothing was saved")
    assert not list(tmp_path.rglob("*.pth*"))


@pytest.mark.slow
def test_a_download_cut_short_is_not_kept(tmp_path, server, state_file):
    data, _ = state_file
    name = hub_name(data)
    server.files[f"/{name}"] = data
    server.cut.add(f"/{name}")
    proc = run_download({"TORCH_HOME": str(tmp_path), URL_VAR: server.url(f"/{name}")})
    assert_one_line_error(proc, f"of {len(data):,} bytes")
    assert not list(tmp_path.rglob("*.pth*"))


@pytest.mark.slow
def test_a_missing_file_on_the_server_is_one_sentence(tmp_path, server):
    proc = run_download({"TORCH_HOME": str(tmp_path), URL_VAR: server.url("/vgg16-397923af.pth")})
    assert_one_line_error(proc, "HTTP 404")


@pytest.mark.slow
def test_a_file_that_is_not_vgg16_is_not_kept(tmp_path, server):
    other = tmp_path / "other.pth"
    torch.save(torch.nn.Conv2d(3, 8, 3).state_dict(), other)
    data = other.read_bytes()
    name = hub_name(data)
    server.files[f"/{name}"] = data
    home = tmp_path / "torch"
    proc = run_download({"TORCH_HOME": str(home), URL_VAR: server.url(f"/{name}")})
    assert_one_line_error(proc, "not VGG16 weights", "Nothing was saved")
    assert not list(home.rglob("*.pth*"))


# ------------------------------------------------------------------ what the page tells a teacher to do
def test_the_untrained_page_names_a_command_that_exists():
    """The sidebar's advice names the command by its words: those words must run it (its --help here)."""
    import re

    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    assert not at.exception
    advice = [m.value for m in at.sidebar.markdown if "download-weights" in m.value]
    assert advice and "restart the app" in advice[0], advice
    command = re.search(r"`(python -m roi_viz [^`]+)`", advice[0]).group(1)
    proc = subprocess.run(command.replace("python", sys.executable, 1).split() + ["--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "torchvision's cache" in proc.stdout, proc.stderr
