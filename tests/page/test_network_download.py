"""``python -m roi_viz download-weights --network resnet50_fpn``, run as a teacher runs it (a subprocess), from a
loopback server holding a ResNet-50-FPN backbone state dict this file writes under the whole detector's key names,
as torchvision's COCO file has them: fetched, checked as the app checks it, kept where the app looks; and the
page's untrained notice names that command. Offline, one sentence."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from helpers import open_page, page_text
from roi_viz.model import pyramid
from test_download_weights import Server, assert_one_line_error, closed_port

ROOT = Path(__file__).resolve().parents[2]
FPN = "resnet50_fpn"


@pytest.fixture(scope="module")
def detector_file(tmp_path_factory) -> bytes:
    """A Faster R-CNN-shaped file: the backbone's parameters under ``backbone.``, as torchvision saves the detector."""
    sd = {f"backbone.{k}": v for k, v in pyramid.build_fpn_backbone(seed=3).state_dict().items()}
    path = tmp_path_factory.mktemp("served") / "fpn.pth"
    torch.save(sd, path)
    return path.read_bytes()


@pytest.fixture
def server():
    s = Server()
    s.thread.start()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


def download(env: dict, *args: str) -> subprocess.CompletedProcess:
    full = {**os.environ, **env}
    full.pop("ROI_VIZ_FPN_WEIGHTS", None)
    return subprocess.run([sys.executable, "-m", "roi_viz", "download-weights", "--network", FPN, *args], cwd=ROOT,
                          env=full, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_download_checks_and_keeps_the_pyramids_weights(tmp_path, server, detector_file):
    name = f"fasterrcnn_resnet50_fpn_coco-{hashlib.sha256(detector_file).hexdigest()[:8]}.pth"
    server.files["/" + name] = detector_file
    hub = tmp_path / "hub"
    proc = download({"ROI_VIZ_FPN_WEIGHTS_URL": server.url("/" + name), "TORCH_HOME": str(hub)})
    assert proc.returncode == 0, proc.stderr
    kept = hub / "hub" / "checkpoints" / name
    assert kept.read_bytes() == detector_file
    assert f"Saved and checked: {kept} (ResNet-50-FPN's backbone" in proc.stdout
    assert "Point the app to it with: export ROI_VIZ_FPN_WEIGHTS=" in proc.stdout  # not torchvision's own name
    # The file it kept is the one the app loads: every parameter equal, as the weights search reads it.
    loaded = pyramid.load_fpn_weights_file(kept)
    ref = pyramid.build_fpn_backbone(seed=3).state_dict()
    assert all(torch.equal(loaded[k], ref[k]) for k in ref)


def test_offline_is_one_sentence_and_nothing_is_kept(tmp_path):
    url = f"http://127.0.0.1:{closed_port()}/fasterrcnn.pth"
    proc = download({"ROI_VIZ_FPN_WEIGHTS_URL": url, "TORCH_HOME": str(tmp_path)})
    assert_one_line_error(proc, "could not be downloaded", "ROI_VIZ_FPN_WEIGHTS")
    assert not list(tmp_path.rglob("*.pth"))


def test_a_file_that_is_not_the_pyramids_is_not_kept(tmp_path, server):
    other = tmp_path / "vgg.pth"
    torch.save({"features.0.weight": torch.zeros(64, 3, 3, 3)}, other)
    server.files["/fpn.pth"] = other.read_bytes()
    dest = tmp_path / "kept"
    dest.mkdir()
    proc = download({"ROI_VIZ_FPN_WEIGHTS_URL": server.url("/fpn.pth")}, "--dest", str(dest))
    assert_one_line_error(proc, "not usable", "not ResNet-50-FPN weights")
    assert not list(dest.iterdir())


def test_the_untrained_pyramid_names_a_command_that_exists():
    at = open_page({"net": FPN})
    assert "python -m roi_viz download-weights --network resnet50_fpn" in page_text(at)
