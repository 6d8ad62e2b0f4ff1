"""Today's detectors' figures as descriptions: the pyramid's level, where each output cell reads, the spread of
those offsets over many proposals, and the box head's regression.

Laid out clear at the page's, the projector's and a phone's sizes over many random boxes, image sizes and strides
(the level boundaries 112, 224 and 448 px among them); the numbers printed are those of ``fpn_level``,
``encode`` and ``decode``; the offsets drawn are ``roi_viz.ops.looking``'s for the real methods, each run through
its record; both painters draw the same texts. No model, no browser.
"""
import math
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from layout_checks import problems
from roi_viz.figures.compare import SHAPES
from roi_viz.figures.detectors import (describe_alignment, describe_level, describe_offset_spread,
                                       describe_regression)
from roi_viz.lesson.numbers import exact, num, rows_by_columns

from roi_viz.methods import METHODS, Settings  # wherever the settings live, the records run on them
from roi_viz.ops.looking import offsets
from roi_viz.ops.pyramid import fpn_level
from roi_viz.ops.regression import BOX_HEAD_WEIGHTS, RPN_WEIGHTS, decode, encode
from roi_viz.picture import mpl, place, svg
from roi_viz.picture.spec import Line, Point, Rect, Text

NS = {"s": "http://www.w3.org/2000/svg"}
SIZES = [  # (width, text, shown width, least px there): the page in its 528-px column, a projector, a phone
    ("page", 560.0, 13.0, 528, 12.0), ("projector", 1000.0, 20.0, 900, 18.0), ("phone", 360.0, 12.0, 360, 12.0)]
PYRAMIDS = [(4, 8, 16, 32), (8, 16, 32, 64), (4, 8, 16), (16, 32)]


def f(v) -> str:
    """A computed number as the figures write it (the lesson's rule, a true minus sign)."""
    return num(v).replace("-", "−")


def texts(d) -> list[str]:
    return [m.text for _, m in d.marks(Text)]


def level_cases():
    """(box, input size, strides): the article's box, the level boundaries (square and not), a tiny box, a huge
    one, one past the image's edge, and random ones from a seeded generator."""
    yield (296, 192, 200, 145), (512, 512), (4, 8, 16, 32)
    for side in (112.0, 224.0, 448.0):
        yield (10, 20, side, side), (640, 480), (4, 8, 16, 32)
    yield (0, 0, 112, 448), (640, 480), (4, 8, 16, 32)  # sqrt(area) exactly 224, not square
    yield (0, 0, 56, 224), (640, 480), (4, 8, 16, 32)  # exactly 112
    yield (5, 5, 2, 3), (512, 384), (4, 8, 16, 32)
    yield (-40, -30, 3000, 2000), (800, 600), (4, 8, 16, 32)
    yield (600, 450, 120, 90), (640, 480), (4, 8, 16, 32)
    rng = np.random.default_rng(7)
    for _ in range(14):
        W, H = (int(v) for v in rng.integers(200, 1400, 2))
        w = float(np.exp(rng.uniform(np.log(3), np.log(1500))))
        h = float(w * np.exp(rng.uniform(-1.0, 1.0)))
        box = (float(rng.uniform(-0.1 * W, W)), float(rng.uniform(-0.1 * H, H)), round(w, 2), round(h, 2))
        yield box, (W, H), PYRAMIDS[int(rng.integers(len(PYRAMIDS)))]


LEVEL_CASES = list(level_cases())


# ------------------------------------------------------------------------------------------ the pyramid's level
@pytest.mark.parametrize("box, size, strides", LEVEL_CASES)
@pytest.mark.parametrize("where, width, text, shown, least", SIZES)
def test_the_level_figure_is_laid_out_clear_at_every_size(box, size, strides, where, width, text, shown, least):
    d = describe_level(box, input_size=size, strides=strides, width=width, text=text)
    assert problems(d, shown, least) == []


