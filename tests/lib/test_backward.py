"""The backward pass: gradients by the map against torch autograd, by the box against autograd and finite differences."""
import math
import subprocess
import sys

import numpy as np
import pytest
import torch
import torchvision  # noqa: F401  (registers torch.ops.torchvision)
from torchvision.ops import roi_align as tv_roi_align
from torchvision.ops import roi_pool as tv_roi_pool

from roi_viz.study import backward as b
from roi_viz.ops import prroi_pool, roi_align, roi_pool, roi_warp

ARTICLE_ROI = (296.0, 192.0, 200.0, 145.0)


# ------------------------------------------------------------------ random cases
def random_case(rng, inside=True, big=False):
    """A float64 map (often not square), a box on it, stride 16 or 32, an output size, random weights.

    ``big``: the box spans at least half the map and the output is at most 3 x 3, so bins have cells.
    """
    C = int(rng.integers(1, 4))
    H, W = int(rng.integers(2, 14)), int(rng.integers(2, 14))
    s = float(rng.choice([16.0, 32.0]))
    fm = rng.standard_normal((C, H, W))
    margin = 0.0 if inside else 1.5
    x = rng.uniform(-margin * s, (W - 0.3) * s)
    y = rng.uniform(-margin * s, (H - 0.3) * s)
    # At least a tenth of a cell on the map: a box wholly off it is bad input, tested below.
    w = rng.uniform(max(0.2 * s, 0.1 * s - x), (W + margin) * s - max(x, 0) + 0.1 * s)
    h = rng.uniform(max(0.2 * s, 0.1 * s - y), (H + margin) * s - max(y, 0) + 0.1 * s)
    size = (int(rng.integers(1, 6)), int(rng.integers(1, 6)))
    if big:
        H, W = max(H, 6), max(W, 6)
        fm = rng.standard_normal((C, H, W))
        x, y = rng.uniform(0, W * s / 2), rng.uniform(0, H * s / 2)
        w, h = rng.uniform(W * s / 2, W * s - x), rng.uniform(H * s / 2, H * s - y)
        size = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    weights = rng.standard_normal((C, *size))
    return fm, (x, y, w, h), s, size, weights


def corners(roi):
    x, y, w, h = roi
    return [x, y, x + w, y + h]


def moved(roi, k, d):
    c = corners(roi)
    c[k] += d
    return (c[0], c[1], c[2] - c[0], c[3] - c[1])


def loss(trace, weights):
    return float((trace.output * weights).sum())


def autograd_map(op, fm, roi, weights, **kw):
    """dL/dmap by autograd through a torchvision operator taking (input, boxes)."""
    t = torch.tensor(fm, dtype=torch.float64, requires_grad=True)
    boxes = torch.tensor([[0.0, *corners(roi)]], dtype=torch.float64)
    out = op(t[None], boxes, **kw)
    (out[0] * torch.tensor(weights)).sum().backward()
    return t.grad.numpy()


# A differentiable reference of torchvision's bilinear sampling, written from its kernel's rules,
# so that autograd gives the derivative by the box (torchvision's roi_align has none).
def torch_bilinear(F, y, x):
    H, W = F.shape[1:]
    valid = ((y >= -1) & (y <= H) & (x >= -1) & (x <= W)).to(F.dtype)
    y, x = torch.clamp(y, min=0.0), torch.clamp(x, min=0.0)

    def low_high(v, n):
        lo = torch.floor(v.detach()).long()
        last = lo >= n - 1
        lo = torch.where(last, torch.full_like(lo, n - 1), lo)
        hi = torch.where(last, lo, lo + 1)
        v = torch.where(last, lo.to(F.dtype), v)
        return lo, hi, v - lo.to(F.dtype)

    ylo, yhi, ly = low_high(y, H)
    xlo, xhi, lx = low_high(x, W)
    hy, hx = 1 - ly, 1 - lx
    v = hy * hx * F[:, ylo, xlo] + hy * lx * F[:, ylo, xhi] + ly * hx * F[:, yhi, xlo] + ly * lx * F[:, yhi, xhi]
    return v * valid


