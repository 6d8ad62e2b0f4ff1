"""After pooling: what VGG16's head says about each RoI, described once (page: SVG; files: Matplotlib).

One horizontal bar chart per RoI, stacked: its best ImageNet classes and their
probabilities, the RoI's number and box in its heading, and a note when some of its
bins were empty (the head then read zeros there). One probability scale for every RoI,
so that a longer bar is a higher probability everywhere; its numbers are printed under
the last chart only. The length of a bar and its printed percentage carry the meaning
(not the colour), so the chart reads in greyscale. When the head is untrained a red
banner says that the scores mean nothing.

Plain data in: each result has ``roi`` (``(x, y, w, h)``, model-input pixels) and ``top``
(``[(class name, probability), ...]``, most probable first), and may have ``trace`` (a
:class:`~roi_viz.ops.roipool.PoolTrace`, whose ``empty_bins`` is ``ph x pw``), as
:class:`roi_viz.study.head.RoIScores` has; :class:`Scores` keeps only what the figure shows.
Inside a chart, x is the probability (0 at the left) and y the rank of a class (row 0,
the most probable, on top). No painting library is imported here.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from ..language import N_, _
from ..lesson.numbers import exact
from ..picture import fonts
from ..picture.spec import Drawing, Line, Panel, Rect, Stroke, Text
from . import look
from .frame import PAD, TICK, Sheet, block, lines

WIDTH, TEXT = 560.0, 13.0
MAX_NAME = 24  # characters; longer ImageNet names are cut (the longest has 30), and cut again where px run short
# Stored for the catalog, translated where drawn (ImageNet's class names are the dataset's own, in English).
BANNER = N_("UNTRAINED: these scores mean nothing")
AXIS_NAME = N_("probability (one scale for every RoI)")
NONE = N_("No RoI to classify.")
NAME_SHARE = 0.45  # at most this share of the width for the class names: the bars keep the rest
BAR_HEIGHT = 0.72  # of a row


@dataclass(frozen=True)
class Scores:
    """What the figure shows of one RoI: its box, its best classes, and how many of its bins were empty."""

    roi: tuple[float, float, float, float]
    top: tuple[tuple[str, float], ...]
    empty: int = 0
    bins: int = 0

    @classmethod
    def of(cls, result) -> "Scores":
        """From anything with ``roi``, ``top`` and maybe ``trace`` (a :class:`roi_viz.study.head.RoIScores`)."""
        if isinstance(result, Scores):
            return result
        trace = getattr(result, "trace", None)
        empty = trace.empty_bins if trace is not None else None
        return cls(tuple(float(v) for v in result.roi), tuple((str(n), float(p)) for n, p in result.top),
                   int(empty.sum()) if empty is not None else 0, int(empty.size) if empty is not None else 0)


def heading(number: int, roi) -> str:
    x, y, w, h = roi
    return _("RoI {n}: ({x}, {y}), {w}×{h} px").format(n=number, x=exact(x), y=exact(y), w=exact(w), h=exact(h))


def empty_note(s: Scores) -> str:
    """What the head read from empty bins ("" when none was empty)."""
    if s.empty == 0:
        return ""
    if s.empty == s.bins:
        return _("all {bins} bins empty: the head saw zeros").format(bins=s.bins)
    return _("{empty} of {bins} bins empty (zeros)").format(empty=s.empty, bins=s.bins)


def percent(p: float) -> str:
    """Probabilities of an untrained head are all near 0.1 %: keep enough digits to tell them apart."""
    v = 100 * p
    if v == 0:
        return "0 %"
    return f"{v:.0f} %" if v >= 10 else f"{v:.2g} %" if v >= 0.1 else f"{v:.2f} %"


def short(name: str, size: float, room: float) -> str:
    """``name`` cut to :data:`MAX_NAME` characters, and further while it is wider than ``room`` px (an ellipsis
    says so)."""
    out = name if len(name) <= MAX_NAME else name[: MAX_NAME - 1] + "…"
    while fonts.width(out, size) > room and len(out) > 2:
        out = out[:-2] + "…" if out.endswith("…") else out[:-1] + "…"
    return out


def prob_ticks(xmax: float, room: float, size: float, most: int = 4) -> list[float]:
    """Round probabilities from 0 to ``xmax`` (``room`` px long): at most ``most`` steps, labels apart."""
    widest = max(fonts.width(percent(xmax), size), fonts.width("100 %", size))
    k = math.floor(math.log10(xmax)) - 1
    for exp in range(k, k + 4):
        for m in (1, 2, 2.5, 5):
            step = m * 10.0 ** exp
            n = int(math.floor(xmax / step + 1e-9))
            if n <= most and step * room / xmax >= widest + 10:
                return [round(i * step, 12) for i in range(n + 1)]
    return [0.0]


def describe_head(results: Sequence, pretrained: bool, *, numbers: Sequence[int] | None = None,
                  width: float = WIDTH, text: float = TEXT, alt: str = "") -> Drawing:
    """The drawing of the head's top classes per RoI; ``numbers`` are the RoIs' labels (1, 2, ... by default).

    ``width`` px wide, every text at least ``text`` px, headings a little larger; ``alt``: the text
    alternative (the page's words, with the numbers).
    """
    scores = [Scores.of(r) for r in results]
    numbers = list(numbers) if numbers is not None else list(range(1, len(scores) + 1))
    s = Sheet(width, text)
    t = text
    if not pretrained:  # the banner, centred on a row of its own
        rows = fonts.wrap(_(BANNER), s.big, s.inner - 16, "bold")
        w = max(fonts.width(r, s.big, "bold") for r in rows) + 16
        h = block(rows, s.big) + 8
        s.marks.append(Rect((width - w) / 2, s.y, w, h, fill=look.BADGE, stroke=Stroke("#000000", 1.5),
                            kind="badge"))
        s.marks += lines(width / 2, s.y + 4, rows, s.big, anchor="middle", colour="#ffffff", weight="bold",
                         kind="badge")
        s.y += h + 2 * PAD
    if not scores:
        s.marks.append(Text(width / 2, s.y, _(NONE), s.big, anchor="middle", kind="title"))
        s.y += fonts.height(s.big) + PAD
        return s.done(alt or _(NONE))
    top_n = max(len(r.top) for r in scores)
    # One scale for every RoI, so that a longer bar is a higher probability everywhere.
    peak = max((p for r in scores for __, p in r.top), default=1.0)
    xmax = min(1.0, peak * 1.3) if peak > 0 else 1.0
    # Columns, left to right: the class names (right-aligned), the bars, room for the widest percentage.
    name_room = s.inner * NAME_SHARE
    names = [[short(n, t, name_room) for n, __ in r.top] for r in scores]
    names_w = max((fonts.width(n, t) for row in names for n in row), default=0.0)
    pct_w = max((fonts.width(percent(p), t) for r in scores for __, p in r.top), default=0.0)
    bars_x = PAD + names_w + 8
    bars_w = width - PAD - pct_w - 6 - bars_x
    row_h = max(fonts.height(t) + 8, 20.0)
    ticks = prob_ticks(xmax, bars_w, t)
    for k, (r, number, row_names) in enumerate(zip(scores, numbers, names)):
        last = k == len(scores) - 1
        words, note = heading(number, r.roi), empty_note(r)
        top = s.y
        s.title(words)  # wrapped if need be
        if note:  # beside the heading where both fit on its row, else under it
            beside = fonts.width(words, s.big, "bold") + 16 + fonts.width(note, t) <= s.inner
            if beside:
                s.marks.append(Text(width - PAD, top + (fonts.height(s.big) - fonts.height(t)) / 2, note, t,
                                    colour="#333333", anchor="end", kind="note"))
            else:
                s.note(note)
        h = row_h * top_n
        marks: list = []
        for row, ((name, p), shown) in enumerate(zip(r.top, row_names)):
            marks.append(Rect(0.0, row - BAR_HEIGHT / 2, min(p, xmax), BAR_HEIGHT,
                              fill=look.BAR_FIRST if row == 0 else look.BAR,
                              title=_("RoI {n}, {name}: {p}").format(n=number, name=name, p=percent(p)), kind="bar"))
        panel = Panel(bars_x, s.y, bars_w, h, (0.0, xmax), (-0.5, top_n - 0.5), tuple(marks))
        s.panels.append(panel)
        for row, ((name, p), shown) in enumerate(zip(r.top, row_names)):
            __, py = panel.to_px(0.0, row)
            px, __ = panel.to_px(min(p, xmax), row)
            s.marks.append(Text(bars_x - 6, py, shown, t, anchor="end", baseline="middle", kind="class"))
            s.marks.append(Text(px + 4, py, percent(p), t, baseline="middle", kind="value"))
        bottom = s.y + h
        s.marks += [Line(((bars_x, s.y), (bars_x, bottom)), TICK, kind="axis"),
                    Line(((bars_x, bottom), (bars_x + bars_w, bottom)), TICK, kind="axis")]
        for v in ticks:
            px, __ = panel.to_px(v, 0.0)
            s.marks.append(Line(((px, bottom), (px, bottom + 4)), TICK, kind="tick"))
            if last:
                s.marks.append(Text(px, bottom + 5, percent(v), t, anchor="middle", kind="tick"))
        s.y = bottom + 4
        if last:
            s.y += 1 + fonts.height(t) + 2
            axis = _(AXIS_NAME)
            half = fonts.width(axis, t) / 2  # centred under the bars, kept inside the drawing
            mid = min(max(bars_x + bars_w / 2, PAD + half), width - PAD - half)
            s.marks.append(Text(mid, s.y, axis, t, anchor="middle", colour="#333333", kind="axis name"))
            s.y += fonts.height(t)
        s.gap(2 * PAD)
    return s.done(alt or " ".join(_("{heading}: {classes}.").format(
        heading=heading(n, r.roi), classes=_(", ").join(f"{c} {percent(p)}" for c, p in r.top))
        for n, r in zip(numbers, scores)))
