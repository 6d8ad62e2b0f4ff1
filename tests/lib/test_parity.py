"""scheme="fastrcnn" equals torchvision.ops.roi_pool exactly: values and arg-max cells."""
import numpy as np
import pytest
import torch
import torchvision  # noqa: F401  (registers torch.ops.torchvision)
from torchvision.ops import roi_pool as tv_roi_pool

from roi_viz.ops import roi_pool


def random_case(rng):
    C = int(rng.integers(1, 8))
    H, W = int(rng.integers(1, 24)), int(rng.integers(1, 24))
    s = float(rng.choice([1, 2, 4, 8, 16, 32, 3, 5, 7.5, 0.5]))
    fm = rng.standard_normal((C, H, W)).astype(np.float32)
    if rng.random() < 0.3:  # many ties: the first maximum in row-major order must win
        fm = np.round(fm)
    ph, pw = int(rng.integers(1, 15)), int(rng.integers(1, 15))
    x, y = rng.uniform(0, W * s * 0.99), rng.uniform(0, H * s * 0.99)
    w, h = rng.uniform(0.01 * s, W * s - x), rng.uniform(0.01 * s, H * s - y)
    if rng.random() < 0.4:  # corners on half cells: where rounding rules differ
        x, y, w, h = (max(float(np.round(v / s * 2) / 2 * s), 0.5 * s) for v in (x, y, w, h))
    return fm, (x, y, w, h), s, (ph, pw)


def reference(fm, roi, s, size):
    x, y, w, h = roi
    boxes = torch.tensor([[0, x, y, x + w, y + h]], dtype=torch.from_numpy(fm).dtype)
    out, arg = torch.ops.torchvision.roi_pool(torch.from_numpy(fm)[None], boxes, 1.0 / s, *size)
    return out[0].numpy(), arg[0].numpy()


@pytest.mark.parametrize("seed", range(6))
def test_parity_with_torchvision_on_random_cases(seed):
    rng = np.random.default_rng(seed)
    for _ in range(250):  # 6 x 250 = 1,500 cases
        fm, roi, s, size = random_case(rng)
        t = roi_pool(fm, roi, stride=s, output_size=size, scheme="fastrcnn")
        out, arg = reference(fm, roi, s, size)
        np.testing.assert_array_equal(t.output, out, err_msg=f"{roi=} {s=} {size=} {fm.shape=}")
        np.testing.assert_array_equal(t.argmax, arg, err_msg=f"{roi=} {s=} {size=} {fm.shape=}")


def test_parity_in_float64():
    rng = np.random.default_rng(99)
    for _ in range(100):
        fm, roi, s, size = random_case(rng)
        fm = fm.astype(np.float64)
        t = roi_pool(fm, roi, stride=s, output_size=size, scheme="fastrcnn")
        out, arg = reference(fm, roi, s, size)
        np.testing.assert_array_equal(t.output, out)
        np.testing.assert_array_equal(t.argmax, arg)


def test_public_torchvision_api_agrees_on_a_real_sized_map():
    rng = np.random.default_rng(7)
    fm = rng.standard_normal((512, 16, 16)).astype(np.float32)
    rois = [(296, 192, 200, 145), (0, 0, 512, 512), (10.5, 300.25, 77, 33), (480, 480, 32, 32)]
    boxes = torch.tensor([[0, x, y, x + w, y + h] for x, y, w, h in rois], dtype=torch.float32)
    ref = tv_roi_pool(torch.from_numpy(fm)[None], boxes, output_size=(7, 7), spatial_scale=1 / 32)
    for k, roi in enumerate(rois):
        t = roi_pool(fm, roi, stride=32, output_size=(7, 7), scheme="fastrcnn")
        np.testing.assert_array_equal(t.output, ref[k].numpy())
