"""The quiz: predict, then check. A random RoI on this photo, one question at a time, graded at once.

While the quiz is open, the photo's board beside it shows the question's RoI alone, read-only and
without its live geometry (which would give the answers away): :func:`show_on_board`, called where
the board is drawn, and :func:`board_behind`, which the lesson asks before drawing (entering or
leaving the quiz, or a new question, happens in the lesson's own rerun and must redraw the photo).
The student's own boxes are not touched: they come back as they were when the quiz is left.
"""
from __future__ import annotations

import hashlib

import streamlit as st

from roi_viz import language
from roi_viz.language import N_, _
from roi_viz.state.options import QUIZ_LEVELS
from roi_viz.lesson.numbers import exact
from roi_viz.state.settings import Settings
from roi_viz.methods import POOL
from roi_viz.lesson.views import VIEWS

from .. import figure
from ..board import METHODS as BOARD_METHODS
from ..board import board
from ..session import session
from ..style import photo_fits
from ..widgets import bound, callback, say
from .context import Context

KEY = "quiz"  # the link's view=, and the key of its label and heading in the library
LABEL, HEADING = VIEWS[KEY]
PRESENTS_ALONE = False  # presenter mode too shows the view picker, the teacher's tools and the heading

LEVEL_WORDS = {key: label for key, (label, _title) in QUIZ_LEVELS.items()}  # in English: shown with _()
BOARD_NOTE = N_("The quiz's RoI, fixed and without its numbers: answer first. "
                "Your own boxes come back, as you left them, when you leave the quiz.")
# st.session_state: the question the photo's board shows ("": the student's boxes), and the one a
# rerun of the page was last asked for (so that a board that could not be drawn never loops).
BOARD_SHOWS, BOARD_ASKED = "quiz:board-shows", "quiz:board-asked"
# st.session_state: what was typed at the last check, and the wrong tries before it, so that its verdict is said again
# in the language shown now (a student who switches language reads the feedback in the new one, not the old).
GRADED = "quiz:graded"
# The picture's own width: about the lesson column of a 1366 x 768 laptop (528 px), as the comparison's.
PAGE_WIDTH, PAGE_TEXT = 560.0, 13.0


@st.cache_data(max_entries=8, show_spinner=False)
def quiz_photo(key: str, _image, side: int) -> bytes:
    """The model input the quiz asks about, ``side x side`` (another size is stretched, as the network's input is),
    encoded as JPEG once per photo and size (``key``: the photo's)."""
    import io

    image = _image if _image.size == (side, side) else _image.resize((side, side))
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="JPEG", quality=88)
    return buf.getvalue()


@st.cache_data(max_entries=64, show_spinner=False)
def quiz_drawing(key: str, asked: str, _question, _photo: bytes, width: float, text: float, lang: str):
    """The question's picture ``width`` px wide with texts ``text`` px (``asked``: the question's fingerprint), its
    words in ``lang`` (in the key: one student's language never reaches another's page)."""
    from roi_viz.figures.quiz import alt_of, describe_question

    with language.using(lang):
        return describe_question(_question, _photo, "JPEG", width=width, text=text, alt=alt_of(_question))


def the_question(seed: int, level: str, settings: Settings):
    from roi_viz import quiz

    return quiz.make_question(seed, level, settings)


def new_question(level: str | None = None) -> None:
    import random

    from roi_viz.link import MAX_SEED

    q = session().quiz
    q.level = level or q.level
    q.seed = random.randint(0, MAX_SEED)
    q.pos, q.tries, q.grade = 0, 0, None


def question_now():
    """The question the quiz shows now; a seed is drawn the first time the quiz is opened."""
    s = session()
    if s.quiz.seed is None:
        new_question()
    return the_question(s.quiz.seed, s.quiz.level, s.settings)


def seed_words(seed: int) -> str:
    """The question's label: its seed is a name, not a count (the link's ``seed=`` brings it back)."""
    return _("Question seed {seed} (the same seed gives the same question)").format(seed=seed)


