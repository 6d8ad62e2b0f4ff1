"""The pyramid's level rule, multi-scale RoIAlign and position-sensitive pooling, against torchvision.

``roi_viz.ops.pyramid`` and ``roi_viz.ops.psroi`` are NumPy; torchvision's operators are
the reference: ``MultiScaleRoIAlign`` and its ``LevelMapper``, ``ps_roi_pool``,
``ps_roi_align``, each on thousands of random boxes, maps and image sizes.
"""
import math

import numpy as np
import pytest
import torch
from torchvision.ops import MultiScaleRoIAlign, ps_roi_align as tv_ps_roi_align, ps_roi_pool as tv_ps_roi_pool
from torchvision.ops.poolers import LevelMapper

from roi_viz.ops.psroi import group_channel, ps_roi_align, ps_roi_pool
from roi_viz.ops.pyramid import fpn_level, multiscale_roi_align


def random_boxes(rng, n, width, height, lo=4.0, hi=900.0):
    """``n`` boxes ``(x, y, w, h)``: sides log-uniform in [lo, hi] px, some reaching past the image."""
    w = np.exp(rng.uniform(np.log(lo), np.log(hi), n))
    h = w * np.exp(rng.uniform(-1.2, 1.2, n))
    x = rng.uniform(-0.2 * width, width, n)
    y = rng.uniform(-0.2 * height, height, n)
    return np.stack([x, y, w, h], axis=1).astype(np.float32).astype(np.float64)


def corners(boxes):
    b = torch.tensor(boxes, dtype=torch.float32)
    return torch.cat([b[:, :2], b[:, :2] + b[:, 2:]], dim=1)


# ----------------------------------------------------------------------------- the level rule
def test_the_level_is_torchvisions_level_mapper_on_random_boxes():
    rng = np.random.default_rng(0)
    boxes = random_boxes(rng, 5000, 1000, 1000, lo=1.0, hi=2000.0)
    mapper = LevelMapper(k_min=2, k_max=5)
    expected = (mapper([corners(boxes)]) + 2).tolist()
    got = [fpn_level(w, h) for _, _, w, h in boxes]
    assert got == expected
    assert set(got) == {2, 3, 4, 5}, "the random boxes reach every level"


@pytest.mark.parametrize("side", [56.0, 112.0, 224.0, 448.0, 896.0])
@pytest.mark.parametrize("nudge", [-1e-9, 0.0, 1e-9, -1e-3, 1e-3])
def test_the_level_at_its_boundaries(side, nudge):
    """A square box of side exactly 112, 224 or 448 px (± 1e-9) and its neighbours."""
    s = side + nudge
    mapper = LevelMapper(k_min=2, k_max=5)
    box = torch.tensor([[0.0, 0.0, s, s]], dtype=torch.float32)
    assert fpn_level(s, s) == int(mapper([box])[0]) + 2
    # The rule in words: 224 px is P4, each doubling one level up, within P2..P5.
    exact = 4 + math.floor(math.log2(side / 224) + 1e-6)
    if abs(nudge) <= 1e-9:  # float32 cannot tell side ± 1e-9 from side: the boundary goes up, by eps
        assert fpn_level(s, s) == min(max(exact, 2), 5)


def test_the_level_rule_with_other_anchors_and_bad_sizes():
    assert fpn_level(100, 100, canonical_size=100, canonical_level=3, k_min=1, k_max=6) == 3
    assert fpn_level(10_000, 10_000) == 5 and fpn_level(1, 1) == 2  # clamped to the pyramid
    for w, h in ((0, 10), (10, -1), (float("nan"), 5), (float("inf"), 5)):
        with pytest.raises(ValueError, match="positive"):
            fpn_level(w, h)


# ----------------------------------------------------------------------------- multi-scale RoIAlign
@pytest.mark.parametrize("seed", range(4))
def test_multiscale_roi_align_equals_torchvision(seed):
    rng = np.random.default_rng(100 + seed)
    height, width = (int(v) for v in rng.integers(128, 700, 2))
    strides = (4, 8, 16, 32)
    channels = 3
    maps = [rng.standard_normal((channels, math.ceil(height / s), math.ceil(width / s))).astype(np.float32)
            for s in strides]
    boxes = random_boxes(rng, 600, width, height)
    pooler = MultiScaleRoIAlign(["p2", "p3", "p4", "p5"], output_size=7, sampling_ratio=2)
    features = {f"p{k}": torch.from_numpy(m)[None] for k, m in zip(range(2, 6), maps)}
    expected = pooler(features, [corners(boxes)], [(height, width)]).numpy()
    for box, want in zip(boxes, expected):
        got = multiscale_roi_align(maps, strides, box, output_size=(7, 7), sampling_ratio=2)
        assert got.shape == (channels, 7, 7)
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5, err_msg=f"box {tuple(box)}")


