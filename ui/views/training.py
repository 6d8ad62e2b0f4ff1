"""What the gradient reaches: one output value followed backwards, onto the map and onto the box.

On the page the controls, the two figures and the words stack; on a projector (``figure.areas``) one
figure stands on the left, picked beside it, with the controls and the words on the right, so that the
words are on the first screen with the picture. The figures are described once
(:mod:`roi_viz.figures.training`) for the column they are shown in and painted as inline SVG (each cell and
marker answers a hover with its number); the downloads are PNGs painted from the same descriptions."""
from __future__ import annotations

import streamlit as st

from roi_viz.language import N_, _, current
from roi_viz.lesson.words import plain
from roi_viz.lesson.views import VIEWS

from .. import figure
from ..cache import scene_key
from ..session import session
from ..widgets import bound, refresh, say
from .compare import DOWNLOAD_DPI, PAGE_TEXT, PAGE_WIDTH, compare_png
from .context import Context

KEY = "train"  # the link's view=, and the key of its label and heading in the library
LABEL, HEADING = VIEWS[KEY]
PRESENTS_ALONE = False  # presenter mode too shows the view picker, the teacher's tools and the heading


@st.cache_data(max_entries=64, show_spinner=False)
def training_page(key: str, _scene, bin: tuple, channel: int, cells: float, lang: str):
    """``(backward pass, words, empty)``, or ``(None, sentence, False)`` when the library refuses; the words in
    ``lang``, the language in force (in the key, so one student's language never reaches another's page)."""
    from roi_viz.lesson.training import backward_pass, training_words
    from roi_viz.methods import METHODS

    try:
        bp = backward_pass(_scene, bin, channel, distance=cells)
    except ValueError as exc:
        return None, str(exc), False
    return bp, training_words(bp, METHODS[_scene.method].name), bp.empty


@st.cache_data(max_entries=128, show_spinner=False)
def training_drawing(key: str, _scene, _bp, which: str, width: float, text: float, alt: str, lang: str):
    """The gradient map (``which`` "map") or the box's derivative ("slide"), described ``width`` px wide
    (``key`` names the scene, the bin, the channel and the slide's length; ``lang`` the language of its text)."""
    from roi_viz.figures.training import describe_box_slide, describe_gradient_map
    from roi_viz.methods import METHODS

    describe = describe_gradient_map if which == "map" else describe_box_slide
    return describe(_scene, _bp, METHODS[_scene.method], width=width, text=text, alt=alt)


@st.cache_data(max_entries=64, show_spinner=False)
def refinement_page(key: str, _scene, bin: tuple, channel: int, lang: str) -> str:
    """Every method's gradient steps on the same value (RoIWarp's also by MNC's surrogate), as words and a table;
    a sentence if refused (in ``lang``, the language in force)."""
    from roi_viz.lesson.training import refine_box, refinement_words
    from roi_viz.methods import METHODS, NAMES

    try:
        runs = []
        for key, rec in METHODS.items():  # each method, and beside it its surrogate where its record has one
            runs.append(refine_box(_scene, key, bin, channel))
            if rec.surrogate:
                runs.append(refine_box(_scene, key, bin, channel, surrogate=True))
        return refinement_words(runs, {k: _(n) for k, n in NAMES.items()})
    except ValueError as exc:
        return _("The box cannot be moved by gradient steps here: {reason}").format(reason=exc)


def _channel(place, v) -> None:
    session().set(channel=int(v))
    refresh("chan", "chan_auto")  # the sidebar shows the channel too: it is drawn afresh ...
    place.redraw = True  # ... in a whole-page run


PICTURES = {"map": N_("Where the gradient lands"), "slide": N_("The box's derivative as it slides")}


def _picture(which: str) -> str:
    """A picture's name in the picker, in the language in force."""
    return _(PICTURES[which])


