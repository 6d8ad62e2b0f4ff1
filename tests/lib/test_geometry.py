"""The arithmetic of RoI pooling: the article's worked example, exact, and the edges."""
import numpy as np
import pytest
import torch

from roi_viz.ops import geometry as g
from roi_viz.ops import roi_pool

ARTICLE = (296, 192, 200, 145)


@pytest.fixture
def fm():
    return np.random.default_rng(0).standard_normal((512, 16, 16)).astype(np.float32)


def test_worked_example_article(fm):
    t = roi_pool(fm, ARTICLE, stride=32, output_size=(3, 3), scheme="article")
    assert t.projected == (9.25, 6.0, 6.25, 4.53125)
    assert t.quantized == (9, 6, 6, 4)
    assert t.region == (6, 10, 9, 15)
    assert (t.projected_area, t.region_area, t.overlap_area) == (28.3203125, 24, 23.0)
    assert (t.lost_area, t.gained_area) == (5.3203125, 1.0)
    assert t.bin_size == (1, 2)
    assert [row[0][:2] for row in t.bins] == [(6, 7), (7, 8), (8, 9)]
    assert [b[2:] for b in t.bins[0]] == [(9, 11), (11, 13), (13, 15)]
    # the bottom row of the quantized box, row 9, is lost by the split: 6 cells
    assert t.dropped_cells == 6
    assert (t.bin_use[9, 9:15] == 0).all() and (t.bin_use[6:9, 9:15] == 1).all()
    assert t.covered_area == 17.25
    assert t.coverage == 17.25 / 28.3203125
    assert round(1 - t.coverage, 2) == 0.39
    assert t.output.shape == (512, 3, 3)


def test_worked_example_fastrcnn(fm):
    t = roi_pool(fm, ARTICLE, stride=32, output_size=(3, 3), scheme="fastrcnn")
    assert t.quantized == (9, 6, 8, 6)  # start cell and inclusive size
    assert t.region == (6, 12, 9, 16)  # columns [9, 17) clipped to [9, 16)
    assert [row[0][:2] for row in t.bins] == [(6, 8), (8, 10), (10, 12)]
    assert [b[2:] for b in t.bins[0]] == [(9, 12), (11, 15), (14, 16)]
    assert t.dropped_cells == 0
    assert t.shared_cells > 0


def test_output_is_max_over_each_bin(fm):
    for scheme in ("article", "fastrcnn"):
        t = roi_pool(fm, (40, 70, 300, 260), stride=32, output_size=(4, 3), scheme=scheme)
        for i, row in enumerate(t.bins):
            for j, (r0, r1, c0, c1) in enumerate(row):
                block = fm[:, r0:r1, c0:c1].reshape(512, -1)
                np.testing.assert_array_equal(t.output[:, i, j], block.max(axis=1))
                rows, cols = np.divmod(t.argmax[:, i, j], 16)
                np.testing.assert_array_equal(fm[np.arange(512), rows, cols], t.output[:, i, j])


def test_roi_on_the_border(fm):
    t = roi_pool(fm, (312, 400, 200, 112), stride=32)  # right and bottom edges on the image edge
    assert t.region == (12, 15, 9, 15)
    assert t.region[1] <= 16 and t.region[3] <= 16
    t2 = roi_pool(fm, (312, 400, 200, 112), stride=32, scheme="fastrcnn")
    assert t2.region == (13, 16, 10, 16)  # 400/32 = 12.5 rounds away from zero to 13


def test_roi_smaller_than_a_cell(fm):
    t = roi_pool(fm, (100, 100, 10, 12), stride=32)
    assert t.quantized[2:] == (0, 0)
    assert t.region_area == 0 and t.empty_bins.all()
    assert (t.output == 0).all() and (t.argmax == -1).all()
    assert t.coverage == 0.0
    t2 = roi_pool(fm, (100, 100, 10, 12), stride=32, scheme="fastrcnn")
    assert t2.region_area >= 1 and not t2.empty_bins.all()


def test_roi_larger_than_the_map(fm):
    t = roi_pool(fm, (-64, -64, 1200, 1200), stride=32)
    assert t.region == (0, 16, 0, 16)
    assert 0 < t.coverage < 1
    for row in t.bins:
        for r0, r1, c0, c1 in row:
            assert 0 <= r0 <= r1 <= 16 and 0 <= c0 <= c1 <= 16


def test_output_larger_than_the_quantized_box(fm):
    t = roi_pool(fm, ARTICLE, stride=32, output_size=(7, 7))
    assert t.bin_size == (0, 0)
    assert t.empty_bins.all() and t.coverage == 0.0 and t.dropped_cells == 24
    t2 = roi_pool(fm, ARTICLE, stride=32, output_size=(7, 7), scheme="fastrcnn")
    assert not t2.empty_bins.any() and t2.coverage == 1.0


def test_accepts_a_torch_tensor(fm):
    a = roi_pool(torch.from_numpy(fm), ARTICLE, stride=32)
    b = roi_pool(fm, ARTICLE, stride=32)
    np.testing.assert_array_equal(a.output, b.output)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(feature_map=np.zeros((16, 16))), "three axes"),
        (dict(feature_map=np.full((2, 4, 4), np.nan)), "NaN"),
        (dict(roi=(1, 2, 3)), "four numbers"),
        (dict(roi=(1, 2, float("nan"), 3)), "NaN"),
        (dict(roi=("a", 2, 3, 4)), "not all numbers"),
        (dict(roi=(1, 2, 0, 3)), "positive width"),
        (dict(stride=0), "positive"),
        (dict(stride=-32), "positive"),
        (dict(output_size=(0, 3)), "at least 1"),
        (dict(output_size=(2.5, 3)), "whole numbers"),
        (dict(scheme="round"), "Unknown scheme"),
    ],
)
def test_bad_input_raises_a_clear_value_error(kwargs, words):
    args = dict(feature_map=np.zeros((2, 4, 4), np.float32), roi=(0, 0, 8, 8), stride=2, output_size=(2, 2), scheme="article")
    args.update(kwargs)
    fm = args.pop("feature_map")
    roi = args.pop("roi")
    with pytest.raises(ValueError, match=words):
        roi_pool(fm, roi, **args)


def test_box_difference_adds_up():
    rng = np.random.default_rng(3)
    for _ in range(500):
        a = tuple(rng.uniform(0, 10, 2)) + tuple(rng.uniform(0.1, 6, 2))
        b = tuple(rng.uniform(0, 10, 2)) + tuple(rng.uniform(0.1, 6, 2))
        pieces = g.box_difference(a, b)
        assert sum(g.box_area(p) for p in pieces) == pytest.approx(g.box_area(a) - g.intersection_area(a, b))
        for p in pieces:  # pieces lie in a and outside b
            assert g.intersection_area(p, b) == pytest.approx(0, abs=1e-12)
            assert g.intersection_area(p, a) == pytest.approx(g.box_area(p))


def test_round_half_away_from_zero():
    assert [g.round_half_away(v) for v in (0.5, 1.5, 2.5, -0.5, -1.5, 2.4999)] == [1, 2, 3, -1, -2, 2]
