"""The second network: ResNet-50 with a feature pyramid (FPN), as torchvision's Faster R-CNN builds it.

``torchvision.models.detection.fasterrcnn_resnet50_fpn`` feeds its box head from a
backbone of ResNet-50 (``body``) and a FeaturePyramidNetwork (``fpn``). Its four maps
P2 to P5 have 256 channels each, at strides 4, 8, 16 and 32: the maps that
:func:`roi_viz.ops.multiscale_roi_align` pools from.

Weights are searched as VGG16's are (:mod:`roi_viz.model.weights`), same order, same words:

1. a file named by ``ROI_VIZ_FPN_WEIGHTS`` (a whole Faster R-CNN state dict, keys
   ``backbone.body.*`` and ``backbone.fpn.*``, or the backbone's own, ``body.*`` and ``fpn.*``);
2. torchvision's cache, where ``FasterRCNN_ResNet50_FPN_Weights.COCO_V1`` is kept
   (``torch.hub.get_dir()/checkpoints/fasterrcnn_resnet50_fpn_coco-258fb6c6.pth``);
3. a download from torchvision's address (or the mirror ``ROI_VIZ_FPN_WEIGHTS_URL``),
   only when the host answers within seconds and ``ROI_VIZ_OFFLINE`` is not set.

Without them the backbone is torchvision's, initialised by its own rules under a fixed
seed: the same meaningless maps every run, and ``pretrained`` False for the page to say so.
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch import nn
from torchvision.models import resnet50
from torchvision.models.detection import FasterRCNN_ResNet50_FPN_Weights
from torchvision.models.detection.backbone_utils import BackboneWithFPN, _resnet_fpn_extractor
from torchvision.transforms.functional import normalize, pil_to_tensor

from .features import Backbone
from .weights import PROBE_SECONDS, WeightsError, WeightsFound, file_name, read_state_dict, search_weights

ENV_FPN_WEIGHTS = "ROI_VIZ_FPN_WEIGHTS"
ENV_FPN_URL = "ROI_VIZ_FPN_WEIGHTS_URL"  # a classroom's mirror of torchvision's file
FPN_WEIGHTS = FasterRCNN_ResNet50_FPN_Weights.COCO_V1
LEVELS = ("P2", "P3", "P4", "P5")
STRIDES = (4, 8, 16, 32)
FALLBACK_SEED = 0
# fasterrcnn_resnet50_fpn(weights=None) trains every layer; with weights it freezes all but 3.
# Frozen or not, the layers and their names are the same, and we only run forwards.
TRAINABLE_LAYERS = 5
# torchvision's detector normalises with ImageNet's statistics (GeneralizedRCNNTransform).
_MEAN = (0.485, 0.456, 0.406)
_STD = (0.229, 0.224, 0.225)


def build_fpn_backbone(*, seed: int | None = None, device: str | torch.device = "cpu") -> BackboneWithFPN:
    """torchvision's ResNet-50-FPN backbone, built as ``fasterrcnn_resnet50_fpn(weights=None)`` builds it, in eval mode.

    ``resnet50(norm_layer=BatchNorm2d)`` through ``_resnet_fpn_extractor`` (returned
    layers 1-4, 256 channels, ``LastLevelMaxPool``): the same modules, parameter names
    and shapes as ``fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None).backbone``.
    With ``seed`` the parameters are initialised by torchvision's own rules under that
    seed (equal to that detector's backbone built under the same seed); without it they
    are left uninitialised (``torch.empty``), for weights about to be loaded.
    """
    if seed is None:
        with torch.device("meta"):  # no memory and no random numbers spent on construction
            net = _resnet_fpn_extractor(resnet50(weights=None, norm_layer=nn.BatchNorm2d), TRAINABLE_LAYERS)
        net = net.to_empty(device=device)
    else:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            net = _resnet_fpn_extractor(resnet50(weights=None, norm_layer=nn.BatchNorm2d), TRAINABLE_LAYERS)
        net = net.to(device)
    return net.eval().requires_grad_(False)


def backbone_shapes() -> dict[str, tuple[int, ...]]:
    """Names and shapes of the backbone's state dict (``"body.conv1.weight"``: ``(64, 3, 7, 7)``, ...)."""
    with torch.device("meta"):
        net = _resnet_fpn_extractor(resnet50(weights=None, norm_layer=nn.BatchNorm2d), TRAINABLE_LAYERS)
    return {k: tuple(v.shape) for k, v in net.state_dict().items()}


def fpn_weights_url() -> str:
    """``$ROI_VIZ_FPN_WEIGHTS_URL`` if set, else torchvision's address of the COCO weights."""
    return os.environ.get(ENV_FPN_URL, "").strip() or FPN_WEIGHTS.url


def fpn_cache_path() -> Path:
    """Where torchvision keeps the COCO file: ``torch.hub.get_dir()/checkpoints/`` and the download's name."""
    return Path(torch.hub.get_dir()) / "checkpoints" / file_name(fpn_weights_url())


def find_fpn_weights(*, allow_download: bool | None = None, probe_seconds: float = PROBE_SECONDS) -> WeightsFound:
    """Try ``$ROI_VIZ_FPN_WEIGHTS``, torchvision's cache, then the network; never raises.

    ``state_dict`` is the backbone's own (keys ``body.*``, ``fpn.*``), or None with the
    reasons in ``problems``.
    """
    return search_weights(env_var=ENV_FPN_WEIGHTS, cache=fpn_cache_path(), url=fpn_weights_url(),
                          load=load_fpn_weights_file, allow_download=allow_download, probe_seconds=probe_seconds)


def load_fpn_weights_file(path: str | os.PathLike) -> dict:
    """Read a Faster R-CNN or backbone state dict (``weights_only=True``); keep and check the backbone's part.

    Raises ``OSError`` if the file cannot be read and ``WeightsError`` if it is not
    ResNet-50-FPN weights.
    """
    sd = read_state_dict(path)
    backbone = {k[len("backbone."):]: v for k, v in sd.items() if k.startswith("backbone.")}
    return check_fpn_backbone(backbone or dict(sd))


def check_fpn_backbone(sd: dict) -> dict:
    """Check names and shapes against the built backbone; return its state dict, complete.

    torchvision's trained detector uses frozen BatchNorm, which keeps no
    ``num_batches_tracked``: those counters (unused in eval mode) are filled with 0.
    """
    expected = backbone_shapes()
    counters = {k for k in expected if k.endswith("num_batches_tracked")}
    missing = sorted(set(expected) - counters - set(sd))
    if missing:
        raise WeightsError(f"it is not ResNet-50-FPN weights (missing {', '.join(missing[:3])}, ...)")
    for name, shape in expected.items():
        if name in counters and name not in sd:
            continue
        got = tuple(getattr(sd[name], "shape", ()))
        if got != shape:
            raise WeightsError(f"it is not ResNet-50-FPN weights ({name} has shape {got}, expected {shape})")
    return {k: sd[k] if k in sd else torch.tensor(0, dtype=torch.long) for k in expected}


def coco_bn_eps(path: Path | None) -> float:
    """BatchNorm's epsilon for weights from ``path``: 0 for torchvision's COCO_V1 file, else PyTorch's 1e-5.

    ``fasterrcnn_resnet50_fpn(weights=COCO_V1)`` sets every BatchNorm's eps to 0
    (``overwrite_eps``): those weights were trained that way, and some channels have a
    running variance small enough for 1e-5 to matter. The file is recognised by its name,
    which torchvision's cache and our download always keep.
    """
    return 0.0 if path is not None and Path(path).name == file_name(FPN_WEIGHTS.url) else 1e-5


# The same record as VGG16's (the net, its device, where its weights came from): only the net differs.
FpnBackbone = Backbone


@dataclass(frozen=True)
class Pyramid:
    """The four maps of one image, finest first.

    ``maps[i]`` is ``256 x ceil(H / strides[i]) x ceil(W / strides[i])`` float32 for an
    ``W x H`` input; cell ``(r, c)`` of level ``i`` covers input pixels
    ``[c * s, (c + 1) * s) x [r * s, (r + 1) * s)`` with ``s = strides[i]``, top-left anchored,
    as everywhere in :mod:`roi_viz.ops`.
    """

    maps: tuple[np.ndarray, ...]  # P2..P5, each C x H x W float32
    strides: tuple[int, ...]  # (4, 8, 16, 32)
    levels: tuple[str, ...]  # ("P2", "P3", "P4", "P5")
    input_size: tuple[int, int]  # (W, H) of the model input
    seconds: float  # forward time, preprocessing included
    device: str


def load_fpn_backbone(device: torch.device | str | None = None, found: WeightsFound | None = None) -> FpnBackbone:
    """Build ResNet-50-FPN with the best weights available; never raises for weights."""
    t0 = time.perf_counter()
    found = found if found is not None else find_fpn_weights()
    if found.state_dict is not None:
        net = build_fpn_backbone()  # uninitialised: the weights replace every parameter and buffer at once
        net.load_state_dict(found.state_dict)
        eps = coco_bn_eps(found.path)
        for m in net.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.eps = eps
    else:
        net = build_fpn_backbone(seed=FALLBACK_SEED)
    if device is None:
        device = "cuda" if torch.cuda.is_available() else "cpu"
    device = torch.device(device)
    return FpnBackbone(net.to(device), device, found.state_dict is not None, found.source, found.problems,
                       time.perf_counter() - t0, threading.Lock(), found.path)


def input_tensor(image: Image.Image | torch.Tensor) -> torch.Tensor:
    """The backbone's input: ``1 x 3 x H x W``, a 0-1 RGB image normalised with ImageNet's mean and std.

    ``image``: a PIL image, or a ``3 x H x W`` float tensor with values in 0-1.
    """
    if isinstance(image, Image.Image):
        x = pil_to_tensor(image.convert("RGB")).float().div_(255.0)
    else:
        x = torch.as_tensor(image, dtype=torch.float32)
        if x.ndim != 3 or x.shape[0] != 3:
            raise ValueError(f"The image must be 3 x H x W (RGB); got shape {tuple(x.shape)}.")
    return normalize(x, _MEAN, _STD).unsqueeze(0)


def extract_pyramid(backbone: FpnBackbone, image: Image.Image | torch.Tensor) -> Pyramid:
    """Run the model input through ResNet-50-FPN; return P2-P5 as NumPy ``C x H x W``, finest first.

    ``image`` is the model input itself (PIL, or ``3 x H x W`` in 0-1): nothing is resized.
    torchvision's detector also pads its batch with zeros, bottom and right, to a multiple
    of 32; the page's square inputs are multiples of 32 already, so their maps are the
    detector's exactly. For another size we do not pad: the maps are ``ceil(side / stride)``
    cells and cover the picture only (the detector's would have extra cells of padding, and
    differ near the bottom and right edges).
    """
    t0 = time.perf_counter()
    x = input_tensor(image)
    with backbone.lock, torch.inference_mode():  # one forward at a time: parallel ones only share the cores
        out = backbone.net(x.to(backbone.device))
    # The FPN's fifth output, "pool", is P5 max-pooled to stride 64: the detector's RPN
    # proposes boxes from it, but its box head (MultiScaleRoIAlign on "0".."3") never pools from it.
    maps = tuple(out[k][0].float().cpu().numpy() for k in ("0", "1", "2", "3"))
    seconds = time.perf_counter() - t0
    return Pyramid(maps, STRIDES, LEVELS, (x.shape[-1], x.shape[-2]), seconds, backbone.device_name)
