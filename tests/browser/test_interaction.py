"""Drawing and clicking at a person's pace and at a machine's, in Chromium: nothing may be lost.

Starts the real Streamlit server on loopback (its output captured to a file) and drives Debian's
Chromium with Playwright. Every test opens its own fresh page (a new browser context), and ends by
reading what the server logged meanwhile: no "Traceback", no "Error".

The page is expected to list every RoI inside ``.st-key-roi-list``, one line per RoI:
``RoI k: (x, y, w, h)`` in input pixels.

Races show up one run in several: ``ROI_VIZ_REPEAT=10 pytest tests/browser/test_interaction.py`` runs the
drawing test 10 times in a row (each time on a fresh page).
"""
from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect, sync_playwright

from helpers import BOARD, CHROMIUM, FLAGS, drag_on, settle as settle_once, start_server

ROOT = Path(__file__).resolve().parents[2]
VIEWPORT = {"width": 1366, "height": 900}
BOARD_INPUT_PX = 512  # the board shows the 512 x 512 model input
REPEAT = int(os.environ.get("ROI_VIZ_REPEAT", "1"))
ROI_LINE = re.compile(r"RoI\s+(\d+):\s*\(\s*([-\d.]+),\s*([-\d.]+),\s*([-\d.]+),\s*([-\d.]+)\s*\)")
TOL = 3  # pixels
# What a held → key sends: a click every 33 ms. Previous / Next send the target step as a value,
# not a click flag, so Streamlit folding reruns together loses none of them.
CLICK_GAP_MS = int(os.environ.get("ROI_VIZ_CLICK_GAP_MS", "33"))
QUICK_RUNS = 10


# ---------------------------------------------------------------------------- fixtures
class Server:
    def __init__(self, url: str, log_path: Path):
        self.url, self.log_path = url, log_path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="module")
def server():
    log_path = ROOT / "artifacts" / "server-test_interaction.log"  # kept after the run, to be read
    proc, url = start_server(log_path)
    yield Server(url, log_path)
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), f"Chromium is needed at {CHROMIUM} (apt-get install -y chromium)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def log_mark(server):
    """Where the server's log stood when the test began: each test checks only what it caused."""
    return len(server.log())


@pytest.fixture
def page(server, browser, log_mark):
    """A fresh page (its own context, so its own Streamlit session) on the first screen."""
    ctx = browser.new_context(viewport=VIEWPORT)
    pg = ctx.new_page()
    pg.set_default_timeout(120_000)
    pg.goto(server.url)
    expect(pg.get_by_text("Step 1: Image and RoIs")).to_be_visible(timeout=120_000)
    settle(pg)
    yield pg
    ctx.close()


# ---------------------------------------------------------------------------- helpers
def settle(pg: Page, extra_ms: int = 0) -> None:
    """Until Streamlit has finished every rerun the last actions started (status widget gone twice)."""
    settle_once(pg, extra_ms, rounds=2)


def canvas_box(pg: Page, timeout_s: float = 30) -> dict:
    """Where the board's canvas is on the screen, as a person finds it: the one board shown now."""
    canvas = pg.locator(f"{BOARD} canvas").filter(visible=True)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if canvas.count() == 1:
                canvas.scroll_into_view_if_needed(timeout=2000)
                box = canvas.bounding_box(timeout=2000)
                if box and box["width"] > 300:
                    return box
        except PlaywrightError:
            pass
        pg.wait_for_timeout(100)
    raise AssertionError(f"no single board shown for {timeout_s:.0f} s; the page shows: {page_state(pg)}")


def page_state(pg: Page) -> str:
    """A short account of the page, for failure messages: boards, error boxes, notices, the current step."""
    boards = pg.locator(BOARD)
    errors = pg.get_by_test_id("stException").all_inner_texts()
    errors += pg.locator('[class*="st-key-notice-"]').all_inner_texts()
    heads = pg.get_by_role("heading", name=re.compile(r"^Step \d+:")).all_inner_texts()
    return (f"{boards.count()} board(s), {boards.filter(visible=True).count()} visible; "
            f"headings {heads}; boxes: {[e[:150] for e in errors]}")


