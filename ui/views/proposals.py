"""Every proposal: selective search's boxes and what each method keeps of them.

The view opens on the article's setting and Fast R-CNN's side by side, on the
same boxes; the rest follows the sidebar's setting, and its heading says
which one that is. Selective search runs once per photo, input size and mode
(seconds); the measures are vectorized (milliseconds); the figures are cached
per setting. A proposal picked from the list becomes an RoI of the walkthrough.
"""
from __future__ import annotations

import sys
import time

import numpy as np
import streamlit as st

from roi_viz.language import N_, _, current
from roi_viz.study import proposals
from roi_viz.lesson import proposals as proposal_words

from roi_viz.lesson.words import plain
from roi_viz.lesson.views import VIEWS

from .. import figure
from ..session import session
from ..widgets import bound, callback, refresh, say
from . import walkthrough
from .context import Context

KEY = "proposals"  # the link's view=, and the key of its label and heading in the library
LABEL, HEADING = VIEWS[KEY]
PRESENTS_ALONE = False  # presenter mode too shows the view picker, the teacher's tools and the heading

MODES = {"fast": N_("Fast (as Fast R-CNN)"), "quality": N_("Quality (more boxes, much slower)")}  # translated where shown
# The drawing's own width: about the lesson column of a 1366 x 768 laptop, so its text is shown near its size
# there; the SVG fills the column, growing with a wider one.
PAGE_WIDTH, PAGE_TEXT = 560.0, 13.0


@st.cache_data(max_entries=16, show_spinner=False)
def found(key: str, dims: tuple[int, int], mode: str, _image) -> tuple[np.ndarray, float]:
    """Selective search's boxes on this input (``key`` and ``dims`` name it) and the seconds it took."""
    start = time.perf_counter()
    boxes = proposals.selective_search(_image, mode=mode)
    seconds = time.perf_counter() - start
    print(f"[roi-viz] selective search: {key[:40]} {dims} {mode}: {len(boxes)} boxes in {seconds:.1f} s",
          file=sys.stderr, flush=True)
    return boxes, seconds


@st.cache_data(max_entries=8, show_spinner=False)
def photo_jpeg(key: str, _image) -> bytes:
    """The photo as the figure embeds it (once per photo: every drawing of its proposals reuses it)."""
    import io

    buf = io.BytesIO()
    _image.convert("RGB").save(buf, format="JPEG", quality=88)
    return buf.getvalue()


def ends_drawing(key: str, drawn: int, image, study: proposal_words.Study, width: float, text: float = 1.0):
    """The worst and the best proposals as a drawing (:mod:`roi_viz.figures.proposals`): SVG here, JPEG on request."""
    from roi_viz.figures.proposals import describe_ends

    worst, best = proposal_words.ends(study, drawn)
    return describe_ends(photo_jpeg(key, image), "JPEG", image.size, study.boxes, study.geo.coverage, worst, best,
                         title=proposal_words.photo_title(study, drawn, "ends"), alt=plain(proposal_words.photo_alt(study, drawn, "ends")),
                         width=width, text=text)


@st.cache_data(max_entries=64, show_spinner=False)
def many_drawing(key: str, setting: tuple, drawn: int, order: str, _image, _study: proposal_words.Study, width: float,
                 text: float = PAGE_TEXT, lang: str = "en"):
    """``drawn`` proposals in ``order`` on the photo, each in the colour of its share (``key`` and ``setting``
    name everything it is drawn from), its words in ``lang`` (the language in force when it is drawn: part of the
    cache's key, so one student's language never reaches another's page): SVG here, JPEG on request."""
    from roi_viz.figures.proposals import describe_on_photo

    return describe_on_photo(photo_jpeg(key, _image), "JPEG", _image.size, _study.boxes, _study.geo.coverage,
                             proposal_words.shown(_study, drawn, order), title=proposal_words.photo_title(_study, drawn, order),
                             alt=plain(proposal_words.photo_alt(_study, drawn, order)), width=width, text=text)


