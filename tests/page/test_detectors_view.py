"""The "Today's detectors" view (``view=detect``): the box on the board as torchvision's Faster R-CNN treats it.

Its words say the numbers its figures draw (the level and stride of ``fpn_level``, the offsets of
``roi_viz.ops.looking`` for every method run through its record at the picked stride, the deltas of ``encode``);
on the page (AppTest) the three figures' text alternatives carry those numbers, the stride and output pickers
and a typed target change them, and a target with no size is a plain notice, not a traceback. One Chromium test
sees the three inline SVG figures and runs axe on the view.
"""
import math

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from helpers import APP, figures, notices, page_state, page_text, widget
from roi_viz.figures.detectors import describe_alignment, describe_level, describe_regression
from roi_viz.lesson import detector_words as words
from roi_viz.lesson import glossary
from roi_viz.lesson.numbers import eq, num, rows_by_columns
from roi_viz.lesson.views import VIEWS
from roi_viz.methods import METHODS
from roi_viz.ops.looking import offsets
from roi_viz.ops.pyramid import fpn_level
from roi_viz.ops.regression import BOX_HEAD_WEIGHTS, decode, encode
from roi_viz.state.settings import Settings

NAMES = {k: m.name for k, m in METHODS.items()}
STYLES = {k: m.style for k, m in METHODS.items()}


def f(v) -> str:
    """A computed number as figures and words write it (the lesson's rule, a true minus sign)."""
    return num(v).replace("-", "−")


class At:
    """Settings at any stride and output size, written independently of the view's own wrapper."""

    def __init__(self, settings, stride, output_size):
        self._s, self.stride, self.output_size = settings, stride, output_size

    def __getattr__(self, name):
        return getattr(self._s, name)


def expected_offsets(roi, settings, stride, output_size, dims):
    """key -> ``ph x pw x 2``: ``ops.looking`` on every record at ``stride``, the level's map covering the input."""
    W, H = dims
    size = (math.ceil(H / stride), math.ceil(W / stride))
    at = At(settings, stride, output_size)
    return {k: offsets(lambda fm, rec=rec: rec.every_channel(fm, roi, at), roi, output_size, size, stride)
            for k, rec in METHODS.items()}


def summary_words(o, stride) -> tuple[str, str]:
    m = np.hypot(o[..., 0], o[..., 1])
    top, mean = float(np.nanmax(m)), float(np.nanmean(m))
    cells = lambda v: f"{f(v)} px ({f(v / stride)} cell"  # noqa: E731 (then "s)" or ")")
    return f"largest {cells(top)}", f"mean {cells(mean)}"


BOXES = [((296, 192, 200, 145), (512, 512)), ((5, 5, 2, 3), (512, 384)), ((10, 20, 224, 224), (640, 480)),
         ((0, 0, 112, 448), (640, 480)), ((40, 30, 900, 700), (1024, 768)), ((600, 450, 120, 90), (640, 480))]


# ------------------------------------------------------------------------------------------ words = figures
@pytest.mark.parametrize("box, dims", BOXES)
def test_the_level_words_say_the_level_the_figure_draws(box, dims):
    _, _, w, h = box
    k = fpn_level(w, h)
    said = words.level_words(box)
    d = describe_level(box, input_size=dims)
    side = math.sqrt(w * h)
    assert f"pooled from P{k}, stride {2 ** k} px" in said and f"P{k}, stride {2 ** k} px" in d.alt
    assert f"√(w·h) {eq(side)} {f(side)} px" in said and f"√(w·h) {eq(side)} {f(side)} px" in d.alt
    extent = rows_by_columns(h / 2 ** k, w / 2 ** k)
    assert f"spans {extent}" in said and f"P{k} {extent}" in d.alt
    floor = math.floor(4 + math.log2(side / 224) + 1e-6)
    assert f"rounded down, is {f(floor)}" in said and f"floor {f(floor)}" in d.alt
    assert (f"There is no P{f(floor)}" in said) == (floor != k)


@pytest.mark.parametrize("stride, out, aligned", [(4, (7, 7), False), (8, (14, 14), True), (16, (7, 7), True),
                                                  (32, (14, 14), False)])