def torch_align(F, box, s, size, ratio, aligned, mode):
    """RoIAlign in torch from corners ``box`` (a tensor that may require grad): C x ph x pw."""
    ph, pw = size
    off = 0.5 if aligned else 0.0
    sx, sy, ex, ey = box[0] / s - off, box[1] / s - off, box[2] / s - off, box[3] / s - off
    rw, rh = ex - sx, ey - sy
    if not aligned:
        rw, rh = torch.clamp(rw, min=1.0), torch.clamp(rh, min=1.0)
    bh, bw = rh / ph, rw / pw
    gh = ratio if ratio > 0 else math.ceil(bh.item())
    gw = ratio if ratio > 0 else math.ceil(bw.item())
    iy = (torch.arange(gh, dtype=F.dtype) + 0.5) / gh
    ix = (torch.arange(gw, dtype=F.dtype) + 0.5) / gw
    ys = sy + (torch.arange(ph, dtype=F.dtype)[:, None] + iy[None, :]) * bh  # ph x gh
    xs = sx + (torch.arange(pw, dtype=F.dtype)[:, None] + ix[None, :]) * bw  # pw x gw
    Y = ys[:, None, :, None].expand(ph, pw, gh, gw)
    X = xs[None, :, None, :].expand(ph, pw, gh, gw)
    v = torch_bilinear(F, Y, X).reshape(F.shape[0], ph, pw, gh * gw)
    return v.mean(-1) if mode == "avg" else v.amax(-1)


# ------------------------------------------------------------ by the map: RoI pooling
@pytest.mark.parametrize("seed", range(3))
def test_pool_fastrcnn_feature_gradient_equals_torchvision_autograd(seed):
    rng = np.random.default_rng(seed)
    for _ in range(100):
        fm, roi, s, size, wts = random_case(rng)
        ours = b.feature_gradient("pool", fm, roi, stride=s, output_size=size, weights=wts, scheme="fastrcnn")
        ref = autograd_map(tv_roi_pool, fm, roi, wts, output_size=size, spatial_scale=1.0 / s)
        np.testing.assert_allclose(ours, ref, atol=1e-12, err_msg=f"{roi=} {s=} {size=} {fm.shape=}")


def article_bins(roi, s, size, H, W):
    """The article's bins from its rule, written out again: floor everything, equal bins from the top-left."""
    xq, yq, wq, hq = (math.floor(v / s) for v in roi)
    r0, r1 = min(max(yq, 0), H), min(max(yq + hq, 0), H)
    c0, c1 = min(max(xq, 0), W), min(max(xq + wq, 0), W)
    bh, bw = (r1 - r0) // size[0], (c1 - c0) // size[1]
    return [[(r0 + i * bh, r0 + (i + 1) * bh, c0 + j * bw, c0 + (j + 1) * bw) for j in range(size[1])]
            for i in range(size[0])]


def test_pool_article_feature_gradient_equals_autograd_through_a_torch_max():
    rng = np.random.default_rng(10)
    nonzero = 0
    for _ in range(200):
        fm, roi, s, size, wts = random_case(rng, big=True)
        t = torch.tensor(fm, requires_grad=True)
        terms = []
        for i, row in enumerate(article_bins(roi, s, size, *fm.shape[1:])):
            for j, (r0, r1, c0, c1) in enumerate(row):
                if r1 > r0 and c1 > c0:  # an empty bin outputs 0 and has no gradient
                    terms.append((t[:, r0:r1, c0:c1].amax(dim=(1, 2)) * torch.tensor(wts[:, i, j])).sum())
        if terms:
            torch.stack(terms).sum().backward()
        ref = t.grad.numpy() if t.grad is not None else np.zeros_like(fm)
        ours = b.feature_gradient("pool", fm, roi, stride=s, output_size=size, weights=wts, scheme="article")
        np.testing.assert_allclose(ours, ref, atol=1e-12, err_msg=f"{roi=} {s=} {size=}")
        nonzero += bool(np.abs(ref).sum() > 0)
    assert nonzero > 150  # most cases have bins: the comparison is not all zeros


def test_pool_gradient_lands_on_arg_max_cells_and_adds_up_where_bins_share_one():
    fm = np.zeros((1, 8, 8)) - np.arange(64).reshape(1, 8, 8) / 100  # no ties: the first cell does not win by default
    fm[0, 2, 2] = 5.0  # a peak where Fast R-CNN's bins overlap: 7 cells in 3 bins, [0, 3) [2, 5) [4, 7)
    roi = (0.0, 0.0, 6 * 16.0, 6 * 16.0)
    wts = np.arange(1, 10, dtype=float).reshape(1, 3, 3)
    grad = b.feature_gradient("pool", fm, roi, stride=16, output_size=3, weights=wts, scheme="fastrcnn")
    trace = roi_pool(fm, roi, stride=16, output_size=3, scheme="fastrcnn")
    sharing = trace.argmax[0] == 2 * 8 + 2
    assert sharing.sum() == 4
    assert grad[0, 2, 2] == wts[0][sharing].sum()
    assert np.isclose(grad.sum(), wts.sum())  # every bin sends its whole weight somewhere


