"""ResNet-50-FPN: built as torchvision's Faster R-CNN builds it, weights from files this test writes, the fallback,
and the pyramid's maps pooled as torchvision's MultiScaleRoIAlign pools them."""
from __future__ import annotations

import math
import threading
from collections import OrderedDict

import numpy as np
import pytest
import torch
from torchvision.models import resnet50
from torchvision.models.detection import fasterrcnn_resnet50_fpn
from torchvision.models.detection._utils import overwrite_eps
from torchvision.models.detection.backbone_utils import _resnet_fpn_extractor
from torchvision.ops import FrozenBatchNorm2d
from torchvision.ops import MultiScaleRoIAlign

from roi_viz.model import pyramid, weights
from roi_viz.model.vgg import features_stack
from roi_viz.ops import fpn_level, multiscale_roi_align

H, W = 192, 256  # small, and a multiple of 32 as the page's inputs are


@pytest.fixture(scope="module")
def detector():
    """A seeded torchvision Faster R-CNN (no weights), its backbone in eval mode as the reference."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(77)
        model = fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None)
        # Non-trivial BatchNorm statistics, so that loading them is tested too.
        for m in model.backbone.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 1.5)
    return model.eval()


@pytest.fixture(scope="module")
def image():
    g = torch.Generator().manual_seed(5)
    return torch.rand(3, H, W, generator=g)


@pytest.fixture
def no_cache(monkeypatch, tmp_path):
    monkeypatch.setattr(pyramid, "fpn_cache_path", lambda: tmp_path / "absent" / "fasterrcnn.pth")


def reference_maps(detector, image) -> list[np.ndarray]:
    x = pyramid.input_tensor(image)
    with torch.inference_mode():
        out = detector.backbone(x)
    return [out[k][0].numpy() for k in ("0", "1", "2", "3")]


def test_built_backbone_is_torchvisions_in_structure(detector):
    ours = pyramid.build_fpn_backbone(seed=1).state_dict()
    theirs = detector.backbone.state_dict()
    assert list(ours) == list(theirs)
    assert {k: v.shape for k, v in ours.items()} == {k: v.shape for k, v in theirs.items()}
    assert not pyramid.build_fpn_backbone(seed=1).training


def test_fallback_is_torchvisions_initialisation_under_the_seed():
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(3)
        reference = fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None).backbone.state_dict()
    ours = pyramid.build_fpn_backbone(seed=3).state_dict()
    for k, v in reference.items():
        torch.testing.assert_close(ours[k], v, rtol=0, atol=0)


@pytest.mark.parametrize("keys", ["whole detector", "backbone only"])
def test_weights_from_the_environment_give_torchvisions_maps(tmp_path, monkeypatch, no_cache, detector, image, keys):
    sd = detector.state_dict() if keys == "whole detector" else detector.backbone.state_dict()
    path = tmp_path / "frcnn.pth"
    torch.save(sd, path)
    monkeypatch.setenv(pyramid.ENV_FPN_WEIGHTS, str(path))
    loads = []
    real_load = torch.load
    monkeypatch.setattr(torch, "load", lambda *a, **kw: loads.append(kw.get("weights_only")) or real_load(*a, **kw))
    b = pyramid.load_fpn_backbone("cpu")
    assert loads == [True]
    assert b.pretrained and str(path) in b.weights_source and b.problems == ()
    p = pyramid.extract_pyramid(b, image)
    assert p.strides == (4, 8, 16, 32) and p.levels == ("P2", "P3", "P4", "P5") and p.device == "CPU"
    for ours, theirs in zip(p.maps, reference_maps(detector, image)):
        assert ours.dtype == np.float32
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)


def test_a_detector_saved_with_frozen_batchnorm_loads(tmp_path, monkeypatch, no_cache, detector):
    """torchvision's COCO file has no ``num_batches_tracked`` (its BatchNorm is frozen)."""
    sd = {k: v for k, v in detector.state_dict().items() if not k.endswith("num_batches_tracked")}
    path = tmp_path / "frozen.pth"
    torch.save(sd, path)
    monkeypatch.setenv(pyramid.ENV_FPN_WEIGHTS, str(path))
    found = pyramid.find_fpn_weights(allow_download=False)
    assert found.state_dict is not None and set(found.state_dict) == set(detector.backbone.state_dict())


