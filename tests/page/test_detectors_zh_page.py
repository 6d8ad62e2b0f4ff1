"""The detectors view in Chinese (AppTest): ``?view=detect&lang=zh`` shows its parts' headings, pickers, figures'
text alternatives and words in Chinese with the numbers of ``lang=en``; the pickers still work in Chinese and
the cached figures follow the language (a page switched from English to Chinese draws Chinese figures).
"""
from __future__ import annotations

import re
from collections import Counter

from helpers import figures, open_page, page_text, widget

HAN = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"−?[0-9]+(?:[.,][0-9]+)*")


def numbers(text: str) -> Counter:
    return Counter(NUMBER.findall(text))


def parts(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("##### ")]


def test_the_detectors_view_in_chinese_carries_the_english_numbers():
    zh = open_page({"view": "detect", "lang": "zh"}, timeout=300)
    en = open_page({"view": "detect", "lang": "en"}, timeout=300)
    assert parts(zh) == ["##### 1. 金字塔的哪个层级", "##### 2. 每个输出单元格读取的位置", "##### 3. 从候选框到检测结果"]
    assert parts(en) == ["##### 1. Which level of the pyramid", "##### 2. Where each output cell reads",
                         "##### 3. From proposal to detection"]
    stride = widget(zh, "radio", "读取的步幅（px）")
    assert stride.value == widget(en, "radio", "Stride read (px)").value
    head = widget(zh, "radio", "输出")
    assert list(head.options) == ["7 × 7（边框头（box head））", "14 × 14（掩码头（mask head））"]
    assert [widget(zh, "number_input", f"目标 {c}（px）").value for c in "xywh"] == \
        [widget(en, "number_input", f"Target {c} (px)").value for c in "xywh"]
    alts_zh, alts_en = figures(zh), figures(en)
    assert len(alts_zh) == len(alts_en) >= 3
    for a_zh, a_en in zip(alts_zh[-3:], alts_en[-3:]):  # the view's three figures
        assert HAN.search(a_zh) and numbers(a_zh) == numbers(a_en), (a_zh, a_en)
    assert "金字塔的哪个层级：" in alts_zh[-3]
    text_zh, text_en = page_text(zh), page_text(en)
    for said in ("所以它从 P", "边框回归", "侧边栏的设置作用于第 2 部分"):
        assert said in text_zh, said
    assert "So it is pooled from P" in text_en and "So it is pooled from P" not in text_zh


def test_the_pickers_work_in_chinese_and_the_figures_follow_the_language():
    at = open_page({"view": "detect", "lang": "en"}, timeout=300)
    english = figures(at)[-3:]
    at.query_params["lang"] = "zh"
    widget(at, "radio", "Language").set_value("zh").run()
    assert not at.exception
    chinese = figures(at)[-3:]
    assert all(HAN.search(a) for a in chinese) and not any(HAN.search(a) for a in english)
    widget(at, "radio", "读取的步幅（px）").set_value(32).run()
    widget(at, "radio", "输出").set_value("mask").run()
    assert not at.exception
    reads = figures(at)[-2]
    assert "14×14 个子区域，步幅 32 px" in reads
    assert "在步幅 32 px 时" in page_text(at) and "半个单元格为 16 px" in page_text(at)
