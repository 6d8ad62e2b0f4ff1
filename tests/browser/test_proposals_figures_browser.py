"""The proposals' three described figures in Chromium: inline SVG in the measured font, at least 12 px on a
1366 x 768 laptop, each bar and marker answering a hover, and the distribution's download a PNG.

Screenshots go to ``artifacts/screenshots/``.
"""
import re
from pathlib import Path

from playwright.sync_api import expect

from helpers import SHOTS, settle

SVG = '[data-testid="roi-figure"] svg'
# The first element of a kind the mouse reaches (marks overlap): at its centre, or on its left edge where it is
# only an outline (an open marker, a box).
REACHABLE = """(s, [kind, edge]) => { const root = s.getRootNode();
    for (const [i, e] of [...s.querySelectorAll(`[data-kind="${kind}"]`)].entries()) {
      const b = e.getBoundingClientRect(), x = edge ? b.left + 0.2 : b.left + b.width / 2, y = b.top + b.height / 2;
      if (b.width > 2 && b.height > 2 && root.elementFromPoint(x, y) === e) return {i, x, y}; }
    return null; }"""
TEXTS = ("s => { const k = s.getBoundingClientRect().width / s.viewBox.baseVal.width; return [...s.querySelectorAll("
         "'text')].map(t => ({text: t.textContent, size: +t.getAttribute('font-size'), shown: "
         "+t.getAttribute('font-size') * k, bold: t.getAttribute('font-weight') === 'bold', "
         "length: t.getComputedTextLength()})); }")


def hover_title(pg, fig, kind: str, edge: bool = False) -> str:
    spot = fig.evaluate(REACHABLE, [kind, edge])
    assert spot is not None, f"no {kind} can be reached by the mouse"
    pg.mouse.move(spot["x"], spot["y"])
    el = fig.locator(f'[data-kind="{kind}"]').nth(spot["i"])
    assert el.evaluate("e => e.matches(':hover')")
    return el.evaluate("e => e.querySelector('title').textContent")


def test_the_three_figures_are_svg_read_on_a_laptop_and_answer_a_hover(server, browser):
    from roi_viz.picture import fonts

    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.set_default_timeout(180_000)
    pg.goto(f"{server}/?view=proposals&order=largest&drawn=500")
    expect(pg.get_by_text(re.compile(r"proposed [\d,]+ boxes"))).to_be_visible()
    settle(pg)
    figs = pg.locator(SVG)
    expect(figs).to_have_count(4)  # and the pyramid's, last (tests/page/test_proposals_pyramid_page.py)
    photo, dist, size = (figs.nth(n) for n in range(3))
    for fig, alt in ((photo, "The proposals on the photo, coloured by the share"),
                     (dist, "Histograms of the share of each proposal"),
                     (size, "The share each proposal keeps against its shorter side")):
        expect(fig).to_have_attribute("role", "img")
        expect(fig).to_have_attribute("aria-label", re.compile("^" + re.escape(alt)))
    pg.wait_for_function("() => [...document.fonts].some(f => f.family.replace(/\"/g, '') === 'DejaVu Sans' "
                         "&& f.status === 'loaded')", timeout=60_000)
    for n, fig in enumerate((photo, dist, size)):
        fig.scroll_into_view_if_needed()
        pg.wait_for_timeout(300)
        for t in fig.evaluate(TEXTS):  # what the description measured is what the browser draws, 12 px or more
            want = fonts.width(t["text"], t["size"], "bold" if t["bold"] else "normal")
            assert abs(t["length"] - want) <= max(0.5, 0.01 * want), (t, want)
            assert t["shown"] >= 12, f"{t['text']!r} is {t['shown']:.1f} px on the page"
        pg.screenshot(path=str(SHOTS / f"proposals-described-{n + 1}-1366.png"))
    # The photo: 500 outlines, unnamed (too many for a hover each), and the figure says so.
    expect(photo.locator('rect[data-kind="proposal"]')).to_have_count(500)
    expect(photo.locator("title")).to_have_count(0)
    assert any(t["text"].startswith("500 boxes drawn") for t in photo.evaluate(TEXTS))
    # A bar names its panel, its bin and its count; a marker its proposal, its side and its share.
    dist.scroll_into_view_if_needed()
    title = hover_title(pg, dist, "bar")
    assert re.fullmatch(r".+: \d+ % to \d+ %: [\d,]+ box(es)?", title), title
    size.scroll_into_view_if_needed()
    title = hover_title(pg, size, "proposal", edge=True)  # an open marker: its outline
    assert re.fullmatch(r"Proposal \d+: shorter side [\d.]+ cells, keeps \d+\.\d %", title), title
    # The download is painted by Matplotlib from the drawing shown.
    button = pg.get_by_role("button", name="The distribution (PNG)")
    button.scroll_into_view_if_needed()
    with pg.expect_download() as download:
        button.click()
    assert Path(download.value.path()).read_bytes()[:4] == b"\x89PNG"
    pg.close()
