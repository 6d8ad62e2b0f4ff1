"""One record per method: what it is called, what it reads, how it runs, and what kind of method it is.

Everything the page, the CLI, the link, the quiz and the comparison know about a
method comes from its :class:`Method` here. The record is pure (NumPy and the
ops; no Matplotlib, no words of the lesson), so parsing a link or making a quiz
question does not load the figures. How each step of a method is drawn and told
lives in :mod:`roi_viz.walkthrough`, keyed by the step keys the record lists.

Code elsewhere never asks *which* method it has; it asks the record a question
(its traits: :attr:`Method.snaps_to_cells`, :attr:`Method.whole_cell_bins`,
:attr:`Method.samples_points`, :attr:`Method.integrates`) or the trace one.
The backward pass reads its forward function and that function's options
(:attr:`Method.forward`, :attr:`Method.forward_options`) and whether it has a
surrogate gradient; the training view reads its two sentences on the gradient;
the proposals read the torchvision function that pools many boxes at once
(:attr:`Method.batched`); the board is sent its traits.
A fifth method is one more record in :data:`METHODS` (see :func:`register`)
and its steps in :mod:`roi_viz.walkthrough`.

Usage::

    settings = Settings(method="align", sampling_ratio=0)
    trace = method(settings.method).run(feature_map, (296, 192, 200, 145), settings)
    scene = build_scene(image, features, rois, active=0, settings=settings)
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

import numpy as np
from PIL import Image

from .language import N_, _  # the records' words are stored marked (N_) and translated where shown
from .state.scene import Scene, focus_of, strongest_channel
from .state.options import METHOD_NAMES
from .state.settings import Settings
from .model.layers import NETWORKS
from .ops import geometry as g
from .ops.maps import as_numpy_map
from .ops.prroi import prroi_pool
from .ops.roialign import roi_align, roi_warp
from .ops.roipool import roi_pool


@dataclass(frozen=True)
class Method:
    key: str  # "pool", "align", "warp", "prroi": in settings, links and the CLI
    name: str  # "RoIAlign"; marked for the catalog (N_), shown with _(name)
    short: str  # in plot legends
    options: tuple[str, ...]  # the Settings fields that change its numbers
    style: tuple[str, str, str]  # colour, line style, marker: distinct without colour too
    op: Callable  # (feature_map, roi, settings) -> trace
    label: Callable  # trace -> name with the settings that change its numbers, in the language in force
    describe: Callable  # settings -> the method and its options, as a quiz question states them (language in force)
    plan: tuple[str, ...]  # its steps' keys, in order; roi_viz.walkthrough draws and tells each
    # What kind of method it is: the questions callers ask instead of its name.
    snaps_to_cells: bool = False  # rounds the box to whole cells first, so its output jumps as the box slides
    whole_cell_bins: bool = False  # its bins are blocks of whole cells (RoI pooling's split)
    samples_points: bool = False  # reads the map at bilinear sampling points
    integrates: bool = False  # averages the bilinear surface exactly over each bin
    position_sensitive: bool = False  # each bin reads its own group's channel: a map channel is followed through
    # the output channel of its group (the trace's follows / read_channel), so a slide needs the whole map
    # Its backward pass (roi_viz.study.backward) and the training view's words (roi_viz.lesson.training).
    forward: Callable | None = None  # (feature_map, roi, *, stride, output_size, **options) -> trace; None: none here
    forward_options: tuple[tuple[str, str], ...] = ()  # (the forward's keyword, the Settings field it reads)
    surrogate: bool = False  # a differentiable stand-in for the box's gradient exists (MNC's RoIWarp layer)
    gradient_words: str = ""  # where one output value's gradient lands on the map, after "sends its gradient"
    box_words: str = ""  # whether a loss could move the box through it: one or two sentences
    # Pooling thousands of proposals at once (roi_viz.study.proposals.pool_all): the torchvision.ops function, if any.
    batched: str = ""  # "roi_pool" or "roi_align"; "" where torchvision has none

    def options_for(self, settings: Settings) -> dict:
        """The forward function's own keyword arguments, read from ``settings``."""
        return {kw: getattr(settings, field) for kw, field in self.forward_options}

    def option_names(self) -> tuple[str, ...]:
        """The keywords its forward function takes besides the map, the box, the stride and the output size."""
        return tuple(kw for kw, _field in self.forward_options)

    def run(self, feature_map, roi, settings: Settings):
        """This method on one RoI with the user's settings; returns its trace."""
        return self.op(feature_map, roi, settings)

    def every_channel(self, feature_map, roi, settings: Settings) -> np.ndarray:
        """``C x ph x pw``: each channel of ``feature_map`` as every bin of this method reads it.

        For most methods that is the trace's output. A position-sensitive bin reads only its own group's
        channel, so the map is given to it with each channel repeated once per bin (one group per channel).
        """
        if not self.position_sensitive:
            return self.run(feature_map, roi, settings).output
        k2 = settings.output_size[0] * settings.output_size[1]
        return self.run(np.repeat(as_numpy_map(feature_map), k2, axis=0), roi, settings).scores

    def step_keys(self, network: str = "vgg16") -> list[str]:
        """Its steps' keys in order; on a network with a feature pyramid the level step comes before the map."""
        keys = list(self.plan)
        if NETWORKS[network].pyramid and "features" in keys:
            keys.insert(keys.index("features"), LEVEL_STEP)
        return keys


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


