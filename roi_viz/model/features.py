"""torchvision's VGG16 as the feature extractor: image in, ``C x H x W`` feature map out.

One :class:`Backbone` per process is enough (:mod:`roi_viz.model.loading`
builds it once, in the background). Where the stack is cut (``pool5``,
``conv5_3``) is in :mod:`roi_viz.model.layers`.
"""
from __future__ import annotations

import threading
from pathlib import Path
import time
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image
from torchvision.transforms.functional import normalize, pil_to_tensor

from .layers import LAYERS, Layer  # noqa: F401  (re-exported: callers ask features.LAYERS)
from .vgg import features_stack
from ..language import N_
from .weights import WEIGHTS, Said, WeightsFound, find_weights

FALLBACK_SEED = 0
_MEAN = WEIGHTS.transforms().mean
_STD = WEIGHTS.transforms().std


@dataclass
class Backbone:
    """A network's feature part in eval mode on a device, and where its weights came from.

    VGG16's ``features`` here; the ResNet-50-FPN backbone in :mod:`roi_viz.model.pyramid`.
    """

    net: torch.nn.Module
    device: torch.device
    pretrained: bool
    weights_source: str
    problems: tuple[str, ...]
    load_seconds: float
    lock: threading.Lock
    weights_path: Path | None = None  # the file the weights came from (the classifier is read from it too)

    @property
    def device_name(self) -> str:
        if self.device.type == "cuda":
            return f"GPU: {torch.cuda.get_device_name(self.device)}"
        return "CPU"


@dataclass(frozen=True)
class FeatureMap:
    """The output of the network for one image."""

    values: np.ndarray  # C x H x W float32; for a feature pyramid, a tuple of such maps, one per level, finest first
    layer: str
    stride: int
    input_size: int
    seconds: float  # forward time, preprocessing included
    device: str
    note: str = ""  # e.g. the GPU failed and the CPU took over: said in English, for the log
    gpu_error: str = ""  # why the GPU failed ("RuntimeError: …"), when it did: the page says so in its own words


def pick_device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def load_backbone(device: torch.device | str | None = None, found: WeightsFound | None = None) -> Backbone:
    """Build VGG16 ``features`` with the best weights available; never raises for weights.

    Without weights the network is VGG16's ``features`` with torchvision's own
    initialisation rule under a fixed seed, so every run shows the same
    (meaningless) features; ``pretrained`` is then False and the page must say so.
    """
    t0 = time.perf_counter()
    found = found if found is not None else find_weights()
    if found.state_dict is not None:
        net = features_stack()  # uninitialised: the weights replace every parameter at once
        net.load_state_dict(found.state_dict)
    else:
        net = features_stack(seed=FALLBACK_SEED)
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
        found.path,
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
            error = f"{type(exc).__name__}: {str(exc)[:160]}"
            # English for the log, its template for a page to say in its student's language (weights.Said)
            note = Said(N_("The GPU forward failed ({error}); it ran on the CPU instead."), error=error)
            backbone.problems += (note,)
            backbone.net = backbone.net.cpu()
            backbone.device = torch.device("cpu")
            if hasattr(torch, "cuda") and torch.cuda.is_available():
                torch.cuda.empty_cache()
            out = _forward(backbone, x, spec.end)
            seconds = time.perf_counter() - t0
            return FeatureMap(out, layer, spec.stride, image.size[0], seconds, backbone.device_name, note, error)
    seconds = time.perf_counter() - t0
    return FeatureMap(out, layer, spec.stride, image.size[0], seconds, backbone.device_name)


def _forward(backbone: Backbone, x: torch.Tensor, end: int) -> np.ndarray:
    with torch.inference_mode():
        y = backbone.net[:end](x.to(backbone.device))
    return y[0].float().cpu().numpy()

