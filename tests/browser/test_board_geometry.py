"""The board's JavaScript geometry equals roi_viz.ops, number for number, in a real Chromium.

Random boxes in whole input pixels (as the board makes them), strides 16 and 32, output
sizes 1..7 and several input shapes, square and not. Every number is compared with ==:
see geometry.js for why that holds even where the arithmetic is float32 or a quotient.
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from apps.board_harness import GEOMETRY_JS, chromium
from roi_viz.ops import prroi_pool, roi_align, roi_pool, roi_warp

INPUTS = [(512, 512), (767, 512), (512, 767), (224, 224), (1000, 600)]  # (W, H) of the model input
STRIDES = [16, 32]
CASES_PER_RULE = 2400


def random_cases(n: int, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    cases = []
    for _ in range(n):
        W, H = INPUTS[rng.integers(len(INPUTS))]
        s = int(STRIDES[rng.integers(2)])
        x, y = int(rng.integers(0, W)), int(rng.integers(0, H))
        if rng.random() < 0.1:  # now and then a box reaching past the image, to test the clipping
            w, h = int(rng.integers(1, W)), int(rng.integers(1, H))
        elif rng.random() < 0.3:  # small boxes: fewer cells than bins
            w, h = int(rng.integers(1, 3 * s)), int(rng.integers(1, 3 * s))
        else:
            w, h = int(rng.integers(1, W - x + 1)), int(rng.integers(1, H - y + 1))
        cases.append({
            "box": [x, y, w, h], "stride": s, "mapSize": [H // s, W // s],
            "outputSize": [int(rng.integers(1, 8)), int(rng.integers(1, 8))],
            "samplingRatio": int(rng.choice([0, 1, 2, 3])), "aligned": bool(rng.random() < 0.5),
        })
    return cases


@pytest.fixture(scope="module")
def geometry_page():
    with chromium() as browser:
        page = browser.new_page()
        page.set_content("<!doctype html><title>geometry</title>")
        page.add_script_tag(content=GEOMETRY_JS.read_text())
        yield page


def run_js(page, fn: str, cases: list[dict], settings: dict) -> list[dict]:
    """Call ``RoIGeometry[fn]`` on every case in one evaluate.

    The results come back as one JSON string: Playwright's own serialization of large
    nested arrays takes seconds, JSON.stringify / json.loads milliseconds, and both keep
    every double exactly (the shortest decimal that reads back to the same double).
    """
    return json.loads(page.evaluate(
        "([fn, cases, extra]) => JSON.stringify(cases.map(c => RoIGeometry[fn](c.box, {...c, ...extra})))",
        [fn, cases, settings],
    ))


def fmap(case) -> np.ndarray:
    return np.zeros((1, *case["mapSize"]), np.float32)


def lists(a) -> list:
    return np.asarray(a, dtype=np.float64).tolist()


@pytest.mark.parametrize("scheme", ["article", "fastrcnn"])
def test_roi_pool_geometry_equals_python(geometry_page, scheme):
    cases = random_cases(CASES_PER_RULE, seed=1 if scheme == "article" else 2)
    got = run_js(geometry_page, "roiPool", cases, {"scheme": scheme})
    seen_dropped = seen_shared = seen_empty = 0
    for case, js in zip(cases, got):
        t = roi_pool(fmap(case), case["box"], stride=case["stride"], output_size=tuple(case["outputSize"]), scheme=scheme)
        where = f"{scheme} {case}"
        assert js["projected"] == list(t.projected), where
        assert js["quantized"] == list(t.quantized), where
        assert js["region"] == list(t.region), where
        assert js["bins"] == [[list(b) for b in row] for row in t.bins], where
        assert js["binSize"] == list(t.bin_size), where
        assert js["projectedArea"] == t.projected_area, where
        assert js["regionArea"] == t.region_area, where
        assert js["overlapArea"] == t.overlap_area, where
        assert js["coveredArea"] == t.covered_area, where
        assert js["lostArea"] == t.lost_area, where
        assert js["gainedArea"] == t.gained_area, where
        assert js["coverage"] == t.coverage, where
        assert js["droppedCells"] == t.dropped_cells, where
        seen_dropped += t.dropped_cells > 0
        seen_shared += t.shared_cells > 0
        seen_empty += bool(t.empty_bins.any())
    # The random cases reach each rule's interesting corners, not only easy boxes:
    # the article's split drops cells, Fast R-CNN's bins overlap; both meet empty bins.
    assert seen_empty > 50, seen_empty
    assert (seen_dropped if scheme == "article" else seen_shared) > 100, (seen_dropped, seen_shared)


@pytest.mark.parametrize("scheme", ["article", "fastrcnn"])
def test_roi_warp_geometry_equals_python(geometry_page, scheme):
    cases = random_cases(CASES_PER_RULE, seed=3 if scheme == "article" else 4)
    got = run_js(geometry_page, "roiWarp", cases, {"scheme": scheme})
    for case, js in zip(cases, got):
        t = roi_warp(fmap(case), case["box"], stride=case["stride"], output_size=tuple(case["outputSize"]),
                     sampling_ratio=case["samplingRatio"], scheme=scheme)
        where = f"warp {scheme} {case}"
        assert js["region"] == list(t.region), where
        assert js["grid"] == list(t.grid), where
        assert js["box"] == list(t.box), where
        assert js["rowEdges"] == lists(t.row_edges) and js["colEdges"] == lists(t.col_edges), where
        assert js["samples"] == lists(t.samples), where


def test_roi_align_geometry_equals_python(geometry_page):
    cases = random_cases(CASES_PER_RULE, seed=5)
    got = run_js(geometry_page, "roiAlign", cases, {})
    for case, js in zip(cases, got):
        t = roi_align(fmap(case), case["box"], stride=case["stride"], output_size=tuple(case["outputSize"]),
                      sampling_ratio=case["samplingRatio"], aligned=case["aligned"])
        where = f"align {case}"
        assert js["grid"] == list(t.grid), where
        assert js["box"] == list(t.box), where
        assert js["rowEdges"] == lists(t.row_edges) and js["colEdges"] == lists(t.col_edges), where
        assert js["samples"] == lists(t.samples), where


def test_prroi_bin_edges_equal_python(geometry_page):
    cases = random_cases(CASES_PER_RULE, seed=6)
    got = run_js(geometry_page, "prroi", cases, {})
    for case, js in zip(cases, got):
        t = prroi_pool(fmap(case), case["box"], stride=case["stride"], output_size=tuple(case["outputSize"]),
                       aligned=case["aligned"])
        where = f"prroi {case}"
        assert js["box"] == list(t.box), where
        assert js["rowEdges"] == lists(t.row_edges) and js["colEdges"] == lists(t.col_edges), where


def test_the_worked_example(geometry_page):
    js = geometry_page.evaluate(
        "() => RoIGeometry.roiPool([296, 192, 200, 145], {stride: 32, mapSize: [16, 16], outputSize: [3, 3], scheme: 'article'})"
    )
    assert js["projected"] == [9.25, 6, 6.25, 4.53125]
    assert js["quantized"] == [9, 6, 6, 4]
    assert (js["projectedArea"], js["regionArea"], js["overlapArea"]) == (28.3203125, 24, 23)
    assert (js["lostArea"], js["gainedArea"]) == (5.3203125, 1)
    assert [row[0][:2] for row in js["bins"]] == [[6, 7], [7, 8], [8, 9]]
    assert [b[2:] for b in js["bins"][0]] == [[9, 11], [11, 13], [13, 15]]
    assert js["droppedCells"] == 6
    assert js["coveredArea"] == 17.25 and js["coverage"] == 17.25 / 28.3203125
    fast = geometry_page.evaluate(
        "() => RoIGeometry.roiPool([296, 192, 200, 145], {stride: 32, mapSize: [16, 16], outputSize: [3, 3], scheme: 'fastrcnn'})"
    )
    assert fast["region"] == [6, 12, 9, 16]
    assert [row[0][:2] for row in fast["bins"]] == [[6, 8], [8, 10], [10, 12]]
    assert [b[2:] for b in fast["bins"][0]] == [[9, 12], [11, 15], [14, 16]]


def test_half_way_cases_round_away_from_zero(geometry_page):
    """x / s exactly half a cell: Caffe's round goes up, where JavaScript's Math.round would too but -0.5 would not."""
    got = geometry_page.evaluate("() => [0.5, 1.5, 2.5, -0.5, -1.5, 0.49999997].map(RoIGeometry.roundHalfAway)")
    assert got == [1, 2, 3, -1, -2, 0]


def test_the_readouts_numbers_are_written_as_the_lessons_words_write_them(geometry_page):
    """The live readout's numbers (geometry.js num/exact/cells/pct) equal roi_viz.lesson.numbers, digit for digit:
    the board and the step's words never show one value two ways (ties round to even, as Python's format does)."""
    from roi_viz.lesson import numbers

    rng = np.random.default_rng(7)
    values = [0.125, 0.375, 2.5, 0.005, 1.005, 6.609375, -0.004, -0.125, 0.0, 1.0, 28.3203125, 4.53125, 9.999]
    values += [float(k) / 2 ** int(j) for k, j in zip(rng.integers(-4000, 4000, 3000), rng.integers(0, 11, 3000))]
    values += [float(v) for v in rng.random(1500) * rng.choice([1, 10, 100, 1000], 1500)]
    values += [float(a) / float(b) for a, b in zip(rng.integers(0, 400, 1500), rng.integers(1, 400, 1500))]  # shares
    js = json.loads(geometry_page.evaluate(
        "(vs) => JSON.stringify(vs.map(v => [RoIGeometry.num(v), RoIGeometry.exact(v), RoIGeometry.cells(v),"
        " RoIGeometry.pct(v)]))", values))
    assert len(js) == len(values) >= 6000
    for v, (n, e, c, p) in zip(values, js):
        assert (n, e, c, p) == (numbers.num(v), numbers.exact(v), numbers.cells(v), numbers.pct(v)), v