def render(context: Context) -> None:
    """One output value followed backwards onto the feature map."""
    scene, key = context.scene, context.key
    place = session().place
    ph, pw = scene.pooled.output_size
    i, j, _k = scene.focus
    C = scene.features.shape[0]
    before, picture, after = figure.areas()  # on a projector: one figure left, controls and words beside it
    with before:
        c = st.columns(3)
        c[0].number_input(_("Bin row"), 0, ph - 1, value=i, step=1,
                          **bound("focus_i", lambda v: setattr(place, "focus", (int(v), j, 0))))
        c[1].number_input(_("Bin column"), 0, pw - 1, value=j, step=1,
                          **bound("focus_j", lambda v: setattr(place, "focus", (i, int(v), 0))))
        # The key carries the channel shown: when the sidebar or the box changes it, this field is drawn afresh.
        c[2].number_input(_("Channel"), 0, C - 1, value=scene.channel, step=1,
                          **bound(f"chan_train{scene.channel}", lambda v: _channel(place, v)))
    cells = place.slide_cells
    lang = current()
    k = f"{scene_key(scene, key)}|{i},{j}|{scene.channel}|{cells:g}|{lang}"
    bp, text, empty = training_page(scene_key(scene, key), scene, (i, j), scene.channel, cells, lang)
    if bp is None:
        say(_("The backward pass cannot be shown for this choice: {reason}").format(reason=text), "warning", before)
        return
    if empty:
        say(_("Bin ({i}, {j}) reads no cell of the map with these settings, so it outputs 0 and no gradient flows "
              "back from it. Pick another bin, or make the box larger or the output smaller.").format(i=i, j=j),
            "info", before)
    shown = list(PICTURES)
    if place.present:  # two figures and the words do not fit one 1920 x 1080 screen: one figure at a time
        with before:
            pick = st.radio(_("Picture"), list(PICTURES), format_func=_picture, horizontal=True, key="train-picture")
        shown = [pick or "map"]
    alts = {
        "map": _("Where the gradient of bin ({i}, {j}), channel {channel}, lands on the feature map.").format(
            i=i, j=j, channel=scene.channel) + " " + plain(text),
        "slide": _("The output of bin ({i}, {j}) and its derivative by the box's x as the box slides.").format(
            i=i, j=j) + " " + plain(text),
    }

    def describe(which: str, width: float = PAGE_WIDTH, f: float = 1.0):
        return training_drawing(f"{k}|{which}", scene, bp, which, width, PAGE_TEXT * f, alts[which], lang)

    drawings = {}
    for which in shown:  # on the page one above the other, each as wide as the column
        if place.present:  # the slide: as large as the screen allows, its type read from the back of the room
            drawings[which], wide = figure.for_projector(lambda f: describe(which, f=f))
            figure.show_drawing(drawings[which], key=f"train-{which}-figure", where=picture, max_width=wide)
        else:  # and a phone's, for a narrow column
            drawings[which] = describe(which)
            figure.show_drawing(drawings[which], key=f"train-{which}-figure", where=picture,
                                narrow=describe(which, figure.NARROW_WIDTH))
    page = {which: drawings.get(which) or describe(which) for which in PICTURES}  # the downloads: both, always
    with after:
        st.markdown(text)
        st.markdown(refinement_page(scene_key(scene, key), scene, (i, j), scene.channel, lang))
        name = f"training-{scene.method}-bin{i}_{j}-channel{scene.channel}"
        d = st.columns(2)
        png = {which: (f"{k}|{which}|{dr.width:g}x{dr.height:.2f}", dr) for which, dr in page.items()}
        d[0].download_button(_("Download the gradient map (PNG)"), lambda: compare_png(*png["map"], DOWNLOAD_DPI),
                             file_name=f"{name}-map.png", mime="image/png", key="train-dl-map", on_click="ignore")
        d[1].download_button(_("Download the box's derivative (PNG)"), lambda: compare_png(*png["slide"], DOWNLOAD_DPI),
                             file_name=f"{name}-slide.png", mime="image/png", key="train-dl-slide", on_click="ignore")
