"""What a person does on the page, each timed until the step figure has changed and the page is idle."""
from __future__ import annotations

import time
from typing import Callable

from playwright.sync_api import Page

from bench.harness.page.dom import (
    ACTION_TIMEOUT_MS, BOARD, FIGURE_OR_ERROR_JS, FIGURE_SRC_JS, FIRST_VIEW_TIMEOUT_MS, IDLE_JS, VIEWPORT
)


# ------------------------------------------------------------------------ page helpers
def wait_idle(page: Page, timeout_ms: int = ACTION_TIMEOUT_MS) -> None:
    """Until Streamlit's status widget ("Running...") is gone."""
    page.wait_for_timeout(150)  # the widget shows up a moment after a rerun starts
    page.wait_for_function(IDLE_JS, timeout=timeout_ms)


def figure_src(page: Page) -> str | None:
    return page.evaluate(FIGURE_SRC_JS)


def wait_figure_changed(page: Page, before: str | None, timeout_ms: int = ACTION_TIMEOUT_MS) -> None:
    """Until the step figure has another src than ``before`` and is loaded; raises if the page shows an error."""
    outcome = page.wait_for_function(FIGURE_OR_ERROR_JS, arg=before, timeout=timeout_ms, polling="raf").json_value()
    if outcome == "error":
        raise PageBroken("the page shows Streamlit's error box (an uncaught exception, see the server log)")


class PageBroken(Exception):
    """The page shows an uncaught exception instead of the step figure."""


def open_page(browser, url: str, ready_text: str | None):
    """A fresh context and page, opened and idle, its figure loaded."""
    ctx = browser.new_context(viewport=VIEWPORT)
    page = ctx.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    page.goto(url)
    if ready_text:
        page.get_by_text(ready_text).wait_for(timeout=FIRST_VIEW_TIMEOUT_MS)
    wait_figure_changed(page, None, FIRST_VIEW_TIMEOUT_MS)
    wait_idle(page, FIRST_VIEW_TIMEOUT_MS)
    return ctx, page


def page_is_broken(page: Page, needs_steps: bool) -> bool:
    """An error box on the page, or (on the real page) no step radio any more."""
    if page.get_by_test_id("stException").count():
        return True
    return needs_steps and step_options(page).count() == 0


def step_options(page: Page):
    return page.get_by_role("radiogroup", name="Step").get_by_test_id("stRadioOption")


def current_step(page: Page) -> int:
    opts = step_options(page)
    for i in range(opts.count()):
        if opts.nth(i).get_attribute("data-selected") == "true":
            return i
    return -1


def go_to_step(page: Page, index: int) -> None:
    """Not measured: put the walkthrough on step ``index`` (0-based, -1 = last) before a kind of action."""
    opts = step_options(page)
    if opts.count() == 0:
        print("  (no step radio on the page: the step was not set)", flush=True)
        return
    index = index % opts.count()
    if current_step(page) != index:
        before = figure_src(page)
        opts.nth(index).click()
        wait_figure_changed(page, before)
    wait_idle(page)


def visible_canvas(page: Page):
    """The board's canvas (inside the component's shadow root: Playwright's locators see into it)."""
    return page.locator(f"{BOARD} canvas").filter(visible=True).first


def drag(page: Page, start: tuple[float, float], delta: tuple[float, float], moves: int = 15) -> float:
    """A person's drag on the board, in input pixels: down, small moves, up. Returns the time of the release."""
    canvas = visible_canvas(page)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    k = box["width"] / 512  # input pixels to CSS pixels, should the canvas be shown scaled
    x0, y0 = box["x"] + start[0] * k, box["y"] + start[1] * k
    page.mouse.move(x0, y0)
    page.mouse.down()
    for i in range(1, moves + 1):
        page.mouse.move(x0 + delta[0] * k * i / moves, y0 + delta[1] * k * i / moves)
        page.wait_for_timeout(16)  # about one mouse event per frame
    t = time.perf_counter()
    page.mouse.up()
    return t


# ------------------------------------------------------------------------------ actions
# An action does what a person does and returns the moment the person starts waiting.
Action = Callable[[Page, int], float]


def click(locator) -> float:
    locator.wait_for(state="visible")
    t = time.perf_counter()
    locator.click()
    return t


def press_enter_after(field, text: str) -> float:
    field.fill(text)
    t = time.perf_counter()
    field.press("Enter")
    return t


def act_floor_next(page: Page, i: int) -> float:
    return click(page.get_by_role("button", name="Next ▶"))


def act_next(page: Page, i: int) -> float:
    return click(page.get_by_role("button", name="Next step"))


def act_previous(page: Page, i: int) -> float:
    return click(page.get_by_role("button", name="Previous step"))


JUMP_ORDER = (2, 4, 0, 5, 1, 3)


def act_jump(page: Page, i: int) -> float:
    """Click a step's option in the step radio: a different step each time, never the current one."""
    opts = step_options(page)
    n, now = opts.count(), current_step(page)
    targets = [t % n for t in JUMP_ORDER if t % n != now]
    return click(opts.nth(targets[i % len(targets)]))


def act_type_x(page: Page, i: int) -> float:
    field = page.locator('input[aria-label="x"]')
    now = float(field.input_value())
    x = 290 - 9 * (i % 10)
    if abs(x - now) < 1:
        x -= 5
    return press_enter_after(field, str(x))


def act_drag(page: Page, i: int) -> float:
    """A new small box, each in its own place above the article's RoI (input pixels)."""
    col, row = i % 6, (i // 6) % 3
    return drag(page, (20 + 80 * col, 15 + 55 * row), (55, 40))


def sidebar(page: Page):
    return page.get_by_test_id("stSidebar")


def act_method(page: Page, i: int) -> float:
    label = "RoIAlign" if i % 2 == 0 else "RoI pooling"
    return click(sidebar(page).get_by_role("radiogroup", name="How the RoI becomes a fixed-size tensor")
                 .get_by_text(label, exact=True))


def act_output_rows(page: Page, i: int) -> float:
    return press_enter_after(sidebar(page).get_by_label("Output rows"), "4" if i % 2 == 0 else "3")
