"""Position-sensitive RoIAlign, the fifth method: its record, its trace against torchvision, its steps' figures.

No model and no page: maps are random, with ``2 · ph · pw + 1`` channels (two output channels and one channel
left unread) unless a test says otherwise. The numbers a person reads (the group figure's printed channels
and means, its hover titles, the output figure, the words' table, the text alternative) are checked against
``torchvision.ops.ps_roi_align`` on the same map; the layout at the page's, a projector's and a phone's size.
"""
from __future__ import annotations

import dataclasses
import itertools
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import torch
from PIL import Image
from torchvision.ops import ps_roi_align as tv_ps_roi_align

from layout_checks import problems
from roi_viz import methods, walkthrough
from roi_viz.figures.compare import describe_compare
from roi_viz.lesson import psroi_words
from roi_viz.lesson.alt import alt_text
from roi_viz.lesson.glossary import GLOSSARY
from roi_viz.lesson.numbers import value
from roi_viz.ops.psroi import group_channel, ps_align_trace
from roi_viz.picture import mpl, svg
from roi_viz.picture.spec import Rect, Text
from roi_viz.state.settings import ARTICLE, FAST_RCNN, Settings

KEY = "psroi"
PRESETS = {"article": ARTICLE, "fastrcnn": FAST_RCNN}
ARTICLE_BOX = (296, 192, 200, 145)
IMAGE = Image.new("RGB", (512, 512), (90, 120, 150))


