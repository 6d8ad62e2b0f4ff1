"""One step's figure as a PNG, and the drawing every export shares (a figure to pixels, progress)."""
from __future__ import annotations

import io
from typing import Callable

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from .. import walkthrough
from ..picture.files import SLIDE_DPI
from ..state.scene import Scene

Progress = Callable[[int, int], None] | None


def figure_png(scene: Scene, step: int, dpi: float = SLIDE_DPI) -> bytes:
    """Step ``step`` (0-based, in ``walkthrough.steps(scene.method, scene.settings.network)``) as a PNG for a slide.

    At ``dpi`` (default 150, :data:`~roi_viz.picture.files.SLIDE_DPI`) a figure ``w``
    inches wide is ``w * dpi`` pixels wide; the dpi is written into the file.
    """
    steps = walkthrough.steps(scene.method, scene.settings.network)
    if not 0 <= step < len(steps):
        raise ValueError(f"{scene.method_name} has steps 0 to {len(steps) - 1}; got {step}.")
    if not dpi > 0:
        raise ValueError(f"The dpi must be positive; got {dpi}.")
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
