"""Drawing helpers shared by every figure: classroom type sizes, colours that
also read in greyscale, the cell grid, zoom windows and the PNG/JPEG encoders.

Feature-map axes are in cells: cell ``(r, c)`` covers ``[c, c+1) x [r, r+1)``,
row 0 at the top, exactly as the geometry module counts them. Figures are
built with ``matplotlib.figure.Figure`` rather than pyplot, which keeps them
free of global state when many sessions draw at once.
"""
from __future__ import annotations

import io

import numpy as np
from matplotlib import colormaps, patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text
from PIL import Image

from ..lesson.numbers import cells, exact, num, pct, rows_by_columns, value  # noqa: F401  (re-exported for the figure modules)
from ..lesson.scene import Scene
from ..lesson.shown import GAP_PT, ROI_FOLLOWED, ROI_OTHER, label_width_pt, window  # noqa: F401  (the words read them too)
from ..ops import geometry as g

FONT = 15
SMALL = 13
ROI = "#ff7f0e"  # the RoI as projected: orange, dashed
REGION = "#111111"  # the quantized region: black, solid
# Colour-vision rule (tests/test_colour_vision.py): every marked kind of cell stands 3 : 1 in luminance
# from the plain cells around it, in greyscale and under protanopia, deuteranopia and tritanopia; kinds
# that may share a figure are told apart by their hatch (shape, and light lines on dark or dark on light).
LOST = "#1f3b8c"  # dark blue, hatched /// in light lines
LOST_LINES = "#9db0e6"  # light blue, not white: the hatch keeps the patch dark seen from afar
GAINED = "#2ca02c"  # green, hatched \\\ in black
DROPPED = "#3c6cc0"  # mid blue, cross-hatched in dark lines: dark enough to stand out from the light bins
DROPPED_LINES = "#0b2e6e"
COVERED = "#e0e0e0"  # the share of the RoI that reaches the output: light grey beside the dark lost shares
ARGMAX = "#d62728"  # red outline
HATCH_LOST, HATCH_GAINED, HATCH_DROPPED, HATCH_SHARED = "///", "\\\\\\", "xx", ".."
OUTLINE = [patheffects.withStroke(linewidth=5, foreground="black")]
HALO = [patheffects.withStroke(linewidth=3.5, foreground="white")]  # dark text that reads on any colour and across lines
BIN_FACES = ("#f4f4f4", "#cfcfcf")  # neighbouring bins alternate, so each one stands apart
HATCH_EMPTY = "//"  # an empty bin in an output grid
# A legend entry may be a tuple of patches drawn side by side (a grey ramp, two bin shades).
TUPLES = {tuple: HandlerTuple(ndivide=None, pad=0)}
# The page column is about 700 px wide: more pixels would only be thrown away by the browser.
PAGE_DPI = 85
SLIDE_DPI = 150  # `explain --figures` writes slides for a projector
PAGE_WIDTH_PX = 720  # the page shows a figure at most this wide (the page's style sheet), shrinking a wider one
PAGE_MIN_PX, PRESENT_MIN_PX = 11, 18  # the smallest text a student reads on the page, and from the back of a room


# The output grid of the last step: as tall as the figure allows above the coverage bar, so that a 7 x 7 grid
# still has cells wide enough for a number at a size the projector can show.
OUTPUT_AXES = (0.12, 0.41, 0.76, 0.5)

# Presenter mode, 1920 x 1080: the figure's column and the height left below the step controls.
PRESENT_WIDTH_PX = 1050
PRESENT_HEIGHT_PX = 880
PRESENT_TEXT = 1.2  # every text of a figure this much larger on a projector (see smallest_text_px)


# ------------------------------------------------------------------------ helpers
def to_png(fig: Figure, dpi: float = SLIDE_DPI) -> bytes:
    """Line art: RGB PNG at a fast zlib level (larger by a fifth, encoded three times faster)."""
    return _encode(fig, dpi, "PNG", compress_level=1)


