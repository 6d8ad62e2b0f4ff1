"""RoI pooling's walkthrough on the page in Chinese (AppTest): the link ``?lang=zh&step=N`` opens each step of the
article's worked example (the sample photo, the box (296, 192, 200, 145), 512, pool5, 3 x 3, rounded down), and
the words under the step's heading and the step figure's text alternative read in Chinese with exactly the
numbers the same link shows in English (``lang=en``), the article's among them.
"""
from __future__ import annotations

import re
from collections import Counter

import pytest

from helpers import figures, open_page
from roi_viz.language import using
from roi_viz.lesson.words import span

HAN = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")

# What each step of the worked example must say in Chinese, numbers included (tests/lib/test_words_zh.py derives
# them from the trace; REFERENCE.md fixes them: 145 / 32 = 4.53125, floored to 4, 28.3203125 cells, 17.25 kept).
SAYS = {
    1: ["x = 296，y = 192，尺寸 w = 200 × h = 145 像素", "感兴趣区域（RoI）", "步幅"],
    2: ["- x: 296 / 32 = **9.25**", "- h: 145 / 32 = **4.53125**", "只有 y 是整数", "未训练的网络"],
    3: ["⌊9.25⌋ = **9**", "⌊4.53125⌋ = **4**", "**丢失：RoI 有 5.32 个单元格**", "**多纳入：区域有 1 个单元格**",
        "4 × 6 = 24 个单元格"],
    4: ["划分为 3 × 3 个子区域（bin）", "每个子区域是 1 × 2 个单元格", "{row9}不属于任何子区域", "6 个单元格被划分丢弃"],
    5: ["**对每个子区域取最大值。**", "| 子区域（行, 列） | 单元格 | 最大值 | 来自单元格 |"],
    6: ["3 × 3 × 512 的张量", "28.32 个单元格", "17.25 个单元格", "**60.9 %**", "因量化丢失：5.32 个单元格", "39.1 %"],
}


def step_words(at) -> str:
    """The markdown right under the step's heading (``### ...``): the step's words as the student reads them."""
    shown = [m.value for m in at.markdown]
    k = next(i for i, v in enumerate(shown) if v.startswith("### "))
    return shown[k + 1]


@pytest.fixture(scope="module")
def pages():
    opened = {}

    def page(lang: str, step: int):
        if (lang, step) not in opened:
            opened[lang, step] = open_page({"lang": lang, "step": str(step)})
        return opened[lang, step]

    return page


@pytest.mark.parametrize("step", list(SAYS))
def test_each_step_of_the_worked_example_reads_in_chinese_with_the_english_numbers(pages, step):
    zh, en = pages("zh", step), pages("en", step)
    zh_words, en_words = step_words(zh), step_words(en)
    assert HAN.search(zh_words) and not HAN.search(en_words)
    assert Counter(NUMBER.findall(zh_words)) == Counter(NUMBER.findall(en_words)), (zh_words, en_words)
    with using("zh"):  # row 9 as the catalog words it (a sentence the handout shares)
        row9 = span(9, 10, "row")
    for said in SAYS[step]:
        said = said.replace("{row9}", row9)
        assert said in zh_words, (said, zh_words)
    # The step figure's text alternative: Chinese too, with the same numbers.
    zh_alt, en_alt = figures(zh)[0], figures(en)[0]
    assert HAN.search(zh_alt) and "(9.25, 6, 6.25, 4.53125)" in zh_alt and "量化到整格 (9, 6, 6, 4)" in zh_alt
    assert Counter(NUMBER.findall(zh_alt)) == Counter(NUMBER.findall(en_alt)), (zh_alt, en_alt)
    assert "RoI 的 60.9 % 到达输出" in zh_alt and "60.9 % of the RoI reaches the output" in en_alt
