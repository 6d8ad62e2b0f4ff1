"""What one cell really sees, drawn on the photo.

- :func:`fig_cell_field`: one cell's ``stride x stride`` patch (what the grid
  suggests) against its theoretical field (what it depends on), which often
  reaches past the image into the zero padding;
- :func:`fig_roi_field`: an RoI, the cells its pooled output reads, and the
  union of their fields: how far outside the RoI the output really looks;
- :func:`fig_effective`: the effective field (the input gradient of the cell)
  as a heat map, with the field and the patch on top.

Plain data in: the model-input photo, a field (anything with ``size``,
``stride``, ``offset``, ``layer``, ``span(r, c)``, ``patch(r, c)`` and
``block_span(cells)``, as :class:`roi_viz.receptive.Field` has) and numbers.
Axes are input pixels, ``y`` down; the view is widened past the image when a
field is, and the area outside the image is hatched grey: the network sees
zeros there.
"""
from __future__ import annotations

import numpy as np
from matplotlib import colors, patheffects
from matplotlib.figure import Figure
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..ops import geometry as g
from ..lesson.numbers import exact, pct
from .kit import FONT, ROI, SMALL, new_figure, rect, title

PATCH = "#ffd400"  # the cell's patch: yellow, solid, thick
FIELD = "#00c8ff"  # the theoretical field: cyan, dashed
UNION = "#b0f"  # the union of the fields: purple, dash-dot
READ = "#111111"  # the cells pooling reads: black, solid
PADDING = "#9a9a9a"  # outside the image: grey, hatched
FIELD_STYLE = (0, (6, 3))
UNION_STYLE = (0, (8, 3, 2, 3))
AXES = (0.12, 0.25, 0.84, 0.68)  # the legend goes under the axes, in the bottom quarter
HALO = [patheffects.withStroke(linewidth=6.5, foreground="black")]


# ------------------------------------------------------------------------ helpers
def _photo_axes(fig: Figure, image, spans, rect_=AXES, grey: bool = False, view=None):
    """Axes showing the photo, widened to include every span (or limited to ``view``), padding hatched."""
    W, H = image.size
    if view is None:
        view = (min([0] + [s[0] for s in spans]), min([0] + [s[1] for s in spans]),
                max([W] + [s[2] for s in spans]), max([H] + [s[3] for s in spans]))
    x0, y0, x1, y1 = view
    margin = 0.02 * max(x1 - x0, y1 - y0)
    ax = fig.add_axes(rect_)
    ax.set_facecolor("white")
    if x0 < 0 or y0 < 0 or x1 > W or y1 > H:
        rect(ax, (x0 - margin, y0 - margin, x1 - x0 + 2 * margin, y1 - y0 + 2 * margin),
             facecolor="#e6e6e6", edgecolor=PADDING, hatch="//", linewidth=0, zorder=0)
    if grey:  # faded, so that a heat map drawn on top carries the colour
        photo = 255 - 0.45 * (255 - np.asarray(image.convert("L"), dtype=np.float64))
        ax.imshow(photo, extent=(0, W, H, 0), cmap="gray", vmin=0, vmax=255, interpolation="nearest", zorder=1)
    else:
        ax.imshow(np.asarray(image), extent=(0, W, H, 0), interpolation="nearest", zorder=1)
    rect(ax, (0, 0, W, H), fill=False, edgecolor="black", linewidth=1.2, zorder=2)
    ax.set_xlim(x0 - margin, x1 + margin)
    ax.set_ylim(y1 + margin, y0 - margin)
    ax.set_aspect("equal")
    ax.tick_params(labelsize=SMALL)
    ax.set_xlabel("x (pixels of the model input)", fontsize=SMALL)
    ax.set_ylabel("y (pixels)", fontsize=SMALL)
    return ax


def _grid(ax, image, stride: int):
    """Thin lines every ``stride`` pixels: the squares the feature grid suggests."""
    W, H = image.size
    xs, ys = np.arange(0, W + 1, stride), np.arange(0, H + 1, stride)
    segs = [((x, 0), (x, H)) for x in xs] + [((0, y), (W, y)) for y in ys]
    ax.add_collection(LineCollection(segs, colors="white", linewidths=0.8, alpha=0.4, zorder=2))


