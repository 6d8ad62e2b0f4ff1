"""The "What training sees" view in Chromium: a link opens it, both figures load, nothing is logged as a traceback.

Screenshots go to ``artifacts/screenshots/``.
"""
from playwright.sync_api import expect

from conftest import SHOTS

FIGURES = "img.roi-figure"


def test_a_link_opens_the_view_with_its_figures(server, browser):
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.set_default_timeout(120_000)
    pg.goto(server + "/?view=train&method=align")
    expect(pg.get_by_role("heading", name="What training sees: the backward pass")).to_be_visible()
    expect(pg.get_by_text("Download the gradient map (PNG)")).to_be_visible()
    pg.wait_for_function(f"() => [...document.querySelectorAll(\"{FIGURES}\")]"
                         ".filter(i => i.complete && i.naturalWidth > 0).length >= 2")
    expect(pg.get_by_text("RoIAlign: bin", exact=False)).to_have_count(0)  # the titles are in the pictures ...
    expect(pg.get_by_text("to the four cells around each sampling point", exact=False)).to_be_visible()  # ... the words on the page
    for img in pg.locator(FIGURES).all()[-2:]:
        box = img.bounding_box()
        assert box["width"] >= 500, f"a figure is too narrow to read: {box}"
    pg.screenshot(path=str(SHOTS / "train-align-1366.png"), full_page=True)
    assert "view=train" in pg.url and "method=align" in pg.url
    pg.close()
