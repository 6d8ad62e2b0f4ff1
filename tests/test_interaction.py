"""Drawing and clicking at a person's pace and at a machine's, in Chromium: nothing may be lost.

Starts the real Streamlit server on loopback (its output captured to a file) and drives Debian's
Chromium with Playwright. Every test opens its own fresh page (a new browser context), and ends by
reading what the server logged meanwhile: no "Traceback", no "Error".

The page is expected to list every RoI inside ``.st-key-roi-list``, one line per RoI:
``RoI k: (x, y, w, h)`` in input pixels.

Races show up one run in several: ``ROI_VIZ_REPEAT=10 pytest tests/test_interaction.py`` runs the
drawing test 10 times in a row (each time on a fresh page).
"""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect, sync_playwright

from test_browser import CHROMIUM, FLAGS, start_server

ROOT = Path(__file__).resolve().parent.parent
VIEWPORT = {"width": 1366, "height": 900}
CANVAS_INPUT_PX = 512  # the canvas shows the 512 x 512 model input
REPEAT = int(os.environ.get("ROI_VIZ_REPEAT", "1"))
ROI_LINE = re.compile(r"RoI\s+(\d+):\s*\(\s*([-\d.]+),\s*([-\d.]+),\s*([-\d.]+),\s*([-\d.]+)\s*\)")
IDLE_JS = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
TOL = 3  # pixels
# Quick, but a person's quick: about six clicks a second. Streamlit merges two clicks of one
# button that reach the server while a rerun is still queued (its widget states are coalesced,
# and a button's click is a flag, not a count), so a machine clicking every 30 ms can lose one.
CLICK_GAP_MS = int(os.environ.get("ROI_VIZ_CLICK_GAP_MS", "150"))


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
    for _ in range(2):
        pg.wait_for_timeout(400)
        pg.wait_for_function(IDLE_JS, timeout=120_000)
    pg.wait_for_timeout(300 + extra_ms)


def canvas_box(pg: Page, timeout_s: float = 30) -> dict:
    """Where the drawing canvas is on the screen, as a person finds it: the one shown now.

    The page may remount the canvas while it redraws the RoIs (the old one can stay in the page,
    hidden, or go away under the mouse): look again until one is shown.
    """
    canvas = pg.locator("canvas.upper-canvas").filter(visible=True).first
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            canvas.scroll_into_view_if_needed(timeout=2000)
            box = canvas.bounding_box(timeout=2000)
            if box and box["width"] > 300:
                return box
        except PlaywrightError:
            pass
        pg.wait_for_timeout(100)
    raise AssertionError(f"no drawing canvas shown for {timeout_s:.0f} s; the page shows: {page_state(pg)}")


def page_state(pg: Page) -> str:
    """A short account of the page, for failure messages: canvases, error boxes, the current step."""
    canvases = pg.locator("canvas.upper-canvas")
    errors = pg.get_by_test_id("stException").all_inner_texts() + pg.get_by_test_id("stAlert").all_inner_texts()
    heads = pg.get_by_role("heading", name=re.compile(r"^Step \d+:")).all_inner_texts()
    return (f"{canvases.count()} canvas(es), {canvases.filter(visible=True).count()} visible; "
            f"headings {heads}; boxes: {[e[:150] for e in errors]}")


def drag(pg: Page, x: float, y: float, w: float, h: float, moves: int = 15) -> tuple[float, float, float, float]:
    """A person's drag from (x, y) to (x + w, y + h), in input pixels: mouse down, small moves with
    tiny waits, mouse up. Returns the box the mouse drew, in input pixels."""
    box = canvas_box(pg)
    k = CANVAS_INPUT_PX / box["width"]  # canvas pixels to input pixels
    x0, y0 = box["x"] + x / k, box["y"] + y / k
    x1, y1 = x0 + w / k, y0 + h / k
    pg.mouse.move(x0, y0)
    pg.mouse.down()
    for i in range(1, moves + 1):
        pg.mouse.move(x0 + (x1 - x0) * i / moves, y0 + (y1 - y0) * i / moves)
        pg.wait_for_timeout(12)
    pg.mouse.up()
    return ((x0 - box["x"]) * k, (y0 - box["y"]) * k, (x1 - x0) * k, (y1 - y0) * k)


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
    return [line for line in text.splitlines() if "Traceback" in line or "Error" in line]


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
    nxt = page.get_by_role("button", name="Next ▶")
    for _ in range(5):
        nxt.click()  # waits for the button to be enabled, not for the server
        page.wait_for_timeout(CLICK_GAP_MS)
    settle(page)
    headings = page.get_by_role("heading", name=re.compile(r"^Step \d+:")).all_inner_texts()
    assert page.get_by_text("Step 6: Output and coverage").is_visible(), \
        f"after 5 quick clicks on Next the page shows {headings}, not step 6" + log_note(server, log_mark)
    assert nxt.is_disabled(), f"Next ▶ is still enabled on {headings}"
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


def test_the_server_log_stayed_clean_through_the_module(server):
    """Last in the module: a test that failed early never reached its own log check; this one reads it all."""
    bad = problem_lines(server.log())
    assert not bad, "the server logged errors during this module:\n" + "\n".join(bad[:20])
