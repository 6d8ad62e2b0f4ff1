"""A method's name is said in the page's language wherever the page names it: the view's heading, the comparison's
tables, the sliding box's words and the training view's (the audit found Precise RoI Pooling and Position-sensitive
RoIAlign in English on Chinese pages, passed from the records' English names).

The names a Chinese course uses come from the catalog (roi_viz.methods marks them); English pages are unchanged.
"""
from __future__ import annotations

import pytest

from helpers import open_page, page_text
from roi_viz.language import _, using
from roi_viz.methods import METHODS

ENGLISH_ONLY = {k: m.name for k, m in METHODS.items()}
with using("zh"):
    CHINESE = {k: _(m.name) for k, m in METHODS.items()}
# Names a Chinese course keeps in English (RoIAlign, RoIWarp) read the same in both languages.
TRANSLATED = [k for k in METHODS if CHINESE[k] != ENGLISH_ONLY[k]]


def test_some_names_are_translated():
    assert {"pool", "prroi", "psroi"} <= set(TRANSLATED), CHINESE


@pytest.mark.parametrize("key", TRANSLATED)
def test_the_walkthroughs_heading_names_the_method_in_chinese(key):
    at = open_page({"lang": "zh", "method": key})
    headings = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert headings and CHINESE[key] in headings[0], headings  # (the English term may follow in brackets)
    en = open_page({"lang": "en", "method": key})
    assert any(ENGLISH_ONLY[key] in m.value for m in en.markdown if m.value.startswith("#### "))


@pytest.mark.parametrize("view", ["compare", "slide"])
def test_the_comparison_and_the_sliding_box_name_every_method_in_chinese(view):
    text = page_text(open_page({"lang": "zh", "view": view}))
    for key in TRANSLATED:
        assert CHINESE[key] in text, (view, key, CHINESE[key])
    english = page_text(open_page({"lang": "en", "view": view}))
    assert all(ENGLISH_ONLY[key] in english and CHINESE[key] not in english for key in TRANSLATED)
