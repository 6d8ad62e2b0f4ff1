"""The step picker keeps its place and the keyboard's focus while a student walks the steps with it, in Chromium.

A student who walks the steps with the keyboard tabs to the picker (a radio group) and presses → : each press
shows the next step (heading, figure), and the focus stays on the picker, so the next press goes on from there.
The picker is given its step when drawn, under the same key, and the browser moves its mark in place. Next (the
stepper's button) and another method draw it anew, on the step they moved to: a quick click's rerun may carry the
picker's old value, which must not move the step back.
"""
from __future__ import annotations


import pytest
from playwright.sync_api import expect

from helpers import expect_step, figure_alt, settle, step_figure, wait_figure_changed
from roi_viz import walkthrough

pytestmark = pytest.mark.browser

TITLES = {m: [s.title for s in walkthrough.steps(m)] for m in ("pool", "prroi")}
FOCUS_IN_PICKER = """() => {
  const g = document.querySelector('[role="radiogroup"][aria-label="Step"]');
  return !!g && g.contains(document.activeElement);
}"""
# The picker's element, marked once: a picker built anew is another element, without the mark.
MARK = """() => { document.querySelector('[role="radiogroup"][aria-label="Step"]').dataset.seen = "1"; }"""
MARKED = """() => document.querySelector('[role="radiogroup"][aria-label="Step"]')?.dataset.seen === "1" """


def on_step(pg, method: str, n: int) -> None:
    """The page shows step ``n`` (from 1) of ``method``: the picker's mark, the heading and the figure."""
    expect_step(pg, n, TITLES[method][n - 1])


def test_arrow_keys_walk_the_steps_and_the_focus_stays_on_the_picker(server, browser):
    url = server  # tests/conftest.py: the module's server, its log read for tracebacks at the end
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    pg = ctx.new_page()
    pg.set_default_timeout(120_000)
    try:
        pg.goto(url)
        expect(step_figure(pg)).to_be_visible(timeout=120_000)
        settle(pg)
        on_step(pg, "pool", 1)
        pg.get_by_role("radiogroup", name="Step").get_by_role("radio", checked=True).focus()
        pg.evaluate(MARK)
        for n in (2, 3, 4):
            before = figure_alt(step_figure(pg))
            pg.keyboard.press("ArrowRight")
            wait_figure_changed(pg, before)
            settle(pg)
            on_step(pg, "pool", n)
            assert pg.evaluate(FOCUS_IN_PICKER), f"after → to step {n} the focus left the step picker"
            assert pg.evaluate(MARKED), f"after → to step {n} the picker was built anew"
        before = figure_alt(step_figure(pg))
        pg.keyboard.press("ArrowLeft")
        wait_figure_changed(pg, before)
        settle(pg)
        on_step(pg, "pool", 3)
        assert pg.evaluate(FOCUS_IN_PICKER) and pg.evaluate(MARKED)
        # Next, the stepper's button: the picker shows the step it moved to.
        before = figure_alt(step_figure(pg))
        pg.get_by_role("button", name="Next step").click()
        wait_figure_changed(pg, before)
        settle(pg)
        on_step(pg, "pool", 4)
        # Another method with fewer steps: the picker's titles are that method's, on the same kind of step or the
        # last one it has.
        before = figure_alt(step_figure(pg))
        pg.get_by_test_id("stSidebar").get_by_role("radiogroup", name="How the RoI becomes a fixed-size tensor") \
            .get_by_text("Precise RoI Pooling", exact=True).click()
        wait_figure_changed(pg, before)
        settle(pg)
        on_step(pg, "prroi", len(TITLES["prroi"]))
        options = pg.get_by_role("radiogroup", name="Step").get_by_role("radio")
        assert options.count() == len(TITLES["prroi"])
    finally:
        ctx.close()
