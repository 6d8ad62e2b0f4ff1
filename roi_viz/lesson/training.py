"""What the gradient reaches: the numbers of the backward pass for one output value, and their words.

:func:`backward_pass` runs :mod:`roi_viz.study.backward` for one bin ``(i, j)`` of one
channel of a scene's method, with the scene's own settings, and keeps what the
view shows: where that value's gradient lands on the map, the share of the
RoI's cells that any bin of the channel reaches, the derivative by each corner
of the box, and the derivative by the box's x as the box slides to the right.
:func:`training_words` says the same numbers in sentences; the figures of
:mod:`roi_viz.figures.training` describe them, so words and pictures cannot disagree.

Conventions as in :mod:`roi_viz.study.backward`: corners in input pixels, derivatives
per input pixel, slide offsets in cells.

The box's gradient shown is the operator's own mathematics, not what a detector
trains: in Fast, Faster and Mask R-CNN the boxes are constants and a regression
head corrects them. The words say so; :func:`refine_box` climbs one activation to
show whether a box *can* move through a pooling, not that it fits better.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..study import backward
from ..methods import METHODS
from ..ops import geometry as g
from ..language import N_, _, ngettext
from .numbers import num, pct, value
from .sampling_words import cells_words, then
from ..state.scene import Scene
from ..state.settings import Settings


def options(method: str, s: Settings) -> dict:
    """The forward function's own keyword arguments for ``method``, read from the settings (by its record)."""
    return METHODS[method].options_for(s)


@dataclass(frozen=True)
class BackwardPass:
    """One output value ``output[channel, i, j]`` followed backwards.

    ``gradient`` is ``H x W``: the value's derivative by each cell of its channel
    (the other channels receive nothing from it). ``reached`` is the number of
    cells it is not zero on; ``share_bin`` and ``share_all`` are the shares of the
    cells the RoI touches that this value, and any value of the channel, reach.
    """

    method: str
    channel: int
    bin: tuple[int, int]
    gradient: np.ndarray
    reached: int
    touched: int
    share_bin: float
    share_all: float
    empty: bool  # the value reads no cell (an empty bin, or points all off the map): it sends nothing back
    box: backward.BoxGradient
    slide: backward.DerivativeSlide


def backward_pass(scene: Scene, bin: tuple[int, int], channel: int, distance: float = 1.0,
                  steps: int = 61) -> BackwardPass:
    """The backward pass of ``output[channel, bin]`` for the scene's method and active RoI.

    Raises ``ValueError`` with a sentence for a bin or channel that does not
    exist, or a box off the map.
    """
    s = scene.settings
    fm, roi, method = scene.features, scene.rois[scene.active], scene.method
    opts = options(method, s)
    C = fm.shape[0]
    w = backward.one_hot(C, s.output_size, channel, bin)
    # Only this channel can receive anything: the others are left out of the sums.
    one = fm[channel: channel + 1]
    w1 = w[channel: channel + 1]
    grad = backward.feature_gradient(method, one, roi, stride=s.stride, output_size=s.output_size,
                                     weights=w1, **opts)
    every = backward.feature_gradient(method, one, roi, stride=s.stride, output_size=s.output_size, **opts)
    r0, r1, c0, c1 = g.touched_span(g.project(roi, s.stride), grad.shape[1:])
    box = backward.box_gradient(method, one, roi, stride=s.stride, output_size=s.output_size, weights=w1, **opts)
    slide = backward.derivative_along_slide(method, one, roi, stride=s.stride, output_size=s.output_size,
                                            channel=0, bin=bin, axis="x", distance=distance, steps=steps, **opts)
    slide = _relabel(slide, channel)
    i, j = (int(v) for v in bin)
    reached = int((np.abs(grad[0]) > 0).sum())
    return BackwardPass(
        method, int(channel), (i, j), grad[0], reached, max((r1 - r0) * (c1 - c0), 0),
        backward.share_reached(grad, roi, stride=s.stride), backward.share_reached(every, roi, stride=s.stride),
        reached == 0, box, slide)


def _relabel(slide: backward.DerivativeSlide, channel: int) -> backward.DerivativeSlide:
    """The slide was computed on the channel alone (index 0): give it back its own number."""
    from dataclasses import replace

    return replace(slide, channel=int(channel))


# ------------------------------------------------------------------------ words
# Every sentence is marked for the catalog (roi_viz.language) and translated whole, its numbers as named
# placeholders; where the words vary (jumps or none, kinks or none, one cell or many), each variant is a sentence.
def derivative(v: float | None) -> str:
    """A derivative per pixel as the page prints it; ``None`` (it does not exist) in words."""
    return _("undefined") if v is None or not np.isfinite(v) else value(v)


