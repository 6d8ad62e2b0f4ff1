"""Every step of every method draws and explains itself, on ordinary and awkward RoIs; the records hold together."""
import numpy as np
import pytest
from PIL import Image

from roi_viz import methods
from painted import fig_compare, fig_slide
from roi_viz.picture.files import to_jpeg, to_png
from ui.figure import PAGE_DPI
from roi_viz.lesson import numbers, sampling_words, words
from roi_viz.state.settings import Settings
from roi_viz.methods import METHODS, build_scene, run_all
from roi_viz.ops.sliding import slide_roi
from roi_viz import walkthrough

FM = np.random.default_rng(0).standard_normal((18, 16, 16)).astype(np.float32)  # 18: two groups of 3 x 3 bins
IMAGE = Image.new("RGB", (512, 512), (90, 120, 150))
CASES = [
    dict(roi=(296, 192, 200, 145)),  # the article's
    dict(roi=(296, 192, 200, 145), aligned=False, sampling_ratio=0, align_mode="max", warp_mode="avg"),
    dict(roi=(-40, 470, 100, 90), output_size=(7, 7)),  # off the map at two edges
    dict(roi=(100, 100, 6, 6), output_size=(2, 3), aligned=False),  # smaller than a cell
    dict(roi=(0, 0, 512, 512), output_size=(1, 1), sampling_ratio=0),
]


