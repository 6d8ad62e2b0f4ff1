"""The Proposals view's words (:mod:`roi_viz.lesson.proposals`) in Chinese: the same numbers as in English.

The boxes are the article's worked example, (296, 192, 200, 145) on the 512 × 512 input, with boxes around it
large and small, measured at the article's setting (pool5, stride 32, 3 × 3 bins, rounded down) and at Fast
R-CNN's (conv5_3, 7 × 7, the code's rounding). Every function that writes words is called under
``using("en")`` and ``using("zh")``: the Chinese is Chinese (Han characters, none of the English sentence's
words left), the numbers extracted from both are the same list, and the English is the code's own.
"""
from __future__ import annotations

import re

import numpy as np
import pytest

from roi_viz.language import using
from roi_viz.lesson import proposals as words
from roi_viz.study import proposals

HAN = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
ENGLISH = re.compile(r"\b(?:the|of|and|proposals?|boxes|keeps?|median|stride|bins|cells?|rounded|reaches|zeros)\b")
ARTICLE_BOX = (296.0, 192.0, 200.0, 145.0)
DIMS = (512, 512)


def boxes() -> np.ndarray:
    rng = np.random.default_rng(32)
    xy = rng.uniform(0, 400, (60, 2))
    wh = np.exp(rng.uniform(np.log(4), np.log(300), (60, 2)))
    wh = np.minimum(wh, 512 - xy)
    return np.vstack([np.array([ARTICLE_BOX]), np.hstack([xy, wh])])


def said(setting: words.Setting, lang: str) -> dict[str, str]:
    """Every text the view shows from the library, at ``setting``, in ``lang``."""
    b = boxes()
    H, W = proposals.map_size(DIMS, setting.stride)
    with using(lang):
        st = words.study(b, map_size=(H, W), stride=setting.stride, output_size=setting.output_size,
                         scheme=setting.scheme, layer=setting.layer)
        pl = words.pyramid(b, DIMS, setting)
        return {
            "heading": words.heading(setting),
            "contrast": words.contrast_words(words.contrast(b, DIMS)),
            "why": words.why_words(st),
            "count": words.count_words(st, 4.6, "fast", DIMS),
            "count quality": words.count_words(st, 12.5, "quality", DIMS),
            **{f"photo {o}": words.photo_words(st, 10, o) for o in words.ORDERS},
            **{f"alt {o}": words.photo_alt(st, 10, o) for o in words.ORDERS},
            **{f"title {o}": words.photo_title(st, 10, o) for o in words.ORDERS},
            "distribution": words.distribution_words(st),
            "size": words.size_words(st),
            "empty": words.empty_words(st),
            "pick": words.pick_label(st, 0),
            "summary": words.summary_text(st),
            "pyramid": words.pyramid_words(pl),
            "pyramid alt": words.pyramid_alt(pl),
            "pyramid title": words.pyramid_title(pl),
            "kept": words.kept_title(pl.pyramid),
            "glossary": words.pyramid_glossary(),
        }


@pytest.mark.parametrize("setting", [words.ARTICLE_SETTING, words.FAST_RCNN_SETTING], ids=["article", "fastrcnn"])
def test_every_sentence_in_chinese_with_the_english_numbers(setting):
    en, zh = said(setting, "en"), said(setting, "zh")
    for name, text in zh.items():
        assert text and HAN.search(text), name
        # Layer names and methods stay as the papers write them (pool5, RoIAlign); no English sentence is left.
        left = ENGLISH.findall(re.sub(r"\*\*[^*]*\*\*", "", text) if name == "glossary" else text)
        assert not left, (name, left, text)
        assert sorted(NUMBER.findall(text)) == sorted(NUMBER.findall(en[name])), (name, en[name], text)
        assert not HAN.search(en[name]), name


def test_the_worked_example_in_both_languages():
    """The article's box (296, 192, 200, 145) picked from the list, and the article's setting named in words."""
    en, zh = said(words.ARTICLE_SETTING, "en"), said(words.ARTICLE_SETTING, "zh")
    assert en["pick"].startswith("#1: (296, 192, 200 × 145) keeps ")
    assert zh["pick"].startswith("#1：(296, 192, 200 × 145) 保留 ")
    assert en["heading"] == "At the article's setting: pool5 (stride 32), 3 × 3 bins, rounded down (article)"
    assert zh["heading"] == "原文的设置下：pool5（步幅 32），3 × 3 个子区域，向下取整（原文）"
    assert "| | The article's setting | Fast R-CNN's setting |" in en["contrast"]
    assert "| | 原文的设置 | Fast R-CNN 的设置 |" in zh["contrast"]
    assert "| 层 | pool5，步幅 32 | conv5_3，步幅 16 |" in zh["contrast"]


# ------------------------------------------------------------------------------------------ the figures in Chinese
SIZES = [  # (width, text, shown width, least px there): the page in its 528-px column, a projector, a phone
    ("page", 560.0, 13.0, 528, 12.0), ("projector", 1000.0, 20.0, 900, 18.0), ("phone", 360.0, 12.0, 360, 12.0)]


