"""Presenter mode holds every view, each fitted to a 1920 × 1080 projector; a bad link's notice covers nothing.

Before, ``?view=compare&present=1`` showed the walkthrough's step 1 without a word, and a
bad link's notice was a toast over Export and Next.
"""
import pytest
from playwright.sync_api import expect

from roi_viz.lesson.views import VIEWS
from ui.figure import PRESENT_MIN_PX
from ui.style import PRESENT_CAPTION_PX, PRESENT_CONTROLS_REM
from helpers import SHOTS, idle



@pytest.mark.parametrize("view", [v for v in VIEWS if v != "walk"])
def test_every_view_is_presented_and_fits_the_projector(server, browser, view):
    pg = browser.new_page(viewport={"width": 1920, "height": 1080})
    pg.goto(f"{server}/?view={view}&present=1")
    heading = VIEWS[view][1]
    expect(pg.get_by_role("heading", name=heading)).to_be_visible(timeout=180_000)
    assert pg.locator('[data-testid="stSidebar"]').bounding_box()["width"] < 10, "the sidebar is folded away"
    assert pg.get_by_role("heading", name="Walkthrough: RoI pooling").count() == 0, "not the walkthrough instead"
    idle(pg, 180_000)
    # A picture (img) or a described figure painted as inline SVG (vector: sharp at any size).
    figures = pg.locator(f'.st-key-view-{view} img.roi-figure, .st-key-view-{view} [data-testid="roi-figure"] svg')
    expect(figures.first).to_be_visible(timeout=180_000)  # every view has a figure
    idle(pg, 180_000)
    sizes = []
    for n in range(figures.count()):
        fig = figures.nth(n)
        vector = fig.evaluate("(e) => e.tagName.toLowerCase() === 'svg'")
        if not vector:
            pg.wait_for_function("(i) => i.complete && i.naturalWidth > 0", arg=fig.element_handle(), timeout=60_000)
        box = fig.bounding_box()
        if n == 0 or view in ("field", "train"):  # the main figure (two side by side), whole on the first screen
            assert box["y"] + box["height"] <= 1080 + 1, f"{view}'s figure runs past the first screen: {box}"
        assert box["width"] <= 1920 and box["height"] <= 1080 - 100, f"figure {n + 1} of {view} does not fit: {box}"
        assert box["width"] >= 600 or box["height"] >= 600, f"figure {n + 1} of {view} is not as large as it can be: {box}"
        if vector:  # drawn for the slide: its smallest text at least 18 px as shown
            smallest = fig.evaluate("(s) => Math.min(...[...s.querySelectorAll('text')].map(t => "
                                    "+t.getAttribute('font-size'))) * s.getBoundingClientRect().width / "
                                    "s.viewBox.baseVal.width")
            assert smallest >= PRESENT_MIN_PX - 0.01, f"{view}: a text of figure {n + 1} is {smallest:.1f} px"
            continue
        natural = fig.evaluate("(i) => i.naturalWidth")
        room = fig.evaluate("(i) => i.parentElement.getBoundingClientRect().width")
        sizes.append((round(box["width"]), round(box["height"]), natural, round(room)))
    tallest = 1080 - PRESENT_CONTROLS_REM * 16  # the style sheet's max-height for a presented figure
    # As large as the screen allows: each figure is drawn at slide resolution (1,000 px or more across) and shown
    # whole, or shrunk only because the screen's height or its column's width stops it.
    for w, h, natural, room in sizes:
        limited = h >= 0.97 * tallest or w >= 0.97 * room
        assert limited or (w >= 0.97 * natural and natural >= 1000), \
            f"{view}: a figure shown {w} × {h} of {natural} px drawn, in {room} px: it could be larger"
    captions = pg.locator(f'.st-key-view-{view} [data-testid="stCaptionContainer"] p')
    for n in range(captions.count()):  # fine print too is read from the back of the room
        size = captions.nth(n).evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= PRESENT_CAPTION_PX, f"a caption of {view} is {size} px"
    if view == "quiz":  # the question stands beside its picture, on the first screen with it
        question = pg.get_by_text("1 of ", exact=False).first.bounding_box()
        picture = figures.first.bounding_box()
        assert question["x"] >= picture["x"] + picture["width"] - 1 and question["y"] < 1080, (question, picture)
    pg.screenshot(path=str(SHOTS / f"present-1920-{view}.png"))
    pg.close()


def test_a_bad_link_in_presenter_mode_is_a_notice_not_a_toast(server, browser):
    pg = browser.new_page(viewport={"width": 1920, "height": 1080})
    pg.goto(f"{server}/?present=1&method=nope")
    notice = pg.locator('[class*="st-key-notice-warning"]')
    expect(notice).to_contain_text("method", timeout=180_000)
    assert pg.locator('[data-testid="stToast"]').count() == 0
    nxt = pg.get_by_role("button", name="Next step")
    expect(nxt).to_be_visible()
    n, b = notice.bounding_box(), nxt.bounding_box()
    overlap = not (n["x"] + n["width"] <= b["x"] or b["x"] + b["width"] <= n["x"] or
                   n["y"] + n["height"] <= b["y"] or b["y"] + b["height"] <= n["y"])
    assert not overlap, "the notice covers Next"
    pg.close()