@pytest.mark.parametrize("case", range(len(CASES)))
@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.slow
def test_every_step_draws_and_explains(method, case):
    opts = dict(CASES[case])
    roi = opts.pop("roi")
    scene = build_scene(IMAGE, FM, [roi], 0, Settings(method=method, **opts), focus=(9, 9, 99))
    ph, pw = scene.pooled.output_size
    assert scene.focus[0] == ph - 1 and scene.focus[1] == pw - 1  # clamped, not an error
    for step in walkthrough.steps(method):
        fig = step.figure(scene)
        data = to_jpeg(fig, PAGE_DPI) if step.photo else to_png(fig, PAGE_DPI)
        assert data[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xdb")
        text = step.words(scene)
        assert len(text) > 80 and "nan" not in text.lower()
    assert scene.chosen.output.shape == (FM.shape[0], ph, pw)  # one output per map channel, followed
    if METHODS[method].position_sensitive:  # and its own: C' = C // (ph * pw) channels, one group per bin
        assert scene.chosen.scores.shape == (FM.shape[0] // (ph * pw), ph, pw)


def test_steps_per_method_share_the_start_and_the_end():
    for key, rec in METHODS.items():
        keys = rec.step_keys()
        assert keys[:2] == ["image", "features"] and keys[-1] == "output", key
        assert len(set(keys)) == len(keys), key
        assert rec.key == key and rec.name and rec.short
    assert "quantize" in METHODS["warp"].step_keys()
    assert "quantize" not in METHODS["align"].step_keys()


def test_every_record_reads_real_settings_and_runs_like_the_library():
    fields = set(Settings.__dataclass_fields__)
    roi = (296, 192, 200, 145)
    for key, rec in METHODS.items():
        assert set(rec.options) <= fields, key
        for option in rec.options:  # an option the record names must change its numbers somewhere
            default = getattr(Settings(), option)
            other = {"scheme": "fastrcnn", "sampling_ratio": 3, "aligned": False, "align_mode": "max",
                     "warp_mode": "avg"}[option]
            assert other != default
            a = rec.run(FM, roi, Settings(method=key))
            b = rec.run(FM, roi, Settings(method=key, **{option: other}))
            assert not np.array_equal(a.output, b.output) or a.coverage != b.coverage, (key, option)
    assert methods.labels(run_all(FM, roi, Settings())) == {
        "pool": "RoI pooling (article rounding)", "align": "RoIAlign (avg, ratio 2, aligned)",
        "warp": "RoIWarp (max, ratio 2)", "prroi": "Precise RoI Pooling (aligned)",
        "psroi": "Position-sensitive RoIAlign (ratio 2, 2 × 9 channels)",
    }


def test_the_registry_loads_neither_matplotlib_nor_torch():
    """Parsing a link, making a quiz question and reading a record must not pay for the figures or the network."""
    import subprocess
    import sys

    code = ("import sys, roi_viz.link, roi_viz.quiz, roi_viz.methods; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'torch', 'streamlit'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_traits_say_what_the_traces_do():
    """Each trait is checked against the trace: a trait that lied would send a caller down the wrong road."""
    roi = (296, 192, 200, 145)
    for key, rec in METHODS.items():
        t = rec.run(FM, roi, Settings(method=key))
        assert t.snapped == rec.snaps_to_cells, key
        assert hasattr(t, "samples") == rec.samples_points, key
        assert hasattr(t, "weight_map") == rec.integrates, key
        assert hasattr(t, "bins") == rec.whole_cell_bins, key
        details = t.details()
        assert details and all(isinstance(v, dict) and v for v in details.values()), key
        # Snapping shows as a jump: a box moved by a tenth of a cell keeps whole-cell numbers.
        moved = rec.run(FM, (roi[0] + 3.2, *roi[1:]), Settings(method=key))
        assert np.array_equal(t.output, moved.output) == rec.snaps_to_cells, key


def test_the_walkthrough_follows_each_plan_and_refuses_a_step_it_cannot_draw(monkeypatch):
    from roi_viz import walkthrough

    for key, rec in METHODS.items():
        assert [s.key for s in walkthrough.steps(key)] == list(rec.plan), key
    odd = methods.Method("odd", "Odd", "Odd", (), ("k", "-", "o"), rec.op, rec.label, rec.describe, ("image", "dance"))
    monkeypatch.setitem(METHODS, "odd", odd)
    with pytest.raises(ValueError, match="Odd has a step 'dance' that the walkthrough cannot draw"):
        walkthrough.steps("odd")


def test_an_unknown_method_is_a_sentence():
    with pytest.raises(ValueError, match="must be one of pool, align, warp, prroi"):
        methods.method("bilinear")


def test_settings_refuse_what_no_method_can_use():
    for bad in (dict(layer="fc7"), dict(scheme="nearest"), dict(input_size=500), dict(align_mode="median"),
                dict(output_size=(0, 3))):
        with pytest.raises(ValueError):
            Settings(**bad)
    assert Settings(layer="conv5_3").stride == 16 and Settings().stride == 32
    assert Settings(output_size=4).output_size == (4, 4)


def test_bilinear_text_adds_up_to_the_point_value():
    scene = build_scene(IMAGE, FM, [(296, 192, 200, 145)], 0, Settings(method="align", channel=3), focus=(1, 1, 2))
    text = sampling_words.step_bilinear(scene)
    value = scene.chosen.sample_values[3, 1, 1, 2]
    assert f"Channel 3 at this point: **{numbers.value(value)}**" in text and "| **sum** | | **1.00** |" in text  # 3 significant figures, written
    for row, col, w in scene.chosen.neighbours(1, 1, 2):  # every weight as the rule writes it, as the figure does
        assert f"| ({row}, {col}) | {numbers.value(FM[3, row, col])} | {numbers.weight(w)} |" in text


@pytest.mark.parametrize("roi", [(296, 192, 200, 145), (-40, 470, 100, 90), (100, 100, 6, 6)])
def test_compare_and_slide_figures(roi):
    settings = Settings(method="align")
    scene = build_scene(IMAGE, FM, [roi], 0, settings)
    traces = run_all(FM, roi, settings)
    assert to_png(fig_compare(scene, traces, METHODS), 60)[:4] == b"\x89PNG"
    table = words.compare_table(scene, traces, methods.NAMES, methods.labels(traces))
    assert table.count("\n| ") >= 4
    slide = slide_roi(FM, roi, methods.runners(settings), stride=32, output_size=(3, 3), channel=scene.channel,
                      bin=(0, 0), steps=21)
    assert to_png(fig_slide(scene, slide, METHODS), 60)[:4] == b"\x89PNG"
    assert "RoI pooling" in words.slide_text(slide, methods.NAMES)