def to_jpeg(fig: Figure, dpi: float = SLIDE_DPI) -> bytes:
    """A figure that is mostly photograph: JPEG is ten times faster to encode than PNG here."""
    return _encode(fig, dpi, "JPEG", quality=90)


def _encode(fig: Figure, dpi: float, fmt: str, **options) -> bytes:
    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    rgb = Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3])
    buf = io.BytesIO()
    rgb.save(buf, format=fmt, **options)
    return buf.getvalue()


def projector_image(fig: Figure, fmt: str = "PNG", dpi: float = SLIDE_DPI) -> tuple[bytes, tuple[int, int]]:
    """A figure made :func:`for_projector`, encoded with its canvas fitted to everything drawn.

    Text 1.2 times larger can pass the figure's edge (a long title, a label left of the
    ticks); Matplotlib's tight box grows the picture to hold it, and trims empty margins.
    Returns the file and its size in pixels.
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", pad_inches=0.06)
    img = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    out = io.BytesIO()
    img.save(out, format=fmt, **({"quality": 90} if fmt == "JPEG" else {"compress_level": 1}))
    return out.getvalue(), img.size


def for_projector(fig: Figure, factor: float = PRESENT_TEXT) -> Figure:
    """Every text of ``fig`` (titles, labels, legends, ticks, values) ``factor`` times larger."""
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            labels = axis.get_ticklabels()
            if labels:
                axis.set_tick_params(labelsize=labels[0].get_fontsize() * factor)
    for text in fig.findobj(Text):
        text.set_fontsize(text.get_fontsize() * factor)
    return fig


def present_width(width_px: int, height_px: int) -> int:
    """How wide a figure of ``width_px x height_px`` is shown in presenter mode: its column, or less if it is tall."""
    return int(min(PRESENT_WIDTH_PX, PRESENT_HEIGHT_PX * width_px / height_px))


def smallest_text_px(fig: Figure, shown_width_px: float) -> float:
    """The height in screen pixels of the smallest text of ``fig`` when it is shown ``shown_width_px`` wide.

    A point is 1/72 inch of the figure; the figure's width in inches is
    stretched to ``shown_width_px``. Call it after the figure was drawn (ticks exist then).
    """
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return min(sizes) / 72 * shown_width_px / fig.get_size_inches()[0]


def page_points(width_in: float, px: float) -> float:
    """The font size, in points, that is ``px`` pixels high on the page in a figure ``width_in`` inches wide.

    At :data:`PAGE_DPI` a point is PAGE_DPI / 72 pixels; a figure wider than
    :data:`PAGE_WIDTH_PX` is shrunk to that width, and its type with it.
    """
    shrink = min(1.0, PAGE_WIDTH_PX / (width_in * PAGE_DPI))
    return px / (PAGE_DPI / 72 * shrink)


def new_figure(w: float, h: float) -> Figure:
    return Figure(figsize=(w, h), dpi=100)


def roi_on_photo(ax, box: g.Box, number: int, followed: bool, fontsize: float):
    """RoI ``number`` drawn on the photo as the board draws it, with its number in a tag at its top-left corner."""
    x, y, w, h = box
    rect(ax, box, fill=False, edgecolor=ROI_FOLLOWED if followed else ROI_OTHER, linewidth=4 if followed else 2.5,
         linestyle="-" if followed else (0, (4, 2)), zorder=5).set_path_effects(OUTLINE)
    if followed:  # the white inner line of the board's followed box
        inset = 0.006 * max(ax.get_xlim()[1], abs(ax.get_ylim()[0] - ax.get_ylim()[1]), 1)
        if w > 2 * inset and h > 2 * inset:
            rect(ax, (x + inset, y + inset, w - 2 * inset, h - 2 * inset), fill=False, edgecolor="white", linewidth=1.2,
                 zorder=5)
    ax.text(x + 4, y + 4, f"RoI {number}", va="top", ha="left", fontsize=fontsize, weight="bold",
            color="white" if followed else "black", zorder=6,
            bbox=dict(boxstyle="square,pad=0.2", facecolor=ROI_FOLLOWED if followed else ROI_OTHER, edgecolor="black"))


def rect(ax, box: g.Box, **kw) -> Rectangle:
    x, y, w, h = box
    hatch_lw = kw.pop("hatch_linewidth", None)
    patch = Rectangle((x, y), w, h, **kw)
    if hatch_lw:
        patch.set_hatch_linewidth(hatch_lw)
    ax.add_patch(patch)
    return patch


def grid(ax, x0: float, x1: float, y0: float, y1: float, step: float = 1.0, color="white", alpha=0.35,
         zorder: float = 2) -> LineCollection:
    """Thin lines on every cell edge of the window (one collection: cheap to draw)."""
    xs = np.arange(np.ceil(x0 / step) * step, x1 + 1e-9, step)
    ys = np.arange(np.ceil(y0 / step) * step, y1 + 1e-9, step)
    segs = [((x, y0), (x, y1)) for x in xs] + [((x0, y), (x1, y)) for y in ys]
    lines = LineCollection(segs, colors=color, linewidths=0.8, alpha=alpha, zorder=zorder)
    lines.set_gid("cell lines")
    ax.add_collection(lines)
    return lines


def cell_axes(ax, win: g.Span):
    """Limits and integer ticks for a window ``(r0, r1, c0, c1)`` of the map, row 0 on top."""
    r0, r1, c0, c1 = win
    ax.set_xlim(c0, c1)
    ax.set_ylim(r1, r0)
    ax.set_aspect("equal")
    step = max(1, int(np.ceil(max(r1 - r0, c1 - c0) / 10)))  # ticks cost time; ten per axis are plenty
    ax.set_xticks(np.arange(c0, c1 + 1, step))
    ax.set_yticks(np.arange(r0, r1 + 1, step))
    ax.tick_params(labelsize=SMALL)
    # Both names of each axis: a point is (x, y) and a cell (row, column), so x counts columns and y rows.
    ax.set_xlabel("x: column (cells)", fontsize=FONT)
    ax.set_ylabel("y: row (cells)", fontsize=FONT)


def runs(mask: np.ndarray, span: g.Span) -> list[g.Box]:
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


def zoomed(scene: Scene, grid_color: str, grid_alpha: float) -> tuple[Figure, object, g.Span]:
    """Figure and axes for the steps that zoom into the RoI, with the cell grid drawn."""
    win = window(scene)
    fig = new_figure(8.0, 8.4)
    ax = fig.add_axes((0.1, 0.2, 0.86, 0.72))
    r0, r1, c0, c1 = win
    grid(ax, c0, c1, r0, r1, color=grid_color, alpha=grid_alpha)
    return fig, ax, win


def channel_handle(scene: Scene):
    """The legend entry of the channel drawn in light greys under steps 3 and 4: a ramp of three greys."""
    ramp = colormaps["Greys"]
    # The channel is drawn at alpha 0.25 over white: these are the shades a student sees.
    shades = tuple(Patch(facecolor=ramp(v), alpha=0.25, edgecolor="#555555", linewidth=0.5) for v in (0.15, 0.55, 0.95))
    return shades, f"channel {scene.channel}: darker = larger"


def finish_zoomed(fig: Figure, ax, scene: Scene, win: g.Span, handles: list, heading: str, labels: list | None = None) -> Figure:
    """Outlines of the RoI and the region on top, then axes, legend and title.

    ``handles`` are artists with labels, or, with ``labels``, any handles (tuples too) and their labels.
    """
    roi_outline(ax, scene)
    region_outline(ax, scene)
    cell_axes(ax, win)
    labels = list(labels) if labels is not None else [h.get_label() for h in handles]
    handles = handles + [
        Rectangle((0, 0), 1, 1, fill=False, edgecolor=ROI, linewidth=3, linestyle=(0, (5, 3))),
        Rectangle((0, 0), 1, 1, fill=False, edgecolor=REGION, linewidth=3),
    ]
    labels += ["RoI as projected", "quantized region"]
    rows = -(-len(handles) // 2)
    if rows > 2:  # a third row of legend: lift the axes so that it clears the axis label
        x0, y0, w, h = ax.get_position().bounds
        lift = 0.04 * (rows - 2)
        ax.set_position((x0, y0 + lift, w, h - lift))
    fig.legend(handles=handles, labels=labels, loc="lower center", ncol=2, fontsize=FONT, frameon=False,
               handleheight=1.4, handlelength=2.2, handler_map=TUPLES)
    title(ax, heading)
    return fig


def channel_image(scene: Scene, mean: bool = False) -> np.ndarray:
    return scene.features.mean(axis=0) if mean else scene.features[scene.channel]


def roi_outline(ax, scene: Scene, label: str | None = "RoI (projected)"):
    patch = rect(ax, scene.pooled.projected, fill=False, edgecolor=ROI, linewidth=3.5, linestyle=(0, (5, 3)), label=label, zorder=6)
    patch.set_path_effects([patheffects.withStroke(linewidth=5.5, foreground="black")])
    return patch


def region_outline(ax, scene: Scene, label: str | None = "quantized region"):
    if scene.pooled.region_area == 0:
        return None
    return rect(ax, g.box_of_span(scene.pooled.region), fill=False, edgecolor=REGION, linewidth=3.5, label=label, zorder=7)


def title(ax, text: str):
    ax.set_title(text, fontsize=FONT, pad=10)


def untrained_badge(fig: Figure, scene: Scene, size: float = SMALL, corner: str = "top"):
    """The red "untrained" label in the figure's top-right corner, or its bottom-right (``corner="bottom"``) where
    a heading runs across the top."""
    if not scene.pretrained:
        top = corner == "top"
        fig.text(
            0.99, 0.995 if top else 0.005, "UNTRAINED VGG16: features are random", ha="right",
            va="top" if top else "bottom", fontsize=size, color="white", weight="bold",
            bbox=dict(boxstyle="round,pad=0.3", facecolor="#b00020", edgecolor="none"),
        )




def empty_handle() -> Patch:
    """The legend entry of an empty bin in an output grid (it is printed as its value, 0)."""
    return Patch(facecolor="#808080", edgecolor="white", hatch=HATCH_EMPTY, label="empty bin: outputs 0")


def output_grid(ax, out: np.ndarray, empty: np.ndarray | None = None, vmin=None, vmax=None, fontsize: int | None = None) -> bool:
    """A ``ph x pw`` output drawn as a grid with its values printed (when they fit in their cells).

    An empty bin is printed as what it outputs, 0, and hatched (:func:`empty_handle` is its legend
    entry). Returns whether any bin is empty.
    """
    ph, pw = out.shape
    ax.imshow(out, cmap="viridis", interpolation="nearest", extent=(0, pw, ph, 0), vmin=vmin, vmax=vmax)
    any_empty = empty is not None and bool(np.asarray(empty).any())
    if any_empty:
        for i, j in zip(*np.nonzero(empty)):
            rect(ax, (j, i, 1, 1), facecolor="none", edgecolor="white", hatch=HATCH_EMPTY, linewidth=0, alpha=0.7, zorder=2)
    size = fontsize or (FONT if ph * pw <= 16 else 12)
    labels = [[value(v) for v in row] for row in out]
    pos, (fw, fh) = ax.get_position(), ax.figure.get_size_inches()
    cell = min(pos.width * fw * 72 / pw, pos.height * fh * 72 / ph)  # points; the cells are square
    widest = max(label_width_pt(t, size) for row in labels for t in row)
    if ph * pw <= 64 and cell >= widest + GAP_PT:  # only numbers that fit in their cell, on the projector too
        for i in range(ph):
            for j in range(pw):
                ax.text(j + 0.5, i + 0.5, labels[i][j], ha="center", va="center", fontsize=size, color="black",
                        path_effects=HALO, zorder=4)
    grid(ax, 0, pw, 0, ph, color="white", alpha=0.8)
    ax.set_xticks(np.arange(pw) + 0.5, [str(j) for j in range(pw)])
    ax.set_yticks(np.arange(ph) + 0.5, [str(i) for i in range(ph)])
    ax.tick_params(labelsize=SMALL)
    return any_empty


def bin_lines(ax, row_edges, col_edges, color="black", width=2.5, effects=None, zorder=5):
    """The edges of fractional bins as one line collection."""
    y0, y1, x0, x1 = row_edges[0], row_edges[-1], col_edges[0], col_edges[-1]
    segs = [((x, y0), (x, y1)) for x in col_edges] + [((x0, y), (x1, y)) for y in row_edges]
    lines = LineCollection(segs, colors=color, linewidths=width, zorder=zorder)
    if effects:
        lines.set_path_effects(effects)
    ax.add_collection(lines)
    return lines


def fractional_bins(t) -> tuple[np.ndarray, np.ndarray]:
    """Fast R-CNN's rule: the bins' edges as the rule computes them, before widening to whole cells.

    Returns ``(row_edges, col_edges)``, ``ph + 1`` and ``pw + 1`` positions in cells (the snapped box's start plus
    multiples of the fractional bin size), clipped to the map: bin ``(i, j)`` is rows ``row_edges[i]`` to
    ``row_edges[i + 1]`` and columns ``col_edges[j]`` to ``col_edges[j + 1]``.
    """
    xs, ys, _, _ = t.quantized
    ph, pw = t.output_size
    bh, bw = t.bin_size
    H, W = t.map_size
    rows = np.clip(ys + np.arange(ph + 1) * bh, 0, H)
    cols = np.clip(xs + np.arange(pw + 1) * bw, 0, W)
    return rows, cols


def point_size(n_points: int) -> float:
    """Marker area for ``n_points`` sampling points: big when few, small when many."""
    return 110.0 if n_points <= 64 else 50.0 if n_points <= 256 else 14.0


def coverage_bar(fig: Figure, area: float, parts: list, heading: str):
    """Where the RoI's area went, as one stacked bar with a legend: ``parts`` are
    ``(area, colour, hatch, label)``; shares of 12 % or more are printed on the bar."""
    bx = fig.add_axes((0.06, 0.2, 0.88, 0.1))
    left, handles = 0.0, []
    for part, color, hatch, label in parts:
        share = part / area if area else 0.0
        edge = LOST_LINES if color == LOST else DROPPED_LINES
        bar = bx.barh(0, share, left=left, color=color, hatch=hatch, edgecolor=edge, linewidth=0)
        bar.patches[0].set_hatch_linewidth(1.2)  # thin lines: a hatched share keeps its own tone from afar
        if share >= 0.12:  # room for "60.9 %"
            bx.text(left + share / 2, 0, pct(share), ha="center", va="center", fontsize=FONT, weight="bold",
                    bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="none", alpha=0.9))
        handles.append(Patch(facecolor=color, hatch=hatch, edgecolor=edge, label=f"{label}: {cells(part)}"))
        left += share
    bx.set_xlim(0, 1)
    bx.set_ylim(-0.5, 0.5)
    bx.set_yticks([])
    bx.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0", "25 %", "50 %", "75 %", "100 %"])
    bx.tick_params(labelsize=SMALL)
    bx.set_title(heading, fontsize=FONT, pad=10)
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.05, 0.0), fontsize=FONT, frameon=False, ncol=1)
    return bx
