"""After pooling: every RoI through VGG16's own classifier.

The article stops at a 3 x 3 x 512 output and says it "can be fed into FC
layers". With VGG16 it cannot: the first fully connected layer, fc6, is a
matrix of 4096 x 25,088, so it takes exactly 7 x 7 x 512 = 25,088 numbers,
and 3 x 3 x 512 = 4,608 numbers do not fit. That is why Fast R-CNN cuts VGG16
at conv5_3 (stride 16) and replaces pool5 by RoI pooling to **7 x 7**: the
pretrained head then fits as it is. (torchvision's ``VGG.forward`` would
accept a 3 x 3 map, because its ``AdaptiveAvgPool2d((7, 7))`` silently
stretches any map to 7 x 7 by repeating cells; on a 7 x 7 map that pool is the
identity, and that is the only case used here.)

The head is ``vgg16().classifier``: fc6 (25,088 -> 4096), ReLU, dropout, fc7
(4096 -> 4096), ReLU, dropout, fc8 (4096 -> 1000 ImageNet classes). In Fast
R-CNN fc8 is replaced by the detector's own class and box layers; here the
ImageNet fc8 is kept, so each RoI gets ImageNet scores: enough to see that
every RoI, sensible or not, goes through the same head and comes out with
*some* answer.

Conventions: the feature map is conv5_3's, ``512 x H x W`` (one image); an
RoI is ``(x, y, w, h)`` in pixels of the model input, as everywhere in
``roi_viz``; pooling is :func:`roi_viz.ops.roipool.roi_pool`.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import torch
from torch import nn
from torchvision.models import VGG16_Weights, vgg16

from ..language import N_, _
from ..model.weights import Said, WeightsError, WeightsFound, find_weights, read_state_dict
from ..ops import geometry as g
from ..ops.roipool import PoolTrace, roi_pool

HEAD_SIZE = (7, 7)  # what fc6 was trained on: VGG16's pool5 of a 224 x 224 image
HEAD_CHANNELS = 512
FC6_INPUTS = HEAD_SIZE[0] * HEAD_SIZE[1] * HEAD_CHANNELS  # 25,088
HEAD_LAYER = "conv5_3"  # Fast R-CNN pools from here, stride 16
HEAD_STRIDE = 16
CLASSES: tuple[str, ...] = tuple(VGG16_Weights.IMAGENET1K_V1.meta["categories"])  # shipped with torchvision
FALLBACK_SEED = 0

# The article's four RoIs, on the 512 x 512 "astronaut" sample. The article
# draws four boxes but gives numbers for one only (x=296, y=192, w=200, h=145,
# its worked example); the other three are ours, drawn in its spirit: two
# around things (the face, the helmet) and one that "doesn't make sense"
# (a strip across the flag and the suit).
FOUR_ROIS_SAMPLE = "astronaut"
FOUR_ROIS: tuple[g.Box, ...] = (
    (296.0, 192.0, 200.0, 145.0),  # the article's worked example
    (150.0, 20.0, 150.0, 170.0),  # the face
    (276.0, 312.0, 236.0, 200.0),  # the helmet
    (10.0, 230.0, 330.0, 60.0),  # a box that doesn't make sense
)


# ------------------------------------------------------------------ does it fit?
def head_inputs(output_size: int | Sequence[int], channels: int = HEAD_CHANNELS) -> int:
    """How many numbers a pooled RoI hands to the head: ``ph * pw * channels``."""
    ph, pw = g.check_output_size(output_size)
    return ph * pw * channels


def head_fits(output_size: int | Sequence[int], channels: int = HEAD_CHANNELS) -> bool:
    """True when a ``ph x pw x channels`` pooled RoI is exactly what VGG16's fc6 takes."""
    return head_inputs(output_size, channels) == FC6_INPUTS


def head_sentence(output_size: int | Sequence[int], channels: int = HEAD_CHANNELS) -> str:
    """One sentence for the page: does this output size feed VGG16's fc6, and why (not)."""
    ph, pw = g.check_output_size(output_size)
    n = head_inputs((ph, pw), channels)
    if n == FC6_INPUTS:
        return _("{ph} × {pw} × {channels} = {n} numbers: exactly what VGG16's fc6 takes, so the pretrained head "
                 "can classify every pooled RoI as it is.").format(ph=ph, pw=pw, channels=channels, n=f"{n:,}")
    return _("{ph} × {pw} × {channels} = {n} numbers, but VGG16's fc6 takes {hh} × {hw} × {hc} = {fc6}: this "
             "output cannot feed it. Fast R-CNN pools conv5_3 to 7 × 7 for this reason.").format(
        ph=ph, pw=pw, channels=channels, n=f"{n:,}", hh=HEAD_SIZE[0], hw=HEAD_SIZE[1], hc=HEAD_CHANNELS,
        fc6=f"{FC6_INPUTS:,}")