def zh_drawings(setting: words.Setting, width: float, text: float):
    """The view's figures, their words (titles, the panels' names, the pyramid's rows) in Chinese."""
    import io

    from PIL import Image

    from roi_viz.figures.proposals import (describe_by_size, describe_distribution, describe_ends,
                                           describe_on_photo, describe_pyramid)
    from roi_viz.methods import METHODS

    buf = io.BytesIO()
    Image.new("RGB", DIMS, (90, 120, 60)).save(buf, format="PNG")
    b = boxes()
    with using("zh"):
        st = words.study(b, map_size=proposals.map_size(DIMS, setting.stride), stride=setting.stride,
                         output_size=setting.output_size, scheme=setting.scheme, layer=setting.layer)
        for order, drawn in (("rank", 5), ("largest", 20), ("smallest", st.count)):
            yield order, describe_on_photo(buf.getvalue(), "PNG", DIMS, st.boxes, st.geo.coverage,
                                           words.shown(st, drawn, order), title=words.photo_title(st, drawn, order),
                                           alt=words.photo_alt(st, drawn, order), width=width, text=text)
        worst, best = words.ends(st, 40)
        yield "ends", describe_ends(buf.getvalue(), "PNG", DIMS, st.boxes, st.geo.coverage, worst, best,
                                    title=words.photo_title(st, 40, "ends"), alt=words.photo_alt(st, 40, "ends"),
                                    width=width, text=text / 13.0)
        yield "distribution", describe_distribution(st.coverage, alt="", width=width, text=text)
        measured = next(m for m in METHODS.values() if m.snaps_to_cells and m.whole_cell_bins)
        yield "size", describe_by_size(st.short_side, st.geo.coverage, st.geo.all_empty, min(st.geo.output_size),
                                       layer=st.layer, style=measured.style, alt="", width=width, text=text)
        pl = words.pyramid(b, DIMS, setting)
        yield "pyramid", describe_pyramid(pl, alt=words.pyramid_alt(pl), width=width, text=text)


@pytest.mark.parametrize("setting", [words.ARTICLE_SETTING, words.FAST_RCNN_SETTING], ids=["article", "fastrcnn"])
@pytest.mark.parametrize("where, width, text, shown, least", SIZES)
def test_the_figures_are_clear_in_chinese(setting, where, width, text, shown, least):
    """No text under the least size where it is shown, none overlapping another, nothing outside the drawing,
    with the titles and the panels' names in Chinese."""
    from layout_checks import problems
    from roi_viz.picture.spec import Text

    for fig, d in zh_drawings(setting, width, text):
        assert problems(d, shown, least) == [], f"{fig} at {where}"
        if fig in ("rank", "ends", "distribution"):  # a title or the panels' names, in Chinese
            assert any(HAN.search(m.text) for _, m in d.marks(Text)), fig
        if fig == "pyramid":  # its title, its columns' names and its note, in Chinese
            texts = [m.text for _, m in d.marks(Text)]
            for kind in ("column name", "title", "note"):
                said = [m.text for _, m in d.marks(Text) if m.kind == kind]
                assert said and all(HAN.search(t) for t in said), (kind, said)
            assert not any(t in " ".join(texts) for t in ("reaches the output", "Levels by torchvision"))


# ------------------------------------------------------------------------------------------ bold in Chinese
SLICE = ("ui/views/compare.py", "ui/views/slide.py", "ui/views/field.py", "ui/views/head.py", "ui/views/proposals.py",
         "roi_viz/lesson/proposals.py", "ui/teacher.py", "app.py")


def flanking(text: str, at: int) -> tuple[bool, bool]:
    """Whether the ``**`` at ``at`` can open and can close emphasis (CommonMark's left- and right-flanking rules,
    punctuation being Unicode's P and S classes: Chinese full-width punctuation included)."""
    import unicodedata

    def punct(c: str) -> bool:
        return unicodedata.category(c)[0] in "PS"

    before = text[at - 1] if at > 0 else " "
    after = text[at + 2] if at + 2 < len(text) else " "
    left = not after.isspace() and (not punct(after) or before.isspace() or punct(before))
    right = not before.isspace() and (not punct(before) or after.isspace() or punct(after))
    return left, right


def test_every_bold_of_the_chinese_sentences_renders():
    """``**…**`` in a Chinese sentence is bold only where CommonMark lets it open and close: a closing ``**``
    after a full-width bracket and before a Han character would be shown as two stars."""
    from babel.messages.extract import extract_from_file

    from helpers import ROOT
    from roi_viz.language import catalog

    checked = 0
    for name in SLICE:
        for _line, message, _c, _ctx in extract_from_file("python", str(ROOT / name),
                                                          keywords={"_": None, "N_": None, "ngettext": (1, 2)}):
            m = message[0] if isinstance(message, tuple) else message
            t = catalog("zh")
            zh = t.gettext(m) if t.gettext(m) != m else t.ngettext(m, m, 2)
            text = re.sub(r"\{\w*\}", "1", zh)  # a placeholder is a number or a name
            runs = [i.start() for i in re.finditer(r"\*\*", text)]
            assert len(runs) % 2 == 0, zh
            for opening, closing in zip(runs[::2], runs[1::2]):
                checked += 1
                assert flanking(text, opening)[0], f"cannot open: {zh}"
                assert flanking(text, closing)[1], f"cannot close: {zh}"
    assert checked >= 20
