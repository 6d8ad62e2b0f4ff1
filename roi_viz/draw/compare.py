"""The two figures that put the methods side by side.

- :func:`fig_compare`: the same RoI through every method; top row, what each
  one reads from the map; bottom row, its output for one channel, all on one
  colour scale so equal colours mean equal numbers.
- :func:`fig_slide`: one output value and the coverage while the box slides
  by fractions of a cell. Each method has its own colour *and* line style and
  marker, so the plot reads on a greyscale projector.

Both take ``methods``: the records of :mod:`roi_viz.methods`, keyed like the
traces. A record brings its short name, its plot style (colour, line style,
marker) and a label with its settings; what it reads is drawn by
:func:`reads_cells`, :func:`reads_points` or :func:`reads_integral`, picked
by :func:`reads` from the record's traits.
"""
from __future__ import annotations

import numpy as np
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from ..lesson.numbers import value as activation
from ..lesson.scene import Scene
from ..ops import geometry as g
from ..ops.sliding import Slide
from .kit import (
    FONT, PAGE_MIN_PX, ROI, SMALL, bin_lines, cell_axes, fractional_bins, grid, new_figure, num, output_grid, page_points,
    pct, point_size, rect, runs, untrained_badge, window,
)


def _backdrop(ax, scene: Scene, trace, win):
    """The channel in grey under what a method reads."""
    H, W = trace.map_size
    r0, r1, c0, c1 = win
    ax.imshow(scene.features[scene.channel], extent=(0, W, H, 0), cmap="Greys", alpha=0.35, interpolation="nearest")
    grid(ax, c0, c1, r0, r1, color="#666666", alpha=0.5)


def _projected(ax, trace, win):
    patch = rect(ax, trace.projected, fill=False, edgecolor=ROI, linewidth=3, linestyle=(0, (5, 3)), zorder=9)
    patch.set_path_effects([patheffects.withStroke(linewidth=4.5, foreground="black")])
    cell_axes(ax, win)
    ax.set_ylabel("")


def reads_cells(ax, scene: Scene, trace, win):
    """RoI pooling: whole cells, one grey block per bin.

    Under Fast R-CNN's rule the blocks overlap (each bin is widened outwards to whole cells), and their outlines
    drawn over each other would hide every bin: the cells read are shaded and the bins drawn at the fractional
    edges the rule computes, as step 4 draws them.
    """
    _backdrop(ax, scene, trace, win)
    if trace.scheme == "article":
        for row in trace.bins:
            for span in row:
                if span[1] > span[0] and span[3] > span[2]:
                    rect(ax, g.box_of_span(span), facecolor="#bbbbbb", alpha=0.55, edgecolor="black", linewidth=2.2, zorder=4)
    elif trace.region_area:
        for box in runs(trace.bin_use > 0, trace.region):
            rect(ax, box, facecolor="#bbbbbb", alpha=0.55, linewidth=0, zorder=4)
        rows, cols = fractional_bins(trace)
        bin_lines(ax, rows, cols, color="black", width=2, zorder=5)
    _projected(ax, trace, win)


def reads_points(ax, scene: Scene, trace, win):
    """RoIAlign and RoIWarp: fractional bins and their sampling points."""
    _backdrop(ax, scene, trace, win)
    if trace.points_per_bin:
        bin_lines(ax, trace.row_edges, trace.col_edges, color="black", width=2, zorder=5)
        pts = trace.samples.reshape(-1, 2)
        ax.scatter(pts[:, 1], pts[:, 0], s=point_size(len(pts)) * 0.6, facecolor="white", edgecolor="black", linewidth=1.2, zorder=8)
    _projected(ax, trace, win)


def reads_integral(ax, scene: Scene, trace, win):
    """Precise RoI Pooling: every cell's share of the bins, as a heat map."""
    _backdrop(ax, scene, trace, win)
    H, W = trace.map_size
    share = np.outer(trace.row_weights.sum(axis=0), trace.col_weights.sum(axis=0))
    if share.max() > 0:
        ax.imshow(share, extent=(0, W, H, 0), cmap="Oranges", alpha=0.75, interpolation="nearest", zorder=3)
    bin_lines(ax, trace.row_edges, trace.col_edges, color="black", width=2, zorder=5)
    _projected(ax, trace, win)


def reads(rec):
    """The function that draws what the method of ``rec`` reads from the map."""
    if rec.integrates:
        return reads_integral
    if rec.samples_points:
        return reads_points
    return reads_cells


