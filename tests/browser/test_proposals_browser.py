"""The Proposals view in Chromium: a link opens it, its figures load, a picked proposal is walked through.

Screenshots (1366 × 768 and 1920 × 1080, two photos) go to ``artifacts/screenshots/``.
"""
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from helpers import SHOTS, settle

FIGURES = 4  # the proposals on the photo (inline SVG), the distribution, coverage against size, the pyramid
FIGURE = '[data-testid="stMainBlockContainer"] img.roi-figure, [data-testid="roi-figure"] svg'


def open_view(browser, server, query: str, width: int, height: int):
    pg = browser.new_page(viewport={"width": width, "height": height})
    pg.set_default_timeout(180_000)
    pg.goto(f"{server}/?{query}")
    expect(pg.get_by_text(re.compile(r"proposed [\d,]+ boxes"))).to_be_visible()
    settle(pg, timeout=180_000)
    lesson = pg.locator(FIGURE)
    expect(lesson).to_have_count(FIGURES)
    pg.wait_for_function("() => [...document.querySelectorAll('img.roi-figure')]"
                         ".every(i => i.complete && i.naturalWidth > 0)")
    return pg


@pytest.mark.parametrize("sample", ["astronaut", "chelsea"])
def test_screens_of_the_view(server, browser, sample):
    for width, height in ((1366, 768), (1920, 1080)):
        pg = open_view(browser, server, f"view=proposals&img={sample}", width, height)
        assert "view" in parse_qs(urlparse(pg.url).query)
        pg.screenshot(path=str(SHOTS / f"proposals-{sample}-{width}.png"))
        # The view leads with both settings side by side, then names its own: the article's, on a bare link.
        table = pg.locator('[data-testid="stMarkdownContainer"] table').filter(has_text="Fast R-CNN's setting")
        expect(table).to_have_count(1)
        table.scroll_into_view_if_needed()
        expect(table.get_by_role("cell", name="Output all zeros")).to_be_visible()
        expect(pg.get_by_role("heading", name=re.compile("^At the article's setting: pool5"))).to_have_count(1)
        pg.wait_for_timeout(300)
        pg.screenshot(path=str(SHOTS / f"proposals-{sample}-{width}-lead.png"))
        figures = pg.locator(FIGURE)
        for n in range(FIGURES):  # Streamlit scrolls inside its own container: each figure is brought on screen
            figures.nth(n).scroll_into_view_if_needed()
            pg.wait_for_timeout(300)
            pg.screenshot(path=str(SHOTS / f"proposals-{sample}-{width}-figure{n + 1}.png"))
        pg.close()


def test_a_picked_proposal_is_walked_through(server, browser):
    pg = open_view(browser, server, "view=proposals", 1366, 768)
    expect(pg.get_by_text("2,000 boxes", exact=False).first).to_be_visible()
    box = pg.locator('[data-testid="stSelectbox"]').filter(has_text="Pick a proposal")
    # The chosen option shows as text or as the value of the box's input, depending on Streamlit's version.
    picked = box.evaluate("e => e.innerText + ' ' + [...e.querySelectorAll('input')].map(i => i.value).join(' ')")
    found = re.search(r"\((\d+), (\d+), (\d+) × (\d+)\)", picked)
    assert found, picked
    x, y, w, h = found.groups()
    pg.get_by_role("button", name="Follow it in the walkthrough").click()
    settle(pg, timeout=180_000)
    expect(pg.get_by_role("heading", name="Step 1: Image and RoIs")).to_be_visible()
    expect(pg.get_by_text(f"x = {x}, y = {y}, size w = {w} × h = {h}").first).to_be_visible()
    rois = parse_qs(urlparse(pg.url).query)["roi"]
    assert f"{x}_{y}_{w}_{h}" in rois, rois  # the link carries the new RoI, now the active one
    pg.close()


def test_the_photo_of_proposals_is_inline_svg_in_the_measured_font(server, browser):
    """The described figure on the page: an image with its text alternative, every text a text element in the
    font it was measured in (the shipped DejaVu Sans, loaded from the page's static files), at least 12 px on a
    1366 x 768 laptop, and each box answering a hover with its number, box and share."""
    from roi_viz.picture import fonts

    pg = open_view(browser, server, "view=proposals", 1366, 768)
    expect(pg.locator('[data-testid="roi-figure"] svg')).to_have_count(FIGURES)  # the photo first
    fig = pg.locator('[data-testid="roi-figure"] svg').first
    expect(fig).to_have_attribute("role", "img")
    expect(fig).to_have_attribute("aria-label", re.compile(r"^The photo with the 20 worst and the 20 best of"))
    for kind in ("worst", "best"):
        expect(fig.locator(f'rect[data-kind="{kind}"]')).to_have_count(20)
    fig.scroll_into_view_if_needed()
    pg.wait_for_function("() => [...document.fonts].some(f => f.family.replace(/\"/g, '') === 'DejaVu Sans' "
                         "&& f.status === 'loaded')", timeout=60_000)
    loaded = pg.evaluate("() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
    assert any("DejaVu Sans" in f for f in loaded), loaded
    scale = fig.evaluate("s => s.getBoundingClientRect().width / s.viewBox.baseVal.width")
    texts = fig.evaluate("s => [...s.querySelectorAll('text')].map(t => ({text: t.textContent, "
                         "size: +t.getAttribute('font-size'), bold: t.getAttribute('font-weight') === 'bold', "
                         "length: t.getComputedTextLength()}))")
    assert any(t["text"].startswith("the 20 worst: keep") for t in texts), texts
    for t in texts:  # what the description measured is what the browser draws
        want = fonts.width(t["text"], t["size"], "bold" if t["bold"] else "normal")
        assert abs(t["length"] - want) <= max(0.5, 0.01 * want), (t, want)
        assert t["size"] * scale >= 12, f"{t['text']!r} is {t['size'] * scale:.1f} px on the page"
    # A mouse on a box's outline (boxes overlap: the first worst box whose left edge is its own at its middle).
    spot = fig.evaluate("""s => { const root = s.getRootNode();
        for (const [i, r] of [...s.querySelectorAll('rect[data-kind="worst"]')].entries()) {
          const b = r.getBoundingClientRect(), x = b.left + 0.5, y = b.top + b.height / 2;
          if (root.elementFromPoint(x, y) === r) return {i, x, y}; }
        return null; }""")
    assert spot is not None, "no worst box can be reached by the mouse"
    pg.mouse.move(spot["x"], spot["y"])
    hovered = fig.locator('rect[data-kind="worst"]').nth(spot["i"])
    assert hovered.evaluate("r => r.matches(':hover')")
    title = hovered.evaluate("r => r.querySelector('title').textContent")
    assert re.fullmatch(r"Proposal \d+: \(\d+, \d+, \d+, \d+\) px, keeps \d+(\.\d)? %", title), title
    pg.screenshot(path=str(SHOTS / "proposals-svg-1366.png"))
    pg.close()
