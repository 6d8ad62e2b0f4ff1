"""Every step of every method draws and explains itself, on ordinary and awkward RoIs."""
import numpy as np
import pytest
from PIL import Image

from roi_viz import explain, figures
from roi_viz.figures_compare import fig_compare, fig_slide
from roi_viz.pooling import run_all
from roi_viz.sliding import slide_roi
from roi_viz.walkthrough import STEP_SETS, build_scene

FM = np.random.default_rng(0).standard_normal((8, 16, 16)).astype(np.float32)
IMAGE = Image.new("RGB", (512, 512), (90, 120, 150))
CASES = [
    dict(roi=(296, 192, 200, 145)),  # the article's
    dict(roi=(296, 192, 200, 145), aligned=False, sampling_ratio=0, align_mode="max", warp_mode="avg"),
    dict(roi=(-40, 470, 100, 90), output_size=(7, 7)),  # off the map at two edges
    dict(roi=(100, 100, 6, 6), output_size=(2, 3), aligned=False),  # smaller than a cell
    dict(roi=(0, 0, 512, 512), output_size=(1, 1), sampling_ratio=0),
]


@pytest.mark.parametrize("case", range(len(CASES)))
@pytest.mark.parametrize("method", list(STEP_SETS))
def test_every_step_draws_and_explains(method, case):
    opts = dict(CASES[case])
    roi = opts.pop("roi")
    scene = build_scene(IMAGE, FM, [roi], 0, stride=32, method=method, focus=(9, 9, 99), **opts)
    ph, pw = scene.trace.output_size
    assert scene.focus[0] == ph - 1 and scene.focus[1] == pw - 1  # clamped, not an error
    for step in scene.steps:
        fig = figures.draw_step(step.key, scene)
        data, fmt = figures.encode_step(step.key, fig)
        assert data[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xdb")
        text = explain.explain_step(step.key, scene)
        assert len(text) > 80 and "nan" not in text.lower()
    assert scene.result.output.shape == (8, ph, pw)


def test_steps_per_method_share_the_start_and_the_end():
    for method, steps in STEP_SETS.items():
        keys = [s.key for s in steps]
        assert keys[:2] == ["image", "features"] and keys[-1] == "output", method
    assert "quantize" in [s.key for s in STEP_SETS["warp"]]
    assert "quantize" not in [s.key for s in STEP_SETS["align"]]


def test_bilinear_text_adds_up_to_the_point_value():
    scene = build_scene(IMAGE, FM, [(296, 192, 200, 145)], 0, stride=32, method="align", channel=3, focus=(1, 1, 2))
    text = explain.explain_step("bilinear", scene)
    value = scene.result.sample_values[3, 1, 1, 2]
    assert f"{value:.4g}" in text and "| **sum** | | **1.0000** |" in text


@pytest.mark.parametrize("roi", [(296, 192, 200, 145), (-40, 470, 100, 90), (100, 100, 6, 6)])
def test_compare_and_slide_figures(roi):
    scene = build_scene(IMAGE, FM, [roi], 0, stride=32, method="align")
    traces = run_all(FM, roi, scene.settings)
    assert figures.to_png(fig_compare(scene, traces), 60)[:4] == b"\x89PNG"
    table = explain.compare_table(scene, traces)
    assert table.count("\n| ") >= 4
    slide = slide_roi(FM, roi, scene.settings, channel=scene.channel, bin=(0, 0), steps=21)
    assert figures.to_png(fig_slide(scene, slide), 60)[:4] == b"\x89PNG"
    assert "RoI pooling" in explain.slide_text(slide)
