"""The live board and the figures mark lost, gained and dropped area in the same marks, declared once
(``roi_viz.figures.look``): the board's legend names them as its canvas paints them, and the step's figure beside
it shows the same fills and hatches in its legend."""
import re

import numpy as np
from playwright.sync_api import expect

from helpers import BOARD, settle, the_canvas
from roi_viz.figures import look


def rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], float)


PIXELS = """(c) => { const g = c.getContext('2d'); const d = g.getImageData(0, 0, c.width, c.height).data;
  return Array.from(d); }"""


def test_the_board_and_the_figure_draw_lost_gained_and_dropped_alike(server, browser):
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.set_default_timeout(120_000)
    pg.goto(server + "/?step=3")  # the article's box under RoI pooling: area lost, gained and dropped
    canvas = the_canvas(pg)
    settle(pg)
    legend = pg.locator(f"{BOARD} .roi-board-legend")
    said = legend.text_content()
    for kind in ("lost", "gained", "dropped"):
        words = look.WORDS[kind]
        assert f"{words[0].upper()}{words[1:]}: " in said, (kind, said)
        assert f"{look.WORDS[kind][0].upper()}" in said
    assert "dotted" not in said and "Dark:" not in said, said
    # The canvas shows each kind's hatch lines in the look's own colour (opaque, so exact up to antialiasing).
    px = np.array(canvas.evaluate(PIXELS), float).reshape(-1, 4)[:, :3]
    for kind in (look.LOST, look.GAINED, look.DROPPED):
        near = np.abs(px - rgb(kind[2])).max(axis=1) <= 10
        assert near.sum() >= 20, f"no line of {kind} on the board"
    # The step's figure: its legend's swatches are filled and hatched as the board's areas are.
    fig = pg.locator(".st-key-step-figure svg.roi-figure")
    expect(fig).to_have_count(1)
    markup = fig.evaluate("(e) => e.outerHTML")
    for kind in (look.LOST, look.GAINED):
        assert re.search(rf'fill="{kind[0]}"', markup), kind
        assert re.search(rf'<pattern id="[^"]*-{kind[2].lstrip("#")}"', markup), kind
    pg.close()