def test_torchvisions_coco_file_is_run_as_its_detector_runs_it(tmp_path, monkeypatch, detector, image):
    """``fasterrcnn_resnet50_fpn(weights=COCO_V1)``: frozen BatchNorm, 3 trainable layers, and every eps set to 0."""
    sd = {k: v.clone() for k, v in detector.state_dict().items() if not k.endswith("num_batches_tracked")}
    # A few channels with the tiny running variance trained weights have: there 1e-5 is not negligible.
    sd["backbone.body.layer4.2.bn3.running_var"][:16] = 1e-7
    path = tmp_path / weights.file_name(pyramid.FPN_WEIGHTS.url)
    torch.save(sd, path)
    monkeypatch.setattr(pyramid, "fpn_cache_path", lambda: path)
    monkeypatch.delenv(pyramid.ENV_FPN_WEIGHTS, raising=False)
    b = pyramid.load_fpn_backbone("cpu", found=pyramid.find_fpn_weights(allow_download=False))
    assert b.pretrained and "torchvision's cache" in b.weights_source

    reference = _resnet_fpn_extractor(resnet50(norm_layer=FrozenBatchNorm2d), 3)
    reference.load_state_dict({k[len("backbone."):]: v for k, v in sd.items() if k.startswith("backbone.")})
    overwrite_eps(reference, 0.0)
    with torch.inference_mode():
        out = reference.eval()(pyramid.input_tensor(image))
    ours = pyramid.extract_pyramid(b, image).maps

    def close(a, b):  # up to float32 rounding: frozen BatchNorm multiplies in another order, on values in the 1,000s
        return np.abs(a - b).max() <= 1e-5 * np.abs(b).max()

    assert all(close(m, out[k][0].numpy()) for k, m in zip(("0", "1", "2", "3"), ours))
    # The same file under another name keeps PyTorch's eps, and its P5 differs: the rule is what matched above.
    other = pyramid.load_fpn_backbone("cpu", found=weights.WeightsFound(b.net.state_dict(), "a copy", path=tmp_path / "x.pth"))
    assert not close(pyramid.extract_pyramid(other, image).maps[3], ours[3])


@pytest.mark.parametrize("kind", ["missing", "corrupt", "other network", "VGG16"])
def test_unusable_weights_fall_back_with_one_sentence(tmp_path, monkeypatch, no_cache, kind):
    path = tmp_path / "w.pth"
    if kind == "corrupt":
        path.write_bytes(b"this is not a checkpoint" * 100)
    elif kind == "other network":
        torch.save(torch.nn.Conv2d(3, 8, 3).state_dict(), path)
    elif kind == "VGG16":  # the other network of this project, as torchvision's file names it
        torch.save({f"features.{k}": v for k, v in features_stack(seed=0).state_dict().items()}, path)
    monkeypatch.setenv(pyramid.ENV_FPN_WEIGHTS, str(path))
    b = pyramid.load_fpn_backbone("cpu", found=pyramid.find_fpn_weights(allow_download=False))
    assert not b.pretrained and b.weights_source == "none"
    problem = b.problems[0]
    assert problem.startswith(f"${pyramid.ENV_FPN_WEIGHTS} points to {path}, which could not be used: ")
    assert problem.count(". ") == 0 and "\n" not in problem  # one sentence
    reason = {"missing": "no such file", "corrupt": "not a readable PyTorch weights file",
              "other network": "it is not ResNet-50-FPN weights (missing body.",
              "VGG16": "it is not ResNet-50-FPN weights (missing body."}[kind]
    assert reason in problem
    assert b.problems[-1] == f"Downloading was switched off (${weights.ENV_OFFLINE})."
    fallback = pyramid.build_fpn_backbone(seed=pyramid.FALLBACK_SEED).state_dict()
    assert all(torch.equal(v, fallback[k]) for k, v in b.net.state_dict().items())


