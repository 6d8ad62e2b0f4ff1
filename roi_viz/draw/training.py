"""The two figures of "What the gradient reaches": the backward pass of one output value.

- :func:`fig_gradient_map`: the feature grid around the RoI with the gradient of
  one bin's value on each cell (darker red = more), the bin outlined in black,
  its sampling points as white dots where it has them. The title gives the
  number of cells reached and the shares of the RoI's cells.
- :func:`fig_box_slide`: the value (top) and its derivative by the box's x
  (bottom) while the box slides to the right. A jump of the value is a dashed
  vertical line with an open circle on the derivative's axis: the derivative
  does not exist there, so no number is drawn. A kink is a dotted line.

Both take the numbers of :func:`roi_viz.lesson.training.backward_pass` and a
method record of :mod:`roi_viz.methods` (its short name and plot style); cells
are counted as in :mod:`roi_viz.draw.kit`. Red shades, black outlines, white
dots and line styles keep them readable in greyscale.
"""
from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from ..lesson.scene import Scene
from ..lesson.training import BackwardPass
from ..ops import geometry as g
from .kit import (
    FONT, HALO, SMALL, bin_lines, cell_axes, grid, new_figure, num, pct, point_size, rect, roi_outline,
    untrained_badge, window,
)

GRADIENT = colormaps["Reds"]


def _bin_box(trace, i: int, j: int) -> g.Box | None:
    """The bin's rectangle in cells: whole cells for RoI pooling, fractional edges for the others."""
    if hasattr(trace, "bins"):
        span = trace.bins[i][j]
        return g.box_of_span(span) if span[1] > span[0] and span[3] > span[2] else None
    y0, y1 = trace.row_edges[i], trace.row_edges[i + 1]
    x0, x1 = trace.col_edges[j], trace.col_edges[j + 1]
    return float(x0), float(y0), float(x1 - x0), float(y1 - y0)


def fig_gradient_map(scene: Scene, bp: BackwardPass, method) -> Figure:
    """The map around the RoI: where the gradient of ``output[bp.channel, bp.bin]`` lands."""
    fig = new_figure(8.0, 8.6)
    ax = fig.add_axes((0.1, 0.17, 0.72, 0.72))
    cax = fig.add_axes((0.86, 0.17, 0.035, 0.72))
    win = window(scene)
    r0, r1, c0, c1 = win
    H, W = bp.gradient.shape
    ax.imshow(scene.features[bp.channel], extent=(0, W, H, 0), cmap="Greys", alpha=0.2, interpolation="nearest")
    top = float(bp.gradient.max()) if bp.reached else 1.0
    shown = np.ma.masked_where(bp.gradient == 0, bp.gradient)  # a cell that receives nothing stays unpainted
    img = ax.imshow(shown, extent=(0, W, H, 0), cmap=GRADIENT, vmin=0, vmax=top, interpolation="nearest", zorder=3)
    grid(ax, c0, c1, r0, r1, color="#555555", alpha=0.6)
    trace = scene.result
    i, j = bp.bin
    if not hasattr(trace, "bins"):
        bin_lines(ax, trace.row_edges, trace.col_edges, color="#444444", width=1.2, zorder=5)
    box = _bin_box(trace, i, j)
    if box is not None:
        rect(ax, box, fill=False, edgecolor="black", linewidth=3.5, zorder=7)
    if hasattr(trace, "samples") and trace.points_per_bin:
        pts = trace.samples[i, j]
        ax.scatter(pts[:, 1], pts[:, 0], s=point_size(len(pts)), facecolor="white", edgecolor="black", linewidth=1.5,
                   zorder=8)
    roi_outline(ax, scene, label=None)
    # The values themselves, when they fit their cells: a student checks that they add up to 1.
    cell_pt = 0.72 * 8.0 * 72 / max(c1 - c0, r1 - r0)
    nz = [(r, c) for r, c in zip(*np.nonzero(bp.gradient)) if r0 <= r < r1 and c0 <= c < c1]
    # A share too small for two decimals is still a share: "<0.01", never a "0" on a painted cell.
    texts = [num(bp.gradient[r, c]) if bp.gradient[r, c] >= 0.005 else "<0.01" for r, c in nz]
    if 0 < len(nz) <= 40 and cell_pt >= 0.62 * SMALL * max(len(t) for t in texts) + 4:
        for (r, c), text in zip(nz, texts):
            ax.text(c + 0.5, r + 0.5, text, ha="center", va="center", fontsize=SMALL, path_effects=HALO, zorder=9)
    cell_axes(ax, win)
    cb = fig.colorbar(img, cax=cax)
    cb.ax.tick_params(labelsize=SMALL)
    cb.set_label("gradient on the cell", fontsize=FONT)
    ax.set_title(f"{method.short}: bin ({i},{j}), channel {bp.channel} reaches {bp.reached} "
                 f"cell{'s' if bp.reached != 1 else ''}\nthe RoI's {bp.touched} cells reached: {pct(bp.share_bin)}; "
                 f"by all bins: {pct(bp.share_all)}", fontsize=FONT, pad=10)
    handles = [Rectangle((0, 0), 1, 1, fill=False, edgecolor="black", linewidth=3.5),
               Patch(facecolor=GRADIENT(0.7), edgecolor="#555555"),
               Rectangle((0, 0), 1, 1, fill=False, edgecolor="#ff7f0e", linewidth=3, linestyle=(0, (5, 3)))]
    labels = [f"bin ({i},{j})", "receives gradient", "RoI as projected"]
    if hasattr(trace, "samples") and trace.points_per_bin:
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=10, markerfacecolor="white",
                              markeredgecolor="black"))
        labels.append("its sampling points")
    fig.legend(handles=handles, labels=labels, loc="lower center", ncol=2, fontsize=FONT, frameon=False,
               handleheight=1.2)
    untrained_badge(fig, scene)
    return fig


