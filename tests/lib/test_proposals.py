"""Selective search proposals and the vectorized geometry of all of them.

The geometry of every proposal is checked against the per-box trace of
``roi_pool``, number for number: every proposal of every sample photo, both
rounding rules, both layers, and random boxes on maps of every shape.
"""
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from torchvision.ops import roi_align as tv_roi_align
from torchvision.ops import roi_pool as tv_roi_pool

from roi_viz.study import proposals
from roi_viz.model import images, samples
from roi_viz.ops import roi_align, roi_pool, roi_warp

SIZE = 512
# (layer, stride, map side at 512, output size): the article's case and the Fast R-CNN paper's.
LAYERS = [("pool5", 32, 16, (3, 3)), ("conv5_3", 16, 32, (7, 7))]


@pytest.fixture(scope="module")
def photos():
    """Every sample photo as the page feeds it (512 x 512), with all its proposals (seconds each)."""
    found = {}
    for sample in samples.list_samples():
        img = images.prepare_input(images.load_file(sample.path), SIZE)[0]
        found[sample.name] = (np.asarray(img), proposals.selective_search(img, max_count=None))
    return found


def assert_same_as_trace(geo, boxes, map_size, stride, output_size, scheme):
    """Every field of the vectorized geometry equals the per-box trace, exactly."""
    fm = np.zeros((1, *map_size), np.float32)
    for k, box in enumerate(boxes):
        t = roi_pool(fm, box, stride=stride, output_size=output_size, scheme=scheme)
        where = f"box {k} {tuple(box)} ({scheme}, stride {stride}, map {map_size}, output {output_size})"
        assert tuple(geo.projected[k]) == t.projected, where
        assert tuple(geo.quantized[k]) == t.quantized, where
        assert tuple(geo.region[k]) == t.region, where
        assert geo.projected_area[k] == t.projected_area, where
        assert geo.region_area[k] == t.region_area, where
        assert geo.overlap_area[k] == t.overlap_area, where
        assert geo.covered_area[k] == t.covered_area, where
        assert geo.lost_area[k] == t.lost_area, where
        assert geo.gained_area[k] == t.gained_area, where
        assert geo.coverage[k] == t.coverage, where
        assert geo.empty_bins[k] == t.empty_bins.sum(), where
        assert geo.all_empty[k] == t.empty_bins.all(), where
        assert geo.dropped_cells[k] == t.dropped_cells, where


# ------------------------------------------------------------------ selective search
def test_every_sample_gives_hundreds_to_thousands_of_boxes_inside_the_image(photos):
    assert len(photos) >= 4
    for name, (img, boxes) in photos.items():
        assert boxes.dtype == np.float64 and boxes.ndim == 2 and boxes.shape[1] == 4, name
        assert 300 <= len(boxes) <= 10_000, (name, len(boxes))
        x, y, w, h = boxes.T
        assert (w >= 1).all() and (h >= 1).all(), name
        assert (x >= 0).all() and (y >= 0).all(), name
        assert (x + w <= img.shape[1]).all() and (y + h <= img.shape[0]).all(), name
        assert len(np.unique(boxes, axis=0)) == len(boxes), f"{name}: duplicate boxes"
        # Boxes of every scale: tiny segments and (almost) the whole image.
        areas = w * h
        assert areas.min() < 32 * 32 and areas.max() > 0.5 * SIZE * SIZE, name


def test_selective_search_is_deterministic_and_max_count_keeps_the_best_ranked(photos):
    img, boxes = photos["chelsea"]
    again = proposals.selective_search(img, max_count=None)
    np.testing.assert_array_equal(again, boxes)
    first = proposals.selective_search(Image.fromarray(img), max_count=50)
    np.testing.assert_array_equal(first, boxes[:50])


def test_quality_mode_finds_more_boxes_than_fast_mode():
    rng = np.random.default_rng(0)
    # Blocks of colour with noise: small enough that quality mode takes a second.
    img = np.kron(rng.integers(0, 255, (8, 8, 3)), np.ones((16, 16, 1))).astype(np.uint8)
    img = np.clip(img + rng.integers(-10, 10, img.shape), 0, 255).astype(np.uint8)
    fast = proposals.selective_search(img, mode="fast", max_count=None)
    quality = proposals.selective_search(img, mode="quality", max_count=None)
    assert len(quality) > len(fast) > 10


