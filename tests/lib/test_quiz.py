"""The quiz: typed answers are read and graded fairly, and every question's answers are the walkthrough's numbers.

Correct values are checked against traces this file computes itself, with the
ops called directly (and, for the bilinear weights and PrRoI shares, against
what the op outputs on a map that is 1 in one cell), never against numbers
copied from the quiz's own output.
"""
import math
import subprocess
import sys

import numpy as np
import pytest

from roi_viz import quiz
from roi_viz.state.settings import Settings
from roi_viz.ops import geometry as g
from roi_viz.ops.prroi import prroi_pool
from roi_viz.ops.roialign import roi_align, roi_warp
from roi_viz.ops.roipool import roi_pool

ARTICLE_ROI = (296, 192, 200, 145)
SEEDS = range(200)


@pytest.fixture(scope="module")
def questions():
    return {level: [quiz.make_question(seed, level) for seed in SEEDS] for level in quiz.LEVELS}


def by_id(asks):
    return {a.id: a.answer for a in asks}


# ============================================================ reading a typed number
@pytest.mark.parametrize("text, percent, value", [
    ("9.25", False, 9.25),
    ("  9.25 ", False, 9.25),
    ("37/8", False, 4.625),
    ("37 / 8", False, 4.625),
    ("4,625", False, 4.625),
    ("1,234", False, 1.234),  # a comma is a decimal mark, never a thousands separator
    ("-0", False, 0.0),
    ("1e1", False, 10.0),
    ("\u22122.5", False, -2.5),  # the minus sign the lesson's text prints
    ("60 %", True, 60.0),
    ("60%", True, 60.0),
    ("60", True, 60.0),
])
def test_numbers_that_are_read(text, percent, value):
    got, _ = quiz.parse_number(text, percent=percent)
    assert got == value
    assert math.copysign(1.0, got) == 1.0 or value < 0  # "-0" is 0, not -0.0


@pytest.mark.parametrize("text, percent", [
    ("", False), ("   ", False), (None, False), ("abc", False), ("1/0", False), ("0/0", False),
    ("nan", False), ("inf", False), ("-inf", False), ("1e999", False), ("1,2,3", False), ("1.5,2", False),
    ("3/4/5", False), ("9.25.1", False), ("1_000", False), ("0x10", False), ("60 %", False), ("%", True),
])
def test_what_is_not_a_number_is_refused_with_one_sentence(text, percent):
    value, why = quiz.parse_number(text, percent=percent)
    assert value is None
    assert why and "\n" not in why and why.endswith(".")


def test_a_fraction_or_a_comma_says_how_it_was_read():
    assert "4.625" in quiz.parse_number("37/8")[1]
    assert "decimal mark" in quiz.parse_number("4,625")[1]
    assert quiz.parse_number("4.625")[1] == ""


def test_impossible_values_are_refused():
    assert quiz.parse_number("-1", low=0.0, high=16.0)[0] is None
    assert quiz.parse_number("17", low=0.0, high=16.0)[0] is None
    assert quiz.parse_number("1e6", low=0.0, high=16.0)[0] is None
    assert quiz.parse_number("16", low=0.0, high=16.0)[0] == 16.0


# ============================================================ grading
def _ask():
    """A hand-made ask, so the grader is tested apart from the question maker."""
    return quiz.Ask(
        "demo", "Where?",
        (
            quiz.Field("x", "x", "cells", 9.25, 0.01, 0.0, 16.0),
            quiz.Field("n", "cells", "cells", 6.0, 0.0, 0.0, 256.0),
            quiz.Field("c", "coverage", "%", 60.91, 0.5, 0.0, 100.0),
        ),
        "because", "features",
    )


@pytest.mark.parametrize("x, n, c, status", [
    ("9.25", "6", "60.91", "right"),       # exact
    ("9.26", "6.0", "61.4", "right"),      # at / within the tolerance
    ("9.24", "12/2", "60.5 %", "right"),
    ("37/4", "6", "60,9", "right"),
    ("9.2602", "6", "60.91", "wrong"),     # just outside: ±0.01
    ("9.25", "6.5", "60.91", "wrong"),     # a whole number is exact
    ("9.25", "6", "61.5", "wrong"),        # just outside: ±0.5 %
    ("9.25", "7", "59", "wrong"),
])
def test_tolerance(x, n, c, status):
    assert quiz.grade(_ask(), {"x": x, "n": n, "c": c}, 0).status == status