# ------------------------------------------------------------------ loading the head
@dataclass(frozen=True)
class Head:
    """torchvision's whole ``vgg16()`` in eval mode, and where its weights came from."""

    model: nn.Module  # a torchvision VGG: .features, .avgpool, .classifier
    pretrained: bool  # features AND classifier are ImageNet weights; else the scores mean nothing
    features_pretrained: bool
    source: str
    problems: tuple[str, ...]
    load_seconds: float

    @property
    def device(self) -> torch.device:
        return next(self.model.classifier.parameters()).device


def load_head(found: WeightsFound | None = None, *, backbone=None, device: str | torch.device | None = None) -> Head:
    """Build ``vgg16()`` with the best weights available; never raises for weights.

    Args:
        found: where the weights are (:func:`roi_viz.model.weights.find_weights`
            is asked when ``None``). The classifier is read from the same file as
            the features (``found.path``), from its ``classifier.*`` keys, as in
            torchvision's ``vgg16-397923af.pth``.
        backbone: a :class:`roi_viz.model.features.Backbone` whose ``features``
            are reused as they are (same module, no second copy, same device);
            without it the features are built from ``found`` like the backbone's.
        device: where the classifier goes when there is no backbone (default: CPU).

    Without a usable classifier (no file, or a file of ``features`` only) the
    classifier gets torchvision's own initialisation (normal(0, 0.01), zero
    bias) under a fixed seed, and ``pretrained`` is False: the page must say
    that its scores mean nothing. The caller keeps the result (one per process).
    """
    t0 = time.perf_counter()
    if found is None and backbone is not None:  # the backbone's file, not a second search (and download)
        found = WeightsFound(None, backbone.weights_source, tuple(backbone.problems),
                             getattr(backbone, "weights_path", None))
    found = found if found is not None else find_weights()
    problems = list(found.problems)
    if backbone is not None:
        features, features_pretrained, device = backbone.net, bool(backbone.pretrained), backbone.device
    else:
        from ..model.vgg import features_stack  # noqa: PLC0415  (same builder as the backbone)

        device = torch.device(device or "cpu")
        if found.state_dict is not None:
            features = features_stack(device=device)
            features.load_state_dict(found.state_dict)
        else:
            features = features_stack(seed=FALLBACK_SEED, device=device)
        features_pretrained = found.state_dict is not None

    classifier_sd = None
    if found.path is not None:
        try:
            classifier_sd = load_classifier_file(found.path)
        except (OSError, WeightsError) as exc:
            problems.append(Said(N_("The classifier (fc6-fc8) could not be read from {path}: {error}"),
                                 path=found.path, error=exc))
    elif found.state_dict is not None:
        problems.append(Said(N_("The weights came without their file, so the classifier (fc6-fc8) could not be "
                                "read.")))

    # Structure only: on the meta device vgg16() allocates nothing and draws no random numbers.
    with torch.device("meta"):
        model = vgg16(weights=None)
    model.features = features
    if classifier_sd is not None:
        model.classifier.load_state_dict(classifier_sd, assign=True)  # take the loaded tensors, no copy
    else:
        model.classifier = model.classifier.to_empty(device="cpu")
        init_classifier(model.classifier, FALLBACK_SEED)
    model = model.to(device).eval().requires_grad_(False)
    return Head(
        model=model,
        pretrained=features_pretrained and classifier_sd is not None,
        features_pretrained=features_pretrained,
        source=found.source,
        problems=tuple(problems),
        load_seconds=time.perf_counter() - t0,
    )


def load_classifier_file(path) -> dict:
    """The ``classifier.*`` part of a VGG16 weights file, keys ``"0.weight"`` etc., checked.

    Raises ``OSError`` if the file cannot be read and ``WeightsError`` if it
    has no VGG16 classifier (a file of ``features`` only, say).
    """
    sd = read_state_dict(path)
    found = {k[len("classifier."):]: v for k, v in sd.items() if k.startswith("classifier.")}
    del sd  # the features' tensors are the backbone's business; let them go now
    if not found:
        raise WeightsError("the file has no classifier (only the convolutional features)")
    with torch.device("meta"):
        expected = {k: tuple(v.shape) for k, v in vgg16(weights=None).classifier.state_dict().items()}
    for name, shape in expected.items():
        got = tuple(getattr(found.get(name), "shape", ()))
        if got != shape:
            raise WeightsError(f"it is not VGG16's classifier (classifier.{name} has shape {got}, expected {shape})")
    return {k: found[k].float() for k in expected}


