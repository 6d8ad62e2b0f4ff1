"""The board and the stepper in a real Streamlit page, driven in Chromium as a student would.

The test app (tests/apps/board_app.py) prints what Python holds (``PY {...}``, ``STEP n``,
``RUNS n``); the board's ``data-live`` attribute says what the browser computes.
"""
from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from apps.board_harness import APPS, chromium, streamlit_app
from helpers import mouse_drag

WAIT = 30_000


@pytest.fixture(scope="module")
def app_url():
    with streamlit_app(APPS / "board_app.py", "test_board_browser") as (url, _log):
        yield url


@pytest.fixture(scope="module")
def browser(app_url):
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser, app_url, request):
    """A fresh session (its own boxes) at 1366 x 768."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    pg = context.new_page()
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    query = getattr(request, "param", "")
    pg.goto(app_url + "/" + query)
    pg.locator('[data-testid="roi-board"]').wait_for(timeout=WAIT)
    pg.get_by_text("RUNS 1", exact=True).wait_for(timeout=WAIT)
    yield pg
    context.close()
    assert not errors, errors


def line(pg, prefix: str) -> str:
    """The text the test app prints after ``prefix`` (``PY``, ``STEP``, ``RUNS``)."""
    return pg.locator('[data-testid="stText"]', has_text=re.compile(f"^{prefix} ")).inner_text()[len(prefix) + 1:]


def live(pg) -> dict:
    # Strict: a second board on the page (a remount left behind) fails here.
    return json.loads(pg.locator('[data-testid="roi-board"]').get_attribute("data-live"))


def python_state(pg) -> dict:
    return json.loads(line(pg, "PY"))


def wait_python(pg, predicate, what: str) -> dict:
    """Poll what Python shows until ``predicate`` holds (reruns are asynchronous)."""
    for _ in range(150):
        state = python_state(pg)
        if predicate(state):
            return state
        pg.wait_for_timeout(100)
    raise AssertionError(f"Python never got {what}; it holds {python_state(pg)}")


class Screen:
    """Maps input pixels to screen points on the board's canvas, as the board maps back."""

    def __init__(self, pg, size=(512, 512)):
        self.bb = pg.locator('[data-testid="roi-board"] canvas').bounding_box()
        self.W, self.H = size

    def point(self, x, y):
        return self.bb["x"] + x * self.bb["width"] / self.W, self.bb["y"] + y * self.bb["height"] / self.H

    def pixel(self, sx, sy):
        return round((sx - self.bb["x"]) * self.W / self.bb["width"]), round((sy - self.bb["y"]) * self.H / self.bb["height"])


def drag(pg, a, b, steps=8, pause=0):
    mouse_drag(pg, a, b, steps, pause)


def test_the_board_fits_its_column_and_starts_with_pythons_box(page):
    board = page.locator('[data-testid="roi-board"]').bounding_box()
    assert board["width"] <= 0.45 * 1366, board
    state = live(page)
    assert state["box"] == [296, 192, 200, 145] and state["stride"] == 32
    assert state["projected"] == [9.25, 6, 6.25, 4.53125] and state["quantized"] == [9, 6, 6, 4]
    assert (state["lost"], state["gained"], state["coverage"]) == (5.3203125, 1, 17.25 / 28.3203125)
    words = page.locator(".roi-board-readout")
    assert words.get_attribute("aria-live") == "polite"
    assert "x 296 px ÷ 32 = 9.25 → 9" in words.inner_text()
    from roi_viz.lesson.numbers import cells, pct  # the step's words write the same numbers the same way
    assert f"Lost {cells(5.3203125)}, gained {cells(1)}" in words.inner_text()
    assert f"Coverage {pct(17.25 / 28.3203125)}" in words.inner_text()


