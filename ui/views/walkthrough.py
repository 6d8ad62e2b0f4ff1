"""The walkthrough: the chosen method's steps, one figure and its words at a time.

On a projector (presenter mode) the figure sits beside the controls and the
words on one screen; on the page, beside the photo, the words go under it.
"""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from roi_viz.language import _
from roi_viz.lesson.views import VIEWS

from .. import cache, figure, teacher
from ..session import session, sync_link
from ..style import PRESENT_WORDS_PX
from ..board.stepper import stepper
from ..widgets import bound, callback, guarded, refresh
from .context import Context

KEY = "walk"  # the link's view=, and the key of its label and heading in the library
LABEL, HEADING = VIEWS[KEY]
PRESENTS_ALONE = True  # presenter mode: the slide is this view alone, its controls beside the figure


@callback
def go_to_step(target: int, last: int) -> None:
    """The step picker: the step is set here, so Previous / Next adopt it (a new revision)."""
    session().place.go(min(max(int(target), 0), last))


def focus_pickers(scene, points: bool) -> None:
    """Pick the bin (and the sampling point) the close-up steps look at."""
    place = session().place
    ph, pw = scene.pooled.output_size
    i, j, k = scene.focus
    n = getattr(scene.chosen, "points_per_bin", 0)
    c = st.columns(3 if points else 2)
    c[0].number_input(_("Bin row"), 0, ph - 1, value=i, step=1, **bound("focus_i", lambda v: setattr(place, "focus", (int(v), j, k))))
    c[1].number_input(_("Bin column"), 0, pw - 1, value=j, step=1,
                      **bound("focus_j", lambda v: setattr(place, "focus", (i, int(v), k))))
    if points and n:
        c[2].number_input(_("Point (1–{n})").format(n=n), 1, n, value=k + 1, step=1,
                          **bound("focus_k", lambda v: setattr(place, "focus", (i, j, int(v) - 1))))


def step_controls(steps, last: int, present: bool) -> None:
    """Previous and Next (a component that sends the target step as a value, so no quick click or key is lost
    when Streamlit folds reruns), then the step picker. ← and → step; in presenter mode PageUp and PageDown
    too, which a presentation clicker sends (on the page those keys scroll, as a reader expects)."""
    place = session().place
    target = stepper(place.step + 1, last + 1, revision=place.stepper_rev, presenter=present, picker=False,
                     key="steps") - 1
    if target != place.step:  # Previous / Next moved: the picker, drawn anew, shows the new step
        place.step = target
        # A new key: a quick click's rerun may still carry the picker's old value, which under the same key would
        # read as the student choosing the old step again (five quick Nexts landed on step 4).
        refresh("step")
    titles = [f"{i + 1}. {s.title}" for i, s in enumerate(steps)]  # said now, in the run's language
    tied = bound("step", lambda v: go_to_step(v, last))
    # The picker shows the step the page is on, its value set before it is drawn. Moved by the picker itself (a
    # click, the arrow keys) it keeps its key, so the browser moves its mark in place and the keyboard's focus stays.
    st.session_state[tied["key"]] = place.step
    st.radio(_("Step"), range(len(steps)), format_func=titles.__getitem__, horizontal=True,
             label_visibility="collapsed", **tied)


PAGE_MAX_PX = 720  # a wide screen's column: the figure grows no wider, so the words under it stay in reach


def show_described(scene, step, name: str, alt: str, present: bool) -> None:
    """A step's described figure as SVG: the page's (and a phone's), or on a projector one whose smallest text
    reads from the back of the room. ``name`` names everything it is drawn from; ``alt`` its text alternative."""
    def drawing(width: float, text: float):  # its own words, if it has any, after the step's title
        return cache.step_drawing(name, scene, step, width, text, alt)

    if present:
        d, shown = figure.for_projector(lambda f: drawing(figure.PAGE_WIDTH, figure.PAGE_TEXT * f))
        figure.show_drawing(d, key="step-svg", max_width=shown)
    else:
        figure.show_drawing(drawing(figure.PAGE_WIDTH, figure.PAGE_TEXT), key="step-svg", max_width=PAGE_MAX_PX,
                            narrow=drawing(figure.NARROW_WIDTH, figure.PAGE_TEXT))


