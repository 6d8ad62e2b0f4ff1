"""One figure per step: a :class:`~roi_viz.walkthrough.Scene` in, a Matplotlib figure out.

Drawn for a classroom: large type, thick lines, and every meaning carried by
hatching or line style as well as by colour, so a greyscale projector or a
colour-blind student loses nothing. Figures are built with
``matplotlib.figure.Figure`` rather than pyplot, which keeps them free of
global state when many sessions draw at once.

Feature-map axes are in cells: cell ``(r, c)`` covers ``[c, c+1) x [r, r+1)``,
row 0 at the top, exactly as the geometry module counts them.
"""
from __future__ import annotations

import io

import numpy as np
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from PIL import Image

from . import geometry as g
from .explain import cells, num
from .walkthrough import STEPS, Scene

FONT = 15
SMALL = 13
ROI = "#ff7f0e"  # the RoI as projected: orange, dashed
REGION = "#111111"  # the quantized region: black, solid
LOST = "#1f3b8c"  # dark blue, hatched ///
GAINED = "#2ca02c"  # green, hatched \\\
DROPPED = "#7fb8ff"  # light blue, cross-hatched
ARGMAX = "#d62728"  # red outline
HATCH_LOST, HATCH_GAINED, HATCH_DROPPED, HATCH_SHARED = "///", "\\\\\\", "xx", ".."
_OUTLINE = [patheffects.withStroke(linewidth=5, foreground="black")]
PHOTO_STEPS = {"image"}  # steps whose figure is mostly a photograph
# The page column is about 700 px wide: more pixels would only be thrown away by the browser.
PAGE_DPI = 85
SLIDE_DPI = 150  # `explain --figures` writes slides for a projector


# ------------------------------------------------------------------------ helpers
def to_png(fig: Figure, dpi: float = SLIDE_DPI) -> bytes:
    """Line art: RGB PNG at a fast zlib level (larger by a fifth, encoded three times faster)."""
    return _encode(fig, dpi, "PNG", compress_level=1)


def to_jpeg(fig: Figure, dpi: float = SLIDE_DPI) -> bytes:
    """A figure that is mostly photograph: JPEG is ten times faster to encode than PNG here."""
    return _encode(fig, dpi, "JPEG", quality=90)


def encode_step(key: str, fig: Figure) -> tuple[bytes, str]:
    """Bytes and format for one step's figure, as the page sends it to the browser."""
    return (to_jpeg(fig, PAGE_DPI), "JPEG") if key in PHOTO_STEPS else (to_png(fig, PAGE_DPI), "PNG")


def _encode(fig: Figure, dpi: float, fmt: str, **options) -> bytes:
    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    rgb = Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3])
    buf = io.BytesIO()
    rgb.save(buf, format=fmt, **options)
    return buf.getvalue()


def _figure(w: float, h: float) -> Figure:
    return Figure(figsize=(w, h), dpi=100)


def _rect(ax, box: g.Box, **kw) -> Rectangle:
    x, y, w, h = box
    hatch_lw = kw.pop("hatch_linewidth", None)
    patch = Rectangle((x, y), w, h, **kw)
    if hatch_lw:
        patch.set_hatch_linewidth(hatch_lw)
    ax.add_patch(patch)
    return patch


def _grid(ax, x0: float, x1: float, y0: float, y1: float, step: float = 1.0, color="white", alpha=0.35):
    """Thin lines on every cell edge of the window (one collection: cheap to draw)."""
    xs = np.arange(np.ceil(x0 / step) * step, x1 + 1e-9, step)
    ys = np.arange(np.ceil(y0 / step) * step, y1 + 1e-9, step)
    segs = [((x, y0), (x, y1)) for x in xs] + [((x0, y), (x1, y)) for y in ys]
    ax.add_collection(LineCollection(segs, colors=color, linewidths=0.8, alpha=alpha))


def _cell_axes(ax, win: g.Span):
    """Limits and integer ticks for a window ``(r0, r1, c0, c1)`` of the map, row 0 on top."""
    r0, r1, c0, c1 = win
    ax.set_xlim(c0, c1)
    ax.set_ylim(r1, r0)
    ax.set_aspect("equal")
    step = max(1, int(np.ceil(max(r1 - r0, c1 - c0) / 10)))  # ticks cost time; ten per axis are plenty
    ax.set_xticks(np.arange(c0, c1 + 1, step))
    ax.set_yticks(np.arange(r0, r1 + 1, step))
    ax.tick_params(labelsize=SMALL)
    ax.set_xlabel("column (cells)", fontsize=FONT)
    ax.set_ylabel("row (cells)", fontsize=FONT)


