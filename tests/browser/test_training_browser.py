"""The "What the gradient reaches" view (``view=train``) in Chromium: a link opens it, both figures load, nothing
is logged as a traceback; in presenter mode its words stand beside its figure, on the first screen.

Screenshots go to ``artifacts/screenshots/``.
"""
from pathlib import Path

from playwright.sync_api import expect

from helpers import SHOTS, settle

FIGURES = '[data-testid="roi-figure"] svg'  # described figures, painted as inline SVG
HEADING = "What the gradient reaches: one value followed backwards"


def test_a_link_opens_the_view_with_its_figures(server, browser):
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.set_default_timeout(120_000)
    pg.goto(server + "/?view=train&method=align")
    expect(pg.get_by_role("heading", name=HEADING)).to_be_visible()
    expect(pg.get_by_text("Download the gradient map (PNG)")).to_be_visible()
    expect(pg.locator(FIGURES)).to_have_count(2)
    words = pg.locator('[data-testid="stMarkdownContainer"]')
    expect(words.get_by_text("RoIAlign: bin", exact=False)).to_have_count(0)  # the titles are in the figures ...
    expect(pg.get_by_text("to the four cells around each sampling point", exact=False)).to_be_visible()  # ... the words on the page
    for img in pg.locator(FIGURES).all()[-2:]:
        box = img.bounding_box()
        assert box["width"] >= 500, f"a figure is too narrow to read: {box}"
    with pg.expect_download() as download:  # painted by Matplotlib from the same description
        pg.get_by_text("Download the gradient map (PNG)").click()
    assert Path(download.value.path()).read_bytes()[:4] == b"\x89PNG"
    pg.screenshot(path=str(SHOTS / "train-align-1366.png"), full_page=True)
    assert "view=train" in pg.url and "method=align" in pg.url
    pg.close()


def test_presenter_mode_puts_the_words_beside_the_figure_on_the_first_screen(server, browser):
    pg = browser.new_page(viewport={"width": 1920, "height": 1080})
    pg.set_default_timeout(120_000)
    pg.goto(server + "/?view=train&present=1")
    expect(pg.get_by_role("heading", name=HEADING)).to_be_visible()
    settle(pg)
    figure = pg.locator(f".st-key-view-train {FIGURES}").first
    expect(figure).to_be_visible()
    fig = figure.bounding_box()
    assert fig["y"] + fig["height"] <= 1080 + 1, f"the figure runs past the first screen: {fig}"
    # What the figure follows, where its gradient lands, and what the box's corners are: read on the first screen,
    # to the right of the picture.
    for words in ("What the figures follow.", "stands in for a loss", "x2 = x + w, y2 = y + h", "Where the gradient lands."):
        line = pg.get_by_text(words, exact=False).first
        expect(line).to_be_visible()
        box = line.bounding_box()
        assert box["y"] + box["height"] <= 1080, f"{words!r} is below the first screen: {box}"
        assert box["x"] >= fig["x"] + fig["width"] - 1, f"{words!r} is not beside the figure: {box} vs {fig}"
    # The other figure is one choice away, beside the first.
    pg.get_by_text("The box's derivative as it slides").click()
    settle(pg)
    alt = pg.locator(f".st-key-view-train {FIGURES}").first.get_attribute("aria-label")
    assert alt.startswith("The output of bin"), alt
    pg.screenshot(path=str(SHOTS / "present-1920-train-words.png"))
    pg.close()