@pytest.mark.parametrize("box, dims", BOXES[:3] + BOXES[-1:])
def test_the_alignment_words_say_the_offsets_the_figure_draws(box, dims, stride, out, aligned):
    s = Settings(output_size=(3, 3), aligned=aligned, scheme="fastrcnn")
    offs = words.method_offsets(box, s, stride, out, dims)
    want = expected_offsets(box, s, stride, out, dims)
    for k in METHODS:  # the view's offsets are ops.looking's on every record at the picked stride
        np.testing.assert_allclose(offs[k], want[k], atol=1e-9)
        assert offs[k].shape == (*out, 2)
    said = words.alignment_words(offs, NAMES, stride, out, aligned, chosen=fpn_level(*box[2:]))
    d = describe_alignment(offs, names=NAMES, styles=STYLES, stride=stride, output_size=out)
    assert f"at stride {stride} px (half a cell is {f(stride / 2)} px)" in said
    for k, o in offs.items():
        if np.isfinite(o).any():
            largest, mean = summary_words(o, stride)
            assert f"{NAMES[k]}: {largest}" in said and f"{NAMES[k]}: {largest}" in d.alt, (k, said, d.alt)
            assert mean in said and mean in d.alt
        else:
            assert f"{NAMES[k]}: reads nothing" in said and f"{NAMES[k]}: reads nothing" in d.alt
    if not aligned:  # torchvision's legacy RoIAlign: every bin half a cell right and down, sqrt(2) / 2 cell away
        assert "aligned=False, as torchvision's MultiScaleRoIAlign" in said
    inside = box[0] + box[2] + stride <= dims[0] and box[1] + box[3] + stride <= dims[1]  # no read off the map
    if not aligned and min(box[2:]) >= stride and inside:  # (the legacy rule widens a box under a cell to one)
        assert f"RoIAlign: largest {f(stride / 2 * math.sqrt(2))} px" in said


@pytest.mark.parametrize("box, dims", BOXES)
def test_the_regression_words_say_the_deltas_the_figure_draws(box, dims):
    target = words.default_target(box)
    assert target != tuple(map(float, box)) and words.target_problem(target) is None
    deltas = encode(box, target, BOX_HEAD_WEIGHTS)
    said = words.regression_words(box, target)
    d = describe_regression(box, target, image_size=dims)
    for name, v in zip(("tx", "ty", "tw", "th"), deltas):
        assert f"{name} {eq(v)} {f(v)}" in said and f"{name} {eq(v)} {f(v)}" in d.alt
    back = decode(box, deltas, BOX_HEAD_WEIGHTS)
    assert "(" + ", ".join(f(v) for v in back) + ")" in said
    assert "the proposal is a constant" in said and "no gradient through the RoI" in said
    assert "box head's regression" in said


@pytest.mark.parametrize("target, says", [((10, 10, 0, 5), "w = 0, h = 5"), ((10, 10, 20, -3), "w = 20, h = -3"),
                                          ((10, 10, -1, -1), "w = -1, h = -1"), ((1e9, 0, 5, 5), "at most 100,000")])
def test_a_target_with_no_size_is_a_plain_sentence(target, says):
    problem = words.target_problem(target)
    assert problem and says in problem


def test_a_target_no_prediction_could_reach_is_a_plain_sentence():
    """torchvision clips tw and th at log(1000 / 16): a target over 62.5 times the proposal cannot be decoded to."""
    box = (296, 192, 200, 145)
    assert words.target_problem((0, 0, 200 * 62, 145), box) is None
    back = decode(box, encode(box, (0, 0, 200 * 62, 145), BOX_HEAD_WEIGHTS), BOX_HEAD_WEIGHTS)
    assert back == pytest.approx((0, 0, 200 * 62, 145))
    problem = words.target_problem((0, 0, 200 * 63, 145), box)
    assert problem and "63 times the proposal's size" in problem and "at most 62.5 times" in problem
    assert decode(box, encode(box, (0, 0, 200 * 63, 145), BOX_HEAD_WEIGHTS), BOX_HEAD_WEIGHTS)[2] < 200 * 63


def test_the_glossary_explains_level_pyramid_and_regression_target():
    for term in ("level", "pyramid", "regression target"):
        line = glossary.GLOSSARY[term]
        assert "\n" not in line and 20 < len(line) < 200 and line.endswith("."), term
    assert "P2" in glossary.GLOSSARY["pyramid"] and "(tx, ty, tw, th)" in glossary.GLOSSARY["regression target"]


# ------------------------------------------------------------------------------------------ the page (AppTest)
@pytest.fixture(scope="module")
def at():
    app = AppTest.from_file(APP, default_timeout=300)
    app.query_params["view"] = "detect"
    app.run()
    assert not app.exception, app.exception
    return app


def board(at):
    """The box on the board (input px) and the input's ``(W, H)``, from the page's own state."""
    s = page_state(at)
    return tuple(s.store.boxes(s.photo.dims)[s.store.active]), tuple(s.photo.dims), s.settings


def three(at) -> tuple[str, str, str]:
    alts = figures(at)
    assert len(alts) == 3, alts
    return tuple(alts)


def clean(at) -> None:
    assert not at.exception, at.exception
    text = page_text(at)
    assert "Traceback" not in text and "Something went wrong" not in text