def test_boxes_drawn_at_a_persons_pace_and_quickly_are_all_kept(page):
    scr = Screen(page)
    corners = [(20, 20, 90, 80), (130, 20, 220, 70), (20, 300, 120, 420), (150, 430, 260, 500),
               (400, 20, 500, 110), (420, 380, 500, 500), (30, 130, 100, 200), (280, 440, 340, 500)]
    expected = [[296, 192, 200, 145]]
    for n, (x0, y0, x1, y1) in enumerate(corners):
        a, b = scr.point(x0 + 0.3, y0 + 0.3), scr.point(x1 + 0.3, y1 + 0.3)
        person = n < 4
        drag(page, a, b, steps=10 if person else 3, pause=30 if person else 0)
        if person:
            page.wait_for_timeout(400)
        pa, pb = scr.pixel(*a), scr.pixel(*b)
        expected.append([pa[0], pa[1], pb[0] - pa[0], pb[1] - pa[1]])
    state = wait_python(page, lambda s: len(s["boxes"]) == 9, "nine boxes")
    page.wait_for_timeout(1500)  # any late rerun must not undo a box
    state = python_state(page)
    for got, want in zip(state["boxes"], expected):
        assert all(abs(g - w) <= 1 for g, w in zip(got, want)), (state["boxes"], expected)
    assert state["active"] == 8
    assert live(page)["count"] == 9 and live(page)["box"] == state["boxes"][8]


