"""The six steps of the walkthrough, and the :class:`Scene` every step is drawn from.

A scene is what the user has chosen (image, RoIs, which RoI, channel, scheme,
output size) plus what the library computed from it (feature map, trace).
``figures`` turns a scene into a picture and ``explain`` into words; the page
and the CLI only build scenes.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from . import geometry as g
from .pooling import PoolTrace, roi_pool


@dataclass(frozen=True)
class Step:
    key: str
    title: str


STEPS = (
    Step("image", "Image and RoIs"),
    Step("features", "Feature map and projection"),
    Step("quantize", "Quantization"),
    Step("bins", "Split into bins"),
    Step("pool", "Max pooling"),
    Step("output", "Output and coverage"),
)


@dataclass(frozen=True)
class Scene:
    image: Image.Image  # the model input, S x S RGB
    rois: tuple[g.Box, ...]  # every RoI, input pixels
    active: int  # index of the RoI the walkthrough follows
    features: np.ndarray  # C x H x W
    trace: PoolTrace
    channel: int  # the channel shown in steps 2, 5 and 6
    channel_auto: bool  # True when the channel was picked as the strongest in the RoI
    mean_view: bool = False  # step 2 shows the mean over channels instead
    pretrained: bool = True
    layer_label: str = "VGG16 up to pool5"

    @property
    def input_size(self) -> int:
        return self.image.size[0]


def strongest_channel(features: np.ndarray, span: g.Span) -> int:
    """The channel with the largest single activation inside ``span`` (0 if it is empty)."""
    r0, r1, c0, c1 = span
    block = features[:, r0:r1, c0:c1]
    if block.size == 0:
        return 0
    return int(block.reshape(block.shape[0], -1).max(axis=1).argmax())


def build_scene(
    image: Image.Image,
    features: np.ndarray,
    rois,
    active: int,
    *,
    stride: float,
    output_size=(3, 3),
    scheme: str = "article",
    channel: int | None = None,
    mean_view: bool = False,
    pretrained: bool = True,
    layer_label: str = "VGG16 up to pool5",
) -> Scene:
    """Run RoI pooling for the active RoI and bundle everything the steps need."""
    rois = tuple(g.check_roi(r) for r in rois)
    if not rois:
        raise ValueError("There is no RoI yet: draw one on the image.")
    if not 0 <= active < len(rois):
        raise ValueError(f"There is no RoI number {active + 1}.")
    trace = roi_pool(features, rois[active], stride=stride, output_size=output_size, scheme=scheme)
    auto = channel is None
    if auto:
        channel = strongest_channel(features, g.touched_span(trace.projected, trace.map_size))
    if not 0 <= channel < features.shape[0]:
        raise ValueError(f"The channel must be between 0 and {features.shape[0] - 1}; got {channel}.")
    return Scene(image, rois, active, features, trace, int(channel), auto, mean_view, pretrained, layer_label)
