"""The options' words, the method records' names and the walkthrough's step titles in Chinese (no Streamlit).

With ``using("zh")`` every label, help, handout row and value word a person reads from
:data:`roi_viz.state.options.OPTIONS`, every method's name, label and quiz description
(:mod:`roi_viz.methods`), every layer's and network's label (:mod:`roi_viz.model.layers`) and every step
title (:mod:`roi_viz.walkthrough`) is Chinese and carries exactly the English words' numbers; with English
(the command line's language) they are the English declarations, unchanged.
"""
from __future__ import annotations

import itertools
import re
from types import SimpleNamespace

import pytest

from roi_viz import walkthrough
from roi_viz.language import using
from zh_checks import HAN, both, english_left
from roi_viz.methods import METHODS
from roi_viz.model.layers import LAYERS, NETWORKS
from roi_viz.state.options import AXIS_WORDS, MODE_WORDS, OPTIONS
from roi_viz.state.settings import Settings

NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
# English words that stay as names in a Chinese sentence (networks, layers, libraries, methods' own names).
NAMES = ("RoIAlign", "RoIWarp", "RoI", "VGG16", "ResNet-50-FPN", "ResNet-50", "Faster R-CNN", "Fast R-CNN", "Mask R-CNN", "R-CNN",
         "torchvision", "detectron2", "ROIAlignV2", "MultiScaleRoIAlign", "roi_align", "sampling_ratio", "aligned",
         "True", "PrRoI", "Caffe", "FPN", "ReLU", "pool5", "conv5_3", "avg", "max", "legacy", "px", "bin", "Pooling",
         "Precise", "pooling", "P2", "P3", "P4", "P5", "S")


def numbers(text: str) -> list[str]:
    return NUMBER.findall(text)


def leftover_english(text: str) -> list[str]:
    return english_left(text, NAMES)



def assert_chinese_like(en: str, zh: str) -> None:
    assert HAN.search(zh), f"no Chinese in {zh!r} (English {en!r})"
    assert numbers(zh) == numbers(en), (en, zh)
    assert leftover_english(zh) == [], (en, zh)


def test_every_option_label_help_and_handout_row_is_chinese_with_the_english_numbers():
    for o in OPTIONS:
        for shown in (o.shown_label, o.shown_help, o.shown_handout):
            en, zh = both(shown)
            assert_chinese_like(en, zh)
        # English is the declaration itself (what the command line prints)
        with using("en"):
            assert (o.shown_label(), o.shown_help(), o.shown_handout()) == (o.label, o.help, o.handout)


def test_the_option_values_are_said_in_chinese_and_the_link_keeps_its_english_values():
    words = {o.field: o for o in OPTIONS}
    cases = [("aligned", True, "on", "开"), ("aligned", False, "off", "关"), ("mean_view", True, "on", "开"),
             ("channel", None, "the strongest inside the RoI", "RoI 内最强的通道"),
             ("sampling_ratio", 0, "adaptive", "自适应"), ("sampling_ratio", 2, "2", "2"),
             ("output_size", (3, 3), "3 × 3", "3 × 3"), ("channel", 17, "17", "17")]
    for field, value, en_words, zh_words in cases:
        o = words[field]
        assert both(lambda: o.words(value)) == (en_words, zh_words)
        assert both(lambda: o.to_text(value))[0] == both(lambda: o.to_text(value))[1]  # the link: one spelling
    for o in OPTIONS:
        if o.kind != "choice":
            continue
        en, zh = both(o.choices)
        assert list(en) == list(zh)  # the keys (link values, CLI choices) stay English
        for k in en:
            if en[k] in ("RoIAlign", "RoIWarp"):  # names kept as they are in a Chinese course
                assert zh[k] == en[k]
                continue
            assert_chinese_like(en[k], zh[k])
        with using("zh"):
            assert all(o.parse(k) == k for k in en)  # a Chinese page still reads the link's English values
    for table in (MODE_WORDS, AXIS_WORDS):  # stored, translated where shown
        for stored in table.values():
            from roi_viz.language import _
            assert_chinese_like(*both(lambda: _(stored)))


def test_the_method_option_names_the_methods_in_the_course_s_terms():
    with using("zh"):
        names = {o.field: o for o in OPTIONS}["method"].choices()
    assert names["align"] == "RoIAlign" and names["warp"] == "RoIWarp"
    assert names["pool"].startswith("RoI 池化") and names["prroi"].startswith("精确 RoI 池化")
    assert names["psroi"] == "位置敏感 RoIAlign"