# ------------------------------------------------------------------ how each is named
# Each name lists the settings that change the method's numbers in brackets: a list of whole phrases, each
# translated whole, which a translation puts in its own brackets and separators.
def _ratio(t) -> str:
    return _("adaptive") if t.sampling_ratio <= 0 else str(t.sampling_ratio)


def _ratio_words(s: Settings) -> str:
    return (_("sampling ratio {n}").format(n=s.sampling_ratio) if s.sampling_ratio > 0
            else _("adaptive sampling ratio"))


def _aligned_words(s: Settings) -> str:
    return _("aligned: the −0.5 cell shift") if s.aligned else _("legacy rule: no half-cell shift")


_MEAN = {"avg": N_("the mean of the points"), "max": N_("the maximum of the points")}


def _label_pool(t) -> str:
    return _("RoI pooling (article rounding)") if t.scheme == "article" else _("RoI pooling (Fast R-CNN rounding)")


def _label_align(t) -> str:
    words = (_("RoIAlign ({mode}, ratio {ratio}, aligned)") if t.aligned else
             _("RoIAlign ({mode}, ratio {ratio}, legacy)"))
    return words.format(mode=t.mode, ratio=_ratio(t))


def _describe_pool(s: Settings) -> str:
    if s.scheme == "article":
        return _("RoI pooling (the article's rule: every number rounded down)")
    return _("RoI pooling (Fast R-CNN's rule: corners rounded to the nearest cell)")


def _describe_align(s: Settings) -> str:
    return _("RoIAlign ({aligned}; {ratio}; {mean})").format(aligned=_aligned_words(s), ratio=_ratio_words(s),
                                                            mean=_(_MEAN[s.align_mode]))


def _describe_warp(s: Settings) -> str:
    words = (_("RoIWarp (snapped with the article's rule; {ratio}; {mean})") if s.scheme == "article" else
             _("RoIWarp (snapped with Fast R-CNN's rule; {ratio}; {mean})"))
    return words.format(ratio=_ratio_words(s), mean=_(_MEAN[s.warp_mode]))


LEVEL_STEP = "level"  # on a feature pyramid: which level the box is pooled from, and why (roi_viz.walkthrough)
POOL_PLAN = ("image", "features", "quantize", "bins", "pool", "output")
POINTS_PLAN = ("image", "features", "sampling", "bilinear", "combine", "output")

