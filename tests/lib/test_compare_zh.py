"""The comparison and the sliding box's figures in Chinese (``using("zh")``): laid out clear as the English ones
are (the page's 528-px column, a projector, a GIF frame at its own size) over both presets, output sizes
1, 2, 3, 5, 7, trained or not; their titles, legends, notes, hovers and text alternatives Chinese, with exactly
the English figures' numbers; the methods' settings under their names read from their Chinese labels.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from layout_checks import problems
from test_compare_figures import drawings, scene_for
from roi_viz.figures.compare import describe_compare
from roi_viz.language import using
from roi_viz.methods import METHODS, run_all
from roi_viz.picture import mpl, svg
from roi_viz.picture.spec import Point, Rect, Text
from roi_viz.state.settings import ARTICLE

HAN = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"−?[0-9]+(?:[.,][0-9]+)*")
NS = {"s": "http://www.w3.org/2000/svg"}
# The methods' short names in the legends and column heads, and the names kept in their labels.
KEPT = ("RoI pooling", "RoIAlign", "RoIWarp", "PrRoI", "PS-RoI", "RoI", "VGG16", "Fast R-CNN", "avg", "max", "px")
NUMBERS_ONLY = {"tick", "value", "scale"}


def numbers(text: str) -> Counter:
    return Counter(NUMBER.findall(text))


def leftover(text: str) -> list[str]:
    for k in sorted(KEPT, key=len, reverse=True):
        text = text.replace(k, " ")
    return re.findall(r"[A-Za-z]{3,}", text)


def in_(lang):
    with using(lang):
        return list(drawings())


def texts(d) -> list[str]:
    return [m.text for _, m in d.marks(Text)]


def titles(d) -> list[str]:
    return [m.title for _, m in d.marks() if isinstance(m, (Rect, Point)) and m.title]


@pytest.fixture(scope="module")
def pairs():
    en, zh = in_("en"), in_("zh")
    assert [n for n, _d in en] == [n for n, _d in zh]
    return [(n, a, b) for (n, a), (_n, b) in zip(en, zh)]


def test_the_chinese_figures_are_laid_out_clear(pairs):
    for name, _en, d in pairs:
        shown, least = (528, 12) if d.width <= 560 else (900, 18) if d.width >= 1000 else (d.width, 12)
        assert problems(d, shown, least) == [], name


def test_the_chinese_figures_say_chinese_with_the_english_numbers(pairs):
    for name, en, zh in pairs:
        assert HAN.search(zh.alt) and numbers(zh.alt) == numbers(en.alt), (name, zh.alt)
        assert leftover(zh.alt) == [], (name, zh.alt)
        assert numbers(" ".join(texts(zh))) == numbers(" ".join(texts(en))), name
        assert numbers(" ".join(titles(zh))) == numbers(" ".join(titles(en))), name
        assert leftover(" ".join(texts(zh) + titles(zh))) == [], (name, leftover(" ".join(texts(zh) + titles(zh))))


def test_the_settings_under_each_method_come_from_its_chinese_label():
    sc = scene_for(ARTICLE, 3, pretrained=False)
    traces = run_all(sc.features, sc.rois[0], sc.settings)
    with using("zh"):
        d = describe_compare(sc, traces, METHODS)
    settings = " ".join(m.text for _, m in d.marks(Text) if m.kind == "settings")
    assert "原文的取整" in settings and "采样率" in settings and "（" not in settings and "）" not in settings
    said = texts(d)
    assert "未训练的 VGG16：特征是随机的" in said
    assert any(t.startswith("同一个 RoI 经过每种方法") for t in said)


@pytest.mark.parametrize("k", [0, 2, 4])
def test_both_painters_draw_the_chinese_texts(pairs, k):
    _name, _en, d = pairs[k]
    shown = texts(d)
    assert any(HAN.search(t) for t in shown)
    assert [t.text for t in ET.fromstring(svg.paint(d)).findall(".//s:text", NS)] == shown
    assert [t.get_text() for t in mpl.paint(d).texts] == shown
