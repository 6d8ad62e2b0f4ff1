"""What a student sees first, in Chromium: at a laptop's 1366 × 768, a 1280 × 800 screen, a projector's
1920 × 1080 and at 150 % browser zoom, the board fits its column (the photo's right edge is on the screen),
a drag still lands on the right input pixels, and step 1's figure is on the first screen. Then one quiz
question answered through the real page.
"""

import pytest
from playwright.sync_api import expect

from roi_viz import quiz
from roi_viz.state.settings import Settings
from helpers import drag_on, live, number, settle, the_canvas, step_figure
from helpers import SHOTS

SCREENS = [(1366, 768, 1.0), (1280, 800, 1.0), (1920, 1080, 1.0), (1366, 768, 1.5)]


def open_at(browser, url: str, width: int, height: int, zoom: float):
    """A page as a screen of ``width`` × ``height`` device pixels shows it at browser zoom ``zoom``."""
    ctx = browser.new_context(viewport={"width": round(width / zoom), "height": round(height / zoom)},
                              device_scale_factor=zoom)
    pg = ctx.new_page()
    pg.set_default_timeout(120_000)
    pg.goto(url)
    expect(step_figure(pg)).to_be_visible()
    settle(pg)
    return ctx, pg


@pytest.mark.parametrize("width, height, zoom", SCREENS, ids=[f"{w}x{h}@{z}" for w, h, z in SCREENS])
def test_the_board_fits_its_column_and_step_one_is_on_the_first_screen(server, browser, width, height, zoom):
    ctx, pg = open_at(browser, server, width, height, zoom)
    try:
        view_w, view_h = pg.viewport_size["width"], pg.viewport_size["height"]
        board = the_canvas(pg)
        canvas = board.bounding_box()
        column = pg.locator(".st-key-photo").bounding_box()
        assert canvas["x"] >= column["x"] - 1 and canvas["x"] + canvas["width"] <= column["x"] + column["width"] + 1, \
            (canvas, column)
        assert canvas["x"] + canvas["width"] <= view_w and canvas["y"] + canvas["height"] <= view_h, \
            "the photo's right or bottom edge is off the first screen"
        assert canvas["width"] >= 150  # still big enough to draw on
        figure = step_figure(pg).bounding_box()
        if zoom == 1:  # at 150 % a 768-pixel screen is 512 CSS pixels tall: the photo fits, the step follows
            assert figure["y"] < view_h - 120, f"step 1's figure starts at y = {figure['y']:.0f} of {view_h}"
        expect(pg.get_by_role("heading", name="Step 1: Image and RoIs")).to_be_attached()
        pg.screenshot(path=str(SHOTS / f"first-screen-{width}x{height}@{zoom}.png"))

        # A drag on the scaled board lands on the input pixels under the mouse.
        k = 512 / canvas["width"]
        drag_on(pg, board, (512, 512), (64, 96), (192, 96), moves=12)
        tol = 2 * k + 1  # a screen pixel is k input pixels
        x, y, w, h = live(pg)["box"]  # what the board computed in the browser
        assert abs(x - 64) <= tol and abs(y - 96) <= tol and abs(w - 192) <= tol and abs(h - 96) <= tol, (x, y, w, h)
        # The page's box list names the new box (the board's own readout says "RoI 2: (…" too: not that one).
        expect(pg.locator("strong").filter(has_text="RoI 2: (")).to_be_visible()
        settle(pg)
        assert [number(pg, n) for n in "xywh"] == [x, y, w, h], "the page's fields differ from the board's box"
    finally:
        ctx.close()


def test_a_quiz_question_answered_through_the_page(server, browser):
    ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    pg = ctx.new_page()
    pg.set_default_timeout(120_000)
    try:
        pg.goto(server + "/?view=quiz&level=starter&seed=2024")
        q = quiz.make_question(2024, "starter", Settings())
        ask = q.asks[0]
        expect(pg.get_by_text(ask.text, exact=False)).to_be_visible()
        settle(pg)
        for f in ask.fields:
            label = f"{f.label} ({f.unit})" if f.unit else f.label
            field = pg.get_by_label(label, exact=True)
            field.click()
            field.type(f"{f.answer:.6f}".rstrip("0").rstrip("."), delay=40)  # a person types
        pg.get_by_role("button", name="Check").click()
        expect(pg.get_by_text("1 of 1 right", exact=False)).to_be_visible()
        pg.screenshot(path=str(SHOTS / "quiz-right.png"), full_page=True)
        pg.get_by_role("button", name="Next question").click()
        ask2 = q.asks[1]
        expect(pg.get_by_text(ask2.text, exact=False)).to_be_visible()
        settle(pg)
        for f in ask2.fields:  # wrong twice: the answer and the step that explains it are shown
            label = f"{f.label} ({f.unit})" if f.unit else f.label
            pg.get_by_label(label, exact=True).fill(str(f.answer + 5))
        pg.get_by_role("button", name="Check").click()
        expect(pg.get_by_text("Try once more", exact=False)).to_be_visible()
        pg.get_by_role("button", name="Check").click()
        expect(pg.get_by_text("Why:", exact=True)).to_be_visible()
        expect(pg.get_by_role("link", name="Step ", exact=False).first).to_be_visible()
        pg.screenshot(path=str(SHOTS / "quiz-wrong.png"), full_page=True)
    finally:
        ctx.close()


def test_on_from_under_the_words_shows_the_next_figure(server, browser):
    """At 1366 × 768 a student reads a step's words to their end, steps on with the button under them, and sees
    the new step's controls and the top of its figure without scrolling back up."""
    ctx, pg = open_at(browser, server, 1366, 768, 1.0)
    try:
        for step in (2, 3):
            on = pg.get_by_role("button", name=f"On to step {step}")
            on.scroll_into_view_if_needed()
            assert pg.locator('[data-testid="roi-stepper"]').bounding_box()["y"] < 0, "the words were read below"
            on.click()
            expect(pg.locator('[data-testid="roi-stepper"]')).to_have_attribute("data-step", str(step))
            expect(pg.get_by_role("heading", name=f"Step {step}:")).to_be_attached()
            settle(pg)
            stepper = pg.locator('[data-testid="roi-stepper"]').bounding_box()
            figure = step_figure(pg).bounding_box()
            assert 0 <= stepper["y"] < 200, f"the step controls are at y = {stepper['y']:.0f}"
            assert 0 <= figure["y"] < 768 - 300, f"the new figure starts at y = {figure['y']:.0f} of 768"
        pg.screenshot(path=str(SHOTS / "on-from-under-the-words-1366x768.png"))
    finally:
        ctx.close()