METHODS: dict[str, Method] = {
    m.key: m
    for m in (
        Method(
            "pool", N_("RoI pooling"), "RoI pooling", ("scheme",), ("#d62728", "-", "s"), _pool, _label_pool,
            _describe_pool, POOL_PLAN, snaps_to_cells=True, whole_cell_bins=True,
            forward=roi_pool, forward_options=(("scheme", "scheme"),), batched="roi_pool",
            gradient_words=N_("only to the cell that won the max (the arg-max): the other cells of the bin were not "
                           "used, so nothing from it passes through them to the weights that computed them"),
            box_words=N_("Through RoI pooling it could not: the exact derivative is 0 between jumps."),
        ),
        Method(
            "align", N_("RoIAlign"), "RoIAlign", ("sampling_ratio", "aligned", "align_mode"), ("#1f77b4", "--", "o"),
            _align, _label_align, _describe_align,
            POINTS_PLAN, samples_points=True,
            forward=roi_align, forward_options=(("sampling_ratio", "sampling_ratio"), ("aligned", "aligned"),
                                                ("mode", "align_mode")), batched="roi_align",
            gradient_words=N_("to the four cells around each sampling point, with the bilinear weights of that point"),
            box_words=N_("Through RoIAlign it could, though the gradient sees only the four cells around each point "
                      "and changes abruptly at the kinks."),
        ),
        Method(
            "warp", N_("RoIWarp"), "RoIWarp", ("scheme", "sampling_ratio", "warp_mode"), ("#9467bd", "-.", "^"), _warp,
            lambda t: _("RoIWarp ({mode}, ratio {ratio})").format(mode=t.mode, ratio=_ratio(t)), _describe_warp,
            ("image", "features", "quantize", "sampling", "bilinear", "combine", "output"),
            snaps_to_cells=True, samples_points=True,
            forward=roi_warp, forward_options=(("sampling_ratio", "sampling_ratio"), ("mode", "warp_mode"),
                                               ("scheme", "scheme")), surrogate=True,
            gradient_words=N_("to the four cells around each sampling point of the snapped box, with bilinear weights"),
            box_words=N_("Through RoIWarp's exact pass it could not; through MNC's surrogate it can, which is how MNC "
                      "lets the losses of its later stages reach the boxes an earlier stage regressed."),
        ),
        Method(
            "prroi", N_("Precise RoI Pooling"), "PrRoI", ("aligned",), ("#2ca02c", ":", "D"), _prroi,
            lambda t: _("Precise RoI Pooling (aligned)") if t.aligned else _("Precise RoI Pooling (authors’ rule)"),
            lambda s: _("Precise RoI Pooling ({aligned})").format(aligned=_aligned_words(s)),
            ("image", "features", "integrate", "output"), integrates=True,
            forward=prroi_pool, forward_options=(("aligned", "aligned"),),
            gradient_words=N_("to every cell the bin overlaps, in proportion to the overlap: its smooth weight map"),
            box_words=N_("Through Precise RoI Pooling it could, smoothly. IoU-Net (Jiang et al., 2018) does so at "
                      "*inference*, not in training: it moves each box by gradient ascent on an IoU it predicts "
                      "from PrRoI features."),
        ),
    )
}
POOL = "pool"  # the method every scene also runs: its projection and snapped cells are every step's reference
# Each method's name by key, kept in step with METHODS by register(): the same dict the method option offers,
# so the settings below the records list every record without importing them.
NAMES = METHOD_NAMES
NAMES.update({k: m.name for k, m in METHODS.items()})


def method(key: str) -> Method:
    """The record for ``key``, or a ``ValueError`` that lists the keys."""
    try:
        return METHODS[key]
    except KeyError:
        raise ValueError(f"The method must be one of {', '.join(METHODS)}; got {key!r}.") from None


def register(record: Method) -> Method:
    """Add ``record`` to :data:`METHODS` (its steps go to :func:`roi_viz.walkthrough.register`)."""
    if record.key in METHODS:
        raise ValueError(f"There is already a method {record.key!r}.")
    METHODS[record.key] = record
    NAMES[record.key] = record.name
    return record


# ------------------------------------------------------------------ running them
def run_all(feature_map, roi, settings: Settings) -> dict:
    """Every method on the same RoI, in the order of :data:`METHODS`."""
    fm = as_numpy_map(feature_map)
    return {k: m.run(fm, roi, settings) for k, m in METHODS.items()}


def labels(traces: dict) -> dict:
    """Each method's name with the settings that change its numbers, keyed like ``traces``."""
    return {k: METHODS[k].label(t) for k, t in traces.items()}


