"""A method switch in the sidebar, in Chromium, as a student makes it: what the page shows after it.

A switch reruns the whole page, but keeps every widget's key except the step picker's (the sidebar's options
each have a place of their own, so one the new method hides leaves the others where they were): the browser
updates the page in place instead of building it anew. What must still hold, read off the screen after each
click: the page's heading names the method chosen; the sidebar shows the options that method reads, and only
those, each once, with the values the student set; the lesson stays on the same kind of step (the output
stays the output), its heading, words and figure all saying that step of the new method; and the server logs
no traceback.
"""
from __future__ import annotations


import pytest
from playwright.sync_api import expect

from helpers import (
    figure_alt, settle, step_figure, wait_figure_changed,
)
from roi_viz import walkthrough
from roi_viz.methods import METHODS
from roi_viz.state.options import BY_FIELD

pytestmark = pytest.mark.browser

METHOD_RADIO = "How the RoI becomes a fixed-size tensor"
# Options of the sidebar that some methods read and others do not (roi_viz.state.options), by their labels.
SOME = ("scheme", "sampling_ratio", "aligned")
NAMES = {k: m.name for k, m in METHODS.items()}
# The order of the switches: the output is step 6 of RoI pooling and RoIAlign, 4 of PrRoI, 7 of RoIWarp, so the
# step picker must move as well as change its titles.
ORDER = ("align", "prroi", "warp", "pool", "warp")


def sidebar(pg):
    return pg.get_by_test_id("stSidebar")


def labels_shown(pg, names) -> dict:
    """How many widgets of the sidebar carry each label (a widget's label is its text, outside the field)."""
    side = sidebar(pg)
    return {n: side.get_by_test_id("stWidgetLabel").filter(has_text=n).count() for n in names}


def step_of(method: str, key: str) -> tuple[int, str]:
    """``(n, title)`` of the step ``key`` of ``method``'s walkthrough, counted from 1, in English."""
    steps = walkthrough.steps(method)
    i = [s.key for s in steps].index(key)
    return i + 1, steps[i].title


def assert_page_says(pg, method: str, key: str, rows: int) -> None:
    """The page as a student reads it after choosing ``method``, on its step ``key``, output ``rows`` high."""
    n, title = step_of(method, key)
    heading = f"Step {n}: {title}"
    expect(pg.get_by_role("heading", name=f"{NAMES[method]}, step by step")).to_be_visible()
    expect(pg.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    picker = pg.get_by_role("radiogroup", name="Step")
    expect(picker.get_by_role("radio", name=f"{n}. {title}", exact=True)).to_be_checked()
    alt = figure_alt(step_figure(pg))
    assert alt.startswith(heading), (heading, alt[:120])
    radio = sidebar(pg).get_by_role("radiogroup", name=METHOD_RADIO)
    expect(radio.get_by_role("radio", name=NAMES[method], exact=True)).to_be_checked()
    some = {BY_FIELD[f].label: BY_FIELD[f].applies(METHODS[method].options, "vgg16") for f in SOME}
    shown = labels_shown(pg, [*some, "Output rows", "Output columns"])
    assert {n: shown[n] for n in some} == {n: int(on) for n, on in some.items()}, (method, shown)
    assert shown["Output rows"] == 1 and shown["Output columns"] == 1, shown
    assert sidebar(pg).get_by_label("Output rows").input_value() == str(rows)


def test_a_method_switch_shows_the_new_method_on_the_same_step_with_the_students_options(server, browser):
    url = server  # tests/conftest.py: the module's server, its log read for tracebacks at the end
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    pg = ctx.new_page()
    pg.set_default_timeout(120_000)
    try:
        pg.goto(url + "/?step=6")  # RoI pooling's output
        expect(step_figure(pg)).to_be_visible(timeout=120_000)
        settle(pg)
        assert_page_says(pg, "pool", "output", 3)
        rows = sidebar(pg).get_by_label("Output rows")
        before = figure_alt(step_figure(pg))
        rows.fill("4")
        rows.press("Enter")
        wait_figure_changed(pg, before)
        settle(pg)
        assert_page_says(pg, "pool", "output", 4)
        for method in ORDER:
            before = figure_alt(step_figure(pg))
            radio = sidebar(pg).get_by_role("radiogroup", name=METHOD_RADIO)
            radio.get_by_text(NAMES[method], exact=True).click()
            wait_figure_changed(pg, before)
            settle(pg)
            assert_page_says(pg, method, "output", 4)
        # Text: a method whose name is a word of another (RoI pooling, Precise RoI Pooling) is found exactly.
    finally:
        ctx.close()