@st.cache_data(max_entries=8, show_spinner=False)
def square_photo(key: str, _photo: bytes, side: int) -> bytes:
    """The photo as the quiz sees it: the ``side x side`` model input (``key``: the photo's)."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(_photo)) as im:
        if im.size == (side, side):
            return _photo
        buf = io.BytesIO()
        im.convert("RGB").resize((side, side), Image.BILINEAR).save(buf, format="PNG")
    return buf.getvalue()


def show_on_board(board_key: str, photo: bytes, size: tuple[int, int]) -> bool:
    """In the quiz, draw the photo's board with the question's RoI alone, read-only; elsewhere draw nothing.

    Args:
        board_key: the key of the student's board (the quiz's board has its own, per question, so
            the student's board keeps its boxes in the browser untouched).
        photo: the model input as PNG bytes, ``size = (W, H)`` pixels; the quiz's input is the
            ``S x S`` square (``S = q.input_size``), the question's RoI whole pixels of it.

    Returns:
        True when the quiz's board was drawn (the student's must not be).
    """
    s = session()
    st.session_state.pop(BOARD_ASKED, None)
    if s.place.view != KEY or s.place.present:
        st.session_state[BOARD_SHOWS] = ""
        return False
    q = question_now()
    asked, side = fingerprint(q), q.input_size
    st.html(photo_fits((side, side)))
    board(square_photo(f"{board_key}:{size[0]}x{size[1]}", photo, side), boxes=[q.roi], active=0, revision=0,
          stride=q.stride, map_size=q.map_size, output_size=q.output_size,
          method=q.method if q.method in BOARD_METHODS else POOL, scheme=q.settings.scheme,
          read_only=_(BOARD_NOTE), key=f"quiz-board:{asked}")
    st.session_state[BOARD_SHOWS] = asked
    return True


def board_behind(present: bool) -> bool:
    """Whether the photo's board shows what it should not (the student's boxes in the quiz, the quiz's box
    outside it, an older question): the page must be drawn again. Asked once per change: if that rerun
    could not draw the board, it is not asked again. ``present``: presenter mode, which has no board."""
    if present:
        return False
    wanted = fingerprint(question_now()) if session().place.view == KEY else ""
    if st.session_state.get(BOARD_SHOWS, "") == wanted or st.session_state.get(BOARD_ASKED) == wanted:
        return False
    st.session_state[BOARD_ASKED] = wanted
    return True


def fingerprint(q) -> str:
    """One question, whatever made it: the seed and level, and the settings and RoI they gave."""
    return hashlib.sha1(repr((q.seed, q.level, q.settings, q.roi)).encode()).hexdigest()[:12]


@callback
def check_answer(asked: str, ask_id: str, field_keys: tuple[str, ...], widget_prefix: str) -> None:
    from roi_viz import quiz

    s = session()
    state = s.quiz
    q = the_question(state.seed, state.level, s.settings)
    ask = q.asks[state.pos]
    if fingerprint(q) != asked or ask.id != ask_id:  # a click from a question that has changed since
        return
    answers = {k: st.session_state.get(f"{widget_prefix}{k}", "") for k in field_keys}
    g = quiz.grade(ask, answers, state.tries)
    st.session_state[GRADED] = (asked, ask.id, answers, state.tries)
    state.grade, state.tries = g, g.tries
    # Every graded try counts (a wrong first try ends the streak at once); an unreadable one does not.
    state.score = quiz.update_score(state.score or quiz.Score(), g)


@callback
def next_ask(total: int) -> None:
    state = session().quiz
    if state.pos + 1 < total:
        state.pos += 1
        state.tries, state.grade = 0, None
    else:
        new_question()


def walkthrough_link(q, ask) -> tuple[str, str]:
    """A link that opens the walkthrough at the step that explains ``ask``, on the question's RoI."""
    from urllib.parse import urlencode

    from roi_viz.link import Link, to_params
    from roi_viz import walkthrough
    from roi_viz.methods import METHODS

    s = session()
    steps = walkthrough.steps(q.method)
    index = METHODS[q.method].step_keys().index(ask.step)
    # The quiz's input is the article's square, whatever the sidebar's shape.
    state = Link(settings=q.settings.with_(shape="square"), sample=s.photo.sample,
                 upload=s.photo.stored if s.photo.upload_shown else "", rois=(tuple(float(v) for v in q.roi),),
                 active=0, view="walk", step=index, focus=ask.focus or (0, 0, 0))
    title = _("Step {n}: {title}").format(n=index + 1, title=steps[index].title)
    return title, "?" + urlencode(to_params(state), doseq=True)


