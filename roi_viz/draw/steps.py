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
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.transforms import Bbox

from ..lesson.scene import Scene
from ..lesson.shown import NUMBER_SIZE, pool_values, split_loss
from ..ops import geometry as g
from .kit import (
    ARGMAX, BIN_FACES, COVERED, DROPPED, DROPPED_LINES, FONT, GAINED, HALO, HATCH_DROPPED, HATCH_GAINED, HATCH_LOST,
    HATCH_SHARED, LOST, LOST_LINES, OUTLINE, ROI, SMALL, cell_axes, cells, channel_handle, channel_image,
    OUTPUT_AXES, coverage_bar, empty_handle, exact, finish_zoomed, grid, new_figure, output_grid, pct, rect, roi_on_photo,
    roi_outline, rows_by_columns,
    runs, title, untrained_badge, value, window, zoomed, bin_lines, fractional_bins,
)

BIN_EDGE = [patheffects.withStroke(linewidth=5.5, foreground="white")]  # a black bin edge in a white frame: clear on dots

CORNER_GAP = 9  # points between a corner label's frame and the corner: clears the box's outline and its stroke


# ------------------------------------------------------------------------- steps
def fig_image(scene: Scene) -> Figure:
    (IW, IH), s = scene.input_dims, scene.pooled.stride
    fig = new_figure(7.5, 7.8)
    ax = fig.add_axes((0.1, 0.07, 0.86, 0.83))
    ax.imshow(np.asarray(scene.image), extent=(0, IW, IH, 0), interpolation="nearest")
    grid(ax, 0, IW, 0, IH, step=s, color="white", alpha=0.45)
    ax.set_xlim(0, IW)
    ax.set_ylim(IH, 0)
    for k, box in enumerate(scene.rois):
        roi_on_photo(ax, box, k + 1, k == scene.active, FONT if k == scene.active else SMALL)
    S = max(IW, IH)
    ticks = np.arange(0, S + 1, s * max(1, int(S / s) // 8))
    ax.set_xticks(ticks[ticks <= IW])
    ax.set_yticks(ticks[ticks <= IH])
    ax.tick_params(labelsize=SMALL)
    ax.set_xlabel("x (pixels)", fontsize=SMALL)
    ax.set_ylabel("y (pixels)", fontsize=SMALL)
    size = f"{IW}×{IH} px" + ("" if IW == IH else " (w×h)")  # a picture is width x height, as a box's w and h
    title(ax, f"Model input {size}; grid lines every {exact(s)} px = the stride")
    return fig


def fig_features(scene: Scene) -> Figure:
    t = scene.pooled
    H, W = t.map_size
    fig = new_figure(8.2, 7.8)
    ax = fig.add_axes((0.09, 0.08, 0.72, 0.82))
    cax = fig.add_axes((0.84, 0.08, 0.03, 0.82))
    im = ax.imshow(channel_image(scene, scene.mean_view), extent=(0, W, H, 0), cmap="viridis", interpolation="nearest")
    fig.colorbar(im, cax=cax).ax.tick_params(labelsize=SMALL)
    grid(ax, 0, W, 0, H, color="white", alpha=0.25)
    roi_outline(ax, scene)
    cell_axes(ax, (0, H, 0, W))
    # A map that is not square leaves its equal-aspect axes shorter than the box given to them: the bar follows the map.
    ax.apply_aspect()
    box = ax.get_position()
    cax.set_position((box.x1 + 0.03, box.y0, 0.03, box.height))
    corner_labels(fig, ax, t.projected)
    C = scene.features.shape[0]
    what = f"mean over {C} channels" if scene.mean_view else f"channel {scene.channel} of {C}"
    title(ax, f"Feature map, {H} rows × {W} columns: {what}")
    untrained_badge(fig, scene)
    return fig


def corner_labels(fig: Figure, ax, box: g.Box) -> list:
    """The projected box's top-left and bottom-right corners, written *outside* the box and inside the axes.

    Each label tries its places in turn (the top-left one above the box, then
    to its left; the bottom-right one below, then to its right), slid along
    the box's edge to stay in the axes, and takes the first that leaves the
    box's outline and the other label clear. Where there is no room outside
    (a corner within a label's size of the map's edges), the label goes
    inside, in its corner, still clear of the edges.
    """
    x, y, w, h = box
    renderer = FigureCanvasAgg(fig).get_renderer()
    ax.apply_aspect()
    inside = ax.get_window_extent(renderer)
    (bx0, by1), (bx1, by0) = ax.transData.transform([(x, y), (x + w, y + h)])  # rows grow downwards
    grow = 3.0 * fig.dpi / 72  # half the outline with its black stroke
    outline = Bbox.from_extents(bx0 - grow, by0 - grow, bx1 + grow, by1 + grow)
    G = CORNER_GAP
    places = {  # (anchor, ha, va, offset in points, the direction it may slide in)
        "tl": [((x, y), "left", "bottom", (0, G), "x"), ((x, y), "right", "top", (-G, 0), "y"),
               ((x, y), "left", "top", (G, -G), None)],
        "br": [((x + w, y + h), "right", "top", (0, -G), "x"), ((x + w, y + h), "left", "bottom", (G, 0), "y"),
               ((x + w, y + h), "right", "bottom", (-G, G), None)],
    }
    texts, taken = [], []
    for key, label in (("tl", corner_text(x, y)), ("br", corner_text(x + w, y + h))):
        for k, (xy, ha, va, (dx, dy), slide) in enumerate(places[key]):
            last = k == len(places[key]) - 1
            t = ax.annotate(label, xy=xy, xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, fontsize=FONT,
                            weight="bold", color="black", zorder=8, annotation_clip=False,
                            bbox=dict(boxstyle="round,pad=0.25", facecolor="white", edgecolor=ROI, linewidth=2.5, alpha=0.9))
            extent = _frame(t, renderer)
            if slide:  # slide along the edge it sits on until it is inside the axes
                lo, hi = (extent.x0, extent.x1) if slide == "x" else (extent.y0, extent.y1)
                a, b = (inside.x0, inside.x1) if slide == "x" else (inside.y0, inside.y1)
                shift = (a - lo if lo < a else b - hi if hi > b else 0.0) * 72 / fig.dpi
                if shift:
                    t.set_position((dx + shift, dy) if slide == "x" else (dx, dy + shift))
                    extent = _frame(t, renderer)
            fits = _contains(inside, extent) and not extent.overlaps(outline) and not any(extent.overlaps(o) for o in taken)
            if fits or last:
                texts.append(t)
                taken.append(extent)
                break
            t.remove()
    return texts


def corner_text(x: float, y: float) -> str:
    """A corner of the projected box as its label reads: a point, so (x, y), across then down, as the axes name them."""
    return f"({exact(x)}, {exact(y)})"


def _frame(text, renderer) -> Bbox:
    """The window extent of a label's frame (its text with the rounded box around it)."""
    text.update_positions(renderer)  # an annotation places itself (offset from its anchor) only when asked
    text.update_bbox_position_size(renderer)
    return text.get_bbox_patch().get_window_extent(renderer)


def _contains(outer: Bbox, inner: Bbox, tol: float = 0.5) -> bool:
    return (inner.x0 >= outer.x0 - tol and inner.x1 <= outer.x1 + tol
            and inner.y0 >= outer.y0 - tol and inner.y1 <= outer.y1 + tol)


def fig_quantize(scene: Scene) -> Figure:
    t = scene.pooled
    fig, ax, win = zoomed(scene, "#555555", 0.6)
    ax.imshow(channel_image(scene), extent=(0, t.map_size[1], t.map_size[0], 0), cmap="Greys", alpha=0.25, interpolation="nearest")
    region_box = g.box_of_span(t.region)
    for piece in g.box_difference(t.projected, region_box):
        rect(ax, piece, facecolor=LOST, alpha=0.9, edgecolor=LOST_LINES, hatch=HATCH_LOST, linewidth=0, hatch_linewidth=2, zorder=3)
    for piece in g.box_difference(region_box, t.projected):
        rect(ax, piece, facecolor=GAINED, alpha=0.75, edgecolor="black", hatch=HATCH_GAINED, linewidth=0, hatch_linewidth=2, zorder=3)
    shades, channel = channel_handle(scene)
    handles = [
        Patch(facecolor=LOST, edgecolor=LOST_LINES, hatch=HATCH_LOST),
        shades,
        Patch(facecolor=GAINED, edgecolor="black", hatch=HATCH_GAINED),
    ]
    labels = [f"lost: {cells(t.lost_area)}", channel, f"gained: {cells(t.gained_area)}"]
    rule = "rounded down" if t.scheme == "article" else "corners rounded, end cell kept"
    return finish_zoomed(fig, ax, scene, win, handles, f"Quantization ({rule})", labels)


def fig_bins(scene: Scene) -> Figure:
    t = scene.pooled
    whole = t.scheme == "article"  # bins of whole cells; Fast R-CNN's have fractional edges, widened to whole cells
    # Under Fast R-CNN's rule many bin edges cut through cells: the cell lines go light, so the bin edges stand out.
    fig, ax, win = zoomed(scene, "#888888" if whole else "#b0b0b0", 0.7)
    ph, pw = t.output_size
    full = [(i, j, g.box_of_span(span)) for i, row in enumerate(t.bins) for j, span in enumerate(row)
            if span[1] > span[0] and span[3] > span[2]]
    if whole:
        for i, j, box in full:
            rect(ax, box, facecolor=BIN_FACES[(i + j) % 2], alpha=0.8, edgecolor="black", linewidth=2.5, zorder=3)
    else:
        # Each bin shaded where the rule puts it, its fractional box; the whole cells it also reads are dotted below.
        rows, cols = fractional_bins(t)
        for i, j, _ in full:
            rect(ax, (cols[j], rows[i], cols[j + 1] - cols[j], rows[i + 1] - rows[i]), facecolor=BIN_FACES[(i + j) % 2],
                 alpha=0.8, linewidth=0, zorder=3)
    for box in runs(t.bin_use == 0, t.region):
        rect(ax, box, facecolor=DROPPED, edgecolor=DROPPED_LINES, hatch=HATCH_DROPPED, linewidth=0, hatch_linewidth=1.5, zorder=4)
    for box in runs(t.bin_use > 1, t.region):
        rect(ax, box, facecolor="none", edgecolor="#333333" if whole else "#555555", hatch=HATCH_SHARED, linewidth=0,
             zorder=4)
    if not whole and full:
        r0, r1, c0, c1 = win
        grid(ax, c0, c1, r0, r1, color="#9a9a9a", alpha=0.9, zorder=4.5)  # the cells, over the shading, under the bins
        edges = bin_lines(ax, rows, cols, color="black", width=3.0, effects=BIN_EDGE, zorder=5)
        edges.set_gid("bin edges")
    inside = _bin_labels_fit(fig, ax, win, t)
    if inside:
        size = FONT if max(ph, pw) <= 4 else SMALL
        for i, j, (x, y, w, h) in full:
            ax.text(x + w / 2, y + h / 2, f"{i},{j}", ha="center", va="center", fontsize=size, zorder=8, path_effects=HALO)
    handles, labels = [], []
    if full:
        handles.append(tuple(Patch(facecolor=f, alpha=0.8, edgecolor="black", linewidth=2) for f in BIN_FACES))
        labels.append("a bin (row, col)" if inside else "a bin: row on the right, column on top")
    if t.dropped_cells:
        handles.append(Patch(facecolor=DROPPED, edgecolor=DROPPED_LINES, hatch=HATCH_DROPPED))
        labels.append(f"in no bin: {cells(t.dropped_cells)}")
    if t.shared_cells:
        handles.append(Patch(facecolor="none", edgecolor="#333333", hatch=HATCH_SHARED))
        labels.append(f"read by 2+ bins: {cells(t.shared_cells)}")
    bh, bw = t.bin_size
    heading = f"{ph}×{pw} bins of {rows_by_columns(bh, bw)}" + ("" if full else ": every bin is empty")
    finish_zoomed(fig, ax, scene, win, handles, heading, labels)
    if not inside and full:
        _bin_labels_outside(fig, ax, t, None if whole else (rows, cols))
    return fig


def _bin_labels_fit(fig: Figure, ax, win: g.Span, t) -> bool:
    """Whether "i,j" fits inside every bin, clear of its edges: bins that do not overlap and are large enough."""
    if t.shared_cells:
        return False
    r0, r1, c0, c1 = win
    pos = ax.get_position()
    w_in, h_in = fig.get_size_inches()
    cell = min(pos.width * w_in * 72 / (c1 - c0), pos.height * h_in * 72 / (r1 - r0))  # points, square cells
    ph, pw = t.output_size
    size = FONT if max(ph, pw) <= 4 else SMALL
    spans = [span for row in t.bins for span in row if span[1] > span[0] and span[3] > span[2]]
    if not spans:
        return True
    rows = min(s[1] - s[0] for s in spans)
    cols = min(s[3] - s[2] for s in spans)
    label_w = 0.62 * size * len(f"{ph - 1},{pw - 1}") + 8
    return cols * cell >= label_w and rows * cell >= 1.4 * size + 6


def _bin_labels_outside(fig: Figure, ax, t, edges=None):
    """Bin numbers on the axes' free sides, where no grid or bin line crosses them: rows on the right, columns on top.

    Each number sits level with the centre of its bins: of their whole cells, or, with ``edges`` (the fractional
    ``(row_edges, col_edges)`` the figure draws), of the drawn bins. Where neighbouring centres are too close
    for their numbers, only every k-th one is written.
    """
    ph, pw = t.output_size
    rows = [(i, (t.bins[i][0][0] + t.bins[i][0][1]) / 2) for i in range(ph) if t.bins[i][0][1] > t.bins[i][0][0]]
    cols = [(j, (t.bins[0][j][2] + t.bins[0][j][3]) / 2) for j in range(pw) if t.bins[0][j][3] > t.bins[0][j][2]]
    if edges is not None:
        re_, ce = edges
        rows = [(i, (re_[i] + re_[i + 1]) / 2) for i, _ in rows]
        cols = [(j, (ce[j] + ce[j + 1]) / 2) for j, _ in cols]
    pos = ax.get_position()
    # Room for the numbers and their captions: the axes give up a strip at the top and on the right.
    ax.set_position((pos.x0, pos.y0, pos.width - 0.05, pos.height - 0.06))
    ax.apply_aspect()
    x0, x1 = sorted(ax.get_xlim())
    y0, y1 = sorted(ax.get_ylim())
    bb = ax.get_position()
    w_in, h_in = fig.get_size_inches()
    per_col = bb.width * w_in * 72 / (x1 - x0)  # points per cell
    per_row = bb.height * h_in * 72 / (y1 - y0)

    def thin(items, per_cell, need):
        # Bins of a small region can share their centre (they overlap): one number range for them.
        groups: list[list] = []
        for k, c in items:
            if groups and abs(groups[-1][2] - c) < 1e-9:
                groups[-1][1] = k
            else:
                groups.append([k, k, c])
        items = [(str(a) if a == b else f"{a}–{b}", c) for a, b, c in groups]
        gaps = [b[1] - a[1] for a, b in zip(items, items[1:])]
        step = max(1, int(np.ceil(need / (min(gaps) * per_cell)))) if gaps else 1
        return items[::step]

    size = SMALL
    top = ax.secondary_xaxis("top")
    shown = thin(cols, per_col, 0.62 * size * len(str(pw - 1)) + 8)
    top.set_xticks([c for _, c in shown], [j for j, _ in shown])
    top.tick_params(labelsize=size, length=5, width=1.5)
    top.set_xlabel("bin column", fontsize=size, labelpad=4)
    right = ax.secondary_yaxis("right")
    shown = thin(rows, per_row, 1.3 * size + 2)
    right.set_yticks([r for _, r in shown], [i for i, _ in shown])
    right.tick_params(labelsize=size, length=5, width=1.5)
    right.set_ylabel("bin row", fontsize=size, labelpad=4)
    ax.title.set_y(1.0)
    ax.set_title(ax.get_title(), fontsize=FONT, pad=size * 2.6 + 10)


def fig_pool(scene: Scene) -> Figure:
    t = scene.pooled
    win = window(scene)
    r0, r1, c0, c1 = win
    fig = new_figure(8.0, 8.0)
    ax = fig.add_axes((0.1, 0.08, 0.86, 0.84))
    chan = scene.features[scene.channel]
    block = chan[r0:r1, c0:c1]
    ax.imshow(block, extent=(c0, c1, r1, r0), cmap="viridis", interpolation="nearest")  # values are printed: no colour bar
    grid(ax, c0, c1, r0, r1, color="white", alpha=0.3)
    shown = pool_values(scene)  # the words say what is printed from the same decision
    for r, c in shown.cells:  # shown.py checked that each number fits at this size
        ax.text(c + 0.5, r + 0.5, value(chan[r, c]), ha="center", va="center", fontsize=NUMBER_SIZE,
                weight="bold" if (r, c) in shown.winners else "normal",
                color="black", path_effects=HALO, zorder=8)
    for i, row in enumerate(t.bins):
        for j, span in enumerate(row):
            if span[1] <= span[0] or span[3] <= span[2]:
                continue
            rect(ax, g.box_of_span(span), fill=False, edgecolor="white", linewidth=2.5, zorder=6).set_path_effects(OUTLINE)
            cell = t.argmax_cell(scene.channel, i, j)
            if cell:
                rect(ax, (cell[1] + 0.06, cell[0] + 0.06, 0.88, 0.88), fill=False, edgecolor=ARGMAX, linewidth=4, zorder=7)
    cell_axes(ax, win)
    heading = {
        "all": "max per bin (red box; its value in bold)",
        "maxima": "each bin's max (red box) and its value",
        "none": "where each bin's max is (red box)",
        "empty": "no bin has a cell, so every output is 0",
    }[shown.mode]
    title(ax, f"Channel {scene.channel}: {heading}")
    untrained_badge(fig, scene)
    return fig


def fig_output(scene: Scene) -> Figure:
    """RoI pooling's output, and where the RoI's area went."""
    t = scene.pooled
    ph, pw = t.output_size
    fig = new_figure(8.0, 9.6)  # stacked, to fill the page column like the other steps
    ax = fig.add_axes(OUTPUT_AXES)
    if output_grid(ax, t.output[scene.channel], t.empty_bins):
        ax.legend(handles=[empty_handle()], loc="upper center", bbox_to_anchor=(0.5, -0.07), frameon=False,
                  fontsize=SMALL, handleheight=1.2)
    title(ax, f"Output {ph}×{pw}×{t.channels}: channel {scene.channel}")

    coverage_bar(fig, t.projected_area, [
        (t.covered_area, COVERED, "", "reaches the output"),
        (t.lost_area, LOST, HATCH_LOST, "lost: quantization"),
        (split_loss(t), DROPPED, HATCH_DROPPED, "lost: split"),
    ], f"Where the RoI's {cells(t.projected_area)} went: coverage {pct(t.coverage)}")
    untrained_badge(fig, scene)
    return fig
