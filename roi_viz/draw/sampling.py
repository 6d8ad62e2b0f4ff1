"""Figures for the methods that read between cells: RoIAlign, RoIWarp, Precise RoI Pooling.

Same conventions as ``figures``: a scene in, a Matplotlib figure out, cell
coordinates on the axes, and every meaning carried by shape or line style as
well as colour. ``scene.chosen`` is the method's trace (an ``AlignTrace`` or a
``PrRoITrace``) and ``scene.focus`` the bin and point the student picked.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from ..lesson.scene import Scene
from ..lesson.numbers import weight
from ..lesson.shown import SHARE_SIZE, printed_shares
from .kit import (
    ARGMAX, OUTPUT_AXES, COVERED, FONT, HATCH_LOST, LOST, coverage_bar, OUTLINE, REGION, ROI, SMALL, bin_lines, cell_axes, cells,
    channel_image, grid, new_figure, output_grid, pct, point_size, rect, region_outline, roi_outline, title,
    untrained_badge, value, window, GAP_PT, PRESENT_TEXT, label_width_pt, rows_by_columns,
)

POINT = dict(facecolor="white", edgecolor="black", linewidth=1.5)
# A share of the RoI's area below this is float32's rounding, not a part of the RoI left out (the legacy
# half-cell shift leaves out far more: half a cell along two sides).
OUTSIDE_NOISE = 1e-4


def _legend(fig: Figure, handles: list, ncol: int = 2):
    fig.legend(handles=handles, loc="lower center", ncol=ncol, fontsize=FONT, frameon=False,
               handleheight=1.4, handlelength=2.2)


def _roi_handle():
    return Rectangle((0, 0), 1, 1, fill=False, edgecolor=ROI, linewidth=3, linestyle=(0, (5, 3)), label="RoI as projected")


def _bins_handle(r) -> Line2D:
    label = "bins" if r.snapped or r.aligned else "bins (legacy: ½ cell off)"
    return Line2D([], [], color="black", linewidth=2.5, label=label)


def _points(ax, r, scene: Scene, size: float):
    """Every sampling point; points more than a cell off the map are crosses (they read 0)."""
    pts = r.samples.reshape(-1, 2)
    valid = r.valid.reshape(-1)
    ax.scatter(pts[valid, 1], pts[valid, 0], s=size, zorder=8, **POINT)
    if (~valid).any():
        ax.scatter(pts[~valid, 1], pts[~valid, 0], s=size, marker="X", color=ARGMAX, edgecolor="black", zorder=8)


def fig_sampling(scene: Scene) -> Figure:
    """Bins with fractional edges, and the grid of sampling points inside each."""
    r = scene.chosen
    H, W = r.map_size
    win = window(scene)
    fig = new_figure(8.0, 8.4)
    ax = fig.add_axes((0.1, 0.2, 0.86, 0.72))
    rr0, rr1, cc0, cc1 = win
    grid(ax, cc0, cc1, rr0, rr1, color="#555555", alpha=0.6)
    ax.imshow(channel_image(scene), extent=(0, W, H, 0), cmap="Greys", alpha=0.25, interpolation="nearest")
    handles = [_roi_handle()]
    if r.snapped:
        region_outline(ax, scene)
        handles.append(Rectangle((0, 0), 1, 1, fill=False, edgecolor=REGION, linewidth=3, label="quantized region"))
    if r.points_per_bin:
        bin_lines(ax, r.row_edges, r.col_edges, color="#333333" if r.snapped else "black")
        size = point_size(r.samples[..., 0].size)
        _points(ax, r, scene, size)
        i, j, k = scene.focus
        y, x = r.samples[i, j, k]
        ax.scatter([x], [y], s=size * 4, facecolor="none", edgecolor=ARGMAX, linewidth=3.5, zorder=9)
        handles += [
            _bins_handle(r),
            Line2D([], [], marker="o", linestyle="", markersize=10, markerfacecolor="white", markeredgecolor="black", label="sampling point"),
            Line2D([], [], marker="o", linestyle="", markersize=18, markerfacecolor="none", markeredgecolor=ARGMAX,
                   markeredgewidth=3, label="point looked at in the next step"),
        ]
        if not r.valid.all():
            handles.append(Line2D([], [], marker="X", linestyle="", markersize=11, color=ARGMAX, markeredgecolor="black", label="off the map: reads 0"))
    roi_outline(ax, scene)
    cell_axes(ax, win)
    _legend(fig, handles)
    ph, pw = r.output_size
    bh, bw = r.bin_size
    gh, gw = r.grid
    if r.points_per_bin:
        title(ax, f"{ph}×{pw} bins of {rows_by_columns(bh, bw)}; {gh}×{gw} points in each")
    else:
        title(ax, "No cells to sample: the box snapped to nothing")
    return fig


def fig_bilinear(scene: Scene) -> Figure:
    """One sampling point, the four cell centres around it, and the weight each one gets."""
    r = scene.chosen
    i, j, k = scene.focus
    H, W = r.map_size
    fig = new_figure(8.0, 8.0)
    ax = fig.add_axes((0.1, 0.09, 0.86, 0.8))
    if not r.points_per_bin:
        ax.axis("off")
        title(ax, "This box has no sampling points")
        return fig
    y, x = r.samples[i, j, k]
    weights = {(row, col): w for row, col, w in r.neighbours(i, j, k)}
    rows = [rc[0] for rc in weights] + [int(np.clip(np.floor(y), 0, H - 1))]
    cols = [rc[1] for rc in weights] + [int(np.clip(np.floor(x), 0, W - 1))]
    r0, r1 = max(min(rows) - 1, 0), min(max(rows) + 2, H)
    c0, c1 = max(min(cols) - 1, 0), min(max(cols) + 2, W)
    chan = scene.features[scene.channel]
    block = chan[r0:r1, c0:c1]
    ax.imshow(block, extent=(c0, c1, r1, r0), cmap="viridis", interpolation="nearest")
    grid(ax, c0, c1, r0, r1, color="white", alpha=0.5)
    mid = (float(block.min()) + float(block.max())) / 2
    # In the four cells the point reads, the leader line and the ring lie in the half of the cell facing the
    # point: the cell's value and its weight go in the other half, so nothing crosses them.
    away = {rc: (rc[0] + 0.5 < y) for rc in weights}  # True: the point is below the centre, the labels go up
    for rr in range(r0, r1):
        for cc in range(c0, c1):
            up = away.get((rr, cc))
            ax.text(cc + 0.5, rr + (0.3 if up else 0.7 if up is not None else 0.78), value(chan[rr, cc]), ha="center", va="center", fontsize=SMALL,
                    color="black" if chan[rr, cc] > mid else "white", zorder=5)
            ax.plot(cc + 0.5, rr + 0.5, marker="+", color="white", markersize=10, markeredgewidth=2, zorder=5)
    for (rr, cc), w in weights.items():
        if w <= 0:
            continue
        ax.plot([x, cc + 0.5], [y, rr + 0.5], color="white", linewidth=1.5 + 8 * w, solid_capstyle="round",
                zorder=6, path_effects=OUTLINE)
        ax.text(cc + 0.5, rr + (0.11 if away[rr, cc] else 0.89), f"×{weight(w)}", ha="center", va="center", fontsize=FONT,
                weight="bold", zorder=8, bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="black"))
    ax.scatter([x], [y], s=420, marker="o", facecolor="white", edgecolor=ARGMAX, linewidth=4, zorder=9)
    cell_axes(ax, (r0, r1, c0, c1))
    read = float(r.sample_values[scene.channel, i, j, k])
    if r.valid[i, j, k]:
        title(ax, f"Bin ({i},{j}), point {k + 1}: reads {value(read)} (channel {scene.channel})")
    else:
        title(ax, f"Bin ({i},{j}), point {k + 1} is off the map: it reads 0")
    untrained_badge(fig, scene)
    return fig


def fig_combine(scene: Scene) -> Figure:
    """The channel under the bins, each point's value, and the one value each bin keeps."""
    r = scene.chosen
    win = window(scene)
    r0, r1, c0, c1 = win
    fig = new_figure(8.0, 8.0)
    ax = fig.add_axes((0.1, 0.08, 0.86, 0.84))
    chan = scene.features[scene.channel]
    ax.imshow(chan[r0:r1, c0:c1], extent=(c0, c1, r1, r0), cmap="viridis", interpolation="nearest")
    grid(ax, c0, c1, r0, r1, color="white", alpha=0.3)
    if r.points_per_bin:
        bin_lines(ax, r.row_edges, r.col_edges, color="white", effects=OUTLINE, zorder=6)
        n_all = r.samples[..., 0].size
        _points(ax, r, scene, point_size(n_all))
        vals = r.sample_values[scene.channel]
        if r.mode == "max":
            best = vals.argmax(axis=-1)
            win_pts = np.take_along_axis(r.samples, best[..., None, None], axis=2)[..., 0, :].reshape(-1, 2)
            ax.scatter(win_pts[:, 1], win_pts[:, 0], s=point_size(n_all) * 4, facecolor="none", edgecolor=ARGMAX, linewidth=3.5, zorder=9)
        pts, labels = r.samples.reshape(-1, 2), [value(v) for v in vals.reshape(-1)]
        if n_all <= 40 and _point_values_fit(ax, pts, labels, win):  # a value beside each point while they fit
            for (y, x), text in zip(pts, labels):
                ax.text(x + 0.08, y - 0.08, text, fontsize=SMALL, weight="bold", zorder=10, ha="left", va="bottom",
                        bbox=dict(boxstyle="round,pad=0.12", facecolor="white", edgecolor="none", alpha=0.85))
    cell_axes(ax, win)
    how = "mean" if r.mode == "avg" else "max (red ring)"
    title(ax, f"Channel {scene.channel}: the {how} of the {r.points_per_bin} points in each bin")
    untrained_badge(fig, scene)
    return fig