COLUMN_IN = 2.55  # inches per method: four methods make a figure the page shows nearly at its natural size
MARGIN_IN = 0.9  # left of the first panel: the captions of the two rows and the row numbers


def fig_compare(scene: Scene, traces: dict, methods: dict) -> Figure:
    """Top: what each method reads. Bottom: its output for ``scene.channel``, one colour scale.

    The page shows a figure at most :data:`~roi_viz.draw.kit.PAGE_WIDTH_PX` wide; the type is
    set large enough to stay :data:`~roi_viz.draw.kit.PAGE_MIN_PX` high after that shrinking,
    and the output numbers are printed only where they fit in their cells at that size.
    """
    n = len(traces)
    width = COLUMN_IN * n + MARGIN_IN
    fig = new_figure(width, 8.0)
    small = max(SMALL, page_points(width, PAGE_MIN_PX))
    big = small + 2
    win = window(scene)
    outs = [t.output[scene.channel] for t in traces.values()]
    vmin, vmax = min(float(o.min()) for o in outs), max(float(o.max()) for o in outs)
    if vmax <= vmin:
        vmax = vmin + 1e-6
    ph, pw = next(iter(traces.values())).output_size
    left = MARGIN_IN / width
    w = (1 - left - 0.01) / n
    for k, (method, trace) in enumerate(traces.items()):
        x0 = left + k * w
        top = fig.add_axes((x0 + 0.04 * w, 0.46, w * 0.9, 0.4))
        rec = methods[method]
        reads(rec)(top, scene, trace, win)
        top.set_title(rec.short, fontsize=big + 1, weight="bold", pad=8, color=rec.style[0])
        top.set_xlabel(rec.label(trace).split("(", 1)[-1].rstrip(")"), fontsize=small)
        top.tick_params(labelsize=small)
        # Fewer, whole-cell ticks: a panel is a quarter of the page, and ten numbers a side would touch.
        top.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        top.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        if k:  # one set of row numbers per row of panels: tick labels are the slow part to draw
            top.tick_params(labelleft=False)
        bottom = fig.add_axes((x0 + 0.08 * w, 0.07, w * 0.84, 0.29))
        output_grid(bottom, trace.output[scene.channel], getattr(trace, "empty_bins", None), vmin, vmax, fontsize=small)
        bottom.tick_params(labelsize=small)
        bottom.set_title(f"coverage {pct(trace.coverage)}", fontsize=big, pad=8)
        if k:
            bottom.tick_params(labelleft=False, labelbottom=False)
    fig.text(0.01, 0.965, f"The same RoI through every method: channel {scene.channel}, {ph}×{pw} output, one colour scale",
             ha="left", va="center", fontsize=big + 1)
    fig.text(0.01, 0.66, "what it reads", rotation=90, ha="left", va="center", fontsize=big)
    fig.text(0.01, 0.22, "its output", rotation=90, ha="left", va="center", fontsize=big)
    untrained_badge(fig, scene, corner="bottom")  # the heading runs across the top, the last panel has no ticks
    for t in fig.texts:  # the badge too
        t.set_fontsize(max(t.get_fontsize(), small))
    return fig


