"""The walkthrough's figure speaks the page's language, even where a student in the other language drew it first.

A step's drawing is kept in a server-wide cache (``ui.cache.step_drawing``) shared by every session: the same
scene, step and size, asked for in English and then in Chinese, must give two drawings. Read on the page in
AppTest, as the student's browser receives it: the inline SVG's ``<text>`` elements and its ``aria-label``.
"""
from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET

import pytest

from helpers import open_page, widget

HAN = re.compile(r"[\u4e00-\u9fff]")
NS = "{http://www.w3.org/2000/svg}"


def step_svg(at) -> str:
    """The walkthrough step's figure as painted on the page (its inline SVG)."""
    found = []

    def walk(node) -> None:
        if getattr(node, "type", None) == "bidi_component" and node.proto.component_name == "roi_viz.figure":
            found.append(json.loads(node.proto.json)["svg"])
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    assert found, "no figure painted as SVG on the page"
    return found[0]  # the step's figure comes first in the walkthrough


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{NS}text")]


def label(svg: str) -> str:
    return html.unescape(re.search(r'aria-label="([^"]*)"', svg).group(1))


@pytest.mark.parametrize("step", [1, 3])
def test_switching_to_chinese_redraws_the_steps_figure_in_chinese(step):
    # The same photo, box and step first in English: the cache holds its English drawing.
    at = open_page({"view": "walk", "method": "pool", "step": step})
    english = step_svg(at)
    assert not any(HAN.search(t) for t in texts(english)), texts(english)[:3]
    widget(at, "radio", "Language").set_value("zh").run()
    assert not at.exception
    chinese = step_svg(at)
    assert chinese != english
    title = texts(chinese)[0]
    assert HAN.search(title), f"the step's figure is still English after the switch: {title!r}"
    assert title not in texts(english)
    if step == 3:  # quantization, the article's rule: its Chinese title and legend
        assert "量化（向下取整）" in texts(chinese) and any(t.startswith("丢失：") for t in texts(chinese))
        assert HAN.search(label(chinese))  # its text alternative, in Chinese too
    # And back: English again, the drawing that was drawn in English.
    widget(at, "radio", "语言 (Language)").set_value("en").run()
    assert texts(step_svg(at)) == texts(english)


def test_a_chinese_link_after_an_english_page_gets_the_chinese_figure():
    open_page({"view": "walk", "method": "warp", "step": 4})  # warp's sampling step, described in English
    at = open_page({"view": "walk", "method": "warp", "step": 4, "lang": "zh"})
    svg = step_svg(at)
    assert HAN.search(texts(svg)[0]) and "采样点" in texts(svg)
    assert not any(t == "sampling point" for t in texts(svg))


def test_the_figures_numbers_table_in_chinese():
    at = open_page({"view": "walk", "method": "pool", "lang": "zh"})
    (numbers,) = [e for e in at.expander if e.label == "图中的数字"]
    headers = [m.value.splitlines()[0] for m in numbers.markdown if m.value.startswith("| ")]
    assert "| 量 | 值 |" in headers, headers
    assert any(h.startswith("| 行 | 第 0 列 | 第 1 列 |") for h in headers), headers
    assert "所示通道的输出，逐行：" in [c.value for c in numbers.caption]
    at = open_page({"view": "walk", "method": "pool", "lang": "en"})
    (numbers,) = [e for e in at.expander if e.label == "The figure's numbers"]
    assert "| quantity | value |" in [m.value.splitlines()[0] for m in numbers.markdown]


def test_a_forward_that_fails_says_so_in_chinese(monkeypatch):
    from helpers import notices
    from roi_viz.model import features

    def broken(*args, **kwargs):
        raise RuntimeError("simulated: not enough memory")

    monkeypatch.setattr(features, "extract", broken)  # nothing is cached from a pass that fails
    at = open_page({"lang": "zh", "size": 352})
    errors = notices(at, "error")
    assert any(e.startswith("VGG16 无法以 352 × 352 在这张图像上运行（RuntimeError）。") for e in errors), errors
    assert not any("could not run" in e for e in errors)
