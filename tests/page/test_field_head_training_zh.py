"""The figures of "What a cell sees", "After pooling" and "What the gradient reaches" in Simplified Chinese.

Each figure (roi_viz.figures.receptive, head, training) is described under ``using("zh")`` and ``using("en")``
from the same data (the cases of ``test_field_training_figures.py`` and ``test_head_quiz_figures.py``):

- laid out on the page (528-px column), a projector (1000/20 shown 900 px) and a phone (360/12), in both
  languages: no text too small, none overlapping another or leaving the figure (:func:`layout_checks.problems`);
- the Chinese figure reads Chinese (titles, legends, notes, axis names, badge, hovers, text alternative: Han
  characters, no English sentence left; ImageNet's class names, the dataset's own words, are left as they are) and
  shows exactly the numbers of the English one;
- both painters show the Chinese texts at the same place.
"""
from __future__ import annotations

import re

import pytest

from layout_checks import problems
from roi_viz.figures import head as fh
from roi_viz.language import using
from test_field_training_figures import SIZES, field_case, field_drawings, painters_agree, train_case, \
    train_drawings
from test_head_quiz_figures import BOXES as HEAD_BOXES, assert_painters_agree, head_results
from roi_viz.picture.spec import Point, Rect, Text

HAN = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
ENGLISH = re.compile(r"[A-Za-z]{2,}[ ,:;]+[A-Za-z]{2,}")  # two English words in a row
# The English term beside the Chinese one where papers use it: "感受野（receptive field）", "RoI 池化 (RoI pooling)".
TERM = re.compile(r"[（(][A-Za-z][A-Za-z -]*[)）]")
NAMES = re.compile(r"\bRoIAlign\b|\bRoIWarp\b|\bPrRoI\b|\bRoI\b|\bpx\b|\bVGG16\b|\b(pool|conv)\d(_\d)?\b")  # names a sentence may hold as they are
NOT_WORDS = ("tick", "value", "scale", "class")  # numbers, and the head's class names (ImageNet's own)


def in_both(make):
    with using("en"):
        en = make()
    with using("zh"):
        zh = make()
    return en, zh


def numbers(d) -> list[str]:
    found = [n for _p, m in d.marks(Text) for n in NUMBER.findall(m.text)]
    found += [n for _p, m in d.marks() if isinstance(m, (Rect, Point)) and m.title for n in NUMBER.findall(m.title)]
    return sorted(found + NUMBER.findall(d.alt))


def assert_chinese(d, where: str, names: tuple[str, ...] = ()) -> None:
    """Every word of ``d`` in Chinese; ``names`` (class names) are taken out before looking for English."""
    def bare(s: str) -> str:
        for n in names:
            s = s.replace(n, "")
        return TERM.sub("", s)

    words = [m.text for _p, m in d.marks(Text) if m.kind not in NOT_WORDS]
    words += [m.title for _p, m in d.marks() if isinstance(m, (Rect, Point)) and m.title] + [d.alt]
    assert words
    for w in words:
        # Chinese, or only names and numbers ("RoI 1 (296, 192)，200×145 px": the same in both languages).
        assert HAN.search(w) or not re.search(r"[A-Za-z]{2,}", NAMES.sub("", bare(w))), f"{where}: {w!r} is not Chinese"
        assert not ENGLISH.search(bare(w)), f"{where}: English left in {w!r}"


# ------------------------------------------------------------------------------------------ what a cell sees
FIELD = [("article", 3, "article", "pool"), ("fastrcnn", 7, "edge", "pool"), ("article", 2, "tiny", "pool"),
         ("fastrcnn", 3, "article", "align")]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("preset,out,box,method", FIELD)
def test_what_a_cell_sees_fits_in_both_languages(preset, out, box, method, lang):
    case = field_case(preset, out, box, method)
    for name, (size, shown, least) in SIZES.items():
        with using(lang):
            drawings = field_drawings(case, **size)
        for which, d in drawings.items():
            assert problems(d, shown, least) == [], (lang, name, which)


@pytest.mark.parametrize("preset,out,box,method", FIELD)
def test_what_a_cell_sees_reads_chinese_with_the_same_numbers(preset, out, box, method):
    case = field_case(preset, out, box, method)
    en, zh = in_both(lambda: field_drawings(case))
    for which in en:
        assert numbers(zh[which]) == numbers(en[which]), which
        assert_chinese(zh[which], which)
        painters_agree(zh[which])
    assert any(t.startswith("x（模型输入的像素）") for t in (m.text for _p, m in zh["cell"].marks(Text)))


# ------------------------------------------------------------------------------------------ the gradient
TRAIN = [("article", 3, True, "article", "pool"), ("fastrcnn", 7, False, "edge", "align"),
         ("article", 2, False, "tiny", "warp"), ("fastrcnn", 5, True, "article", "prroi")]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("preset,out,trained,box,method", TRAIN)
def test_what_the_gradient_reaches_fits_in_both_languages(preset, out, trained, box, method, lang):
    sc, bp = train_case(preset, out, trained, box, method)
    for name, (size, shown, least) in SIZES.items():
        with using(lang):
            drawings = train_drawings(sc, bp, **size)
        for which, d in drawings.items():
            assert problems(d, shown, least) == [], (lang, name, which)


@pytest.mark.parametrize("preset,out,trained,box,method", TRAIN)
def test_what_the_gradient_reaches_reads_chinese_with_the_same_numbers(preset, out, trained, box, method):
    sc, bp = train_case(preset, out, trained, box, method)
    en, zh = in_both(lambda: train_drawings(sc, bp))
    for which in en:
        assert numbers(zh[which]) == numbers(en[which]), which
        assert_chinese(zh[which], which)
        painters_agree(zh[which])
    if not trained:
        assert "未训练的 VGG16：特征是随机的" in [m.text for _p, m in zh["map"].marks(Text) if m.kind == "badge"]


# ------------------------------------------------------------------------------------------ after pooling
HEAD = [("article", 3, True, 1), ("fastrcnn", 7, False, len(HEAD_BOXES)), ("article", 1, False, 2)]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("preset,out,pretrained,n", HEAD)
def test_the_heads_chart_fits_in_both_languages(preset, out, pretrained, n, lang):
    results = head_results(preset, out, HEAD_BOXES[:n], pretrained)
    for name, (size, shown, least) in SIZES.items():
        with using(lang):
            d = fh.describe_head(results, pretrained, **size)
        assert problems(d, shown, least) == [], (lang, name)


@pytest.mark.parametrize("preset,out,pretrained,n", HEAD)
def test_the_heads_chart_reads_chinese_with_the_same_numbers(preset, out, pretrained, n):
    results = head_results(preset, out, HEAD_BOXES[:n], pretrained)
    en, zh = in_both(lambda: fh.describe_head(results, pretrained))
    assert numbers(zh) == numbers(en)
    names = tuple(sorted({c for r in results for c, _p in r.top}, key=len, reverse=True))
    assert_chinese(zh, "head", names)
    assert_painters_agree(zh)
    texts = [m.text for _p, m in zh.marks(Text)]
    assert "概率（所有 RoI 使用同一刻度）" in texts
    assert ("未训练：这些分数没有意义" in " ".join(texts)) == (not pretrained)
    with using("zh"):
        assert [m.text for _p, m in fh.describe_head([], True).marks(Text)] == ["没有可分类的 RoI。"]
