"""Slide the box by fractions of a cell: RoI pooling jumps while the others glide.

The plot is described once (:func:`roi_viz.figures.compare.describe_slide`) for the column it is
shown in: inline SVG on the page and on the projector (each marker answers a hover with its
method, position and value), a PNG from the same description for the download.
"""
from __future__ import annotations

import streamlit as st

from roi_viz.language import N_, _, current
from roi_viz.lesson.views import VIEWS

from .. import figure
from ..cache import scene_key
from ..session import session
from ..widgets import bound
from .compare import DOWNLOAD_DPI, PAGE_TEXT, PAGE_WIDTH, compare_png
from .context import Context

KEY = "slide"  # the link's view=, and the key of its label and heading in the library
LABEL, HEADING = VIEWS[KEY]
PRESENTS_ALONE = False  # presenter mode too shows the view picker, the teacher's tools and the heading

# The directions as the radio names them (roi_viz.state.options.AXIS_WORDS's words), translated where shown.
AXES = {"x": N_("right (x)"), "y": N_("down (y)")}
# The figure's text alternative, one whole sentence per direction.
ALTS = {"x": N_("Output value of bin ({i}, {j}), channel {channel}, for each method while the RoI moves right (x) by "
                "up to {cells} cell(s). The text below gives the values and jumps."),
        "y": N_("Output value of bin ({i}, {j}), channel {channel}, for each method while the RoI moves down (y) by "
                "up to {cells} cell(s). The text below gives the values and jumps.")}


@st.cache_data(max_entries=128, show_spinner=False)
def slide_page(key: str, _scene, bin: tuple, axis: str, cells: float, width: float, text: float, lang: str):
    """The slide's drawing ``width`` px wide and its words, in ``lang`` (part of the cache's key: one student's
    language never reaches another's page)."""
    from roi_viz import methods
    from roi_viz.figures.compare import describe_slide
    from roi_viz.lesson.words import slide_text
    from roi_viz.ops.sliding import slide_roi

    s = _scene.settings
    slide = slide_roi(_scene.features, _scene.rois[_scene.active], methods.runners(s), stride=s.stride,
                      output_size=s.output_size, channel=_scene.channel, bin=bin, axis=axis, distance=cells)
    i, j = bin
    alt = _(ALTS[axis]).format(i=i, j=j, channel=_scene.channel, cells=f"{cells:g}")
    return (describe_slide(_scene, slide, methods.METHODS, width=width, text=text, alt=alt),
            slide_text(slide, {k: _(n) for k, n in methods.NAMES.items()}))


def render(context: Context) -> None:
    """The followed bin's value for each method while the box slides by fractions of a cell."""
    scene, key = context.scene, context.key
    from roi_viz.state.options import AXES as LINK_AXES, SLIDE_CELLS

    place = session().place
    ph, pw = scene.pooled.output_size
    i, j, _channel = scene.focus
    c = st.columns(4)
    c[0].radio(_("Move the RoI"), list(LINK_AXES), index=list(LINK_AXES).index(place.slide_axis), horizontal=True,
               format_func=lambda a: _(AXES[a]), **bound("slide_axis", lambda v: setattr(place, "slide_axis", v)))
    c[1].select_slider(_("by up to (cells)"), options=list(SLIDE_CELLS), value=place.slide_cells,
                       **bound("slide_cells", lambda v: setattr(place, "slide_cells", float(v))))
    c[2].number_input(_("Bin row"), 0, ph - 1, value=i, step=1, **bound("focus_i", lambda v: setattr(place, "focus", (int(v), j, 0))))
    c[3].number_input(_("Bin column"), 0, pw - 1, value=j, step=1,
                      **bound("focus_j", lambda v: setattr(place, "focus", (i, int(v), 0))))
    lang = current()
    k = f"{scene_key(scene, key)}|slide|{i},{j}|{place.slide_axis}|{place.slide_cells:g}|{lang}"

    def describe(f: float = 1.0, width: float = PAGE_WIDTH):
        return slide_page(scene_key(scene, key), scene, (i, j), place.slide_axis, place.slide_cells, width,
                          PAGE_TEXT * f, lang)

    drawing, words = describe()
    if place.present:  # the slide: as large as the screen allows, its type read from the back of the room
        # A tenth larger to start with: the plot grows taller with its type, and shrinks on the screen with it.
        drawing, shown = figure.for_projector(lambda f: describe(1.1 * f)[0])
        figure.show_drawing(drawing, key="slide-figure", max_width=shown)
    else:  # and a phone's, for a narrow column
        figure.show_drawing(drawing, key="slide-figure", narrow=describe(width=figure.NARROW_WIDTH)[0])
    st.markdown(words)
    name = f"{k}|{drawing.width:g}x{drawing.height:.2f}"  # the page's drawing or the projector's
    st.download_button(_("The sliding box (PNG)"), lambda: compare_png(name, drawing, DOWNLOAD_DPI),
                       file_name="slide.png", mime="image/png", key="slide-png", on_click="ignore")
