"""The board's pyramid level (geometry.js fpnLevel / levelOf) equals roi_viz.ops.fpn_level, in a real Chromium.

Python's rule is torchvision's LevelMapper in float32; the script rounds every step to float32 with Math.fround.
Compared on thousands of random boxes (whole pixels, as the board makes them, and fractional ones), on every
float32 size within thousands of steps of each boundary (sqrt(w h) = 56, 112, 224, 448, 896 px: the flip from one
level to the next lies among them), and on the boundaries themselves, exact and 1e-9 px either side.
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from apps.board_harness import GEOMETRY_JS, chromium
from roi_viz.ops import fpn_level
from ui.board import pyramid_of

PYRAMID = pyramid_of((512, 512))
EDGES = (56.0, 112.0, 224.0, 448.0, 896.0)  # 112..448 step between P2..P5; 56 and 896 are clamped away
ULPS = 2500  # float32 steps either side of each boundary


@pytest.fixture(scope="module")
def level_page():
    with chromium() as browser:
        page = browser.new_page()
        page.set_content("<!doctype html><title>level</title>")
        page.add_script_tag(content=GEOMETRY_JS.read_text())
        yield page


def js_levels(page, sizes: list[tuple[float, float]]) -> list[dict]:
    """RoIGeometry.fpnLevel for every (w, h), in one evaluate; numbers go both ways as JSON (exact doubles)."""
    return json.loads(page.evaluate(
        "([sizes, p]) => { p = JSON.parse(p); return JSON.stringify(JSON.parse(sizes).map(([w, h]) =>"
        " RoIGeometry.fpnLevel(w, h, p))); }", [json.dumps(sizes), json.dumps(PYRAMID)]))


def python_level(w: float, h: float) -> int:
    return fpn_level(w, h, canonical_size=PYRAMID["canonical_size"], canonical_level=PYRAMID["canonical_level"],
                     k_min=PYRAMID["k_min"], k_max=PYRAMID["k_max"])


def float32_steps(v: float, n: int) -> list[float]:
    """The 2n + 1 float32 numbers around ``v`` (as doubles), ``v`` in the middle."""
    bits = np.array([v], np.float32).view(np.int32)[0]
    return np.arange(bits - n, bits + n + 1, dtype=np.int32).view(np.float32).astype(float).tolist()


def compare(page, sizes) -> list[int]:
    got = js_levels(page, sizes)
    assert len(got) == len(sizes)
    levels = []
    for (w, h), js in zip(sizes, got):
        want = python_level(w, h)
        assert js["level"] == want, (w, h, js, want)
        # The script's side is NumPy's float32 sqrt(w * h), bit for bit (both correctly rounded).
        assert js["side"] == float(np.sqrt(np.float32(w) * np.float32(h))), (w, h, js)
        levels.append(want)
    return levels


def test_random_boxes_get_pythons_level(level_page):
    rng = np.random.default_rng(30)
    whole = [(int(w), int(h)) for w, h in zip(rng.integers(1, 1600, 4000), rng.integers(1, 1600, 4000))]
    # Sides spread evenly over the octaves, boundaries included: a uniform draw would be mostly P5.
    wide = np.exp2(rng.uniform(3, 11, (4000, 2)))
    fractional = [(float(w), float(h)) for w, h in wide]
    levels = compare(level_page, whole + fractional)
    assert set(levels) == set(PYRAMID["levels"]), "the random boxes reach every level"
    assert min(levels.count(k) for k in PYRAMID["levels"]) > 300, [levels.count(k) for k in PYRAMID["levels"]]


@pytest.mark.parametrize("edge", EDGES)
def test_every_float32_size_near_a_boundary_gets_pythons_level(level_page, edge):
    """w on the boundary and h every float32 near it; then w = h, every float32 near it: thousands of sides,
    the flip between two levels among them (none, for 56 and 896, which the clamp removes)."""
    near = float32_steps(edge, ULPS)
    sizes = [(edge, h) for h in near] + [(s, s) for s in near]
    levels = compare(level_page, sizes)
    assert len(sizes) == 2 * (2 * ULPS + 1)
    inside = PYRAMID["boundaries"][0] <= edge <= PYRAMID["boundaries"][-1]
    assert len(set(levels)) == (2 if inside else 1), (edge, sorted(set(levels)))


@pytest.mark.parametrize("edge", [112.0, 224.0, 448.0])
def test_the_boundaries_exact_and_a_billionth_either_side(level_page, edge):
    d = 1e-9
    sizes = [(edge, edge), (2 * edge, edge / 2), (edge / 4, 4 * edge), (edge + d, edge + d), (edge - d, edge - d),
             (edge + d, edge), (edge - d, edge), (edge, edge - d), ((edge * edge - d) / edge, edge),
             (edge - 1, edge), (edge - 1, edge - 1), (edge + 1, edge + 1), (edge * (1 - 1e-6), edge * (1 - 1e-6))]
    levels = compare(level_page, sizes)
    above = PYRAMID["levels"][PYRAMID["boundaries"].index(edge) + 1]
    # Exactly on a boundary the box goes to the coarser level (torchvision's eps); 1e-9 px is below float32's
    # resolution at these sizes, so it changes nothing; a whole pixel less is the finer level.
    assert levels[:9] == [above] * 9, levels
    assert levels[9:11] == [above - 1] * 2 and levels[11] == above, levels


def test_level_of_names_the_level_its_stride_and_its_map(level_page):
    boxes = [[0, 0, 60, 60], [0, 0, 111, 112], [0, 0, 112, 112], [10, 10, 223, 224], [5, 5, 224, 224],
             [0, 0, 447, 448], [0, 0, 448, 448], [0, 0, 512, 512], [3, 4, 1, 1]]
    got = json.loads(level_page.evaluate(
        "([boxes, p]) => JSON.stringify(boxes.map(b => RoIGeometry.levelOf(b, JSON.parse(p))))",
        [boxes, json.dumps(PYRAMID)]))
    names = []
    for box, js in zip(boxes, got):
        k = python_level(box[2], box[3])
        i = PYRAMID["levels"].index(k)
        assert (js["level"], js["name"], js["stride"], js["mapSize"]) == (
            k, f"P{k}", 2 ** k, [-(-512 // 2 ** k)] * 2), (box, js)
        names.append(js["name"])
        assert PYRAMID["strides"][i] == 2 ** k
    assert names == ["P2", "P2", "P3", "P3", "P4", "P4", "P5", "P5", "P2"]