@pytest.mark.parametrize("box, size, strides", LEVEL_CASES)
def test_the_level_printed_is_fpn_levels_with_its_arithmetic(box, size, strides):
    x, y, w, h = box
    levels = [int(math.log2(s)) for s in strides]
    k = fpn_level(w, h, k_min=levels[0], k_max=levels[-1])
    side = math.sqrt(w * h)
    d = describe_level(box, input_size=size, strides=strides)
    words = texts(d)
    title = " ".join(m.text for _, m in d.marks(Text) if m.kind == "title")
    assert title.endswith(f"is pooled from P{k} (stride {2 ** k})"), title
    assert any(t.startswith(f"√(w·h) = √({exact(w)} × {exact(h)}) ") and t.endswith(f" {f(side)} px")
               for t in words), words
    raw = 4 + math.log2(side / 224) + 1e-6
    assert any(t.endswith(f"floor → {f(math.floor(raw))}") for t in words), words
    assert any(t.endswith(f"→ P{k}, stride {2 ** k} px") for t in words), words
    assert f"P{k}, stride {2 ** k} px" in d.alt and "√(w·h) " in d.alt
    # Every level's grid is captioned with the box's extent there, rows first; the chosen one says so, framed thick.
    captions = " ".join(m.text for _, m in d.marks(Text) if m.kind == "level caption")
    for lv, s in zip(levels, strides):
        head = f"P{lv}, stride {s}" + (" (chosen)" if lv == k else "")
        assert f"{head} {rows_by_columns(h / s, w / s)}" in captions, (head, captions)
        assert f"P{lv} {rows_by_columns(h / s, w / s)}" in d.alt
    assert sum(1 for _, m in d.marks(Rect) if m.kind == "chosen frame") == 1
    bold = [m.text for _, m in d.marks(Text) if m.kind == "level caption" and m.weight == "bold"]
    assert " ".join(bold) == f"P{k}, stride {2 ** k} (chosen)"


@pytest.mark.parametrize("box, size, strides", LEVEL_CASES)
@pytest.mark.parametrize("where, width, text, shown, least", SIZES)
def test_every_level_is_named_with_its_stride_on_the_line_or_in_words(box, size, strides, where, width, text, shown,
                                                                     least):
    """Where a stride does not fit its interval of the line, none is printed there and a note lists them all."""
    d = describe_level(box, input_size=size, strides=strides, width=width, text=text)
    on_line = [m.text for _, m in d.marks(Text) if m.kind == "level name"]
    words = " ".join(texts(d))
    for s in strides:
        k = int(math.log2(s))
        if f"stride {s}" in on_line:
            assert f"P{k}" in on_line
        else:
            assert not any(t.startswith("stride") for t in on_line)
            assert f"P{k} {s} px" in words, words
    boxes = [place.text_box(p, m) for p, m in d.marks(Text) if m.kind == "level name"]
    cuts = sorted(p.to_px(m.points[0][0], 0)[0] for p, m in d.marks(Line) if m.kind == "level boundary")
    for x, _, w, _ in boxes:  # each name inside its interval, clear of the boundary lines
        assert not any(x < c < x + w for c in cuts)


@pytest.mark.parametrize("side, level", [(112.0, 3), (224.0, 4), (448.0, 5), (111.99, 2), (447.9, 4)])
def test_a_box_on_a_boundary_goes_to_the_level_above_and_sits_on_its_line(side, level):
    """The rule's eps: exactly 112, 224, 448 px go up; the diamond sits on the boundary's line."""
    assert fpn_level(side, side) == level
    d = describe_level((0, 0, side, side), input_size=640)
    assert any(t.endswith(f"→ P{level}, stride {2 ** level} px") for t in texts(d))
    (pd, diamond), = [(p, m) for p, m in d.marks(Point) if m.kind == "side"]
    bounds = {float(m.points[0][0]): m for _, m in d.marks(Line) if m.kind == "level boundary"}
    assert len(bounds) == 3
    if side in (112.0, 224.0, 448.0):
        assert min(abs(diamond.x - bx) for bx in bounds) < 1e-9
        # The boundaries' numbers are the sides themselves, under their lines.
        labels = sorted((m.x, m.text) for _, m in d.marks(Text) if m.kind == "boundary")
        assert [t for _, t in labels] == ["112", "224", "448"]
        assert [x for x, _ in labels] == pytest.approx(sorted(bounds))
    else:
        assert min(abs(diamond.x - bx) for bx in bounds) > 0.01


