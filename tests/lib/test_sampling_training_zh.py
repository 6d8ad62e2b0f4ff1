"""RoIAlign's, RoIWarp's and Precise RoI Pooling's steps, and the training view's words, in Chinese.

The article's box (296, 192, 200, 145) on a 512 x 512 input, pool5, stride 32, 3 x 3, is read with
``using("zh")`` and with ``using("en")``: each step's words (and the backward pass's, and the gradient steps'
table) are Chinese (Han characters, no English sentence left over) and carry exactly the numbers of the English
ones. The numbers of the worked example are recomputed from the trace (the projected box 9.25 to 15.5 by 6 to
10.53125, the snapped region of RoIWarp, 5.32 cells cut off, 28.32 cells of RoI, RoI pooling's 60.9 %) and
looked for in both. Other branches (the legacy rule, the adaptive ratio, the maximum, empty bins, a box off the
map) are read in Chinese too.
"""
from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest
from PIL import Image

from roi_viz import walkthrough
from roi_viz.language import using
from roi_viz.lesson import sampling_words
from roi_viz.lesson.numbers import exact, num, pct
from roi_viz.lesson.training import backward_pass, refine_box, refinement_words, training_words
from roi_viz.methods import METHODS, NAMES, build_scene
from roi_viz.state.settings import ARTICLE, Settings

