"""roi-viz: how RoI pooling turns any box into a fixed-size tensor, step by step.

Run with ``streamlit run serve.py`` (or ``app.py``: see serve.py). This file draws the frame and routes; the
rooms are in ``ui/`` (state, widgets, caches, sidebar, photo, teacher's tools,
one module per view) and all the work is in the ``roi_viz`` library.

What reruns when (Streamlit fragments), so that a click costs what it shows:
a sidebar change reruns the page; ``workspace`` (the photo, its boxes and the
lesson) reruns alone when a box changes; ``lesson`` (the views and their
controls) reruns alone for everything inside it; the walkthrough's steps
(``ui.views.walkthrough``) rerun alone for Previous, Next and a step: one
cached figure and its words, not the tools and the glossary around them.
"""
from __future__ import annotations

import streamlit as st

from roi_viz.language import N_, _
from roi_viz.state.scene import focus_notice
from roi_viz.methods import build_scene, method
from roi_viz.model import images, loading, samples
from roi_viz.model.layers import NETWORKS
from roi_viz.lesson.views import heading, label as view_label
from ui import address, cache, language, photo, sidebar, teacher, views
from ui.session import session, sync_link
from ui.style import page_style
from ui.views import glossary, quiz
from ui.views.context import Context
from ui.widgets import bound, guarded, refresh, say

TITLE = N_("roi-viz: from a box to a fixed-size tensor, step by step")  # the browser tab's, translated when shown


def intro(record, network: str) -> str:
    """The page's one-line promise, for the method chosen: told from its traits, never from its name.
    One whole sentence per kind of method, so a translation words each its own way. ``network``: the name of
    the network the page runs (VGG16, ResNet-50-FPN)."""
    if record.snaps_to_cells and record.samples_points:
        return _("Draw a box on the photo and follow it through a real {network}: onto the feature grid, snapped to "
                 "whole cells, then sampled at bilinear points in each bin, into a fixed-size tensor. Watch what is "
                 "lost, or kept, on the way.").format(network=network)
    if record.snaps_to_cells:
        return _("Draw a box on the photo and follow it through a real {network}: onto the feature grid, snapped to "
                 "whole cells, split into bins and max-pooled, into a fixed-size tensor. Watch what is lost, or "
                 "kept, on the way.").format(network=network)
    if record.integrates:
        return _("Draw a box on the photo and follow it through a real {network}: onto the feature grid, split into "
                 "bins at fractional edges and averaged exactly over each, into a fixed-size tensor. Watch what is "
                 "lost, or kept, on the way.").format(network=network)
    if record.samples_points:
        return _("Draw a box on the photo and follow it through a real {network}: onto the feature grid, split into "
                 "bins at fractional edges and sampled at bilinear points in each, into a fixed-size tensor. Watch "
                 "what is lost, or kept, on the way.").format(network=network)
    return _("Draw a box on the photo and follow it through a real {network}: onto the feature grid, split into bins, "
             "into a fixed-size tensor. Watch what is lost, or kept, on the way.").format(network=network)


@st.fragment
@guarded
def lesson(key: str, inp, fm, pretrained: bool, present: bool) -> None:
    """The view the student picked, on the RoI the store says is active. Reruns alone for its own widgets.

    ``present`` is presenter mode as the whole page was last drawn.
    """
    s = session()
    place = s.place
    scene = build_scene(inp, fm.values, s.store.boxes(s.photo.dims), s.store.active, s.settings,
                        pretrained=pretrained, focus=place.focus)
    if scene.focus != place.focus:  # a bin that no longer exists was moved inside the output
        if place.focus_from_link:
            say(focus_notice(place.focus, scene))
        place.focus = scene.focus
        refresh("focus_i", "focus_j", "focus_k")
    place.focus_from_link = False
    # Presenter mode, boxes changed here, or the quiz entered, left or renewed: the photo changes too.
    if place.present != present or place.redraw or quiz.board_behind(present):
        place.redraw = False
        st.rerun(scope="app")
    context = Context(scene, fm, key, inp, present, s)
    view = views.BY_KEY[place.view]
    if present and view.PRESENTS_ALONE:  # its own slide: no picker or heading above it
        view.render(context)
        sync_link()
        return
    st.radio("View", list(views.BY_KEY), index=list(views.BY_KEY).index(view.KEY),
             format_func={k: view_label(k) for k in views.BY_KEY}.get, horizontal=True, label_visibility="collapsed",
             **bound("view", lambda v: setattr(place, "view", v)))
    teacher.tools(context)
    st.markdown("#### " + heading(view.KEY, _(scene.method_name)))
    with st.container(key=f"view-{view.KEY}"):  # presenter mode fits its figures to the screen (ui.style)
        view.render(context)
    if present:
        sync_link()
        return
    glossary.render()
    sync_link()


