"""The board's and the stepper's words in the student's language (issue 32): every sentence their scripts show or
announce comes from Python's catalog, and in Chinese carries exactly the numbers it carries in English.

The test app (tests/apps/board_words_app.py) draws the board in ``lang=en`` or ``lang=zh``. The same keys are
pressed on both (the followed box moved and resized alike); then the readout, the legend, the keys' help, the
board's role, the status line and the stepper are read as a screen reader reads them, and ``data-live`` (the
numbers the script computes) must be the same in both languages.
"""
from __future__ import annotations

import json
import re

import pytest

from apps.board_harness import APPS, chromium, streamlit_app
from helpers import BOARD

WAIT = 120_000
CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
# What stays Latin in a Chinese sentence: the names papers use, units, symbols of a formula, key names, levels.
LATIN_KEPT = {"RoI", "px", "log2", "aligned", "bin", "FPN", "Shift", "Alt", "Delete", "N", "A", "x", "y", "w", "h"}


def leftover_english(text: str) -> list[str]:
    """The Latin words of ``text`` that are not among the terms a Chinese sentence keeps (P2..P5 are levels)."""
    return [w for w in re.findall(r"[A-Za-z]+\d*", text) if w not in LATIN_KEPT and not re.fullmatch(r"P\d", w)]


@pytest.fixture(scope="module")
def app_url():
    with streamlit_app(APPS / "board_words_app.py", "test_board_words_browser") as (url, _log):
        yield url


@pytest.fixture(scope="module")
def browser(app_url):
    with chromium() as b:
        yield b