def test_a_box_just_under_one_is_not_written_as_if_on_it():
    """3.9999996 is not rounded to 4 where the floor makes it 3."""
    w = h = 223.999
    k = fpn_level(w, h)
    d = describe_level((0, 0, w, h), input_size=640)
    line = next(t for t in texts(d) if "floor →" in t)
    value = float(line.split(" ")[-4].rstrip(";").replace("−", "-"))
    assert math.floor(value) == k == 3 and line.endswith("floor → 3"), line
    log = next(t for t in texts(d) if t.startswith("log2("))
    assert float(log.split(" ")[-1].replace("−", "-")) < 0, log  # not written 0


# ------------------------------------------------------------------------------------------ where each bin reads
class At:
    """Settings at any stride (FPN's 4 and 8 too): the records read ``stride`` and the other fields from it."""

    def __init__(self, settings: Settings, stride: float):
        self._s, self.stride = settings, stride

    def __getattr__(self, name):
        return getattr(self._s, name)


def method_offsets(roi, settings, stride, map_size=(40, 40)):
    """key -> ``ph x pw x 2`` offsets of each real method on ``roi``, run through its record."""
    at = At(settings, stride)
    return {k: offsets(lambda fm, rec=rec: rec.run(fm, roi, at).output, roi, settings.output_size, map_size, stride)
            for k, rec in METHODS.items()}


ALIGN_CASES = [(Settings(output_size=(3, 3)), 32, (296, 192, 200, 145)),
               (Settings(layer="conv5_3", output_size=(7, 7), scheme="fastrcnn", aligned=False), 16, (40, 50, 170, 90)),
               (Settings(output_size=(2, 5), aligned=False, sampling_ratio=0), 8, (13, 7, 61, 33)),
               (Settings(output_size=(1, 1)), 4, (3, 5, 9, 6)),
               (Settings(output_size=(5, 5), scheme="fastrcnn"), 16, (600, 600, 90, 70))]  # past the map: reads nothing


def names_styles():
    return {k: m.name for k, m in METHODS.items()}, {k: m.style for k, m in METHODS.items()}


@pytest.mark.parametrize("settings, stride, roi", ALIGN_CASES)
@pytest.mark.parametrize("where, width, text, shown, least", SIZES)
def test_the_alignment_figures_are_laid_out_clear_at_every_size(settings, stride, roi, where, width, text, shown,
                                                               least):
    offs = method_offsets(roi, settings, stride)
    names, styles = names_styles()
    d = describe_alignment(offs, names=names, styles=styles, stride=stride, output_size=settings.output_size,
                           width=width, text=text)
    assert problems(d, shown, least) == []
    many = {k: np.stack([v, v[::-1]]) for k, v in offs.items()}
    d = describe_offset_spread(many, names=names, styles=styles, stride=stride, width=width, text=text)
    assert problems(d, shown, least) == []


