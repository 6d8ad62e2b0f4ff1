"""Predict, then check: a quiz on what RoI pooling (and its successors) do to one box.

A question is a random RoI on the model input with the settings of a level, and
an ordered tuple of :class:`Ask`: the walkthrough's numbers, asked one at a time
in the walkthrough's order. Every correct value is read from the trace of the
same op the walkthrough runs (:func:`run_method`), never computed a second time
here: the geometry does not depend on the feature values, so the op runs on a
zero map of the right shape (see :func:`zero_map`).

Pure: NumPy and the project's ops; no Streamlit, no Matplotlib, no torch.

Usage (the page)::

    q = make_question(seed, "starter")                # or (seed, "beyond", settings=current)
    ask = q.asks[n]                                    # ask.text, ask.fields (label, unit, tolerance)
    g = grade(ask, {"x": "9.25", ...}, tries=wrong_so_far)
    g.status, g.message, g.fields, g.revealed, g.reason, g.step
    score = update_score(score, g)
    # the link: METHODS[q.method].step_keys().index(g.step), with ask.focus as the close-up

Conventions (those of :mod:`roi_viz.ops.geometry`):

- the RoI is ``(x, y, w, h)`` in whole pixels of the ``S x S`` model input;
- positions and sizes on the map are in cells: cell ``(r, c)`` covers columns
  ``c`` to ``c + 1`` and rows ``r`` to ``r + 1``; its value sits at its centre;
- bins are ``(i, j)`` = (row, column) from ``(0, 0)`` at the top left, as on the page;
- sampling points are counted from 1 in the words (left to right, then top to
  bottom) and from 0 in ``Ask.focus``, as :class:`~roi_viz.lesson.scene.Scene` does;
- ranges of cells are asked inclusively ("first row", "last row"), as the
  walkthrough writes them; the traces keep half-open spans.

A question depends only on ``(seed, level, settings)``: the RoI and the choices
come from Python's :class:`random.Random` seeded with those, whose sequence
Python keeps stable across versions, so a seed in a link gives the same
question anywhere.
"""
from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, replace
from typing import Mapping, Sequence

import numpy as np

from .lesson.numbers import eq, exact, num, pct, span_words
from .lesson.settings import ARTICLE, FAST_RCNN, Settings
from .ops import geometry as g
from .ops.maps import VALUE_TO_CELL
from .methods import METHODS, POOL, method
from .ops.prroi import PrRoITrace
from .ops.roialign import AlignTrace
from .ops.roipool import PoolTrace

LEVELS = ("starter", "fastrcnn", "beyond")
LEVEL_TITLES = {
    "starter": "Starter: the article's setting (512 × 512, pool5, 3 × 3, rounded down)",
    "fastrcnn": "Fast R-CNN: conv5_3, 7 × 7, the rounding of its code",
    "beyond": "Beyond: RoIAlign, RoIWarp and Precise RoI Pooling",
}


def beyond_methods() -> tuple[str, ...]:
    """The methods of the level "beyond": those whose bins are not whole cells, in the registry's order."""
    return tuple(k for k, m in METHODS.items() if not m.whole_cell_bins)


TRIES = 2  # a wrong answer may be tried once more; the second wrong one shows the answer
CELL_TOLERANCE = 0.01  # a position or size in cells
PERCENT_TOLERANCE = 0.5  # percentage points
WEIGHT_TOLERANCE = 0.01  # a bilinear weight, a fraction of 1
AREA_TOLERANCE = 0.01  # cells

Trace = PoolTrace | AlignTrace | PrRoITrace


# ============================================================ what is asked
@dataclass(frozen=True)
class Field:
    """One number to type: its input box and the value it is graded against."""

    key: str  # the key in the answers dict
    label: str  # the input box's label, e.g. "x" or "rows per bin"
    unit: str  # "cells", "cells²", "%", "" (a plain number)
    answer: float
    tolerance: float  # 0: exact (a whole number)
    low: float  # nothing below can be right here: refused unread, like a typo
    high: float  # nothing above can be right here
    shown: str = ""  # the answer as the lesson prints it; "" for the usual rule (see answer_text)

    @property
    def percent(self) -> bool:
        return self.unit == "%"

    @property
    def tolerance_words(self) -> str:
        if self.tolerance == 0:
            return "exact"
        return f"±{num(self.tolerance)}" + (" %" if self.percent else f" {self.unit}" if self.unit else "")

    @property
    def answer_text(self) -> str:
        """The answer by the lesson's rule (``lesson.numbers``): a share to 1 decimal, anything else to 2,
        unless the ask says otherwise (the projected RoI is printed in full)."""
        return self.shown or (f"{self.answer:.1f}" if self.percent else num(self.answer))

    @property
    def answer_words(self) -> str:
        text = self.answer_text
        sign = "=" if float(text) == self.answer else "≈"
        unit = "cell" if self.unit == "cells" and text == "1" else self.unit
        return f"{self.label} {sign} {text}" + (" %" if self.percent else f" {unit}" if unit else "")

    def is_right(self, value: float) -> bool:
        # The tiny slack absorbs float round-off, so 9.26 is within ±0.01 of 9.25.
        return abs(value - self.answer) <= self.tolerance + 1e-9 * max(1.0, abs(self.answer))


