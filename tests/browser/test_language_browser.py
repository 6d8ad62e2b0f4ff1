"""The page in Chinese in Chromium: ``<html lang>`` says the language shown, the browser's language chooses when
the link does not, the sidebar switches, axe finds nothing, and a Chinese figure title is drawn as measured.

Streamlit writes ``<html lang="en">`` whatever the page shows; ``ui.language.mark_page`` sets it. Before it, a
screen reader read the Chinese page with an English voice.
"""
from __future__ import annotations

import base64

import pytest
from playwright.sync_api import expect

from helpers import SHOTS, figures_shown, idle
from roi_viz.language import TAGS, using
from roi_viz.lesson import views
from roi_viz.picture import fonts, svg
from roi_viz.picture.spec import Drawing, Panel, Rect, Stroke, Text

axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                 reason="pip install axe-playwright-python (the test extras)")
TAGS_AXE = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ZH_COMPARE = "比较各方法"
TITLE = "RoI 池化：量化两次，特征图上的步幅为 32"


def title_drawing(size: float = 22.0, pad: float = 10.0) -> Drawing:
    """A figure title in Chinese in a box exactly as wide as :func:`fonts.width` measures it."""
    w, h = fonts.width(TITLE, size), fonts.height(size)
    marks = (Rect(pad, pad, w, h, stroke=Stroke("#d62728", 1.0)), Text(pad, pad, TITLE, size, baseline="top"))
    return Drawing(w + 2 * pad, h + 2 * pad, (Panel(0, 0, w + 2 * pad, h + 2 * pad, (0, w + 2 * pad),
                                                    (0, h + 2 * pad), marks, clip=False),), alt=TITLE)


def html_lang(pg) -> str:
    return pg.evaluate("() => document.documentElement.lang")


def wait_lang(pg, lang: str) -> None:
    pg.wait_for_function("(l) => document.documentElement.lang === l", arg=lang, timeout=120_000)


def test_lang_zh_says_zh_hans_passes_axe_and_is_photographed(server, browser):
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.goto(f"{server}/?lang=zh&view=compare")
    expect(pg.get_by_role("heading", name=ZH_COMPARE)).to_be_visible(timeout=180_000)
    figures_shown(pg)
    wait_lang(pg, TAGS["zh"])
    assert html_lang(pg) == "zh-Hans"
    with using("zh"):
        names = [views.label(k) for k in views.VIEWS]
    for name in names:  # the view picker, in Chinese
        expect(pg.get_by_text(name, exact=True).first).to_be_attached()
    expect(pg.get_by_text("语言 (Language)")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / "page-zh-1366x768.png"))
    result = axe_module.Axe().run(pg, options={"runOnly": {"type": "tag", "values": TAGS_AXE}})
    found = [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
             for v in result.response["violations"]]
    pg.close()
    assert not found, "\n".join(found)


def test_english_says_en_and_the_sidebar_switch_changes_the_page_and_its_lang(server, browser):
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.goto(f"{server}/?view=compare&lang=en")
    expect(pg.get_by_role("heading", name="Compare the methods")).to_be_visible(timeout=180_000)
    idle(pg)
    wait_lang(pg, "en")
    pg.get_by_text("中文", exact=True).click()
    expect(pg.get_by_role("heading", name=ZH_COMPARE)).to_be_visible(timeout=180_000)
    wait_lang(pg, "zh-Hans")
    pg.wait_for_function("() => new URL(location.href).searchParams.get('lang') === 'zh'", timeout=60_000)
    pg.close()


def test_a_chinese_browser_gets_the_chinese_page_when_the_link_says_nothing(server, browser):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    pg = ctx.new_page()
    pg.goto(f"{server}/?view=compare")
    expect(pg.get_by_role("heading", name=ZH_COMPARE)).to_be_visible(timeout=180_000)
    wait_lang(pg, "zh-Hans")
    idle(pg)
    assert "lang=" not in pg.url  # the link lets each reader's browser choose
    ctx.close()


def test_a_chinese_figure_title_is_drawn_in_the_chinese_font_as_wide_as_measured(browser):
    """The SVG painter's text in Chromium, the fonts declared as the page declares them: as wide as
    ``fonts.width`` says (the figures' layout trusts it), so no Chinese label runs over its neighbour."""
    faces = "".join(
        f'@font-face {{ font-family: "{f["family"]}"; font-weight: {f["weight"]}; src: url(data:font/ttf;base64,'
        + base64.b64encode((fonts.FONT_DIR.parents[1] / f["url"].removeprefix("app/")).read_bytes()).decode()
        + ') format("truetype"); }' for f in fonts.faces())
    drawing = title_drawing()
    pg = browser.new_page(viewport={"width": int(drawing.width) + 40, "height": int(drawing.height) + 40},
                          device_scale_factor=2)
    pg.set_content(f'<html lang="zh-Hans"><style>{faces} body {{ margin: 20px }}</style><body>'
                   f'<div style="width: {drawing.width}px">{svg.paint(drawing)}</div></body></html>')
    pg.evaluate("() => document.fonts.ready")
    pg.wait_for_function("() => document.fonts.check('22px \"WQY MicroHei Subset\"', '池')")
    drawn = pg.evaluate("() => document.querySelector('svg text').getComputedTextLength()")
    assert drawn == pytest.approx(fonts.width(TITLE, 22.0), rel=0.01)
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / "svg-title-zh.png"))
    pg.close()