def jump_offsets(slide: backward.DerivativeSlide) -> list[float]:
    return [float(at) for at, _o in slide.jumps]


def training_words(bp: BackwardPass, name: str) -> str:
    """Markdown: what is followed, where the value's gradient lands, the box's gradient, and what a detector does."""
    i, j = bp.bin
    sl = bp.slide
    parts = [_(
        "**What the figures follow.** One output value: channel {channel}'s bin ({i}, {j}). It stands in for "
        "a loss: a real loss weighs every value of every channel, and each sends its gradient back along paths "
        "like this one's. The box is (x, y, w, h) in input pixels; its corners are x1 = x, y1 = y (top left) "
        "and x2 = x + w, y2 = y + h (bottom right).").format(channel=bp.channel, i=i, j=j)]
    if bp.empty:
        parts.append(_("**Bin ({i}, {j}) is empty.** It holds no cell, outputs 0 and sends no gradient back: no cell "
                       "of the map, and so no weight of the network behind it, gets a signal from it.").format(
            i=i, j=j))
    else:
        total = float(bp.gradient.sum())
        words = METHODS[bp.method].gradient_words
        where = _(words) if words else _("back to the cells its value was read from")
        parts.append(ngettext(
            "**Where the gradient lands.** The value of bin ({i}, {j}), channel {channel}, sends its gradient "
            "{where}. It reaches **{reached} cell**, and the shares add up to "
            "{total}; of the {touched} cells the RoI touches, **{share_bin}** receive some of it. "
            "All bins of this channel together reach **{share_all}** of those cells. A cell is an "
            "activation, not a weight: it learns nothing itself, but the gradient it receives goes on to the "
            "convolution weights that computed it.",
            "**Where the gradient lands.** The value of bin ({i}, {j}), channel {channel}, sends its gradient "
            "{where}. It reaches **{reached} cells**, and the shares add up to "
            "{total}; of the {touched} cells the RoI touches, **{share_bin}** receive some of it. "
            "All bins of this channel together reach **{share_all}** of those cells. A cell is an "
            "activation, not a weight: it learns nothing itself, but the gradient it receives goes on to the "
            "convolution weights that computed it.", bp.reached).format(
            i=i, j=j, channel=bp.channel, where=where, reached=bp.reached, total=num(total), touched=bp.touched,
            share_bin=pct(bp.share_bin), share_all=pct(bp.share_all)))
    d0 = sl.derivative[0] if sl.defined[0] else None
    lo, hi = float(np.nanmin(sl.derivative)), float(np.nanmax(sl.derivative))
    dist = cells_words(sl.offsets[-1])
    corners = _corners(bp.box)
    rec = METHODS[bp.method]
    if rec.snaps_to_cells:
        jumps = jump_offsets(sl)
        if jumps:
            text = ngettext(
                "**The box's gradient.** {name} snaps the box to whole cells, so while the box slides over {dist} to "
                "the right the value stands still and the exact derivative of this pass by x is **0**, except at "
                "{n} jump (at {at} cells) where it is **undefined**: the value steps instead of changing smoothly.",
                "**The box's gradient.** {name} snaps the box to whole cells, so while the box slides over {dist} to "
                "the right the value stands still and the exact derivative of this pass by x is **0**, except at "
                "{n} jumps (at {at} cells) where it is **undefined**: the value steps instead of changing smoothly.",
                len(jumps)).format(name=_(name), dist=dist, n=len(jumps), at=", ".join(num(a) for a in jumps))
        else:
            text = _("**The box's gradient.** {name} snaps the box to whole cells, so while the box slides over {dist} "
                     "to the right the value stands still and the exact derivative of this pass by x is **0**; this "
                     "bin's value does not even jump here.").format(name=_(name), dist=dist)
        parts.append(then(text, _("Now: d value / d x = {d} per pixel; by the corners: {corners}.").format(
            d=derivative(d0), corners=corners)))
        if bp.box.surrogate is not None:
            parts.append(_(
                "**MNC's surrogate.** RoIWarp was introduced in Multi-task Network Cascades (Dai et al., 2016) so "
                "that a gradient *does* reach the box: its layer ignores the rounding and passes back the slope of "
                "the bilinear surface at the sampling points (the winning point, for the maximum), as if the "
                "snapped box moved with the box. For this value, per pixel: {values}.").format(
                values=", ".join(f"{c} {value(v)}" for c, v in zip(backward.CORNERS, bp.box.surrogate))))
    elif rec.samples_points:
        head = dict(d=derivative(d0), lo=value(lo), hi=value(hi), dist=dist, n=len(sl.kinks))
        if sl.kinks:
            text = ngettext(
                "**The box's gradient.** Moving the box moves every sampling point with it, so the value changes and "
                "its derivative by x is not zero: now {d} per pixel, between {lo} and {hi} over {dist} to the right. "
                "It is piecewise: it changes abruptly at **{n} kink** (at {at} cells), where a sampling point "
                "crosses a cell centre and the derivative has one value from the left and another from the right.",
                "**The box's gradient.** Moving the box moves every sampling point with it, so the value changes and "
                "its derivative by x is not zero: now {d} per pixel, between {lo} and {hi} over {dist} to the right. "
                "It is piecewise: it changes abruptly at **{n} kinks** (at {at} cells), where a sampling point "
                "crosses a cell centre and the derivative has one value from the left and another from the right.",
                len(sl.kinks)).format(at=", ".join(num(k) for k in sl.kinks), **head)
        else:
            text = _(
                "**The box's gradient.** Moving the box moves every sampling point with it, so the value changes and "
                "its derivative by x is not zero: now {d} per pixel, between {lo} and {hi} over {dist} to the right. "
                "It is piecewise: it changes abruptly at **{n} kinks**.").format(**head)
        parts.append(then(text, _("By the corners: {corners}.").format(corners=corners)))
    else:
        text = _(
            "**The box's gradient.** The exact integral moves smoothly with the bin's edges, so the derivative by x "
            "is defined everywhere and continuous: now {d} per pixel, between {lo} and {hi} over {dist} to the "
            "right.").format(d=derivative(d0), lo=value(lo), hi=value(hi), dist=dist)
        parts.append(then(text, _("By the corners: {corners}.").format(corners=corners)))
    could = _(rec.box_words) if rec.box_words else _could(bp.box)
    parts.append(then(_(
        "**Is this how a detector corrects its boxes?** No. In Fast, Faster and Mask R-CNN no gradient reaches the "
        "RoI's coordinates, whatever the pooling: proposals are constants (torchvision's RPN detaches them, and "
        "its `roi_pool` and `roi_align` return no gradient for the boxes). A separate regression head predicts "
        "offsets (tx, ty, tw, th) that correct the box. The box's gradient above is the operator's own "
        "mathematics: whether a loss *could* move the box through it."), could))
    return "\n\n".join(parts)