@st.fragment
@guarded
def workspace(key: str, inp, mapping, png, source: tuple) -> None:
    """The photo with its boxes beside the lesson: reruns alone when a box changes."""
    s = session()
    # The photo beside the lesson: on a laptop's first screen a student sees the box and its first step.
    photo_col, lesson_col = st.columns([2, 3], gap="medium")
    with photo_col:
        with st.container(key="photo"):
            photo.draw_boxes(key, png, s.photo.dims)
        photo.box_editor(s.photo.dims, mapping)
    with lesson_col:
        fm = cache.features(key, inp, session().settings)
        if fm is not None:
            lesson(key, inp, fm, cache.pretrained(s.settings), s.place.present)
            cache.warm_up(key, inp, s.settings, *source)  # source: the photo's key and decoded image
    sync_link()


@guarded
def main() -> None:
    loading.start()  # VGG16 is built in the background while the photo goes up
    s = session()
    present = s.place.present
    # Presenter mode folds the sidebar away; its widgets are still drawn, so an upload survives the slides.
    st.set_page_config(page_title=_(TITLE), page_icon="🔲", layout="wide",
                       initial_sidebar_state="collapsed" if present else "auto")
    language.mark_page()  # <html lang> says the language shown
    language.switch()
    key, data, label = sidebar.image()
    s.photo.upload_shown, s.photo.title = key.startswith("upload:"), label
    settings = sidebar.settings()
    st.html(page_style(present))
    if not present:
        st.markdown("## " + _("{method}, step by step").format(method=_(method(settings.method).name)))
        st.caption(intro(method(settings.method), NETWORKS[settings.network].name))
    status = st.container()
    with status:
        too_long = address.dropped_link_sentence()
        if too_long and not s.link_too_long_said:
            s.link_too_long_said = True
            say(too_long)
    try:
        img = cache.decoded(key, data)
    except images.ImageError as exc:
        say(_("“{name}” could not be used: {why} The sample photo is shown instead.").format(name=label, why=exc),
            "error")  # a file's name: plain
        key, data = cache.sample_photo(samples.DEFAULT_SAMPLE)
        img = cache.decoded(key, data)
        s.photo.upload_shown, s.photo.title = False, samples.get_sample(samples.DEFAULT_SAMPLE).title
    if not present:
        for note in img.notes:
            say(note, "info")
    if s.notice:  # a preset's summary, a value a widget could not take, what a link got wrong: plain text
        say(s.notice, "warning" if s.notice.startswith("⚠") else "info")
        s.notice = ""
    inp, mapping, png = cache.model_input(key, settings.input_size, settings.shape, img)
    s.photo.dims = inp.size  # the boxes are read and written in pixels of this input
    photo_key, key = key, cache.input_key(key, settings.shape)
    if present:  # no photo to draw on: the lesson alone, on the whole screen
        fm = cache.features(key, inp, session().settings)
        if fm is not None:
            lesson(key, inp, fm, cache.pretrained(session().settings), True)
    else:
        # The network's notice sits above the photo. Said after the lesson, it came seconds after the board on a
        # session's first run and pushed the board down under a student's drag (a new box became a moved one), so it
        # goes first: building VGG16 or ResNet-50-FPN takes a fraction of a second once per server, and torch is
        # imported for the photo already.
        with status:
            sidebar.network_status(settings)
        workspace(key, inp, mapping, png, (photo_key, img))
    sync_link()


main()