@pytest.mark.parametrize("answers", [
    {"x": "", "n": "6", "c": "60"},
    {"x": "abc", "n": "6", "c": "60"},
    {"x": "1/0", "n": "6", "c": "60"},
    {"x": "-3", "n": "6", "c": "60"},         # negative: no position is
    {"x": "9.25", "n": "1e9", "c": "60"},     # absurd: far beyond the map
    {"x": "9.25", "n": "6", "c": "250"},      # over 100 %
    {"x": "9.25", "n": "6"},                  # a field not sent at all
    {"x": "9.25", "n": "6", "c": "0.609"},    # right, but as a fraction of 1: said so, no try used
])
def test_malformed_answers_are_not_a_try(answers):
    result = quiz.grade(_ask(), answers, 1)
    assert result.status == "invalid"
    assert result.tries == 1 and not result.revealed and not result.done
    assert result.reason == "" and result.answer == ""
    assert result.message and result.step == "features"
    assert any(v.status == "invalid" for v in result.fields)


def test_one_retry_then_the_answer_is_shown():
    ask, wrong = _ask(), {"x": "9.5", "n": "6", "c": "60.91"}
    first = quiz.grade(ask, wrong, 0)
    assert (first.status, first.tries, first.revealed) == ("wrong", 1, False)
    assert first.reason == "" and first.answer == "" and "9.25" not in first.message
    assert [v.status for v in first.fields] == ["wrong", "right", "right"]
    assert first.step == "features"  # the walkthrough step to reread, before the answer is shown
    second = quiz.grade(ask, wrong, first.tries)
    assert (second.status, second.tries, second.revealed, second.done) == ("wrong", 2, True, True)
    assert second.reason == "because" and "9.25" in second.answer
    right_at_second = quiz.grade(ask, {"x": "9.25", "n": "6", "c": "61"}, first.tries)
    assert (right_at_second.status, right_at_second.tries, right_at_second.revealed) == ("right", 1, True)
    assert right_at_second.reason == "because"


def test_score_counts_finished_asks_and_first_try_streaks():
    ask = _ask()
    right = {"x": "9.25", "n": "6", "c": "61"}
    wrong = {"x": "1", "n": "6", "c": "61"}
    score = quiz.Score()
    score = quiz.update_score(score, quiz.grade(ask, right, 0))
    score = quiz.update_score(score, quiz.grade(ask, right, 0))
    assert (score.answered, score.right, score.first_try, score.streak, score.best_streak) == (2, 2, 2, 2, 2)
    assert quiz.update_score(score, quiz.grade(ask, {"x": ""}, 0)) == score  # not answered: nothing changes
    score = quiz.update_score(score, quiz.grade(ask, wrong, 0))
    assert (score.answered, score.streak, score.best_streak) == (2, 0, 2)  # a wrong try breaks the streak at once
    score = quiz.update_score(score, quiz.grade(ask, right, 1))
    assert (score.answered, score.right, score.first_try, score.streak) == (3, 3, 2, 0)
    score = quiz.update_score(score, quiz.grade(ask, wrong, 0))
    score = quiz.update_score(score, quiz.grade(ask, wrong, 1))
    assert (score.answered, score.right, score.first_try, score.streak, score.best_streak) == (4, 3, 2, 0, 2)