def fig_slide(scene: Scene, slide: Slide, methods: dict, at: int | None = None) -> Figure:
    """Output value (top) and coverage (bottom) against how far the box has moved.

    ``at``: one position of the slide (an index into ``slide.offsets``) to mark:
    a dashed line there, one dot per method on each curve, each method's value
    and coverage printed, and the heading saying how far the box has moved. The
    page shows the figure unmarked; the sliding-box GIF is this figure marked at
    each position in turn.
    """
    width = 12.0
    fig = new_figure(width, 8.0)  # shown across the page: the article's point, as large as it gets
    small = max(SMALL, page_points(width, PAGE_MIN_PX))  # shrunk to the page's column, still legible
    top = fig.add_axes((0.08, 0.52, 0.9, 0.38))
    bottom = fig.add_axes((0.08, 0.09, 0.9, 0.3), sharex=top)
    every = max(len(slide.offsets) // 10, 1)
    for method in slide.values:
        rec = methods[method]
        color, style, marker = rec.style
        kw = dict(color=color, linestyle=style, linewidth=3.2, marker=marker, markersize=9, markevery=every,
                  markeredgecolor="black", drawstyle="steps-post" if rec.snaps_to_cells else "default")
        top.plot(slide.offsets, slide.values[method], label=rec.short, **kw)
        bottom.plot(slide.offsets, 100 * slide.coverage[method], **kw)
    i, j = slide.bin
    word = "right" if slide.axis == "x" else "down"
    jumpy = next((m for m in slide.values if methods[m].snaps_to_cells), None)
    steps = np.abs(np.diff(slide.values[jumpy])) if jumpy else np.zeros(0)
    if steps.size and steps.max() > 1e-9:  # point at the biggest jump of a whole-cell method: the article's point
        k = int(steps.argmax())
        jump = slide.offsets[k + 1]
        for ax in (top, bottom):
            ax.axvline(jump, color="#555555", linestyle=(0, (2, 2)), linewidth=1.6, zorder=0)
        top.annotate(f"{methods[jumpy].short} jumps: a box edge\ncrossed a cell boundary", xy=(jump, slide.values[jumpy][k + 1]),
                     xytext=(0.5, 0.5), textcoords="axes fraction", fontsize=small, ha="center",
                     arrowprops=dict(arrowstyle="->", linewidth=1.8, color="black"),
                     bbox=dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor="black"))
    heading = f"Channel {slide.channel}, bin ({i},{j}), while the RoI moves {word}"
    if at is not None:
        off = slide.offsets[at]
        heading = (f"Channel {slide.channel}, bin ({i},{j}): the RoI moved {word} by {num(off, 3)} "
                   f"cell{'' if off == 1 else 's'} ({num(off * slide.stride, 2)} px)")
        _mark(fig, top, bottom, slide, methods, at, small)
    fig.text(0.02, 0.975, heading, fontsize=FONT + 1, ha="left", va="top")
    top.set_ylabel("output value", fontsize=FONT)
    bottom.set_ylabel("coverage (%)", fontsize=FONT)
    bottom.set_xlabel(f"RoI moved {word} by (cells; 1 cell = {slide.stride:g} px)", fontsize=FONT)
    # Every marker whole, the first and last positions' too (at 0 and at the full distance, where the frame cut them):
    # a margin of 3 % of the plot each side, and room above 100 % coverage.
    lo = min(100 * min(c.min() for c in slide.coverage.values()) - 5, 50)
    bottom.set_ylim(lo, 101 + 0.06 * (100 - lo))
    first, last = slide.offsets[0], slide.offsets[-1]
    pad = 0.03 * (last - first) if last > first else 0.05
    for ax in (top, bottom):
        ax.tick_params(labelsize=small)
        ax.grid(True, color="#bbbbbb", linewidth=0.8)
        ax.set_xlim(first - pad, last + pad)
    top.tick_params(labelbottom=False)
    handles = [Line2D([], [], color=methods[m].style[0], linestyle=methods[m].style[1], marker=methods[m].style[2],
                      linewidth=3.2, markersize=9, markeredgecolor="black", label=methods[m].short) for m in slide.values]
    fig.legend(handles=handles, loc="center", bbox_to_anchor=(0.53, 0.45), ncol=4, fontsize=FONT, frameon=False)
    untrained_badge(fig, scene, small)
    return fig


def _mark(fig: Figure, top, bottom, slide: Slide, methods: dict, k: int, small: float = SMALL) -> None:
    """Position ``k`` of the slide: a line across both plots, a dot on every curve, the numbers in a box."""
    off = slide.offsets[k]
    for ax in (top, bottom):
        ax.axvline(off, color="black", linestyle=(0, (4, 2)), linewidth=2.0, zorder=1)
    lines = []
    for m in slide.values:
        color, _, marker = methods[m].style
        value, share = slide.values[m][k], slide.coverage[m][k]
        top.plot([off], [value], color=color, marker=marker, markersize=14, markeredgecolor="black", zorder=10)
        bottom.plot([off], [100 * share], color=color, marker=marker, markersize=14, markeredgecolor="black", zorder=10)
        lines.append((color, f"{methods[m].short:<11} {activation(float(value)):>9}   coverage {pct(share):>7}"))
    # One text per method, so each line keeps its method's colour; a white box keeps them readable over the curves.
    for n, (color, line) in enumerate(lines):
        fig.text(0.10, 0.885 - 0.034 * n, line, color=color, fontsize=small, weight="bold", family="monospace",
                 va="top", ha="left", bbox=dict(facecolor="white", edgecolor="none", alpha=0.85, pad=1.5))