def _point_values_fit(ax, pts, labels, win) -> bool:
    """Whether every point's value, written up and right of it, stays in the view and clear of the others.

    Measured at the projector's size (1.2 times larger), in cells of the view.
    """
    r0, r1, c0, c1 = win
    pos, (fw, fh) = ax.get_position(), ax.figure.get_size_inches()
    cell = min(pos.width * fw * 72 / (c1 - c0), pos.height * fh * 72 / (r1 - r0))  # points per cell
    tall = (SMALL * PRESENT_TEXT * 1.2 + 2 * GAP_PT) / cell
    boxes = []
    for (y, x), text in zip(pts, labels):
        wide = (label_width_pt(text, SMALL, bold=True) + 2 * GAP_PT) / cell
        box = (x + 0.08, y - 0.08 - tall, x + 0.08 + wide, y - 0.08)  # left, top, right, bottom: rows grow down
        if box[0] < c0 or box[2] > c1 or box[1] < r0 or box[3] > r1:
            return False
        boxes.append(box)
    return not any(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
                   for k, a in enumerate(boxes) for b in boxes[k + 1:])


def fig_integrate(scene: Scene) -> Figure:
    """Precise RoI Pooling: how much each cell counts in the chosen bin's exact average."""
    r = scene.chosen
    i, j, _ = scene.focus
    H, W = r.map_size
    win = window(scene)
    r0, r1, c0, c1 = win
    fig = new_figure(8.0, 8.4)
    ax = fig.add_axes((0.1, 0.2, 0.86, 0.72))
    share = r.weight_map(i, j)
    block = share[r0:r1, c0:c1]
    ax.imshow(block, extent=(c0, c1, r1, r0), cmap="Oranges", vmin=0, vmax=max(float(block.max()), 1e-12), interpolation="nearest")
    grid(ax, c0, c1, r0, r1, color="#777777", alpha=0.6)
    for (rr, cc), v in printed_shares(scene).items():  # the words add up the same printed shares
        ax.text(cc + 0.5, rr + 0.5, pct(v), ha="center", va="center", fontsize=SHARE_SIZE, zorder=8,
                bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.85))
    bin_lines(ax, r.row_edges, r.col_edges, color="black", width=2, zorder=6)
    rect(ax, (r.col_edges[j], r.row_edges[i], r.col_edges[j + 1] - r.col_edges[j], r.row_edges[i + 1] - r.row_edges[i]),
         fill=False, edgecolor=ARGMAX, linewidth=4.5, zorder=7)
    roi_outline(ax, scene)
    cell_axes(ax, win)
    _legend(fig, [
        _roi_handle(),
        Line2D([], [], color="black", linewidth=2, label="bins" if r.aligned else "bins (authors' rule: ½ cell off)"),
        Rectangle((0, 0), 1, 1, fill=False, edgecolor=ARGMAX, linewidth=4, label=f"bin ({i},{j})"),
        Patch(facecolor="#f28e2b", label="share of the bin's average"),
    ])
    bh, bw = r.bin_size
    title(ax, f"Bin ({i},{j}), {rows_by_columns(bh, bw)}: each cell's share")
    return fig


def fig_output(scene: Scene) -> Figure:
    """The output of RoIAlign, RoIWarp or PrRoI, and how much of the RoI the bins span."""
    r = scene.chosen
    ph, pw = r.output_size
    fig = new_figure(8.0, 9.6)
    ax = fig.add_axes(OUTPUT_AXES)
    output_grid(ax, r.output[scene.channel])
    title(ax, f"Output {ph}×{pw}×{r.channels}: channel {scene.channel}")
    area = r.projected_area
    why = "lost: quantization" if r.snapped else "outside the bins (½-cell shift)"
    out = max(area - r.covered_area, 0.0)
    parts = [(r.covered_area, COVERED, "", "inside the bins")]
    # Bins that span the RoI exactly (aligned, nothing rounded) leave only float32's noise outside, a few
    # millionths of a cell: no share and no legend entry for it, or the legend would name a shift that is not there.
    whole = out <= OUTSIDE_NOISE * max(area, 1e-12)
    if not whole:
        parts.append((out, LOST, HATCH_LOST, why))
    coverage_bar(fig, area, parts, f"The RoI's {cells(area)}: {'100 %' if whole else pct(r.coverage)} inside the bins")
    untrained_badge(fig, scene)
    return fig
