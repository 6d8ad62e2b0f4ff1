"""The sidebar in Chinese (AppTest): ``?lang=zh`` shows its headings, every option's label, help and choices,
the presets and the network's line in Chinese, the link's values unchanged; ``lang=en`` shows the English.

The Chinese expected is the catalog's, looked up through :func:`roi_viz.language.using`; the numbers of each
Chinese label and help are the English one's.
"""
from __future__ import annotations

import re

from helpers import open_page, page_text
from roi_viz.language import using
from roi_viz.methods import METHODS
from roi_viz.state.options import BY_FIELD

HAN = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*")


def sidebar_widgets(at) -> list:
    sb = at.sidebar
    return [*sb.radio, *sb.selectbox, *sb.select_slider, *sb.number_input, *sb.toggle, *sb.button]


def labels(at) -> dict[str, object]:
    return {w.label: w for w in sidebar_widgets(at)}


def test_lang_zh_shows_the_sidebar_in_chinese_with_the_english_numbers():
    zh = open_page({"lang": "zh", "method": "align"})
    en = open_page({"lang": "en", "method": "align"})
    zl, el = labels(zh), labels(en)
    shown = ("network", "input_size", "shape", "layer", "method", "sampling_ratio", "align_mode", "aligned")
    for field in shown:
        o = BY_FIELD[field]
        with using("zh"):
            label, helped = o.shown_label(), o.shown_help()
        assert label in zl, f"{label!r} not among {list(zl)}"
        assert o.label in el and o.label not in zl
        w = zl[label]
        assert HAN.search(label) and HAN.search(w.help), (label, w.help)
        assert w.help == helped and NUMBER.findall(w.help) == NUMBER.findall(el[o.label].help)
    method = zl["RoI 如何变成固定尺寸的张量"]
    assert list(method.options) == ["RoI 池化 (RoI pooling)", "RoIAlign", "RoIWarp",
                                    "精确 RoI 池化 (Precise RoI Pooling)", "位置敏感 RoIAlign"][:len(METHODS)]
    assert method.value == "align"  # the value is the link's key, whatever the words
    net = zl["网络"]
    assert [HAN.search(x) is not None for x in net.options] == [True, True]
    assert list(zl["每个子区域一个值"].options) == ["各点的平均值", "各点的最大值"]
    headers = [h.value for h in zh.sidebar.header]
    assert headers[:4] == ["1. 图像", "2. 网络", "3. 方法", "4. 显示的通道"]
    assert [h.value for h in en.sidebar.header][:4] == ["1. Image", "2. Network", "3. Method", "4. Channel shown"]
    for zh_label, en_label in (("↺ 原文的例子", "↺ Article example"), ("Fast R-CNN 论文的设置", "Fast R-CNN paper setting"),
                               ("RoI 内最强的通道", "Strongest channel inside the RoI")):
        assert zh_label in zl and en_label in el
        assert NUMBER.findall(zl[zh_label].help or "") == NUMBER.findall(el[en_label].help or "")
    assert zh.query_params.get("method") in ("align", ["align"])  # the link keeps its English value


def test_the_article_preset_notice_is_chinese_with_its_numbers():
    at = open_page({"lang": "zh"})
    labels(at)["↺ 原文的例子"].click().run()
    text = page_text(at)
    assert "已载入原文的例子：512 × 512 输入上的 RoI (296, 192, 200, 145)。" in text
    assert "The article's example is loaded" not in text


def test_the_page_heading_names_the_method_in_the_course_s_terms():
    for method, zh_name in (("pool", "RoI 池化"), ("prroi", "精确 RoI 池化"), ("psroi", "位置敏感 RoIAlign")):
        at = open_page({"lang": "zh", "method": method})
        heading = next(m.value for m in at.markdown if m.value.startswith("## "))
        assert heading.startswith("## " + zh_name) and heading.endswith("，分步讲解"), heading
