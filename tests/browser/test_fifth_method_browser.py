"""A twin of each method (its record under a new key and name, registered by ``tests/apps/twin_app.py`` before
the page runs) in Chromium: the board draws, writes and explains it as its source, and the page opened with
``?method=twin...`` shows the board, the walkthrough and the training view without an exception."""
from __future__ import annotations

import json

import pytest

from apps.board_harness import APPS, chromium, streamlit_app
from helpers import BOARD, settle, the_canvas

WAIT = 120_000
SOURCES = ("pool", "align", "warp", "prroi")


@pytest.fixture(scope="module")
def twin_url():
    with streamlit_app(APPS / "twin_app.py", "test_fifth_method_browser") as (url, _log):
        yield url


@pytest.fixture(scope="module")
def chrome(twin_url):
    with chromium() as b:
        yield b


def opened(chrome, url: str):
    """A fresh session at ``url``, 1366 x 768, with its script errors collected."""
    context = chrome.new_context(viewport={"width": 1366, "height": 768})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(url)
    return context, pg, errors


def board_as_shown(chrome, url: str) -> dict:
    context, pg, errors = opened(chrome, url)
    try:
        pg.locator(BOARD).wait_for(timeout=WAIT)
        pg.get_by_text("RUNS 1", exact=True).wait_for(timeout=WAIT)
        shown = {"live": json.loads(pg.locator(BOARD).get_attribute("data-live")),
                 "legend": pg.locator(f"{BOARD} .roi-board-legend").text_content(),
                 "readout": pg.locator(f"{BOARD} .roi-board-readout").text_content()}
    finally:
        context.close()
    assert not errors, errors
    return shown


@pytest.mark.parametrize("scheme", ["article", "fastrcnn"])
def test_the_board_shows_each_twin_as_its_source(chrome, twin_url, scheme):
    for source in SOURCES:
        ours = board_as_shown(chrome, f"{twin_url}/?page=board&method=twin{source}&scheme={scheme}")
        theirs = board_as_shown(chrome, f"{twin_url}/?page=board&method={source}&scheme={scheme}")
        assert ours["live"].pop("method") == "twin" + source and theirs["live"].pop("method") == source
        assert ours == theirs, source
        assert ours["legend"].startswith("Magenta: the RoI") and ours["readout"].startswith("RoI 1: (296, 192, 200, 145)")


def test_the_page_opens_a_twin_from_its_link_with_the_board_and_the_training_view(chrome, twin_url):
    context, pg, errors = opened(chrome, f"{twin_url}/?method=twinwarp")
    try:
        the_canvas(pg)
        settle(pg)
        pg.get_by_text("Walkthrough: Twin of RoIWarp").first.wait_for(timeout=WAIT)
        assert "Dots: sampling points" in pg.locator(f"{BOARD} .roi-board-legend").text_content()
        assert json.loads(pg.locator(BOARD).get_attribute("data-live"))["method"] == "twinwarp"
        pg.goto(f"{twin_url}/?method=twinwarp&view=train")
        the_canvas(pg)
        settle(pg)
        pg.get_by_text("What the gradient reaches: one value followed backwards").first.wait_for(timeout=WAIT)
        text = pg.locator("body").inner_text()
        assert "Through RoIWarp's exact pass it could not" in text and "Twin of RoIWarp" in text
        assert pg.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()
    assert not errors, errors
