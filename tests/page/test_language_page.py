"""The page in Chinese (AppTest): chosen by the link's ``lang``, switched in the sidebar, kept by the link.

What a student reads is checked: the view picker's names, the view's heading, the language switch and
the glossary, in Chinese with ``lang=zh`` and in English with ``lang=en`` or with no ``lang`` (AppTest has
no browser language: English). The Chinese words expected are the catalog's
(``roi_viz/locale/zh/LC_MESSAGES/roi_viz.po``), looked up through :func:`roi_viz.language.using`.
"""
from __future__ import annotations

import re

import pytest

from helpers import open_page, page_text, widget
from roi_viz.language import using
from roi_viz.lesson import glossary, views
from roi_viz.methods import METHODS

HAN = re.compile(r"[\u4e00-\u9fff]")


def headings(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("#### ")]


def picker(at) -> list[str]:
    """The view picker's options as the student reads them (its label is hidden: "View")."""
    return list(widget(at, "radio", "View").options)


def address(at, name: str) -> list[str]:
    """The values of ``name`` in the page's address bar, as the page last wrote it."""
    v = at.query_params.get(name, [])
    return list(v) if isinstance(v, (list, tuple)) else [v]


def expanders(at) -> list[str]:
    return [e.label for e in at.expander]


def in_zh(fn, *args):
    with using("zh"):
        return fn(*args)


def test_lang_zh_shows_the_views_the_heading_the_switch_and_the_glossary_in_chinese():
    at = open_page({"lang": "zh", "view": "compare"})
    assert "#### " + in_zh(views.heading, "compare", "") in headings(at)
    assert "#### 比较各方法" in headings(at)
    shown = picker(at)  # each view by its Chinese name
    assert shown == [in_zh(views.label, k) for k in views.VIEWS] and all(HAN.search(s) for s in shown)
    switch = widget(at, "radio", "语言 (Language)")
    assert switch.value == "zh" and list(switch.options) == ["English", "中文"]
    assert "术语表：本页用到的词" in expanders(at)
    text = page_text(at)
    for term, meaning in in_zh(glossary.entries):
        assert f"**{term}**：{meaning}" in text
    assert "**特征图 (feature map)**：网络从图像中得到的结果" in text and "Glossary: the words of this page" not in expanders(at)
    assert address(at, "lang") == ["zh"]  # the address bar keeps it


@pytest.mark.parametrize("params", [{"lang": "en"}, {}], ids=["lang=en", "no lang"])
def test_english_with_lang_en_or_no_lang(params):
    at = open_page({**params, "view": "walk"})
    assert "#### " + views.heading("walk", METHODS["pool"].name) in headings(at)
    assert picker(at) == [label for label, _h in views.VIEWS.values()]
    assert widget(at, "radio", "Language").value == "en"
    assert "Glossary: the words of this page" in expanders(at)
    assert not any(HAN.search(h) for h in headings(at))
    # A link the student did not give a language to is written without one: each reader's browser chooses.
    assert address(at, "lang") == list(params.values())


def test_the_sidebar_switch_changes_the_page_and_the_link_keeps_it():
    at = open_page({"view": "quiz"})
    assert "#### Quiz: predict, then check" in headings(at)
    widget(at, "radio", "Language").set_value("zh").run()
    assert not at.exception
    assert "#### 测验：先预测，再核对" in headings(at)
    assert address(at, "lang") == ["zh"] and address(at, "view") == ["quiz"]
    widget(at, "radio", "语言 (Language)").set_value("en").run()
    assert "#### Quiz: predict, then check" in headings(at) and address(at, "lang") == ["en"]


def test_a_bad_lang_is_named_in_plain_text_and_english_is_shown():
    at = open_page({"lang": "<b>klingon</b>"})
    assert any("lang='<b>klingon</b>' is not one of en, zh" in n for n in page_text(at).splitlines())
    assert widget(at, "radio", "Language").value == "en"


def test_presenter_mode_and_the_share_link_keep_the_language():
    from ui.session import session  # noqa: F401  (the page's modules, as the app imports them)

    at = open_page({"lang": "zh", "present": "1", "view": "compare"})
    assert "#### 比较各方法" in headings(at)
    assert address(at, "lang") == ["zh"] and address(at, "present") == ["1"]
    from roi_viz import link
    from roi_viz.state.share import student_link

    params = {k: v if len(v) > 1 else v[0] for k, v in ((k, at.query_params[k]) for k in at.query_params)}
    shared = student_link("http://class.example:8501", params)
    assert "lang=zh" in shared and "present" not in shared  # the students' page: in Chinese, not presented
    back, notices = link.from_params({"lang": ["zh"]})
    assert back.language == "zh" and not notices
