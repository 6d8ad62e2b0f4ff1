"""The files' Matplotlib figures, for the tests that measure them: the comparison and the sliding box painted
from their descriptions at the files' size (as the GIF paints them), and the projector's rules for a file's type.

The page shows these drawings as SVG; the files (PNG, GIF frames) paint the same descriptions with
:func:`roi_viz.picture.mpl.paint`, so a test of a file's text reads these figures.
"""
from __future__ import annotations

import io

from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from roi_viz.export.animations import FILE_TEXT, FILE_WIDTH
from roi_viz.figures.compare import describe_compare, describe_slide
from roi_viz.picture import mpl
from roi_viz.picture.files import SLIDE_DPI
from ui.figure import PRESENT_HEIGHT_PX, PRESENT_WIDTH_PX

PAGE_WIDTH_PX = 720  # the page's style sheet shows a picture at most this wide, shrinking a wider one
PRESENT_TEXT = 1.2  # every text of a file's figure this much larger on a projector


def fig_compare(scene, traces: dict, methods: dict) -> Figure:
    """What each method reads, and its output (:func:`~roi_viz.figures.compare.describe_compare`), as a file paints it."""
    return mpl.paint(describe_compare(scene, traces, methods, width=FILE_WIDTH, text=FILE_TEXT))


def fig_slide(scene, slide, methods: dict, at: int | None = None) -> Figure:
    """The sliding box marked at position ``at`` (:func:`~roi_viz.figures.compare.describe_slide`), as a file paints it."""
    return mpl.paint(describe_slide(scene, slide, methods, at, width=FILE_WIDTH, text=FILE_TEXT))


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


def projector_image(fig: Figure, dpi: float = SLIDE_DPI) -> tuple[bytes, tuple[int, int]]:
    """The figure as PNG with its canvas fitted to everything drawn (larger text can pass the figure's edge), and
    its size in pixels."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", pad_inches=0.06)
    img = Image.open(io.BytesIO(buf.getvalue()))
    return buf.getvalue(), img.size


def present_width(width_px: int, height_px: int) -> int:
    """How wide a picture of ``width_px x height_px`` is shown in presenter mode: its column, or less if it is tall."""
    return int(min(PRESENT_WIDTH_PX, PRESENT_HEIGHT_PX * width_px / height_px))


def smallest_text_px(fig: Figure, shown_width_px: float) -> float:
    """The height in screen pixels of the smallest text of ``fig`` shown ``shown_width_px`` wide (after drawing)."""
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return min(sizes) / 72 * shown_width_px / fig.get_size_inches()[0]
