"""One box, one set of numbers: the board, the box list and the lesson's words agree (Chromium, 1366 x 768).

The page's boxes are whole pixels of the model input, as a box drawn on the board is. A typed
296.6 and a linked ``roi=296.6_192_200_145`` are rounded to 297 when they enter the page's store,
and the page says so in a sentence; the board, which works in whole pixels, then reads the same box
as the list of RoIs, step 2's projection and step 6's coverage. (Before: the board said
"x 297 px ÷ 32 = 9.28125" and 60.6 % while the list and the words said 296.6, 9.26875 and 60.7 %.)

Every expected number is the board's own (its ``data-live`` JSON), written as the lesson writes
numbers (:mod:`roi_viz.lesson.numbers`), so the test checks that the two agree, not a copy of either.

Also: the instruction for drawing on the photo is printed once, not twice.
"""
from __future__ import annotations

import re

from playwright.sync_api import expect

from helpers import BOARD, SHOTS, drag_on, live, settle, the_canvas
from roi_viz.lesson.numbers import cells, exact, pct
from roi_viz.methods import METHODS
from roi_viz import walkthrough

SIZE = (512, 512)  # the sample photo's model input: the board's coordinates
STRIDE = 32
FOLLOWED = re.compile(r"RoI\s+(\d+):\s*\(([^)]*)\)\s*← the lesson follows it")
TITLES = [s.title for s in walkthrough.steps("pool")]


def open_page(browser, url: str):
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.set_default_timeout(120_000)
    pg.goto(url)
    expect(pg.get_by_role("heading", name=f"Step 1: {TITLES[0]}", exact=True)).to_be_visible()
    the_canvas(pg)
    settle(pg)
    return pg


def followed(pg) -> tuple[int, tuple[float, ...]]:
    """``(k, box)`` of "RoI k: (x, y, w, h) ← the lesson follows it" in the page's list of RoIs."""
    text = pg.locator(".st-key-roi-list").inner_text()
    m = FOLLOWED.search(text)
    assert m, f"the list names no followed RoI: {text!r}"
    return int(m[1]), tuple(float(v) for v in m[2].split(","))


def go_to_step(pg, n: int) -> str:
    """Pick step ``n`` (counted from 1) as a student does, and return the main column's words."""
    pg.get_by_role("radiogroup", name="Step", exact=True).get_by_text(f"{n}. {TITLES[n - 1]}", exact=True).click()
    expect(pg.get_by_role("heading", name=f"Step {n}: {TITLES[n - 1]}", exact=True)).to_be_visible()
    settle(pg)
    return pg.locator('[data-testid="stMain"]').inner_text()


def rounding_notices(pg) -> list[str]:
    return [t for t in pg.locator('[class*="st-key-notice-"]').all_inner_texts() if "was rounded to" in t]


def assert_one_set_of_numbers(pg, case: str) -> dict:
    """The board's followed box and its geometry are what the list, step 2 and step 6 say. Returns the board's."""
    board = live(pg)
    box = board["box"]
    assert all(isinstance(v, int) for v in box), f"{case}: the board's box is not whole pixels: {box}"
    k, listed = followed(pg)
    assert k == board["active"] + 1, f"{case}: the list follows RoI {k}, the board RoI {board['active'] + 1}"
    assert listed == tuple(float(v) for v in box), f"{case}: the list says {listed}, the board {box}"

    words = go_to_step(pg, 2)
    assert live(pg)["box"] == box, f"{case}: the board changed its box on the way to step 2"
    for name, v, p in zip("xywh", box, board["projected"]):
        line = f"{name}: {exact(v)} / {exact(STRIDE)} = {exact(p)}"
        assert line in words, f"{case}: step 2 does not say {line!r} as the board does; it says:\n{words[:3000]}"
    assert f"x {exact(box[0])} px ÷ {STRIDE} = {exact(board['projected'][0])}" in \
        pg.locator(".roi-board-readout").inner_text()

    words = go_to_step(pg, len(TITLES))
    said = f"can reach the output: {pct(board['coverage'])}"
    assert said in words, f"{case}: step 6 does not say {said!r} as the board does:\n{words[:3000]}"
    said = f"Lost to quantization: {cells(board['lost'])}"
    assert said in words, f"{case}: step 6 does not say {said!r} as the board does:\n{words[:3000]}"
    return board


def test_a_typed_fractional_box_is_rounded_and_said_once_for_everyone(server, browser):
    pg = open_page(browser, server + "/")
    field = pg.locator('input[aria-label="x"]')
    field.fill("296.6")
    field.press("Enter")
    settle(pg)
    shown = pg.locator('input[aria-label="x"]').input_value()
    said = rounding_notices(pg)
    if said:
        pg.locator('[class*="st-key-notice-"]', has_text="was rounded to").scroll_into_view_if_needed()
    pg.screenshot(path=str(SHOTS / "one-box-typed-296.6-1366.png"))
    board = assert_one_set_of_numbers(pg, "typed 296.6")
    assert board["box"] == [round(296.6), 192, 200, 145]  # ties aside, as Python rounds
    assert shown == str(round(296.6)), f"the field shows {shown!r}, not the whole pixels the box has"
    assert len(said) == 1 and "x 296.6 was rounded to 297" in said[0] and "whole pixels" in said[0], said
    pg.close()


def test_a_dragged_box_reads_the_same_on_the_board_and_in_the_words(server, browser):
    pg = open_page(browser, server + "/")
    drawn = drag_on(pg, the_canvas(pg), SIZE, (40.3, 300.3), (150.4, 100.4))
    settle(pg)
    board = live(pg)
    assert board["count"] == 2 and board["active"] == 1, board
    assert all(abs(a - b) <= 2 for a, b in zip(board["box"], drawn)), (board["box"], drawn)
    assert_one_set_of_numbers(pg, "dragged")
    assert not rounding_notices(pg)  # a drawn box is whole already: nothing to say
    pg.close()


def test_a_linked_fractional_box_is_rounded_and_said(server, browser):
    pg = open_page(browser, server + "/?roi=296.6_192_200_145")
    said = rounding_notices(pg)  # a link's notices are said once, on opening
    board = assert_one_set_of_numbers(pg, "linked roi=296.6_192_200_145")
    assert board["box"] == [round(296.6), 192, 200, 145]
    assert "roi=297_192_200_145" in pg.url, f"the address bar does not carry the box the page shows: {pg.url}"
    assert len(said) == 1 and "roi 1, x 296.6 was rounded to 297" in said[0] and "whole pixels" in said[0], said
    pg.close()


def test_the_drawing_instruction_is_printed_once(server, browser):
    """Beside the photo, "Drag on the photo to draw ..." was printed by the board and again by the page."""
    pg = open_page(browser, server + "/")
    pg.locator(".st-key-roi-list").scroll_into_view_if_needed()
    pg.wait_for_timeout(300)
    pg.screenshot(path=str(SHOTS / "one-box-photo-column-1366.png"))
    said = pg.get_by_text(re.compile(r"drag a box to move it", re.IGNORECASE))
    expect(said).to_have_count(1)
    # The one left is the board's own, which it names as its description for a screen reader.
    assert pg.locator(BOARD).get_attribute("aria-describedby") == said.get_attribute("id")
    pg.close()
