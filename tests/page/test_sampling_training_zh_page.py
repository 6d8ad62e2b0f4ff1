"""RoIAlign's, RoIWarp's and Precise RoI Pooling's steps, and the training view, on the page in Chinese (AppTest).

The page is opened from a link (``?lang=zh&method=align&step=N``, ``?lang=zh&view=train``) on its own photo and
the article's box, and again with ``lang=en``: the words a student reads under the step's heading, the training
view's words, its gradient steps' table, its controls, downloads and text alternatives are Chinese (Han
characters, no English sentence left over) and carry exactly the numbers of the English page.
"""
from __future__ import annotations

import re
from collections import Counter

import pytest

from helpers import figures, open_page, widget
from roi_viz import walkthrough
from roi_viz.lesson import sampling_words

HAN = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?:[ '-]+[A-Za-z]{2,}){2,}\b")
NAMES_KEPT = ("Multi-task Network Cascades", "Precise RoI Pooling", "Position-sensitive RoIAlign", "Mask R-CNN",
              "Dai et al.", "Jiang et al.")


def numbers(text: str) -> Counter:
    return Counter(NUMBER.findall(text))


def leftover_english(text: str) -> list[str]:
    for name in NAMES_KEPT:
        text = text.replace(name, "")
    return ENGLISH_RUN.findall(re.sub(r"`[^`]*`", "", text))


def check(en: str, zh: str) -> None:
    assert en and not HAN.search(en), en
    assert HAN.search(zh) and leftover_english(zh) == [], (leftover_english(zh), zh)
    assert numbers(zh) == numbers(en), (numbers(en) - numbers(zh), numbers(zh) - numbers(en), zh)


def under_heading(at) -> str:
    """The words under the step's heading (``### Step N: …``), as the student reads them."""
    shown = [m.value for m in at.markdown]
    at_heading = next(k for k, v in enumerate(shown) if v.startswith("### "))
    return shown[at_heading + 1]


def step_number(method: str, key: str) -> int:
    keys = [s.key for s in walkthrough.steps(method)]
    step = walkthrough.steps(method)[keys.index(key)]
    assert step.words.__module__ == sampling_words.__name__  # a step whose words this module writes
    return keys.index(key) + 1


CASES = [("align", "sampling"), ("align", "bilinear"), ("align", "output"), ("warp", "sampling"),
         ("warp", "combine"), ("prroi", "integrate")]


@pytest.mark.parametrize("method,key", CASES, ids=[f"{m}-{k}" for m, k in CASES])
def test_a_step_of_the_sampling_methods_reads_in_chinese_on_the_page(method, key):
    n = step_number(method, key)
    pages = {lang: open_page({"lang": lang, "method": method, "step": n}) for lang in ("en", "zh")}
    en, zh = (under_heading(pages[lang]) for lang in ("en", "zh"))
    check(en, zh)
    if (method, key) == ("align", "sampling"):  # the article's box on pool5, never rounded
        assert "列方向从 9.25 到 15.5，行方向从 6 到 10.53125" in zh
        assert "columns 9.25 to 15.5, rows 6 to 10.53125" in en
    if key == "integrate":
        assert zh.startswith("**没有采样点。** 精确 RoI 池化（PrRoI Pooling）")


def test_the_training_view_reads_in_chinese_on_the_page():
    pages = {lang: open_page({"lang": lang, "view": "train", "method": "align"}) for lang in ("en", "zh")}
    md = {lang: [m.value for m in at.markdown] for lang, at in pages.items()}
    # the backward pass's words, and the gradient steps' words and table
    follow = {lang: next(v for v in md[lang] if v.startswith(start))
              for lang, start in (("en", "**What the figures follow.**"), ("zh", "**图中跟踪的是什么。**"))}
    check(follow["en"], follow["zh"])
    steps = {lang: next(v for v in md[lang] if v.startswith(start))
             for lang, start in (("en", "**Can the box move?"), ("zh", "**框能移动吗？"))}
    check(steps["en"], steps["zh"])
    assert "| 方法 | 所走步数 | 值：之前 → 之后 | 框移动 (px) |" in steps["zh"]
    # the controls and the downloads
    zh = pages["zh"]
    for label in ("子区域的行", "子区域的列", "通道"):
        widget(zh, "number_input", label)
    assert {b.label for b in zh.get("download_button")} >= {"下载梯度图（PNG）", "下载框的导数图（PNG）"}
    # the figures' text alternatives: the view's own sentence first, then the words
    alts = {lang: figures(at) for lang, at in pages.items()}
    assert len(alts["zh"]) == len(alts["en"]) == 2
    assert alts["zh"][0].startswith("子区域 (0, 0)、通道 ") and "的梯度落在特征图上的位置。" in alts["zh"][0]
    assert alts["en"][0].startswith("Where the gradient of bin (0, 0), channel ")
    for en, zh_alt in zip(alts["en"], alts["zh"]):
        head_en, head_zh = en.split(". ", 1)[0], zh_alt.split("。", 1)[0]
        assert numbers(head_en) == numbers(head_zh) and HAN.search(head_zh)


def test_presenter_mode_picks_the_training_picture_in_chinese():
    at = open_page({"lang": "zh", "view": "train", "method": "warp", "present": 1})
    pick = widget(at, "radio", "图")
    assert list(pick.options) == ["梯度落在哪里", "框滑动时的导数"]
    words = next(m.value for m in at.markdown if m.value.startswith("**图中跟踪的是什么。**"))
    assert "**MNC 的替代梯度。**" in words and "Multi-task Network Cascades（Dai et al., 2016）" in words
