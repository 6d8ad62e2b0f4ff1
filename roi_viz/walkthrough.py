"""The steps of the walkthrough, and the :class:`Scene` every step is drawn from.

A scene is what the user has chosen (image, RoIs, which RoI, channel, method
and its settings, which bin and point to look at) plus what the library
computed from it (feature map, traces). Each method has its own list of steps
(:data:`STEP_SETS`); the first two and the last are shared.
``figures`` turns a scene into a picture and ``explain`` into words; the page
and the CLI only build scenes.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from . import geometry as g
from .pooling import METHODS, Settings, run
from .roipool import PoolTrace


@dataclass(frozen=True)
class Step:
    key: str
    title: str


_IMAGE = Step("image", "Image and RoIs")
_FEATURES = Step("features", "Feature map and projection")
_QUANTIZE = Step("quantize", "Quantization")
_SAMPLING = Step("sampling", "Bins and sampling points")
_BILINEAR = Step("bilinear", "One point, four cells")
_COMBINE = Step("combine", "One value per bin")
_OUTPUT = Step("output", "Output and coverage")

STEPS = (_IMAGE, _FEATURES, _QUANTIZE, Step("bins", "Split into bins"), Step("pool", "Max pooling"), _OUTPUT)
STEP_SETS = {
    "pool": STEPS,
    "align": (_IMAGE, _FEATURES, _SAMPLING, _BILINEAR, _COMBINE, _OUTPUT),
    "warp": (_IMAGE, _FEATURES, _QUANTIZE, _SAMPLING, _BILINEAR, _COMBINE, _OUTPUT),
    "prroi": (_IMAGE, _FEATURES, Step("integrate", "Integrate each bin"), _OUTPUT),
}
ALL_STEP_KEYS = tuple(dict.fromkeys(st.key for steps in STEP_SETS.values() for st in steps))


@dataclass(frozen=True)
class Scene:
    image: Image.Image  # the model input, S x S RGB
    rois: tuple[g.Box, ...]  # every RoI, input pixels
    active: int  # index of the RoI the walkthrough follows
    features: np.ndarray  # C x H x W
    trace: PoolTrace  # RoI pooling of the active RoI (every method's page uses its projection)
    channel: int  # the channel shown in steps 2, 5 and 6
    channel_auto: bool  # True when the channel was picked as the strongest in the RoI
    mean_view: bool = False  # step 2 shows the mean over channels instead
    pretrained: bool = True
    layer_label: str = "VGG16 up to pool5"
    method: str = "pool"
    result: object = None  # the trace of ``method`` (the same object as ``trace`` for "pool")
    settings: Settings | None = None
    focus: tuple[int, int, int] = (0, 0, 0)  # the bin (i, j) and sampling point k looked at closely

    @property
    def input_size(self) -> int:
        return self.image.size[0]

    @property
    def steps(self) -> tuple[Step, ...]:
        return STEP_SETS[self.method]


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
    method: str = "pool",
    sampling_ratio: int = 2,
    aligned: bool = True,
    align_mode: str = "avg",
    warp_mode: str = "max",
    focus: tuple[int, int, int] = (0, 0, 0),
) -> Scene:
    """Run the chosen method for the active RoI and bundle everything the steps need.

    ``focus`` is clamped into the output (and into the points of a bin), so a
    stale choice after the output size changed still shows something sensible.
    """
    if method not in METHODS:
        raise ValueError(f"The method must be one of {', '.join(METHODS)}; got {method!r}.")
    rois = tuple(g.check_roi(r) for r in rois)
    if not rois:
        raise ValueError("There is no RoI yet: draw one on the image.")
    if not 0 <= active < len(rois):
        raise ValueError(f"There is no RoI number {active + 1}.")
    settings = Settings(
        stride=stride, output_size=g.check_output_size(output_size), scheme=scheme,
        sampling_ratio=sampling_ratio, aligned=aligned, align_mode=align_mode, warp_mode=warp_mode,
    )
    trace = run("pool", features, rois[active], settings)
    result = trace if method == "pool" else run(method, features, rois[active], settings)
    auto = channel is None
    if auto:
        channel = strongest_channel(features, g.touched_span(trace.projected, trace.map_size))
    if not 0 <= channel < features.shape[0]:
        raise ValueError(f"The channel must be between 0 and {features.shape[0] - 1}; got {channel}.")
    ph, pw = trace.output_size
    i, j, k = focus
    i, j = min(max(int(i), 0), ph - 1), min(max(int(j), 0), pw - 1)
    points = getattr(result, "points_per_bin", 1)
    k = min(max(int(k), 0), max(points - 1, 0))
    return Scene(image, rois, active, features, trace, int(channel), auto, mean_view, pretrained, layer_label,
                 method, result, settings, (i, j, k))
