"""RoIAlign equals torchvision.ops.roi_align; RoIWarp is RoIAlign on the snapped box; the traces add up."""
import numpy as np
import pytest
import torch
from torchvision.ops import roi_align as tv_roi_align

from roi_viz.ops import geometry as g
from roi_viz.ops.maps import interpolate
from roi_viz.ops import roi_align, roi_warp


def random_case(rng):
    C = int(rng.integers(1, 5))
    H, W = int(rng.integers(1, 16)), int(rng.integers(1, 16))
    s = float(rng.choice([1, 2, 4, 8, 16, 32, 3, 5.5, 0.5]))
    fm = rng.standard_normal((C, H, W)).astype(np.float32)
    # Boxes may start off the map and reach past it: the edge rules are part of the contract.
    x, y = rng.uniform(-2 * s, (W + 1) * s), rng.uniform(-2 * s, (H + 1) * s)
    w, h = rng.uniform(0.01 * s, 1.2 * W * s), rng.uniform(0.01 * s, 1.2 * H * s)
    if rng.random() < 0.25:  # whole and half cells, where off-by-half bugs show
        x, y, w, h = (float(np.round(v / s * 2) / 2 * s) for v in (x, y, w, h))
        w, h = max(w, 0.5 * s), max(h, 0.5 * s)
    size = (int(rng.integers(1, 8)), int(rng.integers(1, 8)))
    ratio = int(rng.integers(-1, 5))  # -1 and 0: adaptive
    return fm, (x, y, w, h), s, size, ratio, bool(rng.random() < 0.5)


def reference(fm, roi, s, size, ratio, aligned):
    x, y, w, h = roi
    boxes = torch.tensor([[0, x, y, x + w, y + h]], dtype=torch.from_numpy(fm).dtype)
    out = tv_roi_align(torch.from_numpy(fm)[None], boxes, size, spatial_scale=1.0 / s,
                       sampling_ratio=ratio, aligned=aligned)
    return out[0].numpy()


@pytest.mark.parametrize("seed", range(5))
def test_parity_with_torchvision_on_random_cases(seed):
    rng = np.random.default_rng(100 + seed)
    for _ in range(240):  # 5 x 240 = 1,200 cases
        fm, roi, s, size, ratio, aligned = random_case(rng)
        t = roi_align(fm, roi, stride=s, output_size=size, sampling_ratio=ratio, aligned=aligned)
        ref = reference(fm, roi, s, size, ratio, aligned)
        np.testing.assert_allclose(t.output, ref, atol=1e-5, rtol=0,
                                   err_msg=f"{roi=} {s=} {size=} {ratio=} {aligned=} {fm.shape=}")


def test_parity_in_float64_and_on_a_real_sized_map():
    rng = np.random.default_rng(7)
    for _ in range(100):
        fm, roi, s, size, ratio, aligned = random_case(rng)
        fm = fm.astype(np.float64)
        t = roi_align(fm, roi, stride=s, output_size=size, sampling_ratio=ratio, aligned=aligned)
        np.testing.assert_allclose(t.output, reference(fm, roi, s, size, ratio, aligned), atol=1e-10, rtol=0)
    fm = rng.standard_normal((512, 32, 32)).astype(np.float32)
    for roi in [(296, 192, 200, 145), (0, 0, 512, 512), (10.5, 300.25, 77, 33)]:
        for aligned in (False, True):
            t = roi_align(fm, roi, stride=16, output_size=(7, 7), sampling_ratio=0, aligned=aligned)
            np.testing.assert_allclose(t.output, reference(fm, roi, 16, (7, 7), 0, aligned), atol=1e-5, rtol=0)


def test_the_trace_adds_up():
    rng = np.random.default_rng(3)
    for _ in range(200):
        fm, roi, s, size, ratio, aligned = random_case(rng)
        fm = fm.astype(np.float64)
        avg = roi_align(fm, roi, stride=s, output_size=size, sampling_ratio=ratio, aligned=aligned)
        mx = roi_align(fm, roi, stride=s, output_size=size, sampling_ratio=ratio, aligned=aligned, mode="max")
        if avg.points_per_bin == 0:
            assert not avg.output.any()
            continue
        # Each point's value is the bilinear value at the point (value coordinates = cell coordinates - 0.5).
        y, x = avg.samples[..., 0] - 0.5, avg.samples[..., 1] - 0.5
        np.testing.assert_allclose(avg.sample_values, interpolate(fm, y, x), atol=1e-12)
        np.testing.assert_allclose(avg.output, avg.sample_values.mean(axis=-1), atol=1e-12)
        np.testing.assert_allclose(mx.output, mx.sample_values.max(axis=-1), atol=1e-12)
        # Every point lies inside its bin, strictly, and the bins tile the box.
        ph, pw = size
        for i in range(ph):
            for j in range(pw):
                ys, xs = avg.samples[i, j, :, 0], avg.samples[i, j, :, 1]
                assert (avg.row_edges[i] < ys).all() and (ys < avg.row_edges[i + 1]).all()
                assert (avg.col_edges[j] < xs).all() and (xs < avg.col_edges[j + 1]).all()
        assert avg.row_edges[-1] == pytest.approx(avg.box[1] + avg.box[3], abs=1e-4)
        assert 0.0 <= avg.coverage <= 1.0 + 1e-12
        # The four weights of a point on the map sum to one.
        for k in range(avg.points_per_bin):
            if avg.valid[0, 0, k]:
                assert sum(w for _, _, w in avg.neighbours(0, 0, k)) == pytest.approx(1.0)