def _could(box: backward.BoxGradient) -> str:
    """Whether a loss could move the box, read off the derivative itself (a record with no words of its own)."""
    if any(v not in (None, 0.0) for v in box.value):
        return _("Through this pooling it could: its derivative by the box is not zero here.")
    return _("Through this pooling it could not here: its exact derivative by every corner is 0 or undefined.")


def _corners(box: backward.BoxGradient) -> str:
    return ", ".join(f"{name} {derivative(v)}" for name, v in zip(backward.CORNERS, box.value))


# ------------------------------------------------------- can the box move by gradient steps?
@dataclass(frozen=True)
class Refinement:
    """A box moved by gradient steps that raise one output value.

    ``boxes`` are ``(x, y, w, h)`` in input pixels, the start first; ``values``
    the value at each. ``stopped`` says why the steps ended early ("" if they did not), in English, marked for
    the catalog and translated where it is shown.
    ``surrogate``: RoIWarp's steps followed MNC's surrogate gradient, not the exact one.
    """

    method: str
    boxes: tuple
    values: tuple
    stopped: str
    surrogate: bool = False

    @property
    def moved(self) -> float:
        """How far the farthest corner went from where it started, in input pixels."""
        (x0, y0, w0, h0), (x1, y1, w1, h1) = self.boxes[0], self.boxes[-1]
        return float(max(abs(x1 - x0), abs(y1 - y0), abs((x1 + w1) - (x0 + w0)), abs((y1 + h1) - (y0 + h0))))