@pytest.mark.parametrize("settings, stride, roi", ALIGN_CASES)
def test_the_offsets_drawn_are_lookings_for_the_real_methods(settings, stride, roi):
    offs = method_offsets(roi, settings, stride)
    names, styles = names_styles()
    ph, pw = settings.output_size
    d = describe_alignment(offs, names=names, styles=styles, stride=stride, output_size=(ph, pw))
    panels = [p for p in d.panels if any(isinstance(m, Point) and m.kind == "reads" for m in p.marks)]
    finite = [k for k in offs if np.isfinite(offs[k]).any()]
    assert len(panels) == len(finite) or len(panels) == len(offs)
    largest = max(np.nanmax(np.hypot(o[..., 0], o[..., 1])) for o in offs.values() if np.isfinite(o).any())
    factors = []
    words = texts(d)
    for key, panel in zip([k for k in offs if np.isfinite(offs[k]).any()], panels):
        o = offs[key]
        reads = [m for m in panel.marks if isinstance(m, Point) and m.kind == "reads"]
        assert {m.shape for m in reads} == {SHAPES[styles[key][2]]} and {m.fill for m in reads} == {styles[key][0]}
        good = [(i, j) for i in range(ph) for j in range(pw) if np.isfinite(o[i, j]).all()]
        assert len(reads) == len(good)
        for (i, j), m in zip(good, reads):
            vec = np.array([m.x - (j + 0.5), m.y - (i + 0.5)])
            if np.hypot(*o[i, j]) > 1e-6 * stride:
                factors.append(np.hypot(*o[i, j]) / np.hypot(*vec))
                assert vec[0] * o[i, j][1] - vec[1] * o[i, j][0] == pytest.approx(0, abs=1e-6 * stride)  # along the offset
                assert vec @ o[i, j] > 0
        mags = np.hypot(o[..., 0], o[..., 1])
        top, mean = float(np.nanmax(mags)), float(np.nanmean(mags))
        # The panel's caption, however wrapped, names the largest and the mean offset in px and in cells.
        caption = " ".join(words)
        assert f"{names[key]} largest {f(top)} px ({f(top / stride)} cell" in caption, (key, caption)
        assert f"mean {f(mean)} px ({f(mean / stride)} cell" in caption
        assert f"{names[key]}: largest {f(top)} px" in d.alt and f"mean {f(mean)} px" in d.alt
        titled = {m.title for m in panel.marks if isinstance(m, Rect) and m.title}
        for i, j in good:
            dx, dy = o[i, j]
            assert any(t.startswith(f"row {i}, column {j}: reads {f(dx)} px across, {f(dy)} px down") for t in titled)
        for i in range(ph):
            for j in range(pw):
                if not np.isfinite(o[i, j]).all():
                    assert f"row {i}, column {j}: reads nothing" in titled
    if factors:  # one scale for every segment of every method, the one the figure states
        assert np.ptp(factors) < 1e-6 * max(factors)
        assert factors[0] == pytest.approx(largest / 0.45)
        assert f"Segments scaled: one bin's width stands for {f(largest / 0.45)} px of offset." in words


def test_legacy_roialign_reads_half_a_cell_off_and_aligned_reads_on_centre():
    """What the figure says for RoIAlign at FPN's P2 and at stride 32: half a cell is 2 px and 16 px."""
    names, styles = names_styles()
    for stride in (4, 32):
        for aligned, want in ((False, stride / 2 * math.sqrt(2)), (True, 0.0)):
            s = Settings(output_size=(3, 3), aligned=aligned)
            offs = {"align": method_offsets((5.0 * stride, 4.0 * stride, 7.3 * stride, 5.1 * stride), s, stride)["align"]}
            d = describe_alignment(offs, names=names, styles=styles, stride=stride, output_size=(3, 3))
            assert f"RoIAlign: largest {f(want)} px ({f(want / stride)} cell" in d.alt, d.alt


@pytest.mark.parametrize("fill, says", [(np.nan, "No bin reads anything: the box lies off the map."),
                                        (0.0, "Every bin reads at its own centre: no segments.")])
