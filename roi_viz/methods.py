"""One record per method: what it is called, what it reads, how it runs, and its steps.

Everything the page, the CLI and the comparison know about a method comes from
its :class:`Method` here: a fifth method is one more record in :data:`METHODS`.
A step is a title, the function that draws its figure and the function that
writes its words; both take the same :class:`~roi_viz.lesson.scene.Scene`, so
a figure and its text are always computed from the same numbers.

Usage::

    settings = Settings(method="align", sampling_ratio=0)
    scene = build_scene(image, features, rois, active=0, settings=settings)
    for step in METHODS[settings.method].steps:
        figure, text = step.figure(scene), step.words(scene)
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

import numpy as np
from matplotlib.figure import Figure
from PIL import Image

from .draw import compare as fc
from .draw import sampling as fs
from .draw import steps as fp
from .lesson import words
from .lesson.scene import Scene, clamp_focus, strongest_channel
from .lesson.settings import Settings
from .ops import geometry as g
from .ops.maps import as_numpy_map
from .ops.prroi import prroi_pool
from .ops.roialign import roi_align, roi_warp
from .ops.roipool import roi_pool


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    figure: Callable[[Scene], Figure]
    words: Callable[[Scene], str]
    photo: bool = False  # mostly a photograph: sent as JPEG, not PNG
    picks: str = ""  # "bin" or "point": the close-up the student steers with pickers


@dataclass(frozen=True)
class Method:
    key: str  # "pool", "align", "warp", "prroi": in settings, links and the CLI
    name: str  # "RoIAlign"
    short: str  # in plot legends
    reads: Callable  # draws what it reads from the map (the comparison's top row)
    options: tuple[str, ...]  # the Settings fields that change its numbers
    style: tuple[str, str, str]  # colour, line style, marker: distinct without colour too
    whole_cells: bool  # reads whole cells, so its output jumps as the box slides
    op: Callable  # (feature_map, roi, settings) -> trace
    label: Callable  # trace -> name with the settings that change its numbers
    steps: tuple[Step, ...]

    def run(self, feature_map, roi, settings: Settings):
        """This method on one RoI with the user's settings; returns its trace."""
        return self.op(feature_map, roi, settings)

    def step_keys(self) -> list[str]:
        return [s.key for s in self.steps]


# ------------------------------------------------------------------ how each runs
def _pool(fm, roi, s: Settings):
    return roi_pool(fm, roi, stride=s.stride, output_size=s.output_size, scheme=s.scheme)


def _align(fm, roi, s: Settings):
    return roi_align(fm, roi, stride=s.stride, output_size=s.output_size, sampling_ratio=s.sampling_ratio,
                     aligned=s.aligned, mode=s.align_mode)


def _warp(fm, roi, s: Settings):
    return roi_warp(fm, roi, stride=s.stride, output_size=s.output_size, sampling_ratio=s.sampling_ratio,
                    mode=s.warp_mode, scheme=s.scheme)


def _prroi(fm, roi, s: Settings):
    return prroi_pool(fm, roi, stride=s.stride, output_size=s.output_size, aligned=s.aligned)


def _ratio(t) -> str:
    return "adaptive" if t.sampling_ratio <= 0 else str(t.sampling_ratio)


# ------------------------------------------------------------------ the steps
IMAGE = Step("image", "Image and RoIs", fp.fig_image, words.step_image, photo=True)
QUANTIZE = Step("quantize", "Quantization", fp.fig_quantize, words.step_quantize)
SAMPLING = Step("sampling", "Bins and sampling points", fs.fig_sampling, words.step_sampling, picks="point")
BILINEAR = Step("bilinear", "One point, four cells", fs.fig_bilinear, words.step_bilinear, picks="point")
COMBINE = Step("combine", "One value per bin", fs.fig_combine, words.step_combine)


def _features(note=None) -> Step:
    return Step("features", "Feature map and projection", fp.fig_features,
                partial(words.step_features, note=note) if note else words.step_features)


def _output(figure, text) -> Step:
    return Step("output", "Output and coverage", figure, text)