def refine_box(scene: Scene, method: str, bin: tuple[int, int], channel: int, *, steps: int = 10,
               step_px: float = 4.0, surrogate: bool = False) -> Refinement:
    """Move the active RoI's corners ``steps`` times up the gradient of ``output[channel, bin]``.

    Each step moves the corners by ``step_px`` pixels times the gradient divided by
    its largest corner, so every method gets the same step size and only the
    direction comes from the pooling. A corner whose derivative does not exist
    (a jump) does not move; a zero gradient moves nothing, and the steps stop.
    ``surrogate`` (a record with ``surrogate``, RoIWarp): follow MNC's surrogate instead of the exact derivative.

    One activation of one channel is climbed: this shows whether a box *can*
    move through the pooling, not that it comes to fit an object better.
    """
    rec = METHODS[method]
    if surrogate and not rec.surrogate:
        have = [m.name for m in METHODS.values() if m.surrogate]
        if not have:
            raise ValueError(_("No method has a surrogate gradient by the box (MNC's layer)."))
        raise ValueError(_("Only {names} has a surrogate gradient by the box (MNC's layer).").format(names=_and(have)))
    s = scene.settings
    fm = scene.features[channel: channel + 1]
    w = backward.one_hot(scene.features.shape[0], s.output_size, channel, bin)[channel: channel + 1]
    opts = options(method, s)
    box = tuple(float(v) for v in scene.rois[scene.active])
    W, H = scene.input_dims
    if rec.forward is None:  # a registered method without a forward function: no gradient to follow
        trace = rec.run(fm, box, s)
        return Refinement(method, (box,), (float((trace.output * w).sum()),), N_("it has no backward pass here"), False)
    boxes, values, stopped = [box], [], ""
    for k in range(steps + 1):
        trace = rec.forward(fm, box, stride=s.stride, output_size=s.output_size, **opts)
        values.append(float((trace.output * w).sum()))
        if k == steps:
            break
        d = backward.box_gradient(method, fm, box, stride=s.stride, output_size=s.output_size, weights=w, **opts)
        grad = np.array([0.0 if v is None else v for v in (d.surrogate if surrogate else d.value)])
        top = float(np.abs(grad).max())
        if top == 0.0:
            stopped = N_("the gradient by the box is zero")
            break
        x1, y1, x2, y2 = np.array([box[0], box[1], box[0] + box[2], box[1] + box[3]]) + step_px * grad / top
        x1, y1, x2, y2 = max(x1, 0.0), max(y1, 0.0), min(x2, float(W)), min(y2, float(H))
        if x2 - x1 < 1 or y2 - y1 < 1:  # the box would fold up: a real detector would not go on either
            stopped = N_("the box would shrink below a pixel")
            break
        box = (float(x1), float(y1), float(x2 - x1), float(y2 - y1))
        boxes.append(box)
    return Refinement(method, tuple(boxes), tuple(values), stopped, surrogate)


def _and(names: list[str]) -> str:
    """Names as a list in the language in force: "A", "A and B", "A, B and C"."""
    if len(names) == 1:
        return names[0]
    # TRANSLATORS: the separator between the names of a list, before its last "and".
    rest = _(", ").join(names[:-1])
    return _("{names} and {last}").format(names=rest, last=names[-1])


def refinement_words(runs: list[Refinement], names: dict, step_px: float = 4.0) -> str:
    """Markdown: a table of how far each method's gradient steps moved the box, and what that shows and does not."""
    def name(r: Refinement) -> str:
        shown = _(names[r.method])  # a method's name, translated where the catalog has it (RoI pooling)
        return _("{name} (MNC's surrogate)").format(name=shown) if r.surrogate else shown

    rows = [_("| method | steps taken | value before → after | box moved (px) |"), "|---|---|---|---|"]
    for r in runs:
        taken = len(r.boxes) - 1
        steps = _("{steps} ({why})").format(steps=taken, why=_(r.stopped)) if r.stopped else str(taken)
        rows.append(f"| {name(r)} | {steps} | {value(r.values[0])} → {value(r.values[-1])} | {num(r.moved)} |")
    still = [name(r) for r in runs if r.moved == 0]
    moving = [name(r) for r in runs if r.moved > 0]
    text = _("**Can the box move? Gradient steps up this one value.** Each step moves the corners up to "
             "{px} px in the direction that raises this value, read from each pooling's own gradient by "
             "the box. The value climbed is one activation of one channel, not a measure of how well the box fits "
             "an object: the table shows whether a box *can* move through each pooling, not that it got "
             "better.").format(px=num(step_px))
    if still:
        text = then(text, _("{names} did not move the box at all: the exact derivative is 0 between jumps.").format(
            names=_and(still)))
    if moving:
        text = then(text, ngettext("{names} moved it: a gradient reaches the box through it.",
                               "{names} moved it: a gradient reaches the box through them.",
                               len(moving)).format(names=_and(moving)))
    return text + "\n\n" + "\n".join(rows)