def init_classifier(classifier: nn.Sequential, seed: int) -> None:
    """torchvision's ``VGG.__init__`` rule for the linear layers, under ``seed``."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        for m in classifier.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, 0.01)
                nn.init.constant_(m.bias, 0)


# ----------------------------------------------------------------- classifying RoIs
@dataclass(frozen=True)
class RoIScores:
    """One RoI, pooled to 7 x 7 and classified by VGG16's head."""

    roi: g.Box  # (x, y, w, h), input pixels
    trace: PoolTrace = field(repr=False)  # the pooling, step by step
    pooled: np.ndarray = field(repr=False)  # 512 x 7 x 7, what fc6 reads (flattened)
    logits: np.ndarray = field(repr=False)  # 1000 floats, fc8's output
    probs: np.ndarray = field(repr=False)  # softmax of the logits, sums to 1
    top: list[tuple[str, float]]  # the best classes, most probable first: (ImageNet name, probability)


def classify_roi(model: nn.Module, feature_map, roi: Sequence[float], *, stride: float = HEAD_STRIDE,
                 scheme: str = "article", top: int = 5) -> RoIScores:
    """Pool one RoI of a conv5_3 map to 7 x 7 and run it through ``model.classifier``.

    Args:
        model: torchvision's whole ``vgg16()`` (e.g. ``load_head(...).model``).
        feature_map: the conv5_3 map of one image, ``512 x H x W`` (NumPy or tensor).
        roi: ``(x, y, w, h)`` in model-input pixels.
        stride: input pixels per cell (16 at conv5_3).
        scheme: RoI pooling's rule, ``"article"`` or ``"fastrcnn"``.
        top: how many classes to list.

    An empty bin (an RoI smaller than 7 x 7 cells under the article's rule)
    pools to 0 and is classified all the same: that is what the head would see.
    """
    return classify_rois(model, feature_map, [roi], stride=stride, scheme=scheme, top=top)[0]


def classify_rois(model: nn.Module, feature_map, rois: Sequence[Sequence[float]], *, stride: float = HEAD_STRIDE,
                  scheme: str = "article", top: int = 5) -> list[RoIScores]:
    """:func:`classify_roi` for many RoIs: ``K x 512 x 7 x 7`` through the head in one call.

    This is the article's point: the image goes through the convolutions
    once, then every RoI, sensible or not, goes through the head.
    """
    traces = [roi_pool(feature_map, roi, stride=stride, output_size=HEAD_SIZE, scheme=scheme) for roi in rois]
    if not traces:
        return []
    pooled = np.stack([t.output for t in traces])  # K x C x 7 x 7
    if pooled.shape[1] != HEAD_CHANNELS:
        raise ValueError(
            f"The head needs {HEAD_CHANNELS} channels (conv5_3's); this map has {pooled.shape[1]}. "
            + head_sentence(HEAD_SIZE, pooled.shape[1])
        )
    weight = next(model.classifier.parameters())
    with torch.inference_mode():
        x = torch.from_numpy(np.ascontiguousarray(pooled)).to(weight.device, weight.dtype)
        # Exactly VGG.forward after the features: avgpool (the identity on 7 x 7), flatten, classifier.
        logits = model.classifier(torch.flatten(model.avgpool(x), 1)).float().cpu().numpy()
    probs = softmax(logits.astype(np.float64))
    return [
        RoIScores(t.roi, t, pooled[k], logits[k], probs[k], top_classes(probs[k], top))
        for k, t in enumerate(traces)
    ]


def softmax(logits: np.ndarray) -> np.ndarray:
    """Softmax over the last axis, shifted by the maximum so that large logits do not overflow."""
    z = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def top_classes(probs: np.ndarray, k: int = 5) -> list[tuple[str, float]]:
    """The ``k`` most probable ImageNet classes, most probable first (ties: lower class index first)."""
    order = np.argsort(-probs, kind="stable")[:k]
    return [(CLASSES[i], float(probs[i])) for i in order]