def render(context: Context) -> None:
    """The steps of the chosen method. On a projector: the figure beside the controls and the words, on one screen.

    The steps are a fragment of their own: Previous, Next, the step picker and the words' buttons rerun the step's
    controls, figure, numbers and words, not the view picker, the tools and the glossary around them (a click
    then sends the browser half the elements). Nothing outside it shows the step while it can move: the Link and
    Export popovers draw their contents only while open (ui.teacher.tools), and the address bar is kept here.
    """
    steps_fragment(context)


@st.fragment
@guarded
def steps_fragment(context: Context) -> None:
    """:func:`render`'s steps, rerun alone for the step's own controls. ``context`` is the lesson's as it last ran:
    what can change in here without the lesson running again is read afresh (presenter mode, the bin looked at)."""
    place = session().place
    if place.present != context.present:  # the slide's own Present toggle: the whole page changes
        st.rerun(scope="app")
    if place.focus != context.scene.focus:  # a bin picked under the words: the close-up follows it
        context = replace(context, scene=context.scene.refocused(place.focus))
        place.focus = context.scene.focus
    draw_steps(context)
    sync_link()


def draw_steps(context: Context) -> None:
    """The step's controls, figure, words and numbers, for the step ``session().place.step`` (clamped here)."""
    scene, fm, key, present = context.scene, context.fm, context.key, context.present
    from ..figure import PRESENT_HEIGHT_PX
    from roi_viz.lesson.alt import alt_text, key_numbers, output_rows
    from roi_viz import walkthrough

    place = session().place
    steps = walkthrough.steps(scene.method, scene.settings.network)
    last = len(steps) - 1
    place.step = min(place.step, last)
    # Beside the photo the lesson's column is narrow: the words go under the figure; a projector has room for both.
    # The controls run first, wherever they sit: a click or a key moves ``place.step`` inside them, and the
    # heading, the figure and the words below must all read the step they moved to. On a projector they sit
    # beside the figure, above the words; on the page everything goes down the column in the order it is drawn
    # (no container around the parts: each is one more element for the browser to update on every click).
    if present:
        left, right = st.columns([3, 2])
        with right:
            teacher.tools(context)
            step_controls(steps, last, present)
    else:
        step_controls(steps, last, present)
    step = steps[place.step]
    with (left if present else st).container(key="step-figure"):
        title = _("Step {n}: {title}").format(n=place.step + 1, title=step.title)
        alt = f"{title}. " if step.own_alt else alt_text(scene, title)
        show_described(scene, step, cache.figure_key(scene, step, key, False), alt, present)
    if present:
        with right:
            words = st.container(height=PRESENT_HEIGHT_PX - 120, border=False)
    else:
        words = st  # straight into the column, under the figure
    words.markdown("### " + _("Step {n}: {title}").format(n=place.step + 1, title=step.title))
    if step.picks and not present:
        focus_pickers(scene, points=step.picks == "point")
    if present:  # read from the back of the room: the words as large as the figure's
        words.markdown(f'<div style="font-size: {PRESENT_WORDS_PX}px; line-height: 1.45">\n\n{step.words(scene)}\n\n</div>',
                       unsafe_allow_html=True)
    else:
        words.markdown(step.words(scene))
    if step.key == "features" and not present:
        words.caption(_("Forward pass: {ms} ms on {device} (computed once per image and size).").format(
            ms=f"{fm.seconds * 1000:.0f}", device=fm.device))
    if not present:  # under the words too: a student who has read them steps on without scrolling back up
        back, on = words.columns(2)
        if place.step > 0:  # no button that cannot be pressed: step 1 has nowhere to go back to
            back.button(_("◀ Back to step {n}").format(n=place.step), width="stretch", key="words-back",
                        on_click=go_to_step, args=(place.step - 1, last))
        if place.step < last:
            on.button(_("On to step {n} ▶").format(n=place.step + 2), width="stretch", key="words-on",
                      on_click=go_to_step, args=(place.step + 1, last))
        figure.numbers(key_numbers(scene), output_rows(scene))
