"""The animated GIFs: the walkthrough, one frame per step, and the sliding box, one frame per position
(the page's slide figure, marked where the box is)."""
from __future__ import annotations

import functools
import io

from matplotlib.font_manager import FontProperties, findfont
from PIL import Image, ImageDraw, ImageFont

from .. import methods, walkthrough
from ..figures.compare import describe_slide
from ..language import _
from ..picture import fonts, mpl
from ..state.scene import Scene
from ..state.options import AXES, MAX_SLIDE_CELLS
from ..ops.sliding import slide_roi
from . import render
from .render import Progress, _tick, speaking

MAX_GIF_BYTES = 5 * 2**20  # every GIF stays under this (tests/lib/test_export.py)
MAX_SLIDE_FRAMES = 120
SLIDE_GIF_DPI = 100  # the drawing's own pixels: a slide plot FILE_WIDTH px wide
# A drawing painted into a file: the page's 560-px column is not the limit there.
FILE_WIDTH, FILE_TEXT = 720.0, 14.0
SLIDE_FRAME_MS = 250  # 16 frames: four seconds of sliding ...
SLIDE_HOLD_MS = 2000  # ... then the last frame stays a while before the loop starts again


@speaking
def walkthrough_gif(scene: Scene, *, dpi: float = 60, seconds_per_frame: float = 2.0,
                    progress: Progress = None) -> bytes:
    """The walkthrough as an animated GIF: one frame per step, looping forever.

    Each frame is the step's figure at ``dpi`` under a white band that says
    "Step k/n: title"; figures of different sizes are centred on one white
    canvas. Every frame has its own 256-colour palette (the photograph needs
    its own). Under 5 MB and 5 s for every method at the default 60 dpi.
    """
    if not dpi > 0 or not seconds_per_frame > 0:
        raise ValueError(_("The dpi and the seconds per frame must be positive."))
    steps = walkthrough.steps(scene.method, scene.settings.network)
    px = max(int(round(20 * dpi / 72)), 10)
    band = px * 2
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
        band_text(ImageDraw.Draw(frame), (band // 3, band // 2),
                  _("Step {k}/{n}: {title}").format(k=k, n=len(steps), title=step.title), px)
        frames.append(frame.quantize(256))
    return _gif(frames, [int(seconds_per_frame * 1000)] * len(frames))


def band_text(draw: ImageDraw.ImageDraw, at: tuple[int, int], text: str, px: int) -> None:
    """``text`` drawn in black at ``px`` px, starting at ``at`` (x, the middle of its line): Latin letters and digits
    in DejaVu Sans Bold, each character it lacks (Chinese) in the project's CJK font, as the figures' fallback does.

    Pillow draws one font per call: the text is drawn run by run (:func:`roi_viz.picture.fonts.runs`), each on the
    same baseline, the next starting where the last one's advance ends.
    """
    x, middle = at
    baseline = middle + round((fonts.ASCENT - fonts.DESCENT) / 2 * px)  # DejaVu's em box centred on the middle
    for latin, run in fonts.runs(text):
        font = _font(px) if latin else _cjk_font(px)
        draw.text((x, baseline), run, fill="black", font=font, anchor="ls")
        x += font.getlength(run)


@functools.lru_cache(maxsize=8)
def _font(px: int) -> ImageFont.FreeTypeFont:
    """Matplotlib's own DejaVu Sans Bold, so the band reads like the figures."""
    return ImageFont.truetype(findfont(FontProperties(family="DejaVu Sans", weight="bold")), px)


@functools.lru_cache(maxsize=8)
def _cjk_font(px: int) -> ImageFont.FreeTypeFont:
    """The figures' Chinese font (one weight: the band's Chinese is regular beside bold Latin)."""
    return ImageFont.truetype(str(fonts.CJK_FILE), px)


def _gif(frames: list[Image.Image], durations: list[int]) -> bytes:
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0)
    return buf.getvalue()


@speaking
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
        raise ValueError(_("The box slides along 'x' or 'y'; got {axis}.").format(axis=repr(axis)))
    if not 2 <= frames <= MAX_SLIDE_FRAMES:
        raise ValueError(_("A slide has 2 to {most} frames; got {frames}.").format(most=MAX_SLIDE_FRAMES, frames=frames))
    if not 0 < abs(cells) <= MAX_SLIDE_CELLS:
        raise ValueError(_("The box slides by up to {most} cells, and not by 0; got {cells}.").format(
            most=f"{MAX_SLIDE_CELLS:g}", cells=cells))
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
