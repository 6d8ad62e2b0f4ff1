"""The Proposals view in Chromium: a link opens it, its figures load, a picked proposal is walked through.

Screenshots (1366 × 768 and 1920 × 1080, two photos) go to ``artifacts/screenshots/``.
"""
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from conftest import SHOTS

FIGURES = 3  # the proposals on the photo, the distribution per method, coverage against size


def settle(pg):
    pg.wait_for_timeout(400)
    pg.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=180_000)
    pg.wait_for_timeout(300)


def open_view(browser, server, query: str, width: int, height: int):
    pg = browser.new_page(viewport={"width": width, "height": height})
    pg.set_default_timeout(180_000)
    pg.goto(f"{server}/?{query}")
    expect(pg.get_by_text(re.compile(r"proposed [\d,]+ boxes"))).to_be_visible()
    settle(pg)
    lesson = pg.locator('[data-testid="stMainBlockContainer"] img.roi-figure')
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
        figures = pg.locator('[data-testid="stMainBlockContainer"] img.roi-figure')
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
    settle(pg)
    expect(pg.get_by_role("heading", name="Step 1: Image and RoIs")).to_be_visible()
    expect(pg.get_by_text(f"x = {x}, y = {y}, size w = {w} × h = {h}").first).to_be_visible()
    rois = parse_qs(urlparse(pg.url).query)["roi"]
    assert f"{x}_{y}_{w}_{h}" in rois, rois  # the link carries the new RoI, now the active one
    pg.close()