def test_multiscale_roi_align_pools_from_the_level_its_rule_picks():
    """Each level's map is a constant (its level): the output says which map was read."""
    maps = [np.full((1, 1024 // s, 1024 // s), float(k), np.float32) for k, s in zip(range(2, 6), (4, 8, 16, 32))]
    for side, level in ((60, 2), (111, 2), (112, 3), (224, 4), (447, 4), (448, 5), (1000, 5)):
        out = multiscale_roi_align(maps, (4, 8, 16, 32), (10, 10, side, side))
        assert fpn_level(side, side) == level
        np.testing.assert_allclose(out, level)


def test_multiscale_roi_align_refuses_a_pyramid_that_is_not_one():
    m = np.zeros((1, 8, 8), np.float32)
    with pytest.raises(ValueError, match="One stride per map"):
        multiscale_roi_align([m, m], (4,), (0, 0, 10, 10))
    with pytest.raises(ValueError, match="powers of two"):
        multiscale_roi_align([m, m], (4, 12), (0, 0, 10, 10))
    with pytest.raises(ValueError, match="double"):
        multiscale_roi_align([m, m], (4, 16), (0, 0, 10, 10))


# ----------------------------------------------------------------------------- position-sensitive pooling
def ps_cases(seed, n):
    rng = np.random.default_rng(seed)
    for _ in range(n):
        ph, pw = (int(v) for v in rng.integers(1, 8, 2))
        cout = int(rng.integers(1, 4))
        stride = float(2 ** int(rng.integers(0, 6)))
        H, W = (int(v) for v in rng.integers(3, 24, 2))
        fm = rng.standard_normal((cout * ph * pw, H, W)).astype(np.float32)
        box = random_boxes(rng, 1, W * stride, H * stride, lo=0.5, hi=max(2.0, 1.3 * max(H, W) * stride))[0]
        if rng.random() < 0.2:  # whole and half cells, where rounding ties live
            box = np.round(box * 2 / stride) * stride / 2
            box[2:] = np.maximum(box[2:], stride / 2)
        yield fm, tuple(float(v) for v in box), stride, (ph, pw)


def test_ps_roi_pool_equals_torchvision_on_random_cases():
    n = 0
    for fm, box, stride, size in ps_cases(1, 1500):
        want = tv_ps_roi_pool(torch.from_numpy(fm)[None], [corners(np.array([box]))], size, 1.0 / stride)[0].numpy()
        got = ps_roi_pool(fm, box, stride=stride, output_size=size)
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5, err_msg=f"box {box} stride {stride} out {size}")
        n += 1
    assert n == 1500


@pytest.mark.parametrize("ratio", [-1, 1, 2])
def test_ps_roi_align_equals_torchvision_on_random_cases(ratio):
    for fm, box, stride, size in ps_cases(2 + ratio, 700):
        want = tv_ps_roi_align(torch.from_numpy(fm)[None], [corners(np.array([box]))], size, 1.0 / stride,
                               ratio)[0].numpy()
        got = ps_roi_align(fm, box, stride=stride, output_size=size, sampling_ratio=ratio)
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5, err_msg=f"box {box} stride {stride} out {size}")


def test_each_bin_reads_its_own_channel_group():
    """Channel k is the constant k: bin (i, j) of output channel c reads channel (c·ph + i)·pw + j."""
    ph, pw, cout = 3, 2, 2
    fm = np.arange(cout * ph * pw, dtype=np.float32)[:, None, None] * np.ones((1, 10, 10), np.float32)
    for op in (ps_roi_pool, ps_roi_align):
        out = op(fm, (8, 8, 48, 40), stride=8, output_size=(ph, pw))
        assert out.shape == (cout, ph, pw)
        for c in range(cout):
            for i in range(ph):
                for j in range(pw):
                    assert out[c, i, j] == pytest.approx(group_channel(c, i, j, (ph, pw)))


def test_position_sensitive_pooling_needs_a_group_per_bin():
    fm = np.zeros((10, 5, 5), np.float32)
    for op in (ps_roi_pool, ps_roi_align):
        with pytest.raises(ValueError, match="multiple of 9 channels"):
            op(fm, (0, 0, 20, 20), stride=4, output_size=3)


# ----------------------------------------------------------------------------- box regression
@pytest.mark.parametrize("weights", [(1.0, 1.0, 1.0, 1.0), (10.0, 10.0, 5.0, 5.0)])
def test_box_regression_equals_torchvisions_box_coder(weights):
    from torchvision.models.detection._utils import BoxCoder

    from roi_viz.ops.regression import decode, encode

    rng = np.random.default_rng(7)
    proposals = random_boxes(rng, 3000, 800, 600, lo=2.0, hi=700.0)
    targets = random_boxes(rng, 3000, 800, 600, lo=2.0, hi=700.0)
    coder = BoxCoder(weights)
    p64, t64 = (torch.tensor(b, dtype=torch.float64) for b in (proposals, targets))
    xyxy = lambda b: torch.cat([b[:, :2], b[:, :2] + b[:, 2:]], dim=1)  # noqa: E731
    want = coder.encode_single(xyxy(t64), xyxy(p64)).numpy()
    got = np.array([encode(p, t, weights) for p, t in zip(proposals, targets)])
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)
    deltas = rng.normal(0, 1.5, (3000, 4)) * np.array(weights)  # some beyond the clip
    want_boxes = coder.decode_single(torch.tensor(deltas), xyxy(p64)).numpy()
    got_boxes = np.array([decode(p, d, weights) for p, d in zip(proposals, deltas)])
    got_xyxy = np.concatenate([got_boxes[:, :2], got_boxes[:, :2] + got_boxes[:, 2:]], axis=1)
    np.testing.assert_allclose(got_xyxy, want_boxes, rtol=1e-9, atol=1e-6)
    # Decoding a box's own target gives the target back, unless the target is more than 62.5 times the
    # proposal's size (the clip), which then stops at 62.5 times.
    from roi_viz.ops.regression import CLIP

    for p, t in zip(proposals[:500], targets[:500]):
        back = decode(p, encode(p, t, weights), weights)
        if max(t[2] / p[2], t[3] / p[3]) < math.exp(CLIP):
            np.testing.assert_allclose(back, t, rtol=1e-9, atol=1e-9)
        else:
            assert max(back[2] / p[2], back[3] / p[3]) == pytest.approx(math.exp(CLIP))


