"""The quiz in Chromium, in Simplified Chinese (``?lang=zh``): what a student reads beside the board and on it.

The page's language is said to the browser (``<html lang="zh-Hans">``); the question, the answer boxes, the
check button and the picture's text alternative are in Chinese with the question's own numbers; the board beside
it keeps the question's box fixed and says why in Chinese. A screenshot at 1366 x 768 is kept for a person to
look at (``artifacts/screenshots/quiz-zh-1366.png``).
"""
import re

import pytest
from playwright.sync_api import expect

from helpers import BOARD, SHOTS, settle
from roi_viz import quiz
from roi_viz.language import _, using
from roi_viz.state.settings import Settings

pytestmark = pytest.mark.browser
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_the_quiz_and_its_board_read_in_chinese(server, browser):
    with using("zh"):
        q = quiz.make_question(7, "starter", Settings())
        intro, first, note, check = q.intro, q.asks[0], _(
            "The quiz's RoI, fixed and without its numbers: answer first. "
            "Your own boxes come back, as you left them, when you leave the quiz."), _("Check")
        labels = [f.label_words for f in first.fields]
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.set_default_timeout(120_000)
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(f"{server}/?lang=zh&view=quiz&level=starter&seed=7")
    pg.locator(BOARD).first.wait_for()
    settle(pg)
    expect(pg.locator("html")).to_have_attribute("lang", "zh-Hans")
    x, y, w, h = q.roi
    expect(pg.get_by_text(f"x = {x}、y = {y}、w = {w}、h = {h} 像素").first).to_be_visible()
    assert intro.startswith("在 512 × 512 的模型输入上") and HAN.search(first.text)
    expect(pg.get_by_text(first.text[:20]).first).to_be_visible()
    for label in labels:
        expect(pg.get_by_label(label, exact=True)).to_be_visible()
    expect(pg.get_by_role("button", name=check)).to_be_visible()
    expect(pg.locator(BOARD)).to_contain_text(note.split("：")[0])  # the board's note, in Chinese
    assert HAN.search(pg.locator(BOARD).inner_text())
    figure = pg.locator('.st-key-quiz-figure [role="img"]').first
    alt = figure.get_attribute("aria-label")
    assert alt and HAN.search(alt) and ", ".join(map(str, q.roi)) in alt
    pg.screenshot(path=str(SHOTS / "quiz-zh-1366.png"))
    pg.get_by_role("button", name=check).scroll_into_view_if_needed()
    pg.screenshot(path=str(SHOTS / "quiz-zh-question-1366.png"))
    pg.close()
    assert not errors, errors


def test_the_quiz_presented_in_chinese(server, browser):
    """Presenter mode at 1920 x 1080: the question beside its picture, in Chinese."""
    with using("zh"):
        first = quiz.make_question(7, "starter", Settings()).asks[0]
    pg = browser.new_page(viewport={"width": 1920, "height": 1080})
    pg.set_default_timeout(120_000)
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(f"{server}/?lang=zh&view=quiz&level=starter&seed=7&present=1")
    expect(pg.get_by_text(first.text[:20]).first).to_be_visible()
    settle(pg)
    alt = pg.locator('.st-key-quiz-figure [role="img"]').first.get_attribute("aria-label")
    assert alt and HAN.search(alt)
    pg.screenshot(path=str(SHOTS / "quiz-zh-presented-1920.png"))
    pg.close()
    assert not errors, errors