# ------------------------------------------------------------ by the map: RoIAlign, RoIWarp
@pytest.mark.parametrize("aligned", [False, True])
@pytest.mark.parametrize("ratio", [-1, 0, 1, 2, 3])
def test_align_feature_gradient_equals_torchvision_autograd(aligned, ratio):
    rng = np.random.default_rng(20 + ratio + 10 * aligned)
    for _ in range(40):  # 10 settings x 40 = 400 cases
        fm, roi, s, size, wts = random_case(rng, inside=False)
        ours = b.feature_gradient("align", fm, roi, stride=s, output_size=size, weights=wts,
                                  sampling_ratio=ratio, aligned=aligned)
        ref = autograd_map(tv_roi_align, fm, roi, wts, output_size=size, spatial_scale=1.0 / s,
                           sampling_ratio=ratio, aligned=aligned)
        np.testing.assert_allclose(ours, ref, atol=1e-12, err_msg=f"{roi=} {s=} {size=} {fm.shape=}")


def test_align_max_mode_feature_gradient_equals_autograd_of_a_torch_reference():
    rng = np.random.default_rng(30)
    for _ in range(120):
        fm, roi, s, size, wts = random_case(rng, inside=False)
        ratio, aligned = int(rng.integers(0, 4)), bool(rng.random() < 0.5)
        F = torch.tensor(fm, requires_grad=True)
        out = torch_align(F, torch.tensor(corners(roi), dtype=torch.float64), s, size, ratio, aligned, "max")
        np.testing.assert_allclose(out.detach().numpy(), roi_align(fm, roi, stride=s, output_size=size,
                                   sampling_ratio=ratio, aligned=aligned, mode="max").output, atol=1e-12)
        (out * torch.tensor(wts)).sum().backward()
        ours = b.feature_gradient("align", fm, roi, stride=s, output_size=size, weights=wts,
                                  sampling_ratio=ratio, aligned=aligned, mode="max")
        np.testing.assert_allclose(ours, F.grad.numpy(), atol=1e-12, err_msg=f"{roi=} {s=} {size=}")


def snapped_cells(roi, s, scheme, H, W):
    """RoIWarp's snapped box as corners in cells, from the rules of both schemes, clipped to the map."""
    x, y, w, h = roi
    if scheme == "article":
        c0, r0 = math.floor(x / s), math.floor(y / s)
        c1, r1 = c0 + math.floor(w / s), r0 + math.floor(h / s)
    else:
        def rnd(v):
            return int(math.copysign(math.floor(abs(v) + 0.5), v))
        c0, r0 = rnd(x / s), rnd(y / s)
        c1, r1 = c0 + max(rnd((x + w) / s) - c0 + 1, 1), r0 + max(rnd((y + h) / s) - r0 + 1, 1)
    c0, c1 = min(max(c0, 0), W), min(max(c1, 0), W)
    r0, r1 = min(max(r0, 0), H), min(max(r1, 0), H)
    return c0, r0, c1, r1


@pytest.mark.parametrize("scheme", ["article", "fastrcnn"])
def test_warp_feature_gradient_is_aligned_roi_align_on_the_snapped_cells(scheme):
    rng = np.random.default_rng(40 + len(scheme))
    for k in range(80):
        fm, roi, s, size, wts = random_case(rng)
        ratio, mode = int(rng.integers(0, 3)), ("avg", "max")[k % 2]
        ours = b.feature_gradient("warp", fm, roi, stride=s, output_size=size, weights=wts,
                                  sampling_ratio=ratio, mode=mode, scheme=scheme)
        c0, r0, c1, r1 = snapped_cells(roi, s, scheme, *fm.shape[1:])
        if c1 <= c0 or r1 <= r0:
            assert not ours.any()  # snapped to nothing: nothing was read, nothing learns
            continue
        F = torch.tensor(fm, requires_grad=True)
        box = torch.tensor([c0, r0, c1, r1], dtype=torch.float64)
        if mode == "avg":  # torchvision itself, in cells (scale 1), with the aligned rule
            out = tv_roi_align(F[None], torch.cat([torch.zeros(1, dtype=torch.float64), box])[None], size,
                               spatial_scale=1.0, sampling_ratio=ratio, aligned=True)[0]
        else:
            out = torch_align(F, box, 1.0, size, ratio, True, "max")
        (out * torch.tensor(wts)).sum().backward()
        np.testing.assert_allclose(ours, F.grad.numpy(), atol=1e-12, err_msg=f"{roi=} {s=} {size=}")