@dataclass(frozen=True)
class Ask:
    """One question: the words, the numbers to type, why the answer is what it is, and where it is taught."""

    id: str  # unique within a question, e.g. "project"
    text: str  # the question, for a student who has read the article
    fields: tuple[Field, ...]
    reason: str  # one line: the arithmetic with this RoI's numbers
    step: str  # the key of the step in roi_viz.methods.METHODS[method].plan that teaches it
    focus: tuple[int, int, int] | None = None  # bin (i, j) and point k asked about (the step's close-up)
    cell: tuple[int, int] | None = None  # PrRoI: the cell (row, column) whose share is asked

    @property
    def answer(self) -> dict[str, float]:
        return {f.key: f.answer for f in self.fields}

    @property
    def answer_words(self) -> str:
        return ", ".join(f.answer_words for f in self.fields)


@dataclass(frozen=True)
class Question:
    """A random RoI, the settings it is pooled with, and what is asked about it, in order."""

    seed: int
    level: str
    settings: Settings  # input size, layer, method, rule, output size and the method's options
    roi: tuple[int, int, int, int]  # (x, y, w, h), whole pixels of the S x S model input
    asks: tuple[Ask, ...]

    @property
    def method(self) -> str:
        return self.settings.method

    @property
    def input_size(self) -> int:
        return self.settings.input_size

    @property
    def stride(self) -> int:
        return self.settings.stride

    @property
    def map_size(self) -> tuple[int, int]:
        """``(H, W)`` of the feature map, in cells."""
        return map_size(self.settings)

    @property
    def output_size(self) -> tuple[int, int]:
        return self.settings.output_size

    @property
    def intro(self) -> str:
        """What the student is given, in one paragraph (nothing that is asked)."""
        x, y, w, h = self.roi
        S, (H, W), (ph, pw) = self.input_size, self.map_size, self.output_size
        return (
            f"An RoI at x = {x}, y = {y}, w = {w}, h = {h} pixels on the {S} × {S} model input. "
            f"{self.settings.layer_label} gives a {W} × {H} map; {method_words(self.settings)} "
            f"turns the box into {ph} × {pw} values per channel."
        )


def method_words(s: Settings) -> str:
    """The method with the options that change its numbers, as the question states them."""
    return method(s.method).describe(s)


# ============================================================ the ops, on a zero map
def map_size(settings: Settings) -> tuple[int, int]:
    """``(H, W)`` of VGG16's map: its 3 x 3 convolutions keep the size and every pool halves it,
    so an ``S x S`` input (S a multiple of 32) gives exactly ``S / stride`` cells a side."""
    n = settings.input_size // settings.stride
    return n, n


def zero_map(settings: Settings) -> np.ndarray:
    """A ``1 x H x W`` float32 map of zeros.

    Every number the quiz asks (boxes, bins, sampling points, weights, shares) is
    geometry: it depends on the map's size, never on its values. One channel is
    enough, and float32 is the real map's dtype, which matters: Fast R-CNN's
    rounding and RoIAlign's grid are computed in it.
    """
    H, W = map_size(settings)
    return np.zeros((1, H, W), dtype=np.float32)


def run_method(roi: Sequence[float], settings: Settings) -> Trace:
    """The trace of ``settings.method`` for ``roi``, with the same arguments as the walkthrough's record."""
    return method(settings.method).run(zero_map(settings), roi, settings)


# ============================================================ making a question
def level_settings(level: str, settings: Settings | None = None, rng: random.Random | None = None) -> Settings:
    """The settings a level's questions use.

    - ``starter``: the article's setting, whatever the page shows (that is the point of it);
    - ``fastrcnn``: Fast R-CNN's preset at the page's input size;
    - ``beyond``: the page's settings when its method is RoIAlign, RoIWarp or PrRoI
      (its layer, output size and options are what the student is looking at);
      otherwise one of the three, picked by ``rng`` (RoIAlign without it).

    Fields that do not change any number asked (channel, mean view) are reset, so
    they do not change the question either.
    """
    check_level(level)
    base = settings or Settings()
    if level == "starter":
        return Settings(**ARTICLE)
    if level == "fastrcnn":
        return Settings(input_size=base.input_size, **FAST_RCNN)
    base = base.with_(channel=None, mean_view=False)
    beyond = beyond_methods()
    if base.method in beyond:
        return base
    return base.with_(method=rng.choice(beyond) if rng else beyond[0])