def runners(settings: Settings) -> dict:
    """``run(feature_map, roi)`` per method with the settings bound, for :func:`~roi_viz.ops.sliding.slide_roi`."""
    out = {}
    for k, m in METHODS.items():
        out[k] = partial(lambda m, fm, roi: m.run(fm, roi, settings), m)
        out[k].reads_other_channels = m.position_sensitive  # slide_roi then passes the whole map
    return out


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
        image: the model input, ``W x H`` RGB (square, or with the photo's proportions).
        features: ``C x H x W``, the map of ``image`` at ``settings.layer``; on a feature pyramid
            (``settings.network``), its maps, one ``C x H x W`` per level, finest first: the scene
            reads the level the active RoI's size picks, and its settings say so
            (:meth:`~roi_viz.state.settings.Settings.at_box`).
        rois: every RoI, ``(x, y, w, h)`` in input pixels.
        active: index of the RoI the steps follow.
        focus: the bin ``(i, j)`` and point ``k`` of the close-up steps; clamped
            into the output, so a stale choice after the output size changed
            still shows something sensible.
    """
    rec = method(settings.method)
    rois = tuple(g.check_roi(r) for r in rois)
    if not rois:
        raise ValueError(_("There is no RoI yet: draw one on the image."))
    if not 0 <= active < len(rois):
        raise ValueError(_("There is no RoI number {n}.").format(n=active + 1))
    if settings.pyramid:
        settings = settings.at_box(rois[active])
        if not isinstance(features, np.ndarray):  # the whole pyramid (else the level's map, already picked)
            features = features[NETWORKS[settings.network].layers.index(settings.layer)]
    pooled = METHODS[POOL].run(features, rois[active], settings)  # every method's page uses its projection
    result = pooled if rec.key == POOL else rec.run(features, rois[active], settings)
    channel = settings.channel
    if channel is None:
        channel = strongest_channel(features, g.touched_span(pooled.projected, pooled.map_size))
    if not 0 <= channel < features.shape[0]:
        raise ValueError(_("The channel must be between 0 and {high}; got {channel}.").format(
            high=features.shape[0] - 1, channel=channel))
    focus = focus_of(focus, pooled, result)
    return Scene(image, rois, active, features, pooled, int(channel), settings.channel is None, settings, rec.name,
                 result, pretrained, focus)


# ------------------------------------------------------------------ the fifth method: position-sensitive RoIAlign
# R-FCN (Dai et al., 2016) pools a map of k² · C' channels that a conv layer made for it; VGG16's map was not, so
# the method reads the map's first k² · C' channels, C' = floor(C / k²), k² = ph · pw, and bin (i, j) averages its
# own group's channel at RoIAlign's sampling points (torchvision.ops.ps_roi_align, aligned as torchvision's always
# is). R-FCN's own quantized form, ps_roi_pool, is in roi_viz.ops and tested against torchvision too; the page
# follows the aligned one because it reads the map as RoIAlign does, so its box, bins and points are RoIAlign's.
# It is not an option of this record: the quantized form snaps to whole cells, and a record's traits (what the
# board, the slide and the proposals draw) are one per record, so it would be a record of its own.
from .ops.psroi import ps_align_trace  # noqa: E402  (kept beside its record)

PSROI = "psroi"


def _psroi(fm, roi, s: Settings):
    return ps_align_trace(fm, roi, stride=s.stride, output_size=s.output_size, sampling_ratio=s.sampling_ratio,
                          method=PSROI)


register(Method(
    PSROI, N_("Position-sensitive RoIAlign"), "PS-RoI", ("sampling_ratio",), ("#8c6d31", "-..", "o"), _psroi,
    lambda t: _("Position-sensitive RoIAlign (ratio {ratio}, {c} × {g} channels)").format(
        ratio=_ratio(t), c=t.out_channels, g=t.groups),
    lambda s: _("Position-sensitive RoIAlign (each bin averages its own group of channels; {ratio})").format(
        ratio=_ratio_words(s)),
    ("image", "features", "sampling", "bilinear", "groups", "output"), samples_points=True,
    position_sensitive=True,
))
