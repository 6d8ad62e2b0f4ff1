"""The photo stays where a student first sees it, on either network, in Chromium.

A student starts drawing as soon as the board shows. The network's notice ("Untrained ...") sits above the photo;
written after the lesson, it came seconds later on a session's first run and pushed the board down under the
student's drag. On a fresh server (so the first run computes its maps), the board's place on the screen when it
first shows must be its place once the page has settled.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from helpers import BOARD, CHROMIUM, FLAGS, assert_clean_log, settle, start_server

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("net", ["resnet50_fpn", "vgg16"])
def test_the_board_does_not_move_when_the_page_finishes(net):
    log = ROOT / "artifacts" / f"server-test_board_stays_put_browser-{net}.log"
    proc, url = start_server(log)  # a fresh server: the first run computes the network's maps, seconds long
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            pg = browser.new_page(viewport={"width": 1366, "height": 768})
            pg.set_default_timeout(120_000)
            pg.goto(f"{url}/?net={net}")
            canvas = pg.locator(f"{BOARD} canvas")
            canvas.wait_for(state="visible")
            pg.locator(f"{BOARD}[data-live]").wait_for()
            first = canvas.bounding_box()
            settle(pg, rounds=2)
            pg.locator(".st-key-step-figure .roi-figure").first.wait_for()
            settle(pg)
            last = canvas.bounding_box()
            untrained = pg.get_by_text("Untrained", exact=False).count()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(10)
    assert untrained, "the page should say its network is untrained (offline, no weights): nothing to move the board"
    moved = (round(last["x"] - first["x"]), round(last["y"] - first["y"]))
    assert moved == (0, 0), f"the board moved by {moved} CSS px after it first showed ({net})"
    assert_clean_log(log)


def test_the_board_does_not_move_when_the_pages_style_comes_late(server, browser):
    """Streamlit loads the script that shows an ``st.html`` element (the page's style sheet) when the page first
    needs it; on a slow first load it came after the board, and the page's tighter top moved the board 72 px up
    under a student's drag. The board brings the page's rules itself: with that script held back 3 s, the board
    stays where it first showed."""
    ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    pg = ctx.new_page()
    pg.set_default_timeout(120_000)

    def late(route):
        pg.wait_for_timeout(3000)
        route.continue_()

    try:
        pg.route("**/static/js/Html*.js", late)
        pg.goto(server)
        canvas = pg.locator(f"{BOARD} canvas")
        canvas.wait_for(state="visible")
        pg.locator(f"{BOARD}[data-live]").wait_for()
        first = canvas.bounding_box()
        pg.wait_for_timeout(3500)  # the held-back script has come, and its style sheet with it
        settle(pg)
        last = canvas.bounding_box()
    finally:
        ctx.close()
    moved = (round(last["x"] - first["x"]), round(last["y"] - first["y"]))
    assert moved == (0, 0), f"the board moved by {moved} CSS px when the page's style sheet came"
