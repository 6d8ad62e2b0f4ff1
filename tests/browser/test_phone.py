"""The page on a phone, in Chromium's mobile emulation: 390 × 844 and 412 × 915, portrait, a finger for a mouse.

A student's phone is emulated as Chromium emulates one (``is_mobile``, touch, three device pixels per CSS
pixel, a phone's user agent). A finger's drag is sent as real touch events through the DevTools protocol
(``Input.dispatchTouchEvent``: touchStart, several touchMove, touchEnd), which is what a touchscreen
sends; Playwright's own ``touchscreen`` only taps. What is checked is what the student sees: the board's
boxes (its ``data-live`` JSON) and Python's list of them, the step's heading after a tap, the page's width
against the screen's, the size of its words and of its tap targets, and axe's WCAG 2.1 AA audit.
Screenshots at 390 × 844 go to ``artifacts/screenshots/phone-*.png``.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from helpers import BOARD, SHOTS, figures_shown, live, settle, step_figure
from roi_viz.lesson.views import VIEWS

axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                 reason="pip install axe-playwright-python (the test extras)")

PHONES = [(390, 844), (412, 915)]
UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/126.0.0.0 Mobile Safari/537.36")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MAIN = '[data-testid="stMain"]'
FOLLOWED = re.compile(r"RoI (\d+): \((\d+), (\d+), (\d+), (\d+)\) ← the lesson follows it")


def new_phone(browser, w: int, h: int):
    """A fresh phone of ``w`` × ``h`` CSS pixels (its own session), and the script errors its page meets."""
    ctx = browser.new_context(viewport={"width": w, "height": h}, device_scale_factor=3, is_mobile=True,
                              has_touch=True, user_agent=UA)
    pg = ctx.new_page()
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    return ctx, pg, errors


@pytest.fixture(params=PHONES, ids=lambda s: f"{s[0]}x{s[1]}")
def phone(browser, request):
    """Each phone: ``(page, (width, height))``."""
    ctx, pg, errors = new_phone(browser, *request.param)
    yield pg, request.param
    ctx.close()
    assert not errors, errors


@pytest.fixture
def phone390(browser):
    """The narrower phone's page alone."""
    ctx, pg, errors = new_phone(browser, 390, 844)
    yield pg
    ctx.close()
    assert not errors, errors


def open_page(pg, url: str) -> None:
    pg.goto(url)
    figures_shown(pg)  # a picture, or one painted as inline SVG (the comparison, the sliding box)


def fingers(pg):
    """The DevTools session that touches the page."""
    return pg.context.new_cdp_session(pg)


def touch(cdp, kind: str, points: list[tuple[float, float]]) -> None:
    """One touch event; ``points``: every finger on the glass (finger n has id n), as a touchscreen reports them."""
    cdp.send("Input.dispatchTouchEvent",
             {"type": kind, "touchPoints": [{"x": x, "y": y, "id": n} for n, (x, y) in enumerate(points)]})


def finger_drag(pg, a: tuple[float, float], b: tuple[float, float], steps: int = 10) -> None:
    """One finger from screen point ``a`` to ``b`` (CSS pixels), in small moves a frame apart."""
    cdp = fingers(pg)
    touch(cdp, "touchStart", [a])
    for k in range(1, steps + 1):
        touch(cdp, "touchMove", [(a[0] + (b[0] - a[0]) * k / steps, a[1] + (b[1] - a[1]) * k / steps)])
        pg.wait_for_timeout(16)
    touch(cdp, "touchEnd", [])
    cdp.detach()


class Photo:
    """Input pixels of the 512 × 512 input to screen points on the board's canvas, as the board maps back."""

    def __init__(self, pg):
        canvas = pg.locator(f"{BOARD} canvas")
        canvas.scroll_into_view_if_needed()
        pg.wait_for_timeout(300)
        self.bb = canvas.bounding_box()
        self.k = self.bb["width"] / 512  # CSS pixels per input pixel

    def at(self, x: float, y: float) -> tuple[float, float]:
        return self.bb["x"] + x * self.k, self.bb["y"] + y * self.k


def followed(pg) -> tuple[int, list[int]]:
    """What Python holds, as the page lists it: the followed RoI's number and box."""
    text = pg.locator(f'{MAIN} [data-testid="stMarkdownContainer"] li', has_text="the lesson follows it").inner_text()
    m = FOLLOWED.search(text)
    assert m, text
    return int(m.group(1)), [int(v) for v in m.groups()[1:]]


