"""Each method's figures are described with that method's own numbers, the ones its words give.

A screen-reader user hears a figure's text alternative (``roi_viz.lesson.alt``)
instead of seeing it. RoIAlign's figure once read "snapped to (9, 6, 6, 4) …
60.9 % of the RoI reaches the output" (RoI pooling's numbers) while its step 6
said "Coverage: 100 %". Here every method, in the article's setting and in the
Fast R-CNN preset, on random boxes, has every step's text alternative and the
numbers table checked against the method's trace and against its own words:
the coverage of the last step, the snapping of step 3, the split of step 4,
the half-cell shift of the last step. Then the page itself (AppTest) is read.
"""
from __future__ import annotations

import re
import zlib

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from helpers import APP, figures, page_text, widget
from roi_viz import walkthrough
from roi_viz.state import options
from roi_viz.lesson.alt import alt_text, key_numbers
from roi_viz.lesson.numbers import cells, exact, pct, value
from roi_viz.state.settings import ARTICLE, FAST_RCNN, Settings
from roi_viz.methods import METHODS, build_scene, method

KEYS = ["pool", "align", "warp", "prroi", "psroi"]
PRESETS = {
    # name: (settings, model input (W, H)): the Fast R-CNN preset keeps a landscape photo's proportions.
    "article": (Settings(**ARTICLE), (512, 512)),
    "fastrcnn": (Settings(**FAST_RCNN), (768, 512)),
}

# The coverage as the last step's words print it in bold: "**60.9 %**" (RoI pooling), "**Coverage: 81.2 %.**".
COVERAGE = re.compile(r"\*\*(?:Coverage: )?(\d+(?:\.\d)? %)\.?\*\*")
ALT_COVERAGE = re.compile(r"; (\d+(?:\.\d)? %) of the RoI reaches the output\.")