def test_the_view_shows_its_heading_and_the_numbers_of_the_ops(at):
    clean(at)
    assert "#### " + VIEWS["detect"][1] in [m.value for m in at.markdown]
    box, dims, settings = board(at)
    _, _, w, h = box
    k = fpn_level(w, h)
    level, reads, regress = three(at)
    assert f"is pooled from P{k} (stride {2 ** k})" in level and f"P{k}, stride {2 ** k} px" in level
    assert f"√(w·h) {eq(math.sqrt(w * h))} {f(math.sqrt(w * h))} px" in level
    # The stride picker starts at the box's level, the output at the box head's 7 x 7.
    assert widget(at, "radio", "Stride read (px)").value == 2 ** k
    assert f"the 7×7 bins, stride {2 ** k} px" in reads
    for key, o in expected_offsets(box, settings, 2 ** k, (7, 7), dims).items():
        largest, mean = summary_words(o, 2 ** k)
        assert f"{NAMES[key]}: {largest}" in reads and mean in reads, (key, reads)
    target = tuple(widget(at, "number_input", f"Target {c} (px)").value for c in "xywh")
    assert target == words.default_target(box)
    for name, v in zip(("tx", "ty", "tw", "th"), encode(box, target, BOX_HEAD_WEIGHTS)):
        assert f"{name} {eq(v)} {f(v)}" in regress
    # The words under the figures say the same numbers.
    text = page_text(at)
    assert f"pooled from P{k}, stride {2 ** k} px" in text
    assert "no gradient through the RoI moves them" in text


def test_the_stride_and_output_pickers_change_where_cells_read(at):
    box, dims, settings = board(at)
    widget(at, "radio", "Stride read (px)").set_value(32).run()
    widget(at, "radio", "Output").set_value("mask").run()
    clean(at)
    _, reads, _ = three(at)
    assert "the 14×14 bins, stride 32 px" in reads
    for key, o in expected_offsets(box, settings, 32, (14, 14), dims).items():
        if np.isfinite(o).any():
            largest, mean = summary_words(o, 32)
            assert f"{NAMES[key]}: {largest}" in reads and mean in reads, (key, reads)
        else:
            assert f"{NAMES[key]}: reads nothing" in reads
    assert "at stride 32 px (half a cell is 16 px)" in page_text(at)


def test_typing_a_target_changes_the_deltas(at):
    box, _, _ = board(at)
    _, _, before = three(at)
    target = (box[0] + 30, box[1] - 12, box[2] * 0.5, box[3] * 2)
    for c, v in zip("xywh", target):
        widget(at, "number_input", f"Target {c} (px)").set_value(v).run()
    clean(at)
    _, _, after = three(at)
    assert after != before
    for name, v in zip(("tx", "ty", "tw", "th"), encode(box, target, BOX_HEAD_WEIGHTS)):
        assert f"{name} {eq(v)} {f(v)}" in after, (name, after)
        assert f"{name} {eq(v)} {f(v)}" in page_text(at)


@pytest.mark.parametrize("w, h", [(0.0, 50.0), (-20.0, 50.0), (40.0, -1.0)])
def test_a_target_with_no_size_says_so_plainly(w, h):
    app = AppTest.from_file(APP, default_timeout=300)
    app.query_params["view"] = "detect"
    app.run()
    widget(app, "number_input", "Target w (px)").set_value(w).run()
    widget(app, "number_input", "Target h (px)").set_value(h).run()
    clean(app)
    said = notices(app, "warning")
    assert any("needs a width and a height of more than 0 px" in n and f"w = {w:g}, h = {h:g}" in n for n in said), said
    alts = figures(app)  # the level and where cells read stay; the regression waits for a box
    assert len(alts) == 2 and not any("regression" in a for a in alts), alts


def test_presenter_mode_shows_one_part_at_a_time_with_its_words():
    app = AppTest.from_file(APP, default_timeout=300)
    app.query_params["view"] = "detect"
    app.query_params["present"] = "1"
    app.run()
    clean(app)
    box, _, _ = board(app)
    k = fpn_level(*box[2:])
    for part, figure_says, words_say in (
            ("level", f"is pooled from P{k} (stride {2 ** k})", f"pooled from P{k}, stride {2 ** k} px"),
            ("read", f"stride {2 ** k} px, from each bin's centre", f"at stride {2 ** k} px (half a cell"),
            ("regress", "The box head's regression", "no gradient through the RoI moves them")):
        widget(app, "radio", "Part").set_value(part).run()
        clean(app)
        alts = figures(app)
        assert len(alts) == 1 and figure_says in alts[0], (part, alts)
        assert words_say in page_text(app), part