def wait_followed(pg, want_n: int, want_box: list[int]) -> None:
    for _ in range(240):
        try:
            n, box = followed(pg)
            if n == want_n and box == want_box:
                return
        except Exception:  # the list is being redrawn
            pass
        pg.wait_for_timeout(250)
    raise AssertionError(f"Python never listed RoI {want_n} {want_box}; it lists {followed(pg)}")


def scrolled(pg) -> float:
    return pg.evaluate(f"document.querySelector('{MAIN}').scrollTop")


def sideways(pg) -> dict:
    """How far the page reaches past the screen's width: the document's and Streamlit's scrolling main area's."""
    return pg.evaluate(f"""() => {{
        const main = document.querySelector('{MAIN}');
        return {{doc: document.documentElement.scrollWidth - window.innerWidth, main: main.scrollWidth - main.clientWidth,
                 scroll_x: main.scrollLeft + window.scrollX}};
    }}""")


def assert_no_sideways(pg, where: str) -> None:
    got = sideways(pg)
    assert got["doc"] <= 0 and got["main"] <= 0 and got["scroll_x"] == 0, f"{where}: the page scrolls sideways {got}"


# ------------------------------------------------------------------ the board, with a finger

def test_a_finger_draws_a_box_on_the_photo_and_moves_it(server, phone):
    pg, (w, h) = phone
    open_page(pg, server + "/")
    assert pg.evaluate("matchMedia('(pointer: coarse)').matches"), "the emulated phone has a touchscreen"
    assert pg.locator(f"{BOARD} canvas").evaluate("c => getComputedStyle(c).touchAction") == "none"
    photo = Photo(pg)
    top = scrolled(pg)
    # Empty photo, top left (the article's RoI sits bottom right): a finger draws RoI 2.
    finger_drag(pg, photo.at(40, 40), photo.at(200, 160))
    drawn = live(pg)
    assert drawn["count"] == 2 and drawn["active"] == 1, drawn
    assert all(abs(g - e) <= 2 for g, e in zip(drawn["box"], [40, 40, 160, 120])), drawn["box"]
    assert scrolled(pg) == top, "the finger scrolled the page instead of drawing"
    ring = pg.locator(BOARD).evaluate("b => getComputedStyle(b).outlineStyle")
    assert ring == "none", f"a finger's touch rings the photo with the keyboard's focus outline ({ring})"
    wait_followed(pg, 2, drawn["box"])
    x, y = drawn["box"][:2]
    expect(pg.get_by_text(re.compile(rf"RoI 2 of 2: top-left corner x = {x}, y = {y}\b"))).to_be_visible()
    if w == 390:
        settle(pg)
        pg.locator(f"{BOARD} canvas").scroll_into_view_if_needed()
        pg.screenshot(path=str(SHOTS / "phone-390-drawn.png"))
    # A finger on the new box's middle moves it; its size stays.
    photo = Photo(pg)
    finger_drag(pg, photo.at(120, 100), photo.at(220, 250))
    moved = live(pg)
    assert moved["count"] == 2 and moved["box"][2:] == drawn["box"][2:], moved
    assert abs(moved["box"][0] - (x + 100)) <= 2 and abs(moved["box"][1] - (y + 150)) <= 2, moved["box"]
    wait_followed(pg, 2, moved["box"])


def test_a_finger_a_little_off_a_corner_still_resizes_the_box(server, phone):
    """A fingertip lands beside the 5 px handle it aims at: 9 CSS px off the corner still takes the handle
    (the mouse's 7 px would miss it and draw a new box instead)."""
    pg, _ = phone
    open_page(pg, server + "/")
    photo = Photo(pg)
    x, y, w, h = live(pg)["box"]
    cx, cy = photo.at(x + w, y + h)  # the bottom-right corner's handle
    start = (cx + 9, cy + 9)  # outside the box, where a finger's middle lands
    finger_drag(pg, start, (start[0] - 40, start[1] - 30))
    now = live(pg)
    assert now["count"] == 1, f"the finger drew a new box instead of resizing RoI 1: {now}"
    assert now["box"][:2] == [x, y], now["box"]
    assert abs(now["box"][2] - (w - 40 / photo.k)) <= 2 and abs(now["box"][3] - (h - 30 / photo.k)) <= 2, now["box"]
    wait_followed(pg, 1, now["box"])
    fields = "() => ['x', 'y', 'w', 'h'].map(n => [...document.querySelectorAll(`input[aria-label=${n}]`)].map(i => i.value))"
    want = [[str(v)] for v in now["box"]]
    for _ in range(240):  # the fields under the list (a rerun shows the old ones for a moment)
        if pg.evaluate(fields) == want:
            break
        pg.wait_for_timeout(250)
    assert pg.evaluate(fields) == want, (pg.evaluate(fields), want)


