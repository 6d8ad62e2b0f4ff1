"""The "Today's detectors" view in Chromium: its three figures are inline SVG images named by their text
alternatives (the article's box: P3, stride 8; where cells read at stride 8; the four deltas), at least 12 px on a
1366 x 768 laptop, and axe finds no WCAG 2.1 A/AA violation on the view.

Screenshots go to ``artifacts/screenshots/detectors-1366*.png``.
"""
import re

import pytest
from playwright.sync_api import expect

from helpers import ARTICLE_ROI, SHOTS, settle
from roi_viz.lesson.detector_words import default_target
from roi_viz.lesson.numbers import eq, num
from roi_viz.ops.pyramid import fpn_level
from roi_viz.ops.regression import BOX_HEAD_WEIGHTS, encode

axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                 reason="pip install axe-playwright-python (the test extras)")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SVG = '.st-key-view-detect [data-testid="roi-figure"] svg'
SHOWN = ("s => { const k = s.getBoundingClientRect().width / s.viewBox.baseVal.width; "
         "return Math.min(...[...s.querySelectorAll('text')].map(t => +t.getAttribute('font-size') * k)); }")


def test_the_view_shows_three_svg_figures_and_axe_is_clean(server, browser):
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.set_default_timeout(180_000)
    pg.goto(f"{server}/?view=detect")
    expect(pg.get_by_role("heading", name=re.compile("^Today's detectors"))).to_be_visible()
    settle(pg)
    figs = pg.locator(SVG)
    expect(figs).to_have_count(3)
    _, _, w, h = ARTICLE_ROI
    k = fpn_level(w, h)
    deltas = encode(ARTICLE_ROI, default_target(ARTICLE_ROI), BOX_HEAD_WEIGHTS)
    tx = f"tx {eq(deltas[0])} {num(deltas[0]).replace('-', '−')}"
    for n, alt in enumerate((f"is pooled from P{k} (stride {2 ** k})", f"stride {2 ** k} px, from each bin's centre",
                             tx)):
        fig = figs.nth(n)
        expect(fig).to_have_attribute("role", "img")
        expect(fig).to_have_attribute("aria-label", re.compile(re.escape(alt)))
        fig.scroll_into_view_if_needed()
        assert fig.evaluate(SHOWN) >= 12 - 0.01, f"figure {n + 1}'s smallest text is under 12 px on the page"
        fig.screenshot(path=str(SHOTS / f"detectors-1366-figure-{n + 1}.png"))
    pg.screenshot(path=str(SHOTS / "detectors-1366.png"), full_page=True)
    result = axe_module.Axe().run(pg, options={"runOnly": {"type": "tag", "values": TAGS}})
    found = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
             for v in result.response["violations"]]
    pg.close()
    assert not found, "\n".join(found)