@pytest.mark.parametrize("where, width, text, shown, least", SIZES)
def test_no_offsets_at_all_is_said_in_words(fill, says, where, width, text, shown, least):
    names, styles = names_styles()
    offs = {k: np.full((3, 3, 2), fill) for k in METHODS}
    d = describe_alignment(offs, names=names, styles=styles, stride=16, output_size=3, width=width, text=text)
    assert problems(d, shown, least) == [] and says in " ".join(texts(d))
    assert not [m for _, m in d.marks(Line) if m.kind == "offset"]
    d = describe_offset_spread(offs, names=names, styles=styles, stride=16, width=width, text=text)
    assert problems(d, shown, least) == []
    if np.isnan(fill):
        assert "Precise RoI Pooling: no bin reads anything (9 bins read nothing)" in " ".join(texts(d))
    else:
        assert "RoIAlign: median 0 px, largest 0 px" in " ".join(texts(d))


def test_the_spread_counts_every_bin_that_reads_once():
    names, styles = names_styles()
    rng = np.random.default_rng(3)
    offs = {}
    for k in METHODS:
        o = rng.normal(0, 6, (50, 3, 3, 2))
        o[:3, 0, 0] = np.nan
        offs[k] = o
    d = describe_offset_spread(offs, names=names, styles=styles, stride=16)
    for k in METHODS:
        bars = [m for _, m in d.marks(Rect) if m.kind == "bar" and m.title.startswith(f"{names[k]}: ")]
        count = sum(int(m.title.split(": ")[-1].split(" ")[0].replace(",", "")) for m in bars)
        assert count == sum(m.h for m in bars) == 50 * 9 - 3
        mags = np.hypot(offs[k][..., 0], offs[k][..., 1])
        med = float(np.nanmedian(mags))
        assert f"{names[k]}: median {f(med)} px, largest {f(np.nanmax(mags))} px (3 bins read nothing)" in " ".join(texts(d))
    medians = [m for _, m in d.marks(Line) if m.kind == "median"]
    assert len(medians) == len(METHODS)
    halves = {m.points[0][0] for _, m in d.marks(Line) if m.kind == "half cell"}
    assert halves == {8.0} and "half a cell: 8 px" in texts(d)


# ------------------------------------------------------------------------------------------ the box head
def regression_cases():
    yield (296, 192, 200, 145), (280, 170, 240, 180), 512, BOX_HEAD_WEIGHTS
    yield (296, 192, 200, 145), (296, 192, 200, 145), 512, BOX_HEAD_WEIGHTS  # nothing to move
    yield (10, 10, 3, 2), (8, 9, 6, 5), (640, 480), RPN_WEIGHTS
    yield (500, 400, 140, 80), (560, 430, 100, 70), (640, 480), BOX_HEAD_WEIGHTS  # past the image's edge
    rng = np.random.default_rng(5)
    for _ in range(8):
        W, H = (int(v) for v in rng.integers(200, 1200, 2))
        w, h = (float(v) for v in np.round(np.exp(rng.uniform(np.log(8), np.log(600), 2))))
        x, y = float(round(rng.uniform(0, W - 4))), float(round(rng.uniform(0, H - 4)))
        tw, th = (float(v) for v in np.round(np.array([w, h]) * np.exp(rng.uniform(-0.5, 0.5, 2)), 1))
        tx, ty = float(round(x + rng.uniform(-0.3, 0.3) * w, 1)), float(round(y + rng.uniform(-0.3, 0.3) * h, 1))
        yield (x, y, w, h), (tx, ty, tw, th), (W, H), (BOX_HEAD_WEIGHTS, RPN_WEIGHTS)[int(rng.integers(2))]


REGRESSION_CASES = list(regression_cases())


@pytest.mark.parametrize("proposal, target, size, weights", REGRESSION_CASES)
@pytest.mark.parametrize("where, width, text, shown, least", SIZES)
def test_the_regression_figure_is_laid_out_clear_at_every_size(proposal, target, size, weights, where, width, text,
                                                              shown, least):
    d = describe_regression(proposal, target, weights=weights, image_size=size, width=width, text=text)
    assert problems(d, shown, least) == []


