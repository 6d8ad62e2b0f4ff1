"""The walkthrough's steps rerun on their own (a fragment inside the lesson), in Chromium: what sits around them
must never show a step behind, and what is changed inside them must still reach the whole page.

- After Previous / Next, the Link popover (drawn only while open) gives the link of the step shown, and the
  Export popover offers that step's figure.
- A bin picked under the words (the close-up steps) moves the figure and the words to that bin.
- Presenter mode switched off with the slide's own toggle gives the whole page back (sidebar, photo, heading).
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from helpers import expect_step, figure_alt, figure_content, settle, step_figure, wait_figure_changed
from roi_viz import walkthrough

pytestmark = pytest.mark.browser

POOL = [s.title for s in walkthrough.steps("pool")]
ALIGN = [s.title for s in walkthrough.steps("align")]


def open_at(browser, url: str, width: int = 1366, height: int = 900):
    pg = browser.new_page(viewport={"width": width, "height": height})
    pg.set_default_timeout(120_000)
    pg.goto(url)
    expect(step_figure(pg)).to_be_visible(timeout=120_000)
    settle(pg)
    return pg


def test_link_and_export_opened_after_steps_give_the_step_shown(server, browser):
    pg = open_at(browser, server)
    try:
        expect_step(pg, 1, POOL[0])
        for n in (2, 3, 4):
            before = figure_alt(step_figure(pg))
            pg.get_by_role("button", name="Next step").click()
            wait_figure_changed(pg, before)
            settle(pg)
            expect_step(pg, n, POOL[n - 1])
        before = figure_alt(step_figure(pg))
        pg.get_by_role("button", name="Previous step").click()
        wait_figure_changed(pg, before)
        settle(pg)
        expect_step(pg, 3, POOL[2])
        assert parse_qs(urlparse(pg.url).query).get("step") == ["3"]  # the address bar follows the step
        # The Link popover, opened now, gives this step's link (its contents are drawn when it opens).
        pg.get_by_role("button", name="Link").click()
        code = pg.get_by_test_id("stCode").filter(has_text="step=3")
        expect(code).to_be_visible()
        link = parse_qs(urlparse(code.inner_text().strip()).query)
        assert link.get("step") == ["3"], link
        pg.keyboard.press("Escape")
        expect(code).to_be_hidden()
        settle(pg)
        # The Export popover offers this step's figure.
        pg.get_by_role("button", name="Export").click()
        expect(pg.get_by_role("button", name="This figure: step 3 (PNG, 150 dpi)")).to_be_visible()
        expect(pg.get_by_role("button", name="The numbers (JSON)")).to_be_visible()
        pg.keyboard.press("Escape")
        settle(pg)
        # Closed again, a step moves on as before.
        before = figure_alt(step_figure(pg))
        pg.get_by_role("button", name="Next step").click()
        wait_figure_changed(pg, before)
        settle(pg)
        expect_step(pg, 4, POOL[3])
    finally:
        pg.close()


def test_a_bin_picked_under_the_words_moves_the_close_up(server, browser):
    pg = open_at(browser, server + "/?method=align&step=4")
    try:
        expect_step(pg, 4, ALIGN[3])
        expect(pg.get_by_text("Point 1 of bin (0, 0)").first).to_be_visible()
        before = figure_content(step_figure(pg))
        field = pg.get_by_label("Bin row", exact=True)
        field.fill("2")
        field.press("Enter")
        expect(pg.get_by_text("Point 1 of bin (2, 0)").first).to_be_visible()
        settle(pg)
        assert figure_content(step_figure(pg)) != before, "the figure still shows bin (0, 0)"
        expect_step(pg, 4, ALIGN[3])
        assert "Point 1 of bin (0, 0)" not in pg.get_by_test_id("stMain").inner_text()
        assert parse_qs(urlparse(pg.url).query).get("bin") == ["2_0"]
        # The next step still looks at the bin picked.
        before = figure_alt(step_figure(pg))
        pg.get_by_role("button", name="Previous step").click()
        wait_figure_changed(pg, before)
        settle(pg)
        expect_step(pg, 3, ALIGN[2])
        assert parse_qs(urlparse(pg.url).query).get("bin") == ["2_0"]
    finally:
        pg.close()


def test_presenter_mode_left_from_the_slide_gives_the_whole_page_back(server, browser):
    pg = open_at(browser, server + "/?present=1&step=2", 1920, 1080)
    try:
        expect_step(pg, 2, POOL[1])
        expect(pg.get_by_role("heading", name="RoI pooling, step by step")).to_have_count(0)
        pg.get_by_text("Present", exact=True).click()
        expect(pg.get_by_role("heading", name="RoI pooling, step by step")).to_be_visible()
        settle(pg)
        expect(pg.locator('[data-testid="roi-board"]')).to_be_visible()
        expect_step(pg, 2, POOL[1])
        assert "present" not in parse_qs(urlparse(pg.url).query)
    finally:
        pg.close()
