"""The board on a feature pyramid, in Chromium: grow a box past 112, 224 and 448 px and its grid moves to a
coarser level, live, while the mouse (or a finger) is still down.

The test app (tests/apps/board_pyramid_app.py) mounts the board with ``pyramid=pyramid_of((512, 512))`` and
RoIAlign 7 x 7, sampling ratio 2, as torchvision's Faster R-CNN pools; it prints the boxes Python holds
(``PY {...}``) and Python's level for the followed one (``LEVEL P3 8``). At every stage the board's ``data-live``
(level, its name, stride, map size, the bins' edges), its readout (what a person reads, and what a screen reader
hears: the readout is a polite live region) and the grid's lines drawn on the canvas are checked against
:func:`roi_viz.ops.fpn_level` and :func:`roi_viz.ops.roi_align` for the box the board reports.
"""
from __future__ import annotations

import json
import re

import numpy as np
import pytest

from apps.board_harness import APPS, chromium, streamlit_app
from helpers import SHOTS
from roi_viz.ops import fpn_level, roi_align
from ui.board import pyramid_of

axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                 reason="pip install axe-playwright-python (the test extras)")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WAIT = 120_000
SIZE = (512, 512)
PYRAMID = pyramid_of(SIZE)
BOARD = '[data-testid="roi-board"]'


@pytest.fixture(scope="module")
def app_url():
    with streamlit_app(APPS / "board_pyramid_app.py", "test_board_pyramid_browser") as (url, _log):
        yield url


@pytest.fixture(scope="module")
def browser(app_url):
    with chromium() as b:
        yield b


def open_page(browser, app_url, query="", **context_args):
    context = browser.new_context(**({"viewport": {"width": 1366, "height": 768}} | context_args))
    pg = context.new_page()
    pg.set_default_timeout(WAIT)
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(app_url + "/" + query)
    pg.locator(BOARD).wait_for(timeout=WAIT)
    pg.get_by_text("RUNS 1", exact=True).wait_for(timeout=WAIT)
    for _ in range(240):  # the photo loaded and the readout written
        if pg.locator(BOARD).get_attribute("data-live"):
            break
        pg.wait_for_timeout(250)
    return context, pg, errors


def live(pg) -> dict:
    return json.loads(pg.locator(BOARD).get_attribute("data-live"))


def readout(pg) -> str:
    return pg.locator(f"{BOARD} .roi-board-readout").inner_text()


def line(pg, prefix: str) -> str:
    return pg.locator('[data-testid="stText"]', has_text=re.compile(f"^{prefix} ")).inner_text()[len(prefix) + 1:]


def wait_python(pg, predicate, what: str) -> dict:
    for _ in range(600):
        state = json.loads(line(pg, "PY"))
        if predicate(state):
            return state
        pg.wait_for_timeout(200)
    raise AssertionError(f"Python never got {what}; it holds {line(pg, 'PY')}")


def point(pg, x, y):
    """Input pixels -> screen point on the board's canvas."""
    bb = pg.locator(f"{BOARD} canvas").bounding_box()
    return bb["x"] + x * bb["width"] / SIZE[0], bb["y"] + y * bb["height"] / SIZE[1]


GRID_LINES = """(c) => {
  // Vertical lines of the grid along one row of the canvas above every box: a grid line is a one-pixel
  // brightening (white at 35 %) over a smooth photo, so a sharp peak in the row's brightness.
  const y = Math.round(5 * c.height / 512);
  const d = c.getContext('2d').getImageData(0, y, c.width, 1).data;
  const v = []; for (let i = 0; i < c.width; i++) v.push(d[4 * i] + d[4 * i + 1] + d[4 * i + 2]);
  let n = 0;
  for (let i = 1; i < v.length - 1; i++) if (v[i] - (v[i - 1] + v[i + 1]) / 2 > 30) n++;
  return n;
}"""


