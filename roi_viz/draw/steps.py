"""One figure per step: a :class:`~roi_viz.lesson.scene.Scene` in, a Matplotlib figure out.

Drawn for a classroom: large type, thick lines, and every meaning carried by
hatching or line style as well as by colour, so a greyscale projector or a
colour-blind student loses nothing. This module draws the steps RoI pooling
has (and the two every method shares); ``sampling`` draws the steps of
RoIAlign, RoIWarp and Precise RoI Pooling, and ``compare`` the comparison and
the sliding box. Helpers live in ``kit``.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..lesson.scene import Scene
from ..ops import geometry as g
from .kit import (
    ARGMAX, DROPPED, FONT, GAINED, HATCH_DROPPED, HATCH_GAINED, HATCH_LOST, HATCH_SHARED, LOST, OUTLINE, ROI,
    SMALL, cell_axes, cells, channel_image, coverage_bar, finish_zoomed, grid, new_figure, num, output_grid,
    rect, roi_outline, runs, title, untrained_badge, window, zoomed,
)


# ------------------------------------------------------------------------- steps
def fig_image(scene: Scene) -> Figure:
    S, s = scene.input_size, scene.trace.stride
    fig = new_figure(7.5, 7.8)
    ax = fig.add_axes((0.1, 0.07, 0.86, 0.83))
    ax.imshow(np.asarray(scene.image), extent=(0, S, S, 0), interpolation="nearest")
    grid(ax, 0, S, 0, S, step=s, color="white", alpha=0.45)
    for k, (x, y, w, h) in enumerate(scene.rois):
        active = k == scene.active
        patch = rect(ax, (x, y, w, h), fill=False, edgecolor="#ffd400" if active else "#00e5ff",
                      linewidth=4 if active else 2.5, linestyle="-" if active else (0, (4, 2)), zorder=5)
        patch.set_path_effects(OUTLINE if active else [])
        ax.text(x + 4, y + 4, f"RoI {k + 1}", va="top", ha="left", fontsize=FONT if active else SMALL,
                weight="bold", color="black", zorder=6,
                bbox=dict(boxstyle="square,pad=0.2", facecolor="#ffd400" if active else "#00e5ff", edgecolor="black"))
    ax.set_xlim(0, S)
    ax.set_ylim(S, 0)
    ticks = np.arange(0, S + 1, s * max(1, int(S / s) // 8))
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    ax.tick_params(labelsize=SMALL)
    ax.set_xlabel("x (pixels)", fontsize=SMALL)
    ax.set_ylabel("y (pixels)", fontsize=SMALL)
    title(ax, f"Model input {S}×{S}; each grid square = one cell ({int(s)}×{int(s)} px)")
    return fig


def fig_features(scene: Scene) -> Figure:
    t = scene.trace
    H, W = t.map_size
    fig = new_figure(8.2, 7.8)
    ax = fig.add_axes((0.09, 0.08, 0.72, 0.82))
    cax = fig.add_axes((0.84, 0.08, 0.03, 0.82))
    im = ax.imshow(channel_image(scene, scene.mean_view), extent=(0, W, H, 0), cmap="viridis", interpolation="nearest")
    fig.colorbar(im, cax=cax).ax.tick_params(labelsize=SMALL)
    grid(ax, 0, W, 0, H, color="white", alpha=0.25)
    roi_outline(ax, scene)
    x, y, w, h = t.projected
    for tx, ty, va, ha, label in (
        (x, y, "bottom", "left", f"({num(x)}, {num(y)})"),
        (x + w, y + h, "top", "right", f"({num(x + w)}, {num(y + h)})"),
    ):
        ax.text(tx, ty, label, va=va, ha=ha, fontsize=FONT, weight="bold", color="black", zorder=8,
                bbox=dict(boxstyle="round,pad=0.25", facecolor="white", edgecolor=ROI, linewidth=2.5, alpha=0.9))
    cell_axes(ax, (0, H, 0, W))
    what = "mean over channels" if scene.mean_view else f"channel {scene.channel}"
    title(ax, f"Feature map {W}×{H}×{scene.features.shape[0]}: {what}")
    untrained_badge(fig, scene)
    return fig


def fig_quantize(scene: Scene) -> Figure:
    t = scene.trace
    fig, ax, win = zoomed(scene, "#555555", 0.6)
    ax.imshow(channel_image(scene), extent=(0, t.map_size[1], t.map_size[0], 0), cmap="Greys", alpha=0.25, interpolation="nearest")
    region_box = g.box_of_span(t.region)
    for piece in g.box_difference(t.projected, region_box):
        rect(ax, piece, facecolor=LOST, alpha=0.75, edgecolor="white", hatch=HATCH_LOST, linewidth=0, hatch_linewidth=2, zorder=3)
    for piece in g.box_difference(region_box, t.projected):
        rect(ax, piece, facecolor=GAINED, alpha=0.75, edgecolor="black", hatch=HATCH_GAINED, linewidth=0, hatch_linewidth=2, zorder=3)
    handles = [
        Patch(facecolor=LOST, edgecolor="white", hatch=HATCH_LOST, label=f"lost: {cells(t.lost_area)}"),
        Patch(facecolor=GAINED, edgecolor="black", hatch=HATCH_GAINED, label=f"gained: {cells(t.gained_area)}"),
    ]
    rule = "rounded down" if t.scheme == "article" else "corners rounded, end cell kept"
    return finish_zoomed(fig, ax, scene, win, handles, f"Quantization ({rule})")


def fig_bins(scene: Scene) -> Figure:
    t = scene.trace
    fig, ax, win = zoomed(scene, "#888888", 0.7)
    ph, pw = t.output_size
    label_size = FONT if max(ph, pw) <= 4 else SMALL if max(ph, pw) <= 7 else 8
    for i, row in enumerate(t.bins):
        for j, span in enumerate(row):
            if span[1] <= span[0] or span[3] <= span[2]:
                continue
            box = g.box_of_span(span)
            rect(ax, box, facecolor="#cfcfcf" if (i + j) % 2 else "#f4f4f4", alpha=0.8, edgecolor="black", linewidth=2.5, zorder=3)
            ax.text(box[0] + box[2] / 2, box[1] + box[3] / 2, f"{i},{j}", ha="center", va="center", fontsize=label_size, zorder=8)
    for box in runs(t.bin_use == 0, t.region):
        rect(ax, box, facecolor=DROPPED, edgecolor="#0b3d91", hatch=HATCH_DROPPED, linewidth=0, hatch_linewidth=1.5, zorder=4)
    for box in runs(t.bin_use > 1, t.region):
        rect(ax, box, facecolor="none", edgecolor="#333333", hatch=HATCH_SHARED, linewidth=0, zorder=4)
    handles = [Patch(facecolor="#e0e0e0", edgecolor="black", linewidth=2, label="a bin (row, col)")]
    if t.dropped_cells:
        handles.append(Patch(facecolor=DROPPED, edgecolor="#0b3d91", hatch=HATCH_DROPPED, label=f"in no bin: {cells(t.dropped_cells)}"))
    if t.shared_cells:
        handles.append(Patch(facecolor="white", edgecolor="#333333", hatch=HATCH_SHARED, label=f"read by 2+ bins: {cells(t.shared_cells)}"))
    bh, bw = t.bin_size
    return finish_zoomed(fig, ax, scene, win, handles, f"{ph}×{pw} bins of {num(bh, 3)}×{num(bw, 3)} cells")


def fig_pool(scene: Scene) -> Figure:
    t = scene.trace
    win = window(scene)
    r0, r1, c0, c1 = win
    fig = new_figure(8.0, 8.0)
    ax = fig.add_axes((0.1, 0.08, 0.86, 0.84))
    chan = scene.features[scene.channel]
    block = chan[r0:r1, c0:c1]
    ax.imshow(block, extent=(c0, c1, r1, r0), cmap="viridis", interpolation="nearest")  # values are printed: no colour bar
    grid(ax, c0, c1, r0, r1, color="white", alpha=0.3)
    if max(r1 - r0, c1 - c0) <= 14:  # beyond that the numbers are too small to read
        mid = (float(block.min()) + float(block.max())) / 2
        size = SMALL if max(r1 - r0, c1 - c0) <= 10 else 9
        rr0, rr1, rc0, rc1 = t.region  # the cells that are pooled; text is the slow part
        winners = {divmod(int(k), t.map_size[1]) for k in t.argmax[scene.channel].ravel() if k >= 0}
        # Past 7 x 7 cells a number in every cell is clutter (and slow): print the maxima only.
        cells_to_print = (
            [(r, c) for r in range(rr0, rr1) for c in range(rc0, rc1)] if t.region_area <= 49 else sorted(winners)
        )
        for r, c in cells_to_print:
            v = chan[r, c]
            ax.text(c + 0.5, r + 0.5, f"{v:.2g}", ha="center", va="center", fontsize=size,
                    weight="bold" if (r, c) in winners else "normal",
                    color="black" if v > mid else "white", zorder=5)
    for i, row in enumerate(t.bins):
        for j, span in enumerate(row):
            if span[1] <= span[0] or span[3] <= span[2]:
                continue
            rect(ax, g.box_of_span(span), fill=False, edgecolor="white", linewidth=2.5, zorder=6).set_path_effects(OUTLINE)
            cell = t.argmax_cell(scene.channel, i, j)
            if cell:
                rect(ax, (cell[1] + 0.06, cell[0] + 0.06, 0.88, 0.88), fill=False, edgecolor=ARGMAX, linewidth=4, zorder=7)
    cell_axes(ax, win)
    title(ax, f"Channel {scene.channel}: max per bin (red box, bold = the max)")
    untrained_badge(fig, scene)
    return fig


def fig_output(scene: Scene) -> Figure:
    """RoI pooling's output, and where the RoI's area went."""
    t = scene.trace
    ph, pw = t.output_size
    fig = new_figure(8.0, 9.6)  # stacked, to fill the page column like the other steps
    ax = fig.add_axes((0.2, 0.43, 0.6, 0.45))
    output_grid(ax, t.output[scene.channel], t.empty_bins)
    title(ax, f"Output {ph}×{pw}×{t.channels}: channel {scene.channel}")

    split = max(t.overlap_area - t.covered_area, 0.0)
    coverage_bar(fig, t.projected_area, [
        (t.covered_area, "#4d4d4d", "", "reaches the output"),
        (t.lost_area, LOST, HATCH_LOST, "lost: quantization"),
        (split, DROPPED, HATCH_DROPPED, "lost: split"),
    ], f"Where the RoI's {num(t.projected_area, 4)} cells went: coverage {100 * t.coverage:.1f} %")
    untrained_badge(fig, scene)
    return fig