def drag(pg: Page, x: float, y: float, w: float, h: float, moves: int = 15) -> tuple[float, float, float, float]:
    """A person's drag from (x, y) to (x + w, y + h), in input pixels: mouse down, small moves with
    tiny waits, mouse up. Returns the box the mouse drew, in input pixels."""
    return drag_on(pg, canvas_box(pg), (BOARD_INPUT_PX, BOARD_INPUT_PX), (x, y), (w, h), moves, pause_ms=12)


def listed_rois(pg: Page) -> list[tuple[int, tuple[float, ...]]] | None:
    """``[(k, (x, y, w, h)), ...]`` from ``.st-key-roi-list``; None if the page has no such list."""
    lst = pg.locator(".st-key-roi-list")
    if lst.count() == 0:
        return None
    return [(int(m[1]), tuple(float(v) for v in m.groups()[1:])) for m in ROI_LINE.finditer(lst.first.inner_text())]


def page_rois_hint(pg: Page) -> str:
    """What the page says about its RoIs beside the list, for the failure messages."""
    follow = pg.get_by_label("The walkthrough follows")
    parts = []
    if follow.count():
        parts.append(f'"The walkthrough follows" = {follow.first.input_value()!r}')
    parts.append("number inputs x, y, w, h = " + str(tuple(numbers(pg))))
    return "; ".join(parts)


def numbers(pg: Page) -> list[float | None]:
    out = []
    for name in "xywh":
        field = pg.locator(f'input[aria-label="{name}"]')
        out.append(float(field.input_value()) if field.count() else None)
    return out


def fmt(box) -> str:
    return "(" + ", ".join(f"{v:.0f}" for v in box) + ")"


def describe(drawn: list, shown) -> str:
    if shown is None:
        shown_text = "no element with class st-key-roi-list on the page"
    else:
        shown_text = "; ".join(f"RoI {k}: {fmt(b)}" for k, b in shown) or "an empty list"
    return f"drawn: {', '.join(fmt(b) for b in drawn)}\n  the page lists: {shown_text}"


def near(a: float, b: float) -> bool:
    return abs(a - b) <= TOL


def problem_lines(text: str) -> list[str]:
    """Our tracebacks (helpers.tracebacks) and any line naming an error, less a dropped websocket's noise."""
    from helpers import tracebacks

    errors = [line for line in text.splitlines()
              if "Error" in line and "Traceback" not in line and 'Need to call "accept" first' not in line]
    return [b.splitlines()[0] for b in tracebacks(text)] + errors


def assert_clean_log(server: Server, since: int) -> None:
    new = server.log()[since:]
    bad = problem_lines(new)
    assert not bad, "the server logged an error during this test:\n" + "\n".join(bad[:20]) + \
        "\n--- log since the test began ---\n" + new[-4000:]


def log_note(server: Server, since: int) -> str:
    bad = problem_lines(server.log()[since:])
    return ("\n  server log: " + " | ".join(bad[:6])) if bad else ""


# ------------------------------------------------------------------------------ tests
# Non-overlapping boxes above the first RoI (296, 192, 200, 145), in input pixels.
HUMAN_BOXES = [(20, 20, 60, 45), (110, 20, 60, 45), (200, 20, 60, 45), (290, 20, 60, 45)]
QUICK_BOXES = [(20, 100, 60, 45), (110, 100, 60, 45), (200, 100, 60, 45), (290, 100, 60, 45)]