# ============================================================ the worked example
def test_worked_example_gives_the_references_numbers():
    asks = quiz.asks_for(ARTICLE_ROI, quiz.level_settings("starter"))
    a = by_id(asks)
    assert [x.id for x in asks] == ["project", "quantize", "lost_gained", "bins", "dropped", "coverage"]
    assert a["project"] == {"x": 9.25, "y": 6, "w": 6.25, "h": 4.53125}
    assert a["quantize"] == {"x": 9, "y": 6, "w": 6, "h": 4}
    assert a["lost_gained"] == {"lost": 5.3203125, "gained": 1}
    assert a["bins"] == {"bin_rows": 1, "bin_cols": 2, "left_rows": 1, "left_cols": 0}
    assert a["dropped"] == {"dropped": 6}
    assert a["coverage"]["coverage"] == pytest.approx(100 * 17.25 / 28.3203125)
    assert round(a["coverage"]["coverage"], 1) == 60.9
    reasons = {x.id: x.reason for x in asks}
    assert "296 / 32 = 9.25" in reasons["project"] and "145 / 32 = 4.53125" in reasons["project"]
    assert "⌊4.53125⌋ = 4" in reasons["quantize"]
    assert "they share 5.75 × 4 = 23" in reasons["lost_gained"] and "≈ 5.32" in reasons["lost_gained"]
    assert "row 9" in reasons["bins"]
    assert "17.25 / 28.32 ≈ 60.9 %" in reasons["coverage"]
    shown = {x.id: [f.answer_words for f in x.fields] for x in asks}
    assert shown["project"][3] == "h = 4.53125 cells"  # the projection in full, as the lesson prints it
    assert shown["lost_gained"] == ["lost ≈ 5.32 cells", "gained = 1 cell"]
    assert shown["coverage"] == ["coverage ≈ 60.9 %"]


def test_worked_example_under_fast_rcnns_rule():
    """REFERENCE.md §2 at stride 32, 3 x 3: columns 9 to 16, rows 6 to 11, and every bin."""
    s = Settings(layer="pool5", method="pool", scheme="fastrcnn", output_size=(3, 3))
    rows, cols = [(6, 7), (8, 9), (10, 11)], [(9, 11), (11, 14), (14, 15)]
    for i in range(3):
        for j in range(3):
            a = by_id(quiz.asks_for(ARTICLE_ROI, s, focus=(i, j, 0)))
            assert a["corners"] == {"first_col": 9, "last_col": 16, "first_row": 6, "last_row": 11}
            assert a["bin_size"] == {"bin_rows": 2, "bin_cols": pytest.approx(8 / 3)}
            assert a["bin"] == {"first_row": rows[i][0], "last_row": rows[i][1],
                                "first_col": cols[j][0], "last_col": cols[j][1]}


# ============================================================ the question maker
def test_same_seed_same_question_and_seeds_differ():
    for level in quiz.LEVELS:
        assert quiz.make_question(7, level) == quiz.make_question(7, level)
        rois = {quiz.make_question(seed, level).roi for seed in range(50)}
        assert len(rois) >= 45


def test_bad_seed_or_level_is_refused():
    for seed in (-1, 1.5, "3", True, None):
        with pytest.raises(ValueError):
            quiz.make_question(seed, "starter")
    with pytest.raises(ValueError):
        quiz.make_question(1, "expert")


def test_rois_are_whole_inside_and_not_degenerate(questions):
    for level, qs in questions.items():
        for q in qs:
            S, s = q.input_size, q.stride
            x, y, w, h = q.roi
            assert all(isinstance(v, int) for v in q.roi)
            assert 0 <= x and 0 <= y and x + w <= S and y + h <= S
            assert w >= 2 * s and h >= 2 * s
            if level == "starter":  # the split into 3 x 3 bins is never empty
                assert w // s >= 3 and h // s >= 3


def test_levels_fix_their_settings(questions):
    for q in questions["starter"]:
        s = q.settings
        assert (s.input_size, s.stride, s.output_size, s.method, s.scheme) == (512, 32, (3, 3), "pool", "article")
        assert q.map_size == (16, 16)
    for q in questions["fastrcnn"]:
        s = q.settings
        assert (s.stride, s.output_size, s.method, s.scheme) == (16, (7, 7), "pool", "fastrcnn")
    assert {q.method for q in questions["beyond"]} == {"align", "warp", "prroi", "psroi"}
    page = Settings(input_size=224, layer="conv5_3", method="warp", output_size=(2, 4), sampling_ratio=0)
    assert quiz.make_question(3, "starter", page) == quiz.make_question(3, "starter")
    assert quiz.make_question(3, "fastrcnn", page).settings.input_size == 224
    beyond = quiz.make_question(3, "beyond", page).settings
    assert (beyond.method, beyond.output_size, beyond.sampling_ratio, beyond.stride) == ("warp", (2, 4), 0, 16)


