"""The animated GIFs: the walkthrough, one frame per step, and the sliding box."""
from __future__ import annotations

import functools
import io
from typing import Callable

import numpy as np
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from PIL import Image, ImageDraw, ImageFont

from .. import methods, walkthrough
from ..draw.kit import ARGMAX, FONT, REGION, ROI, SMALL, cell_axes, grid, new_figure, rect, untrained_badge, window
from ..lesson.numbers import num, pct
from ..lesson.scene import Scene
from ..ops import geometry as g
from ..ops.sliding import AXES, slide_roi
from . import render
from .render import Progress, _tick

MAX_GIF_BYTES = 5 * 2**20  # every GIF stays under this (tests/test_export.py)
MAX_SLIDE_FRAMES = 120
MAX_SLIDE_CELLS = 16.0
SLIDE_GIF_DPI = 64
SLIDE_FRAME_MS = 250  # 16 frames: four seconds of sliding ...
SLIDE_HOLD_MS = 2000  # ... then the last frame stays a while before the loop starts again


def walkthrough_gif(scene: Scene, *, dpi: float = 60, seconds_per_frame: float = 2.0,
                    progress: Progress = None) -> bytes:
    """The walkthrough as an animated GIF: one frame per step, looping forever.

    Each frame is the step's figure at ``dpi`` under a white band that says
    "Step k/n: title"; figures of different sizes are centred on one white
    canvas. Every frame has its own 256-colour palette (the photograph needs
    its own). Under 5 MB and 5 s for every method at the default 60 dpi.
    """
    if not dpi > 0 or not seconds_per_frame > 0:
        raise ValueError("The dpi and the seconds per frame must be positive.")
    steps = walkthrough.steps(scene.method)
    font = _font(max(int(round(20 * dpi / 72)), 10))
    band = int(font.size * 2)
    pictures = []
    for k, step in enumerate(steps, 1):
        pictures.append(render._render(step.figure(scene), dpi))
        _tick(progress, k, len(steps))
    width = max(p.width for p in pictures)
    height = max(p.height for p in pictures) + band
    frames = []
    for k, (step, pic) in enumerate(zip(steps, pictures), 1):
        frame = Image.new("RGB", (width, height), "white")
        frame.paste(pic, ((width - pic.width) // 2, band))
        ImageDraw.Draw(frame).text((band // 3, band // 2), f"Step {k}/{len(steps)}: {step.title}", fill="black",
                                   font=font, anchor="lm")
        frames.append(frame.quantize(256))
    return _gif(frames, [int(seconds_per_frame * 1000)] * len(frames))


@functools.lru_cache(maxsize=8)
def _font(px: int) -> ImageFont.FreeTypeFont:
    """Matplotlib's own DejaVu Sans Bold, so the band reads like the figures."""
    return ImageFont.truetype(findfont(FontProperties(family="DejaVu Sans", weight="bold")), px)


def _gif(frames: list[Image.Image], durations: list[int]) -> bytes:
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0)
    return buf.getvalue()


def slide_gif(scene: Scene, *, axis: str = "x", cells: float = 1.0, frames: int = 16,
              progress: Progress = None) -> bytes:
    """The sliding box as an animated GIF: ``frames`` positions from 0 to ``cells`` cells along ``axis``.

    Left, the chosen channel around the RoI: the box as projected (orange,
    dashed; where it started, dotted), the region RoI pooling snaps it to
    (black), its followed bin (red hatching) and that bin's maximum cell (red).
    Right, the followed value of every method (bin ``scene.focus[:2]``,
    channel ``scene.channel``) from the start to the current offset, with the
    current values and coverages printed. The numbers are those of
    :func:`~roi_viz.ops.sliding.slide_roi`, as in the page's slide view.

    The static parts are drawn once and the moving ones updated, at 64 dpi and
    one shared palette: under 5 MB and 5 s with the defaults (16 frames, each
    a quarter of a second; the last one stays two seconds).
    """
    if axis not in AXES:
        raise ValueError(f"The box slides along 'x' or 'y'; got {axis!r}.")
    if not 2 <= frames <= MAX_SLIDE_FRAMES:
        raise ValueError(f"A slide has 2 to {MAX_SLIDE_FRAMES} frames; got {frames}.")
    if not 0 < abs(cells) <= MAX_SLIDE_CELLS:
        raise ValueError(f"The box slides by up to {MAX_SLIDE_CELLS:g} cells, and not by 0; got {cells}.")
    s = scene.settings
    i, j = scene.focus[:2]
    slide = slide_roi(scene.features, scene.rois[scene.active], methods.runners(s), stride=s.stride,
                      output_size=s.output_size, channel=scene.channel, bin=(i, j), axis=axis, distance=cells,
                      steps=frames)
    one = scene.features[scene.channel : scene.channel + 1]
    start = g.check_roi(scene.rois[scene.active])
    fig, update = _slide_figure(scene, slide)
    images = []
    for k, off in enumerate(slide.offsets):
        dx, dy = (off * slide.stride, 0.0) if axis == "x" else (0.0, off * slide.stride)
        moved = (start[0] + dx, start[1] + dy, start[2], start[3])
        update(k, methods.METHODS[methods.POOL].run(one, moved, s))  # the same box slide_roi ran, for the cells it snaps to
        images.append(render._render(fig, SLIDE_GIF_DPI))
        _tick(progress, k + 1, frames)
    palette = images[-1].quantize(256)  # the last frame holds every curve: one palette, no flicker
    quantized = [im.quantize(palette=palette, dither=Image.Dither.NONE) for im in images]
    return _gif(quantized, [SLIDE_FRAME_MS] * (frames - 1) + [SLIDE_HOLD_MS])


def _slide_figure(scene: Scene, slide) -> tuple[Figure, Callable]:
    """The slide's figure with its static parts drawn, and ``update(k, pool_trace)`` for frame ``k``."""
    recs = methods.METHODS
    t = scene.pooled
    H, W = t.map_size
    fig = new_figure(12.0, 6.0)
    # Left: the map around every position of the box.
    r0, r1, c0, c1 = window(scene)
    reach = int(np.ceil(abs(slide.offsets[-1]))) + 1
    if slide.axis == "x":
        c0, c1 = (c0, min(c1 + reach, W)) if slide.offsets[-1] > 0 else (max(c0 - reach, 0), c1)
    else:
        r0, r1 = (r0, min(r1 + reach, H)) if slide.offsets[-1] > 0 else (max(r0 - reach, 0), r1)
    win = (r0, r1, c0, c1)
    left = fig.add_axes((0.06, 0.22, 0.38, 0.66))
    left.imshow(scene.features[scene.channel], extent=(0, W, H, 0), cmap="Greys", alpha=0.55,
                interpolation="nearest")
    grid(left, c0, c1, r0, r1, color="#666666", alpha=0.5)
    cell_axes(left, win)
    left.tick_params(labelsize=SMALL - 2)
    left.set_xlabel("column (cells)", fontsize=SMALL - 1)
    left.set_ylabel("row (cells)", fontsize=SMALL - 1)
    rect(left, t.projected, fill=False, edgecolor=ROI, linewidth=1.8, linestyle=(0, (1, 2)), zorder=5)
    region = rect(left, (0, 0, 0, 0), fill=False, edgecolor=REGION, linewidth=3, zorder=7)
    focus_bin = rect(left, (0, 0, 0, 0), facecolor="none", edgecolor=ARGMAX, hatch="//", linewidth=1.5, zorder=6)
    best = rect(left, (0, 0, 1, 1), fill=False, edgecolor=ARGMAX, linewidth=3, zorder=8)
    box = rect(left, t.projected, fill=False, edgecolor=ROI, linewidth=3.2, linestyle=(0, (5, 3)), zorder=9)
    box.set_path_effects([patheffects.withStroke(linewidth=4.5, foreground="black")])
    i, j = slide.bin
    fig.legend(handles=[
        Line2D([], [], color=ROI, linewidth=3, linestyle=(0, (5, 3)), label="RoI as projected (dotted: start)"),
        Line2D([], [], color=REGION, linewidth=3, label="cells RoI pooling snaps to"),
        Rectangle((0, 0), 1, 1, facecolor="none", edgecolor=ARGMAX, hatch="//",
                  label=f"RoI pooling's bin ({i},{j}) and its max cell"),
    ], loc="lower left", bbox_to_anchor=(0.03, 0.0), ncol=1, fontsize=SMALL - 2, frameon=False, handlelength=2.0)
    # Right: the followed value of every method, and its number now.
    right = fig.add_axes((0.55, 0.44, 0.42, 0.42))
    values = np.concatenate([v for v in slide.values.values()])
    lo, hi = float(values.min()), float(values.max())
    pad = 0.08 * (hi - lo) if hi > lo else 1.0
    right.set_xlim(min(0.0, slide.offsets[-1]), max(0.0, slide.offsets[-1]))
    right.set_ylim(lo - pad, hi + pad)
    right.grid(True, color="#bbbbbb", linewidth=0.8)
    right.tick_params(labelsize=SMALL - 2)
    word = "right" if slide.axis == "x" else "down"
    right.set_xlabel(f"moved {word} by (cells; 1 cell = {slide.stride:g} px)", fontsize=SMALL - 1)
    right.set_ylabel("output value", fontsize=SMALL - 1)
    now = right.axvline(0, color="#555555", linestyle=(0, (2, 2)), linewidth=1.4)
    curves, dots, labels = {}, {}, {}
    for n, m in enumerate(slide.values):
        color, style, marker = recs[m].style
        curves[m] = right.plot([], [], color=color, linestyle=style, linewidth=2.6, label=recs[m].short,
                               drawstyle="steps-post" if recs[m].snaps_to_cells else "default")[0]
        dots[m] = right.plot([], [], color=color, marker=marker, markersize=9, markeredgecolor="black",
                             linestyle="none")[0]
        labels[m] = fig.text(0.55, 0.25 - 0.19 * n / max(len(slide.values) - 1, 1), "", color=color,
                             fontsize=SMALL - 1, weight="bold",
                             family="monospace", va="center")
    right.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=4, fontsize=SMALL - 2, frameon=False,
                 handlelength=2.4)
    heading = fig.text(0.01, 0.975, "", fontsize=FONT, ha="left", va="top")
    untrained_badge(fig, scene)

    def update(k: int, pool) -> None:
        off = slide.offsets[k]
        heading.set_text(f"Channel {slide.channel}, bin ({i},{j}): the RoI moved {word} by {num(off, 3)} "
                         f"cell{'' if off == 1 else 's'} ({num(off * slide.stride, 2)} px)")
        dx, dy = (off, 0.0) if slide.axis == "x" else (0.0, off)
        box.set_xy((t.projected[0] + dx, t.projected[1] + dy))
        empty = pool.region_area == 0
        region.set_visible(not empty)
        if not empty:
            region.set_bounds(*g.box_of_span(pool.region))
        span = pool.bins[i][j]
        full = span[1] > span[0] and span[3] > span[2]
        focus_bin.set_visible(full)
        if full:
            focus_bin.set_bounds(*g.box_of_span(span))
        cell = pool.argmax_cell(0, i, j)
        best.set_visible(cell is not None)
        if cell is not None:
            best.set_xy((cell[1], cell[0]))
        now.set_xdata([off, off])
        for m in slide.values:
            curves[m].set_data(slide.offsets[: k + 1], slide.values[m][: k + 1])
            dots[m].set_data([off], [slide.values[m][k]])
            value, share = slide.values[m][k], pct(slide.coverage[m][k])
            labels[m].set_text(f"{recs[m].short:<11} {value:>9.4g}   coverage {share:>7}")

    return fig, update
