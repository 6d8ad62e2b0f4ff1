"""The teacher's frame in Chinese, in Chromium: presenter mode at 1920 × 1080 with ``lang=zh`` on step 3,
its QR dialog titled in Chinese with the students' link (in Chinese too) in its code, axe clean with
``<html lang="zh-Hans">``; and the proposals view at 1366 × 768 in Chinese. Screenshots go to
``artifacts/screenshots/``.
"""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from helpers import SHOTS, figures_shown, idle

axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                 reason="pip install axe-playwright-python (the test extras)")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
QR_ZH = "同学们：扫码打开本页"


def violations(pg) -> list[str]:
    result = axe_module.Axe().run(pg, options={"runOnly": {"type": "tag", "values": TAGS}})
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
            for v in result.response["violations"]]


def test_presenter_mode_and_its_qr_dialog_in_chinese(server, browser):
    pg = browser.new_page(viewport={"width": 1920, "height": 1080})
    pg.set_default_timeout(120_000)
    pg.goto(server + "/?lang=zh&present=1&step=3&roi=100_192_200_145")
    figures_shown(pg)
    expect(pg.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(pg.get_by_text("演示", exact=True)).to_be_visible()
    pg.get_by_role("button", name=QR_ZH).click()
    dialog = pg.get_by_role("dialog", name=QR_ZH)
    expect(dialog).to_be_visible()
    img = dialog.locator("img.roi-qr")
    expect(img).to_have_count(1)
    pg.wait_for_function("() => { const i = document.querySelector('img.roi-qr'); return i && i.complete && "
                         "i.naturalWidth > 0; }")
    idle(pg)
    alt = img.get_attribute("alt")
    assert alt.startswith("二维码：" + server)
    query = parse_qs(urlsplit(alt.removeprefix("二维码：")).query)
    assert query == {"lang": ["zh"], "roi": ["100_192_200_145"], "step": ["3"]}
    expect(dialog.get_by_role("textbox", name="学生使用的地址")).to_be_visible()
    expect(dialog.get_by_text(re.compile("^二维码打开的是这个视图"))).to_be_visible()
    assert img.bounding_box()["height"] >= 400
    pg.screenshot(path=str(SHOTS / "zh-qr-present-1920.png"))
    found = violations(pg)
    assert not found, "the QR panel in Chinese:\n" + "\n".join(found)
    pg.keyboard.press("Escape")
    expect(pg.get_by_role("dialog", name=QR_ZH)).to_have_count(0)
    assert parse_qs(urlsplit(pg.url).query)["present"] == ["1"]
    pg.screenshot(path=str(SHOTS / "zh-step3-present-1920.png"))
    pg.close()


def test_the_proposals_view_in_chinese_on_a_laptop(server, browser):
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.set_default_timeout(180_000)
    pg.goto(server + "/?lang=zh&view=proposals")
    figures_shown(pg)
    expect(pg.get_by_role("heading", name="金字塔上的候选框")).to_be_attached()
    expect(pg.get_by_text(re.compile("^真正的 Fast R-CNN 从不池化手画的一个框"))).to_be_visible()
    expect(pg.get_by_text("A real Fast R-CNN never pools")).to_have_count(0)
    expect(pg).to_have_title("roi-viz：从一个框到固定尺寸的张量，一步一步")  # the browser tab's, in Chinese
    idle(pg)
    pg.screenshot(path=str(SHOTS / "zh-proposals-1366.png"))
    pg.close()