def test_offline_tries_no_network(monkeypatch, no_cache):
    monkeypatch.setenv(weights.ENV_OFFLINE, "1")
    monkeypatch.delenv(pyramid.ENV_FPN_WEIGHTS, raising=False)
    tried = []
    monkeypatch.setattr(weights, "host_reachable", lambda *a: tried.append(a) or True)
    monkeypatch.setattr(weights.socket, "create_connection", lambda *a, **kw: tried.append(a))
    found = pyramid.find_fpn_weights()
    assert found.state_dict is None and tried == []
    assert found.problems == (f"Downloading was switched off (${weights.ENV_OFFLINE}).",)


def test_an_unreachable_host_falls_back_instead_of_hanging(monkeypatch, no_cache):
    monkeypatch.delenv(pyramid.ENV_FPN_WEIGHTS, raising=False)
    monkeypatch.setenv(pyramid.ENV_FPN_URL, "https://unresolvable.invalid/fasterrcnn_resnet50_fpn_coco-258fb6c6.pth")
    result = []
    t = threading.Thread(target=lambda: result.append(pyramid.find_fpn_weights(allow_download=True, probe_seconds=2)),
                         daemon=True)
    t.start()
    t.join(60)  # a guard against a hang, not a speed test
    assert result and result[0].state_dict is None
    assert result[0].problems[-1] == "unresolvable.invalid could not be reached within 2 s (no internet?)."


@pytest.fixture(scope="module")
def seeded_pyramid():
    """The fallback's pyramid of a 512 x 512 input: large enough for boxes of every level (P5 from 448 px)."""
    b = pyramid.load_fpn_backbone("cpu", found=weights.WeightsFound(None, "none"))
    return pyramid.extract_pyramid(b, torch.rand(3, 512, 512, generator=torch.Generator().manual_seed(8)))


def test_map_sizes_are_the_input_over_the_stride(detector):
    b = pyramid.FpnBackbone(detector.backbone, torch.device("cpu"), False, "none", (), 0.0, threading.Lock())
    for h, w in [(128, 128), (100, 75), (192, 256)]:
        p = pyramid.extract_pyramid(b, torch.rand(3, h, w))
        assert p.input_size == (w, h)
        assert [m.shape for m in p.maps] == [(256, math.ceil(h / s), math.ceil(w / s)) for s in p.strides]


def test_multiscale_roi_align_on_the_real_pyramid_equals_torchvision(seeded_pyramid):
    p = seeded_pyramid
    S = 512
    rng = np.random.default_rng(11)
    n = 300
    # sqrt(area) from 16 px to the whole input, near-square boxes: every level gets boxes.
    side = np.exp(rng.uniform(np.log(16), np.log(S), size=n))
    aspect = np.exp(rng.uniform(-0.25, 0.25, size=n))
    wh = np.minimum(np.stack([side * aspect, side / aspect], axis=1), S)
    xy = rng.uniform(0, 1, size=(n, 2)) * (S - wh)
    boxes = np.concatenate([xy, wh], axis=1)
    names = ["0", "1", "2", "3"]
    pool = MultiScaleRoIAlign(names, output_size=7, sampling_ratio=2)
    feats = OrderedDict((k, torch.from_numpy(m)[None]) for k, m in zip(names, p.maps))
    xyxy = torch.tensor(np.concatenate([boxes[:, :2], boxes[:, :2] + boxes[:, 2:]], axis=1), dtype=torch.float32)
    theirs = pool(feats, [xyxy], [(S, S)]).numpy()
    # Our boxes are (x, y, w, h): read back from the float32 corners torchvision was given.
    rois = [(float(x0), float(y0), float(x1 - x0), float(y1 - y0)) for x0, y0, x1, y1 in xyxy]
    levels = [fpn_level(w, h) for _, _, w, h in rois]
    assert all(levels.count(k) >= 5 for k in (2, 3, 4, 5)), levels
    for roi, reference in zip(rois, theirs):
        np.testing.assert_allclose(multiscale_roi_align(p.maps, p.strides, roi), reference, rtol=1e-4, atol=1e-4)