def test_every_layer_and_network_label_is_chinese_with_its_stride():
    from roi_viz.language import _
    for label in [x.label for x in LAYERS.values()] + [n.label for n in NETWORKS.values()]:
        en, zh = both(lambda: _(label))
        assert en == label
        assert_chinese_like(en, zh)
    with using("zh"):
        assert _(LAYERS["P3"].label) == "ResNet-50-FPN 层级 P3（步幅 8）"
        assert _(LAYERS["pool5"].label) == "VGG16 直到 pool5（步幅 32）"


@pytest.mark.parametrize("key", list(METHODS))
@pytest.mark.parametrize("network", list(NETWORKS))
def test_every_step_title_of_every_method_is_chinese(key, network):
    en, zh = both(lambda: [s.title for s in walkthrough.steps(key, network)])
    assert len(en) == len(zh)
    for e, z in zip(en, zh):
        assert_chinese_like(e, z)
    assert en == [s.name for s in walkthrough.steps(key, network)]  # English: the stored titles


def test_the_article_steps_read_in_chinese():
    with using("zh"):
        titles = [s.title for s in walkthrough.steps("pool")]
    assert titles == ["图像与 RoI", "特征图与投影", "量化", "划分子区域（bin）", "最大池化", "输出与覆盖率"]


@pytest.mark.parametrize("key", list(METHODS))
def test_every_method_label_and_description_is_chinese_with_the_english_numbers(key):
    rec = METHODS[key]
    for scheme, ratio, aligned, mode in itertools.product(("article", "fastrcnn"), (0, 2, 5), (True, False),
                                                          ("avg", "max")):
        s = Settings(method=key, scheme=scheme, sampling_ratio=ratio, aligned=aligned, align_mode=mode,
                     warp_mode=mode)
        trace = SimpleNamespace(scheme=scheme, sampling_ratio=ratio, aligned=aligned, mode=mode, out_channels=56,
                                groups=9)
        for en, zh in (both(lambda: rec.describe(s)), both(lambda: rec.label(trace))):
            assert_chinese_like(en, zh)


def test_the_article_s_method_description_in_chinese():
    s = Settings()  # the article's: RoI pooling, rounded down
    en, zh = both(lambda: METHODS["pool"].describe(s))
    assert en == "RoI pooling (the article's rule: every number rounded down)"
    assert zh == "RoI 池化（原文的规则：每个数都向下取整）"
    en, zh = both(lambda: METHODS["align"].describe(Settings(method="align", sampling_ratio=2)))
    assert "采样率 2" in zh and numbers(zh) == numbers(en)


def test_a_scene_that_cannot_be_built_says_why_in_chinese():
    import numpy as np
    from PIL import Image
    from roi_viz.methods import build_scene

    img, fm = Image.new("RGB", (64, 64)), np.zeros((4, 2, 2), np.float32)
    for rois, active, channel in (((), 0, None), (((0, 0, 32, 32),), 3, None), (((0, 0, 32, 32),), 0, 9)):
        def why():
            try:
                build_scene(img, fm, rois, active, Settings(channel=channel))
            except ValueError as exc:
                return str(exc)
        en, zh = both(why)
        assert en and zh
        assert_chinese_like(en, zh)


def test_bold_words_close_where_markdown_can_close_them():
    """A Chinese bold phrase that ends in full-width punctuation must be followed by a space or punctuation, else
    Markdown (CommonMark's flanking rule) does not close it and the student reads the asterisks: the untrained
    network's warning in the sidebar's language is bold up to the network's name."""
    from babel.messages.pofile import read_po
    from roi_viz.language import _, po_file

    with open(po_file("zh"), "rb") as f:
        catalog = read_po(f, locale="zh")
    stuck = []
    for m in catalog:
        for s in (m.string if isinstance(m.string, tuple) else (m.string,)):
            for bold in re.finditer(r"\*\*([^*]+?)\*\*(.?)", s or ""):
                inner, after = bold.groups()
                if inner[-1] in "：。，；！？）" and after and not after.isspace() and after not in "：。，；！？（）*":
                    stuck.append(s)
    assert stuck == []
    with using("zh"):
        said = _("**Untrained VGG16:** no ImageNet weights. Every number is exact, but the activations mean "
                 "nothing (details in the sidebar).")
    assert said.startswith("**未训练的 VGG16**：没有 ImageNet 权重。")