def test_live_geometry_follows_every_frame_of_a_drag_without_the_server(page):
    scr = Screen(page)
    runs = line(page, "RUNS")
    page.mouse.move(*scr.point(40, 40))
    page.mouse.down()
    seen = []
    for k in range(1, 9):
        page.mouse.move(*scr.point(40 + 30 * k, 40 + 20 * k))
        page.wait_for_timeout(40)  # a frame or two
        seen.append(live(page))
    assert line(page, "RUNS") == runs, "the server reran during the drag"
    page.mouse.up()
    for k, state in enumerate(seen, 1):
        x, y, w, h = state["box"]
        assert (x, y) == (40, 40) and abs(w - 30 * k) <= 1 and abs(h - 20 * k) <= 1, state
        assert state["projected"] == [v / 32 for v in state["box"]]
        assert state["quantized"] == [v // 32 for v in state["box"]]
    assert len({json.dumps(s) for s in seen}) == len(seen), "a frame repeated the previous geometry"
    wait_python(page, lambda s: len(s["boxes"]) == 2 and s["boxes"][1] == seen[-1]["box"], "the drawn box")


def test_select_move_and_resize_with_the_mouse(page):
    scr = Screen(page)
    drag(page, scr.point(20, 20), scr.point(120, 100))  # a second box, now followed
    wait_python(page, lambda s: s["active"] == 1, "the new box followed")
    page.mouse.click(*scr.point(396, 264))  # inside RoI 1: select it
    wait_python(page, lambda s: s["active"] == 0, "RoI 1 followed again")
    drag(page, scr.point(396, 264), scr.point(396 - 37, 264 + 21))
    moved = wait_python(page, lambda s: s["boxes"][0][:2] != [296, 192], "the moved box")
    x, y, w, h = moved["boxes"][0]
    assert abs(x - 259) <= 1 and abs(y - 213) <= 1 and (w, h) == (200, 145)
    drag(page, scr.point(x + w, y + h), scr.point(x + w + 30, y + h - 40))  # the bottom-right handle
    resized = wait_python(page, lambda s: s["boxes"][0][2:] != [200, 145], "the resized box")["boxes"][0]
    assert resized[:2] == [x, y] and abs(resized[2] - 230) <= 1 and abs(resized[3] - 105) <= 1
    assert live(page)["box"] == resized and live(page)["active"] == 0


def test_keyboard_only_drawing_and_editing(page):
    for _ in range(30):  # Tab through the page until the board has the focus
        page.keyboard.press("Tab")
        if page.locator('[data-testid="roi-board"]').evaluate("el => el.getRootNode().activeElement === el"):
            break
    else:
        pytest.fail("Tab never reached the board")
    outline = page.locator('[data-testid="roi-board"]').evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid", "no visible focus ring"
    page.keyboard.press("a")  # a new box in the middle, followed
    assert live(page)["box"] == [171, 171, 171, 171] and live(page)["active"] == 1
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    assert live(page)["box"] == [172, 172, 171, 171]
    page.keyboard.press("Shift+ArrowLeft")
    assert live(page)["box"] == [140, 172, 171, 171]
    page.keyboard.press("Alt+ArrowRight")
    page.keyboard.press("Alt+Shift+ArrowUp")
    assert live(page)["box"] == [140, 172, 172, 139]
    wait_python(page, lambda s: s["boxes"] == [[296, 192, 200, 145], [140, 172, 172, 139]], "the keyed box")
    page.keyboard.press("n")
    assert live(page)["active"] == 0 and live(page)["box"] == [296, 192, 200, 145]
    page.keyboard.press("Delete")
    assert live(page)["count"] == 1 and live(page)["box"] == [140, 172, 172, 139]
    page.keyboard.press("Delete")  # never the last box
    assert live(page)["count"] == 1
    for _ in range(40):  # pushed against the edge, the box stays inside the photo
        page.keyboard.press("Shift+ArrowRight")
    assert live(page)["box"] == [512 - 172, 172, 172, 139]
    wait_python(page, lambda s: s["boxes"] == [[340, 172, 172, 139]] and s["active"] == 0, "the edited boxes")
    assert line(page, "STEP") == "1", "the board's arrows moved the lesson too"


def test_delete_on_the_only_box_says_why_it_stays(page):
    board = page.locator('[data-testid="roi-board"]')
    board.focus()
    status = board.get_by_role("status")
    assert status.inner_text() == ""  # nothing to say yet
    page.keyboard.press("Delete")
    expect(status).to_have_text(re.compile(r"^The last RoI stays: the lesson needs one box to follow\."))
    assert status.get_attribute("aria-live") == "polite"
    assert live(page)["count"] == 1 and live(page)["box"] == [296, 192, 200, 145]
    page.keyboard.press("Backspace")  # said again, not only once
    expect(status).to_have_text(re.compile("^The last RoI stays"))
    page.keyboard.press("a")  # a change: the sentence no longer applies
    expect(status).to_have_text("")
    page.keyboard.press("Delete")
    assert live(page)["count"] == 1 and status.inner_text() == ""
    page.wait_for_timeout(300)
    wait_python(page, lambda s: s["boxes"] == [[296, 192, 200, 145]], "the one box left")


def test_the_followed_box_is_the_highlighted_one(page):
    scr = Screen(page)
    drag(page, scr.point(30, 30), scr.point(130, 110))
    wait_python(page, lambda s: s["active"] == 1, "the new box")

    def left_edge(box):
        """Colours of the canvas along a box's left edge, away from its tag and handles."""
        x, y, w, h = box
        points = [scr.point(x, y + h * f) for f in (0.25, 0.32, 0.4, 0.6, 0.68, 0.75)]
        return page.locator('[data-testid="roi-board"] canvas').evaluate(
            """(c, pts) => { const r = c.getBoundingClientRect(), g = c.getContext('2d');
                 return pts.map(([sx, sy]) => Array.from(g.getImageData(Math.round((sx - r.left) * c.width / r.width),
                                                   Math.round((sy - r.top) * c.height / r.height), 1, 1).data)); }""", points)

    magenta = lambda p: p[0] > 150 and p[1] < 80 and p[2] > 80
    yellow = lambda p: p[0] > 150 and p[1] > 110 and p[2] < 60

    def followed(box):  # solid magenta all along
        return all(magenta(p) for p in left_edge(box))

    def other(box):  # dashed yellow: some yellow, no magenta
        colours = left_edge(box)
        return any(yellow(p) for p in colours) and not any(magenta(p) for p in colours)

    assert followed([30, 30, 100, 80]) and other([296, 192, 200, 145])
    page.keyboard.press("n")  # the board has the focus after the drag
    assert followed([296, 192, 200, 145]) and other([30, 30, 100, 80])
    wait_python(page, lambda s: s["active"] == 0, "RoI 1 followed")


def test_python_replaces_the_boards_content_with_a_new_revision(page):
    scr = Screen(page)
    drag(page, scr.point(30, 30), scr.point(130, 110))
    wait_python(page, lambda s: len(s["boxes"]) == 2, "the drawn box")
    page.get_by_role("button", name="Preset: the article's box").click()
    state = wait_python(page, lambda s: s["rev"] == 1, "the preset")
    assert state["boxes"] == [[296, 192, 200, 145]]
    page.wait_for_timeout(500)
    assert live(page)["count"] == 1 and live(page)["box"] == [296, 192, 200, 145]
    assert python_state(page)["boxes"] == [[296, 192, 200, 145]], "a stale board value came back"


@pytest.mark.parametrize("page", ["?method=align&ratio=0&aligned=1", "?method=warp&scheme=fastrcnn", "?method=prroi"], indirect=True)
def test_other_methods_draw_their_own_geometry(page):
    scr = Screen(page)
    page.mouse.move(*scr.point(100, 100))
    page.mouse.down()
    page.mouse.move(*scr.point(180, 170))
    page.wait_for_timeout(50)
    state = live(page)
    page.mouse.up()
    assert state["box"] == [100, 100, 80, 70] and len(state["row_edges"]) == 4 and len(state["col_edges"]) == 4
    if state["method"] != "prroi":
        assert state["points"] > 0


def test_five_quick_next_clicks_land_on_step_six_every_time(browser, app_url):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    pg = context.new_page()
    landed = []
    for run in range(10):
        pg.goto(app_url)
        pg.get_by_text("STEP 1", exact=True).wait_for(timeout=WAIT)
        nxt = pg.get_by_role("button", name="Next step")
        for _ in range(5):
            nxt.click()
            pg.wait_for_timeout(33)
        pg.get_by_text("STEP 6", exact=True).wait_for(timeout=WAIT)
        pg.wait_for_timeout(600)  # a late rerun must not move it
        landed.append(line(pg, "STEP"))
    context.close()
    assert landed == ["6"] * 10, landed


def test_stepper_keys_labels_and_ends(page):
    prev, nxt = page.get_by_role("button", name="Previous step"), page.get_by_role("button", name="Next step")
    assert prev.is_disabled() and nxt.is_enabled()
    for _ in range(9):  # past the end: stays on the last step
        page.keyboard.press("ArrowRight")
    page.get_by_text("STEP 8", exact=True).wait_for(timeout=WAIT)
    assert nxt.is_disabled() and prev.is_enabled()
    page.keyboard.press("ArrowLeft")
    page.get_by_text("STEP 7", exact=True).wait_for(timeout=WAIT)
    page.keyboard.press("PageUp")  # not in presenter mode: the page's own scrolling key
    page.wait_for_timeout(500)
    assert line(page, "STEP") == "7"
    page.get_by_role("combobox", name="Step").select_option("3")
    page.get_by_text("STEP 3", exact=True).wait_for(timeout=WAIT)


@pytest.mark.parametrize("page", ["?presenter=1"], indirect=True)
def test_presenter_mode_steps_with_page_keys(page):
    page.keyboard.press("PageDown")
    page.keyboard.press("PageDown")
    page.get_by_text("STEP 3", exact=True).wait_for(timeout=WAIT)
    page.keyboard.press("PageUp")
    page.get_by_text("STEP 2", exact=True).wait_for(timeout=WAIT)


def test_touch_drags_draw_and_move_boxes(browser, app_url):
    """A finger on a tablet: Chromium turns touches into pointer events, which the board follows."""
    context = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True, is_mobile=True)
    pg = context.new_page()
    pg.goto(app_url)
    pg.get_by_text("RUNS 1", exact=True).wait_for(timeout=WAIT)
    scr = Screen(pg)
    cdp = context.new_cdp_session(pg)

    def touch_drag(a, b, steps=8):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": a[0], "y": a[1]}]})
        for k in range(1, steps + 1):
            p = (a[0] + (b[0] - a[0]) * k / steps, a[1] + (b[1] - a[1]) * k / steps)
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": p[0], "y": p[1]}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

    touch_drag(scr.point(40, 40), scr.point(140, 120))
    drawn = wait_python(pg, lambda s: len(s["boxes"]) == 2, "the box drawn by touch")["boxes"][1]
    assert all(abs(g - w) <= 2 for g, w in zip(drawn, [40, 40, 100, 80])), drawn
    touch_drag(scr.point(396, 264), scr.point(396 - 50, 264 + 30))  # RoI 1's body
    moved = wait_python(pg, lambda s: s["boxes"][0] != [296, 192, 200, 145], "the box moved by touch")["boxes"][0]
    assert abs(moved[0] - 246) <= 2 and abs(moved[1] - 222) <= 2 and moved[2:] == [200, 145], moved
    context.close()
