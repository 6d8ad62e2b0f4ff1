"""The :class:`Scene` every step is drawn and explained from.

A scene is what the user has chosen (image, RoIs, which RoI, settings, which
bin and point to look at) plus what the library computed from it (the feature
map and the traces). Figures (:mod:`roi_viz.figures`) and words
(:mod:`roi_viz.lesson.words`) take a scene and nothing else; the page and the
CLI build scenes through :func:`roi_viz.methods.build_scene`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from PIL import Image

from ..ops import geometry as g
from ..ops.roipool import PoolTrace
from .settings import Settings


@dataclass(frozen=True)
class Scene:
    image: Image.Image  # the model input, RGB: S x S, or W x H with the photo's proportions
    rois: tuple[g.Box, ...]  # every RoI, input pixels
    active: int  # index of the RoI the walkthrough follows
    features: np.ndarray  # C x H x W
    pooled: PoolTrace  # RoI pooling of the active RoI, whatever the method (every page uses its projection)
    channel: int  # the channel shown in the steps that show one
    channel_auto: bool  # True when the channel was picked as the strongest in the RoI
    settings: Settings
    method_name: str  # e.g. "RoIAlign"
    chosen: object  # the trace of ``settings.method`` (the same object as ``pooled`` for RoI pooling)
    pretrained: bool = True
    focus: tuple[int, int, int] = (0, 0, 0)  # the bin (i, j) and sampling point k looked at closely

    @property
    def method(self) -> str:
        return self.settings.method

    @property
    def mean_view(self) -> bool:
        return self.settings.mean_view

    @property
    def layer_label(self) -> str:
        return self.settings.layer_label

    @property
    def input_size(self) -> int:
        """``S``: the side of a square input, the shorter side of one that keeps the photo's proportions."""
        return min(self.image.size)

    @property
    def input_dims(self) -> tuple[int, int]:
        """``(W, H)`` of the model input in pixels."""
        return self.image.size

    def refocused(self, focus) -> "Scene":
        """The same scene looking closely at another bin ``(i, j)`` and point ``k`` (clamped into the output):
        nothing else in it depends on the focus, so nothing else is computed again."""
        return replace(self, focus=focus_of(focus, self.pooled, self.chosen))


def strongest_channel(features: np.ndarray, span: g.Span) -> int:
    """The channel with the largest single activation inside ``span`` (0 if it is empty)."""
    r0, r1, c0, c1 = span
    block = features[:, r0:r1, c0:c1]
    if block.size == 0:
        return 0
    return int(block.reshape(block.shape[0], -1).max(axis=1).argmax())


def clamp_focus(focus, output_size: tuple[int, int], points: int) -> tuple[int, int, int]:
    """Keep a chosen bin and point inside the output, so a stale choice still shows something."""
    ph, pw = output_size
    i, j, k = (int(v) for v in focus)
    return min(max(i, 0), ph - 1), min(max(j, 0), pw - 1), min(max(k, 0), max(points - 1, 0))


def focus_of(focus, pooled, chosen) -> tuple[int, int, int]:
    """``focus`` kept inside the output of ``pooled`` and the sampling points per bin of ``chosen`` (one for a
    method without points): the focus a scene of that trace holds."""
    return clamp_focus(focus, pooled.output_size, getattr(chosen, "points_per_bin", 1))


def focus_notice(asked, scene: Scene) -> str:
    """A sentence when the bin or point ``asked`` (all from 0, as :attr:`Scene.focus`) is not the one shown.

    A link can ask for any point up to 4096, but how many a bin has depends on
    the method, the sampling ratio and the box; :func:`clamp_focus` keeps the
    scene's focus inside them. Returns ``""`` when nothing was changed.
    """
    i, j, k = (int(v) for v in asked)
    si, sj, sk = scene.focus
    parts = []
    if (i, j) != (si, sj):
        parts.append(f"bin={i}_{j} is not in the {scene.pooled.output_size[0]} × {scene.pooled.output_size[1]} "
                     f"output, so bin {si}_{sj} is shown")
    if k != sk:
        n = getattr(scene.chosen, "points_per_bin", None)
        if n is None:
            parts.append(f"point={k + 1} does not apply: {scene.method_name} has no sampling points, so point "
                         f"{sk + 1} is kept")
        else:
            parts.append(f"point={k + 1} does not exist here: a bin has {n} sampling point{'s' if n != 1 else ''} "
                         f"with these settings, so point {sk + 1} is shown")
    return ("The link's " + "; its ".join(parts) + ".") if parts else ""
