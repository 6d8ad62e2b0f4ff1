"""Precise RoI Pooling is the exact integral; the sliding box jumps for RoI pooling and glides for the others."""
import numpy as np
import pytest

from roi_viz.ops import geometry as g
from roi_viz.state.settings import Settings
from roi_viz.methods import METHODS, method, run_all, runners
from roi_viz.ops.sliding import slide_roi
from roi_viz.ops import prroi_pool


def surface(fm, y, x):
    """The PrRoI surface written out independently: bilinear through a zero border, values at integer points."""
    C, H, W = fm.shape
    pad = np.zeros((C, H + 2, W + 2))
    pad[:, 1:-1, 1:-1] = fm
    yy, xx = np.clip(y + 1, 0, H + 1), np.clip(x + 1, 0, W + 1)
    y0, x0 = np.minimum(np.floor(yy).astype(int), H), np.minimum(np.floor(xx).astype(int), W)
    ly, lx = yy - y0, xx - x0
    return (pad[:, y0, x0] * (1 - ly) * (1 - lx) + pad[:, y0, x0 + 1] * (1 - ly) * lx
            + pad[:, y0 + 1, x0] * ly * (1 - lx) + pad[:, y0 + 1, x0 + 1] * ly * lx)


def numerical(fm, roi, s, size, aligned, n=400):
    """Midpoint rule on an n x n grid per bin."""
    x, y, w, h = (v / s for v in roi)
    off = 0.5 if aligned else 0.0
    ph, pw = size
    out = np.zeros((fm.shape[0], ph, pw))
    u = (np.arange(n) + 0.5) / n
    for i in range(ph):
        for j in range(pw):
            ys = y - off + (i + u) * h / ph
            xs = x - off + (j + u) * w / pw
            Y, X = np.meshgrid(ys, xs, indexing="ij")
            out[:, i, j] = surface(fm, Y, X).mean(axis=(1, 2))
    return out


def test_exact_integral_matches_a_fine_numerical_integration():
    rng = np.random.default_rng(5)
    for _ in range(40):
        H, W = int(rng.integers(2, 9)), int(rng.integers(2, 9))
        s = float(rng.choice([1, 4, 16, 32]))
        fm = rng.standard_normal((2, H, W))
        roi = (rng.uniform(-1.5 * s, W * s), rng.uniform(-1.5 * s, H * s), rng.uniform(0.1, W * s), rng.uniform(0.1, H * s))
        size = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
        aligned = bool(rng.random() < 0.5)
        t = prroi_pool(fm, roi, stride=s, output_size=size, aligned=aligned)
        np.testing.assert_allclose(t.output, numerical(fm, roi, s, size, aligned), atol=5e-5, rtol=0)


def test_a_constant_map_gives_the_constant_inside_the_map():
    fm = np.full((3, 12, 12), 2.5)
    rng = np.random.default_rng(1)
    for _ in range(50):
        # Keep every bin between the first and last cell value, where the surface is flat.
        x, y = rng.uniform(0, 6), rng.uniform(0, 6)
        w, h = rng.uniform(0.01, 11 - x), rng.uniform(0.01, 11 - y)
        t = prroi_pool(fm, (x * 8, y * 8, w * 8, h * 8), stride=8, output_size=(int(rng.integers(1, 6)),) * 2)
        np.testing.assert_allclose(t.output, 2.5, atol=1e-12)
        np.testing.assert_allclose(t.weight_map(0, 0).sum(), 1.0, atol=1e-12)


def test_a_linear_map_gives_its_value_at_each_bin_centre():
    H, W = 10, 14
    rows, cols = np.mgrid[0:H, 0:W]
    a, b, c = 0.7, -1.3, 4.0
    fm = (a * cols + b * rows + c)[None].astype(np.float64)  # value at integer point (col, row)
    rng = np.random.default_rng(2)
    for _ in range(50):
        x, y = rng.uniform(0, 6), rng.uniform(0, 4)
        w, h = rng.uniform(0.1, W - 1 - x), rng.uniform(0.1, H - 1 - y)
        ph, pw = int(rng.integers(1, 5)), int(rng.integers(1, 5))
        t = prroi_pool(fm, (x * 16, y * 16, w * 16, h * 16), stride=16, output_size=(ph, pw))
        cy = (t.row_edges[:-1] + t.row_edges[1:]) / 2 - 0.5  # bin centres, value coordinates
        cx = (t.col_edges[:-1] + t.col_edges[1:]) / 2 - 0.5
        expected = a * cx[None, :] + b * cy[:, None] + c
        np.testing.assert_allclose(t.output[0], expected, atol=1e-10)