def test_a_flat_image_is_one_region_the_whole_image():
    boxes = proposals.selective_search(np.full((64, 48, 3), 128, np.uint8))
    np.testing.assert_array_equal(boxes, [[0, 0, 48, 64]])


@pytest.mark.parametrize(
    "image, words",
    [
        (np.zeros((1, 200, 3), np.uint8), "at least 8 pixels"),
        (np.zeros((200, 1, 3), np.uint8), "at least 8 pixels"),
        (np.zeros((64, 64), np.uint8), "H x W x 3"),
        (np.zeros((64, 64, 4), np.uint8), "H x W x 3"),
        (np.zeros((64, 64, 3), np.float32), "uint8"),
        ("astronaut.png", "an image"),
        (None, "an image"),
    ],
)
def test_bad_images_get_a_sentence(image, words):
    with pytest.raises(ValueError, match=words):
        proposals.selective_search(image)


@pytest.mark.parametrize("kwargs, words", [({"mode": "slow"}, "'fast' and 'quality'"),
                                           ({"max_count": 0}, "at least 1"),
                                           ({"max_count": 2.5}, "whole number")])
def test_bad_options_get_a_sentence(kwargs, words):
    with pytest.raises(ValueError, match=words):
        proposals.selective_search(np.zeros((32, 32, 3), np.uint8), **kwargs)


# ----------------------------------------------------------------------- geometry
@pytest.mark.parametrize("scheme", ["article", "fastrcnn"])
@pytest.mark.parametrize("layer, stride, side, output_size", LAYERS)
@pytest.mark.slow
def test_geometry_equals_the_trace_for_every_proposal_of_every_photo(photos, layer, stride, side, output_size, scheme):
    for name, (_, boxes) in photos.items():
        geo = proposals.geometry(boxes, map_size=(side, side), stride=stride, output_size=output_size, scheme=scheme)
        assert geo.count == len(boxes)
        assert_same_as_trace(geo, boxes, (side, side), stride, output_size, scheme)


def test_small_proposals_give_all_empty_outputs_under_the_articles_rule(photos):
    _, boxes = photos["astronaut"]
    geo = proposals.geometry(boxes, map_size=(16, 16), stride=32, output_size=3)
    small = (np.floor(boxes[:, 2] / 32) < 3) | (np.floor(boxes[:, 3] / 32) < 3)
    np.testing.assert_array_equal(geo.all_empty, small)
    assert (geo.coverage[small] == 0).all()
    assert 0.5 < geo.all_empty.mean() < 1.0  # most proposals are small: the point
    # Fast R-CNN's rule drops no cell, and empties a box only when its start rounds past
    # the map's last cell (a thin proposal along the right or bottom edge of the photo).
    fr = proposals.geometry(boxes, map_size=(16, 16), stride=32, output_size=3, scheme="fastrcnn")
    assert (fr.dropped_cells == 0).all()
    past = (fr.quantized[:, 0] >= 16) | (fr.quantized[:, 1] >= 16)
    np.testing.assert_array_equal(fr.all_empty, past)
    assert fr.all_empty.mean() < 0.05


