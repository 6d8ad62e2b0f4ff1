"""torchvision's VGG16 as the feature extractor: image in, ``C x H x W`` feature map out.

One :class:`Backbone` per process is enough (the app caches it for every
session). Its ``features`` stack is cut where the papers cut it:

- ``pool5`` (all 31 layers of ``vgg16().features``): stride 32, so a
  512 x 512 input gives 512 x 16 x 16, as in the article;
- ``conv5_3`` (``features[:30]``, conv5_3 and its ReLU): stride 16, the layer
  the Fast R-CNN paper pools from.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image
from torchvision.models import vgg16
from torchvision.transforms.functional import normalize, pil_to_tensor

from .weights import WEIGHTS, WeightsFound, find_weights


@dataclass(frozen=True)
class Layer:
    name: str
    end: int  # features[:end]
    stride: int
    label: str


LAYERS = {
    "pool5": Layer("pool5", 31, 32, "VGG16 up to pool5 (stride 32)"),
    "conv5_3": Layer("conv5_3", 30, 16, "VGG16 up to conv5_3 + ReLU (stride 16)"),
}
FALLBACK_SEED = 0
_MEAN = WEIGHTS.transforms().mean
_STD = WEIGHTS.transforms().std


@dataclass
class Backbone:
    """VGG16's ``features`` in eval mode on a device, and where its weights came from."""

    net: torch.nn.Sequential
    device: torch.device
    pretrained: bool
    weights_source: str
    problems: tuple[str, ...]
    load_seconds: float
    lock: threading.Lock

    @property
    def device_name(self) -> str:
        if self.device.type == "cuda":
            return f"GPU: {torch.cuda.get_device_name(self.device)}"
        return "CPU"


@dataclass(frozen=True)
class FeatureMap:
    """The output of the network for one image."""

    values: np.ndarray  # C x H x W float32
    layer: str
    stride: int
    input_size: int
    seconds: float  # forward time, preprocessing included
    device: str
    note: str = ""  # e.g. the GPU failed and the CPU took over: the page says so


def vgg16_feature_shapes() -> dict[str, tuple[int, ...]]:
    """Parameter names and shapes of torchvision's ``vgg16().features`` (built without memory)."""
    with torch.device("meta"):
        net = vgg16(weights=None).features
    return {k: tuple(v.shape) for k, v in net.state_dict().items()}


def pick_device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def load_backbone(device: torch.device | str | None = None, found: WeightsFound | None = None) -> Backbone:
    """Build VGG16 ``features`` with the best weights available; never raises for weights.

    Without weights the network is torchvision's VGG16 with its own random
    initialisation under a fixed seed, so every run shows the same (meaningless)
    features; ``pretrained`` is then False and the page must say so.
    """
    t0 = time.perf_counter()
    found = found if found is not None else find_weights()
    if found.state_dict is not None:
        with torch.device("meta"):  # skip initialising 138 M parameters we replace at once
            net = vgg16(weights=None).features
        net.load_state_dict(found.state_dict, assign=True)
    else:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(FALLBACK_SEED)
            net = vgg16(weights=None).features
    device = torch.device(device) if device is not None else pick_device()
    net = net.to(device).eval().requires_grad_(False)
    return Backbone(
        net,
        device,
        found.state_dict is not None,
        found.source,
        found.problems,
        time.perf_counter() - t0,
        threading.Lock(),
    )


def image_tensor(image: Image.Image) -> torch.Tensor:
    """RGB PIL image to a normalised ``1 x 3 x H x W`` float tensor (ImageNet statistics)."""
    x = pil_to_tensor(image.convert("RGB")).float().div_(255.0)
    return normalize(x, _MEAN, _STD).unsqueeze(0)


def extract(backbone: Backbone, image: Image.Image, layer: str = "pool5") -> FeatureMap:
    """Run the image through VGG16 up to ``layer``; return the map as NumPy ``C x H x W``.

    If the GPU fails (out of memory, a driver error) the forward is retried on
    the CPU, and the backbone stays there.
    """
    spec = LAYERS[layer]
    x = image_tensor(image)
    t0 = time.perf_counter()
    # One forward at a time: on a small server, parallel forwards only share the cores.
    with backbone.lock:
        try:
            out = _forward(backbone, x, spec.end)
        except (RuntimeError, MemoryError) as exc:  # torch.cuda.OutOfMemoryError is a RuntimeError
            if backbone.device.type == "cpu":
                raise
            note = f"The GPU forward failed ({type(exc).__name__}: {str(exc)[:160]}); it ran on the CPU instead."
            backbone.problems += (note,)
            backbone.net = backbone.net.cpu()
            backbone.device = torch.device("cpu")
            if hasattr(torch, "cuda") and torch.cuda.is_available():
                torch.cuda.empty_cache()
            out = _forward(backbone, x, spec.end)
            seconds = time.perf_counter() - t0
            return FeatureMap(out, layer, spec.stride, image.size[0], seconds, backbone.device_name, note)
    seconds = time.perf_counter() - t0
    return FeatureMap(out, layer, spec.stride, image.size[0], seconds, backbone.device_name)


def _forward(backbone: Backbone, x: torch.Tensor, end: int) -> np.ndarray:
    with torch.inference_mode():
        y = backbone.net[:end](x.to(backbone.device))
    return y[0].float().cpu().numpy()
