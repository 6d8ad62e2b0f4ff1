"""The real page on ResNet-50-FPN, in Chromium: a person grows the article's box on the board and its level changes
live (the board's data-live and readout), then, at the mouse's release, the walkthrough's level step says the same
level and stride in its heading's figure and its words.

The article's box (296, 192, 200, 145) picks P3 (stride 8); dragged by its bottom-right handle to about
215 × 315 px, √(w·h) passes 224 and the box goes to P4 (stride 16). Every level is computed here by
:func:`roi_viz.ops.fpn_level` on the box the board reports, never typed.
"""
from __future__ import annotations

import json
import math
import re

from playwright.sync_api import expect

from helpers import drag_on, figure_alt, figures_shown, step_figure, the_canvas, wait_figure_changed
from roi_viz.ops import fpn_level

BOARD = '[data-testid="roi-board"]'
ARTICLE = (296, 192, 200, 145)


def live(pg) -> dict:
    return json.loads(pg.locator(BOARD).get_attribute("data-live"))


def settled(pg) -> dict:
    state = live(pg)
    for _ in range(50):
        pg.wait_for_timeout(100)
        if live(pg) == state:
            return state
        state = live(pg)
    return state


def words_under_heading(pg) -> str:
    return pg.locator('[data-testid="stMarkdownContainer"]', has_text=re.compile(r"√\(w·h\)")).first.inner_text()


def test_the_pages_board_and_level_step_follow_a_growing_box(server, browser):
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.goto(f"{server}/?net=resnet50_fpn&step=2")
    figures_shown(pg)
    expect(pg.get_by_role("heading", name=re.compile(r"^Step 2: Which level of the pyramid"))).to_be_visible(
        timeout=120_000)
    state = settled(pg)
    k0 = fpn_level(*ARTICLE[2:])
    assert [round(v) for v in state["box"]] == list(ARTICLE)
    assert (state["level"], state["stride"]) == (k0, 2 ** k0)
    readout = pg.locator(f"{BOARD} .roi-board-readout").inner_text()
    assert readout.startswith(f"Level P{k0}, stride {2 ** k0} px"), readout
    before = figure_alt(step_figure(pg))
    assert f"P{k0}" in before and f"stride {2 ** k0}" in before, before

    # Grow it by its bottom-right handle: one continuous drag, as a person does.
    canvas = the_canvas(pg)
    x, y, w, h = ARTICLE
    drag_on(pg, canvas, (512, 512), (x + w - 0.5, y + h - 0.5), (15, 170), moves=20)
    state = settled(pg)
    bw, bh = state["box"][2:]
    k = fpn_level(bw, bh)
    assert k == k0 + 1, (state["box"], k)  # past √(w·h) = 224 px: one level coarser
    assert (state["level"], state["level_name"], state["stride"]) == (k, f"P{k}", 2 ** k), state

    # Released: the page reruns and the level step's figure and words say the new level and stride.
    after = wait_figure_changed(pg, before, timeout=120_000)
    side = math.sqrt(bw * bh)
    for said in (f"P{k}", f"stride {2 ** k}"):
        assert said in after, (said, after)
    words = words_under_heading(pg)
    assert f"P{k}" in words and f"{side:.2f}" in words, words
    pg.close()