# ------------------------------------------------------------ by the map: PrRoI
@pytest.mark.parametrize("aligned", [False, True])
def test_prroi_feature_gradient_is_its_linear_map(aligned):
    """The output is linear in the map, so L(F + D) - L(F) = <grad, D> exactly, for any D."""
    rng = np.random.default_rng(50 + aligned)
    for _ in range(100):
        fm, roi, s, size, wts = random_case(rng, inside=False)
        grad = b.feature_gradient("prroi", fm, roi, stride=s, output_size=size, weights=wts, aligned=aligned)
        D = rng.standard_normal(fm.shape)
        L0 = loss(prroi_pool(fm, roi, stride=s, output_size=size, aligned=aligned), wts)
        L1 = loss(prroi_pool(fm + D, roi, stride=s, output_size=size, aligned=aligned), wts)
        assert np.isclose(L1 - L0, (grad * D).sum(), rtol=1e-9, atol=1e-9)
        assert np.isclose((grad * fm).sum(), L0, rtol=1e-9, atol=1e-9)  # Euler: L is homogeneous in F


def test_prroi_feature_gradient_of_one_bin_is_its_weight_map():
    rng = np.random.default_rng(5)
    fm = rng.standard_normal((3, 16, 16))
    trace = prroi_pool(fm, ARTICLE_ROI, stride=32, output_size=3)
    grad = b.feature_gradient("prroi", fm, ARTICLE_ROI, stride=32, output_size=3, weights=b.one_hot(3, 3, 1, (2, 1)))
    np.testing.assert_allclose(grad[1], trace.weight_map(2, 1), atol=1e-15)
    assert not grad[0].any() and not grad[2].any()


# ------------------------------------------------------------ by the box: RoIAlign
@pytest.mark.parametrize("aligned", [False, True])
@pytest.mark.parametrize("mode", ["avg", "max"])
def test_align_box_gradient_equals_autograd_of_a_torch_reference(aligned, mode):
    rng = np.random.default_rng(60 + aligned + 2 * (mode == "max"))
    checked = 0
    for _ in range(75):  # 4 settings x 75 = 300 cases
        fm, roi, s, size, wts = random_case(rng, inside=False)
        ratio = int(rng.integers(-1, 4))
        if not aligned and rng.random() < 0.3:  # under a cell wide: the legacy rule's clamp
            roi = (abs(roi[0]), roi[1], rng.uniform(0.1, 0.9) * s, roi[3])
        box = torch.tensor(corners(roi), dtype=torch.float64, requires_grad=True)
        out = torch_align(torch.tensor(fm), box, s, size, ratio, aligned, mode)
        if mode == "avg":
            np.testing.assert_allclose(out.detach().numpy(), tv_roi_align(
                torch.tensor(fm)[None], torch.tensor([[0.0, *corners(roi)]], dtype=torch.float64), size, 1.0 / s, ratio, aligned)[0],
                atol=1e-12)
        (out * torch.tensor(wts)).sum().backward()
        got = b.box_gradient("align", fm, roi, stride=s, output_size=size, weights=wts,
                             sampling_ratio=ratio, aligned=aligned, mode=mode)
        for k in range(4):
            if got.value[k] is None:  # a point exactly on a cell centre: autograd picks one side
                assert box.grad[k].item() in (pytest.approx(got.left[k]), pytest.approx(got.right[k]))
                continue
            checked += 1
            assert got.value[k] == pytest.approx(box.grad[k].item(), rel=1e-9, abs=1e-12), (roi, s, size, ratio, k)
    assert checked > 250


def test_align_box_gradient_agrees_with_finite_differences():
    rng = np.random.default_rng(70)
    for _ in range(60):
        fm, roi, s, size, wts = random_case(rng)
        kw = dict(stride=s, output_size=size, sampling_ratio=2, aligned=bool(rng.random() < 0.5))
        got = b.box_gradient("align", fm, roi, weights=wts, **kw)
        h = 1e-6 * s
        for k in range(4):
            fd = (loss(roi_align(fm, moved(roi, k, h), **kw), wts) - loss(roi_align(fm, moved(roi, k, -h), **kw), wts)) / (2 * h)
            assert got.value[k] == pytest.approx(fd, rel=1e-5, abs=1e-8)