def test_the_handles_a_finger_takes_are_drawn_large_enough_to_see(server, phone):
    """The followed box's corner handle, white with a black rim, is drawn 10 CSS px wide at least on a phone
    (it was 5.6 px: the canvas's own pixels set its size, and a phone's are small)."""
    pg, _ = phone
    open_page(pg, server + "/")
    photo = Photo(pg)
    x, y, w, h = live(pg)["box"]
    cx, cy = photo.at(x + w, y + h)
    dpr = pg.evaluate("devicePixelRatio")
    canvas = pg.locator(f"{BOARD} canvas")
    # Pixels of the canvas (device pixels) 4 CSS px from the corner's centre, on each diagonal: the handle's fill.
    pixels = canvas.evaluate("""(c, [px, py, d]) => {
        const r = c.getBoundingClientRect(), k = c.width / r.width, g = c.getContext('2d');
        return [[-d, -d], [d, -d], [-d, d], [d, d]].map(([dx, dy]) =>
            Array.from(g.getImageData(Math.round((px - r.left + dx) * k), Math.round((py - r.top + dy) * k), 1, 1).data));
    }""", [cx, cy, 4])
    assert all(p[:3] == [255, 255, 255] for p in pixels), f"the handle is not drawn 4 px around its corner: {pixels} (dpr {dpr})"


def test_a_second_finger_neither_restarts_nor_bends_a_drag(server, phone390):
    pg = phone390
    open_page(pg, server + "/")
    photo = Photo(pg)
    a, b, c = photo.at(40, 40), photo.at(200, 160), photo.at(100, 400)
    cdp = fingers(pg)
    touch(cdp, "touchStart", [a])
    for k in range(1, 6):
        touch(cdp, "touchMove", [(a[0] + (b[0] - a[0]) * k / 10, a[1] + (b[1] - a[1]) * k / 10)])
        pg.wait_for_timeout(16)
    half = (a[0] + (b[0] - a[0]) / 2, a[1] + (b[1] - a[1]) / 2)
    touch(cdp, "touchStart", [half, c])  # a second finger lands on empty photo, and wanders
    for k in range(6, 11):
        touch(cdp, "touchMove", [(a[0] + (b[0] - a[0]) * k / 10, a[1] + (b[1] - a[1]) * k / 10),
                                 (c[0] + 5 * k, c[1] - 5 * k)])
        pg.wait_for_timeout(16)
    touch(cdp, "touchEnd", [b])  # the second finger lifts first
    touch(cdp, "touchEnd", [])
    cdp.detach()
    now = live(pg)
    assert now["count"] == 2, now
    assert all(abs(g - e) <= 2 for g, e in zip(now["box"], [40, 40, 160, 120])), \
        f"the first finger's box is (40, 40, 160, 120); the board holds {now['box']}"
    wait_followed(pg, 2, now["box"])


def test_a_finger_on_the_quizs_photo_scrolls_the_page(server, phone390):
    """The quiz's board is shown, not edited: a swipe on its photo (which fills the phone's width) scrolls the
    page, as on any picture, instead of being swallowed by a board that draws nothing."""
    pg = phone390
    open_page(pg, server + "/?view=quiz")
    photo = Photo(pg)
    before = live(pg)
    assert before.get("read_only") is True, before
    top = scrolled(pg)
    x, y = photo.at(256, 400)
    finger_drag(pg, (x, y), (x, y - 250))
    for _ in range(20):  # the page glides on after the finger lifts
        if scrolled(pg) > top + 100:
            break
        pg.wait_for_timeout(100)
    assert scrolled(pg) > top + 100, f"a swipe on the quiz's photo did not scroll the page ({top} -> {scrolled(pg)})"
    assert live(pg) == before


# ------------------------------------------------------------------ reading the lesson

WORDS = f"""() => [...document.querySelectorAll('{MAIN} *')]
    .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())
                 && e.checkVisibility({{opacityProperty: true, visibilityProperty: true}}))
    .map(e => [parseFloat(getComputedStyle(e).fontSize), e.tagName + ': ' + e.textContent.trim().slice(0, 50)])
    .filter(([size]) => size < 12)"""


