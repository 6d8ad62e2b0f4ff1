"""Properties that hold for every map, stride, output size and RoI (hypothesis searches for a counter-example)."""
import numpy as np
import torch
import torchvision  # noqa: F401  (registers torch.ops.torchvision)
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_viz.ops import roi_pool


@st.composite
def cases(draw):
    H, W = draw(st.integers(1, 20)), draw(st.integers(1, 20))
    C = draw(st.integers(1, 4))
    s = draw(st.sampled_from([1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 3.0, 7.5]))
    seed = draw(st.integers(0, 2**31 - 1))
    fm = np.random.default_rng(seed).standard_normal((C, H, W)).astype(np.float32)
    x = draw(st.floats(-W * s, 2 * W * s, allow_nan=False, allow_infinity=False))
    y = draw(st.floats(-H * s, 2 * H * s, allow_nan=False, allow_infinity=False))
    w = draw(st.floats(0.01, 2 * W * s, allow_nan=False, allow_infinity=False))
    h = draw(st.floats(0.01, 2 * H * s, allow_nan=False, allow_infinity=False))
    size = (draw(st.integers(1, 14)), draw(st.integers(1, 14)))
    return fm, (x, y, w, h), s, size


@settings(max_examples=300, deadline=None)
@given(cases(), st.sampled_from(["article", "fastrcnn"]))
def test_bins_inside_the_map_coverage_in_range_output_is_the_bin_max(case, scheme):
    fm, roi, s, size = case
    t = roi_pool(fm, roi, stride=s, output_size=size, scheme=scheme)
    C, H, W = fm.shape
    assert 0.0 <= t.coverage <= 1.0 + 1e-12
    assert 0 <= t.covered_area <= t.overlap_area + 1e-9 <= t.projected_area + 1e-9
    assert t.lost_area >= -1e-9 and t.gained_area >= -1e-9
    for i, row in enumerate(t.bins):
        for j, (r0, r1, c0, c1) in enumerate(row):
            assert 0 <= r0 <= H and 0 <= r1 <= H and 0 <= c0 <= W and 0 <= c1 <= W
            if r1 <= r0 or c1 <= c0:
                assert (t.output[:, i, j] == 0).all() and (t.argmax[:, i, j] == -1).all()
            else:
                np.testing.assert_array_equal(t.output[:, i, j], fm[:, r0:r1, c0:c1].reshape(C, -1).max(axis=1))


@settings(max_examples=300, deadline=None)
@given(cases())
def test_fastrcnn_equals_torchvision_for_rois_inside_the_image(case):
    fm, (x, y, w, h), s, size = case
    _, H, W = fm.shape
    x, y = min(max(x, 0.0), W * s * 0.99), min(max(y, 0.0), H * s * 0.99)  # inside the image
    w, h = min(w, W * s - x), min(h, H * s - y)
    t = roi_pool(fm, (x, y, w, h), stride=s, output_size=size, scheme="fastrcnn")
    boxes = torch.tensor([[0, x, y, x + w, y + h]], dtype=torch.float32)
    out, arg = torch.ops.torchvision.roi_pool(torch.from_numpy(fm)[None], boxes, 1.0 / s, *size)
    np.testing.assert_array_equal(t.output, out[0].numpy())
    np.testing.assert_array_equal(t.argmax, arg[0].numpy())


@settings(max_examples=200, deadline=None)
@given(cases())
def test_article_split_never_reads_outside_the_quantized_region(case):
    fm, roi, s, size = case
    t = roi_pool(fm, roi, stride=s, output_size=size, scheme="article")
    r0, r1, c0, c1 = t.region
    outside = t.bin_use.copy()
    outside[r0:r1, c0:c1] = 0
    assert not outside.any() and t.bin_use.max() <= 1  # article bins never overlap
    assert t.dropped_cells == t.region_area - int(t.bin_use.sum())