@st.cache_data(max_entries=64, show_spinner=False)
def distribution_drawing(key: str, setting: tuple, _study: proposal_words.Study, width: float, text: float = PAGE_TEXT,
                         lang: str = "en"):
    """The histograms of the share kept, per panel of methods (they do not change with the slider), in ``lang``."""
    from roi_viz.figures.proposals import describe_distribution

    alt = _("Histograms of the share of each proposal that reaches the output, per method. {words}").format(
        words=plain(proposal_words.distribution_words(_study)))
    return describe_distribution(_study.coverage, alt=alt, width=width, text=text)


@st.cache_data(max_entries=64, show_spinner=False)
def size_drawing(key: str, setting: tuple, _study: proposal_words.Study, width: float, text: float = PAGE_TEXT,
                 lang: str = "en"):
    """The share each proposal keeps against its shorter side, in the marker of the method measured, in ``lang``."""
    from roi_viz.figures.proposals import describe_by_size
    from roi_viz.methods import METHODS

    # The page measures whole-cell bins under its rule (the study's ``geo``): that method's marker.
    measured = next(m for m in METHODS.values() if m.snaps_to_cells and m.whole_cell_bins)
    alt = _("The share each proposal keeps against its shorter side in cells. {words}").format(
        words=plain(proposal_words.size_words(_study)))
    return describe_by_size(_study.short_side, _study.geo.coverage, _study.geo.all_empty, min(_study.geo.output_size),
                            layer=_study.layer, style=measured.style, alt=alt, width=width, text=text)


@st.cache_data(max_entries=64, show_spinner=False)
def pyramid_drawing(key: str, setting: tuple, _pl, width: float, text: float = PAGE_TEXT, lang: str = "en"):
    """The proposals' levels on a pyramid and RoI pooling's loss per level, beside VGG16's two cuts, in ``lang``."""
    from roi_viz.figures.proposals import describe_pyramid

    return describe_pyramid(_pl, alt=plain(proposal_words.pyramid_alt(_pl)), width=width, text=text)


@st.cache_data(max_entries=32, show_spinner=False)
def photo_picture(key: str, setting: tuple, drawn: int, order: str, _image, _study: proposal_words.Study, dpi: float,
                  lang: str = "en") -> bytes:
    """The proposals on the photo as a JPEG, painted by Matplotlib from the page's description, in ``lang``."""
    from roi_viz.picture.files import to_jpeg
    from roi_viz.picture import mpl

    if order == "ends":
        return to_jpeg(mpl.paint(ends_drawing(key, drawn, _image, _study, 720.0)), dpi)
    return to_jpeg(mpl.paint(many_drawing(key, setting, drawn, order, _image, _study, 720.0, PAGE_TEXT, lang)), dpi)


@st.cache_data(max_entries=32, show_spinner=False)
def chart_png(name: str, _drawing, dpi: float) -> bytes:
    """A chart's drawing painted by Matplotlib (``name`` names it and its size)."""
    from roi_viz.picture.files import to_png
    from roi_viz.picture import mpl

    return to_png(mpl.paint(_drawing), dpi)


def show(describe, key: str):
    """``describe(width, text)`` shown as inline SVG: on a projector as large as the screen allows, its text read
    from afar; otherwise the page's drawing, and a phone's for a narrow column. Returns the drawing shown."""
    if session().place.present:
        drawing, shown = figure.for_projector(lambda f: describe(PAGE_WIDTH, PAGE_TEXT * f))
        figure.show_drawing(drawing, key=key, max_width=shown)
        return drawing
    drawing = describe(PAGE_WIDTH, PAGE_TEXT)
    figure.show_drawing(drawing, key=key, narrow=describe(figure.NARROW_WIDTH, PAGE_TEXT))
    return drawing


@st.cache_data(max_entries=16, show_spinner=False)
def table(key: str, setting: tuple, _study: proposal_words.Study) -> str:
    return proposals.to_csv(_study.boxes, _study.geo)