def torchvision_ps(fm: np.ndarray, box, stride: float, size, ratio: int) -> np.ndarray:
    """torchvision's ps_roi_align on the map's first ``ph · pw · C'`` channels: ``C' x ph x pw``."""
    k2 = size[0] * size[1]
    used = fm[: (fm.shape[0] // k2) * k2]
    x, y, w, h = box
    rois = torch.tensor([[0.0, x, y, x + w, y + h]], dtype=torch.float32)
    return tv_ps_roi_align(torch.from_numpy(used)[None], rois, size, 1.0 / stride, ratio)[0].numpy()


def scene_for(preset, out, box=ARTICLE_BOX, pretrained=True, channel=None, seed=0, channels=None):
    settings = Settings().with_(**preset).with_(method=KEY, output_size=(out, out), shape="square", channel=channel)
    side = 512 // settings.stride
    c = channels or 2 * out * out + 1
    fm = np.random.default_rng(seed).standard_normal((c, side, side)).astype(np.float32)
    return methods.build_scene(IMAGE, fm, [box], 0, settings, pretrained=pretrained)


def boxes(rng, n=3):
    """The article's box, a tiny one, one touching the image's edge, and ``n`` random ones (whole pixels)."""
    out = [ARTICLE_BOX, (100, 100, 9, 7), (400, 300, 112, 212)]
    for _ in range(n):
        w, h = int(rng.integers(20, 400)), int(rng.integers(20, 400))
        out.append((int(rng.integers(0, 512 - w)), int(rng.integers(0, 512 - h)), w, h))
    return out


# ----------------------------------------------------------------------------------------------- the record
def test_the_record_is_the_fifth_and_everything_lists_it():
    from roi_viz import quiz
    from roi_viz.state.options import BY_FIELD

    assert list(methods.METHODS)[4] == KEY and methods.NAMES[KEY] == "Position-sensitive RoIAlign"
    rec = methods.method(KEY)
    assert rec.samples_points and rec.position_sensitive
    assert not (rec.snaps_to_cells or rec.whole_cell_bins or rec.integrates)
    assert KEY in BY_FIELD["method"].choices()  # the sidebar, the link and the CLI read this
    assert KEY in quiz.beyond_methods()
    plan = ["image", "features", "sampling", "bilinear", "groups", "output"]
    assert [s.key for s in walkthrough.steps(KEY)] == list(rec.plan) == plan
    assert len({m.style for m in methods.METHODS.values()}) == len(methods.METHODS)  # told apart without colour too
    assert "position-sensitive" in GLOSSARY


@pytest.mark.parametrize("ratio", [-1, 0, 1, 2, 3])
def test_the_trace_equals_torchvision_on_random_cases(ratio):
    rng = np.random.default_rng(100 + ratio)
    for _ in range(150):
        ph, pw = (int(v) for v in rng.integers(1, 6, 2))
        k2 = ph * pw
        c = int(rng.integers(1, 4)) * k2 + int(rng.integers(0, k2))  # some channels left over
        H, W = (int(v) for v in rng.integers(4, 20, 2))
        stride = float(rng.choice([8, 16, 32]))
        fm = rng.standard_normal((c, H, W)).astype(np.float32)
        x, y = rng.uniform(-20, W * stride, 2)
        box = (float(x), float(y), float(rng.uniform(1, W * stride)), float(rng.uniform(1, H * stride)))
        t = ps_align_trace(fm, box, stride=stride, output_size=(ph, pw), sampling_ratio=ratio)
        want = torchvision_ps(fm, box, stride, (ph, pw), ratio)
        np.testing.assert_allclose(t.scores, want, rtol=1e-5, atol=1e-6)
        assert t.channels == t.out_channels == c // k2 and t.channels_used == (c // k2) * k2
        for ch in range(c):  # each map channel is followed through its group's output channel, or reads nothing
            if ch < t.channels_used:
                assert t.follows(ch) == ch // k2
                np.testing.assert_array_equal(t.output[ch], t.scores[ch // k2])
                i, j = divmod(int(rng.integers(0, k2)), pw)
                assert t.read_channel(ch, i, j) == group_channel(ch // k2, i, j, (ph, pw))
            else:
                assert t.follows(ch) is None and not t.output[ch].any()


def test_more_bins_than_channels_is_said_plainly_everywhere():
    sc = scene_for(ARTICLE, 3, channels=6)  # 9 bins, 6 channels: C' = 0
    assert sc.chosen.out_channels == 0 and sc.chosen.scores.shape == (0, 3, 3)
    for step in walkthrough.steps(KEY):
        d = step.describe(sc)
        assert problems(d, 528) == []
        step.words(sc)
    said = psroi_words.step_groups(sc)
    assert "Nothing to pool" in said and "C' = ⌊6 / 9⌋ = 0" in said
    assert "Nothing to pool" in walkthrough.step(KEY, "groups").describe(sc).alt
    assert "Nothing to pool" in psroi_words.step_output(sc)
    traces = methods.run_all(sc.features, sc.rois[0], sc.settings)
    assert not traces[KEY].output.any()
    describe_compare(sc, traces, methods.METHODS)


def test_a_channel_no_bin_reads_is_said_plainly():
    sc = scene_for(ARTICLE, 3, channel=18)  # 19 channels: 0..17 in two groups of 9, 18 left over
    said = psroi_words.step_groups(sc)
    assert "Channel 18 is not read" in said and "channels 18 to 18 are left over" in said
    assert "Channel 18 is not read" in walkthrough.step(KEY, "groups").describe(sc).alt
    assert "no bin reads it" in alt_text(sc, "Step 4: Each bin reads its own channel")


# ----------------------------------------------------------------------------------------------- the figures
STEPS = ("sampling", "bilinear", "groups", "output")


def layout_cases():
    rng = np.random.default_rng(7)
    chosen = boxes(rng)
    for (pname, preset), out, pretrained in itertools.product(PRESETS.items(), (1, 2, 3, 5, 7), (True, False)):
        for k, box in enumerate(chosen):
            yield f"{pname}-{out}-{pretrained}-{k}", preset, out, pretrained, box


@pytest.mark.parametrize("name,preset,out,pretrained,box", list(layout_cases()))
def test_every_figure_fits_the_page_a_projector_and_a_phone(name, preset, out, pretrained, box):
    sc = scene_for(preset, out, box, pretrained=pretrained, seed=out)
    for key in STEPS:
        step = walkthrough.step(KEY, key)
        assert problems(step.describe(sc), 528) == [], (key, name)
        assert problems(step.describe(sc, width=1000.0, text=20.0), 900, 18) == [], (key, name)
        assert problems(step.describe(sc, width=360.0, text=12.0), 360, 12) == [], (key, name)


def printed_bins(d):
    """``{(row, column) of the bin a printed pair sits in: (channel words, value words)}`` of the group figure."""
    bins = [m for _, m in d.marks(Rect) if m.kind == "bin"]
    labels = [m for _, m in d.marks(Text) if m.kind == "bin label"]
    values = [m for _, m in d.marks(Text) if m.kind == "value"]
    out = {}
    for lab, val in zip(labels, values):
        home = [b for b in bins if b.x <= lab.x <= b.x + b.w and b.y <= lab.y <= b.y + b.h]
        b = home[0] if len(home) == 1 else None
        assert b and b.x <= val.x <= b.x + b.w and b.y <= val.y <= b.y + b.h
        i, j = (int(v) for v in re.match(r"bin \((\d+), (\d+)\)", b.title).groups())
        out[i, j] = (lab.text, val.text)
    return out


@pytest.mark.parametrize("preset", list(PRESETS))
def test_the_group_figure_and_the_words_carry_torchvisions_numbers_on_many_boxes(preset):
    rng = np.random.default_rng(11)
    printed_somewhere = False
    for n, box in enumerate(boxes(rng, 12)):
        out = (1, 2, 3, 5, 7)[n % 5]
        channels = 3 * out * out
        sc = scene_for(PRESETS[preset], out, box, seed=n, channels=channels, channel=int(rng.integers(0, channels)))
        r = sc.chosen
        want = torchvision_ps(sc.features, box, sc.settings.stride, (out, out), sc.settings.sampling_ratio)
        c = sc.channel // (out * out)
        d = walkthrough.step(KEY, "groups").describe(sc)
        words = walkthrough.step(KEY, "groups").words(sc)
        titles = {m.title for _, m in d.marks(Rect) if m.kind == "bin"}
        printed = printed_bins(d)
        printed_somewhere |= bool(printed)
        for i, j in itertools.product(range(out), range(out)):
            ch = group_channel(c, i, j, (out, out))
            v = value(float(want[c, i, j]))
            assert f"bin ({i}, {j}): channel {ch}, mean of {r.points_per_bin} points = {v}" in titles
            assert f"| ({i}, {j}) | {ch} | {r.points_per_bin} | {v} |" in words
            assert f"bin ({i}, {j}) reads channel {ch}: {v}" in d.alt
            if printed:
                assert printed[i, j] == (f"ch {ch}", v)
        if not printed:
            assert "too small to print their channels and means" in d.alt
        # The output step and the text alternative give the same row by row.
        rows = "; ".join(", ".join(value(float(x)) for x in row) for row in want[c])
        assert f"Output channel {c}, row by row: {rows}." in walkthrough.step(KEY, "output").words(sc)
        assert f"Row by row: {rows}." in walkthrough.step(KEY, "output").describe(sc).alt
        assert f"Output of output channel {c} (map channel {sc.channel}'s group), row by row: {rows}." in alt_text(
            sc, "Step 4: Each bin reads its own channel")
    assert printed_somewhere


def test_the_articles_box_prints_every_bin():
    sc = scene_for(ARTICLE, 3, seed=3, channel=10)
    printed = printed_bins(walkthrough.step(KEY, "groups").describe(sc))
    assert sorted(printed) == [(i, j) for i in range(3) for j in range(3)]
    assert printed[0, 0][0] == "ch 9" and printed[2, 2][0] == "ch 17"  # output channel 1: channels 9 to 17
    # Channel 10, the one shown, is read by bin (0, 1) alone: ringed in red and named in the legend.
    d = walkthrough.step(KEY, "groups").describe(sc)
    ring = [m for _, m in d.marks(Rect) if m.kind == "shown channel"]
    assert [m.title for m in ring] == ["bin (0, 1) reads channel 10, the channel shown"]
    assert "red: bin (0, 1), the one that reads channel 10, the channel shown" in [
        m.text for _, m in d.marks(Text) if m.kind == "legend"]


def test_the_sampling_step_reads_the_shown_channel_at_roialigns_points():
    sc = scene_for(FAST_RCNN, 3, seed=2, channel=4)
    plain = psroi_words.plain_align(sc).chosen
    np.testing.assert_array_equal(plain.samples, sc.chosen.samples)
    d = walkthrough.step(KEY, "sampling").describe(sc)
    titles = [m.title for _, m in d.marks() if getattr(m, "title", "").startswith("bin (0,0), point 1 ")]
    assert titles and all(value(float(plain.sample_values[4, 0, 0, 0])) in t for t in titles)
    assert "The values on the points here are channel 4's" in walkthrough.step(KEY, "sampling").words(sc)


@pytest.mark.parametrize("key", STEPS)
def test_both_painters_write_every_text_and_the_svg_parses(key):
    sc = scene_for(ARTICLE, 3, seed=1)
    d = walkthrough.step(KEY, key).describe(sc)
    texts = [m.text for _, m in d.marks(Text)]
    fig = mpl.paint(d)
    painted = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text") and a.get_text())]
    for t in texts:
        assert t in painted, t
    root = ET.fromstring(svg.paint(d))
    assert len([e for e in root.iter() if e.tag.endswith("text")]) == len(texts)


def test_the_comparison_and_the_slide_include_it():
    from roi_viz.figures.compare import describe_slide
    from roi_viz.ops.sliding import slide_roi

    sc = scene_for(ARTICLE, 3, seed=4, channel=12)
    traces = methods.run_all(sc.features, sc.rois[0], sc.settings)
    assert list(traces)[-1] == KEY
    d = describe_compare(sc, traces, methods.METHODS)
    assert "PS-RoI" in " ".join(m.text for _, m in d.marks(Text) if m.kind == "method")
    want = torchvision_ps(sc.features, ARTICLE_BOX, 32, (3, 3), 2)[1]  # channel 12 is in output channel 1
    out_panel = d.panels[2 * 4 + 1]
    titles = sorted(m.title for m in out_panel.marks if m.kind == "output")
    assert titles == sorted(f"row {i}, column {j}: {value(float(want[i, j]))}" for i in range(3) for j in range(3))
    for width, text, shown, least in ((560.0, 13.0, 528, 12), (1000.0, 20.0, 900, 18)):
        assert problems(describe_compare(sc, traces, methods.METHODS, width=width, text=text), shown, least) == []
    slide = slide_roi(sc.features, ARTICLE_BOX, methods.runners(sc.settings), stride=32, output_size=(3, 3),
                      channel=12, bin=(1, 1), axis="x", steps=9)
    assert slide.values[KEY][0] == pytest.approx(float(want[1, 1]))
    d = describe_slide(sc, slide, methods.METHODS)
    assert "PS-RoI" in [m.text for _, m in d.marks(Text) if m.kind == "legend"]
    assert problems(d, 528) == []


def test_the_exports_carry_it():
    from roi_viz import export

    sc = scene_for(ARTICLE, 3, seed=5, channel=10)
    data = export.numbers(sc)
    want = torchvision_ps(sc.features, ARTICLE_BOX, 32, (3, 3), 2)
    assert data["method"] == KEY and data["position_sensitive"]["out_channels"] == 2  # 19 channels: 2 groups of 9
    np.testing.assert_allclose(data["method_output_channel"], want[1], rtol=1e-6)
    np.testing.assert_allclose(data["position_sensitive"]["scores"], want, rtol=1e-6)
    pdf = export.handout_pdf(sc, title="grey")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1 + len(methods.method(KEY).plan)
    from roi_viz.export import animations

    assert animations.slide_gif(sc, frames=3)[:6] == b"GIF89a"


def test_the_board_draws_it_by_its_traits():
    from ui import board

    assert KEY in board.METHODS
    s = board._settings(32, None, (3, 3), KEY, "article", 2, (512, 512))
    assert s["traits"] == board.traits(methods.method(KEY)) and s["traits"]["samples_points"]
    assert s["legend"] == board._settings(32, None, (3, 3), "align", "article", 2, (512, 512))["legend"]
    assert "Dots: sampling points" in s["legend"]


def test_where_its_bins_read_is_where_roialign_aligned_reads():
    """The detectors view pools a map of positions with every record: a position-sensitive bin, given its own
    channel group, reads where RoIAlign (aligned, the same ratio) reads."""
    from roi_viz.ops.looking import offsets
    from roi_viz.ops.roialign import roi_align

    rng = np.random.default_rng(3)
    for box in boxes(rng, 5):
        for size, ratio in (((7, 7), 2), ((3, 2), -1)):
            s = Settings(method=KEY, output_size=size, sampling_ratio=ratio)
            ours = offsets(lambda fm: methods.method(KEY).every_channel(fm, box, s), box, size, (16, 16), 32)
            theirs = offsets(lambda fm: roi_align(fm, box, stride=32, output_size=size, sampling_ratio=ratio,
                                                  aligned=True).output, box, size, (16, 16), 32)
            np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-3, equal_nan=True)
            assert not np.isnan(ours).all()