def test_align_kink_where_a_point_sits_on_a_cell_centre():
    rng = np.random.default_rng(8)
    fm = rng.standard_normal((2, 8, 8))
    # Stride 1, one bin, one point: the point is at x1 - 0.5 + w/2 = 3.0, a cell centre (value coordinates).
    roi = (2.5, 1.7, 2.0, 3.1)
    kw = dict(stride=1.0, output_size=1, sampling_ratio=1, aligned=True)
    wts = np.array([[[1.0]], [[-0.5]]])
    got = b.box_gradient("align", fm, roi, weights=wts, **kw)
    h = 1e-7
    L = loss(roi_align(fm, roi, **kw), wts)
    for k in (0, 2):  # both x corners move the point across x = 3
        left = (L - loss(roi_align(fm, moved(roi, k, -h), **kw), wts)) / h
        right = (loss(roi_align(fm, moved(roi, k, h), **kw), wts) - L) / h
        assert got.value[k] is None and got.jump[k] == 0.0
        assert got.left[k] == pytest.approx(left, rel=1e-6) and got.right[k] == pytest.approx(right, rel=1e-6)
        assert abs(got.left[k] - got.right[k]) > 1e-3
    assert got.value[1] is not None and got.value[3] is not None
    assert "cell centre" in got.words


def test_align_adaptive_grid_gains_a_point_a_jump():
    rng = np.random.default_rng(9)
    fm = rng.standard_normal((1, 8, 8))
    roi = (1.3, 1.2, 2.0, 2.6)  # stride 1, one bin 2 cells wide: 2 points, a hair wider: 3
    kw = dict(stride=1.0, output_size=1, sampling_ratio=0, aligned=True)
    got = b.box_gradient("align", fm, roi, **kw)
    assert roi_align(fm, roi, **kw).grid == (3, 2)
    for k in (0, 2):  # widening on either side adds a column of points
        step = loss(roi_align(fm, moved(roi, k, 1e-9 * (1 if k == 2 else -1)), **kw), 1) - loss(roi_align(fm, roi, **kw), 1)
        assert got.value[k] is None
        assert got.jump[k] == pytest.approx(step if k == 2 else -step, rel=1e-4)


# ------------------------------------------------------------ by the box: PrRoI
@pytest.mark.parametrize("aligned", [False, True])
def test_prroi_box_gradient_agrees_with_finite_differences_of_its_exact_forward(aligned):
    rng = np.random.default_rng(80 + aligned)
    for _ in range(120):
        fm, roi, s, size, wts = random_case(rng, inside=False)
        kw = dict(stride=s, output_size=size, aligned=aligned)
        got = b.box_gradient("prroi", fm, roi, weights=wts, **kw)
        assert got.defined == (True,) * 4 and got.jump == (0.0,) * 4
        h = 1e-4
        for k in range(4):
            fd = (loss(prroi_pool(fm, moved(roi, k, h), **kw), wts) - loss(prroi_pool(fm, moved(roi, k, -h), **kw), wts)) / (2 * h)
            assert got.value[k] == pytest.approx(fd, rel=1e-5, abs=1e-9), (roi, s, size, k)


def prroi_surface(fm, x, y):
    """PrRoI's surface at points (value coordinates): one hat per cell, zero past the map's first cell outside."""
    C, H, W = fm.shape
    hx = np.maximum(0, 1 - np.abs(np.asarray(x)[..., None] - np.arange(W)))
    hy = np.maximum(0, 1 - np.abs(np.asarray(y)[..., None] - np.arange(H)))
    return np.einsum("ch w,...h,...w->c...".replace(" ", ""), fm, hy, hx)