def random_boxes(rng, K, H, W, stride, integer):
    xy = rng.uniform(-3 * stride, (max(H, W) + 3) * stride, (K, 2))
    wh = rng.uniform(0.01, 1.5 * max(H, W) * stride, (K, 2))
    wh[: K // 3] = rng.uniform(0.01, 3 * stride, (K // 3, 2))  # many boxes under a few cells
    if integer:
        xy, wh = np.round(xy), np.ceil(wh)
    return np.concatenate([xy, wh], axis=1)


@pytest.mark.parametrize("seed", range(6))
def test_geometry_equals_the_trace_on_random_boxes_and_maps(seed):
    rng = np.random.default_rng(seed)
    for _ in range(25):
        H, W = (int(v) for v in rng.integers(1, 40, 2))
        stride = float(rng.choice([16, 32, 8, 7.5, 10.3]))
        output_size = tuple(int(v) for v in rng.integers(1, 8, 2))
        boxes = random_boxes(rng, 16, H, W, stride, integer=bool(seed % 2))
        for scheme in ("article", "fastrcnn"):
            geo = proposals.geometry(boxes, map_size=(H, W), stride=stride, output_size=output_size, scheme=scheme)
            assert_same_as_trace(geo, boxes, (H, W), stride, output_size, scheme)


@settings(max_examples=150, deadline=None)
@given(
    box=st.tuples(
        st.floats(-100, 700, allow_nan=False), st.floats(-100, 700, allow_nan=False),
        st.floats(0.001, 800, allow_nan=False), st.floats(0.001, 800, allow_nan=False),
    ),
    H=st.integers(1, 33), W=st.integers(1, 33),
    stride=st.sampled_from([16.0, 32.0, 12.5]),
    ph=st.integers(1, 7), pw=st.integers(1, 7),
    scheme=st.sampled_from(["article", "fastrcnn"]),
)
def test_geometry_equals_the_trace_hypothesis(box, H, W, stride, ph, pw, scheme):
    # The box is the second of three, so that nothing depends on it being alone.
    boxes = np.array([[10, 20, 30, 40], box, [0, 0, W * stride, H * stride]], dtype=np.float64)
    geo = proposals.geometry(boxes, map_size=(H, W), stride=stride, output_size=(ph, pw), scheme=scheme)
    assert_same_as_trace(geo, boxes, (H, W), stride, (ph, pw), scheme)


def test_the_articles_worked_example():
    geo = proposals.geometry([[296, 192, 200, 145]], map_size=(16, 16), stride=32, output_size=3)
    assert tuple(geo.projected[0]) == (9.25, 6.0, 6.25, 4.53125)
    assert tuple(geo.quantized[0]) == (9, 6, 6, 4)
    assert (geo.projected_area[0], geo.region_area[0], geo.overlap_area[0]) == (28.3203125, 24, 23.0)
    assert (geo.lost_area[0], geo.gained_area[0]) == (5.3203125, 1.0)
    assert geo.dropped_cells[0] == 6 and geo.covered_area[0] == 17.25
    fr = proposals.geometry([[296, 192, 200, 145]], map_size=(16, 16), stride=32, output_size=3, scheme="fastrcnn")
    assert tuple(fr.region[0]) == (6, 12, 9, 16)


def test_an_empty_proposal_set_gives_empty_arrays():
    geo = proposals.geometry(np.zeros((0, 4)), map_size=(16, 16), stride=32, output_size=3)
    assert geo.count == 0 and geo.coverage.shape == (0,) and geo.region.shape == (0, 4)
    assert proposals.summary(geo) == {"count": 0}
    assert proposals.to_csv(np.zeros((0, 4)), geo).strip() == ",".join(proposals.CSV_COLUMNS)


@pytest.mark.parametrize(
    "boxes, kwargs, words",
    [
        ([[0, 0, 10]], {}, "K x 4"),
        ([[0, 0, 10, 0]], {}, "positive width and height"),
        ([[0, 0, 10, 10], [0, np.nan, 1, 1]], {}, "Box 1 contains NaN"),
        ([["a", 0, 1, 1]], {}, "must be numbers"),
        ([[0, 0, 10, 10]], {"map_size": (16,)}, "two numbers"),
        ([[0, 0, 10, 10]], {"map_size": (0, 16)}, "at least 1"),
        ([[0, 0, 10, 10]], {"stride": 0}, "stride"),
        ([[0, 0, 10, 10]], {"output_size": 0}, "output size"),
        ([[0, 0, 10, 10]], {"scheme": "ceil"}, "Unknown scheme"),
    ],
)
def test_bad_geometry_input_gets_a_sentence(boxes, kwargs, words):
    args = dict(map_size=(16, 16), stride=32, output_size=3) | kwargs
    with pytest.raises(ValueError, match=words):
        proposals.geometry(boxes, **args)


# ------------------------------------------------------------- coverage by method
def test_coverage_by_method_agrees_with_each_methods_trace():
    rng = np.random.default_rng(3)
    fm = rng.standard_normal((2, 13, 17)).astype(np.float32)
    boxes = random_boxes(rng, 40, 13, 17, 16.0, integer=True)
    cov = proposals.coverage_by_method(boxes, map_size=(13, 17), stride=16, output_size=(3, 4))
    assert tuple(cov) == proposals.COVERAGE_METHODS
    for k, box in enumerate(boxes):
        for scheme in ("article", "fastrcnn"):
            assert cov[f"pool-{scheme}"][k] == roi_pool(fm, box, stride=16, output_size=(3, 4), scheme=scheme).coverage
            warp = roi_warp(fm, box, stride=16, output_size=(3, 4), scheme=scheme)
            assert cov[f"warp-{scheme}"][k] == warp.coverage
        # RoIAlign loses only what lies off the map.
        x, y, w, h = box / 16
        inside = max(0, min(x + w, 17) - max(x, 0)) * max(0, min(y + h, 13) - max(y, 0))
        assert cov["align"][k] == pytest.approx(inside / (w * h), abs=1e-12)
        assert cov["prroi"][k] == cov["align"][k]
    # Snapping only loses: RoIWarp keeps at least what RoI pooling keeps under the same rule.
    for scheme in ("article", "fastrcnn"):
        assert (cov[f"warp-{scheme}"] >= cov[f"pool-{scheme}"]).all()


def test_align_density_counts_the_points_of_the_trace():
    fm = np.zeros((1, 32, 32), np.float32)
    for box, ratio in [((0, 0, 320, 160), 2), ((40, 40, 100, 300), 2), ((0, 0, 320, 160), 0), ((5, 5, 60, 70), 0)]:
        t = roi_align(fm, box, stride=16, output_size=3, sampling_ratio=ratio, aligned=True)
        bin_h, bin_w = t.bin_size
        expected = t.points_per_bin / (bin_h * bin_w)
        got = proposals.align_density([box], stride=16, output_size=3, sampling_ratio=ratio)[0]
        assert got == pytest.approx(expected, rel=1e-5)


# ------------------------------------------------------------------------ pooling
def test_pool_all_equals_per_box_torchvision_and_roi_viz(photos):
    _, boxes = photos["coffee"]
    boxes = boxes[:300]
    rng = np.random.default_rng(0)
    fm = rng.standard_normal((8, 32, 32)).astype(np.float32)
    t = torch.from_numpy(fm)[None]
    pooled = proposals.pool_all(fm, boxes, stride=16, output_size=7)
    assert pooled.shape == (len(boxes), 8, 7, 7) and pooled.dtype == np.float32
    aligned = proposals.pool_all(torch.from_numpy(fm), boxes, stride=16, output_size=(2, 3), method="align",
                         sampling_ratio=2, aligned=True)
    assert aligned.shape == (len(boxes), 8, 2, 3)
    for k, (x, y, w, h) in enumerate(boxes):
        corners = torch.tensor([[0, x, y, x + w, y + h]], dtype=torch.float32)
        one = tv_roi_pool(t, corners, 7, spatial_scale=1 / 16)[0].numpy()
        np.testing.assert_array_equal(pooled[k], one)
        np.testing.assert_array_equal(pooled[k], roi_pool(fm, (x, y, w, h), stride=16, output_size=7,
                                                          scheme="fastrcnn").output)
        one = tv_roi_align(t, corners, (2, 3), spatial_scale=1 / 16, sampling_ratio=2, aligned=True)[0].numpy()
        np.testing.assert_array_equal(aligned[k], one)
        ours = roi_align(fm, (x, y, w, h), stride=16, output_size=(2, 3), sampling_ratio=2, aligned=True).output
        np.testing.assert_allclose(aligned[k], ours, rtol=1e-5, atol=1e-6)


def test_pool_all_takes_a_batch_of_one_and_no_boxes():
    fm = np.arange(2 * 4 * 4, dtype=np.float32).reshape(1, 2, 4, 4)
    out = proposals.pool_all(fm, [[0, 0, 64, 64]], stride=16, output_size=1)
    np.testing.assert_array_equal(out[0, :, 0, 0], [15, 31])  # the whole map's maximum per channel
    assert proposals.pool_all(fm, np.zeros((0, 4)), stride=16, output_size=3).shape == (0, 2, 3, 3)
    with pytest.raises(ValueError, match="C x H x W"):
        proposals.pool_all(np.zeros((2, 2, 4, 4), np.float32), [[0, 0, 4, 4]], stride=16)
    with pytest.raises(ValueError, match="'pool'"):
        proposals.pool_all(fm, [[0, 0, 4, 4]], stride=16, method="warp")


# -------------------------------------------------------------------------- table
def test_csv_holds_every_number_of_the_geometry(photos):
    import csv
    import io

    _, boxes = photos["rocket"]
    geo = proposals.geometry(boxes, map_size=(32, 32), stride=16, output_size=3, scheme="fastrcnn")
    rows = list(csv.DictReader(io.StringIO(proposals.to_csv(boxes, geo))))
    assert len(rows) == len(boxes) and tuple(rows[0]) == proposals.CSV_COLUMNS
    for k in (0, len(rows) // 2, len(rows) - 1):
        r = rows[k]
        assert int(r["index"]) == k
        assert [float(r[c]) for c in ("x", "y", "w", "h")] == boxes[k].tolist()
        assert float(r["coverage"]) == geo.coverage[k]
        assert float(r["lost_area"]) == geo.lost_area[k]
        assert [int(r[c]) for c in ("region_row0", "region_row1", "region_col0", "region_col1")] == geo.region[k].tolist()
        assert int(r["empty_bins"]) == geo.empty_bins[k] and int(r["all_empty"]) == int(geo.all_empty[k])
    with pytest.raises(ValueError, match="rows"):
        proposals.to_csv(boxes[:3], geo)


def test_importing_the_module_does_not_load_opencv_or_torch():
    import subprocess
    import sys

    code = "import sys, roi_viz.study.proposals; print('cv2' in sys.modules, 'torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# ------------------------------------------------------- what decides the shares at a setting
@pytest.mark.parametrize("size", [(512, 512), (224, 224), (800, 600), (600, 1000), (577, 431)])
def test_map_size_is_what_vggs_pools_leave(size):
    """Each 2 x 2 pool floors half the map: pool5 (5 pools) and conv5_3 (4 pools) of a W x H input."""
    w, h = size
    for stride, pools in ((32, 5), (16, 4)):
        rows, cols = h, w
        for _ in range(pools):
            rows, cols = rows // 2, cols // 2
        assert proposals.map_size(size, stride) == (rows, cols)


@pytest.mark.parametrize("size, stride, words", [
    ((10, 10), 32, "smaller than one cell"), (("a", 5), 32, "two whole numbers"), ((512, 512), 12.5, "whole numbers"),
])
def test_map_size_refuses_with_a_sentence(size, stride, words):
    with pytest.raises(ValueError, match=words):
        proposals.map_size(size, stride)


def test_too_small_is_what_empties_every_bin_under_the_articles_rule(photos):
    """The article's all-zero share is the share of boxes under p cells on a side: pure geometry."""
    for name, (img, boxes) in photos.items():
        for layer, stride, side, out in LAYERS:
            geo = proposals.geometry(boxes, map_size=(side, side), stride=stride, output_size=out)
            small = proposals.too_small(boxes, stride=stride, output_size=out)
            np.testing.assert_array_equal(small, geo.all_empty, err_msg=f"{name} {layer}")
            np.testing.assert_array_equal(small, proposals.short_sides(boxes) < stride * min(out), err_msg=name)
    np.testing.assert_array_equal(proposals.short_sides([[0, 0, 5, 9], [1, 1, 40, 3]]), [5, 3])
    # A 2 x 3 output: too narrow means under 3 cells across or under 2 down.
    np.testing.assert_array_equal(
        proposals.too_small([[0, 0, 95, 64], [0, 0, 96, 64], [0, 0, 96, 63]], stride=32, output_size=(2, 3)),
        [True, False, True])