def _box(span) -> g.Box:
    x0, y0, x1, y1 = span
    return float(x0), float(y0), float(x1 - x0), float(y1 - y0)


def _outline(ax, span, color, style="-", width=3.5, zorder=6):
    patch = rect(ax, _box(span), fill=False, edgecolor=color, linewidth=width, linestyle=style, zorder=zorder)
    patch.set_path_effects(HALO)
    return patch


def _line(color, style, label, width=3.5):
    return Line2D([], [], color=color, linestyle=style, linewidth=width, label=label,
                  path_effects=[patheffects.withStroke(linewidth=width + 2.5, foreground="black")])


def _padding_handle(label="outside the image: zeros"):
    return Patch(facecolor="#e6e6e6", edgecolor=PADDING, hatch="//", label=label)


def _legend(ax, handles, ncol=1):
    """Under the axes, left-aligned with them (they shrink to keep pixels square)."""
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(-0.02, -0.1), ncol=ncol, fontsize=SMALL,
              frameon=False, handlelength=2.6, handleheight=1.2, borderaxespad=0)


def _outside_words(span, W: int, H: int) -> str:
    """``"90 px left, 90 px top"``: how far a field reaches past the image, or ``""``."""
    left, top, right, bottom = (max(-span[0], 0), max(-span[1], 0), max(span[2] - W, 0), max(span[3] - H, 0))
    parts = [f"{v} px {side}" for v, side in ((left, "left"), (top, "top"), (right, "right"), (bottom, "bottom")) if v]
    return ", ".join(parts)


# ------------------------------------------------------------------------ figures
def fig_cell_field(image, field, cell: tuple[int, int]) -> Figure:
    """One cell: the patch it stands for on the grid, and the field it really depends on."""
    W, H = image.size
    r, c = cell
    patch, span = field.patch(r, c), field.span(r, c)
    fig = new_figure(8.0, 9.0)
    ax = _photo_axes(fig, image, [span], rect_=AXES)
    _grid(ax, image, field.stride)
    _outline(ax, span, FIELD, FIELD_STYLE)
    _outline(ax, patch, PATCH, "-", width=4)
    s = field.stride
    out = _outside_words(span, W, H)
    handles = [
        _line(PATCH, "-", f"the cell's patch on the grid: {s}×{s} px (the stride)", 4),
        _line(FIELD, FIELD_STYLE, f"what the cell depends on: its {field.size}×{field.size} px field"),
    ]
    if out:
        handles.append(_padding_handle(f"outside the image ({out}): the network sees zeros"))
    _legend(ax, handles)
    title(ax, f"{field.layer}, cell (row {r}, col {c}): {s} px patch, {field.size} px field")
    return fig


def fig_roi_field(image, field, roi: g.Box, cells: g.Span | None, number: int | None = None) -> Figure:
    """An RoI, the cells its pooled output reads (``cells``: rows, cols half-open) and their fields' union."""
    W, H = image.size
    s = field.stride
    union = field.block_span(cells) if cells is not None else None
    fig = new_figure(8.0, 9.0)
    ax = _photo_axes(fig, image, [union] if union else [], rect_=AXES)
    x, y, w, h = roi
    name = f"RoI {number}" if number is not None else "The RoI"
    handles = []
    if union is not None:
        r0, r1, c0, c1 = cells
        read = (s * c0, s * r0, s * c1, s * r1)
        rect(ax, _box(union), facecolor=UNION, alpha=0.12, edgecolor="none", zorder=3)
        _outline(ax, union, UNION, UNION_STYLE)
        rect(ax, _box(read), fill=False, edgecolor=READ, linewidth=3, zorder=7).set_path_effects(
            [patheffects.withStroke(linewidth=5.5, foreground="white")])
        handles += [
            Line2D([], [], color=READ, linewidth=3, label=f"the {r1 - r0} rows × {c1 - c0} columns of cells its pooled output reads"),
            _line(UNION, UNION_STYLE, f"what they see: {union[2] - union[0]}×{union[3] - union[1]} px,"),
            Patch(facecolor="none", edgecolor="none", label=_reach_words(roi, union)),
        ]
        heading = f"{name}: what its pooled output really sees"
    else:
        heading = f"{name}: its pooled output reads no cell at all"
    rpatch = rect(ax, roi, fill=False, edgecolor=ROI, linewidth=3.5, linestyle=(0, (5, 3)), zorder=8)
    rpatch.set_path_effects(HALO)
    handles.insert(0, _line(ROI, (0, (5, 3)), f"{name} ({_px(x)}, {_px(y)}), {_px(w)}×{_px(h)} px"))
    if union is not None and _outside_words(union, W, H):
        handles.append(_padding_handle())
    _legend(ax, handles)
    ax.set_title(heading, fontsize=FONT if len(heading) < 62 else SMALL, pad=10)
    return fig


