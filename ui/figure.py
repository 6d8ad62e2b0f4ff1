"""A figure on the page with its words: a text alternative that carries its numbers, and a table beside it.

``st.image`` writes no ``alt`` attribute, so a screen reader meets a nameless
picture. A figure is shown here as an ``<img>`` with its alternative text
(the encoded bytes inline, so nothing is written to disk or served twice),
and the numbers it is drawn from can be opened as a table beside it.
"""
from __future__ import annotations

import base64
import hashlib
import html
import threading
import weakref
from functools import lru_cache
from pathlib import Path

import streamlit as st

from roi_viz.language import _

MIME = {"PNG": "image/png", "JPEG": "image/jpeg"}
# A described figure on the page: this wide, its smallest text this large (12 px in the 528-px lesson column of a
# 1366 x 768 laptop; a wider column shows it larger, up to the page's style sheet's limit).
PAGE_WIDTH, PAGE_TEXT = 560.0, 13.0
# A picture on the page is rasterized at PAGE_DPI: the lesson column is about 700 px wide, more pixels would only be
# thrown away by the browser (a slide's, in presenter mode, is roi_viz.picture.files.SLIDE_DPI).
PAGE_DPI = 85
PAGE_MIN_PX, PRESENT_MIN_PX = 11, 18  # the smallest text a student reads on the page, and from the back of a room
# Presenter mode, 1920 x 1080: the figure's column and the height left below the step controls.
PRESENT_WIDTH_PX = 1050
PRESENT_HEIGHT_PX = 880
HERE = Path(__file__).resolve().parent / "board"


def dpi() -> float:
    """The resolution a view draws its figures at: the page's, or a slide's in presenter mode, where the style
    sheet lets a figure grow to the screen's height (a page-sized picture would stay small, or blur)."""
    from roi_viz.picture.files import SLIDE_DPI

    from .session import session

    return SLIDE_DPI if session().place.present else PAGE_DPI


def areas():
    """Where a view puts what comes before its main figure, the figure, and what follows it.

    On the page they stack in that order; on a projector the figure stands on the left and the
    words and controls beside it on the right, so that a class sees both on one screen.
    Returns three containers ``(before, picture, after)`` (``before`` is ``after`` on a projector).
    """
    from .session import session

    if session().place.present:
        picture, side = st.columns([5, 4], gap="large")
        return side, picture, side
    return st.container(), st.container(), st.container()


def show(data: bytes, fmt: str, alt: str, *, width: int | None = None, where=None) -> None:
    """Show an encoded figure (``fmt`` PNG or JPEG) with ``alt`` as its text alternative.

    ``width``: pixels on the page (at most the column's width); ``None`` fills the column.
    """
    from .session import session
    from .style import PRESENT_CONTROLS_REM

    if width:
        size = f"width: {int(width)}px; max-width: 100%;"
    elif session().place.present:  # as large as the 1920 x 1080 screen allows below the view's controls
        size = f"width: auto; max-width: 100%; max-height: calc(100vh - {PRESENT_CONTROLS_REM}rem); margin: 0 auto;"
    else:
        size = "width: 100%;"
    uri = f"data:{MIME[fmt.upper()]};base64,{base64.b64encode(data).decode('ascii')}"
    (where or st).html(f'<img class="roi-figure" src="{uri}" alt="{html.escape(alt, quote=True)}" '
                       f'style="{size} height: auto; display: block;">')