@pytest.mark.parametrize("aligned", [False, True])
def test_prroi_box_gradient_follows_the_papers_formula(aligned):
    """Jiang et al. (2018): dPrPool/dx1 = PrPool/(x2 - x1) - (1/area) * integral of f(x1, y) dy over the bin."""
    rng = np.random.default_rng(90 + aligned)
    for _ in range(30):
        fm, roi, s, _, _ = random_case(rng, inside=False)
        C = fm.shape[0]
        got = b.box_gradient("prroi", fm, roi, stride=s, output_size=1, weights=np.ones((C, 1, 1)), aligned=aligned)
        out = prroi_pool(fm, roi, stride=s, output_size=1, aligned=aligned).output.sum()
        off = 0.5 if aligned else 0.0
        x1, y1, x2, y2 = (v / s - off for v in corners(roi))  # value coordinates, cells
        # f is piecewise linear along each edge: the trapezoid rule with the integers as nodes is exact.
        ys = np.unique(np.r_[y1, y2, np.arange(math.ceil(y1), math.floor(y2) + 1)])
        xs = np.unique(np.r_[x1, x2, np.arange(math.ceil(x1), math.floor(x2) + 1)])
        area = (x2 - x1) * (y2 - y1)
        edge = {  # the integral along each edge, summed over channels
            0: np.trapezoid(prroi_surface(fm, np.full_like(ys, x1), ys).sum(0), ys),
            2: np.trapezoid(prroi_surface(fm, np.full_like(ys, x2), ys).sum(0), ys),
            1: np.trapezoid(prroi_surface(fm, xs, np.full_like(xs, y1)).sum(0), xs),
            3: np.trapezoid(prroi_surface(fm, xs, np.full_like(xs, y2)).sum(0), xs),
        }
        paper = [
            (out / (x2 - x1) - edge[0] / area) / s,
            (out / (y2 - y1) - edge[1] / area) / s,
            (-out / (x2 - x1) + edge[2] / area) / s,
            (-out / (y2 - y1) + edge[3] / area) / s,
        ]
        np.testing.assert_allclose(got.value, paper, rtol=1e-9, atol=1e-12)


def test_prroi_box_gradient_is_continuous_where_align_has_kinks():
    rng = np.random.default_rng(11)
    fm = rng.standard_normal((1, 8, 8))
    xs = np.linspace(40.0, 48.0, 161)  # x1 slides by half a cell at stride 16, across cell centres
    d = [b.box_gradient("prroi", fm, (x, 30.0, 50.0, 40.0), stride=16, output_size=2).value[0] for x in xs]
    assert max(np.abs(np.diff(d))) < 20 * np.median(np.abs(np.diff(d))) + 1e-12


# ------------------------------------------------------------ by the box: RoI pooling, RoIWarp
@pytest.mark.parametrize("method,scheme", [("pool", "article"), ("pool", "fastrcnn"), ("warp", "article"), ("warp", "fastrcnn")])
def test_snapping_methods_have_zero_box_gradient_and_a_flat_output(method, scheme):
    rng = np.random.default_rng(100 + len(method) + len(scheme))
    run = roi_pool if method == "pool" else roi_warp
    for _ in range(100):
        fm, roi, s, size, wts = random_case(rng)
        got = b.box_gradient(method, fm, roi, stride=s, output_size=size, weights=wts, scheme=scheme)
        assert got.value == (0.0,) * 4, (roi, s, size)
        base = run(fm, roi, stride=s, output_size=size, scheme=scheme).output
        for k in range(4):
            for d in (-1e-6 * s, 1e-6 * s):
                np.testing.assert_array_equal(run(fm, moved(roi, k, d), stride=s, output_size=size, scheme=scheme).output, base)


@pytest.mark.parametrize("mode", ["max", "avg"])
@pytest.mark.parametrize("scheme", ["article", "fastrcnn"])
def test_warp_surrogate_is_the_slope_of_the_unsnapped_sampling_of_the_snapped_box(mode, scheme):
    # MNC's layer ignores the rounding: its box gradient is that of bilinear sampling of the snapped box, moved
    # pixel for pixel with the box. Checked against one-sided finite differences of RoIAlign (aligned, the grid
    # held) on that box, and against RoIAlign's own right-hand box derivative there.
    rng = np.random.default_rng(300 + len(mode) + 7 * len(scheme))
    checked = 0
    for _ in range(60):
        fm, roi, s, size, wts = random_case(rng, big=True)
        ratio = int(rng.integers(0, 4))
        trace = roi_warp(fm, roi, stride=s, output_size=size, sampling_ratio=ratio, mode=mode, scheme=scheme)
        if trace.points_per_bin == 0:
            continue
        got = b.warp_surrogate(fm, roi, stride=s, output_size=size, weights=wts, sampling_ratio=ratio, mode=mode,
                               scheme=scheme)
        assert b.box_gradient("warp", fm, roi, stride=s, output_size=size, weights=wts, sampling_ratio=ratio,
                              mode=mode, scheme=scheme).surrogate == pytest.approx(got, abs=1e-12)
        r0, r1, c0, c1 = trace.region
        snapped = (c0 * s, r0 * s, (c1 - c0) * s, (r1 - r0) * s)
        align = b.box_gradient("align", fm, snapped, stride=s, output_size=size, weights=wts, sampling_ratio=ratio,
                               aligned=True, mode=mode)
        np.testing.assert_allclose(got, align.right, atol=1e-9)
        gh, gw = trace.grid
        if gh != gw:  # one sampling ratio for both axes cannot hold this grid
            continue
        base = loss(roi_align(fm, snapped, stride=s, output_size=size, sampling_ratio=gh, aligned=True, mode=mode), wts)
        h = 1e-6 * s
        for k in range(4):
            fd = (loss(roi_align(fm, moved(snapped, k, h), stride=s, output_size=size, sampling_ratio=gh, aligned=True,
                                 mode=mode), wts) - base) / h
            assert got[k] == pytest.approx(fd, rel=1e-4, abs=1e-6), (k, roi, s, size)
        checked += 1
    assert checked >= 20


