"""The two figures that put the methods side by side, as Matplotlib figures for files.

Both are described once in :mod:`roi_viz.figures.compare` (what each method reads and
its output; the sliding box) and painted here by :func:`roi_viz.picture.mpl.paint`: the
PNG downloads, the sliding-box GIF and every other file show the drawing the page shows
as SVG. ``methods``: the records of :mod:`roi_viz.methods`, keyed like the traces.
"""
from __future__ import annotations

from matplotlib.figure import Figure

from ..figures.compare import describe_compare, describe_slide
from ..lesson.scene import Scene
from ..ops.sliding import Slide
from ..picture import mpl

FILE_WIDTH = 720.0  # px of a drawing painted into a file: the page's 560-px column is not the limit there
FILE_TEXT = 14.0


def fig_compare(scene: Scene, traces: dict, methods: dict, *, width: float = FILE_WIDTH,
                text: float = FILE_TEXT) -> Figure:
    """Top: what each method reads. Bottom: its output for ``scene.channel``, one colour scale
    (:func:`~roi_viz.figures.compare.describe_compare`, painted)."""
    return mpl.paint(describe_compare(scene, traces, methods, width=width, text=text))


def fig_slide(scene: Scene, slide: Slide, methods: dict, at: int | None = None, *, width: float = FILE_WIDTH,
              text: float = FILE_TEXT) -> Figure:
    """Output value (top) and coverage (bottom) against how far the box has moved, marked at position ``at``
    if given (:func:`~roi_viz.figures.compare.describe_slide`, painted)."""
    return mpl.paint(describe_slide(scene, slide, methods, at, width=width, text=text))
