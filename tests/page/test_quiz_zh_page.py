"""The quiz's page in Simplified Chinese (AppTest): ``?lang=zh&view=quiz`` and the same seed in English.

A student answers the same question of the same seed in both languages (the first ask right, the second wrong twice)
and reads, at each point, the question, its answer boxes' labels and help, the buttons, the feedback after a right
and after a wrong answer, the reason, the link to the walkthrough's step and the score: in Chinese with ``lang=zh``
(Chinese characters, and the sentences the library writes for that question in Chinese, looked up through
:func:`roi_viz.language.using`), carrying exactly the numbers of the English page. The boxes are found by their
Chinese labels and the buttons by their Chinese names, as a person reading Chinese finds them.
"""
from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from helpers import APP, notices, page_state, widget
from roi_viz import quiz
from roi_viz.language import _, using
from roi_viz.state.settings import Settings

HAN = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
SEED = 7


def numbers(text: str) -> list[str]:
    return sorted(NUMBER.findall(text))


def open_quiz(lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240)
    for name, value in {"view": "quiz", "level": "starter", "seed": str(SEED), "lang": lang}.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def said(fn, lang: str):
    with using(lang):
        return fn()


def markdowns(at) -> list[str]:
    return [m.value for m in at.markdown]


def answer(at, lang: str, ask, values: dict[str, str]) -> None:
    """Type ``values`` into the ask's boxes, found by their labels in ``lang``, and press the check button."""
    for f in ask.fields:
        widget(at, "text_input", said(lambda: f.label_words, lang)).input(values[f.key])
    widget(at, "button", said(lambda: _("Check"), lang)).click()
    at.run()
    assert not at.exception, at.exception


def read(at, lang: str) -> dict[str, list[str]]:
    """What the page shows a student of the quiz at each point of the round, in ``lang``."""
    q = said(lambda: quiz.make_question(SEED, "starter", Settings()), lang)
    seen: dict[str, list[str]] = {}
    first, second = q.asks[0], q.asks[1]
    seen["caption"] = [c.value for c in at.caption if str(SEED) in c.value]
    seen["question"] = [m for m in markdowns(at) if first.text in m]
    intro = said(lambda: q.intro, lang)
    seen["intro"] = [m for m in markdowns(at) if m == intro]
    seen["boxes"] = [w.label for w in at.text_input] + [w.help for w in at.text_input]
    ours = said(lambda: (_("New question"), _("Check")), lang)
    seen["buttons"] = [b.label for b in at.button if b.label in ours]
    right = {f.key: f"{f.answer:.6f}".rstrip("0").rstrip(".") for f in first.fields}
    answer(at, lang, first, right)
    seen["right"] = notices(at, "info")
    seen["why right"] = [m for m in markdowns(at) if first.reason in m]
    widget(at, "button", said(lambda: _("Next question ▶"), lang)).click()
    at.run()
    wrong = {f.key: f"{f.answer + 3:g}" for f in second.fields}
    answer(at, lang, second, wrong)
    seen["wrong"] = notices(at, "error")
    answer(at, lang, second, wrong)
    seen["wrong again"] = notices(at, "error")
    seen["why wrong"] = [m for m in markdowns(at) if second.reason in m]
    seen["score"] = [c.value for c in at.caption if str(SEED) in c.value]
    score = page_state(at).quiz.score
    assert (score.answered, score.right, score.first_try) == (2, 1, 1)
    return seen


def test_the_levels_and_the_boards_note_in_chinese():
    at = open_quiz("zh")
    level = widget(at, "radio", "难度")
    assert list(level.options) == ["入门：原文的设置", "Fast R-CNN：conv5_3、7 × 7",
                                   "进阶：RoIAlign、RoIWarp、PrRoI"]


def test_the_quiz_reads_in_chinese_with_the_numbers_of_the_english_page():
    en, zh = read(open_quiz("en"), "en"), read(open_quiz("zh"), "zh")
    assert en.keys() == zh.keys()
    for what in en:
        assert en[what] and len(en[what]) == len(zh[what]), (what, en[what], zh[what])
        for e, z in zip(en[what], zh[what]):
            assert not HAN.search(e), (what, e)
            assert HAN.search(z), (what, z)
            assert numbers(e) == numbers(z), (what, e, z)
    # The English page is the code's own words; the Chinese one the catalog's, as the library writes them.
    assert en["right"][0].startswith("✔ Right: ") and zh["right"][0].startswith("✔ 正确：")
    assert en["wrong"][0].startswith("✖ Not yet: ") and zh["wrong"][0].startswith("✖ 还不对：")
    assert en["wrong again"][0].startswith("✖ Not quite: ") and zh["wrong again"][0].startswith("✖ 不太对：")
    assert en["why wrong"][0].startswith("**Why:** ") and zh["why wrong"][0].startswith("**原因：** ")
    assert "[Step " in en["why wrong"][0] and "[步骤 " in zh["why wrong"][0]
    assert en["caption"][0].startswith(f"Question seed {SEED} (the same seed gives the same question). Starter")
    assert zh["caption"][0].startswith(f"题目种子 {SEED}（同一个种子给出同一道题）。入门：原文的设置（512 × 512、pool5")
    # One right at the first try, then one wrong twice: the score in both languages.
    assert en["score"][0].endswith("Score: 1 of 2 right (1 at the first try); streak 0, best 1.")
    assert zh["score"][0].endswith("得分：已完成 2 题，答对 1 题（其中 1 题第一次就答对）；当前连对 0 题，最多连对 1 题。")


def test_the_feedback_follows_the_language_switched_after_the_check():
    """A student checks an answer in Chinese, then switches the page to English: the verdict is said in English."""
    at = open_quiz("zh")
    ask = said(lambda: quiz.make_question(SEED, "starter", Settings()), "zh").asks[0]
    answer(at, "zh", ask, {f.key: f"{f.answer + 3:g}" for f in ask.fields})
    (before,) = notices(at, "error")
    assert before.startswith("✖ 还不对：")
    widget(at, "radio", "语言 (Language)").set_value("en").run()
    assert not at.exception
    (after,) = notices(at, "error")
    assert after.startswith("✖ Not yet: ") and numbers(after) == numbers(before)
    assert page_state(at).quiz.tries == 1  # said again, not graded again