def test_asks_follow_the_walkthrough_and_link_to_its_steps(questions):
    from roi_viz.methods import METHODS

    for qs in questions.values():
        for q in qs:
            keys = METHODS[q.method].step_keys()
            order = [keys.index(a.step) for a in q.asks]
            assert order == sorted(order)
            assert len({a.id for a in q.asks}) == len(q.asks)
            for a in q.asks:
                if a.focus is not None:
                    i, j, _ = a.focus
                    assert 0 <= i < q.output_size[0] and 0 <= j < q.output_size[1]


def test_the_right_answer_rounded_as_stated_is_right(questions):
    """Every correct value lies within its field's limits, and typing it to the stated precision is graded right."""
    for qs in questions.values():
        for q in qs:
            for a in q.asks:
                for f in a.fields:
                    assert f.low <= f.answer <= f.high and math.isfinite(f.answer)
                # Whole numbers as integers, cells and weights to 2 decimals, shares to 1.
                digits = {f.key: 0 if f.tolerance == 0 else 2 if f.tolerance < 0.5 else 1 for f in a.fields}
                typed = {f.key: f"{f.answer:.{digits[f.key]}f}" for f in a.fields}
                assert quiz.grade(a, typed, 0).status == "right", (q.seed, a.id, typed)


def _zeros(q):
    n = q.input_size // q.stride
    return np.zeros((1, n, n), np.float32)


def test_starter_answers_are_the_traces(questions):
    for q in questions["starter"]:
        t = roi_pool(_zeros(q), q.roi, stride=32, output_size=(3, 3), scheme="article")
        a = by_id(q.asks)
        assert tuple(a["project"].values()) == tuple(v / 32 for v in q.roi)
        assert tuple(a["quantize"].values()) == t.quantized
        assert (a["lost_gained"]["lost"], a["lost_gained"]["gained"]) == (t.lost_area, t.gained_area)
        r0, r1, c0, c1 = t.region
        unused = t.bin_use[r0:r1, c0:c1] == 0
        assert (a["bins"]["bin_rows"], a["bins"]["bin_cols"]) == t.bin_size
        assert a["bins"]["left_rows"] == unused.all(axis=1).sum()
        assert a["bins"]["left_cols"] == unused.all(axis=0).sum()
        assert a["dropped"]["dropped"] == t.dropped_cells == unused.sum()
        assert a["coverage"]["coverage"] == pytest.approx(100 * t.coverage)


def test_starter_shows_the_interesting_cases(questions):
    a = [by_id(q.asks) for q in questions["starter"]]
    assert any(x["dropped"]["dropped"] == 0 for x in a) and any(x["dropped"]["dropped"] > 0 for x in a)
    assert any(x["bins"]["left_rows"] and x["bins"]["left_cols"] for x in a)
    assert any(float(x["project"]["x"]).is_integer() or float(x["project"]["y"]).is_integer() for x in a)
    assert any(x["lost_gained"]["gained"] > 0 for x in a)


def test_fastrcnn_answers_are_the_traces(questions):
    for q in questions["fastrcnn"]:
        t = roi_pool(_zeros(q), q.roi, stride=16, output_size=(7, 7), scheme="fastrcnn")
        a = {x.id: x for x in q.asks}
        x, y, w, h = q.roi
        # Rounding half away from zero, for positive numbers: floor(v + 1/2). Exact for x / 16.
        corners = {"first_col": math.floor(x / 16 + 0.5), "last_col": math.floor((x + w) / 16 + 0.5),
                   "first_row": math.floor(y / 16 + 0.5), "last_row": math.floor((y + h) / 16 + 0.5)}
        assert a["corners"].answer == corners
        assert (t.quantized[0], t.quantized[1]) == (corners["first_col"], corners["first_row"])
        assert (a["bin_size"].answer["bin_rows"], a["bin_size"].answer["bin_cols"]) == t.bin_size
        i, j, _ = a["bin"].focus
        r0, r1, c0, c1 = t.bins[i][j]
        assert r1 > r0 and c1 > c0  # the bin asked about reads cells
        assert a["bin"].answer == {"first_row": r0, "last_row": r1 - 1, "first_col": c0, "last_col": c1 - 1}


