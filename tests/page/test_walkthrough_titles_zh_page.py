"""The walkthrough's step titles in Chinese (AppTest): with ``lang=zh`` the step picker, the step's heading, its
figure's text alternative, the close-up pickers and the forward pass's line are Chinese; with ``lang=en`` the
English titles, unchanged.
"""
from __future__ import annotations

import re

from helpers import figures, open_page, page_text, widget
from roi_viz import walkthrough
from roi_viz.language import using

HAN = re.compile(r"[\u4e00-\u9fff]")


def heading(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("### "))


def test_the_step_titles_heading_and_pickers_in_chinese():
    zh = open_page({"lang": "zh", "method": "align", "step": "3"})
    en = open_page({"lang": "en", "method": "align", "step": "3"})
    with using("zh"):
        titles = [s.title for s in walkthrough.steps("align")]
    assert heading(zh) == "### 步骤 3：子区域与采样点" and heading(en) == "### Step 3: Bins and sampling points"
    picker = next(r for r in zh.radio if r.label == "步骤")
    assert list(picker.options) == [f"{i + 1}. {t}" for i, t in enumerate(titles)]
    assert all(HAN.search(o) for o in picker.options)
    assert any(a.startswith("步骤 3：子区域与采样点") for a in figures(zh))
    for label in ("子区域的行", "子区域的列"):
        widget(zh, "number_input", label)
    assert widget(zh, "number_input", "采样点（1–").label.startswith("采样点（1–")
    step2 = open_page({"lang": "zh", "method": "align", "step": "2"})
    assert heading(step2) == "### 步骤 2：特征图与投影"
    assert "前向传播：" in page_text(step2) and "Forward pass" not in page_text(step2)


def test_the_picker_moves_between_chinese_steps():
    at = open_page({"lang": "zh", "method": "pool"})
    picker = next(r for r in at.radio if r.label == "步骤")
    picker.set_value(4).run()
    assert not at.exception
    assert heading(at) == "### 步骤 5：最大池化"