@pytest.mark.parametrize("round_", range(REPEAT), ids=lambda r: f"round{r + 1}")
def test_four_boxes_at_a_human_pace_and_four_quickly(page, server, log_mark, round_):
    drawn = []
    for box in HUMAN_BOXES:
        drawn.append(drag(page, *box))
        page.wait_for_timeout(2000)  # a person looks before drawing the next one
    for box in QUICK_BOXES:
        drawn.append(drag(page, *box))  # no wait between drags
    settle(page, extra_ms=3000)

    shown = listed_rois(page)
    msg = describe(drawn, shown) + "\n  " + page_rois_hint(page) + log_note(server, log_mark)
    assert shown is not None, "the page has no RoI list (.st-key-roi-list)\n  " + msg
    assert len(shown) == 1 + len(drawn), f"expected {1 + len(drawn)} RoIs (the first one and 8 drawn), " \
        f"the page lists {len(shown)}\n  " + msg
    lost = [b for b in drawn if not any(near(b[0], s[0]) and near(b[1], s[1]) for _, s in shown)]
    assert not lost, f"drawn boxes missing from the list: {', '.join(fmt(b) for b in lost)}\n  " + msg

    # The editor follows the last box drawn, and does not move by itself afterwards.
    readings = []
    for _ in range(6):
        readings.append(numbers(page))
        page.wait_for_timeout(500)
    last = drawn[-1]
    assert all(near(v, e) for v, e in zip(readings[0], last)), \
        f"x, y, w, h show {readings[0]}, not the last drawn box {fmt(last)}\n  " + msg
    assert all(r == readings[0] for r in readings), f"x, y, w, h changed by themselves over 3 s: {readings}"
    assert_clean_log(server, log_mark)


def test_next_five_times_quickly_lands_on_step_6(page, server, log_mark):
    """Five clicks on Next 33 ms apart (a held → key), on a fresh session each time: step 6, every run."""
    landed = []
    for run in range(QUICK_RUNS):
        if run:
            page.goto(server.url)  # a new session, on step 1
            expect(page.get_by_text("Step 1: Image and RoIs")).to_be_visible(timeout=120_000)
            settle(page)
        nxt = page.get_by_role("button", name="Next step")
        for _ in range(5):
            nxt.click()  # waits for the button to be enabled, not for the server
            page.wait_for_timeout(CLICK_GAP_MS)
        settle(page)
        headings = page.get_by_role("heading", name=re.compile(r"^Step \d+:")).all_inner_texts()
        landed.append(headings)
        assert page.get_by_text("Step 6: Output and coverage").is_visible(), \
            f"run {run + 1}: after 5 clicks on Next 33 ms apart the page shows {headings}, not step 6 " \
            f"(runs so far: {landed})" + log_note(server, log_mark)
        assert nxt.is_disabled(), f"Next is still enabled on {headings}"
        assert "step=6" in page.url, f"the address bar did not follow: {page.url}"
    assert len(landed) == QUICK_RUNS
    assert_clean_log(server, log_mark)


def test_drag_while_the_server_is_busy(page, server, log_mark):
    field = page.locator('input[aria-label="x"]')
    old_x = float(field.input_value())
    new_x = old_x - 46  # 296 -> 250: RoI 1 stays inside the image
    field.fill(f"{new_x:g}")
    field.press("Enter")
    drawn = drag(page, 30, 30, 80, 60)  # at once: the rerun for the new x is still running
    settle(page, extra_ms=3000)

    shown = listed_rois(page)
    msg = (f"typed x = {new_x:g} for RoI 1, then " + describe([drawn], shown) + "\n  " + page_rois_hint(page)
           + log_note(server, log_mark))
    assert shown is not None, "the page has no RoI list (.st-key-roi-list)\n  " + msg
    assert len(shown) == 2, f"expected 2 RoIs (RoI 1 with the typed x, and the drawn box), " \
        f"the page lists {len(shown)}\n  " + msg
    first = dict(shown)[1] if 1 in dict(shown) else shown[0][1]
    assert abs(first[0] - new_x) <= 0.5, f"the typed x was lost: RoI 1 is {fmt(first)}\n  " + msg
    assert any(near(drawn[0], s[0]) and near(drawn[1], s[1]) for _, s in shown), \
        f"the drawn box was lost\n  " + msg
    assert_clean_log(server, log_mark)


FOLLOWED = re.compile(r"RoI\s+(\d+):\s*\(([^)]*)\)\s*← the lesson follows it")