def fig_effective(image, erf: np.ndarray, field, cell: tuple[int, int], in_patch: float | None = None) -> Figure:
    """The effective field as a heat map over the (grey) photo; ``in_patch``: its share in the patch."""
    W, H = image.size
    r, c = cell
    patch, span = field.patch(r, c), field.span(r, c)
    erf = np.asarray(erf, dtype=np.float64)
    if in_patch is None:
        total = erf.sum()
        x0, y0, x1, y1 = max(patch[0], 0), max(patch[1], 0), min(patch[2], W), min(patch[3], H)
        in_patch = float(erf[y0:y1, x0:x1].sum() / total) if total > 0 else 0.0
    fig = new_figure(8.0, 8.4)
    # Zoomed on the field: the gradient is zero everywhere else.
    view = (span[0] - field.stride, span[1] - field.stride, span[2] + field.stride, span[3] + field.stride)
    ax = _photo_axes(fig, image, [span], rect_=(0.11, 0.19, 0.74, 0.74), grey=True, view=view)
    peak = float(erf.max())
    # A square-root scale: the gradient is peaked, and on a linear scale only its centre would show.
    norm = colors.PowerNorm(0.5, vmin=0.0, vmax=peak if peak > 0 else 1.0)
    alpha = np.clip(1.6 * norm(erf), 0, 1)  # zero gradient: the photo shows through
    im = ax.imshow(erf, extent=(0, W, H, 0), cmap="inferno", norm=norm, alpha=alpha, interpolation="nearest", zorder=2)
    ax.apply_aspect()  # the axes shrink to keep pixels square: the colour bar matches their height
    pos = ax.get_position()
    cax = fig.add_axes((pos.x1 + 0.03, pos.y0, 0.03, pos.height))
    bar = fig.colorbar(im, cax=cax)
    bar.solids.set_alpha(1)
    bar.set_ticks([0, peak / 4, peak] if peak > 0 else [0])
    bar.set_ticklabels(["0", "¼ max", "max"] if peak > 0 else ["0"])
    bar.ax.tick_params(labelsize=SMALL)
    bar.set_label("|gradient| (square-root scale)", fontsize=SMALL)
    _outline(ax, span, FIELD, FIELD_STYLE)
    _outline(ax, patch, PATCH, "-", width=3.5)
    handles = [
        _line(PATCH, "-", f"its {field.stride}×{field.stride} px patch: {pct(in_patch)} of the gradient"),
        _line(FIELD, FIELD_STYLE, f"its {field.size}×{field.size} px field: all of it (zero outside)"),
    ]
    _legend(ax, handles)
    title(ax, f"What {field.layer} cell ({r}, {c}) really uses")
    return fig


def _reach_words(roi: g.Box, union) -> str:
    """``"98 px past it left, 90 up, ..."``; a side where the union stops inside the RoI says so."""
    x, y, w, h = roi
    sides = (("left", x - union[0]), ("up", y - union[1]), ("right", union[2] - (x + w)), ("down", union[3] - (y + h)))
    past = [f"{_px(v)} px {side}" for side, v in sides if v > 0]
    short = [f"{_px(-v)} px {side}" for side, v in sides if v < 0]
    words = "reaching past the RoI by " + (", ".join(past) if past else "nothing")
    if short:
        words += ";\nshort of it by " + ", ".join(short)
    return words


def _px(v: float) -> str:
    return exact(v)  # the RoI's own numbers are printed in full, as everywhere
