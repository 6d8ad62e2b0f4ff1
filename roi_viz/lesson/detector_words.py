"""Today's detectors in words: which pyramid level a box is pooled from, where each output cell really reads at
that level's stride, and how the box head's regression (not the pooling) moves a proposal.

The numbers are the ones the figures of :mod:`roi_viz.figures.detectors` draw, computed here from the ops
(:func:`~roi_viz.ops.pyramid.fpn_level`, :func:`~roi_viz.ops.looking.offsets`,
:func:`~roi_viz.ops.regression.encode` / ``decode``) and formatted by :mod:`roi_viz.lesson.numbers` the way the
figures write them (a computed number rounded to 2 decimals with a true minus sign, the box's own exact).
Boxes are ``(x, y, w, h)`` in input pixels, ``(x, y)`` the top-left corner, y downwards; offsets ``(dx, dy)``
input pixels; arrays ``ph x pw x 2``. No Streamlit here.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from ..language import N_, _
from ..methods import METHODS
from ..ops import geometry as g
from ..ops.looking import offsets
from ..ops.pyramid import EPS, fpn_level
from ..ops.regression import BOX_HEAD_WEIGHTS, CLIP, decode, encode
from .numbers import eq, exact, num, rows_by_columns

STRIDES = (4, 8, 16, 32)  # torchvision's Faster R-CNN with a ResNet-50 FPN pools from P2..P5
# The two heads that pool in torchvision's Mask R-CNN, and their output sizes (rows, columns).
HEADS = {"box": ((7, 7), N_("box head")), "mask": ((14, 14), N_("mask head"))}  # names translated where shown
CANONICAL_SIZE, CANONICAL_LEVEL = 224.0, 4  # a 224-px box goes to P4 (FPN's Eq. 1, torchvision's LevelMapper)


def f(v: float, digits: int = 2) -> str:
    """A computed number as the figures write it: :func:`~roi_viz.lesson.numbers.num`, with a true minus sign."""
    return num(v, digits).replace("-", "−")


_AFTER_STOP = re.compile(r"(?<=[。！？])[ ]+|(?<=[。！？]）)[ ]+")


def joined(text: str) -> str:
    """``text`` with no space after a full-width stop: the sentences are joined with the space English puts
    between them, which Chinese does not (English text is unchanged)."""
    return _AFTER_STOP.sub("", text)


def blocks(rows: float, cols: float) -> str:
    """:func:`~roi_viz.lesson.numbers.rows_by_columns` in the language in force: "1.43 rows × 1.86 columns"."""
    r, c = num(rows), num(cols)
    if r == "1":
        words = _("{r} row × {c} column") if c == "1" else _("{r} row × {c} columns")
    else:
        words = _("{r} rows × {c} column") if c == "1" else _("{r} rows × {c} columns")
    return words.format(r=r, c=c)


def names_list(items) -> str:
    """Names or numbers in a list: "P2, P3, P4, P5" (the separator the language in force writes)."""
    # TRANSLATORS: what stands between the items of a plain list of names or numbers ("P2, P3, P4, P5").
    return _(", ").join(str(v) for v in items)


# ------------------------------------------------------------------------------------------ the pyramid's level
@dataclass(frozen=True)
class Level:
    """The level rule for one box, step by step (float32, as torchvision computes it).

    ``side`` is ``sqrt(w h)`` px, ``log`` ``log2(side / 224)``, ``raw`` ``4 + log + 0.000001``, ``floor`` its
    floor, ``level`` that clamped to the pyramid (``fpn_level``'s answer) and ``stride`` its stride in px.
    """

    w: float
    h: float
    side: float
    log: float
    raw: float
    floor: int
    level: int
    stride: int
    levels: tuple[int, ...]


def level_of(box: Sequence[float], strides: Sequence[int] = STRIDES) -> Level:
    """Which level of a pyramid with ``strides`` (finest first, doubling) the box ``(x, y, w, h)`` pools from."""
    w, h = g.check_roi(box)[2:]
    levels = tuple(int(round(math.log2(s))) for s in strides)
    f32 = np.float32
    side = np.sqrt(f32(w) * f32(h))
    log = np.log2(side / f32(CANONICAL_SIZE))
    raw = f32(CANONICAL_LEVEL) + log + f32(EPS)
    k = fpn_level(w, h, canonical_size=CANONICAL_SIZE, canonical_level=CANONICAL_LEVEL, k_min=levels[0],
                  k_max=levels[-1])
    return Level(w, h, float(side), float(log), float(raw), int(math.floor(raw)), k, 2 ** k, levels)


def floor_digits(v: float) -> int:
    """Decimals enough that ``v`` written rounded still floors to ``floor(v)`` (3.9999996 is not written 4)."""
    for d in range(2, 10):
        if math.floor(round(v, d)) == math.floor(v):
            return d
    return 10


def level_digits(lv: Level) -> int:
    """Decimals of the logarithm and the sum, as the level figure writes them: enough to tell which side of a
    boundary the box is, and 6 when it is exactly on one (the 0.000001 decides it)."""
    d = floor_digits(lv.raw)
    return max(d, 6) if float(lv.log).is_integer() else d


def level_sums(lv: Level) -> list[str]:
    """The rule's arithmetic, one line per step, as the level figure writes it (the same strings)."""
    d = level_digits(lv)
    lg = f(lv.log, d)
    lo, hi = lv.levels[0], lv.levels[-1]
    if lv.floor == lv.level:
        clamp = _("clamped to {lo}..{hi} → P{level}, stride {stride} px")
    else:
        clamp = _("clamped to {lo}..{hi}: {floor} → {level} → P{level}, stride {stride} px")
    return [f"√(w·h) = √({exact(lv.w)} × {exact(lv.h)}) {eq(lv.side)} {f(lv.side)} px",
            f"log2({f(lv.side)} / 224) {eq(lv.log)} {lg}",
            _("4 + ({lg}) + 0.000001 {eq} {raw}; floor → {floor}").format(
                lg=lg, eq="≈" if abs(float(num(lv.raw, d)) - lv.raw) > 1e-12 else "=", raw=f(lv.raw, d),
                floor=f(lv.floor)),
            clamp.format(lo=lo, hi=hi, floor=f(lv.floor), level=lv.level, stride=lv.stride)]


def step_level(scene) -> str:
    """The walkthrough's level step on a feature pyramid: the rule's arithmetic for the followed RoI (the numbers
    of its figure, :func:`level_sums`), what it buys, and that the next steps read that level's map.

    ``scene``: a :class:`~roi_viz.state.scene.Scene` on a pyramid, its settings resolved to the box's level.
    """
    from ..model.layers import NETWORKS

    net = NETWORKS[scene.settings.network]
    box = scene.rois[scene.active]
    lv = level_of(box, net.strides)
    names = names_list(f"P{k}" for k in lv.levels)
    pitch = names_list(2 ** k for k in lv.levels)
    edges = names_list(exact(CANONICAL_SIZE * 2.0 ** (k - CANONICAL_LEVEL)) for k in lv.levels[1:])
    sums = level_sums(lv)
    said = (_("**Which level.** {net} keeps {n} maps of this picture ({names}), whose cells are {pitch} px apart. "
              "Your box is pooled from one of them, picked by its size alone: FPN's rule, as torchvision's "
              "`LevelMapper` computes it (a box of 224 × 224 px goes to P4; each halving of √(w·h) goes one level "
              "finer, each doubling one coarser, so the boundaries are {edges} px).").format(
                net=net.name, n=len(lv.levels), names=names, pitch=pitch, edges=edges)
            + "\n\n" + "\n".join(f"- {line}" for line in sums) + "\n\n"
            + _("The box is {w} × {h} px, so it is pooled from **P{level}, stride {stride} px**.").format(
                w=exact(lv.w), h=exact(lv.h), level=lv.level, stride=lv.stride) + " ")
    if lv.floor != lv.level:
        edge = (_("There is no P{floor}: the rule is clamped to the pyramid, so it goes to the finest level.")
                if lv.floor < lv.levels[0] else
                _("There is no P{floor}: the rule is clamped to the pyramid, so it goes to the coarsest level."))
        said += edge.format(floor=f(lv.floor)) + " "
    said += _("On P{level} it spans {blocks} ({across} cells by √(w·h)). The 0.000001 is torchvision's: a box "
              "exactly on a boundary goes to the level above. From here on, every step reads P{level}'s map "
              "({C} channels, {H} rows × {W} columns); grow the box past a boundary and the lesson moves to "
              "another level.").format(level=lv.level, blocks=blocks(lv.h / lv.stride, lv.w / lv.stride),
                                       across=f(lv.side / lv.stride), C=scene.features.shape[0],
                                       H=scene.features.shape[1], W=scene.features.shape[2])
    if not scene.pretrained:
        said += "\n\n" + _("> ⚠ **Untrained network.** The COCO weights of torchvision's Faster R-CNN could not be "
                            "loaded, so these features come from an untrained {net} (fixed random seed). The level "
                            "and the arithmetic are exactly the same; the activations mean nothing.").format(
                                net=net.name)
    return joined(said)


def step_image(scene) -> str:
    """The walkthrough's first step on a feature pyramid: the input, the pyramid's grids, and the followed RoI.

    The grid drawn is the one of the level the RoI's size picked (``scene.settings``, resolved); the next step says why.
    """
    from ..lesson.words import input_words
    from ..model.layers import NETWORKS

    net = NETWORKS[scene.settings.network]
    s = scene.pooled.stride
    x, y, w, h = scene.pooled.roi
    H, W = scene.pooled.map_size
    pitch = names_list(exact(st) for st in net.strides)
    return (_("**The model input.** {input}, the size the network receives. {net} does not give one grid but {n}, "
              "one per level of its pyramid ({levels}), whose cells are {pitch} pixels apart on the image. The grid "
              "drawn is the one your box is pooled from: {layer}, its lines {s} pixels apart (the **stride**), {H} "
              "rows × {W} columns of cells in all; the next step says why this level.").format(
                input=input_words(scene), net=net.name, n=len(net.layers), levels=names_list(net.layers),
                pitch=pitch, layer=scene.settings.layer, s=exact(s), H=H, W=W)
            + "\n\n"
            + _("The thick box is **RoI {k}** of {n}: top-left corner x = {x}, y = {y}, size w = {w} × h = {h} "
                "pixels. An RoI is only a proposal: a region some earlier stage wants the detector to examine, not "
                "an answer.").format(k=scene.active + 1, n=len(scene.rois), x=exact(x), y=exact(y), w=exact(w),
                                     h=exact(h)))


def level_words(box: Sequence[float], strides: Sequence[int] = STRIDES) -> str:
    """Why the box is pooled from its level, in a paragraph: the rule's arithmetic and what it buys."""
    lv = level_of(box, strides)
    lo, hi = lv.levels[0], lv.levels[-1]
    said = _("torchvision's Faster R-CNN keeps a feature pyramid: one map per level ({names}, whose cells are {pitch} "
             "px apart). A small box is pooled from a fine level, a large one from a coarse level. The rule reads "
             "only the box's size: your box is {w} × {h} px, so √(w·h) {eq} {side} px; 4 + log2({side} / 224), plus "
             "torchvision's 0.000001 (a box exactly on a boundary goes up), rounded down, is {floor}.").format(
                 names=names_list(f"P{k}" for k in lv.levels), pitch=names_list(2 ** k for k in lv.levels),
                 w=exact(lv.w), h=exact(lv.h), eq=eq(lv.side), side=f(lv.side), floor=f(lv.floor)) + " "
    if lv.floor != lv.level:
        edge = (_("There is no P{floor}: the rule is clamped to P{lo}..P{hi}, so the box goes to the finest level, "
                  "P{level}.") if lv.floor < lo else
                _("There is no P{floor}: the rule is clamped to P{lo}..P{hi}, so the box goes to the coarsest level, "
                  "P{level}."))
        said += edge.format(floor=f(lv.floor), lo=lo, hi=hi, level=lv.level) + " "
    across = lv.side / lv.stride
    said += _("So it is pooled from P{level}, stride {stride} px, where it spans {blocks} ({across} cells by "
              "√(w·h)).").format(level=lv.level, stride=lv.stride, blocks=blocks(lv.h / lv.stride, lv.w / lv.stride),
                                 across=f(across)) + " "
    if lv.floor == lv.level:
        said += _("That is the point of the rule: every box not clamped spans between 14 and 28 cells by √(w·h) "
                  "at its level, so a small box is not squeezed into a cell or two of a coarse map.")
    else:
        said += _("A box clamped to the pyramid's end spans fewer (or more) cells than the 14 to 28 the rule "
                  "aims for.")
    return joined(said)


# ------------------------------------------------------------------------------------------ where a bin reads
class AtStride:
    """The page's settings read at another stride and output size (a pyramid level's), for a record's ``run``.

    Every other field (rounding rule, sampling ratio, aligned, modes) is the sidebar's.
    """

    def __init__(self, settings, stride: float, output_size: tuple[int, int]):
        self._settings, self.stride, self.output_size = settings, float(stride), tuple(output_size)

    def __getattr__(self, name):
        return getattr(self._settings, name)


def level_map_size(input_dims: tuple[int, int], stride: float) -> tuple[int, int]:
    """``(H, W)`` cells of a level's map of a ``(W, H)``-px input: every input pixel lies under a cell."""
    W, H = input_dims
    return max(1, math.ceil(H / stride)), max(1, math.ceil(W / stride))


def method_offsets(roi: Sequence[float], settings, stride: float, output_size, input_dims) -> dict[str, np.ndarray]:
    """key -> ``ph x pw x 2`` ``(dx, dy)`` px: where each method's bins read against their centres, every method
    run through its record on a map whose cells hold their own position (:mod:`roi_viz.ops.looking`); no weights."""
    at = AtStride(settings, stride, g.check_output_size(output_size))
    size = level_map_size(input_dims, stride)
    roi = g.check_roi(roi)
    return {k: offsets(lambda fm, rec=rec: rec.every_channel(fm, roi, at), roi, at.output_size, size, stride)
            for k, rec in METHODS.items()}


def offset_summary(o: np.ndarray) -> tuple[float, float] | None:
    """``(largest, mean)`` ``|offset|`` px over the bins that read something; ``None`` when none does."""
    m = np.hypot(*np.moveaxis(np.asarray(o, dtype=float).reshape(-1, 2), 1, 0))
    m = m[np.isfinite(m)]
    return (float(m.max()), float(m.mean())) if len(m) else None


def _px_and_cells(v: float, stride: float) -> str:
    c = f(v / stride)
    return (_("{px} px ({c} cell)") if c == "1" else _("{px} px ({c} cells)")).format(px=f(v), c=c)


def alignment_words(offs: Mapping[str, np.ndarray], names: Mapping[str, str], stride: float, output_size,
                    aligned: bool, chosen: int | None = None) -> str:
    """What the offsets say: per method the largest and mean distance from a bin's centre to where it reads, and
    what half a cell is at this stride; ``chosen`` is the box's own level's stride, if another is shown."""
    ph, pw = g.check_output_size(output_size)
    per = []
    for k, o in offs.items():
        s = offset_summary(o)
        per.append(_("{name}: largest {largest}, mean {mean}").format(
            name=_(names[k]), largest=_px_and_cells(s[0], stride), mean=_px_and_cells(s[1], stride))
            if s else _("{name}: reads nothing").format(name=_(names[k])))
    # TRANSLATORS: what stands between the methods' measures in a sentence ("RoIAlign: …; PrRoI: …").
    said = _("Each of the {ph} × {pw} bins is meant to describe the part of the photo around its own centre. Here is "
             "how far from it each method really reads, at stride {stride} px (half a cell is {half} px): "
             "{measures}.").format(ph=ph, pw=pw, stride=exact(stride), half=f(stride / 2),
                                    measures=_("; ").join(per)) + " "
    if chosen is not None and chosen != stride:
        said += _("(Your box is pooled at stride {chosen} px; this is what it would read at {stride}.)").format(
            chosen=chosen, stride=exact(stride)) + " "
    if aligned:
        said += _("RoIAlign and PrRoI are aligned here (the sidebar's switch): they read on the centres. "
                  "torchvision's MultiScaleRoIAlign uses the legacy rule, aligned=False, and reads every bin "
                  "half a cell down and to the right: turn Aligned off in the sidebar to see it.") + " "
    else:
        said += _("RoIAlign here has aligned=False, as torchvision's MultiScaleRoIAlign: every bin reads half a cell "
                  "down and to the right. detectron2's ROIAlignV2 (aligned=True) takes that half cell off.") + " "
    said += _("The finer the level, the fewer pixels any offset costs: that is one more reason a small box is "
              "pooled from a fine map.")
    return joined(said)


# ------------------------------------------------------------------------------------------ the box head
def default_target(box: Sequence[float]) -> tuple[float, float, float, float]:
    """A target to start from: the box about a fifth wider and a tenth shorter (a tenth taller if it is too short
    for that), its centre moved right and down by about a twentieth of its size; every change at least 1 px."""
    x, y, w, h = g.check_roi(box)
    dw, dh = max(1, round(0.2 * w)), max(1, round(0.1 * h))
    tw, th = w + dw, (h - dh if h - dh >= 1 else h + dh)
    cx, cy = x + w / 2 + max(1, round(0.05 * w)), y + h / 2 + max(1, round(0.05 * h))
    return round(cx - tw / 2, 2), round(cy - th / 2, 2), float(tw), float(th)


def target_problem(target: Sequence[float], proposal: Sequence[float] | None = None) -> str | None:
    """A plain sentence if ``target`` cannot be a box (a size of 0 or less, a number too large) or, given the
    ``proposal``, is more than 62.5 times its width or height (torchvision clips ``tw``, ``th`` there, so no
    prediction could decode to it); else ``None``."""
    try:
        x, y, w, h = (float(v) for v in target)
    except (TypeError, ValueError):
        return _("The target is four numbers: x, y, w and h in pixels.")
    if not all(math.isfinite(v) for v in (x, y, w, h)):
        return _("The target's numbers must be finite.")
    if w <= 0 or h <= 0:
        return _("A target box needs a width and a height of more than 0 px; it has w = {w}, h = {h}. tw and th are "
                 "logarithms of w* / w and h* / h, which have none for a size of 0 or less.").format(
                     w=f"{w:g}", h=f"{h:g}")
    if any(abs(v) > 100_000 for v in (x, y, w, h)):
        return _("The target's numbers must each be at most 100,000 px in size.")
    if proposal is not None:
        pw, ph = g.check_roi(proposal)[2:]
        if max(w / pw, h / ph) > math.exp(CLIP):
            return _("The target is {times} times the proposal's size; torchvision's decoding grows a box at most "
                     "{most} times (it clips tw and th at log(1000 / 16)), so no prediction of the box head could "
                     "reach it.").format(times=f(max(w / pw, h / ph)), most=f(math.exp(CLIP)))
    return None


def regression_words(proposal: Sequence[float], target: Sequence[float],
                     weights: Sequence[float] = BOX_HEAD_WEIGHTS) -> str:
    """The four numbers that move ``proposal`` onto ``target``, the box they decode to, and who moves boxes."""
    p, q = g.check_roi(proposal), g.check_roi(target)
    tx, ty, tw, th = encode(p, q, weights)
    back = decode(p, (tx, ty, tw, th), weights)
    wt = ", ".join(f(v) for v in weights)
    said = _("The proposal is your box, ({proposal}); the target is ({target}). The box head is trained to output "
             "four numbers for it, each measured in the proposal's own size (weights {weights}, as torchvision's "
             "box head): tx {eq_tx} {tx}, ty {eq_ty} {ty} (moving the centre), tw {eq_tw} {tw}, th {eq_th} {th} "
             "(log of the change of width and height). Decoded, they give ({back}): the target.").format(
                 proposal=", ".join(exact(v) for v in p), target=", ".join(exact(v) for v in q), weights=wt,
                 eq_tx=eq(tx), tx=f(tx), eq_ty=eq(ty), ty=f(ty), eq_tw=eq(tw), tw=f(tw), eq_th=eq(th), th=f(th),
                 back=", ".join(f(v) for v in back)) + " "
    said += _("To the pooling, the proposal is a constant: its four numbers only choose which cells are read, and "
              "no gradient through the RoI moves them. What moves a box is the box head's regression: it predicts "
              "(tx, ty, tw, th) from the pooled features, and decoding them gives the detection.")
    return joined(said)
