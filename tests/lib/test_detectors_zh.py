"""Today's detectors in Chinese: the pyramid level's step and paragraph, where each output cell reads, the box
head's regression (their words and their figures), with ``using("zh")`` against English.

The Chinese words carry exactly the English words' numbers (every number of a text, in either language, found
by one regex and compared as a multiset: a translation may put them in its own order); the article's box on
ResNet-50-FPN goes to P3 in Chinese (√(200·145) = 170.29, 3.6, P3, stride 8). The figures in Chinese are laid
out clear at the page's, the projector's and a phone's sizes over the English tests' cases, and both painters
draw their Chinese texts. No model, no browser.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

import numpy as np
import pytest
from PIL import Image

from layout_checks import problems
from test_detector_figures import (ALIGN_CASES, LEVEL_CASES, REGRESSION_CASES, SIZES, method_offsets,
                                   names_styles)
from roi_viz import walkthrough
from roi_viz.figures.detectors import (describe_alignment, describe_level, describe_offset_spread,
                                       describe_regression)
from roi_viz.language import using
from zh_checks import HAN, both, english_left
from roi_viz.lesson import detector_words as dw
from roi_viz.methods import build_scene
from roi_viz.picture import mpl, svg
from roi_viz.picture.spec import Point, Rect, Text
from roi_viz.state.settings import Settings

NUMBER = re.compile(r"−?[0-9]+(?:[.,][0-9]+)*")
NS = {"s": "http://www.w3.org/2000/svg"}
ARTICLE = (296, 192, 200, 145)
FPN, SIZE = "resnet50_fpn", 512
# Names and symbols that stay as they are inside a Chinese sentence.
KEPT = ("Precise RoI Pooling", "RoI pooling", "torchvision's", "torchvision", "Faster R-CNN", "ResNet-50-FPN", "LevelMapper", "MultiScaleRoIAlign",
        "ROIAlignV2", "detectron2", "RoIAlign", "RoIWarp", "PrRoI", "RoI", "aligned=False", "aligned=True", "FPN",
        "COCO", "log2", "log", "px", "tx", "ty", "tw", "th", "bin", "box head", "mask head")


def numbers(text: str) -> Counter:
    return Counter(NUMBER.findall(text))


def leftover(text: str) -> list[str]:
    return english_left(text, KEPT)



def check(en: str, zh: str) -> None:
    assert HAN.search(zh), zh
    assert numbers(zh) == numbers(en), (numbers(en) - numbers(zh), numbers(zh) - numbers(en), zh)
    assert leftover(zh) == [], (leftover(zh), zh)
    assert "。 " not in zh, zh  # Chinese puts no space between sentences


@pytest.fixture(scope="module")
def maps():
    return tuple(np.full((256, SIZE // s, SIZE // s), float(k), np.float32) for k, s in zip((2, 3, 4, 5), (4, 8, 16, 32)))


def fpn_scene(maps, box, pretrained=False):
    return build_scene(Image.new("RGB", (SIZE, SIZE)), maps, [box], 0, Settings(network=FPN), pretrained=pretrained)


# ------------------------------------------------------------------------------------------ the words
def test_the_article_box_s_level_step_in_chinese(maps):
    scene = fpn_scene(maps, ARTICLE)
    step = walkthrough.step("pool", "level")
    en, zh = both(lambda: step.words(scene))
    check(en, zh)
    assert both(lambda: step.title) == ("Which level of the pyramid", "金字塔的哪个层级")
    for said in ("√(w·h) = √(200 × 145) ≈ 170.29 px", "log2(170.29 / 224) ≈ −0.4", "≈ 3.6；向下取整 → 3",
                 "限制在 2..5 → P3，步幅 8 px", "**P3（步幅 8 px）**", "未训练的网络"):
        assert said in zh, said
    assert "**P3, stride 8 px**" in en and "floor → 3" in en


@pytest.mark.parametrize("box", [ARTICLE, (5, 5, 2, 3), (0, 0, 224, 224), (0, 0, 1500, 1400), (10, 10, 112, 112),
                                 (3.5, 7.25, 61.75, 33.5)])
@pytest.mark.parametrize("pretrained", [True, False])
def test_the_pyramid_steps_and_paragraph_in_chinese(maps, box, pretrained):
    scene = fpn_scene(maps, box, pretrained)
    for key in ("image", "level"):
        check(*both(lambda: walkthrough.steps("pool", FPN)[[s.key for s in walkthrough.steps("pool", FPN)].index(key)]
                    .words(scene)))
    check(*both(lambda: dw.level_words(box)))
    for strides in ((4, 8, 16, 32), (8, 16, 32, 64), (16, 32)):
        check(*both(lambda: dw.level_words(box, strides)))
        en, zh = both(lambda: dw.level_sums(dw.level_of(box, strides)))
        assert [numbers(x) for x in en] == [numbers(x) for x in zh]


@pytest.mark.parametrize("settings, stride, roi", ALIGN_CASES)
@pytest.mark.parametrize("chosen", [None, 8])
def test_where_each_cell_reads_in_chinese(settings, stride, roi, chosen):
    names, _styles = names_styles()
    offs = method_offsets(roi, settings, stride)
    en, zh = both(lambda: dw.alignment_words(offs, names, stride, settings.output_size, settings.aligned, chosen))
    check(en, zh)
    assert "位置敏感 RoIAlign" in zh and "精确 RoI 池化" in zh


@pytest.mark.parametrize("proposal, target, size, weights", REGRESSION_CASES)
def test_the_regression_in_chinese(proposal, target, size, weights):
    check(*both(lambda: dw.regression_words(proposal, target, weights)))


@pytest.mark.parametrize("target", [(1, 1, 0, 5), (1, 1, 5, -2), ("a", 1, 1, 1), (1e9, 1, 1, 1),
                                    (1, 1, float("nan"), 1), (0, 0, 20000, 10)])
def test_a_target_refused_says_why_in_chinese(target):
    en, zh = both(lambda: dw.target_problem(target, (10, 10, 30, 20)))
    assert en and zh
    check(en, zh)


# ------------------------------------------------------------------------------------------ the figures
def drawings(width=560.0, text=13.0):
    """Every detectors figure over the English tests' cases (a sample of the level cases)."""
    names, styles = names_styles()
    for box, size, strides in LEVEL_CASES:
        yield describe_level(box, input_size=size, strides=strides, width=width, text=text)
    for settings, stride, roi in ALIGN_CASES:
        offs = method_offsets(roi, settings, stride)
        yield describe_alignment(offs, names=names, styles=styles, stride=stride, output_size=settings.output_size,
                                 width=width, text=text)
        many = {k: np.stack([v, v[::-1]]) for k, v in offs.items()}
        yield describe_offset_spread(many, names=names, styles=styles, stride=stride, width=width, text=text)
    for proposal, target, size, weights in REGRESSION_CASES:
        yield describe_regression(proposal, target, weights=weights, image_size=size, width=width, text=text)