def test_warp_words_say_the_exact_derivative_and_the_surrogate():
    fm = np.random.default_rng(5).standard_normal((2, 16, 16))
    got = b.box_gradient("warp", fm, (300.0, 200.0, 180.0, 130.0), stride=32, output_size=3, scheme="article")
    assert got.value == (0.0,) * 4 and any(v != 0 for v in got.surrogate)
    assert "exact derivative by every corner is 0" in got.words
    assert "MNC" in got.words and "surrogate" in got.words
    assert "no gradient reaches the box" not in got.words
    assert b.box_gradient("pool", fm, (300.0, 200.0, 180.0, 130.0), stride=32, output_size=3).surrogate is None


def test_pool_on_a_jump_is_undefined_and_names_the_step():
    rng = np.random.default_rng(12)
    fm = rng.standard_normal((4, 16, 16))
    # The article's RoI has y1 = 192 = 6 cells exactly: a hair higher, it snaps to row 5.
    got = b.box_gradient("pool", fm, ARTICLE_ROI, stride=32, output_size=3, scheme="article")
    L = {d: loss(roi_pool(fm, moved(ARTICLE_ROI, 1, d), stride=32, output_size=3, scheme="article"), 1) for d in (-1e-3, 1e-3)}
    assert got.value[1] is None and got.value[0] == got.value[2] == got.value[3] == 0.0
    assert got.jump[1] == pytest.approx(L[1e-3] - L[-1e-3]) and got.jump[1] != 0
    assert "undefined" in got.words and "y1" in got.words
    # Fast R-CNN's rule: x2 = 496 is 15.5 cells, a half, where rounding flips; also on a float32 map (VGG's).
    for dtype in (np.float32, np.float64):
        got = b.box_gradient("pool", fm.astype(dtype), ARTICLE_ROI, stride=32, output_size=3, scheme="fastrcnn")
        assert got.defined == (True, True, False, True)
        L = [loss(roi_pool(fm, moved(ARTICLE_ROI, 2, d), stride=32, output_size=3, scheme="fastrcnn"), 1) for d in (-1e-3, 1e-3)]
        assert got.jump[2] == pytest.approx(L[1] - L[0], rel=1e-5) and got.jump[2] != 0


# ------------------------------------------------------------ along a slide
def test_slide_pool_derivative_is_zero_with_jumps_where_the_value_steps():
    rng = np.random.default_rng(13)
    fm = rng.standard_normal((3, 16, 16))
    sl = b.derivative_along_slide("pool", fm, ARTICLE_ROI, stride=32, output_size=3, channel=1, bin=(1, 2),
                                  scheme="fastrcnn", steps=41)
    assert np.all(sl.derivative[sl.defined] == 0.0)
    changes = np.nonzero(np.abs(np.diff(sl.values)) > 0)[0]
    assert len(changes) >= 1 and len(sl.jumps) >= len(changes) and all(st != 0 for _, st in sl.jumps)
    for k in changes:  # every step of the value is a listed jump inside that interval, of that size
        hits = [(o, st) for o, st in sl.jumps if sl.offsets[k] <= o <= sl.offsets[k + 1]]
        assert hits and sum(st for _, st in hits) == pytest.approx(sl.values[k + 1] - sl.values[k])


