"""After pooling: what VGG16's head says about each RoI, as bar charts.

One horizontal bar chart per RoI, stacked: its best ImageNet classes and
their probabilities, the RoI's number and box in the heading. The length of a
bar and the printed percentage carry the meaning (not the colour), so the
chart reads in greyscale. When the head is untrained a red banner says that
the scores mean nothing.

Plain data in: ``results`` are anything with ``roi`` (``(x, y, w, h)``, input
pixels) and ``top`` (``[(class name, probability), ...]``, most probable
first), as :class:`roi_viz.head.RoIScores` has.
"""
from __future__ import annotations

from typing import Sequence

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..lesson.numbers import exact
from .kit import FONT, SMALL, new_figure

BAR = "#4d4d4d"
TOP1 = "#111111"
MAX_NAME = 24  # characters; longer ImageNet names are cut (the longest has 30)


def fig_head(results: Sequence, pretrained: bool, *, numbers: Sequence[int] | None = None) -> Figure:
    """Top classes per RoI; ``numbers`` are the RoIs' labels (1, 2, ... by default).

    A result that also has ``trace`` (a PoolTrace) gets a note when some of
    its bins were empty: the head then read zeros there.
    """
    numbers = list(numbers) if numbers is not None else list(range(1, len(results) + 1))
    top_n = max((len(r.top) for r in results), default=1)
    # Heights in inches, top to bottom: banner, then per RoI a heading and its bars, then the axis.
    banner, heading, bar, gap, axis = (0.0 if pretrained else 0.65), 0.45, 0.36, 0.3, 0.6
    block = heading + bar * top_n + gap
    height = 0.15 + banner + max(len(results), 1) * block + axis
    fig = new_figure(8.0, height)
    # One scale for every RoI, so that a longer bar is a higher probability everywhere.
    peak = max((p for r in results for _, p in r.top), default=1.0)
    xmax = min(1.0, peak * 1.3) if peak > 0 else 1.0
    y = height - 0.15 - banner  # inches from the bottom, going down
    for k, (result, number) in enumerate(zip(results, numbers)):
        x0, y0, w, h = result.roi
        fig.text(0.02, (y - heading / 2) / height, f"RoI {number}: ({_px(x0)}, {_px(y0)}), {_px(w)}×{_px(h)} px",
                 fontsize=FONT, weight="bold", va="center", ha="left")
        note = _empty_note(result)
        if note:
            fig.text(0.98, (y - heading / 2) / height, note, fontsize=SMALL, style="italic", va="center", ha="right")
        y -= heading
        ax = fig.add_axes((0.4, (y - bar * top_n) / height, 0.52, bar * top_n / height))
        y -= bar * top_n + gap
        names = [_short(name) for name, _ in result.top]
        probs = [p for _, p in result.top]
        rows = range(len(names))
        ax.barh(rows, probs, color=[TOP1] + [BAR] * (len(probs) - 1), height=0.72)
        for row, p in zip(rows, probs):
            ax.text(p + xmax * 0.01, row, _percent(p), va="center", ha="left", fontsize=SMALL)
        ax.set_yticks(list(rows), names)
        ax.set_ylim(top_n - 0.5, -0.5)
        ax.set_xlim(0, xmax)
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.xaxis.set_major_formatter(lambda v, _: _percent(v))
        ax.tick_params(labelsize=SMALL)
        ax.tick_params(axis="x", labelbottom=k == len(results) - 1)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if k == len(results) - 1:
            ax.set_xlabel("probability (one scale for every RoI)", fontsize=SMALL)
    if not results:
        fig.text(0.5, 0.5, "No RoI to classify.", ha="center", va="center", fontsize=FONT)
    if not pretrained:
        fig.text(0.5, 1 - (0.15 + banner / 2) / height, "UNTRAINED: these scores mean nothing", ha="center",
                 va="center", fontsize=FONT, weight="bold", color="white",
                 bbox=dict(boxstyle="round,pad=0.4", facecolor="#b00020", edgecolor="black", linewidth=1.5))
    return fig


def _empty_note(result) -> str:
    trace = getattr(result, "trace", None)
    if trace is None:
        return ""
    empty, total = int(trace.empty_bins.sum()), int(trace.empty_bins.size)
    if empty == 0:
        return ""
    return f"all {total} bins empty: the head saw zeros" if empty == total else f"{empty} of {total} bins empty (zeros)"


def _short(name: str) -> str:
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1] + "…"


def _percent(p: float) -> str:
    """Probabilities of an untrained head are all near 0.1 %: keep enough digits to tell them apart."""
    v = 100 * p
    if v == 0:
        return "0 %"
    return f"{v:.0f} %" if v >= 10 else f"{v:.2g} %" if v >= 0.1 else f"{v:.2f} %"


def _px(v: float) -> str:
    return exact(v)  # the RoI's own numbers are printed in full, as everywhere