def test_the_figure_and_words_fit_the_screen(server, phone):
    pg, (w, h) = phone
    open_page(pg, server + "/")
    assert_no_sideways(pg, "the first screen")
    # On a phone Streamlit's header is opaque: the page's title must start below it, not under it.
    header = pg.locator('[data-testid="stHeader"]').bounding_box()
    title = pg.locator(f"{MAIN} h2").first.bounding_box()
    assert title["y"] >= header["y"] + header["height"], f"the title starts under the header: {title} {header}"
    if w == 390:
        pg.screenshot(path=str(SHOTS / "phone-390-first.png"))
    # Streamlit stacks the columns: the photo above the lesson, each as wide as the screen's column.
    board = pg.locator(BOARD).bounding_box()
    stepper = pg.locator('[data-testid="roi-stepper"]').bounding_box()
    assert 0 <= board["x"] and board["x"] + board["width"] <= w and board["width"] >= w - 64, board
    assert board["y"] + board["height"] <= stepper["y"], "the photo and the lesson sit side by side"
    fig = step_figure(pg)
    fig.scroll_into_view_if_needed()
    pg.wait_for_timeout(300)
    assert_no_sideways(pg, "at the figure")
    box = fig.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= w, f"the figure is wider than the {w} px screen: {box}"
    assert box["width"] >= 0.8 * w, f"the figure is not as wide as the screen allows: {box}"
    if w == 390:
        pg.screenshot(path=str(SHOTS / "phone-390-figure.png"))
    heading = pg.get_by_role("heading", name=re.compile("^Step 1:"))
    heading.scroll_into_view_if_needed()
    assert_no_sideways(pg, "at the words")
    small = pg.evaluate(WORDS)
    assert not small, f"text under 12 px: {small[:5]}"


@pytest.mark.parametrize("query", ["?view=compare", "?out=7&step=6&roi=0_0_512_512"], ids=["compare", "out7"])
def test_tables_of_numbers_fit_the_screen(server, phone, query):
    """The comparison's table of every bin (five columns) and the 7 × 7 output under the figure (its numbers,
    opened): each fits the screen's width, neither pushing the page sideways nor scrolling in a box of its own."""
    pg, (w, h) = phone
    open_page(pg, server + "/" + query)
    numbers = pg.locator(f"{MAIN} summary", has_text="The figure's numbers")
    if "out=7" in query:
        numbers.tap()
        settle(pg)
    tables = pg.locator(f"{MAIN} table")
    assert tables.count() >= 2
    for t in tables.all():
        t.scroll_into_view_if_needed()
        pg.wait_for_timeout(200)
        assert_no_sideways(pg, f"at a table of {query}")
        bb = t.bounding_box()
        assert 0 <= bb["x"] and bb["x"] + bb["width"] <= w, f"a table of {query} runs off the {w} px screen: {bb}"
        inside = t.evaluate("""t => { const box = t.parentElement;
            return box.scrollWidth - box.clientWidth; }""")
        assert inside <= 0, f"a table of {query} scrolls sideways in its own box by {inside} px"
    small = pg.evaluate(WORDS)
    assert not small, f"text under 12 px: {small[:5]}"


# ------------------------------------------------------------------ stepping with a finger

TARGETS = f"""(where = '{MAIN}') => [...document.querySelectorAll(where + ' :is(button, select, input, a, [role=radio], [role=slider], [role=switch], [role=checkbox], label[data-baseweb=radio], label[data-baseweb=checkbox], summary)')]
    .filter(e => e.checkVisibility({{opacityProperty: true, visibilityProperty: true}}))
    // A radio's dot (its label is what a finger takes) and a slider's input, hidden in a 1 px box (its track is)
    .filter(e => !(e.tagName === 'INPUT' && (e.closest('label') || e.parentElement.getBoundingClientRect().width <= 1)))
    .filter(e => !(e.tagName === 'A' && e.closest('p, li')))  // a link inside a sentence (WCAG's inline exception)
    .map(e => {{ const r = e.getBoundingClientRect();
        return [Math.round(r.width), Math.round(r.height), e.tagName + ' ' + (e.getAttribute('aria-label') || e.textContent.trim().slice(0, 30))]; }})
    .filter(([w, h]) => w > 0 && (w < 24 || h < 24))"""