def random_boxes(rng, dims, n):
    """``n`` boxes inside a ``dims`` (W, H) input, from a few pixels to most of it: whole pixels, as drawn,
    and every other one with tenths of a pixel, as typed (296.6)."""
    W, H = dims
    boxes = []
    for i in range(n):
        w, h = (int(rng.integers(8, s * 3 // 4)) for s in (W, H))
        box = (int(rng.integers(0, W - w)), int(rng.integers(0, H - h)), w, h)
        if i % 2:
            box = tuple(round(v + float(rng.uniform(0, 0.9)), 1) for v in box)
        boxes.append(box)
    return boxes


def scene_for(preset: str, key: str, box, rng, **changes):
    settings, (W, H) = PRESETS[preset]
    settings = settings.with_(method=key, **changes)
    s = settings.stride
    features = rng.random((6, H // s, W // s)).astype(np.float32)
    return build_scene(Image.new("RGB", (W, H)), features, [box], 0, settings)


def words_of(scene, step_key: str) -> str:
    return next(st.words(scene) for st in walkthrough.steps(scene.method) if st.key == step_key)


def check(scene) -> None:
    """Every step's text alternative, and the numbers table, against the method's trace and its own words."""
    rec = method(scene.method)
    r = scene.chosen
    last = walkthrough.steps(scene.method)[-1].words(scene)
    said = COVERAGE.search(last)
    assert said, last
    coverage = said.group(1)
    # The words' coverage is the method's own (to the 0.1 % they print), not RoI pooling's.
    assert abs(float(coverage.split()[0]) - 100 * r.coverage) <= 0.05 + 1e-3, (coverage, r.coverage)
    row = dict(key_numbers(scene))
    assert row[f"Share of the RoI that reaches the output ({scene.method_name})"] == coverage
    assert row["Projected box (x, y, w, h), cells"] == "(" + ", ".join(exact(v) for v in r.projected) + ")"
    for n, st in enumerate(walkthrough.steps(rec.key)):
        alt = alt_text(scene, f"Step {n + 1}: {st.title}")
        assert alt.startswith(f"Step {n + 1}: {st.title}. {scene.method_name} on RoI ")
        assert ALT_COVERAGE.findall(alt) == [coverage], (alt, last)
        assert f"row by row: {value(r.output[scene.channel, 0, 0])}" in alt  # the method's own output
        if rec.snaps_to_cells:
            q = scene.pooled.quantized
            assert f"snapped to whole cells ({q[0]}, {q[1]}, {q[2]}, {q[3]})" in alt, alt
            rounding = words_of(scene, "quantize")
            lost = re.search(r"\*\*Lost: ([\d.]+ cells?)\*\*", rounding).group(1)
            gained = re.search(r"\*\*Gained: ([\d.]+ cells?)\*\*", rounding).group(1)
            assert f"{lost} lost and {gained} gained by snapping" in alt, (alt, rounding)
            assert row["Cells lost by snapping"] == lost and row["Cells gained by snapping"] == gained
            if rec.whole_cell_bins:
                d = r.dropped_cells
                assert f"{cells(d)} dropped by the split" in alt
                assert row["Cells no bin reads (dropped by the split)"] == str(d)
                split = words_of(scene, "bins")
                if d and scene.settings.scheme == "article" and "**The split has no cells.**" not in split:
                    assert f"**{cells(d)} of the region are dropped**" in split
            else:  # RoIWarp's fractional bins: quantization is its only loss, as its last step says
                assert "drops nothing more" in alt and "dropped by the split" not in alt
                assert f"the other {lost} were cut off by quantization" in last, last
        else:
            assert "nothing is snapped to whole cells" in alt and "snapped to whole" not in alt.replace(
                "nothing is snapped to whole", "")
            assert "lost and" not in alt and "dropped by the split" not in alt
            assert "Nothing is rounded" in last
            assert row["Snapped to whole cells"] == "no: nothing is rounded"
            shift = re.search(r"half-cell shift puts ([\d.]+ cells?) of the RoI", last)
            if shift:  # aligned off: the bins sit half a cell off the box
                assert f"leaving {shift.group(1)} of the RoI outside them" in alt, (alt, last)
            else:
                assert coverage == "100 %" and "outside them" not in alt, (alt, last)
        if rec.samples_points:
            n_points = r.points_per_bin
            assert f"read at {n_points} sampling point" in alt
        if rec.integrates:
            assert "exact average of the bilinear surface" in alt


@pytest.mark.parametrize("preset", list(PRESETS))
@pytest.mark.parametrize("key", KEYS)
def test_every_steps_text_alternative_tells_its_own_methods_numbers(preset, key):
    rng = np.random.default_rng(zlib.crc32(f"{preset}-{key}".encode()))
    rec = METHODS[key]
    variants = [{}]
    if "aligned" in rec.options:
        variants = [{"aligned": True}, {"aligned": False}]
    checked = 0
    for changes in variants:
        for box in random_boxes(rng, PRESETS[preset][1], 20):
            check(scene_for(preset, key, box, rng, **changes))
            checked += 1
    assert checked >= 12


@pytest.mark.parametrize("key", ["align", "prroi"])
def test_the_articles_box_is_not_told_with_roi_poolings_numbers(key):
    """The reported case: RoIAlign (and PrRoI) aligned on the article's RoI snap nothing and keep all of it."""
    scene = scene_for("article", key, (296, 192, 200, 145), np.random.default_rng(0), aligned=True)
    pooled = pct(scene.pooled.coverage)
    assert pooled == "60.9 %"  # RoI pooling's share of this box, which its figures rightly tell
    alt = alt_text(scene, "Step 6: Output and coverage")
    assert "100 % of the RoI reaches the output" in alt
    assert "(9, 6, 6, 4)" not in alt and "60.9 %" not in alt and "5.32 cells lost" not in alt
    assert "**Coverage: 100 %.**" in walkthrough.steps(key)[-1].words(scene)


@pytest.mark.parametrize("key", ["align", "prroi"])
def test_a_typed_box_aligned_is_whole_not_shifted(key):
    """A box typed with tenths of a pixel, aligned: RoIAlign's float32 box leaves ~1e-5 of a cell outside its bins;
    that is rounding noise, not the legacy half-cell shift, and no text may call it one."""
    scene = scene_for("article", key, (296.6, 192.3, 200.2, 145.7), np.random.default_rng(2), aligned=True)
    last = walkthrough.steps(key)[-1].words(scene)
    assert "**Coverage: 100 %.**" in last and "half-cell shift" not in last, last
    alt = alt_text(scene, "Step 1: Image and RoIs")
    assert "; 100 % of the RoI reaches the output." in alt and "outside them" not in alt, alt
    assert "Cells outside the bins (half-cell shift)" not in dict(key_numbers(scene))
    check(scene)


def test_a_box_on_cell_edges_reaches_whole_in_every_method():
    """A RoI of whole cells: nothing lost by snapping, and with 3 × 3 bins of 2 × 2 cells nothing dropped."""
    for key in KEYS:
        scene = scene_for("article", key, (64, 96, 192, 192), np.random.default_rng(1))
        alt = alt_text(scene, "Step 1: Image and RoIs")
        assert "; 100 % of the RoI reaches the output." in alt, alt
        if METHODS[key].snaps_to_cells:
            assert "0 cells lost and 0 cells gained by snapping" in alt
        check(scene)


# ------------------------------------------------------------------ the page itself
def link_params(preset: str, key: str) -> dict[str, str]:
    """The query parameters of a preset with ``key`` chosen, as the page's link writes them."""
    settings = PRESETS[preset][0].with_(method=key)
    return options.to_texts(settings, Settings())


@pytest.mark.parametrize("key", KEYS)
def test_the_page_describes_each_methods_figure_with_its_own_numbers(key):
    """Opened at the last step of ``key``: the figure's alt text and the words give one coverage; at step 1 too."""
    n_steps = len(walkthrough.steps(key))
    at = AppTest.from_file(APP, default_timeout=180)
    for name, v in link_params("article", key).items():
        at.query_params[name] = v
    at.query_params["step"] = str(n_steps)
    at.run()
    assert not at.exception
    text = page_text(at)
    assert f"Step {n_steps}: Output and coverage" in text
    said = COVERAGE.findall(text)
    assert said, text[-2000:]
    alts = [a for a in figures(at) if a.startswith(f"Step {n_steps}:")]
    assert len(alts) == 1, figures(at)
    alt = alts[0]
    assert ALT_COVERAGE.findall(alt) == [said[0]], (alt, said)
    name = METHODS[key].name
    assert f"{name} on RoI (296, 192, 200, 145) pixels" in alt
    if METHODS[key].snaps_to_cells:
        assert "snapped to whole cells (9, 6, 6, 4)" in alt
    else:
        assert said[0] == "100 %" and "nothing is snapped to whole cells" in alt and "(9, 6, 6, 4)" not in alt
    # Every step's figure says the same: step 1's alternative, on the same page, carries the same coverage.
    widget(at, "radio", "Step").set_value(0).run()
    first = [a for a in figures(at) if a.startswith("Step 1:")]
    assert first and ALT_COVERAGE.findall(first[0]) == [said[0]], first