def test_fastrcnn_shows_the_interesting_cases(questions):
    qs = questions["fastrcnn"]
    n = 512 // 16
    assert any((q.roi[0] / 16) % 1 == 0.5 for q in qs)  # a corner on a half cell
    assert any(by_id(q.asks)["corners"]["last_col"] == n or by_id(q.asks)["corners"]["last_row"] == n for q in qs)
    assert any(by_id(q.asks)["corners"]["last_col"] - by_id(q.asks)["corners"]["first_col"] + 1 < 7 for q in qs)
    assert len({q.asks[-1].focus for q in qs}) > 20  # the bin asked about varies


def _beyond_trace(q, fm):
    s = q.settings
    if q.method == "align":
        return roi_align(fm, q.roi, stride=s.stride, output_size=s.output_size, sampling_ratio=s.sampling_ratio,
                         aligned=s.aligned, mode=s.align_mode)
    if q.method == "warp":
        return roi_warp(fm, q.roi, stride=s.stride, output_size=s.output_size, sampling_ratio=s.sampling_ratio,
                        mode=s.warp_mode, scheme=s.scheme)
    if q.method == "psroi":  # position-sensitive RoIAlign reads at RoIAlign's points, always aligned
        return roi_align(fm, q.roi, stride=s.stride, output_size=s.output_size, sampling_ratio=s.sampling_ratio,
                         aligned=True)
    return prroi_pool(fm, q.roi, stride=s.stride, output_size=s.output_size, aligned=s.aligned)


def _one_hot(q, r, c):
    fm = _zeros(q)
    fm[0, r, c] = 1.0
    return fm


def test_beyond_answers_are_the_traces(questions):
    for q in questions["beyond"]:
        t = _beyond_trace(q, _zeros(q))
        a = {x.id: x for x in q.asks}
        assert (a["bin_size"].answer["bin_rows"], a["bin_size"].answer["bin_cols"]) == t.bin_size
        if q.method == "prroi":
            i, j, _ = a["share"].focus
            assert a["bin_size"].answer["bin_area"] == t.bin_area
            r, c = a["share"].cell
            # A cell's share of the bin is the bin's output when the map is 1 in that cell and 0 elsewhere.
            out = _beyond_trace(q, _one_hot(q, r, c)).output[0, i, j]
            assert a["share"].answer["share"] == pytest.approx(100 * out, abs=1e-4)
            rows = a["share"].answer["row_share"] / 100 * t.bin_size[0]
            cols = a["share"].answer["col_share"] / 100 * t.bin_size[1]
            assert (rows, cols) == (pytest.approx(t.row_weights[i][r]), pytest.approx(t.col_weights[j][c]))
            continue
        i, j, k = a["point"].focus
        assert a["point"].answer == {"x": t.samples[i, j, k][1], "y": t.samples[i, j, k][0]}
        corner = a["cells"].answer
        r, c = int(corner["row"]), int(corner["col"])
        four = [(r, c), (r, c + 1), (r + 1, c), (r + 1, c + 1)]
        assert [(rr, cc) for rr, cc, _ in t.neighbours(i, j, k)] == four
        for (rr, cc), w in zip(four, a["weights"].answer.values()):
            # A cell's weight is what the point reads when the map is 1 in that cell and 0 elsewhere.
            read = _beyond_trace(q, _one_hot(q, rr, cc)).sample_values[0, i, j, k]
            assert w == pytest.approx(float(read), abs=1e-5)
        if q.method == "warp":
            snapped = roi_pool(_zeros(q), q.roi, stride=q.stride, output_size=q.output_size, scheme=q.settings.scheme)
            assert tuple(a["snap"].answer.values()) == g.box_of_span(snapped.region) == g.box_of_span(t.region)


