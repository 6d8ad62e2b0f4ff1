"""Compare the methods: all four on the followed RoI, side by side, with a table of their numbers.

The figure is described once (:func:`roi_viz.figures.compare.describe_compare`) for the column
it is shown in: inline SVG on the page and on the projector (every output cell answers a hover
with its row, column and value), a PNG from the same description for the download.
"""
from __future__ import annotations

import streamlit as st

from roi_viz.language import _, current
from roi_viz.lesson.views import VIEWS

from .. import figure
from ..cache import scene_key
from .context import Context

KEY = "compare"  # the link's view=, and the key of its label and heading in the library
LABEL, HEADING = VIEWS[KEY]
PRESENTS_ALONE = False  # presenter mode too shows the view picker, the teacher's tools and the heading

# The drawing's own width: about the lesson column of a 1366 x 768 laptop (528 px), so its text is shown near its
# size there; the SVG fills the column, growing with a wider one (on a projector, its type made larger where the
# screen's height would shrink it below 18 px: ui.figure.for_projector).
PAGE_WIDTH, PAGE_TEXT = 560.0, 13.0
DOWNLOAD_DPI = 200  # a 560-px drawing becomes a 1,120-px file


@st.cache_data(max_entries=128, show_spinner=False)
def compare_page(key: str, _scene, width: float, text: float, lang: str, slide: bool = False):
    """The comparison's drawing ``width`` px wide and its table, in ``lang`` (part of the cache's key: one
    student's language never reaches another's page); ``slide``: laid out for presenter mode (one row)."""
    from roi_viz import methods
    from roi_viz.figures.compare import describe_compare, describe_compare_slide
    from roi_viz.lesson.words import compare_table

    traces = methods.run_all(_scene.features, _scene.rois[_scene.active], _scene.settings)
    table = compare_table(_scene, traces, {k: _(n) for k, n in methods.NAMES.items()}, methods.labels(traces))
    describe = describe_compare_slide if slide else describe_compare
    return describe(_scene, traces, methods.METHODS, width=width, text=text, alt=alt_of(_scene)), table


@st.cache_data(max_entries=32, show_spinner=False)
def compare_png(key: str, _drawing, dpi: float) -> bytes:
    """The drawing painted by Matplotlib (``key`` names it)."""
    from roi_viz.picture.files import to_png
    from roi_viz.picture import mpl

    return to_png(mpl.paint(_drawing), dpi)


def alt_of(scene) -> str:
    return _("The methods side by side on RoI ({roi}): what each reads from the map, and its output for the "
             "channel shown. The table below gives every number of the figure.").format(
        roi=", ".join(f"{v:g}" for v in scene.rois[scene.active]))


def render(context: Context) -> None:
    """The four methods on the followed RoI, side by side, with their numbers' table."""
    scene, key = context.scene, context.key
    from ..session import session

    k = scene_key(scene, key)
    lang = current()
    drawing, table = compare_page(k, scene, PAGE_WIDTH, PAGE_TEXT, lang)
    if session().place.present:  # the slide: as large as the screen allows, its type read from the back of the room
        drawing, shown = figure.for_projector(
            lambda f: compare_page(k, scene, PAGE_WIDTH, PAGE_TEXT * f, lang, slide=True)[0])
        figure.show_drawing(drawing, key="compare-figure", max_width=shown)
    else:  # and a phone's, for a narrow column
        figure.show_drawing(drawing, key="compare-figure",
                            narrow=compare_page(k, scene, figure.NARROW_WIDTH, PAGE_TEXT, lang)[0])
    name = f"{k}|{drawing.width:g}x{drawing.height:.2f}|{lang}"  # the page's drawing or the projector's
    st.markdown(table)
    st.caption(_("The sidebar's settings apply: rounding rule (RoI pooling, RoIWarp), sampling ratio and mode "
                 "(RoIAlign, RoIWarp), aligned (RoIAlign, PrRoI), output size, channel."))
    st.download_button(_("The comparison (PNG)"), lambda: compare_png(name, drawing, DOWNLOAD_DPI),
                       file_name="compare.png", mime="image/png", key="compare-png", on_click="ignore")