@pytest.mark.parametrize("method", ["align", "prroi"])
def test_slide_derivative_matches_the_slope_of_the_values(method):
    rng = np.random.default_rng(14)
    fm = rng.standard_normal((2, 16, 16))
    opts = {"sampling_ratio": 2} if method == "align" else {}
    sl = b.derivative_along_slide(method, fm, ARTICLE_ROI, stride=32, output_size=3, channel=0, bin=(0, 1),
                                  steps=401, **opts)
    assert sl.defined.all()
    slope = np.diff(sl.values) / (np.diff(sl.offsets) * 32)  # per pixel
    mid = 0.5 * (sl.derivative[:-1] + sl.derivative[1:])
    near_kink = np.array([any(a - 1e-9 <= k <= b_ + 1e-9 for k in sl.kinks) for a, b_ in zip(sl.offsets[:-1], sl.offsets[1:])])
    if method == "align":
        assert len(sl.kinks) >= 1
    # PrRoI's derivative is continuous but bends where a bin edge crosses a cell centre: the chord
    # differs from the mean of the ends there by O(step), hence the looser bound.
    tol = 1e-6 if method == "align" else 2e-5
    np.testing.assert_allclose(slope[~near_kink], mid[~near_kink], rtol=tol, atol=tol)


# ------------------------------------------------------------ bad input
@pytest.mark.parametrize("call,match", [
    (lambda fm: b.feature_gradient("roialign", fm, ARTICLE_ROI, stride=32), "method must be one of"),
    (lambda fm: b.feature_gradient("pool", fm, ARTICLE_ROI, stride=32, aligned=True), "takes the options scheme"),
    (lambda fm: b.box_gradient("prroi", fm, ARTICLE_ROI, stride=32, sampling_ratio=2), "takes the options aligned"),
    (lambda fm: b.feature_gradient("align", fm, (900, 900, 50, 50), stride=32), "outside the"),
    (lambda fm: b.box_gradient("align", fm, (-300, 10, 100, 50), stride=32), "outside the"),
    (lambda fm: b.feature_gradient("pool", fm, ARTICLE_ROI, stride=32, weights=np.ones((3, 3))), "output's shape"),
    (lambda fm: b.box_gradient("prroi", fm, ARTICLE_ROI, stride=32, weights=np.full((2, 3, 3), np.nan)), "NaN"),
    (lambda fm: b.one_hot(2, 3, 2, (0, 0)), "channel must be between 0 and 1"),
    (lambda fm: b.one_hot(2, 3, 0, (3, 0)), r"no bin \(3, 0\)"),
    (lambda fm: b.derivative_along_slide("align", fm, ARTICLE_ROI, stride=32, bin=(0, 5)), "no bin"),
    (lambda fm: b.derivative_along_slide("align", fm, ARTICLE_ROI, stride=32, axis="z"), "'x' or 'y'"),
    (lambda fm: b.feature_gradient("pool", fm, (1, 2, 0, 3), stride=32), "positive width"),
])
def test_bad_input_gets_a_sentence(call, match):
    fm = np.random.default_rng(0).standard_normal((2, 16, 16))
    with pytest.raises(ValueError, match=match):
        call(fm)


def test_empty_bins_send_nothing():
    fm = np.random.default_rng(1).standard_normal((2, 16, 16))
    roi = (40.0, 40.0, 70.0, 70.0)  # 2 x 2 cells at stride 32: the article's 3 x 3 split has no cells
    assert roi_pool(fm, roi, stride=32, output_size=3).empty_bins.all()
    assert not b.feature_gradient("pool", fm, roi, stride=32, output_size=3, scheme="article").any()
    thin = (40.0, 40.0, 20.0, 70.0)  # under a cell wide: RoIWarp snaps it to no cells at all
    assert roi_warp(fm, thin, stride=32, output_size=3).grid == (0, 0)
    assert not b.feature_gradient("warp", fm, thin, stride=32, output_size=3, scheme="article").any()
    assert b.box_gradient("pool", fm, roi, stride=32, output_size=3).value == (0.0,) * 4


def test_share_reached_tells_pooling_from_the_smooth_methods():
    fm = np.random.default_rng(2).standard_normal((8, 16, 16))
    shares = {m: b.share_reached(b.feature_gradient(m, fm, ARTICLE_ROI, stride=32, output_size=3), ARTICLE_ROI,
                                 stride=32, channel=0) for m in ("pool", "align", "prroi")}
    # RoI pooling: 9 arg-max cells at most, of the 7 x 5 cells the RoI touches.
    assert shares["pool"] <= 9 / 35 and shares["prroi"] >= shares["align"] > 2 * shares["pool"]


def test_the_backward_module_imports_no_torch_matplotlib_or_streamlit():
    code = "import sys, roi_viz.study.backward; print(sorted({'torch', 'matplotlib', 'streamlit'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