# ----------------------------------------------------------------------------- where each output cell looks
def test_where_each_bin_looks_for_every_method():
    """Pooling a map of positions: each method's bins read where its own trace says they read (the mean of
    RoIAlign's and RoIWarp's points, the centre of RoI pooling's block of cells, the centre of PrRoI's bin),
    on random boxes, strides, outputs and options; RoIAlign aligned reads each bin at its centre, legacy
    RoIAlign and PrRoI half a cell down and to the right."""
    from roi_viz.ops import prroi_pool, roi_align, roi_pool, roi_warp
    from roi_viz.ops.looking import bin_centres, centres_read, offsets

    rng = np.random.default_rng(11)
    H = W = 24
    for _ in range(150):
        stride = float(rng.choice([4, 8, 16, 32]))
        size = (int(rng.integers(1, 8)), int(rng.integers(1, 8)))
        w, h = rng.uniform(1.5, 12, 2) * stride
        x, y = rng.uniform(stride, (W - 1) * stride - w), rng.uniform(stride, (H - 1) * stride - h)
        roi = (float(x), float(y), float(w), float(h))
        ratio = int(rng.choice([-1, 1, 2, 3]))
        runs = {
            **{f"pool-{r}": partial_op(roi_pool, roi, stride, size, scheme=r) for r in ("article", "fastrcnn")},
            **{f"align-{a}": partial_op(roi_align, roi, stride, size, aligned=a, sampling_ratio=ratio) for a in (0, 1)},
            **{f"warp-{m}": partial_op(roi_warp, roi, stride, size, mode=m, sampling_ratio=ratio) for m in ("avg", "max")},
            **{f"prroi-{a}": partial_op(prroi_pool, roi, stride, size, aligned=a) for a in (0, 1)},
        }
        for name, run in runs.items():
            got = centres_read(lambda fm: run(fm).output, (H, W), stride)
            trace = run(np.zeros((1, H, W), np.float32))
            if hasattr(trace, "samples"):  # sampling points: the mean (avg) or the middle (max) of the points
                pts = trace.samples.reshape(*size, -1, 2)[..., ::-1] * stride  # (y, x) cells -> (x, y) px
                want = pts.mean(axis=2) if trace.mode == "avg" else (pts.max(axis=2) + pts.min(axis=2)) / 2
            elif hasattr(trace, "bins"):  # whole-cell bins: the centre of each block of cells
                want = np.array([[[(c0 + c1) / 2 * stride, (r0 + r1) / 2 * stride] if r1 > r0 and c1 > c0
                                  else [np.nan, np.nan] for r0, r1, c0, c1 in row] for row in trace.bins])
            else:  # the exact integral: the centre of each bin, as projected and shifted
                half = 0.0 if trace.aligned else stride / 2
                want = bin_centres(roi, size) + half
            np.testing.assert_allclose(got, want, atol=1e-3 * stride, err_msg=f"{name} {roi} stride {stride}")
        for aligned, half in ((True, 0.0), (False, stride / 2)):
            got = offsets(lambda fm: roi_align(fm, roi, stride=stride, output_size=size, aligned=aligned,
                                               sampling_ratio=ratio).output, roi, size, (H, W), stride)
            np.testing.assert_allclose(got, half, atol=1e-3 * stride)
    np.testing.assert_allclose(bin_centres((0, 0, 30, 60), (2, 3))[1, 2], (25.0, 45.0))


def partial_op(op, roi, stride, size, **options):
    return lambda fm: op(fm, roi, stride=stride, output_size=size, **options)