HAN = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Three English words in a row: a sentence left untranslated (names are taken out first).
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?:[ '-]+[A-Za-z]{2,}){2,}\b")
# Names the Chinese keeps as they are: methods, papers and their authors, libraries.
NAMES_KEPT = ("Multi-task Network Cascades", "Precise RoI Pooling", "Position-sensitive RoIAlign", "Mask R-CNN",
              "Dai et al.", "Jiang et al.")

ROI = (296.0, 192.0, 200.0, 145.0)  # the article's
SAMPLING = {"align", "warp", "prroi"}  # the methods whose steps these words are


def scene_for(roi=ROI, channels=8, seed=0, **changes):
    settings = Settings().with_(**ARTICLE).with_(**changes)
    side = 512 // settings.stride
    fm = np.random.default_rng(seed).random((channels, side, side), dtype=np.float32)
    return build_scene(Image.new("RGB", (512, 512)), fm, [roi], 0, settings)


def numbers(text: str) -> Counter:
    """Every number a text prints, as a multiset: a translation may put them in its own order."""
    return Counter(NUMBER.findall(text))


def leftover_english(text: str) -> list[str]:
    for name in NAMES_KEPT:
        text = text.replace(name, "")
    text = re.sub(r"`[^`]*`", "", text)  # code: `aligned=True`, `torchvision.ops.roi_align`
    return ENGLISH_RUN.findall(text)


def both(fn, *args):
    with using("en"):
        en = fn(*args)
    with using("zh"):
        zh = fn(*args)
    return en, zh


def check(en: str, zh: str) -> None:
    assert not HAN.search(en), en
    assert HAN.search(zh), zh
    assert leftover_english(zh) == [], (leftover_english(zh), zh)
    assert numbers(zh) == numbers(en), (numbers(en) - numbers(zh), numbers(zh) - numbers(en), zh)


def step_words(scene) -> dict[str, tuple[str, str]]:
    """``{step: (English, Chinese)}`` for the steps of the scene's method whose words this module writes."""
    return {s.key: both(s.words, scene) for s in walkthrough.steps(scene.method)
            if s.words.__module__ == sampling_words.__name__}


# ---------------------------------------------------------------- the article's box
@pytest.mark.parametrize("method", sorted(SAMPLING))
def test_the_article_example_reads_in_chinese_with_the_english_numbers(method):
    scene = scene_for(method=method)
    texts = step_words(scene)
    expected = {"align": {"sampling", "bilinear", "combine", "output"},
                "warp": {"sampling", "bilinear", "combine", "output"}, "prroi": {"integrate", "output"}}[method]
    assert set(texts) == expected
    for key, (en, zh) in texts.items():
        check(en, zh)
    r, pooled = scene.chosen, scene.pooled
    out_en, out_zh = texts["output"]
    ph, pw = r.output_size
    for text in (out_en, out_zh):  # the fixed-size answer: 3 x 3 x channels
        assert f"{ph} × {pw} × {r.channels}" in text and (ph, pw) == (3, 3)
        assert pct(pooled.coverage) == "60.9 %" and pct(pooled.coverage) in text  # RoI pooling's, beside it
    if method == "align":
        x, y, w, h = r.box
        assert (exact(x), exact(x + w), exact(y), exact(y + h)) == ("9.25", "15.5", "6", "10.53125")
        for text in texts["sampling"]:
            for v in ("9.25", "15.5", "6", "10.53125"):
                assert v in text
        assert "列方向从 9.25 到 15.5，行方向从 6 到 10.53125" in texts["sampling"][1]
        assert "28.32 个单元格" in out_zh and "28.32 cells" in out_en  # the whole RoI, nothing rounded
        assert "采样率（sampling ratio，" in texts["sampling"][1] and "（bin）" in texts["sampling"][1]
    if method == "warp":
        r0, r1, c0, c1 = r.region
        lost = num(r.projected_area - r.covered_area)
        assert lost == "5.32"
        with using("zh"):  # the catalog's words for the span (shared with RoI pooling's steps)
            span = f"{sampling_words._rows(r0, r1)}、{sampling_words._columns(c0, c1)}"
        assert span in texts["sampling"][1] and HAN.search(span) and f"{r0}" in span and f"{c1 - 1}" in span
        assert f"rows {r0} to {r1 - 1} and columns {c0} to {c1 - 1}" in texts["sampling"][0]
        assert f"{lost} 个单元格" in texts["sampling"][1] and f"{lost} cells" in texts["sampling"][0]
    if method == "prroi":
        assert "精确 RoI 池化（PrRoI Pooling）" in texts["integrate"][1]


def test_sentences_follow_one_another_without_a_space_in_chinese():
    scene = scene_for(method="align")
    en, zh = step_words(scene)["sampling"]
    assert "。 " not in zh and "中心。红圈" in zh.replace("\n", "")
    assert "its bin. The red ring" in en


# ---------------------------------------------------------------- the other branches
BRANCHES = [
    dict(method="align", aligned=False),  # the legacy rule, with a box narrower than a cell below
    dict(method="align", aligned=False, roi=(100.0, 100.0, 20.0, 20.0)),
    dict(method="align", sampling_ratio=0),  # adaptive
    dict(method="align", align_mode="max"),  # the maximum: Mask R-CNN allows it
    dict(method="align", output_size=(7, 7)),  # too many bins for the table
    dict(method="align", roi=(470.0, 470.0, 200.0, 200.0)),  # off the map
    dict(method="warp", sampling_ratio=0),
    dict(method="warp", output_size=(7, 7)),
    dict(method="warp", roi=(100.0, 100.0, 5.0, 5.0)),  # snaps to no cell under the article's rule
    dict(method="prroi", aligned=False),
    dict(method="prroi", roi=(470.0, 470.0, 200.0, 200.0)),  # part of the bins beyond the map
]


@pytest.mark.parametrize("case", range(len(BRANCHES)), ids=[str(c) for c in BRANCHES])
def test_every_branch_reads_in_chinese_with_the_english_numbers(case):
    changes = dict(BRANCHES[case])
    scene = scene_for(roi=changes.pop("roi", ROI), **changes)
    for focus in [(0, 0, 0), (scene.chosen.output_size[0] - 1, scene.chosen.output_size[1] - 1, 0)]:
        scene = build_scene(scene.image, scene.features, scene.rois, 0, scene.settings, focus=focus)
        for key, (en, zh) in step_words(scene).items():
            check(en, zh)


# ---------------------------------------------------------------- the training view's words
BACKWARD = [m for m, rec in METHODS.items() if rec.forward is not None]


@pytest.mark.parametrize("method", BACKWARD)
@pytest.mark.parametrize("bin", [(0, 0), (2, 1)])
def test_the_backward_pass_reads_in_chinese_with_the_english_numbers(method, bin):
    scene = scene_for(method=method, channels=4)
    bp = backward_pass(scene, bin, 1, steps=21)
    en, zh = both(training_words, bp, METHODS[method].name)
    check(en, zh)
    i, j = bin
    assert f"channel 1's bin ({i}, {j})" in en and f"通道 1 的子区域（bin）({i}, {j})" in zh
    assert "**检测器是这样修正它的框的吗？** 不是。" in zh and "Is this how a detector corrects its boxes?" in en
    if not bp.empty:
        assert f"**{bp.reached} 个单元格**" in zh and f"**{pct(bp.share_all)}**" in zh


def test_an_empty_bin_says_so_in_chinese():
    scene = scene_for(method="pool", channels=4, output_size=(7, 7))  # the snapped box is 4 x 6 cells: bins empty
    bp = backward_pass(scene, (0, 0), 1, steps=11)
    assert bp.empty
    en, zh = both(training_words, bp, METHODS["pool"].name)
    check(en, zh)
    assert "**子区域 (0, 0) 是空的。**" in zh


def test_the_gradient_steps_table_reads_in_chinese_with_the_english_numbers():
    scene = scene_for(channels=4)
    runs = []
    for key, rec in METHODS.items():
        runs.append(refine_box(scene, key, (0, 0), 1, steps=2))
        if rec.surrogate:
            runs.append(refine_box(scene, key, (0, 0), 1, steps=2, surrogate=True))
    en, zh = both(refinement_words, runs, NAMES)
    check(en, zh)
    assert "| 方法 | 所走步数 | 值：之前 → 之后 | 框移动 (px) |" in zh
    assert "RoIWarp（MNC 的替代梯度）" in zh and "RoIWarp (MNC's surrogate)" in en
    stopped = [r for r in runs if r.stopped]
    assert stopped and all(r.stopped.isascii() for r in stopped)  # the record keeps English; the table translates
    with using("zh"):
        assert any(f"（{s}）" in zh for s in ("对框的梯度为零", "它在这里没有反向传播", "框会缩小到不足一个像素"))