@callback
def follow(box: tuple[float, float, float, float]) -> None:
    """The picked proposal becomes the active RoI, and the walkthrough opens on it."""
    s = session()
    msg = s.store.add(box, s.photo.dims)
    s.place.view, s.place.redraw = walkthrough.KEY, True
    s.place.go(0)
    refresh("view", "step")
    if msg:
        s.notice = msg


def render(context: Context) -> None:
    """Selective search's proposals on the photo and what pooling keeps of each."""
    scene, key, inp = context.scene, context.key, context.inp
    s = session()
    place = s.place
    settings = scene.settings
    dims = tuple(inp.size)
    before, picture, after = figure.areas()  # on a projector, the options and words beside the proposals
    lang = current()  # the caches below that return words are keyed by it
    with before:
        st.markdown(_(
            "A real Fast R-CNN never pools one box drawn by hand: for every image it pools the couple of thousand boxes "
            "that **selective search** proposes (regions of similar colour and texture, grouped bottom-up, at every "
            "scale). How many of them still say something after pooling depends on the setting."))
        lead = st.container()  # the two settings side by side come first; they need the boxes found below
        st.radio(_("Selective search"), list(MODES), index=list(MODES).index(place.proposals_mode),
                 format_func=lambda m: _(MODES[m]), horizontal=True,
                 **bound("proposals_mode", lambda v: setattr(place, "proposals_mode", v)))
        try:
            with st.spinner((_("Selective search on this photo, {w} × {h} (quality mode: several seconds, once per "
                               "photo, input size and mode)…") if place.proposals_mode == "quality" else
                             _("Selective search on this photo, {w} × {h} (fast mode: several seconds, once per "
                               "photo, input size and mode)…")).format(w=dims[0], h=dims[1])):
                boxes, seconds = found(key, dims, place.proposals_mode, inp)
        except ValueError as exc:  # a strip of an image: the library says what is wrong
            say(_("Selective search cannot run on this photo: {why}").format(why=exc), "error")
            return
        if len(boxes) == 0:
            say(_("Selective search found no region in this photo, so there is nothing to pool."), "info")
            return
        H, W = scene.features.shape[1:]
        study = proposal_words.study(boxes, map_size=(H, W), stride=settings.stride, output_size=settings.output_size,
                        scheme=settings.scheme, layer=settings.layer, sampling_ratio=settings.sampling_ratio)
        setting = (dims, place.proposals_mode, settings.layer, settings.output_size, settings.scheme,
                   settings.sampling_ratio)
        with lead:
            st.markdown(proposal_words.contrast_words(proposal_words.contrast(boxes, dims)))
            st.markdown("##### " + proposal_words.heading(proposal_words.setting_of(settings.layer, settings.output_size, settings.scheme)))
            st.markdown(proposal_words.why_words(study))
        st.markdown(proposal_words.count_words(study, seconds, place.proposals_mode, dims))

        drawn = min(place.proposals_drawn, study.count)
        cols = st.columns([3, 2])
        cols[0].slider(_("Proposals drawn"), 1, study.count, drawn, step=1,
                       help=_("With “the worst and the best”: half of them keep the least, half the most."),
                       **bound("proposals_drawn", lambda v: setattr(place, "proposals_drawn", int(v))))
        cols[1].radio(_("Order"), list(proposal_words.ORDERS),
                      index=list(proposal_words.ORDERS).index(place.proposals_order),
                      format_func=lambda o: _(proposal_words.ORDERS[o]), horizontal=True,
                      **bound("proposals_order", lambda v: setattr(place, "proposals_order", v)))
        order = place.proposals_order
        words = proposal_words.photo_words(study, drawn, order)
    with picture:
        if order == "ends" and place.present:  # the slide: as large as the screen allows, its text read from afar
            drawing, shown = figure.for_projector(lambda text: ends_drawing(key, drawn, inp, study, PAGE_WIDTH, text))
            figure.show_drawing(drawing, key="proposals-photo", max_width=shown)
        elif order == "ends":  # described once: inline SVG here (sharp, every box answers a hover), a file on request
            figure.show_drawing(ends_drawing(key, drawn, inp, study, PAGE_WIDTH), key="proposals-photo",
                                narrow=ends_drawing(key, drawn, inp, study, figure.NARROW_WIDTH))
        else:
            show(lambda w, t: many_drawing(key, setting, drawn, order, inp, study, w, t, lang), "proposals-photo")
    with after:
        st.markdown(words)

    ranked = [int(k) for k in proposal_words.by_loss(study)]
    pick_col, go_col = st.columns([3, 2], vertical_alignment="bottom")
    k = pick_col.selectbox(_("Pick a proposal (the most lost first)"), ranked, format_func=lambda k: proposal_words.pick_label(study, k),
                           key="proposal-pick")
    if k is not None:
        go_col.button(_("Follow it in the walkthrough"), on_click=follow, args=(tuple(float(v) for v in boxes[k]),),
                      key="proposal-follow", type="primary")

    st.markdown("##### " + _("What each method keeps of them"))
    dist = show(lambda w, t: distribution_drawing(key, setting, study, w, t, lang), "proposals-distribution")
    st.markdown(proposal_words.distribution_words(study))
    st.markdown("##### " + _("Coverage against size"))
    size = show(lambda w, t: size_drawing(key, setting, study, w, t, lang), "proposals-size")
    st.markdown(proposal_words.size_words(study))
    st.markdown("##### " + _("Empty bins"))
    st.markdown(proposal_words.empty_words(study))
    # The same boxes on a feature pyramid: each at its own level's stride, beside VGG16's two cuts (milliseconds).
    st.markdown("##### " + _(proposal_words.PYRAMID_HEADING))
    pl = proposal_words.pyramid(boxes, dims, proposal_words.setting_of(settings.layer, settings.output_size,
                                                                       settings.scheme))
    pyr = show(lambda w, t: pyramid_drawing(key, setting, pl, w, t, lang), "proposals-pyramid")
    st.markdown(proposal_words.pyramid_words(pl), help=proposal_words.pyramid_glossary())
    name = f"proposals-{settings.layer}-{settings.scheme}"
    dpi = figure.dpi()
    d = st.columns(4)
    d[0].download_button(_("The photo with its proposals (JPEG)"),
                         lambda: photo_picture(key, setting, drawn, order, inp, study, dpi, lang),
                         file_name=f"{name}-photo.jpg", mime="image/jpeg", key="proposals-dl-photo", on_click="ignore")
    # Painted on request from the drawing shown (the page's, or the projector's), named by what it is drawn from.
    d[1].download_button(_("The distribution (PNG)"),
                         lambda: chart_png(f"{key}|{setting}|dist|{dist.width:g}x{dist.height:.2f}|{lang}", dist, dpi),
                         file_name=f"{name}-coverage.png", mime="image/png", key="proposals-dl-dist",
                         on_click="ignore")
    d[2].download_button(_("Coverage against size (PNG)"),
                         lambda: chart_png(f"{key}|{setting}|size|{size.width:g}x{size.height:.2f}|{lang}", size, dpi),
                         file_name=f"{name}-size.png", mime="image/png", key="proposals-dl-size", on_click="ignore")
    d[3].download_button(_("On the pyramid (PNG)"),
                         lambda: chart_png(f"{key}|{setting}|pyramid|{pyr.width:g}x{pyr.height:.2f}|{lang}", pyr, dpi),
                         file_name=f"{name}-pyramid.png", mime="image/png", key="proposals-dl-pyramid",
                         on_click="ignore")
    st.download_button(_("The table of every proposal (CSV)"), table(key, setting, study),
                       file_name=f"proposals-{settings.layer}-{settings.scheme}.csv", mime="text/csv",
                       key="proposals-csv", help=_("One row per proposal: its box in pixels and its numbers in cells."))
