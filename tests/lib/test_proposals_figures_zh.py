"""The Proposals view's figures in Chinese: every text and every hover a person reads is Chinese where it has words
(no run of English words left: the legend's "the 40 worst: keep …", the histograms' "median", the axis's "boxes" and
each box's hover were English on a Chinese page), carries the English figure's numbers, and is laid out clear at
the page's, the projector's and the phone's sizes."""
from __future__ import annotations

import re

import pytest

from layout_checks import problems
from roi_viz.language import using
from roi_viz.picture.spec import Rect, Text
from test_proposals_figures import STUDIES, drawings, study

ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}[ ,:]+[A-Za-z]{2,}")
KEPT = {"RoI pooling", "RoIAlign", "RoIWarp", "PrRoI", "PS-RoI", "VGG16", "conv5_3", "pool5"}  # names kept in English
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def said(d) -> list[str]:
    """Every text of a drawing and every hover of its marks."""
    return [m.text for _, m in d.marks(Text)] + [m.title for _, m in d.marks(Rect) if getattr(m, "title", "")]


def english_left(text: str) -> list[str]:
    for name in KEPT:
        text = text.replace(name, "")
    return ENGLISH_RUN.findall(text)


@pytest.mark.parametrize("name, layer, scheme", [s for s in STUDIES if s[0] in ("chosen", "few")])
def test_the_proposals_figures_speak_chinese_with_the_english_numbers(name, layer, scheme):
    with using("en"):  # the study names its panels (method and rule) in the language it is made in, as the page does
        english = {k: d for k, d in drawings(study(name, layer, scheme), 560.0, 13.0)}
    with using("zh"):
        chinese = {k: d for k, d in drawings(study(name, layer, scheme), 560.0, 13.0)}
    assert english.keys() == chinese.keys()
    for key in chinese:
        zh, en = said(chinese[key]), said(english[key])
        left = [t for t in zh if english_left(t)]
        assert not left, (key, left[:5])
        assert sorted(NUMBER.findall(" ".join(zh))) == sorted(NUMBER.findall(" ".join(en))), key
        assert any(re.search(r"[\u4e00-\u9fff]", t) for t in zh), key


@pytest.mark.parametrize("width, text, shown, least", [(560.0, 13.0, 528, 12), (1000.0, 20.0, 900, 18),
                                                       (360.0, 12.0, 360, 12)])
def test_the_chinese_figures_are_laid_out_clear(width, text, shown, least):
    with using("zh"):
        for key, d in drawings(study("chosen", "pool5", "article"), width, text):
            assert problems(d, shown, least) == [], key