def make_question(seed: int, level: str, settings: Settings | None = None) -> Question:
    """A random RoI for ``level`` and the asks about it. Same arguments, same question.

    Args:
        seed: a whole number ``>= 0`` (the page puts it in the link).
        level: one of :data:`LEVELS`.
        settings: the page's current settings; see :func:`level_settings` for what each level takes from them.

    The RoI is whole pixels, inside the image and at least two cells a side. The
    starter level keeps at least as many cells as bins on each side after rounding
    down (so the split is never empty), and sometimes puts an edge on the grid (a
    whole projected number) or makes the box divide evenly (nothing dropped).
    Fast R-CNN's level sometimes puts a corner on a half cell (halves round away
    from zero), makes the box narrower than the bins (bins overlap), or lets it
    touch the right or bottom edge (the end cell lies past the map).
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"The seed must be a whole number of 0 or more; got {seed!r}.")
    check_level(level)
    # Seeded with a string: Python hashes it the same way in every version.
    rng = random.Random(f"roi-viz quiz {level} {int(seed)}")
    s = level_settings(level, settings, rng)
    draw = {"starter": _starter_roi, "fastrcnn": _fastrcnn_roi, "beyond": _beyond_roi}[level]
    for _ in range(100):
        roi = draw(rng, s)
        picks = _pick(rng, roi, s)
        if picks is not None:
            return Question(int(seed), level, s, roi, asks_for(roi, s, **picks))
    raise RuntimeError(f"No usable RoI for seed {seed} at {s.input_size} px; this is a bug.")  # pragma: no cover


def check_level(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(f"The level must be one of {', '.join(LEVELS)}; got {level!r}.")
    return level


def _starter_roi(rng: random.Random, s: Settings) -> tuple[int, int, int, int]:
    S, st = s.input_size, s.stride
    ph, pw = s.output_size
    kind = rng.choices(("any", "grid", "even"), weights=(6, 2, 2))[0]

    def side(p: int) -> int:
        if kind == "even":  # whole cells a multiple of the bins: nothing is dropped by the split
            cells = p * rng.randint(1, (S // st) // p)
            return min(cells * st + rng.randrange(st), S)
        return rng.randint(p * st, min(S, 12 * st))  # at least p whole cells after rounding down

    w, h = side(pw), side(ph)
    x, y = rng.randint(0, S - w), rng.randint(0, S - h)
    if kind == "grid":  # an edge on a cell boundary: that number projects to a whole one, nothing lost there
        x = st * (x // st)
        if rng.random() < 0.5:
            y = st * (y // st)
    return x, y, w, h


def _fastrcnn_roi(rng: random.Random, s: Settings) -> tuple[int, int, int, int]:
    S, st = s.input_size, s.stride
    kind = rng.choices(("any", "half", "narrow", "edge"), weights=(5, 2, 2, 1))[0]
    top = 6 * st if kind == "narrow" else min(S, 16 * st)  # narrow: fewer cells than bins, so bins overlap
    w, h = rng.randint(3 * st, top), rng.randint(3 * st, top)
    x, y = rng.randint(0, S - w), rng.randint(0, S - h)
    if kind == "half" and S - w >= st:  # the corner projects to k + 0.5, which rounds up (away from zero)
        x = st * (x // st) + st // 2
        x = x if x <= S - w else x - st
    if kind == "edge":  # the far corner on the edge: its cell is the map's width, cut off
        x, y = (S - w, y) if rng.random() < 0.5 else (x, S - h)
    return x, y, w, h


def _beyond_roi(rng: random.Random, s: Settings) -> tuple[int, int, int, int]:
    S, st = s.input_size, s.stride
    w, h = rng.randint(2 * st, max(2 * st, 3 * S // 4)), rng.randint(2 * st, max(2 * st, 3 * S // 4))
    return rng.randint(0, S - w), rng.randint(0, S - h), w, h


def _pick(rng: random.Random, roi, s: Settings) -> dict | None:
    """The bin, point or cell an ask is about; ``None`` when this RoI has none worth asking."""
    ph, pw = s.output_size
    rec = method(s.method)
    if rec.whole_cell_bins:
        if s.scheme == "article":
            return {}
        t = run_method(roi, s)
        bins = [(i, j) for i in range(ph) for j in range(pw) if not t.empty_bins[i, j]]
        return {"focus": (*rng.choice(bins), 0)} if bins else None
    t = run_method(roi, s)
    i, j = rng.randrange(ph), rng.randrange(pw)
    if rec.integrates:
        share = t.weight_map(i, j)
        # A cell that counts for something: at least half as much as the cell that counts most.
        cells = [tuple(int(v) for v in rc) for rc in np.argwhere(share >= 0.5 * share.max())] if share.max() > 0 else []
        return {"focus": (i, j, 0), "cell": rng.choice(cells)} if cells else None
    points = [k for k in range(t.points_per_bin) if _interior(t, i, j, k)]
    return {"focus": (i, j, rng.choice(points))} if points else None


def _interior(t: AlignTrace, i: int, j: int, k: int) -> bool:
    """Does point ``k`` of bin ``(i, j)`` read four distinct cells by the plain bilinear rule?

    Near the map's edge torchvision reads the edge cell for the missing ones,
    which is not what a student computes by hand; the quiz avoids those points.
    """
    y, x = t.samples[i, j, k] - VALUE_TO_CELL  # value coordinates: cell centres at whole numbers
    H, W = t.map_size
    return bool(t.valid[i, j, k]) and 0 <= y < H - 1 and 0 <= x < W - 1


# ============================================================ the asks
def asks_for(
    roi: Sequence[float],
    settings: Settings,
    *,
    focus: tuple[int, int, int] = (0, 0, 0),
    cell: tuple[int, int] | None = None,
) -> tuple[Ask, ...]:
    """Every ask about ``roi`` under ``settings``, in the walkthrough's order.

    Args:
        roi: ``(x, y, w, h)`` in pixels of the model input.
        settings: the method, rule, layer, output size and options.
        focus: the bin ``(i, j)`` asked about (Fast R-CNN's rule, PrRoI) and point
            ``k`` in it (RoIAlign, RoIWarp; counted from 0).
        cell: PrRoI: the cell ``(row, column)`` whose share is asked; by default the
            one that counts most in the bin.

    Raises:
        ValueError: the focus is outside the output, or (RoIAlign, RoIWarp) the point
            lies where torchvision reads the map's edge cell (see :func:`_interior`).
    """
    t = run_method(roi, settings)
    ph, pw = settings.output_size
    i, j, k = focus
    if not (0 <= i < ph and 0 <= j < pw):
        raise ValueError(f"There is no bin ({i}, {j}) in a {ph} × {pw} output.")
    rec = method(settings.method)
    if rec.whole_cell_bins:
        return _article_asks(t) if t.scheme == "article" else _fastrcnn_asks(t, (i, j))
    if rec.integrates:
        if cell is None:
            cell = tuple(int(v) for v in np.unravel_index(np.argmax(t.weight_map(i, j)), t.map_size))
        return (_bin_size_ask(t, rec.name, "integrate"), _share_ask(t, i, j, cell))
    if not 0 <= k < t.points_per_bin or not _interior(t, i, j, k):
        raise ValueError(f"Point {k + 1} of bin ({i}, {j}) does not read four cells inside the map; pick another.")
    head = (_snap_ask(run_method(roi, settings.with_(method=POOL))),) if rec.snaps_to_cells else ()
    return head + (_bin_size_ask(t, rec.name, "sampling"), _point_ask(t, i, j, k), *_bilinear_asks(t, i, j, k))


def _cells(key: str, label: str, answer: float, high: float, whole: bool = False, shown: str = "") -> Field:
    """A position or size in cells: exact when it is whole cells, else ±0.01 cell."""
    return Field(key, label, "cells", float(answer), 0.0 if whole else CELL_TOLERANCE, 0.0, float(high), shown)


def _index(key: str, label: str, answer: int, high: int) -> Field:
    """A row or column number, counted from 0: exact."""
    return Field(key, label, "", float(answer), 0.0, 0.0, float(high))


def _box_fields(box, high: float, whole: bool) -> tuple[Field, ...]:
    # A projected box is printed in full, as the lesson prints the RoI's own numbers.
    return tuple(_cells(n, n, v, high, whole, "" if whole else exact(v)) for n, v in zip("xywh", box))


def _about(v: float, text: str | None = None) -> str:
    """ "= 23" or "≈ 28.32": the sign, then the number as the lesson prints it."""
    return f"{eq(v)} {num(v) if text is None else text}"


def _about_pct(share: float) -> str:
    """ "= 50.0 %" or "≈ 60.9 %" for a share in [0, 1]."""
    return f"{'=' if abs(1000 * share - round(1000 * share)) < 1e-9 else '≈'} {pct(share)}"


# ------------------------------------------------------------ RoI pooling, the article's rule
def _article_asks(t: PoolTrace) -> tuple[Ask, ...]:
    s, (H, W), (ph, pw) = t.stride, t.map_size, t.output_size
    px, py, pw_, ph_ = t.projected
    r0, r1, c0, c1 = t.region
    rh, rw = r1 - r0, c1 - c0
    bh, bw = (int(v) for v in t.bin_size)
    side = max(H, W)

    project = Ask(
        "project",
        f"Project the RoI onto the {W} × {H} map: what are x, y, w and h in cells? (Keep the fractions.)",
        _box_fields(t.projected, side, whole=False),
        ", ".join(f"{exact(v)} / {exact(s)} = {exact(p)}" for v, p in zip(t.roi, t.projected))
        + f": divide every number by the stride {exact(s)}.",
        "features",
    )
    quantize = Ask(
        "quantize",
        "The article's rule snaps the projected box to whole cells. What are x, y, w and h now?",
        _box_fields(t.quantized, side, whole=True),
        ", ".join(f"⌊{exact(p)}⌋ = {q}" for p, q in zip(t.projected, t.quantized))
        + ": round each number down, independently of the others.",
        "quantize",
    )
    # The overlap's two sides, for the reason only: its area is the trace's.
    ow, oh = g.overlap_1d(px, px + pw_, c0, c1), g.overlap_1d(py, py + ph_, r0, r1)
    area, inside = t.projected_area, t.overlap_area
    lost_gained = Ask(
        "lost_gained",
        "How many cells of the projected RoI fall outside the snapped box (lost), "
        "and how many cells of the snapped box lie outside the RoI (gained)?",
        (
            Field("lost", "lost", "cells", t.lost_area, AREA_TOLERANCE, 0.0, float(H * W)),
            Field("gained", "gained", "cells", t.gained_area, AREA_TOLERANCE, 0.0, float(H * W)),
        ),
        f"The RoI covers {exact(pw_)} × {exact(ph_)} {_about(area)} cells and the box {rw} × {rh} = {t.region_area}; "
        f"they share {exact(ow)} × {exact(oh)} {_about(inside)}: "
        f"lost {num(area)} − {num(inside)} {_about(t.lost_area)}, "
        f"gained {t.region_area} − {num(inside)} {_about(t.gained_area)}.",
        "quantize",
    )
    used_r, used_c = min(ph * bh, rh), min(pw * bw, rw)

    def left(a: int, b: int, what: str) -> str:
        return f"{span_words(a, b, what)} left over" if b > a else f"no {what}s left over"

    bins = Ask(
        "bins",
        f"The {rw} × {rh} box is split into {ph} × {pw} bins of whole cells, each size rounded down, laid from "
        "the top-left corner. How many rows and columns is one bin, and how many rows (at the bottom) and "
        "columns (at the right) belong to no bin?",
        (
            Field("bin_rows", "rows per bin", "", bh, 0.0, 0.0, float(H)),
            Field("bin_cols", "columns per bin", "", bw, 0.0, 0.0, float(W)),
            Field("left_rows", "rows in no bin", "", rh - used_r, 0.0, 0.0, float(H)),
            Field("left_cols", "columns in no bin", "", rw - used_c, 0.0, 0.0, float(W)),
        ),
        f"Rows: {rh} / {ph} {_about(rh / ph)} → {bh} per bin, {left(r0 + used_r, r1, 'row')}; "
        f"columns: {rw} / {pw} {_about(rw / pw)} → {bw} per bin, {left(c0 + used_c, c1, 'column')}.",
        "bins",
    )
    dropped = Ask(
        "dropped",
        "How many cells of the snapped box does the split drop (they belong to no bin)?",
        (Field("dropped", "cells dropped", "cells", t.dropped_cells, 0.0, 0.0, float(H * W)),),
        f"The box has {rh} × {rw} = {t.region_area} cells; the bins use {used_r} × {used_c} = {used_r * used_c}: "
        f"{t.region_area} − {used_r * used_c} = {t.dropped_cells} dropped.",
        "bins",
    )
    # The bins' rows and columns are contiguous: the RoI inside them is a product of two overlaps.
    cw, ch = g.overlap_1d(px, px + pw_, c0, c0 + used_c), g.overlap_1d(py, py + ph_, r0, r0 + used_r)
    coverage = Ask(
        "coverage",
        "What share of the projected RoI's area lies inside some bin, and so can reach the output at all?",
        (Field("coverage", "coverage", "%", 100 * t.coverage, PERCENT_TOLERANCE, 0.0, 100.0),),
        f"Inside the bins: {exact(cw)} columns × {exact(ch)} rows {_about(t.covered_area)} of the RoI's "
        f"{num(area)} cells; {num(t.covered_area)} / {num(area)} {_about_pct(t.coverage)}, "
        f"so {pct(1 - t.coverage)} never reaches the output.",
        "output",
    )
    return project, quantize, lost_gained, bins, dropped, coverage


# ------------------------------------------------------------ RoI pooling, Fast R-CNN's code
def _corner_words(p0: float, p1: float, first: int, last: int) -> str:
    return f"{exact(p0)} → {first} and {exact(p1)} → {last}"


def _fastrcnn_asks(t: PoolTrace, bin_: tuple[int, int]) -> tuple[Ask, ...]:
    (H, W), (ph, pw) = t.map_size, t.output_size
    px, py, pw_, ph_ = t.projected
    xs, ys, rw, rh = t.quantized
    corners = Ask(
        "corners",
        "Fast R-CNN's code rounds each corner of the projected box to the nearest cell (halves away from zero) "
        "and keeps the cell of the far corner too. Which are the first and last columns, and the first and "
        "last rows? (Count as the rule does, before the box is cut at the map's edge.)",
        (
            _index("first_col", "first column", xs, W),
            _index("last_col", "last column", xs + rw - 1, W),
            _index("first_row", "first row", ys, H),
            _index("last_row", "last row", ys + rh - 1, H),
        ),
        f"Columns: {_corner_words(px, px + pw_, xs, xs + rw - 1)}, so {rw} columns; "
        f"rows: {_corner_words(py, py + ph_, ys, ys + rh - 1)}, so {rh} rows: round each corner, keep the far cell.",
        "quantize",
    )
    bh, bw = t.bin_size
    size = Ask(
        "bin_size",
        f"The rounded box is cut into {ph} × {pw} bins whose size is kept as a fraction. "
        "How many rows and columns is one bin?",
        (_cells("bin_rows", "rows per bin", bh, H), _cells("bin_cols", "columns per bin", bw, W)),
        f"{rh} rows / {ph} {_about(bh)} and {rw} columns / {pw} {_about(bw)}: nothing is rounded yet.",
        "bins",
    )
    i, j = bin_
    r0, r1, c0, c1 = t.bins[i][j]
    # The same bins, not cut at the map's edge: the reason shows the rule's own numbers.
    uncut, _ = g.fastrcnn_bins(t.quantized, t.output_size, (2**30, 2**30))
    ur0, ur1, uc0, uc1 = uncut[i][j]

    def edges(start: int, n: int, size: int, p: int, lo: int, hi: int, cut: int, what: str) -> str:
        # The bin size as the fraction it is (10/7), so no rounded number is floored or ceiled.
        text = f"{start} + ⌊{n} × {size}/{p}⌋ = {lo} to {start} + ⌈{n + 1} × {size}/{p}⌉ − 1 = {hi - 1}"
        return text + (f", cut to {what} {cut - 1} at the map's edge" if cut != hi else "")

    one_bin = Ask(
        "bin",
        f"Which cells does bin ({i}, {j}) read? Give its first and last row and first and last column. "
        "(Bins are counted from (0, 0) at the top left; a bin takes every cell its fractional edges touch.)",
        (
            _index("first_row", "first row", r0, H),
            _index("last_row", "last row", r1 - 1, H),
            _index("first_col", "first column", c0, W),
            _index("last_col", "last column", c1 - 1, W),
        ),
        f"Rows: {edges(ys, i, rh, ph, ur0, ur1, r1, 'row')}; columns: {edges(xs, j, rw, pw, uc0, uc1, c1, 'column')}.",
        "bins",
        (i, j, 0),
    )
    return corners, size, one_bin


# ------------------------------------------------------------ RoIWarp, RoIAlign, PrRoI
def _snap_ask(t: PoolTrace) -> Ask:
    """RoIWarp's first step: the quantized region, exactly RoI pooling's (its trace is passed)."""
    H, W = t.map_size
    r0, r1, c0, c1 = t.region
    px, py, pw_, ph_ = t.projected
    if t.scheme == "article":
        rule = "the article's rule"
        how = ", ".join(f"⌊{exact(p)}⌋ = {q}" for p, q in zip(t.projected, t.quantized)) + ": round each number down"
    else:
        xs, ys, rw, rh = t.quantized
        rule = "Fast R-CNN's rule"
        how = (f"columns {_corner_words(px, px + pw_, xs, xs + rw - 1)}, "
               f"rows {_corner_words(py, py + ph_, ys, ys + rh - 1)}: round each corner, keep the far cell")
        if (ys, ys + rh, xs, xs + rw) != t.region:
            how += f", then cut at the map's edge to {c1 - c0} × {r1 - r0}"
    return Ask(
        "snap",
        f"RoIWarp first snaps the RoI to whole cells, as RoI pooling does with {rule}. Which cells does it keep? "
        "Give x and y (the first column and row) and w and h (how many columns and rows).",
        _box_fields(g.box_of_span(t.region), max(H, W), whole=True),
        how + ".",
        "quantize",
    )


def _bin_size_ask(t: AlignTrace | PrRoITrace, name: str, step: str) -> Ask:
    (H, W), (ph, pw) = t.map_size, t.output_size
    bh, bw = t.bin_size
    bx, by, bwid, bhei = t.box
    if t.snapped:
        what = f"the snapped box ({exact(bhei)} rows × {exact(bwid)} columns)"
        why = "the snapped box split evenly, fractions kept"
    else:
        what = "the box"
        why = "the projected box split evenly; nothing is rounded"
        # RoIAlign's legacy rule (RoIWarp is always aligned; PrRoI's authors' rule does not widen).
        if isinstance(t, AlignTrace) and not t.aligned and min(t.projected[2:]) < 1:
            why += " (the legacy rule widens a box narrower than a cell to one cell)"
    fields = [_cells("bin_rows", "rows per bin", bh, H), _cells("bin_cols", "columns per bin", bw, W)]
    reason = f"{exact(bhei)} / {ph} {_about(bh)} rows and {exact(bwid)} / {pw} {_about(bw)} columns: {why}."
    text = f"{name} splits {what} into {ph} × {pw} bins. How many rows and columns is one bin?"
    if isinstance(t, PrRoITrace):  # an exact integral over the bin: its area is what it divides by
        fields.append(Field("bin_area", "bin area", "cells²", t.bin_area, AREA_TOLERANCE, 0.0, float(H * W)))
        text = text[:-1] + ", and what is its area?"
        reason = reason[:-1] + f"; the area is {num(bh)} × {num(bw)} {_about(t.bin_area)} cells²."
    return Ask("bin_size", text, tuple(fields), reason, step)


def _point_ask(t: AlignTrace, i: int, j: int, k: int) -> Ask:
    (H, W), (ph, pw), (gh, gw) = t.map_size, t.output_size, t.grid
    y, x = (float(v) for v in t.samples[i, j, k])
    iy, ix = divmod(k, gw)
    bx, by, bwid, bhei = t.box
    legacy = not t.aligned  # RoIWarp samples its snapped cells aligned, so only RoIAlign's legacy rule
    # Where the point sits inside its bin: the centre of its sub-cell, as a fraction of the bin.
    fy, fx = (iy + 0.5) / gh, (ix + 0.5) / gw
    shift = (f" The legacy rule reads the box half a cell right and down: it starts at "
             f"{exact(t.projected[0])} + 0.5, {exact(t.projected[1])} + 0.5." if legacy else "")
    return Ask(
        "point",
        f"Each bin holds {gh} × {gw} sampling points at the centres of equal sub-cells, counted from 1 left to right, "
        f"then top to bottom; bins are counted from (0, 0) at the top left. Where does point {k + 1} of bin ({i}, {j}) "
        "lie? Give x (across) and y (down) in cells: cell (r, c) covers columns c to c + 1 and rows r to r + 1."
        + (" (aligned is off.)" if legacy else ""),
        (_cells("x", "x", x, W + 1), _cells("y", "y", y, H + 1)),
        f"x = {exact(bx)} + ({j} + {num(fx)}) × {exact(bwid)}/{pw} {_about(x)}, "
        f"y = {exact(by)} + ({i} + {num(fy)}) × {exact(bhei)}/{ph} {_about(y)}: the box's corner, plus {j} bins "
        f"across and {i} down, plus the centre of the point's sub-cell ({ix + 1} of {gw} across, {iy + 1} of {gh} "
        "down)." + shift,
        "sampling",
        (i, j, k),
    )


def _bilinear_asks(t: AlignTrace, i: int, j: int, k: int) -> tuple[Ask, Ask]:
    (H, W) = t.map_size
    y, x = (float(v) for v in t.samples[i, j, k])
    four = t.neighbours(i, j, k)  # top-left, top-right, bottom-left, bottom-right
    (r, c, _), names = four[0], ("top left", "top right", "bottom left", "bottom right")
    vy, vx = y - VALUE_TO_CELL, x - VALUE_TO_CELL
    listed = ", ".join(f"({rr}, {cc})" for rr, cc, _ in four)
    cells = Ask(
        "cells",
        f"That point (x {_about(x)}, y {_about(y)}) reads the four cells whose centres surround it; a cell's "
        "value sits at its centre, half a cell in from its edges. Give the row of the upper two cells and the "
        "column of the left two.",
        (_index("row", "upper row", r, H - 1), _index("col", "left column", c, W - 1)),
        f"y − 0.5 {_about(vy)} lies between rows {r} and {r + 1}, x − 0.5 {_about(vx)} between columns "
        f"{c} and {c + 1}: cells {listed}.",
        "bilinear",
        (i, j, k),
    )
    dx, dy = vx - c, vy - r
    formulas = ("(1 − dx)(1 − dy)", "dx(1 − dy)", "(1 − dx)dy", "dx·dy")
    weights = Ask(
        "weights",
        f"How much does each of the four cells {listed} count in the point's value? "
        "Give the bilinear weights (fractions that add up to 1).",
        tuple(Field(n.replace(" ", "_"), n, "", w, WEIGHT_TOLERANCE, 0.0, 1.0) for n, (_, _, w) in zip(names, four)),
        f"From the top-left centre the point is dx {_about(dx)} across and dy {_about(dy)} down: "
        + ", ".join(f"{f} {_about(w)}" for f, (_, _, w) in zip(formulas, four)) + ".",
        "bilinear",
        (i, j, k),
    )
    return cells, weights


def _share_ask(t: PrRoITrace, i: int, j: int, cell: tuple[int, int]) -> Ask:
    r, c = cell
    bh, bw = t.bin_size
    row_int, col_int = float(t.row_weights[i][r]), float(t.col_weights[j][c])
    rows, cols, share = row_int / bh, col_int / bw, float(t.weight_map(i, j)[r, c])
    return Ask(
        "share",
        f"Bin ({i}, {j})'s value is the exact average of the bilinear surface over the bin, a weighted sum of "
        f"cells: each cell adds one bump, its value at its centre falling to 0 at the neighbouring centres. How much "
        f"does cell ({r}, {c}) count? Give its share along the rows (how much of the bin's rows its bump covers), "
        "along the columns, and in the bin's average (their product), in %.",
        (
            Field("row_share", "share along the rows", "%", 100 * rows, PERCENT_TOLERANCE, 0.0, 100.0),
            Field("col_share", "share along the columns", "%", 100 * cols, PERCENT_TOLERANCE, 0.0, 100.0),
            Field("share", "share in the bin", "%", 100 * share, PERCENT_TOLERANCE, 0.0, 100.0),
        ),
        f"Row {r}'s bump covers {num(row_int)} of the bin's {num(bh)} rows: {pct(rows)}; column {c}'s covers "
        f"{num(col_int)} of its {num(bw)} columns: {pct(cols)}; {pct(rows)} × {pct(cols)} {_about_pct(share)}.",
        "integrate",
        (i, j, 0),
        (int(r), int(c)),
    )


# ============================================================ reading what was typed
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def parse_number(text: str | None, *, percent: bool = False, low: float = -math.inf,
                 high: float = math.inf) -> tuple[float | None, str]:
    """Read one typed answer. Returns ``(value, note)`` or ``(None, why)``: one plain sentence.

    Accepted: ``9.25``, `` 9.25 `` (spaces around), ``37/8`` (a fraction, read as
    4.625), ``-0`` (read as 0), ``1e1`` (read as 10), the minus sign ``−`` the
    lesson's text prints, and ``60 %`` or ``60%`` where ``percent`` is true.

    A comma is a **decimal mark**: ``4,625`` is 4.625, and so is ``1,234`` read
    as 1.234, not 1234. Every number in this quiz is small (cells, shares,
    weights), so a thousands separator is never needed, while half of Europe
    types its decimals with a comma. Two commas, or a comma and a point, are
    refused rather than guessed. The note says how a fraction or a comma was read.

    ``None`` (not answered yet, never counted as a try): empty, not a number
    (``abc``, ``nan``, ``inf``), a division by zero, too large to be finite, or
    outside ``[low, high]``, what can ever be right for that field.
    """
    t = ("" if text is None else str(text)).strip().replace("\u2212", "-")
    if not t:
        return None, "No answer yet."
    if t.endswith("%"):
        if not percent:
            return None, "This answer is not a percentage: type the number alone."
        t = t[:-1].rstrip()
        if not t:
            return None, "Type a number before the % sign."
    note = ""
    if "," in t:
        if t.count(",") > 1 or "." in t:
            return None, "Use one decimal mark, as in 4.625 or 4,625 (thousands separators are not read)."
        t, note = t.replace(",", "."), "the comma is read as a decimal mark"
    parts = [p.strip() for p in t.split("/")]
    if len(parts) > 2 or not all(_NUMBER.fullmatch(p) for p in parts):
        shown = str(text).strip()
        return None, f"“{shown[:20]}” is not a number: type digits such as 9.25 or a fraction such as 37/8."
    if len(parts) == 2:
        if float(parts[1]) == 0:
            return None, "A fraction cannot divide by zero."
        value = float(parts[0]) / float(parts[1])
        note = "; ".join(n for n in (note, "a fraction") if n)
    else:
        value = float(parts[0])
    if not math.isfinite(value):
        return None, "That number is too large to be an answer here."
    value += 0.0  # -0.0 becomes 0.0
    # A huge typed value is echoed in scientific notation: 1e308 written out has 309 digits.
    shown = num(value, 4) if abs(value) < 1e9 else f"{value:.3g}"
    if value < low:
        if low == 0:
            return None, "A negative number cannot be right here."
        return None, f"{shown} is below anything possible here (at least {num(low)})."
    if value > high:
        return None, f"{shown} is more than anything possible here (at most {num(high)})."
    return value, f"Read as {num(value, 6)} ({note})." if note else ""


# ============================================================ grading
@dataclass(frozen=True)
class FieldVerdict:
    key: str
    status: str  # "right", "wrong" or "invalid" (empty or unreadable: not counted)
    value: float | None  # as read
    message: str  # why it was not read, or how it was read; "" otherwise


@dataclass(frozen=True)
class Grade:
    """The verdict on one submission of one ask.

    ``reason`` and ``answer`` are empty until the answer is revealed (a right answer,
    or the second wrong one), so the page can show whatever is not empty.
    ``step`` is always set: a wrong first try may be sent to read it.
    """

    ask_id: str
    status: str  # "right", "wrong" or "invalid" (not answered yet: not a try)
    message: str  # one or two plain sentences
    fields: tuple[FieldVerdict, ...]
    tries: int  # wrong tries at this ask so far, this one included
    revealed: bool  # the correct answer is shown: right, or wrong for the second time
    answer: str  # e.g. "x = 9.25 cells, y = 6 cells"; "" unless revealed
    reason: str  # the ask's one-line arithmetic; "" unless revealed
    step: str  # the walkthrough step (key) that teaches it

    @property
    def done(self) -> bool:
        """The page moves on: answered right, or the answer was shown."""
        return self.revealed


def grade(ask: Ask, answers: Mapping[str, str], tries: int = 0) -> Grade:
    """Grade the typed ``answers`` (field key → text) to ``ask``.

    ``tries`` is how many wrong tries the student made at this ask before this
    one. A wrong answer may be retried once; the second wrong one reveals the
    answer and its reason. An empty or unreadable field makes the whole
    submission "invalid": nothing is graded and no try is used.
    """
    tries = max(int(tries), 0)
    verdicts = []
    for f in ask.fields:
        value, note = parse_number(answers.get(f.key, ""), percent=f.percent, low=f.low, high=f.high)
        if value is not None and f.percent and 0 < value <= 1 < f.answer and f.is_right(100 * value):
            # Right, but as a fraction of 1: say so rather than spend a try on the unit.
            value, note = None, f"Give it in %: {num(value, 4)} is {pct(value)}."
        status = "invalid" if value is None else "right" if f.is_right(value) else "wrong"
        verdicts.append(FieldVerdict(f.key, status, value, note))
    labels = {f.key: f.label for f in ask.fields}

    def names(status):
        return [labels[v.key] for v in verdicts if v.status == status]

    invalid = [v for v in verdicts if v.status == "invalid"]
    if invalid:
        lead = f"{labels[invalid[0].key]}: " if len(ask.fields) > 1 else ""
        return Grade(ask.id, "invalid", lead + invalid[0].message, tuple(verdicts), tries, tries >= TRIES,
                     ask.answer_words if tries >= TRIES else "", ask.reason if tries >= TRIES else "", ask.step)
    wrong = names("wrong")
    if not wrong:
        return Grade(ask.id, "right", f"Right: {ask.answer_words}.", tuple(verdicts), tries, True,
                     ask.answer_words, ask.reason, ask.step)
    tries += 1
    off = f"{_and(wrong)} {'is' if len(wrong) == 1 else 'are'} off" if len(ask.fields) > 1 else "that is off"
    if tries < TRIES:
        message = f"Not yet: {off}. Try once more."
        return Grade(ask.id, "wrong", message, tuple(verdicts), tries, False, "", "", ask.step)
    message = f"Not quite: {off}. The answer: {ask.answer_words}."
    return Grade(ask.id, "wrong", message, tuple(verdicts), tries, True, ask.answer_words, ask.reason, ask.step)


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# ============================================================ the score
@dataclass(frozen=True)
class Score:
    """The page's tally for a session. Pure: :func:`update_score` returns a new one."""

    answered: int = 0  # asks finished: right, or the answer shown
    right: int = 0  # finished right, at either try
    first_try: int = 0  # right at the first try
    streak: int = 0  # asks in a row right at the first try
    best_streak: int = 0

    @property
    def words(self) -> str:
        return (f"{self.right} of {self.answered} right ({self.first_try} at the first try); "
                f"streak {self.streak}, best {self.best_streak}")


def update_score(score: Score, result: Grade) -> Score:
    """The score after one graded submission. An invalid one changes nothing; a wrong
    try breaks the streak at once; an ask counts as answered when it is done."""
    if result.status == "invalid":
        return score
    if result.status == "wrong":
        return replace(score, answered=score.answered + result.revealed, streak=0)
    first = result.tries == 0
    streak = score.streak + 1 if first else 0
    return Score(score.answered + 1, score.right + 1, score.first_try + first, streak, max(score.best_streak, streak))