def _cell(text) -> str:
    """A table cell's text as Markdown shows it literally (a number, a box, a word: nothing interpreted)."""
    return "".join("\\" + ch if ch in "\\`*_{}[]|<>#+-!~" else ch for ch in str(text))


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (a ``<table>`` with its header cells, as a screen reader reads it) of plain-text cells."""
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |", "|" + " --- |" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows])


def numbers(rows: list[tuple[str, str]], output: list[list[str]] | None = None, *, label: str | None = None,
            where=None) -> None:
    """The numbers a figure is drawn from, as a table a student opens beside it (and a screen reader reads);
    ``label``: the expander's (default: "The figure's numbers", in the page's language). Written as Markdown
    tables: a table of strings needs no data frame, and a step costs the server a few microseconds for it."""
    with (where or st).expander(label or _("The figure's numbers"), icon=":material/table:"):
        st.markdown(table([_("quantity"), _("value")], [[q, v] for q, v in rows]))
        if output:
            st.caption(_("The output of the channel shown, row by row:"))
            st.markdown(table([_("row")] + [_("column {j}").format(j=j) for j in range(len(output[0]))],
                              [[str(i)] + list(row) for i, row in enumerate(output)]))


@lru_cache(maxsize=1)
def _svg_component():
    from .board.wire import UNPACK_JS

    return st.components.v2.component("roi_viz.figure", css=(HERE / "figure.css").read_text(),
                                      js=UNPACK_JS + (HERE / "figure.js").read_text())


def for_projector(describe):
    """``(drawing, shown width)`` for presenter mode: ``describe(text)`` makes the drawing with its texts ``text``
    times their page size; the factor is chosen so that the smallest text is at least 18 px where the drawing is
    shown, as wide as the slide's figure column allows and no taller than the screen below the controls."""
    from roi_viz.picture.spec import Text

    from .style import PRESENT_CONTROLS_REM

    tallest = 1080 - PRESENT_CONTROLS_REM * 16  # a 1080p screen less the view's controls, as for a picture (show)
    text = 1.0
    # The height grows with the text, and the width shown shrinks with it: settle in rounds (a tall figure, whose
    # width shown nearly keeps pace with its text, may take more than eight; most take one or two).
    for __ in range(24):
        d = describe(text)
        shown = min(PRESENT_WIDTH_PX, tallest * d.width / d.height)
        smallest = min(m.size for __, m in d.marks(Text)) * shown / d.width
        if smallest >= PRESENT_MIN_PX * 1.02:  # a little to spare: the browser rounds the column's width
            return d, shown
        text *= PRESENT_MIN_PX * 1.03 / smallest
    return d, shown


# Below this column width (CSS px: a phone held upright) a figure described for NARROW_WIDTH px is shown instead of
# the page's, so that its text stays near its described size rather than shrinking to 8 px.
NARROW_BELOW, NARROW_WIDTH = 480, 360.0


# A drawing's SVG markup, painted once per drawing object: the caches share one drawing between reruns and students
# (ui.cache), so a step shown again costs a lookup, not a paint. Keyed by the object's id and ``max_width``, with a
# weak reference that drops the entry when the drawing is gone (and tells a reused id from the drawing it named).
_PAINTED: dict[tuple[int, float | None], tuple[weakref.ref, str]] = {}
_PAINTED_LOCK = threading.Lock()


def painted(drawing, max_width: float | None = None) -> str:
    """``svg.paint(drawing, max_width=max_width)``, painted once per drawing object (drawings are never changed)."""
    from roi_viz.picture import svg

    key = (id(drawing), max_width)
    hit = _PAINTED.get(key)
    if hit is not None and hit[0]() is drawing:
        return hit[1]
    text = svg.paint(drawing, max_width=max_width)

    def forget(_ref, key=key):
        with _PAINTED_LOCK:
            if _PAINTED.get(key, (None,))[0] is _ref:
                del _PAINTED[key]

    with _PAINTED_LOCK:
        _PAINTED[key] = (weakref.ref(drawing, forget), text)
    return text


def show_drawing(drawing, *, key: str, where=None, max_width: float | None = None, narrow=None) -> None:
    """A described figure (:class:`roi_viz.picture.spec.Drawing`) painted as inline SVG on the page.

    ``key``: the figure's place on the page (one per figure shown at once); ``max_width``: CSS px it may not
    grow past (see :func:`for_projector`); ``narrow``: the same figure described :data:`NARROW_WIDTH` px wide,
    shown instead when the column is narrower than :data:`NARROW_BELOW` px (the browser picks, and picks
    again when the column's width changes).
    """
    from roi_viz.picture import fonts

    text = painted(drawing, max_width)
    small = painted(narrow) if narrow is not None else ""
    faces = fonts.faces()  # DejaVu Sans, regular and bold, then the Chinese font
    data = {"key": hashlib.sha1((text + small).encode()).hexdigest(), "svg": text, "narrow": small,
            "narrow_below": NARROW_BELOW, "fonts": faces}
    from .board.wire import packed

    if where is None:
        _svg_component()(key=key, data=packed(data))
    else:
        with where:
            _svg_component()(key=key, data=packed(data))
