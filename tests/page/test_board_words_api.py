"""The board's and the stepper's words come from the catalog (issue 32): what ``ui.board`` sends its script (the
legend, the readout's templates, the keys' help, the stepper's buttons) is Chinese under ``using("zh")``, with the
same named placeholders and the same numbers as the English, which is unchanged.

The browser test (tests/browser/test_board_words_browser.py) reads the same words as the scripts fill them in."""
from __future__ import annotations

import re
import string

import pytest

from roi_viz.figures import look
from roi_viz.language import using
from roi_viz.methods import METHODS as RECORDS
from ui.board import METHODS, legend, pyramid_legend, pyramid_of, words
from ui.board import stepper

# Chinese characters, or Chinese punctuation (a template of numbers alone, "RoI {n}：({box}) px。", is Chinese by it).
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
LATIN_KEPT = {"RoI", "px", "log2", "aligned", "bin", "FPN", "Shift", "Alt", "Delete", "N", "A", "x", "y", "w", "h"}


def placeholders(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


def leftover_english(text: str) -> list[str]:
    """Latin words outside the terms a Chinese sentence keeps (and outside its placeholders)."""
    text = re.sub(r"\{\w+\}", "", text)
    return [w for w in re.findall(r"[A-Za-z]+\d*", text) if w not in LATIN_KEPT and not re.fullmatch(r"P\d", w)]


@pytest.mark.parametrize("which", [words, stepper.words])
def test_every_template_is_chinese_with_the_same_placeholders(which):
    en = which()
    with using("zh"):
        zh = which()
    assert en.keys() == zh.keys()
    for key, template in en.items():
        for e, z in zip(template, zh[key]) if isinstance(template, list) else [(template, zh[key])]:
            assert CJK.search(z), (key, z)
            assert not CJK.search(e), (key, e)
            assert placeholders(z) == placeholders(e), (key, e, z)
            assert NUMBER.findall(z) == NUMBER.findall(e), (key, e, z)
            assert not leftover_english(z), (key, leftover_english(z), z)


@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.parametrize("scheme", ["article", "fastrcnn"])
def test_the_legend_is_chinese_and_names_the_looks_areas(method, scheme):
    en = legend(RECORDS[method], scheme)
    with using("zh"):
        zh = legend(RECORDS[method], scheme)
        areas = {kind: look.WORDS[kind] for kind in ("lost", "gained", "dropped")}
        from roi_viz.language import _
        translated = {kind: _(w) for kind, w in areas.items()}
    assert CJK.search(zh) and not leftover_english(zh), zh
    for kind, w in areas.items():
        assert CJK.search(translated[kind]), (kind, translated[kind])  # the look's words are in the catalog
        if f"{w[0].upper()}{w[1:]}: " in en:  # an area the English legend names, the Chinese names too
            assert f"{translated[kind]}：" in zh, (kind, zh)
    assert en.startswith("Magenta: the RoI; on the grid its edges fall at fractional cells. "), en


def test_the_pyramid_legend_is_chinese_with_the_same_numbers():
    pyramid = pyramid_of((512, 512))
    en = pyramid_legend(pyramid)
    with using("zh"):
        zh = pyramid_legend(pyramid)
    assert "P2 (stride 4 px) below 112 px, P3 (8 px) from 112, P4 (16 px) from 224, P5 (32 px) from 448" in en, en
    assert CJK.search(zh) and not leftover_english(zh), zh
    assert NUMBER.findall(zh) == NUMBER.findall(en), (en, zh)
