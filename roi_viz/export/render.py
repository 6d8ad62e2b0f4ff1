"""One step's figure as a PNG, and the drawing every export shares (a figure to pixels, progress)."""
from __future__ import annotations

import functools
import io
from typing import Callable

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from .. import walkthrough
from ..language import _, using
from ..picture.files import SLIDE_DPI
from ..state.scene import Scene

Progress = Callable[[int, int], None] | None


def speaking(make: Callable) -> Callable:
    """``make`` with a keyword ``lang``: the file's words in that language (``None``: the language in force).

    The language in force is the thread's (:func:`roi_viz.language.current`): a page run's is the student's, but a
    download made later, outside the run (Streamlit calls a download button's callable from its server, where no
    student's language is known), must name it: ``lambda lang=current(): figure_png(scene, step, lang=lang)``.
    """
    @functools.wraps(make)
    def in_language(*args, lang: str | None = None, **kwargs):
        if lang is None:
            return make(*args, **kwargs)
        with using(lang):
            return make(*args, **kwargs)
    return in_language


@speaking
def figure_png(scene: Scene, step: int, dpi: float = SLIDE_DPI) -> bytes:
    """Step ``step`` (0-based, in ``walkthrough.steps(scene.method, scene.settings.network)``) as a PNG for a slide.

    At ``dpi`` (default 150, :data:`~roi_viz.picture.files.SLIDE_DPI`) a figure ``w``
    inches wide is ``w * dpi`` pixels wide; the dpi is written into the file.
    """
    steps = walkthrough.steps(scene.method, scene.settings.network)
    if not 0 <= step < len(steps):
        raise ValueError(_("{method} has steps 0 to {last}; got {step}.").format(
            method=scene.method_name, last=len(steps) - 1, step=step))
    if not dpi > 0:
        raise ValueError(_("The dpi must be positive; got {dpi}.").format(dpi=dpi))
    buf = io.BytesIO()
    _render(steps[step].figure(scene), dpi).save(buf, format="PNG", dpi=(dpi, dpi))
    return buf.getvalue()


def _render(fig: Figure, dpi: float) -> Image.Image:
    """The figure drawn by Agg at ``dpi``, as an RGB image."""
    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3].copy())


def _tick(progress: Progress, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)