def check_stage(pg, *, want_level: int | None = None) -> dict:
    """The board's live numbers for the box it reports, against Python's rule and RoIAlign at that level."""
    state = live(pg)
    for _ in range(50):  # a loaded machine may draw the last move's frame late: read a settled board
        pg.wait_for_timeout(100)
        if live(pg) == state:
            break
        state = live(pg)
    x, y, w, h = state["box"]
    k = fpn_level(w, h)
    i = PYRAMID["levels"].index(k)
    stride = PYRAMID["strides"][i]
    assert (state["level"], state["level_name"], state["stride"]) == (k, f"P{k}", stride), state
    assert state["map_size"] == PYRAMID["map_sizes"][i] == [-(-512 // stride)] * 2, state
    assert state["side"] == float(np.sqrt(np.float32(w) * np.float32(h))), state
    if want_level is not None:
        assert k == want_level, (state["box"], k)
    # The box's projection and bins are those of that level's stride.
    assert state["projected"] == [v / stride for v in state["box"]], state
    t = roi_align(np.zeros((1, *state["map_size"]), np.float32), state["box"], stride=stride, output_size=(7, 7),
                  sampling_ratio=2)
    assert state["row_edges"] == np.asarray(t.row_edges, float).tolist(), state
    assert state["col_edges"] == np.asarray(t.col_edges, float).tolist(), state
    assert state["points"] == 7 * 7 * 2 * 2
    words = readout(pg)
    assert words.startswith(f"Level P{k}, stride {stride} px: √(w·h) = "), words
    assert f"w {w} px ÷ {stride} = " in words, words
    # The grid a person sees is that level's: one line per cell edge across the photo.
    drawn = pg.locator(f"{BOARD} canvas").evaluate(GRID_LINES)
    cells = state["map_size"][1]
    assert abs(drawn - (cells + 1)) <= 2, (k, drawn, cells)
    return state


def test_growing_a_box_with_the_mouse_moves_it_to_coarser_levels_live(browser, app_url):
    context, pg, errors = open_page(browser, app_url)
    assert live(pg)["box"] == [20, 20, 60, 60]
    check_stage(pg, want_level=2)
    legend = pg.locator(f"{BOARD} .roi-board-legend").inner_text()
    assert "P2 (stride 4 px) below 112 px, P3 (8 px) from 112, P4 (16 px) from 224, P5 (32 px) from 448" in legend
    runs = line(pg, "RUNS")
    pg.mouse.move(*point(pg, 80, 80))  # the bottom-right handle
    pg.mouse.down()
    seen = []
    corner = 80.0
    stages = [(120, 2), (130, 2), (140, 3), (235, 3), (250, 4), (460, 4), (490, 5)]  # corner (px), level of its box
    for target, _ in stages:
        while corner < target:  # a person's drag: small steps, a frame each
            corner = min(corner + 12, target)
            pg.mouse.move(*point(pg, corner + 0.3, corner + 0.3))
            pg.wait_for_timeout(20)
        pg.wait_for_timeout(80)
        state = check_stage(pg)
        w, h = state["box"][2:]
        assert abs(w - (target - 20)) <= 1 and abs(h - (target - 20)) <= 1, state
        seen.append(state["level"])
        if target == 130:
            pg.screenshot(path=str(SHOTS / "board-pyramid-P2-1366.png"))
    assert seen == [level for _, level in stages], seen  # past 112, 224 and 448 px, each a coarser level
    assert line(pg, "RUNS") == runs, "the server reran during the drag: the level was not live"
    pg.mouse.up()
    final = live(pg)["box"]
    wait_python(pg, lambda s: s["boxes"] == [final], "the grown box")
    pg.get_by_text("LEVEL P5 32", exact=True).wait_for(timeout=WAIT)  # Python's own rule on the same box
    check_stage(pg, want_level=5)
    pg.screenshot(path=str(SHOTS / "board-pyramid-P5-1366.png"))
    context.close()
    assert not errors, errors


@pytest.mark.parametrize("edge", [112, 224, 448])
def test_one_pixel_more_crosses_the_boundary_exactly_where_python_does(browser, app_url, edge):
    """A box one pixel short of √(w·h) = edge; Alt+Arrow makes it edge x edge: exactly on the boundary, the
    coarser level (torchvision's eps), in the browser and in Python alike."""
    context, pg, errors = open_page(browser, app_url, f"?box=20,20,{edge - 1},{edge}")
    k = PYRAMID["levels"][PYRAMID["boundaries"].index(edge) + 1]
    check_stage(pg, want_level=k - 1)
    board = pg.locator(BOARD)
    board.focus()
    pg.keyboard.press("Alt+ArrowRight")
    state = check_stage(pg, want_level=k)
    assert state["box"] == [20, 20, edge, edge]
    wait_python(pg, lambda s: s["boxes"] == [[20, 20, edge, edge]], "the box on the boundary")
    pg.get_by_text(f"LEVEL P{k} {2 ** k}", exact=True).wait_for(timeout=WAIT)
    pg.keyboard.press("Shift+ArrowRight")  # one cell of the box's own level
    assert live(pg)["box"][0] == 20 + 2 ** k
    pg.keyboard.press("Alt+ArrowLeft")  # and back under the boundary: the finer level again
    check_stage(pg, want_level=k - 1)
    context.close()
    assert not errors, errors


def test_a_finger_grows_the_box_past_every_boundary(browser, app_url):
    context, pg, errors = open_page(browser, app_url, viewport={"width": 1024, "height": 768}, has_touch=True,
                                    is_mobile=True)
    cdp = context.new_cdp_session(pg)

    def touch(kind, x, y):
        sx, sy = point(pg, x, y)
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": sx, "y": sy}]})

    touch("touchStart", 80, 80)
    levels, corner = [], 80
    for target in (125, 180, 300, 490):
        while corner < target:
            corner = min(corner + 10, target)
            touch("touchMove", corner, corner)
            pg.wait_for_timeout(20)
        pg.wait_for_timeout(100)
        levels.append(check_stage(pg)["level"])
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    assert levels == [2, 3, 4, 5], levels  # sides 105, 160, 280, 470 px
    final = live(pg)["box"]
    wait_python(pg, lambda s: s["boxes"] == [final], "the box grown by touch")
    pg.get_by_text(f"LEVEL P{levels[-1]} {2 ** levels[-1]}", exact=True).wait_for(timeout=WAIT)
    context.close()
    assert not errors, errors


@pytest.mark.parametrize("method, box", [("pool", [100, 100, 150, 150]), ("prroi", [40, 30, 300, 250]),
                                         ("warp", [8, 8, 40, 30])])
def test_every_method_is_drawn_at_the_boxs_level(browser, app_url, method, box):
    """The method's own geometry (snapped cells, exact bin edges, ...) is computed at the level's stride."""
    from roi_viz.ops import prroi_pool, roi_pool, roi_warp

    context, pg, errors = open_page(browser, app_url, f"?method={method}&out=3&box={','.join(map(str, box))}")
    state = live(pg)
    k = fpn_level(box[2], box[3])
    stride, cells = 2 ** k, [-(-512 // 2 ** k)] * 2
    assert (state["box"], state["level"], state["stride"], state["map_size"]) == (box, k, stride, cells), state
    fm = np.zeros((1, *cells), np.float32)
    if method == "pool":
        t = roi_pool(fm, box, stride=stride, output_size=(3, 3), scheme="article")
        assert state["quantized"] == list(t.quantized) and state["coverage"] == t.coverage, state
    elif method == "prroi":
        t = prroi_pool(fm, box, stride=stride, output_size=(3, 3))
        assert state["row_edges"] == np.asarray(t.row_edges, float).tolist(), state
    else:
        t = roi_warp(fm, box, stride=stride, output_size=(3, 3), sampling_ratio=2, scheme="article")
        assert state["quantized"] == [v // stride for v in box], state  # the article's rule: rounded down
        assert state["col_edges"] == np.asarray(t.col_edges, float).tolist(), state
    assert readout(pg).startswith(f"Level P{k}, stride {stride} px: "), readout(pg)
    assert f"x {box[0]} px ÷ {stride} = " in readout(pg)
    context.close()
    assert not errors, errors


def test_the_board_on_a_pyramid_passes_axe(browser, app_url):
    context, pg, errors = open_page(browser, app_url, "?box=100,100,150,150")
    check_stage(pg, want_level=3)
    result = axe_module.Axe().run(pg, options={"runOnly": {"type": "tag", "values": TAGS}})
    found = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
             for v in result.response["violations"]]
    context.close()
    assert not found, "\n".join(found)
    assert not errors, errors