def live(pg: Page) -> dict:
    """What the board computes in the browser: its ``data-live`` JSON (the followed box, ``active``, ``count``)."""
    return json.loads(pg.locator(BOARD).get_attribute("data-live"))


def followed_by_lesson(pg: Page) -> tuple[int, tuple[float, ...]] | None:
    """``(k, box)`` of the line "RoI k: (x, y, w, h) ← the lesson follows it" in the page's RoI list."""
    m = FOLLOWED.search(pg.locator(".st-key-roi-list").first.inner_text())
    return (int(m[1]), tuple(float(v) for v in m[2].split(","))) if m else None


def wait_lesson_follows(pg: Page, k: int, box=None, timeout_s: float = 60) -> None:
    """Until the lesson's list says it follows RoI ``k`` (and, if given, that RoI is ``box``)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        got = followed_by_lesson(pg)
        if got and got[0] == k and (box is None or tuple(float(v) for v in box) == got[1]):
            return
        pg.wait_for_timeout(100)
    raise AssertionError(f"the lesson should follow RoI {k} {box or ''}; the page says {followed_by_lesson(pg)}")


def edge_colours(pg: Page, box) -> list[list[int]]:
    """The board's pixels along a box's left edge (input pixels), away from its number tag (above a box that
    starts low enough) and its middle handle."""
    bb = canvas_box(pg)
    k = bb["width"] / BOARD_INPUT_PX
    x, y, w, h = box
    fractions = [f / 40 for f in range(6, 16)] + [f / 40 for f in range(25, 35)]  # every ~2.5 % of the side
    points = [(bb["x"] + x * k, bb["y"] + (y + h * f) * k) for f in fractions]
    return pg.locator(f"{BOARD} canvas").evaluate(
        """(c, pts) => { const r = c.getBoundingClientRect(), g = c.getContext('2d');
             return pts.map(([sx, sy]) => Array.from(g.getImageData(Math.round((sx - r.left) * c.width / r.width),
                                               Math.round((sy - r.top) * c.height / r.height), 1, 1).data)); }""",
        points)


def highlighted(pg: Page, box) -> bool:
    """The followed RoI's outline: solid magenta all along its edge."""
    return all(p[0] > 150 and p[1] < 80 and p[2] > 80 for p in edge_colours(pg, box))


def plain(pg: Page, box) -> bool:
    """Another RoI's outline: dashed yellow (some of the points fall in its gaps), no magenta."""
    colours = edge_colours(pg, box)
    # Yellow by its hue, not its brightness: the followed RoI's geometry may shade the cells under another RoI.
    return any(p[0] > 100 and 0.6 * p[0] < p[1] < 0.95 * p[0] and p[2] < 0.3 * p[0] for p in colours) and \
        not any(p[0] > 150 and p[1] < 80 and p[2] > 80 for p in colours)


def test_the_followed_box_is_the_highlighted_one(page, server, log_mark):
    """After each drawn box, after a pick in the list and after a click on a box, the board highlights the RoI
    the lesson follows: the board's ``active``, its magenta outline and "RoI k ← the lesson follows it" agree."""
    article = (296, 192, 200, 145)
    drawn = []
    for n, spot in enumerate([(20, 40), (110, 40), (200, 40)], start=2):
        drag(page, *spot, 60, 100)  # tall enough that the edge has room between the tag and the handles
        state = live(page)
        assert state["count"] == n and state["active"] == n - 1, state
        drawn.append(tuple(state["box"]))
        wait_lesson_follows(page, n, state["box"])
        settle(page)
        assert live(page)["active"] == n - 1, f"the board stopped following RoI {n} after the rerun: {live(page)}"
        assert highlighted(page, drawn[-1]), f"RoI {n}, followed, is not highlighted: {edge_colours(page, drawn[-1])}"
        if n == 3:
            pg_shot = ROOT / "artifacts" / "screenshots" / "page-followed-box.png"
            pg_shot.parent.mkdir(parents=True, exist_ok=True)
            page.locator(BOARD).screenshot(path=str(pg_shot))
        for b in [article, *drawn[:-1]]:
            assert plain(page, b), f"RoI {b} is highlighted too, or not drawn: {edge_colours(page, b)}"

    # The list's picker: Python hands the board the new followed RoI.
    picker = page.get_by_test_id("stSelectbox").filter(has_text="The walkthrough follows").locator("input")
    picker.click()
    picker.press_sequentially("RoI 1", delay=30)
    picker.press("Enter")
    wait_lesson_follows(page, 1, article)
    settle(page)
    assert live(page)["active"] == 0 and live(page)["box"] == list(article), live(page)
    assert highlighted(page, article) and all(plain(page, b) for b in drawn)

    # A click on a box follows it.
    bb = canvas_box(page)
    k = bb["width"] / BOARD_INPUT_PX
    x, y, w, h = drawn[0]
    page.mouse.click(bb["x"] + (x + w / 2) * k, bb["y"] + (y + h / 2) * k)
    assert live(page)["active"] == 1
    wait_lesson_follows(page, 2, drawn[0])
    settle(page)
    assert live(page)["active"] == 1 and highlighted(page, drawn[0]) and plain(page, article)
    assert_clean_log(server, log_mark)