@pytest.mark.parametrize("proposal, target, size, weights", REGRESSION_CASES)
def test_the_regression_numbers_are_encodes_and_the_decoded_box_is_the_target(proposal, target, size, weights):
    d = describe_regression(proposal, target, weights=weights, image_size=size)
    words = texts(d)
    deltas = encode(proposal, target, weights)
    for name, v in zip(("tx", "ty", "tw", "th"), deltas):
        line = next(t for t in words if t.startswith(f"{name} = "))
        assert line.endswith(f" {f(v)}"), line
        assert f"{name} {'=' if num(v) and abs(float(num(v)) - v) <= 1e-12 else '≈'} {f(v)}" in d.alt
    if weights == RPN_WEIGHTS:
        assert not any(t.startswith("tx = 1 ×") for t in words)
    else:
        assert any(t.startswith("tx = 10 × (x* − x) / w") for t in words)
    back = decode(proposal, deltas, weights)
    assert back == pytest.approx(target, abs=1e-9)
    (decoded,) = [m for _, m in d.marks(Rect) if m.kind == "decoded"]
    assert (decoded.x, decoded.y, decoded.w, decoded.h) == pytest.approx(back, abs=1e-12)
    (tgt,) = [m for _, m in d.marks(Rect) if m.kind == "target"]
    (prop,) = [m for _, m in d.marks(Rect) if m.kind == "proposal"]
    assert (tgt.x, tgt.y, tgt.w, tgt.h) == tuple(map(float, target))
    assert (prop.x, prop.y, prop.w, prop.h) == tuple(map(float, proposal))
    decoded_words = "(" + ", ".join(f(v) for v in back) + ")"
    assert any(t.startswith(f"decoded: (x, y, w, h) = {decoded_words} px") for t in words)
    centres = {m.kind: (m.x, m.y) for _, m in d.marks(Point)}
    assert centres["proposal centre"] == (proposal[0] + proposal[2] / 2, proposal[1] + proposal[3] / 2)
    assert centres["target centre"] == (target[0] + target[2] / 2, target[1] + target[3] / 2)
    assert "no gradient through the RoI moves it" in " ".join(words)


# ------------------------------------------------------------------------------------------ both painters
def all_drawings():
    names, styles = names_styles()
    yield describe_level((296, 192, 200, 145), input_size=512)
    yield describe_level((0, 0, 224, 224), input_size=(640, 480), width=360, text=12)
    s, stride, roi = ALIGN_CASES[4]
    offs = method_offsets(roi, s, stride)
    yield describe_alignment(offs, names=names, styles=styles, stride=stride, output_size=s.output_size)
    yield describe_offset_spread({k: np.stack([v, v + 1]) for k, v in offs.items()}, names=names, styles=styles,
                                 stride=stride)
    yield describe_regression((296, 192, 200, 145), (280, 170, 240, 180), image_size=512, width=1000, text=20)


@pytest.mark.parametrize("k", range(5))
def test_both_painters_draw_the_same_texts_at_the_same_places(k):
    d = list(all_drawings())[k]
    tree = ET.fromstring(svg.paint(d))
    specs = list(d.marks(Text))
    assert [t.text for t in tree.findall(".//s:text", NS)] == [m.text for _, m in specs]
    titled = [m.title for _, m in d.marks() if isinstance(m, (Rect, Point)) and m.title]
    assert [t.text for t in tree.findall(".//s:title", NS)] == titled
    painted = mpl.paint(d)
    assert [t.get_text() for t in painted.texts] == [m.text for _, m in specs]
    for (p, m), t in zip(specs, painted.texts):
        x, y = painted.transFigure.transform(t.get_position())
        assert (x, painted.bbox.height - y) == pytest.approx(place.text(p, m), abs=0.01), m.text


def test_the_descriptions_import_no_painting_library():
    code = ("import sys, roi_viz.figures.detectors; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'streamlit')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]", out