def test_the_zero_map_gives_the_same_geometry_as_a_real_one(questions):
    """The answers are geometry: a map of random values gives every op the same boxes, bins, points and weights."""
    rng = np.random.default_rng(0)
    for level, qs in questions.items():
        for q in qs[:15]:
            n = q.input_size // q.stride
            fm = rng.standard_normal((3, n, n)).astype(np.float32)
            if q.method == "pool":
                z = roi_pool(_zeros(q), q.roi, stride=q.stride, output_size=q.output_size, scheme=q.settings.scheme)
                r = roi_pool(fm, q.roi, stride=q.stride, output_size=q.output_size, scheme=q.settings.scheme)
                for name in ("projected", "quantized", "region", "bins", "bin_size", "lost_area", "gained_area",
                             "coverage", "dropped_cells"):
                    assert getattr(z, name) == getattr(r, name), name
            elif q.method == "prroi":
                z, r = _beyond_trace(q, _zeros(q)), _beyond_trace(q, fm)
                assert np.array_equal(z.row_weights, r.row_weights) and np.array_equal(z.col_weights, r.col_weights)
            else:
                z, r = _beyond_trace(q, _zeros(q)), _beyond_trace(q, fm)
                assert np.array_equal(z.samples, r.samples) and z.bin_size == r.bin_size
                i, j, k = q.asks[-1].focus
                assert z.neighbours(i, j, k) == r.neighbours(i, j, k)


def test_asks_for_refuses_what_it_cannot_ask():
    s = Settings(method="align", aligned=True, sampling_ratio=2)
    with pytest.raises(ValueError):
        quiz.asks_for((0, 0, 128, 128), s, focus=(3, 0, 0))  # no bin row 3 in 3 x 3
    with pytest.raises(ValueError):
        quiz.asks_for((0, 0, 96, 96), s, focus=(0, 0, 0))  # the first point lies in the map's outer half cell


# ============================================================ purity and the figure
def test_the_quiz_imports_no_torch_matplotlib_or_streamlit():
    code = "import sys, roi_viz.quiz; print(sorted({'torch', 'matplotlib', 'streamlit'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_question_figure_gives_the_data_and_reveals_nothing():
    import io

    from PIL import Image

    from roi_viz.figures.quiz import describe_question
    from roi_viz.picture import mpl
    from roi_viz.picture.files import to_png
    from roi_viz.picture.spec import Text
    from ui.figure import PAGE_DPI

    q = quiz.make_question(0, "starter")
    q = quiz.Question(q.seed, q.level, q.settings, ARTICLE_ROI, quiz.asks_for(ARTICLE_ROI, q.settings))
    photo = io.BytesIO()
    Image.new("RGB", (512, 512), (200, 180, 160)).save(photo, format="JPEG")
    d = describe_question(q, photo.getvalue())
    assert to_png(mpl.paint(d), PAGE_DPI)[:4] == b"\x89PNG"
    words = " ".join(m.text for _, m in d.marks(Text))
    for given in ("x = 296", "y = 192", "w = 200", "h = 145", "512×512", "stride 32", "16×16", "3×3"):
        assert given in words
    for answer in ("9.25", "6.25", "4.53", "60.9", "lost", "quantized"):
        assert answer not in words


def test_sizes_in_the_questions_read_rows_by_columns(questions):
    """One order for two numbers (the glossary's): a block of cells is rows × columns, said in words."""
    checked = 0
    for qs in questions.values():
        for q in qs:
            H, W = q.map_size
            assert f"a map of {H} rows × {W} columns" in q.intro
            for ask in q.asks:
                if ask.id == "bins":  # the trace of the question's own setting says which cells the box kept
                    t = roi_pool(np.zeros((1, H, W), np.float32), q.roi, stride=q.stride,
                                 output_size=q.settings.output_size, scheme=q.settings.scheme)
                    r0, r1, c0, c1 = t.region
                    assert f"The box of {r1 - r0} rows × {c1 - c0} columns" in ask.text, ask.text
                    checked += 1
    assert checked, "no question split a box into bins"