def test_keyboard_only_drawing_and_editing_updates_the_lesson(page, server, log_mark):
    """Tab to the board; A adds a box, the arrows move it, Alt+arrows resize it, N follows another, Delete
    removes one: the board's live geometry, the list, the fields and the lesson follow, and the step stays."""
    board = page.locator(BOARD)
    for _ in range(200):  # Tab through the sidebar and the page until the board has the focus
        page.keyboard.press("Tab")
        if board.evaluate("el => el.getRootNode().activeElement === el"):
            break
    else:
        pytest.fail("Tab never reached the board")
    assert board.evaluate("el => getComputedStyle(el).outlineStyle") == "solid", "no visible focus ring"

    page.keyboard.press("a")  # a new box in the middle of the photo, followed
    assert live(page)["box"] == [171, 171, 171, 171] and live(page)["active"] == 1 and live(page)["count"] == 2
    wait_lesson_follows(page, 2, (171, 171, 171, 171))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Shift+ArrowLeft")  # one stride: 32 pixels
    page.keyboard.press("Alt+ArrowRight")
    page.keyboard.press("Alt+Shift+ArrowUp")
    want = [172 - 32, 172, 172, 171 - 32]
    assert live(page)["box"] == want, live(page)
    wait_lesson_follows(page, 2, want)
    settle(page)
    assert numbers(page) == [float(v) for v in want], "the fields do not show the keyed box"
    expect(page.get_by_text(f"x = {want[0]}, y = {want[1]}, size w = {want[2]} × h = {want[3]}")).to_be_visible()
    expect(page.get_by_role("heading", name="Step 1: Image and RoIs")).to_be_visible()  # the arrows left the step

    assert board.evaluate("el => el.getRootNode().activeElement === el"), "the rerun took the focus off the board"
    page.keyboard.press("n")  # follow RoI 1 again
    assert live(page)["active"] == 0
    wait_lesson_follows(page, 1, (296, 192, 200, 145))
    page.keyboard.press("Delete")  # the followed RoI 1 goes; the keyed box is left, and followed
    assert live(page)["count"] == 1 and live(page)["box"] == want
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(listed_rois(page) or []) != 1:
        page.wait_for_timeout(100)
    assert [b for _, b in listed_rois(page)] == [tuple(float(v) for v in want)], listed_rois(page)
    wait_lesson_follows(page, 1, want)
    page.keyboard.press("Delete")  # never the last box
    assert live(page)["count"] == 1
    settle(page)
    assert len(listed_rois(page)) == 1
    expect(page.get_by_role("heading", name="Step 1: Image and RoIs")).to_be_visible()
    assert_clean_log(server, log_mark)


def test_the_server_log_stayed_clean_through_the_module(server):
    """Last in the module: a test that failed early never reached its own log check; this one reads it all."""
    bad = problem_lines(server.log())
    assert not bad, "the server logged errors during this module:\n" + "\n".join(bad[:20])