def fig_box_slide(scene: Scene, bp: BackwardPass, method) -> Figure:
    """The value (top) and its derivative by the box's x (bottom) as the box slides right."""
    sl = bp.slide
    fig = new_figure(7.6, 7.4)  # as narrow as the map beside it: shown as wide, its text is as large
    top = fig.add_axes((0.19, 0.55, 0.77, 0.31))
    bottom = fig.add_axes((0.19, 0.18, 0.77, 0.3), sharex=top)
    color, style, marker = method.style
    every = max(len(sl.offsets) // 10, 1)
    kw = dict(color=color, linestyle=style, linewidth=3.2, marker=marker, markersize=8, markevery=every,
              markeredgecolor="black")
    top.plot(sl.offsets, sl.values, drawstyle="steps-post" if method.snaps_to_cells else "default", **kw)
    # Bilinear sampling gives a derivative constant between kinks: drawn as steps, not as slopes between
    # samples that straddle a kink. PrRoI's is continuous: drawn as a line.
    bottom.plot(sl.offsets, sl.derivative, drawstyle="default" if method.integrates else "steps-mid", **kw)
    handles = [Line2D([], [], **kw)]
    labels = [method.short]
    for at, _ in sl.jumps:
        for ax in (top, bottom):
            ax.axvline(at, color="#333333", linestyle=(0, (4, 3)), linewidth=1.8, zorder=0)
        # No number exists there: an open circle on the axis, not a point of the curve.
        bottom.plot([at], [0.0], linestyle="none", marker="o", markersize=13, markerfacecolor="white",
                    markeredgecolor="black", markeredgewidth=2.2, zorder=6)
    if sl.jumps:
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=13, markerfacecolor="white",
                              markeredgecolor="black", markeredgewidth=2.2))
        labels.append("jump: derivative undefined")
    for at in sl.kinks:
        for ax in (top, bottom):
            ax.axvline(at, color="#333333", linestyle=(0, (1, 2)), linewidth=1.8, zorder=0)
    if sl.kinks:
        handles.append(Line2D([], [], color="#333333", linestyle=(0, (1, 2)), linewidth=1.8))
        labels.append("kink: a point crosses a cell centre")
    finite = sl.derivative[np.isfinite(sl.derivative)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
    pad = max(hi - lo, abs(hi), abs(lo)) * 0.15 or 1.0  # all zero (RoI pooling): a plain -1 .. 1 axis
    bottom.set_ylim(min(lo, 0.0) - pad, max(hi, 0.0) + pad)  # 0 always in view: RoI pooling sits on it
    bottom.axhline(0.0, color="black", linewidth=1.0, zorder=1)
    i, j = bp.bin
    # Below the untrained badge, which takes the top right corner.
    fig.text(0.02, 0.945, f"{method.short}: bin ({i},{j}), channel {bp.channel},\nwhile the RoI moves right",
             fontsize=FONT + 1, ha="left", va="top")
    top.set_ylabel("output value", fontsize=FONT)
    bottom.set_ylabel("d value / d x\n(per pixel)", fontsize=FONT)
    bottom.set_xlabel(f"RoI moved right by (cells; 1 cell = {sl.stride:g} px)", fontsize=FONT)
    # A margin on each side: a marker at either end of the slide (0 or 1 cell) is drawn whole, not cut in half
    # by the axes' edge.
    margin = 0.04 * (sl.offsets[-1] - sl.offsets[0])
    for ax in (top, bottom):
        ax.tick_params(labelsize=SMALL)
        ax.grid(True, color="#bbbbbb", linewidth=0.8)
        ax.set_xlim(sl.offsets[0] - margin, sl.offsets[-1] + margin)
    top.tick_params(labelbottom=False)
    fig.legend(handles=handles, labels=labels, loc="lower center", ncol=min(len(handles), 2), fontsize=FONT,
               frameon=False, bbox_to_anchor=(0.55, 0.0))
    untrained_badge(fig, scene)
    return fig
