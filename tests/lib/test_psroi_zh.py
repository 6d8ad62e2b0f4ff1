"""Position-sensitive RoIAlign's own steps in Chinese: their words and figures with ``using("zh")``.

Over the English tests' cases (both presets, output sizes 1, 2, 3, 5, 7, trained or not, the article's box, a
tiny one, one at the image's edge, random ones) the Chinese figures are laid out clear at the page's, the
projector's and a phone's sizes; the Chinese words, figures' texts, hovers and text alternatives are Chinese
and carry exactly the English ones' numbers; the plain sentences (nothing to pool, a channel no bin reads) too.
No model, no browser.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from layout_checks import problems
from test_psroi_method import ARTICLE, KEY, layout_cases, scene_for
from roi_viz import walkthrough
from roi_viz.language import using
from zh_checks import HAN, both, english_left
from roi_viz.picture import mpl, svg
from roi_viz.picture.spec import Point, Rect, Text

NUMBER = re.compile(r"−?[0-9]+(?:[.,][0-9]+)*")
NS = {"s": "http://www.w3.org/2000/svg"}
OWN = ("groups", "output")  # the steps this method draws and tells itself (sampling and bilinear: RoIAlign's)
KEPT = ("position-sensitive", "Position-sensitive", "RoIAlign", "RoI pooling", "RoI", "R-FCN", "VGG16", "torchvision's", "torchvision",
        "bin", "px")
CASES = list(layout_cases())


def numbers(text: str) -> Counter:
    return Counter(NUMBER.findall(text))


def leftover(text: str) -> list[str]:
    return english_left(text, KEPT)



def check(en: str, zh: str) -> None:
    assert HAN.search(zh), zh
    assert numbers(zh) == numbers(en), (numbers(en) - numbers(zh), numbers(zh) - numbers(en), zh)
    assert leftover(zh) == [], (leftover(zh), zh)


def texts(d) -> list[str]:
    return [m.text for _, m in d.marks(Text)]


def titles(d) -> list[str]:
    return [m.title for _, m in d.marks() if isinstance(m, (Rect, Point)) and m.title]


@pytest.mark.parametrize("name,preset,out,pretrained,box", CASES[::2])
def test_the_chinese_figures_fit_the_page_a_projector_and_a_phone(name, preset, out, pretrained, box):
    sc = scene_for(preset, out, box, pretrained=pretrained, seed=out)
    with using("zh"):
        for key in OWN:
            step = walkthrough.step(KEY, key)
            assert problems(step.describe(sc), 528) == [], (key, name)
            assert problems(step.describe(sc, width=1000.0, text=20.0), 900, 18) == [], (key, name)
            assert problems(step.describe(sc, width=360.0, text=12.0), 360, 12) == [], (key, name)


def special_scenes():
    yield scene_for(ARTICLE, 3, channels=6)  # nothing to pool: 9 bins, 6 channels
    yield scene_for(ARTICLE, 3, channel=18)  # a channel no bin reads
    yield scene_for(ARTICLE, 3)  # the article's box, every bin printed
    yield scene_for(ARTICLE, 1, (100, 100, 9, 7))  # one bin, one point


@pytest.mark.parametrize("k", range(4))
def test_the_words_and_figures_say_chinese_with_the_english_numbers(k):
    sc = list(special_scenes())[k]
    for key in ("sampling", "bilinear", "groups", "output"):
        step = walkthrough.step(KEY, key)
        en, zh = both(lambda: step.words(sc))
        assert numbers(zh) == numbers(en), (key, zh)
        assert HAN.search(zh)
        if key in OWN:
            check(en, zh)
            den, dzh = both(lambda: step.describe(sc))
            check(den.alt, dzh.alt)
            assert numbers(" ".join(texts(dzh))) == numbers(" ".join(texts(den)))
            assert numbers(" ".join(titles(dzh))) == numbers(" ".join(titles(den)))
            assert leftover(" ".join(texts(dzh) + titles(dzh))) == [], dzh.alt
        else:  # RoIAlign's own words follow this method's lead sentence, in Chinese
            assert zh.startswith("**框、子区域和采样点都与 RoIAlign（对齐）相同。**" if key == "sampling"
                                 else "**一个采样点如何读取特征图**")


def test_the_plain_sentences_in_chinese():
    none, unread = scene_for(ARTICLE, 3, channels=6), scene_for(ARTICLE, 3, channel=18)
    with using("zh"):
        said = walkthrough.step(KEY, "groups").words(none)
        assert "**没有可池化的。**" in said and "C' = ⌊6 / 9⌋ = 0" in said
        said = walkthrough.step(KEY, "groups").words(unread)
        assert "**通道 18 没有被读取。**" in said and "通道 18 到 18 剩下没用" in said
        assert "通道 18 没有被读取" in walkthrough.step(KEY, "groups").describe(unread).alt


@pytest.mark.parametrize("key", OWN)
def test_both_painters_draw_the_chinese_texts(key):
    sc = scene_for(ARTICLE, 3)
    with using("zh"):
        d = walkthrough.step(KEY, key).describe(sc)
    shown = texts(d)
    heads = [m.text for _, m in d.marks(Text) if m.kind == "title"]
    assert heads and all(HAN.search(t) for t in heads), heads  # the step's own title, in Chinese
    assert HAN.search(d.alt) and d.alt.startswith(("每个子区域读取自己的通道", "输出 3×3×2")), d.alt
    assert [t.text for t in ET.fromstring(svg.paint(d)).findall(".//s:text", NS)] == shown
    assert [t.get_text() for t in mpl.paint(d).texts] == shown
