"""The README's worked example is the library's: every number of its table is recomputed here.

The table sets the article's box on two networks side by side. A number typed by hand drifts
the day the code changes; here each cell of the table is rebuilt from the ops (RoI pooling at
stride 32, the pyramid's level rule, RoIAlign at the chosen level's stride) and must appear in
the README exactly as written.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from roi_viz.lesson.numbers import exact as fmt
from roi_viz.model.layers import LAYERS
from roi_viz.ops.pyramid import fpn_level
from roi_viz.ops.roialign import roi_align
from roi_viz.ops.roipool import roi_pool

ROOT = Path(__file__).resolve().parents[2]
BOX = (296, 192, 200, 145)
SIZE = 512
FPN_STRIDES = (4, 8, 16, 32)
FPN_CHANNELS = 256  # every level of torchvision's FeaturePyramidNetwork in Faster R-CNN


@pytest.fixture(scope="module")
def table() -> dict[str, str]:
    """The README's worked-example table: first column -> the row's whole line."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## The worked example, on two networks")
    rows = {}
    for line in text[start:].splitlines():
        if line.startswith("| ") and not line.startswith("| |"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            rows[cells[0]] = cells
        elif rows and not line.startswith("|"):
            break
    return rows


def _c(v: float, digits: int = 2) -> str:
    return f"{v:.{digits}f}"


def test_the_article_column_is_roi_pooling_at_pool5(table):
    pool5 = LAYERS["pool5"]
    cells = SIZE // pool5.stride
    t = roi_pool(np.zeros((1, cells, cells), np.float32), BOX, stride=pool5.stride, output_size=(3, 3),
                 scheme="article")
    assert table["the map"][1] == f"{cells} × {cells} × {pool5.channels}, stride {pool5.stride}"
    projected = ", ".join(fmt(v) for v in t.projected)
    quantized = ", ".join(str(int(v)) for v in t.quantized)
    assert table["the box on it"][1] == f"({projected}), rounded down to ({quantized})"
    bin_h, bin_w = t.bin_size
    assert f"3 × 3 bins of {bin_w} × {bin_h} cells (w × h)" in table["the bins"][1]
    x, y, w, h = t.quantized
    # the split of 4 rows into 3 bins of 1 leaves the quantized box's last row to no bin
    assert (h - 3 * bin_h, y + h - 1) == (1, 9)
    assert f"row {y + h - 1} falls out of every bin" in table["the bins"][1]
    assert table["what reaches the output"][1] == (
        f"{fmt(t.covered_area)} of {fmt(t.projected_area)} cells: {100 * t.coverage:.1f} %")
    assert table["the output"][1] == f"3 × 3 × {pool5.channels}"


def test_the_pyramid_column_is_torchvisions_level_and_roialign(table):
    x, y, w, h = BOX
    side = math.sqrt(w * h)
    k = fpn_level(w, h)
    stride = 2 ** k
    assert stride in FPN_STRIDES
    cells = SIZE // stride
    assert table["the map"][2] == (
        f"√({w} · {h}) = {_c(side)} px; 4 + log2({_c(side)} / 224) = {_c(4 + math.log2(side / 224))}, "
        f"floored: **P{k}**, {cells} × {cells} × {FPN_CHANNELS}, stride {stride}")
    t = roi_align(np.zeros((1, cells, cells), np.float32), BOX, stride=stride, output_size=(7, 7),
                  sampling_ratio=2, aligned=False)
    projected = ", ".join(fmt(v) for v in t.projected)
    read_x, read_y = t.box[:2]
    assert table["the box on it"][2] == (
        f"({projected}), never rounded; `aligned=False` reads it half a cell right and down, "
        f"from ({fmt(read_x)}, {fmt(read_y)})")
    bin_h, bin_w = t.bin_size
    first = t.samples[0, 0]  # (points, 2) as (row, column)
    xs = sorted({round(float(c), 2) for c in first[:, 1]})
    ys = sorted({round(float(r), 2) for r in first[:, 0]})
    assert table["the bins"][2] == (
        f"7 × 7 bins of {bin_w:.4f} × {bin_h:.4f} cells (w × h), 2 × 2 sampling points each; "
        f"the first bin's at x = {', '.join(_c(v) for v in xs)} and y = {', '.join(_c(v) for v in ys)}")
    assert f"7 × 7 × {t.points_per_bin} = {49 * t.points_per_bin} points" in table["what reaches the output"][2]
    assert table["the output"][2] == f"7 × 7 × {FPN_CHANNELS}"