@pytest.mark.parametrize("where, width, text, shown, least", SIZES)
def test_the_chinese_figures_are_laid_out_clear_at_every_size(where, width, text, shown, least):
    with using("zh"):
        for d in drawings(width, text):
            assert problems(d, shown, least) == [], d.alt


def texts(d) -> list[str]:
    return [m.text for _, m in d.marks(Text)]


def titles(d) -> list[str]:
    return [m.title for _, m in d.marks() if isinstance(m, (Rect, Point)) and m.title]


def test_the_chinese_figures_say_chinese_with_the_english_numbers():
    en_all, zh_all = both(lambda: list(drawings()))
    for en, zh in zip(en_all, zh_all):
        check(en.alt, zh.alt)
        assert numbers(" ".join(texts(zh))) == numbers(" ".join(texts(en)))
        assert numbers(" ".join(titles(zh))) == numbers(" ".join(titles(en)))
        # no English left in the texts and hovers (read together: a wrapped name continues on the next line)
        assert leftover(" ".join(texts(zh) + titles(zh))) == [], zh.alt


def test_the_article_level_figure_in_chinese():
    with using("zh"):
        d = describe_level(ARTICLE, input_size=512)
    said = texts(d)
    assert "金字塔的哪个层级：200×145 px 的框从 P3（步幅 8）池化" in " ".join(said)
    assert "4 + (−0.4) + 0.000001 ≈ 3.6；向下取整 → 3" in said and "限制在 2..5 → P3，步幅 8 px" in said
    assert "P3，步幅 8（选中）" in " ".join(said)


@pytest.mark.parametrize("k", range(4))
def test_both_painters_draw_the_chinese_texts(k):
    names, styles = names_styles()
    settings, stride, roi = ALIGN_CASES[1]
    offs = method_offsets(roi, settings, stride)
    with using("zh"):
        d = [describe_level(ARTICLE, input_size=512),
             describe_alignment(offs, names=names, styles=styles, stride=stride, output_size=settings.output_size),
             describe_offset_spread({k_: np.stack([v, v + 1]) for k_, v in offs.items()}, names=names,
                                    styles=styles, stride=stride),
             describe_regression(ARTICLE, (280, 170, 240, 180), image_size=512, width=1000, text=20)][k]
    tree = ET.fromstring(svg.paint(d))
    shown = texts(d)
    assert any(HAN.search(t) for t in shown)
    assert [t.text for t in tree.findall(".//s:text", NS)] == shown
    assert [t.get_text() for t in mpl.paint(d).texts] == shown