def window(scene: Scene, pad: int = 1, minimum: int = 6) -> g.Span:
    """The part of the map around the RoI that steps 3 to 5 zoom into."""
    t = scene.trace
    H, W = t.map_size
    spans = [g.touched_span(t.projected, t.map_size)]
    if t.region_area:
        spans.append(t.region)
    r0 = min(s[0] for s in spans) - pad
    r1 = max(s[1] for s in spans) + pad
    c0 = min(s[2] for s in spans) - pad
    c1 = max(s[3] for s in spans) + pad
    # Grow to a minimum size so a tiny RoI is not drawn as a giant blur.
    while r1 - r0 < minimum and (r0 > 0 or r1 < H):
        r0, r1 = max(r0 - (r0 > 0), 0), min(r1 + 1, H)
    while c1 - c0 < minimum and (c0 > 0 or c1 < W):
        c0, c1 = max(c0 - (c0 > 0), 0), min(c1 + 1, W)
    return max(r0, 0), min(r1, H), max(c0, 0), min(c1, W)


def _runs(mask: np.ndarray, span: g.Span) -> list[g.Box]:
    """Cells of ``mask`` inside ``span`` as row-wise runs: one patch per run, not per cell."""
    r0, r1, c0, c1 = span
    boxes = []
    for r in range(r0, r1):
        c = c0
        while c < c1:
            if mask[r, c]:
                start = c
                while c < c1 and mask[r, c]:
                    c += 1
                boxes.append((float(start), float(r), float(c - start), 1.0))
            else:
                c += 1
    return boxes


def _zoomed(scene: Scene, grid_color: str, grid_alpha: float) -> tuple[Figure, object, g.Span]:
    """Figure and axes for the steps that zoom into the RoI, with the cell grid drawn."""
    win = window(scene)
    fig = _figure(8.0, 8.4)
    ax = fig.add_axes((0.1, 0.2, 0.86, 0.72))
    r0, r1, c0, c1 = win
    _grid(ax, c0, c1, r0, r1, color=grid_color, alpha=grid_alpha)
    return fig, ax, win


