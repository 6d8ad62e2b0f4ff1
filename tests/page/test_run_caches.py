"""Two caches of the page that a click must not see through: the language a run speaks and a drawing's SVG.

The language is looked up a few hundred times a run, so the session it comes from is found once per run
(:func:`ui.language._in_a_run`); the words must still follow a switch made in the middle of a run, and the next
run must hear the student's new choice. A drawing's SVG is painted once per drawing object
(:func:`ui.figure.painted`); a new drawing, even one equal to the last, gets its own paint.
"""
from __future__ import annotations

import gc

from streamlit.testing.v1 import AppTest

from roi_viz.picture import svg
from roi_viz.picture.spec import Drawing, Panel, Rect, Text


def switch_in_the_middle():
    import streamlit as st

    import ui.language  # noqa: F401  (registers the page's resolver, as app.py's import does)
    from roi_viz.language import _
    from ui.session import session

    s = session()
    st.markdown(_("Add RoI"))  # said before the switch, in the language the run began in
    if st.session_state.get("switch_to"):
        s.place.language = st.session_state["switch_to"]
    st.markdown(_("Add RoI"))  # said after it


def said(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def test_a_switch_in_the_middle_of_a_run_is_heard_at_once_and_in_the_next_run():
    at = AppTest.from_function(switch_in_the_middle, default_timeout=30)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert said(at) == ["Add RoI", "Add RoI"]
    at.session_state["switch_to"] = "zh"
    at.run()
    assert not at.exception
    first, second = said(at)
    assert first == "Add RoI" and second != "Add RoI" and any("\u4e00" <= ch <= "\u9fff" for ch in second)
    at.session_state["switch_to"] = ""
    at.run()  # the next run starts in the language chosen, from its first word
    assert said(at) == [second, second]


def test_the_link_language_is_spoken_from_the_first_word():
    at = AppTest.from_function(switch_in_the_middle, default_timeout=30)
    at.query_params["lang"] = "zh"
    at.run()
    assert not at.exception
    first, second = said(at)
    assert first == second and any("\u4e00" <= ch <= "\u9fff" for ch in first)


def drawing(label: str, x: float = 10.0) -> Drawing:
    return Drawing(width=200.0, height=100.0, alt=f"A square and {label}.",
                   panels=(Panel.pixels(0.0, 0.0, 200.0, 100.0,
                                        (Rect(x=x, y=10.0, w=40.0, h=40.0, fill="#336699"),
                                         Text(x=100.0, y=60.0, text=label, size=13.0))),))


def test_a_drawing_is_painted_once_and_each_new_drawing_anew(monkeypatch):
    from ui.figure import painted

    calls = []
    real = svg.paint
    monkeypatch.setattr(svg, "paint", lambda d, **kw: calls.append(d) or real(d, **kw))
    d = drawing("one")
    first = painted(d)
    assert first == real(d) and 'aria-label="A square and one."' in first and ">one</text>" in first
    assert painted(d) == first and len(calls) == 1  # the same object: the same markup, not painted again
    assert painted(d, 300.0) == real(d, max_width=300.0) and len(calls) == 2  # another width: its own paint
    moved = drawing("two", x=70.0)  # another drawing: its own markup, never the last one's
    assert painted(moved) == real(moved) and ">two</text>" in painted(moved)
    del d, moved
    gc.collect()
    again = drawing("three")  # may take a freed object's id: it must not be given that object's markup
    assert ">three</text>" in painted(again) and ">one</text>" not in painted(again)