def test_aligned_box_is_the_projected_roi_and_legacy_is_half_a_cell_off():
    fm = np.zeros((1, 16, 16), np.float32)
    a = roi_align(fm, (296, 192, 200, 145), stride=32, aligned=True)
    assert a.box == pytest.approx(g.project((296, 192, 200, 145), 32))
    assert a.coverage == pytest.approx(1.0)
    legacy = roi_align(fm, (296, 192, 200, 145), stride=32, aligned=False)
    assert legacy.box == pytest.approx((9.25 + 0.5, 6 + 0.5, 6.25, 4.53125))
    assert legacy.coverage < 1.0
    tiny = roi_align(fm, (100, 100, 8, 8), stride=32, aligned=False)  # a quarter cell, widened to one
    assert tiny.box[2:] == (1.0, 1.0)


def test_adaptive_ratio_is_ceil_of_the_bin_size():
    fm = np.zeros((1, 16, 16), np.float32)
    t = roi_align(fm, (296, 192, 200, 145), stride=32, output_size=(3, 3), sampling_ratio=0, aligned=True)
    assert t.grid == (int(np.ceil(4.53125 / 3)), int(np.ceil(6.25 / 3)))  # (2, 3)


def test_warp_is_align_on_the_snapped_box():
    rng = np.random.default_rng(11)
    for _ in range(300):
        fm, roi, s, size, ratio, _ = random_case(rng)
        for scheme in ("article", "fastrcnn"):
            w = roi_warp(fm, roi, stride=s, output_size=size, sampling_ratio=ratio, mode="avg", scheme=scheme)
            r0, r1, c0, c1 = w.region
            if r1 <= r0 or c1 <= c0:
                assert not w.output.any()
                continue
            pool_region = g.span_of_box(*(g.quantize_article(g.project(roi, s)) if scheme == "article"
                                          else g.quantize_fastrcnn(roi, s, np.float32)), fm.shape[1:])
            assert w.region == pool_region
            snapped = (c0 * s, r0 * s, (c1 - c0) * s, (r1 - r0) * s)
            ref = reference(fm, snapped, s, size, ratio, True)
            np.testing.assert_allclose(w.output, ref, atol=1e-5, rtol=0)


def test_warp_default_is_max_and_reads_the_snapped_cells():
    fm = np.zeros((1, 16, 16), np.float32)
    fm[0, 6:10, 9:15] = 1.0  # exactly the article's quantized region (rows 6-9, cols 9-14)
    w = roi_warp(fm, (296, 192, 200, 145), stride=32)
    assert w.mode == "max" and w.region == (6, 10, 9, 15)
    np.testing.assert_allclose(w.output, 1.0)
    read = w.cells_read()
    assert read[6:10, 9:15].all()  # every snapped cell is read ...
    ring = np.zeros_like(read)
    ring[5:11, 8:16] = True
    assert not read[~ring].any()  # ... and bilinear points near the edge borrow only from the next cell


@pytest.mark.parametrize("fn", [roi_align, roi_warp])
@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(roi=(0, 0, -5, 10)), "positive width"),
        (dict(roi=(0, 0, 5)), "four numbers"),
        (dict(roi=(0, float("nan"), 5, 5)), "NaN"),
        (dict(stride=0), "stride"),
        (dict(output_size=(0, 3)), "output"),
        (dict(sampling_ratio=1.5), "whole number"),
        (dict(sampling_ratio=100), "64 or fewer"),
        (dict(mode="median"), "'avg'"),
    ],
)
def test_bad_input_is_a_sentence(fn, kwargs, words):
    args = dict(roi=(10, 10, 50, 50), stride=32, output_size=(3, 3), sampling_ratio=2, mode="avg")
    args.update(kwargs)
    roi = args.pop("roi")
    with pytest.raises(ValueError, match=words):
        fn(np.zeros((2, 8, 8), np.float32), roi, **args)


def test_a_huge_box_with_the_adaptive_rule_is_refused_not_run():
    with pytest.raises(ValueError, match="sampling points"):
        roi_align(np.zeros((1, 8, 8), np.float32), (0, 0, 1e6, 1e6), stride=1, output_size=(2, 2), sampling_ratio=0)


def test_contract_names_samples_and_bin_edges():
    t = roi_align(np.ones((1, 16, 16), np.float32), (296, 192, 200, 145), stride=32, aligned=True)
    rows, cols = t.bin_edges
    assert rows.shape == (4,) and cols.shape == (4,)
    assert rows[0] == pytest.approx(6.0) and cols[-1] == pytest.approx(15.5)
    assert t.samples.shape == (3, 3, 4, 2)  # (y, x) per point, per bin
    np.testing.assert_allclose(t.samples[0, 0], [[6 + 0.25 * 1.5104166, 9.25 + 0.25 * 2.0833333],
                                                 [6 + 0.25 * 1.5104166, 9.25 + 0.75 * 2.0833333],
                                                 [6 + 0.75 * 1.5104166, 9.25 + 0.25 * 2.0833333],
                                                 [6 + 0.75 * 1.5104166, 9.25 + 0.75 * 2.0833333]], atol=1e-5)