def said(browser, url: str, keys: list[str]) -> dict:
    """Open ``url``, press ``keys`` on the board, and read every word and number the board and the stepper show."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    pg = context.new_page()
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.set_default_timeout(WAIT)
    pg.goto(url)
    board = pg.locator(BOARD)
    board.wait_for()
    pg.locator('[data-testid="roi-stepper"]').wait_for()
    before = board.get_attribute("data-live")
    if keys:
        board.focus()
        for key in keys:
            board.press(key)
        assert board.get_attribute("data-live") != before, "the keys changed nothing"
    stepper = pg.locator('[data-testid="roi-stepper"]')
    out = {
        "live": json.loads(board.get_attribute("data-live")),
        "readout": pg.locator(f"{BOARD} .roi-board-readout").text_content(),
        "legend": pg.locator(f"{BOARD} .roi-board-legend").text_content(),
        "keys": pg.locator(f"{BOARD} .roi-board-keys").text_content(),
        "role": board.get_attribute("aria-roledescription") or "",
        "label": board.get_attribute("aria-label") or "",
        "buttons": [b.text_content() for b in stepper.locator("button").all()],
        "names": [b.get_attribute("aria-label") for b in stepper.locator("button").all()],
        "group": stepper.get_attribute("aria-label"),
        "options": [o.text_content() for o in stepper.locator("option").all()],
        "status": stepper.locator(".roi-stepper-status").text_content(),
    }
    if keys and "Delete" not in keys:
        board.press("Delete")  # the only box: the board says why it stays, in its status line
        pg.wait_for_function("(el) => el.textContent.length > 0",
                             arg=pg.locator(f"{BOARD} .roi-board-status").element_handle())
        out["status_line"] = pg.locator(f"{BOARD} .roi-board-status").text_content()
    context.close()
    assert not errors, errors
    return out


# Each kind of readout the script writes: RoI pooling by both rounding rules, RoIAlign aligned and not, RoIWarp
# (snapped, then sampled), PrRoI (exact), and a pyramid (the level's sentence first).
CASES = ["method=pool", "method=pool&scheme=fastrcnn", "method=align", "method=align&aligned=1", "method=warp",
         "method=prroi&aligned=1", "method=align&pyramid=1", "method=pool&box=0,0,8,8"]
KEYS = ["ArrowRight", "ArrowRight", "ArrowRight", "Alt+ArrowDown", "Alt+ArrowDown", "Shift+ArrowLeft"]


@pytest.mark.parametrize("case", CASES)
def test_the_board_speaks_chinese_with_the_same_numbers(browser, app_url, case):
    en = said(browser, f"{app_url}/?lang=en&{case}", KEYS)
    zh = said(browser, f"{app_url}/?lang=zh&{case}", KEYS)
    # The script computes the same numbers whatever the language.
    assert zh["live"] == en["live"], (en["live"], zh["live"])
    for part in ("readout", "legend", "keys", "role", "status_line"):
        assert CJK.search(zh[part]), (part, zh[part])
        assert not CJK.search(en[part]), (part, en[part])
        assert not leftover_english(zh[part]), (part, leftover_english(zh[part]), zh[part])
        assert NUMBER.findall(zh[part]) == NUMBER.findall(en[part]), (part, en[part], zh[part])
    # The English readout is the one the board wrote before its words came from the catalog.
    box = ", ".join(str(v) for v in en["live"]["box"])
    assert en["readout"].split("RoI 1: ")[1].startswith(f"({box}) px. "), en["readout"]
    assert en["role"] == "RoI board" and en["keys"].startswith("Drag on the photo to draw an RoI")
    if "pyramid" in case:
        assert en["readout"].startswith(f"Level {en['live']['level_name']}, stride {en['live']['stride']} px"), en
        assert zh["readout"].startswith(f"层级 {en['live']['level_name']}，步幅 {en['live']['stride']} px"), zh
        assert "P2" in zh["legend"] and "112" in zh["legend"], zh["legend"]


def test_the_stepper_reads_chinese(browser, app_url):
    en = said(browser, f"{app_url}/?lang=en", [])
    zh = said(browser, f"{app_url}/?lang=zh", [])
    assert en["buttons"] == ["◀ Previous", "Next ▶"] and en["names"] == ["Previous step", "Next step"], en
    assert en["options"][0] == "Step 1: one" and en["status"] == "Step 1 of 4" and en["group"] == "Steps of the lesson"
    for part in ("buttons", "names", "options"):
        assert len(zh[part]) == len(en[part]), (part, zh[part])
        for z, e in zip(zh[part], en[part]):
            assert CJK.search(z) and NUMBER.findall(z) == NUMBER.findall(e), (part, z, e)
            assert not re.search(r"Previous|Next|Step", z), (part, z)
    assert zh["buttons"] == ["◀ 上一步", "下一步 ▶"], zh["buttons"]
    assert CJK.search(zh["status"]) and NUMBER.findall(zh["status"]) == ["1", "4"], zh["status"]
    assert CJK.search(zh["group"]), zh["group"]


def test_the_quiz_board_names_its_box_in_chinese(browser, app_url):
    en = said(browser, f"{app_url}/?lang=en&read_only=1", [])
    zh = said(browser, f"{app_url}/?lang=zh&read_only=1", [])
    assert en["label"] == "The photo with the quiz's RoI, (296, 192, 200, 145) px, on the stride grid.", en["label"]
    assert CJK.search(zh["label"]) and NUMBER.findall(zh["label"]) == NUMBER.findall(en["label"]), zh["label"]
    assert not leftover_english(zh["label"]), zh["label"]
    assert zh["live"] == en["live"] and zh["live"]["read_only"] is True


def test_the_page_gives_its_board_and_stepper_the_students_language(browser, server):
    """The real page: ``lang=zh`` reaches the board's script and the stepper through the page's own language."""
    from helpers import settle, the_canvas

    seen = {}
    for lang in ("en", "zh"):
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        pg = context.new_page()
        pg.set_default_timeout(WAIT)
        pg.goto(f"{server}/?step=3&lang={lang}")
        the_canvas(pg)
        settle(pg)
        pg.wait_for_function("(el) => el.textContent.length > 0",
                             arg=pg.locator(f"{BOARD} .roi-board-readout").element_handle())
        names = ("Previous step", "Next step") if lang == "en" else ("上一步", "下一步")
        pg.get_by_role("button", name=names[1], exact=True).first.wait_for()  # the stepper's, named by Python
        seen[lang] = {"readout": pg.locator(f"{BOARD} .roi-board-readout").text_content(),
                      "legend": pg.locator(f"{BOARD} .roi-board-legend").text_content(),
                      "role": pg.locator(BOARD).get_attribute("aria-roledescription"),
                      "live": json.loads(pg.locator(BOARD).get_attribute("data-live")),
                      "buttons": [pg.get_by_role("button", name=n, exact=True).count() for n in names]}
        context.close()
    en, zh = seen["en"], seen["zh"]
    assert en["readout"].startswith("RoI 1: (296, 192, 200, 145) px. x 296 px ÷ 32 = 9.25 → 9"), en["readout"]
    assert zh["live"] == en["live"]
    for part in ("readout", "legend", "role"):
        assert CJK.search(zh[part]) and not leftover_english(zh[part]), (part, zh[part])
        assert NUMBER.findall(zh[part]) == NUMBER.findall(en[part]), (part, en[part], zh[part])
    assert en["buttons"] == zh["buttons"] == [1, 1], (en["buttons"], zh["buttons"])