METHODS: dict[str, Method] = {
    m.key: m
    for m in (
        Method(
            "pool", "RoI pooling", "RoI pooling", fc.reads_cells, ("scheme",), ("#d62728", "-", "s"), True, _pool,
            lambda t: f"RoI pooling ({'article' if t.scheme == 'article' else 'Fast R-CNN'} rounding)",
            (IMAGE, _features(), QUANTIZE, Step("bins", "Split into bins", fp.fig_bins, words.step_bins),
             Step("pool", "Max pooling", fp.fig_pool, words.step_pool), _output(fp.fig_output, words.step_output)),
        ),
        Method(
            "align", "RoIAlign", "RoIAlign", fc.reads_points, ("sampling_ratio", "aligned", "align_mode"),
            ("#1f77b4", "--", "o"), False, _align,
            lambda t: f"RoIAlign ({t.mode}, ratio {_ratio(t)}, {'aligned' if t.aligned else 'legacy'})",
            (IMAGE, _features(words.keeps_fractions), SAMPLING, BILINEAR, COMBINE,
             _output(fs.fig_output, words.output_between_cells)),
        ),
        Method(
            "warp", "RoIWarp", "RoIWarp", fc.reads_points, ("scheme", "sampling_ratio", "warp_mode"),
            ("#9467bd", "-.", "^"), True, _warp,
            lambda t: f"RoIWarp ({t.mode}, ratio {_ratio(t)})",
            (IMAGE, _features(words.snaps_first), QUANTIZE, SAMPLING, BILINEAR, COMBINE,
             _output(fs.fig_output, words.output_between_cells)),
        ),
        Method(
            "prroi", "Precise RoI Pooling", "PrRoI", fc.reads_integral, ("aligned",), ("#2ca02c", ":", "D"), False,
            _prroi,
            lambda t: f"Precise RoI Pooling ({'aligned' if t.aligned else 'authors’ rule'})",
            (IMAGE, _features(words.keeps_fractions),
             Step("integrate", "Integrate each bin", fs.fig_integrate, words.step_integrate, picks="bin"),
             _output(fs.fig_output, words.output_between_cells)),
        ),
    )
}
NAMES = {k: m.name for k, m in METHODS.items()}


def method(key: str) -> Method:
    """The record for ``key``, or a ``ValueError`` that lists the keys."""
    try:
        return METHODS[key]
    except KeyError:
        raise ValueError(f"The method must be one of {', '.join(METHODS)}; got {key!r}.") from None


# ------------------------------------------------------------------ running them
def run(key: str, feature_map, roi, settings: Settings):
    """One method on one RoI; returns its trace."""
    return method(key).run(feature_map, roi, settings)


def run_all(feature_map, roi, settings: Settings) -> dict:
    """Every method on the same RoI, in the order of :data:`METHODS`."""
    fm = as_numpy_map(feature_map)
    return {k: m.run(fm, roi, settings) for k, m in METHODS.items()}


def labels(traces: dict) -> dict:
    """Each method's name with the settings that change its numbers, keyed like ``traces``."""
    return {k: METHODS[k].label(t) for k, t in traces.items()}


def runners(settings: Settings) -> dict:
    """``run(feature_map, roi)`` per method with the settings bound, for :func:`~roi_viz.ops.sliding.slide_roi`."""
    return {k: partial(lambda m, fm, roi: m.run(fm, roi, settings), m) for k, m in METHODS.items()}


def build_scene(
    image: Image.Image,
    features: np.ndarray,
    rois,
    active: int,
    settings: Settings,
    *,
    pretrained: bool = True,
    focus: tuple[int, int, int] = (0, 0, 0),
) -> Scene:
    """Run the chosen method for the active RoI and bundle everything the steps need.

    Args:
        image: the model input, ``S x S`` RGB.
        features: ``C x H x W``, the map of ``image`` at ``settings.layer``.
        rois: every RoI, ``(x, y, w, h)`` in input pixels.
        active: index of the RoI the steps follow.
        focus: the bin ``(i, j)`` and point ``k`` of the close-up steps; clamped
            into the output, so a stale choice after the output size changed
            still shows something sensible.
    """
    rec = method(settings.method)
    rois = tuple(g.check_roi(r) for r in rois)
    if not rois:
        raise ValueError("There is no RoI yet: draw one on the image.")
    if not 0 <= active < len(rois):
        raise ValueError(f"There is no RoI number {active + 1}.")
    trace = _pool(features, rois[active], settings)  # every method's page uses its projection
    result = rec.run(features, rois[active], settings)
    channel = settings.channel
    if channel is None:
        channel = strongest_channel(features, g.touched_span(trace.projected, trace.map_size))
    if not 0 <= channel < features.shape[0]:
        raise ValueError(f"The channel must be between 0 and {features.shape[0] - 1}; got {channel}.")
    focus = clamp_focus(focus, trace.output_size, getattr(result, "points_per_bin", 1))
    return Scene(image, rois, active, features, trace, int(channel), settings.channel is None, settings, rec.name,
                 result, pretrained, focus)
