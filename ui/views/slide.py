"""Slide the box by fractions of a cell: RoI pooling jumps while the others glide."""
from __future__ import annotations

import streamlit as st

from roi_viz.lesson.choices import AXIS_WORDS as AXES

from .. import figure
from ..cache import scene_key
from ..session import session
from ..widgets import bound



@st.cache_data(max_entries=128, show_spinner=False)
def slide_page(key: str, _scene, bin: tuple, axis: str, cells: float, dpi: float) -> tuple[bytes, str]:
    """The slide's figure and words at ``dpi`` (:func:`ui.figure.dpi`)."""
    from roi_viz import methods
    from roi_viz.draw.compare import fig_slide
    from roi_viz.draw.kit import to_png
    from roi_viz.lesson.words import slide_text
    from roi_viz.ops.sliding import slide_roi

    s = _scene.settings
    slide = slide_roi(_scene.features, _scene.rois[_scene.active], methods.runners(s), stride=s.stride,
                      output_size=s.output_size, channel=_scene.channel, bin=bin, axis=axis, distance=cells)
    return to_png(fig_slide(_scene, slide, methods.METHODS), dpi), slide_text(slide, methods.NAMES)


def render(scene, key: str) -> None:
    from roi_viz.lesson.choices import AXES as LINK_AXES, SLIDE_CELLS

    place = session().place
    ph, pw = scene.trace.output_size
    i, j, _ = scene.focus
    c = st.columns(4)
    c[0].radio("Move the RoI", list(LINK_AXES), index=list(LINK_AXES).index(place.slide_axis), horizontal=True,
               format_func=AXES.get, **bound("slide_axis", lambda v: setattr(place, "slide_axis", v)))
    c[1].select_slider("by up to (cells)", options=list(SLIDE_CELLS), value=place.slide_cells,
                       **bound("slide_cells", lambda v: setattr(place, "slide_cells", float(v))))
    c[2].number_input("Bin row", 0, ph - 1, value=i, step=1, **bound("focus_i", lambda v: setattr(place, "focus", (int(v), j, 0))))
    c[3].number_input("Bin column", 0, pw - 1, value=j, step=1,
                      **bound("focus_j", lambda v: setattr(place, "focus", (i, int(v), 0))))
    png, text = slide_page(scene_key(scene, key), scene, (i, j), place.slide_axis, place.slide_cells, figure.dpi())
    figure.show(png, "PNG", f"Output value of bin ({i}, {j}), channel {scene.channel}, for each method while the RoI "
                f"moves {AXES[place.slide_axis]} by up to {place.slide_cells:g} cell(s). The text below gives the "
                "values and jumps.")
    st.markdown(text)
