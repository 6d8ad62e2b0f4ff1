"""The animated GIFs: the walkthrough, one frame per step, and the sliding box, one frame per position
(the page's slide figure, marked where the box is)."""
from __future__ import annotations

import functools
import io

from matplotlib.font_manager import FontProperties, findfont
from PIL import Image, ImageDraw, ImageFont

from .. import methods, walkthrough
from ..figures.compare import describe_slide
from ..picture import mpl
from ..state.scene import Scene
from ..state.options import AXES, MAX_SLIDE_CELLS
from ..ops.sliding import slide_roi
from . import render
from .render import Progress, _tick

MAX_GIF_BYTES = 5 * 2**20  # every GIF stays under this (tests/lib/test_export.py)
MAX_SLIDE_FRAMES = 120
SLIDE_GIF_DPI = 100  # the drawing's own pixels: a slide plot FILE_WIDTH px wide
# A drawing painted into a file: the page's 560-px column is not the limit there.
FILE_WIDTH, FILE_TEXT = 720.0, 14.0
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
    steps = walkthrough.steps(scene.method, scene.settings.network)
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

    Each frame is the page's slide figure, described once
    (:func:`~roi_viz.figures.compare.describe_slide`: the followed value of every
    method, bin ``scene.focus[:2]``, channel ``scene.channel``, and its coverage)
    marked at one position, with the values and coverages there printed, and
    painted by Matplotlib (:func:`~roi_viz.picture.mpl.paint`) :data:`FILE_WIDTH` px wide. The numbers
    are those of :func:`~roi_viz.ops.sliding.slide_roi`, as in the page's slide view.

    720 px wide, one shared palette: under 5 MB and 5 s with the defaults (16
    frames, each a quarter of a second; the last one stays two seconds).
    """
    if axis not in AXES:
        raise ValueError(f"The box slides along 'x' or 'y'; got {axis!r}.")
    if not 2 <= frames <= MAX_SLIDE_FRAMES:
        raise ValueError(f"A slide has 2 to {MAX_SLIDE_FRAMES} frames; got {frames}.")
    if not 0 < abs(cells) <= MAX_SLIDE_CELLS:
        raise ValueError(f"The box slides by up to {MAX_SLIDE_CELLS:g} cells, and not by 0; got {cells}.")
    s = scene.settings
    slide = slide_roi(scene.features, scene.rois[scene.active], methods.runners(s), stride=s.stride,
                      output_size=s.output_size, channel=scene.channel, bin=scene.focus[:2], axis=axis,
                      distance=cells, steps=frames)
    images = []
    for k in range(len(slide.offsets)):
        images.append(render._render(mpl.paint(describe_slide(scene, slide, methods.METHODS, k, width=FILE_WIDTH, text=FILE_TEXT)),
                                     SLIDE_GIF_DPI))
        _tick(progress, k + 1, frames)
    palette = images[-1].quantize(256)  # every frame has the same curves and colours: one palette, no flicker
    quantized = [im.quantize(palette=palette, dither=Image.Dither.NONE) for im in images]
    return _gif(quantized, [SLIDE_FRAME_MS] * (frames - 1) + [SLIDE_HOLD_MS])