def _finish_zoomed(fig: Figure, ax, scene: Scene, win: g.Span, handles: list, title: str) -> Figure:
    """Outlines of the RoI and the region on top, then axes, legend and title."""
    _roi_outline(ax, scene)
    _region_outline(ax, scene)
    _cell_axes(ax, win)
    handles = handles + [
        Rectangle((0, 0), 1, 1, fill=False, edgecolor=ROI, linewidth=3, linestyle=(0, (5, 3)), label="RoI as projected"),
        Rectangle((0, 0), 1, 1, fill=False, edgecolor=REGION, linewidth=3, label="quantized region"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=FONT, frameon=False, handleheight=1.4, handlelength=2.2)
    _title(ax, title)
    return fig


def _channel_image(scene: Scene, mean: bool = False) -> np.ndarray:
    return scene.features.mean(axis=0) if mean else scene.features[scene.channel]


def _roi_outline(ax, scene: Scene, label: str | None = "RoI (projected)"):
    patch = _rect(ax, scene.trace.projected, fill=False, edgecolor=ROI, linewidth=3.5, linestyle=(0, (5, 3)), label=label, zorder=6)
    patch.set_path_effects([patheffects.withStroke(linewidth=5.5, foreground="black")])
    return patch


def _region_outline(ax, scene: Scene, label: str | None = "quantized region"):
    if scene.trace.region_area == 0:
        return None
    return _rect(ax, g.box_of_span(scene.trace.region), fill=False, edgecolor=REGION, linewidth=3.5, label=label, zorder=7)


def _title(ax, text: str):
    ax.set_title(text, fontsize=FONT, pad=10)


def _untrained_badge(fig: Figure, scene: Scene):
    if not scene.pretrained:
        fig.text(
            0.99, 0.995, "UNTRAINED VGG16: features are random", ha="right", va="top",
            fontsize=SMALL, color="white", weight="bold",
            bbox=dict(boxstyle="round,pad=0.3", facecolor="#b00020", edgecolor="none"),
        )


# ------------------------------------------------------------------------- steps
def fig_image(scene: Scene) -> Figure:
    S, s = scene.input_size, scene.trace.stride
    fig = _figure(7.5, 7.8)
    ax = fig.add_axes((0.1, 0.07, 0.86, 0.83))
    ax.imshow(np.asarray(scene.image), extent=(0, S, S, 0), interpolation="nearest")
    _grid(ax, 0, S, 0, S, step=s, color="white", alpha=0.45)
    for k, (x, y, w, h) in enumerate(scene.rois):
        active = k == scene.active
        patch = _rect(ax, (x, y, w, h), fill=False, edgecolor="#ffd400" if active else "#00e5ff",
                      linewidth=4 if active else 2.5, linestyle="-" if active else (0, (4, 2)), zorder=5)
        patch.set_path_effects(_OUTLINE if active else [])
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
    _title(ax, f"Model input {S}×{S}; each grid square = one cell ({int(s)}×{int(s)} px)")
    return fig


def fig_features(scene: Scene) -> Figure:
    t = scene.trace
    H, W = t.map_size
    fig = _figure(8.2, 7.8)
    ax = fig.add_axes((0.09, 0.08, 0.72, 0.82))
    cax = fig.add_axes((0.84, 0.08, 0.03, 0.82))
    im = ax.imshow(_channel_image(scene, scene.mean_view), extent=(0, W, H, 0), cmap="viridis", interpolation="nearest")
    fig.colorbar(im, cax=cax).ax.tick_params(labelsize=SMALL)
    _grid(ax, 0, W, 0, H, color="white", alpha=0.25)
    _roi_outline(ax, scene)
    x, y, w, h = t.projected
    for tx, ty, va, ha, label in (
        (x, y, "bottom", "left", f"({num(x)}, {num(y)})"),
        (x + w, y + h, "top", "right", f"({num(x + w)}, {num(y + h)})"),
    ):
        ax.text(tx, ty, label, va=va, ha=ha, fontsize=FONT, weight="bold", color="black", zorder=8,
                bbox=dict(boxstyle="round,pad=0.25", facecolor="white", edgecolor=ROI, linewidth=2.5, alpha=0.9))
    _cell_axes(ax, (0, H, 0, W))
    what = "mean over channels" if scene.mean_view else f"channel {scene.channel}"
    _title(ax, f"Feature map {W}×{H}×{scene.features.shape[0]}: {what}")
    _untrained_badge(fig, scene)
    return fig


def fig_quantize(scene: Scene) -> Figure:
    t = scene.trace
    fig, ax, win = _zoomed(scene, "#555555", 0.6)
    ax.imshow(_channel_image(scene), extent=(0, t.map_size[1], t.map_size[0], 0), cmap="Greys", alpha=0.25, interpolation="nearest")
    region_box = g.box_of_span(t.region)
    for piece in g.box_difference(t.projected, region_box):
        _rect(ax, piece, facecolor=LOST, alpha=0.75, edgecolor="white", hatch=HATCH_LOST, linewidth=0, hatch_linewidth=2, zorder=3)
    for piece in g.box_difference(region_box, t.projected):
        _rect(ax, piece, facecolor=GAINED, alpha=0.75, edgecolor="black", hatch=HATCH_GAINED, linewidth=0, hatch_linewidth=2, zorder=3)
    handles = [
        Patch(facecolor=LOST, edgecolor="white", hatch=HATCH_LOST, label=f"lost: {cells(t.lost_area)}"),
        Patch(facecolor=GAINED, edgecolor="black", hatch=HATCH_GAINED, label=f"gained: {cells(t.gained_area)}"),
    ]
    rule = "rounded down" if t.scheme == "article" else "corners rounded, end cell kept"
    return _finish_zoomed(fig, ax, scene, win, handles, f"Quantization ({rule})")


def fig_bins(scene: Scene) -> Figure:
    t = scene.trace
    fig, ax, win = _zoomed(scene, "#888888", 0.7)
    ph, pw = t.output_size
    label_size = FONT if max(ph, pw) <= 4 else SMALL if max(ph, pw) <= 7 else 8
    for i, row in enumerate(t.bins):
        for j, span in enumerate(row):
            if span[1] <= span[0] or span[3] <= span[2]:
                continue
            box = g.box_of_span(span)
            _rect(ax, box, facecolor="#cfcfcf" if (i + j) % 2 else "#f4f4f4", alpha=0.8, edgecolor="black", linewidth=2.5, zorder=3)
            ax.text(box[0] + box[2] / 2, box[1] + box[3] / 2, f"{i},{j}", ha="center", va="center", fontsize=label_size, zorder=8)
    for box in _runs(t.bin_use == 0, t.region):
        _rect(ax, box, facecolor=DROPPED, edgecolor="#0b3d91", hatch=HATCH_DROPPED, linewidth=0, hatch_linewidth=1.5, zorder=4)
    for box in _runs(t.bin_use > 1, t.region):
        _rect(ax, box, facecolor="none", edgecolor="#333333", hatch=HATCH_SHARED, linewidth=0, zorder=4)
    handles = [Patch(facecolor="#e0e0e0", edgecolor="black", linewidth=2, label="a bin (row, col)")]
    if t.dropped_cells:
        handles.append(Patch(facecolor=DROPPED, edgecolor="#0b3d91", hatch=HATCH_DROPPED, label=f"in no bin: {cells(t.dropped_cells)}"))
    if t.shared_cells:
        handles.append(Patch(facecolor="white", edgecolor="#333333", hatch=HATCH_SHARED, label=f"read by 2+ bins: {cells(t.shared_cells)}"))
    bh, bw = t.bin_size
    return _finish_zoomed(fig, ax, scene, win, handles, f"{ph}×{pw} bins of {num(bh, 3)}×{num(bw, 3)} cells")


def fig_pool(scene: Scene) -> Figure:
    t = scene.trace
    win = window(scene)
    r0, r1, c0, c1 = win
    fig = _figure(8.0, 8.0)
    ax = fig.add_axes((0.1, 0.08, 0.86, 0.84))
    chan = scene.features[scene.channel]
    block = chan[r0:r1, c0:c1]
    ax.imshow(block, extent=(c0, c1, r1, r0), cmap="viridis", interpolation="nearest")  # values are printed: no colour bar
    _grid(ax, c0, c1, r0, r1, color="white", alpha=0.3)
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
            _rect(ax, g.box_of_span(span), fill=False, edgecolor="white", linewidth=2.5, zorder=6).set_path_effects(_OUTLINE)
            cell = t.argmax_cell(scene.channel, i, j)
            if cell:
                _rect(ax, (cell[1] + 0.06, cell[0] + 0.06, 0.88, 0.88), fill=False, edgecolor=ARGMAX, linewidth=4, zorder=7)
    _cell_axes(ax, win)
    _title(ax, f"Channel {scene.channel}: max per bin (red box, bold = the max)")
    _untrained_badge(fig, scene)
    return fig


def fig_output(scene: Scene) -> Figure:
    t = scene.trace
    ph, pw = t.output_size
    fig = _figure(8.0, 9.6)  # stacked, to fill the page column like the other steps
    ax = fig.add_axes((0.2, 0.43, 0.6, 0.45))
    out = t.output[scene.channel]
    ax.imshow(out, cmap="viridis", interpolation="nearest", extent=(0, pw, ph, 0))
    if ph * pw <= 64:
        mid = (float(out.min()) + float(out.max())) / 2
        for i in range(ph):
            for j in range(pw):
                empty = t.empty_bins[i, j]
                ax.text(j + 0.5, i + 0.5, "empty" if empty else f"{out[i, j]:.3g}", ha="center", va="center",
                        fontsize=FONT if ph * pw <= 16 else SMALL, color="black" if out[i, j] > mid else "white")
    _grid(ax, 0, pw, 0, ph, color="white", alpha=0.8)
    ax.set_xticks(np.arange(pw) + 0.5, [str(j) for j in range(pw)])
    ax.set_yticks(np.arange(ph) + 0.5, [str(i) for i in range(ph)])
    ax.tick_params(labelsize=SMALL)
    _title(ax, f"Output {ph}×{pw}×{t.channels}: channel {scene.channel}")

    bx = fig.add_axes((0.06, 0.2, 0.88, 0.1))
    area = t.projected_area
    split = max(t.overlap_area - t.covered_area, 0.0)
    parts = [
        (t.covered_area, "#4d4d4d", "", "reaches the output"),
        (t.lost_area, LOST, HATCH_LOST, "lost: quantization"),
        (split, DROPPED, HATCH_DROPPED, "lost: split"),
    ]
    left = 0.0
    handles = []
    for value, color, hatch, label in parts:
        share = value / area if area else 0.0
        bar = bx.barh(0, share, left=left, color=color, hatch=hatch, edgecolor="white" if color == LOST else "#0b3d91", linewidth=0)
        bar.patches[0].set_hatch_linewidth(2)
        if share >= 0.08:
            bx.text(left + share / 2, 0, f"{100 * share:.0f} %", ha="center", va="center", fontsize=FONT, weight="bold",
                    bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="none", alpha=0.9))
        handles.append(Patch(facecolor=color, hatch=hatch, edgecolor="white" if color == LOST else "#0b3d91",
                             label=f"{label}: {cells(value)}"))
        left += share
    bx.set_xlim(0, 1)
    bx.set_ylim(-0.5, 0.5)
    bx.set_yticks([])
    bx.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0", "25 %", "50 %", "75 %", "100 %"])
    bx.tick_params(labelsize=SMALL)
    bx.set_title(f"Where the RoI's {num(area, 4)} cells went: coverage {100 * t.coverage:.1f} %", fontsize=FONT, pad=10)
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.05, 0.0), fontsize=FONT, frameon=False, ncol=1)
    _untrained_badge(fig, scene)
    return fig


FIGURES = {
    "image": fig_image,
    "features": fig_features,
    "quantize": fig_quantize,
    "bins": fig_bins,
    "pool": fig_pool,
    "output": fig_output,
}
assert set(FIGURES) == {s.key for s in STEPS}


def draw_step(key: str, scene: Scene) -> Figure:
    return FIGURES[key](scene)