def test_aligned_prroi_sits_on_the_roi_and_the_authors_rule_half_a_cell_off():
    fm = np.ones((1, 16, 16))
    a = prroi_pool(fm, (296, 192, 200, 145), stride=32, aligned=True)
    assert a.box == pytest.approx(g.project((296, 192, 200, 145), 32))
    b = prroi_pool(fm, (296, 192, 200, 145), stride=32)
    assert b.box[0] == pytest.approx(9.75) and b.coverage < 1


@pytest.mark.parametrize("kwargs, words", [
    (dict(roi=(0, 0, 0, 10)), "positive width"),
    (dict(stride=-1), "stride"),
    (dict(output_size=2.5), "output size"),
])
def test_prroi_bad_input_is_a_sentence(kwargs, words):
    args = dict(roi=(10, 10, 50, 50), stride=32, output_size=(3, 3))
    args.update(kwargs)
    with pytest.raises(ValueError, match=words):
        prroi_pool(np.zeros((1, 8, 8)), args.pop("roi"), **args)


def test_run_knows_every_method_and_refuses_others():
    fm = np.random.default_rng(0).standard_normal((4, 16, 16)).astype(np.float32)
    traces = run_all(fm, (296, 192, 200, 145), Settings())
    assert list(traces) == list(METHODS)
    for t in traces.values():
        assert t.output.shape == (4, 3, 3)
    with pytest.raises(ValueError, match="method"):
        method("bilinear").run(fm, (0, 0, 10, 10), Settings())


def test_sliding_pool_holds_then_jumps_and_align_glides():
    fm = np.random.default_rng(4).standard_normal((3, 16, 16)).astype(np.float32)
    roi = (296, 192, 200, 145)
    settings = Settings()
    sl = slide_roi(fm, roi, runners(settings), stride=32, output_size=(3, 3), channel=1, bin=(1, 1), axis="x", steps=65)
    assert sl.offsets[0] == 0 and sl.offsets[-1] == 1
    # RoI pooling: the value only changes where the snapped bins change.
    prev_bins, prev_val = None, None
    for off, val in zip(sl.offsets, sl.values["pool"]):
        t = method("pool").run(fm, (roi[0] + off * 32, *roi[1:]), settings)
        if prev_bins == t.bins:
            assert val == prev_val
        prev_bins, prev_val = t.bins, val
    assert sl.jumps("pool") <= 4
    # RoIAlign and PrRoI move at almost every step, and by small amounts (the map is smooth between cells).
    for m in ("align", "prroi"):
        assert sl.jumps(m) >= 60
        assert sl.largest_step(m) < 0.25 * np.abs(fm[1]).max()
        np.testing.assert_allclose(sl.coverage[m], 1.0)
    assert sl.coverage["pool"].min() < 1.0
    down = slide_roi(fm, roi, runners(settings), stride=32, output_size=(3, 3), channel=0, axis="y", steps=5)
    assert down.axis == "y" and len(down.values["warp"]) == 5


def test_sliding_refuses_a_bin_or_channel_that_is_not_there():
    fm = np.zeros((2, 8, 8), np.float32)
    with pytest.raises(ValueError, match="bin"):
        slide_roi(fm, (0, 0, 64, 64), runners(Settings(layer="conv5_3")), stride=16, output_size=(3, 3), channel=0, bin=(3, 0))
    with pytest.raises(ValueError, match="channel"):
        slide_roi(fm, (0, 0, 64, 64), runners(Settings(layer="conv5_3")), stride=16, output_size=(3, 3), channel=5)
    with pytest.raises(ValueError, match="'x' or 'y'"):
        slide_roi(fm, (0, 0, 64, 64), runners(Settings(layer="conv5_3")), stride=16, output_size=(3, 3), channel=0, axis="z")
