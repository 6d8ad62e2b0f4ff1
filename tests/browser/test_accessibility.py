"""WCAG 2.1 A/AA, tested like behaviour: axe-core in Chromium on every view, every step, presenter mode.

axe-core is the engine behind Lighthouse's accessibility audit (``axe-playwright-python``
ships it). Each view is opened from a link at 1366 × 768 and 1920 × 1080; the
walkthrough of every method is stepped with the keyboard and audited at each step;
presenter mode is audited at every step at 1920 × 1080. Figures are checked to carry
their numbers in their text alternative, and the page is used from the keyboard alone.
"""
import re

import pytest
from playwright.sync_api import expect

from roi_viz.lesson.views import VIEWS
from helpers import SHOTS, figure_alt, figures_shown, step_figure, wait_figure_changed

axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                 reason="pip install axe-playwright-python (the test extras)")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SIZES = [(1366, 768), (1920, 1080)]


def violations(pg) -> list[str]:
    result = axe_module.Axe().run(pg, options={"runOnly": {"type": "tag", "values": TAGS}})
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
            for v in result.response["violations"]]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("view", list(VIEWS))
def test_every_view_passes_axe(server, browser, view, size):
    pg = browser.new_page(viewport={"width": size[0], "height": size[1]})
    pg.goto(f"{server}/?view={view}")
    figures_shown(pg)
    found = violations(pg)
    pg.close()
    assert not found, "\n".join(found)


@pytest.mark.parametrize("method", ["pool", "align", "warp", "prroi"])
def test_every_step_passes_axe_and_its_figure_carries_its_numbers(server, browser, method):
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.goto(f"{server}/?method={method}")
    figures_shown(pg)
    step = 1
    while True:
        found = violations(pg)
        assert not found, f"{method} step {step}:\n" + "\n".join(found)
        alt = figure_alt(step_figure(pg))
        # The article's RoI: projection, and the method's own snapping and coverage, are in the words of the figure
        # (RoIWarp's bins span the 23 snapped cells of the RoI's 28.32; RoIAlign and PrRoI round nothing).
        snapped = ("(9, 6, 6, 4)", "5.32 cells lost", "1 cell gained")
        own = {"pool": (*snapped, "60.9 % of the RoI"), "warp": (*snapped, "81.2 % of the RoI"),
               "align": ("nothing is snapped", "100 % of the RoI"), "prroi": ("nothing is snapped", "100 % of the RoI")}
        for number in ("(9.25, 6, 6.25, 4.53125)", *own[method]):
            assert number in alt, f"{method} step {step}: {number} missing from {alt!r}"
        assert re.search(r"Output of channel \d+, row by row: [-\d.]+", alt)
        nxt = pg.get_by_role("button", name=re.compile("^Next"))
        if nxt.is_disabled():
            break
        before = alt
        pg.keyboard.press("ArrowRight")
        step += 1
        expect(pg.get_by_role("heading", name=re.compile(f"^Step {step}:"))).to_be_visible(timeout=60_000)
        wait_figure_changed(pg, before)
    pg.close()
    assert step >= 4


def test_presenter_mode_passes_axe_at_every_step(server, browser):
    pg = browser.new_page(viewport={"width": 1920, "height": 1080})
    pg.goto(f"{server}/?present=1")
    figures_shown(pg)
    for step in range(1, 7):
        found = violations(pg)
        assert not found, f"presenter step {step}:\n" + "\n".join(found)
        if step < 6:
            pg.keyboard.press("ArrowRight")
            expect(pg.get_by_role("heading", name=re.compile(f"^Step {step + 1}:"))).to_be_visible(timeout=60_000)
            figures_shown(pg)
    pg.close()


def test_the_numbers_open_as_a_table_beside_the_figure(server, browser):
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.goto(f"{server}/?step=3")
    figures_shown(pg)
    pg.get_by_text("The figure's numbers").click()
    table = pg.get_by_role("table").first
    expect(table).to_be_visible()
    text = table.inner_text()
    assert "(9.25, 6, 6.25, 4.53125)" in text and "60.9 %" in text and "5.32" in text
    pg.close()


def test_the_lesson_works_from_the_keyboard_alone(server, browser):
    """Tab to the view picker, choose a view with the arrows, step with the keys; focus is always visible."""
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.goto(server + "/")
    figures_shown(pg)
    pg.mouse.click(5, 300)  # nothing focused, as after opening the page
    seen = []
    for _ in range(80):
        pg.keyboard.press("Tab")
        info = pg.evaluate("""() => { let e = document.activeElement;
            while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;  // components
            if (!e || e === document.body) return null;
            const s = getComputedStyle(e); const r = e.getBoundingClientRect();
            return {label: (e.getAttribute('aria-label') || e.innerText || e.value || '').slice(0, 40),
                    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 || s.boxShadow !== 'none',
                    role: e.getAttribute('role') || e.tagName, w: r.width}; }""")
        if info:
            seen.append(info)
        if info and "Next" in info["label"]:
            break
    labels = [s["label"] for s in seen]
    assert any("Next" in x for x in labels), f"Next never reached by Tab: {labels}"
    assert seen[-1]["outline"], "the focused Next button shows no focus ring"
    pg.keyboard.press("Enter")  # Next, from the keyboard
    expect(pg.get_by_role("heading", name=re.compile("^Step 2:"))).to_be_visible(timeout=60_000)
    # The view picker: a radio group reached by Tab, changed with the arrow keys.
    view_radio = pg.get_by_role("radio", name="Compare the methods")
    view_radio.focus()
    pg.keyboard.press("Space")
    expect(pg.get_by_role("heading", name="Compare the methods")).to_be_visible(timeout=60_000)
    pg.screenshot(path=str(SHOTS / "keyboard-compare-1366.png"))
    pg.close()


def test_text_enlarged_to_200_percent_loses_no_content_or_function(server, browser):
    """200 % zoom on a 1366 × 768 screen is a 683 × 384 CSS-pixel window at twice the pixel density."""
    ctx = browser.new_context(viewport={"width": 683, "height": 384}, device_scale_factor=2)
    pg = ctx.new_page()
    pg.goto(server + "/")
    figures_shown(pg)
    wide = pg.evaluate("""() => [...document.querySelectorAll('[data-testid=stMain] *')]
        .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > innerWidth + 2; })
        .slice(0, 5).map(e => e.tagName + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert wide == [], f"content runs off the side at 200 %: {wide}"
    assert pg.evaluate("document.documentElement.scrollWidth") <= 683 + 2
    nxt = pg.get_by_role("button", name="Next step")
    nxt.scroll_into_view_if_needed()
    nxt.click()
    expect(pg.get_by_role("heading", name=re.compile("^Step 2:"))).to_be_visible(timeout=60_000)
    view = pg.get_by_role("radio", name="Compare the methods")
    view.focus()
    pg.keyboard.press("Space")
    expect(pg.get_by_role("heading", name="Compare the methods")).to_be_visible(timeout=60_000)
    ctx.close()
