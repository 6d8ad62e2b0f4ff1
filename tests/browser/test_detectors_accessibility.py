"""Today's detectors, audited like the rest: axe-core at every step of the pyramid's walkthrough and of
position-sensitive RoIAlign, on the page and in presenter mode, and each step's figure carrying the numbers
of the level its box was pooled from.

The article's box (296, 192, 200, 145) at 512 picks P3 on ResNet-50-FPN (√(200·145) = 170.29 px,
4 + log2(170.29/224) = 3.6, floored), so every step after the level step works at stride 8: the box on
the map is (296/8, 192/8, 200/8, 145/8) = (37, 24, 25, 18.125). On VGG16's pool5 it is
(9.25, 6, 6.25, 4.53125). The numbers below are computed from the library, not typed.
"""
import math
import re

import pytest
from playwright.sync_api import expect

from roi_viz.lesson.numbers import exact
from roi_viz.ops.pyramid import fpn_level
from helpers import figure_alt, figures_shown, step_figure, wait_figure_changed

axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                 reason="pip install axe-playwright-python (the test extras)")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BOX = (296, 192, 200, 145)
LEVEL = fpn_level(BOX[2], BOX[3])
STRIDE = 2 ** LEVEL


def violations(pg) -> list[str]:
    result = axe_module.Axe().run(pg, options={"runOnly": {"type": "tag", "values": TAGS}})
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
            for v in result.response["violations"]]


def projected(stride: int) -> str:
    return "(" + ", ".join(exact(v / stride) for v in BOX) + ")"


def walk(pg, query: str, check) -> int:
    """Open ``query``, then at every step: axe, and ``check(step, heading, alt)``; returns the steps seen."""
    pg.goto(f"{pg.server}/?{query}")
    figures_shown(pg)
    step = 1
    while True:
        heading = pg.get_by_role("heading", name=re.compile(f"^Step {step}:")).first
        expect(heading).to_be_visible(timeout=60_000)
        found = violations(pg)
        assert not found, f"{query} step {step}:\n" + "\n".join(found)
        alt = figure_alt(step_figure(pg))
        check(step, heading.inner_text(), alt)
        nxt = pg.get_by_role("button", name=re.compile("^Next"))
        if nxt.is_disabled():
            return step
        pg.keyboard.press("ArrowRight")
        step += 1
        expect(pg.get_by_role("heading", name=re.compile(f"^Step {step}:")).first).to_be_visible(timeout=120_000)
        wait_figure_changed(pg, alt, timeout=120_000)


@pytest.mark.parametrize("method", ["align", "pool"])
def test_the_pyramids_walkthrough_passes_axe_and_says_its_level_at_every_step(server, browser, method):
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.server = server
    seen = {}

    def check(step, heading, alt):
        seen[step] = heading
        if "level of the pyramid" in heading:
            side = math.sqrt(BOX[2] * BOX[3])
            for number in (f"{side:.2f}", f"P{LEVEL}", f"stride {STRIDE}"):
                assert number in alt, f"level step: {number} missing from {alt!r}"
        elif step > 2 and "Image" not in heading:
            # every step after the level pools from the level's map: the box on it at that stride
            assert projected(STRIDE) in alt, f"step {step} ({heading}): {projected(STRIDE)} missing from {alt!r}"
            assert projected(32) not in alt

    steps = walk(pg, f"net=resnet50_fpn&method={method}", check)
    pg.close()
    assert steps >= 5
    assert any("level of the pyramid" in h for h in seen.values()), seen


def test_position_sensitive_roialign_passes_axe_at_every_step(server, browser):
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.server = server
    headings = []

    def check(step, heading, alt):
        headings.append(heading)
        if step > 1 and "own channel" not in heading:
            assert projected(32) in alt, f"step {step} ({heading}): {projected(32)} missing from {alt!r}"
        if "own channel" in heading:
            assert re.search(r"channel \d+", alt), alt

    steps = walk(pg, "method=psroi", check)
    pg.close()
    assert steps >= 5 and any("own channel" in h for h in headings), headings


def test_presenter_mode_on_the_pyramid_passes_axe_at_every_step(server, browser):
    pg = browser.new_page(viewport={"width": 1920, "height": 1080})
    pg.server = server
    steps = walk(pg, "net=resnet50_fpn&method=align&present=1", lambda *a: None)
    pg.close()
    assert steps >= 5
