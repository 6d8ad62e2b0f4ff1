"""RoI pooling's walkthrough in Chinese: every step's words and the figures' text alternatives.

The article's worked example (the box (296, 192, 200, 145) on a 512 x 512 input, pool5, stride 32, 3 x 3,
rounded down) is read with ``using("zh")`` and with ``using("en")``: the Chinese words are Chinese (Han
characters, no English sentence left over) and carry exactly the numbers of the English ones, which are the
article's (projected (9.25, 6, 6.25, 4.53125), snapped (9, 6, 6, 4), 5.32 cells lost, 1 gained, 1 x 2-cell bins,
row 9 dropped, 17.25 of 28.32 cells: 60.9 %), recomputed here from the trace, not copied. The other
branches of the words (Fast R-CNN's rule, empty bins, a box on cell edges, the comparison and the sliding box)
are read in Chinese too.
"""
from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest
from PIL import Image

from roi_viz.language import using
from roi_viz.lesson import alt, words
from roi_viz.lesson.numbers import exact, num, pct
from roi_viz.methods import METHODS, build_scene
from roi_viz.state.settings import ARTICLE, FAST_RCNN, Settings

HAN = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Three English words in a row: a sentence left untranslated (names such as "RoI 1", "pool5", "VGG16" are shorter).
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?:[ '-]+[A-Za-z]{2,}){2,}\b")

ROI = (296.0, 192.0, 200.0, 145.0)  # the article's
STEPS = {
    "image": words.step_image, "features": words.step_features, "quantize": words.step_quantize,
    "bins": words.step_bins, "pool": words.step_pool, "output": words.step_output,
}


def scene_for(preset=ARTICLE, roi=ROI, size=512, channels=8, seed=0, **changes):
    settings = Settings().with_(**preset).with_(**changes)
    side = size // settings.stride
    fm = np.random.default_rng(seed).random((channels, side, side), dtype=np.float32)
    return build_scene(Image.new("RGB", (size, size)), fm, [roi], 0, settings)


def numbers(text: str) -> Counter:
    """Every number a text prints, as a multiset: a translation may put them in its own order."""
    return Counter(NUMBER.findall(text))


def leftover_english(text: str, scene) -> list[str]:
    """English runs of words in a Chinese text, leaving out names the other modules give (the layer's label and
    the method's name come from the settings and the method's record)."""
    for name in (scene.layer_label, scene.method_name):
        text = text.replace(name, "")
    text = re.sub(r"`[^`]*`", "", text)  # code: torchvision's `roi_pool`
    return ENGLISH_RUN.findall(text)


def both(fn, *args):
    with using("en"):
        en = fn(*args)
    with using("zh"):
        zh = fn(*args)
    return en, zh


def assert_chinese_twin(en: str, zh: str, scene) -> None:
    assert HAN.search(zh), zh
    assert not leftover_english(zh, scene), (leftover_english(zh, scene), zh)
    assert numbers(zh) == numbers(en), (sorted((numbers(zh) - numbers(en)).elements()),
                                        sorted((numbers(en) - numbers(zh)).elements()), zh)


@pytest.mark.parametrize("step", list(STEPS))
def test_every_step_of_the_worked_example_reads_in_chinese_with_the_english_numbers(step):
    scene = scene_for()
    en, zh = both(STEPS[step], scene)
    assert not HAN.search(en)  # English is the code's own words
    assert_chinese_twin(en, zh, scene)


def test_the_worked_example_carries_the_articles_numbers_in_chinese():
    scene = scene_for()
    t = scene.pooled
    with using("zh"):
        text = {k: f(scene) for k, f in STEPS.items()}
    projected = [exact(v) for v in t.projected]
    assert projected == ["9.25", "6", "6.25", "4.53125"]  # REFERENCE.md: 296 / 32, 192 / 32, 200 / 32, 145 / 32
    for name, v, p in zip("xywh", ROI, projected):
        assert f"- {name}: {exact(v)} / 32 = **{p}**" in text["features"]
    assert "只有 y 是整数" in text["features"]
    assert [int(v) for v in t.quantized] == [9, 6, 6, 4]
    for p, q in zip(projected, t.quantized):
        assert f"⌊{p}⌋ = **{int(q)}**" in text["quantize"]
    assert "向下取整" in text["quantize"] and "量化到整格" in text["quantize"]
    assert f"**丢失：RoI 有 {num(t.lost_area)} 个单元格**" in text["quantize"] and num(t.lost_area) == "5.32"
    assert f"**多纳入：区域有 {num(t.gained_area)} 个单元格**" in text["quantize"] and num(t.gained_area) == "1"
    with using("zh"):  # the spans as the catalog words them (the handout shares these sentences)
        rows, cols, row9 = words.span(6, 10, "row"), words.span(9, 15, "column"), words.span(9, 10, "row")
    assert HAN.search(rows) and "6" in rows and "9" in rows and rows in text["quantize"] and cols in text["quantize"]
    assert "4 × 6 = 24 个单元格" in text["quantize"]
    assert "子区域（bin）" in text["bins"] and "每个子区域是 1 × 2 个单元格" in text["bins"]
    assert f"{row9}不属于任何子区域" in text["bins"] and "6 个单元格被划分丢弃" in text["bins"]
    assert "最大池化" in text["pool"] and text["pool"].count("| (") == 9  # one row per bin of the 3 x 3
    assert f"{num(t.covered_area)} 个单元格" in text["output"] and num(t.covered_area) == "17.25"
    assert f"{num(t.projected_area)} 个单元格" in text["output"] and num(t.projected_area) == "28.32"
    assert f"**{pct(t.covered_area / t.projected_area)}**" in text["output"] == text["output"]
    assert pct(t.covered_area / t.projected_area) == "60.9 %" and "覆盖率" in text["output"]
    assert "感兴趣区域（RoI）" in text["image"] and "步幅" in text["image"] and "感受野" in text["image"]


def test_english_is_unchanged_by_the_catalog():
    scene = scene_for()
    with using("en"):
        assert "**The model input.** The picture is resized to 512 × 512 pixels (a square, as in the article), the " \
               "size the network receives. The grid lines are 32 pixels apart" in words.step_image(scene)
        assert "**Lost: 5.32 cells** of the RoI fall outside the region (dark blue, hatched ///). " \
               "**Gained: 1 cell** of the region lies outside the RoI" in words.step_quantize(scene)
        assert "The bins use 3 rows and 6 columns; row 9 belongs to no bin. **6 cells of the region are dropped**" \
               in words.step_bins(scene)
        assert "reach the output: **60.9 %**" in words.step_output(scene)


def test_the_figures_text_alternative_and_numbers_table_in_chinese():
    scene = scene_for()
    with using("en"):
        en_alt, en_rows = alt.alt_text(scene, "Step 3: Quantization"), alt.key_numbers(scene)
    with using("zh"):
        zh_alt, zh_rows = alt.alt_text(scene, "步骤 3：量化"), alt.key_numbers(scene)
    assert_chinese_twin(en_alt, zh_alt, scene)
    assert "(9.25, 6, 6.25, 4.53125)" in zh_alt and "量化到整格 (9, 6, 6, 4)" in zh_alt
    assert "RoI 的 60.9 % 到达输出" in zh_alt
    assert len(zh_rows) == len(en_rows)
    for (en_q, en_v), (zh_q, zh_v) in zip(en_rows, zh_rows):
        assert numbers(zh_q) == numbers(en_q) and numbers(zh_v) == numbers(en_v), (en_q, zh_q, en_v, zh_v)
        assert HAN.search(zh_q) or zh_q == en_q, zh_q
    assert dict(zh_rows)["量化丢失的单元格"] == "5.32 个单元格"


# Branches the worked example does not reach: Fast R-CNN's rule, a box on cell edges, empty bins, 7 x 7.
BRANCHES = {
    "fastrcnn": dict(preset=FAST_RCNN, size=512, roi=(296.0, 192.0, 200.0, 145.0)),
    "edges": dict(roi=(64.0, 96.0, 128.0, 96.0)),
    "empty": dict(output_size=(7, 7)),
    "tiny": dict(roi=(300.0, 200.0, 20.0, 20.0)),
    "wide": dict(roi=(0.0, 0.0, 500.0, 300.0), output_size=(5, 4)),
}


@pytest.mark.parametrize("case", list(BRANCHES))
@pytest.mark.parametrize("method", list(METHODS))
def test_other_branches_and_methods_read_in_chinese(case, method):
    scene = scene_for(**dict(BRANCHES[case], method=method))
    for step in ("image", "features", "quantize", "bins", "pool", "output"):
        assert_chinese_twin(*both(STEPS[step], scene), scene)
    for note in (words.keeps_fractions, words.snaps_first):
        assert_chinese_twin(*both(words.step_features, scene, note), scene)
    assert_chinese_twin(*both(alt.alt_text, scene, "Step 1"), scene)


def test_the_comparison_and_the_sliding_box_in_chinese():
    from roi_viz import methods
    from roi_viz.methods import run_all
    from roi_viz.ops.sliding import slide_roi

    settings = Settings(method="align")
    fm = np.random.default_rng(0).standard_normal((18, 16, 16)).astype(np.float32)  # two groups of 3 x 3 bins
    scene = build_scene(Image.new("RGB", (512, 512)), fm, [ROI], 0, settings)
    traces = run_all(fm, ROI, settings)
    en, zh = both(words.compare_table, scene, traces, methods.NAMES, methods.labels(traces))
    assert HAN.search(zh) and numbers(zh) == numbers(en), zh
    assert "**通道 {}：同一个 RoI 经过每种方法。**".format(scene.channel) in zh
    slide = slide_roi(fm, ROI, methods.runners(settings), stride=32, output_size=(3, 3), channel=scene.channel,
                      bin=(0, 0), steps=21)
    en, zh = both(words.slide_text, slide, methods.NAMES)
    assert HAN.search(zh) and numbers(zh) == numbers(en), zh
    assert "**滑动框。** RoI 向右移动了 20 次" in zh