def test_previous_and_next_are_tapped_and_step_the_lesson(server, phone):
    pg, (w, h) = phone
    open_page(pg, server + "/")
    tiny = pg.evaluate(TARGETS)
    assert not tiny, f"tap targets under 24 × 24 px: {tiny[:6]}"
    nxt = pg.get_by_role("button", name="Next step")
    nxt.scroll_into_view_if_needed()
    bb = nxt.bounding_box()
    assert 0 <= bb["x"] and bb["x"] + bb["width"] <= w
    nxt.tap()
    expect(pg.get_by_role("heading", name=re.compile("^Step 2: "))).to_be_visible(timeout=120_000)
    settle(pg)
    on = pg.get_by_role("button", name=re.compile("^On to step 3"))
    on.scroll_into_view_if_needed()
    bb = on.bounding_box()
    assert 0 <= bb["x"] and bb["x"] + bb["width"] <= w and bb["height"] >= 24, bb
    on.tap()
    expect(pg.get_by_role("heading", name=re.compile("^Step 3: "))).to_be_visible(timeout=120_000)
    settle(pg)
    prev = pg.get_by_role("button", name="Previous step")
    prev.scroll_into_view_if_needed()
    prev.tap()
    expect(pg.get_by_role("heading", name=re.compile("^Step 2: "))).to_be_visible(timeout=120_000)
    settle(pg)
    assert pg.locator('[data-testid="roi-stepper"]').get_attribute("data-step") == "2"
    tiny = pg.evaluate(TARGETS)
    assert not tiny, f"tap targets under 24 × 24 px: {tiny[:6]}"


@pytest.mark.parametrize("view", list(VIEWS))
def test_every_view_fits_a_phone(server, phone390, view):
    """Each view at 390 × 844: nothing past the screen's width, no text under 12 px, no tap target under 24 px."""
    pg = phone390
    open_page(pg, server + f"/?view={view}")
    assert_no_sideways(pg, view)
    small = pg.evaluate(WORDS)
    assert not small, f"{view}: text under 12 px: {small[:5]}"
    tiny = pg.evaluate(TARGETS)
    assert not tiny, f"{view}: tap targets under 24 × 24 px: {tiny[:6]}"


def test_the_sidebar_opens_on_a_phone_and_its_targets_take_a_finger(server, phone390):
    pg = phone390
    open_page(pg, server + "/")
    pg.get_by_test_id("stExpandSidebarButton").tap()
    sidebar = pg.get_by_test_id("stSidebarContent")
    expect(sidebar.get_by_role("heading", name="1. Image")).to_be_in_viewport()
    for _ in range(40):  # it slides in
        box = sidebar.bounding_box()
        if box["x"] >= 0:
            break
        pg.wait_for_timeout(100)
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert sidebar.evaluate("s => s.scrollWidth - s.clientWidth") <= 0, "the sidebar scrolls sideways"
    tiny = pg.evaluate(TARGETS, '[data-testid="stSidebarContent"]')
    assert not tiny, f"tap targets under 24 × 24 px in the sidebar: {tiny[:6]}"


# ------------------------------------------------------------------ axe

@pytest.mark.parametrize("query", ["", "?view=compare", "?out=7&step=6&roi=0_0_512_512"], ids=["bare", "compare", "out7"])
def test_the_phone_layout_passes_axe(server, phone390, query):
    pg = phone390
    open_page(pg, server + "/" + query)
    if "out=7" in query:  # the numbers opened: a table of 7 columns on a phone
        pg.locator(f"{MAIN} summary", has_text="The figure's numbers").tap()
        settle(pg)
    result = axe_module.Axe().run(pg, options={"runOnly": {"type": "tag", "values": TAGS}})
    found = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
             for v in result.response["violations"]]
    assert not found, "\n".join(found)


SVG_TEXT = """(holder) => { const s = holder.querySelector('svg'); const k = s.getBoundingClientRect().width /
    s.viewBox.baseVal.width; return {layout: holder.dataset.layout, shown: s.getBoundingClientRect().width,
    smallest: Math.min(...[...s.querySelectorAll('text')].map(t => +t.getAttribute('font-size') * k))}; }"""


@pytest.mark.parametrize("view", ["compare", "slide", "proposals"])
def test_a_described_figure_is_laid_out_for_the_phone(server, browser, view):
    """A figure described as data is drawn for a phone's column (text near its described size, at least 12 px),
    not the laptop's drawing shrunk to 8 px; on a laptop the page's drawing stays."""
    for (w, h), layout in (((390, 844), "narrow"), ((1366, 768), "wide")):
        if layout == "narrow":
            ctx, pg, errors = new_phone(browser, w, h)
        else:
            ctx = browser.new_context(viewport={"width": w, "height": h})
            pg, errors = ctx.new_page(), []
        open_page(pg, server + f"/?view={view}")
        holder = pg.locator('[data-testid="roi-figure"]').first
        holder.scroll_into_view_if_needed()
        expect(holder).to_have_attribute("data-layout", layout, timeout=30_000)
        seen = holder.evaluate(SVG_TEXT)
        assert seen["smallest"] >= 12, f"{view} on {w} px: a text of the figure is {seen['smallest']:.1f} px ({seen})"
        if layout == "narrow":
            assert seen["shown"] <= w, seen
            assert_no_sideways(pg, view)
        ctx.close()
        assert not errors, errors