def render(context: Context) -> None:
    """One question at a time: predict a number, then check it."""
    scene, key = context.scene, context.key
    from roi_viz import quiz
    from roi_viz.quiz.grading import labelled

    s = session()
    top_area, picture, question = figure.areas()  # on a projector, the question beside its picture
    with top_area:
        state = s.quiz
        # Looked up now, in this run's language: a widget's format_func may be called after the run.
        names = {k: _(LEVEL_WORDS[k]) for k in quiz.LEVELS}
        level = st.radio(_("Level"), quiz.LEVELS, index=quiz.LEVELS.index(state.level), format_func=names.get,
                         horizontal=True, **bound("quiz_level", lambda v: new_question(v)))
        if state.seed is None:
            new_question(level)
        q = the_question(state.seed, state.level, s.settings)
        asked = fingerprint(q)
        if state.asked != asked:  # another question (a new seed, or the sidebar changed it): start it afresh
            state.asked, state.pos, state.tries, state.grade = asked, 0, 0, None
        ask = q.asks[state.pos]
        score = state.score or quiz.Score()
        top = st.columns([3, 1], vertical_alignment="center")
        top[0].caption(_("{seed}. {level}. Score: {score}.").format(
            seed=seed_words(state.seed), level=_(quiz.LEVEL_TITLES[q.level]), score=score.words))
        top[1].button(_("New question"), width="stretch", on_click=callback(new_question), key="quiz-new")
    with picture:
        photo = quiz_photo(f"{key}|{scene.image.size}", scene.image, q.input_size)
        lang = language.current()
        if s.place.present:  # the slide: as large as the screen allows, its type read from the back of the room
            drawing, shown = figure.for_projector(
                lambda f: quiz_drawing(key, asked, q, photo, PAGE_WIDTH, PAGE_TEXT * f, lang))
            figure.show_drawing(drawing, key="quiz-figure", max_width=shown)
        else:  # and a phone's, for a narrow column
            figure.show_drawing(quiz_drawing(key, asked, q, photo, PAGE_WIDTH, PAGE_TEXT, lang), key="quiz-figure",
                                narrow=quiz_drawing(key, asked, q, photo, figure.NARROW_WIDTH, PAGE_TEXT, lang))
    with question:
        st.markdown(q.intro)
        st.markdown(_("**{n} of {total}.** {question}").format(n=state.pos + 1, total=len(q.asks), question=ask.text))
        g = state.grade if state.grade is not None and state.grade.ask_id == ask.id else None
        graded = st.session_state.get(GRADED)
        if g is not None and graded is not None and graded[:2] == (asked, ask.id):
            g = quiz.grade(ask, graded[2], graded[3])  # the same verdict, in the words of the language shown now
        prefix = f"quiz:{asked}:{state.pos}:"
        with st.form(key=f"quiz-form:{asked}:{state.pos}", border=False, enter_to_submit=True):
            cols = st.columns(min(len(ask.fields), 4))
            done = bool(g and g.done)
            typed = {v.key: v.value for v in g.fields} if done else {}
            for n, f in enumerate(ask.fields):
                # Once answered, the fields show what was typed (as read), greyed: fresh keys, not rewritten ones.
                shown = {"value": exact(typed[f.key]) if typed.get(f.key) is not None else "", "key": prefix + f.key + ":done"} \
                    if done else {"key": prefix + f.key}
                help_words = _("Graded {tolerance}. Fractions such as 37/8 are read.").format(
                    tolerance=f.tolerance_words)
                cols[n % len(cols)].text_input(f.label_words, disabled=done, help=help_words, **shown)
            st.form_submit_button(_("Check"), disabled=done,
                                  on_click=check_answer, args=(asked, ask.id, tuple(f.key for f in ask.fields), prefix))
        if g is not None:
            # The messages quote what was typed: plain text.
            say(("✔ " if g.status == "right" else "✖ " if g.status == "wrong" else "⚠ ") + g.message,
                {"right": "info", "wrong": "error"}.get(g.status, "warning"))
            labels = {f.key: f.label for f in ask.fields}
            for v in g.fields:
                if v.message and v.message not in g.message:  # an unreadable answer's sentence is said once
                    st.text(labelled(labels.get(v.key, v.key), v.message))
            if g.revealed:
                title, url = walkthrough_link(q, ask)
                if s.photo.travels:
                    why = _("**Why:** {reason}\n\nSee it explained: [{title}]({url}) (the walkthrough on this RoI, "
                            "in a new tab).")
                else:
                    why = _("**Why:** {reason}\n\nSee it explained: [{title}]({url}) (the walkthrough on this RoI, on "
                            "the sample photo: an upload cannot travel in a link, in a new tab).")
                st.markdown(why.format(reason=g.reason, title=title, url=url))
            if g.done:
                last = state.pos + 1 == len(q.asks)
                st.button(_("New question ▶") if last else _("Next question ▶"), on_click=next_ask, args=(len(q.asks),),
                          key="quiz-next", type="primary")
