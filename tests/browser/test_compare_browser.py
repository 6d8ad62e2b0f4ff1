"""The comparison and the sliding-box plot in Chromium at 1366 x 768: inline SVG in the lesson column, an image
with its text alternative, every text drawn at least 12 px high and none overlapping another or leaving the
figure (as the browser lays them out), and a hover on an output cell (a marker of the plot) giving its row,
column and value (its method, position and value). Screenshots go to ``artifacts/screenshots/``."""
import re

import pytest

from roi_viz.methods import METHODS
from playwright.sync_api import expect

from helpers import SHOTS, idle

SVG = '[data-testid="roi-figure"] svg'


def open_view(browser, server, view: str, heading: str):
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.set_default_timeout(180_000)
    pg.goto(f"{server}/?view={view}")
    expect(pg.get_by_role("heading", name=heading)).to_be_visible()
    idle(pg, 180_000)
    fig = pg.locator(SVG)
    expect(fig).to_have_count(1)
    fig.scroll_into_view_if_needed()
    pg.wait_for_function("() => [...document.fonts].some(f => f.family.replace(/\"/g, '') === 'DejaVu Sans' "
                         "&& f.status === 'loaded')", timeout=60_000)
    pg.wait_for_timeout(300)
    return pg, fig


def check_texts(fig):
    """Every text as drawn: at least 12 px, inside the figure, clear of every other text."""
    found = fig.evaluate("""s => { const f = s.getBoundingClientRect(), k = f.width / s.viewBox.baseVal.width;
        return {figure: [f.left, f.top, f.right, f.bottom], texts: [...s.querySelectorAll('text')].map(t => {
          const b = t.getBoundingClientRect();
          return {text: t.textContent, px: +t.getAttribute('font-size') * k, box: [b.left, b.top, b.right, b.bottom]};
        })}; }""")
    left, top, right, bottom = found["figure"]
    texts = found["texts"]
    assert texts
    for t in texts:
        assert t["px"] >= 12, f"{t['text']!r} is {t['px']:.1f} px at 1366 x 768"
        x0, y0, x1, y1 = t["box"]
        assert left - 0.5 <= x0 and x1 <= right + 0.5 and top - 0.5 <= y0 and y1 <= bottom + 0.5, t
    # The browser's boxes are the glyphs' line boxes (a little taller than the em box the description measures):
    # two texts may share a pixel row at most.
    for a in range(len(texts)):
        for b in range(a + 1, len(texts)):
            (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = texts[a]["box"], texts[b]["box"]
            assert not (ax0 < bx1 - 0.5 and bx0 < ax1 - 0.5 and ay0 < by1 - 1.5 and by0 < ay1 - 1.5), (texts[a], texts[b])
    return texts


def hover(pg, fig, selector: str) -> str:
    """Move the mouse onto the middle of the first mark matching ``selector`` and return its hover title."""
    spot = fig.evaluate("""(s, sel) => { const root = s.getRootNode();
        for (const [i, r] of [...s.querySelectorAll(sel)].entries()) {
          const b = r.getBoundingClientRect(), x = b.left + b.width / 2, y = b.top + b.height / 2;
          if (root.elementFromPoint(x, y) === r) return {i, x, y}; }
        return null; }""", selector)
    assert spot is not None, f"no {selector} can be reached by the mouse"
    pg.mouse.move(spot["x"], spot["y"])
    mark = fig.locator(selector).nth(spot["i"])
    assert mark.evaluate("r => r.matches(':hover')")
    return mark.evaluate("r => r.querySelector('title').textContent")


def test_the_comparison_is_inline_svg_sized_for_the_column(server, browser):
    pg, fig = open_view(browser, server, "compare", "Compare the methods")
    expect(fig).to_have_attribute("role", "img")
    expect(fig).to_have_attribute("aria-label", re.compile(r"^The (\w+ )?methods side by side on RoI"))
    column = pg.locator('[data-testid="stMainBlockContainer"]').bounding_box()["width"]
    assert fig.bounding_box()["width"] <= column
    texts = check_texts(fig)
    assert any(t["text"] == "RoIAlign" for t in texts)
    # The article's 3 x 3: every value printed, on its own, each the value its cell answers with; or, where one
    # method's values are too wide for the cells (position-sensitive RoIAlign's 0.00565), none, and a note says so.
    expect(fig.locator('rect[data-kind="output"]')).to_have_count(len(METHODS) * 9)  # one column per record
    values = fig.locator('text[data-kind="value"]')
    note = " ".join(fig.locator('text[data-kind="note"]').all_text_contents())
    assert values.count() == len(METHODS) * 9 or (values.count() == 0 and "too small to print their values" in note)
    title = hover(pg, fig, 'rect[data-kind="output"]')
    found = re.fullmatch(r"row (\d+), column (\d+): (\S+)", title)
    assert found, title
    tables = " ".join(pg.locator('[data-testid="stMarkdownContainer"] table').all_inner_texts())
    assert found[3] in tables  # the table of every bin, below the figure, gives the same number
    assert values.count() == 0 or found[3] in values.all_text_contents()
    pg.screenshot(path=str(SHOTS / "compare-svg-1366.png"))
    pg.close()


def test_the_slide_plot_is_inline_svg_sized_for_the_column(server, browser):
    pg, fig = open_view(browser, server, "slide", "Slide the box by fractions of a cell")
    expect(fig).to_have_attribute("role", "img")
    expect(fig).to_have_attribute("aria-label", re.compile(r"^Output value of bin \(0, 0\), channel \d+"))
    texts = check_texts(fig)
    assert {"RoI pooling", "RoIAlign", "RoIWarp", "PrRoI", "output value", "coverage (%)"} <= {t["text"] for t in texts}
    title = hover(pg, fig, 'polygon[data-kind="marker"], circle[data-kind="marker"]')
    assert re.fullmatch(r"(RoI pooling|RoIAlign|RoIWarp|PrRoI), moved [\d.]+ cells: [\d.]+( %)?", title), title
    pg.screenshot(path=str(SHOTS / "slide-svg-1366.png"))
    pg.close()


@pytest.mark.parametrize("view,heading", [("compare", "Compare the methods"),
                                          ("slide", "Slide the box by fractions of a cell")], ids=["compare", "slide"])
def test_fast_rcnns_setting_7_by_7_keeps_every_text_legible(server, browser, view, heading):
    """Fast R-CNN's setting (conv5_3, 7 x 7, its rounding): the cells are too small for the values, so none is
    printed and the figure says where they are; every cell still answers a hover; no text under 12 px."""
    pg, fig = open_view(browser, server, f"{view}&shape=aspect&layer=conv5_3&rule=fastrcnn&out=7", heading)
    check_texts(fig)
    if view == "compare":
        expect(fig.locator('rect[data-kind="output"]')).to_have_count(len(METHODS) * 49)
        values = fig.locator('text[data-kind="value"]').count()
        note = " ".join(fig.locator('text[data-kind="note"]').all_text_contents())
        assert values == len(METHODS) * 49 or (values == 0 and "too small to print their values" in note), (values, note)
        title = hover(pg, fig, 'rect[data-kind="output"]')
        assert re.fullmatch(r"row [0-6], column [0-6]: \S+( \(an empty bin: it outputs 0\))?", title), title
    pg.screenshot(path=str(SHOTS / f"{view}-svg-fastrcnn-1366.png"))
    pg.close()
