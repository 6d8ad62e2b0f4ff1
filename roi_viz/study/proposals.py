"""Every proposal at once: where Fast R-CNN's RoIs come from, and what snapping costs over all of them.

A real Fast R-CNN does not pool one box drawn by hand: it pools the couple of
thousand boxes that selective search proposes for each image. This module gets
those boxes and computes, for all of them at once, the numbers that
:func:`roi_viz.ops.roi_pool` computes for one:

- :func:`selective_search`: OpenCV's selective search, ``K x 4`` boxes ``(x, y, w, h)``;
- :func:`geometry`: projection, snapping, bins and coverage of all ``K`` boxes,
  vectorized, equal number for number to the per-box trace;
- :func:`coverage_by_method`: what share of each box reaches the output under
  RoI pooling (both rules), RoIWarp, and RoIAlign / PrRoI;
- :func:`pool_all`: the pooled values of all boxes in one torchvision call;
- :func:`to_csv`: the per-proposal table;
- :func:`map_size`, :func:`short_sides`, :func:`too_small`: what decides the
  shares at a setting (the map a layer gives, each box's shorter side, the
  boxes too small for the article's rule to give each bin a cell).
- :func:`pyramid_loss`: each box's FPN level (P2..P5) and the same loss measured
  at its own level's stride, beside all boxes at VGG16's pool5 and conv5_3.

Coordinate conventions are those of :mod:`roi_viz.ops.geometry` (and of
``torchvision.ops``): a box is ``(x, y, w, h)`` in pixels of the model input;
the feature map is ``H x W`` cells with stride ``s``; cell ``(r, c)`` covers
pixels ``[c*s, (c+1)*s) x [r*s, (r+1)*s)``; a span is half-open
``(row0, row1, col0, col1)``.

NumPy only at import time: OpenCV is imported inside :func:`selective_search`
and torch inside :func:`pool_all`, so importing this module costs nothing.
"""
from __future__ import annotations

import csv
import io
import threading
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..methods import METHODS, POOL
from ..model.layers import LAYERS
from ..ops import geometry as g

MODES = ("fast", "quality")
MIN_SIDE = 8  # pixels: below this the segmentation has nothing to group
RANK_SEED = 0


def pool_methods() -> tuple[str, ...]:
    """The method keys :func:`pool_all` takes: those whose record names a torchvision function (``batched``)."""
    return tuple(k for k, m in METHODS.items() if m.batched)


POOL_METHODS = pool_methods()  # the built-in records' (a method registered later: call pool_methods())

# OpenCV ranks its regions with C's global rand(); the lock keeps two page
# sessions from drawing from it at the same time, which would shuffle both.
_SEARCH_LOCK = threading.Lock()


# ------------------------------------------------------------------ selective search
def selective_search(image, *, mode: str = "fast", max_count: int | None = 2000) -> np.ndarray:
    """Object proposals for one image, as Fast R-CNN took them (Uijlings et al., 2013).

    Args:
        image: ``H x W x 3`` uint8 RGB array (the model input, e.g. 512 x 512),
            or a PIL image (converted to RGB).
        mode: ``"fast"`` (what Fast R-CNN used, about 2,000 boxes per image) or
            ``"quality"`` (more segmentations and strategies: more boxes, slower).
        max_count: keep at most this many boxes, the best ranked first; ``None`` keeps all.

    Returns:
        ``K x 4`` float64 array of ``(x, y, w, h)`` in that image's pixels,
        every box inside the image with ``w, h >= 1``. Rows are in selective
        search's rank order: OpenCV gives each grouped region the score
        ``random * level`` (level = how many merges made it, so the first
        segments rank first, with some shuffling) and sorts by it, dropping
        duplicate boxes. The random draws come from C's ``rand()``, which is
        seeded before each run, so the same image gives the same boxes in the
        same order. A flat image is one region: one box, the whole image.

    Raises:
        ValueError: a sentence saying what is wrong: not an RGB uint8 image, a
            side shorter than ``MIN_SIDE`` pixels (a 1-pixel strip), an unknown
            mode, or a maximum count below 1.
    """
    rgb = _check_image(image)
    if mode not in MODES:
        raise ValueError(f"Selective search has two modes, 'fast' and 'quality'; got {mode!r}.")
    if max_count is not None and (
        isinstance(max_count, bool) or not isinstance(max_count, (int, np.integer)) or max_count < 1
    ):
        raise ValueError(f"The maximum number of proposals must be a whole number of at least 1; got {max_count!r}.")

    import cv2  # here, not at import time: it takes a while to load and most pages never need it

    bgr = np.ascontiguousarray(rgb[:, :, ::-1])  # OpenCV's colour order
    with _SEARCH_LOCK:
        _seed_c_rand(RANK_SEED)
        search = cv2.ximgproc.segmentation.createSelectiveSearchSegmentation()
        search.setBaseImage(bgr)
        if mode == "fast":
            search.switchToSelectiveSearchFast()
        else:
            search.switchToSelectiveSearchQuality()
        rects = search.process()
    boxes = np.asarray(rects, dtype=np.float64).reshape(-1, 4)
    boxes = boxes[(boxes[:, 2] > 0) & (boxes[:, 3] > 0)]
    return boxes[:max_count] if max_count is not None else boxes


def _check_image(image) -> np.ndarray:
    if hasattr(image, "convert") and hasattr(image, "size"):  # a PIL image; PIL is not imported here
        image = np.asarray(image.convert("RGB"))
    arr = np.asarray(image) if isinstance(image, np.ndarray) else None
    if arr is None:
        raise ValueError(
            f"Selective search needs an image: an H x W x 3 uint8 RGB array or a PIL image; got {type(image).__name__}."
        )
    if arr.ndim != 3 or arr.shape[2] != 3:
        raise ValueError(
            f"Selective search needs an RGB image of shape H x W x 3; got shape {tuple(arr.shape)}."
        )
    if arr.dtype != np.uint8:
        raise ValueError(
            f"Selective search needs 8-bit pixels (uint8, 0 to 255); got {arr.dtype}."
        )
    h, w = arr.shape[:2]
    if min(h, w) < MIN_SIDE:
        raise ValueError(
            f"The image is {w} x {h} pixels: selective search needs at least {MIN_SIDE} pixels "
            "on each side to find regions."
        )
    return arr


def _seed_c_rand(seed: int) -> None:
    """Seed C's ``rand()``, which OpenCV's ranking draws from (best effort: without it only the order varies)."""
    import ctypes
    import ctypes.util

    for name in (None, ctypes.util.find_library("c"), "msvcrt"):
        try:
            ctypes.CDLL(name).srand(seed)
            return
        except (OSError, AttributeError, TypeError):
            continue


# ------------------------------------------------------------------------- checks
def check_boxes(boxes) -> np.ndarray:
    """``boxes`` as a ``K x 4`` float64 array ``(x, y, w, h)``, or a ``ValueError`` saying what is wrong.

    ``K = 0`` is allowed (an empty proposal set).
    """
    try:
        arr = np.asarray(boxes, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("The boxes must be numbers: a K x 4 array of (x, y, w, h).") from None
    if arr.size == 0:
        return arr.reshape(0, 4)
    if arr.ndim != 2 or arr.shape[1] != 4:
        raise ValueError(f"The boxes must be a K x 4 array of (x, y, w, h); got shape {tuple(arr.shape)}.")
    bad = ~np.isfinite(arr).all(axis=1)
    if bad.any():
        raise ValueError(f"Box {int(np.argmax(bad))} contains NaN or infinity.")
    bad = (arr[:, 2] <= 0) | (arr[:, 3] <= 0)
    if bad.any():
        k = int(np.argmax(bad))
        raise ValueError(
            f"Every box must have a positive width and height; box {k} has w={arr[k, 2]:g}, h={arr[k, 3]:g}."
        )
    return arr


def _check_map_size(map_size) -> tuple[int, int]:
    try:
        H, W = map_size
    except (TypeError, ValueError):
        raise ValueError(f"The map size is two numbers (rows, columns); got {map_size!r}.") from None
    for v in (H, W):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"The map size must be two whole numbers of at least 1; got {map_size!r}.")
    return int(H), int(W)


# ----------------------------------------------------------------------- geometry
@dataclass(frozen=True)
class ProposalGeometry:
    """RoI pooling's arithmetic for ``K`` boxes, one row per box.

    Fields carry the names of :class:`roi_viz.ops.roipool.PoolTrace` and equal
    its numbers exactly, box by box. Units: cells. ``region`` is a half-open
    span ``(row0, row1, col0, col1)`` clipped to the map; ``quantized`` is
    ``(x, y, w, h)`` in whole cells before clipping.
    """

    scheme: str
    stride: float
    output_size: tuple[int, int]
    map_size: tuple[int, int]
    projected: np.ndarray  # K x 4 float64, boxes / stride
    quantized: np.ndarray  # K x 4 int64
    region: np.ndarray  # K x 4 int64 spans
    projected_area: np.ndarray  # K float64
    region_area: np.ndarray  # K int64
    overlap_area: np.ndarray  # K float64: projected box inside the region
    covered_area: np.ndarray  # K float64: projected box inside some bin
    empty_bins: np.ndarray  # K int64: bins with no cells (output 0)
    dropped_cells: np.ndarray  # K int64: region cells that no bin reads

    @property
    def count(self) -> int:
        return int(self.projected.shape[0])

    @property
    def lost_area(self) -> np.ndarray:
        """Projected area left outside the snapped region."""
        return self.projected_area - self.overlap_area

    @property
    def gained_area(self) -> np.ndarray:
        """Region area the projected box never covered."""
        return self.region_area - self.overlap_area

    @property
    def coverage(self) -> np.ndarray:
        """Share of each projected box inside some bin, in [0, 1]: what can reach the output."""
        area = self.projected_area
        return np.divide(self.covered_area, area, out=np.zeros_like(area), where=area > 0)

    @property
    def all_empty(self) -> np.ndarray:
        """K bool: every bin is empty, so the output is all zeros."""
        return self.empty_bins == self.output_size[0] * self.output_size[1]


def geometry(
    boxes,
    *,
    map_size: tuple[int, int],
    stride: float,
    output_size: int | tuple[int, int] = (3, 3),
    scheme: str = "article",
    dtype=np.float32,
) -> ProposalGeometry:
    """Project, snap, split and measure ``K`` boxes at once, as :func:`roi_viz.ops.roi_pool` does one.

    Args:
        boxes: ``K x 4`` ``(x, y, w, h)`` in model-input pixels (floats allowed).
        map_size: ``(H, W)`` of the feature map, in cells.
        stride: image pixels per cell (32 at pool5, 16 at conv5_3).
        output_size: ``(ph, pw)``, or one int for a square output.
        scheme: ``"article"`` (round everything down, drop what the split leaves
            over) or ``"fastrcnn"`` (Fast R-CNN's code: corners rounded half away
            from zero, end cell included, overlapping bins).
        dtype: the feature map's float type; Fast R-CNN's rule rounds in it, as
            the kernel does (float32 for VGG16's maps).

    Returns:
        A :class:`ProposalGeometry`. The work is a handful of array operations
        per output row and column, so thousands of boxes take milliseconds.
    """
    b = check_boxes(boxes)
    H, W = _check_map_size(map_size)
    s = g.check_stride(stride)
    ph, pw = g.check_output_size(output_size)
    g.check_scheme(scheme)
    dt = np.float64 if np.dtype(dtype) == np.float64 else np.float32

    projected = b / s
    if scheme == "article":
        quantized = np.floor(projected).astype(np.int64)
    else:
        quantized = _quantize_fastrcnn(b, s, dt)
    qx, qy, qw, qh = quantized.T
    r0, r1 = np.clip(qy, 0, H), np.clip(qy + qh, 0, H)
    c0, c1 = np.clip(qx, 0, W), np.clip(qx + qw, 0, W)
    region = np.stack([r0, r1, c0, c1], axis=1)

    if scheme == "article":
        row_lo, row_hi = _article_edges(r0, r1, ph)
        col_lo, col_hi = _article_edges(c0, c1, pw)
    else:
        row_lo, row_hi = _fastrcnn_edges(qy, qh, ph, H, dt)
        col_lo, col_hi = _fastrcnn_edges(qx, qw, pw, W, dt)

    px, py, pww, phh = projected.T
    projected_area = np.maximum(pww, 0.0) * np.maximum(phh, 0.0)
    region_area = np.maximum(r1 - r0, 0) * np.maximum(c1 - c0, 0)
    overlap_area = _intersection_area(
        projected, c0.astype(np.float64), r0.astype(np.float64),
        np.maximum(c1 - c0, 0).astype(np.float64), np.maximum(r1 - r0, 0).astype(np.float64),
    )
    # The bins form a grid, so what they cover is (rows covered) x (columns covered).
    covered_area = (
        np.minimum(_union_length(row_lo, row_hi, py, py + phh), phh)
        * np.minimum(_union_length(col_lo, col_hi, px, px + pww), pww)
    )
    rows_read = _union_length(row_lo, row_hi, r0, r1).astype(np.int64)
    cols_read = _union_length(col_lo, col_hi, c0, c1).astype(np.int64)
    full_rows = (row_hi > row_lo).sum(axis=1)
    full_cols = (col_hi > col_lo).sum(axis=1)
    return ProposalGeometry(
        scheme=scheme,
        stride=s,
        output_size=(ph, pw),
        map_size=(H, W),
        projected=projected,
        quantized=quantized,
        region=region,
        projected_area=projected_area,
        region_area=region_area,
        overlap_area=overlap_area,
        covered_area=covered_area,
        empty_bins=ph * pw - full_rows * full_cols,
        dropped_cells=region_area - rows_read * cols_read,
    )


def _quantize_fastrcnn(boxes: np.ndarray, stride: float, dt) -> np.ndarray:
    """Corners to the nearest cell, halves away from zero, in the map's float type (see ``geometry.quantize_fastrcnn``)."""
    scale = dt(1.0 / stride)
    x1, y1 = boxes[:, 0].astype(dt), boxes[:, 1].astype(dt)
    # The kernel receives corners, so x + w is formed before the cast, as in the per-box rule.
    x2, y2 = (boxes[:, 0] + boxes[:, 2]).astype(dt), (boxes[:, 1] + boxes[:, 3]).astype(dt)

    def round_half_away(v):
        v = v.astype(np.float64)
        return np.copysign(np.floor(np.abs(v) + 0.5), v).astype(np.int64)

    sx, sy = round_half_away(x1 * scale), round_half_away(y1 * scale)
    ex, ey = round_half_away(x2 * scale), round_half_away(y2 * scale)
    return np.stack([sx, sy, np.maximum(ex - sx + 1, 1), np.maximum(ey - sy + 1, 1)], axis=1)


def _article_edges(lo: np.ndarray, hi: np.ndarray, p: int) -> tuple[np.ndarray, np.ndarray]:
    """K x p bin starts and ends: equal bins of ``floor(size / p)`` cells from ``lo``."""
    size = np.maximum(hi - lo, 0) // p
    i = np.arange(p)
    return lo[:, None] + i * size[:, None], lo[:, None] + (i + 1) * size[:, None]


def _fastrcnn_edges(start, size, p: int, limit: int, dt) -> tuple[np.ndarray, np.ndarray]:
    """K x p bin starts and ends: ``start + floor(i*b)`` to ``start + ceil((i+1)*b)``, ``b = size / p`` in ``dt``, clipped."""
    b = size.astype(dt) / dt(p)
    i = np.arange(p + 1, dtype=dt)
    edges = i[None, :] * b[:, None]  # the same float products as the per-box rule
    lo = np.floor(edges[:, :-1]).astype(np.int64) + start[:, None]
    hi = np.ceil(edges[:, 1:]).astype(np.int64) + start[:, None]
    return np.clip(lo, 0, limit), np.clip(hi, 0, limit)


def _intersection_area(projected: np.ndarray, bx, by, bw, bh) -> np.ndarray:
    """``geometry.intersection_area`` for K pairs, with the same operations in the same order."""
    ax, ay, aw, ah = projected.T
    ox = np.maximum(0.0, np.minimum(ax + aw, bx + bw) - np.maximum(ax, bx))
    oy = np.maximum(0.0, np.minimum(ay + ah, by + bh) - np.maximum(ay, by))
    ox = np.minimum(np.minimum(ox, aw), bw)
    oy = np.minimum(np.minimum(oy, ah), bh)
    return ox * oy


def _union_length(lo: np.ndarray, hi: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Length of ``[a, b)`` covered by the K rows of intervals ``[lo, hi)``, each row sorted by start.

    The same sweep as ``geometry._union_length``, piece by piece, so the float
    sums round exactly as the per-box trace's do. Empty intervals add nothing.
    """
    covered = np.zeros(lo.shape[0], dtype=np.result_type(lo, a, np.float64))
    reach = np.asarray(a, dtype=covered.dtype).copy()
    for j in range(lo.shape[1]):
        start = np.maximum(lo[:, j], reach)
        end = np.minimum(hi[:, j], b)
        take = end > start
        covered = np.where(take, covered + (end - start), covered)
        reach = np.where(take, end, reach)
    return covered


# ------------------------------------------------------------ coverage by method
def coverage_methods() -> tuple[str, ...]:
    """The keys of :func:`coverage_by_method`, from the records: a method that snaps to cells once per rounding
    rule (``"<key>-<scheme>"``), first; every other method once (``"<key>"``)."""
    snapping = [f"{k}-{scheme}" for k, m in METHODS.items() if m.snaps_to_cells for scheme in g.SCHEMES]
    return (*snapping, *(k for k, m in METHODS.items() if not m.snaps_to_cells))


COVERAGE_METHODS = coverage_methods()  # the built-in records' (a method registered later: call coverage_methods())


def coverage_by_method(
    boxes,
    *,
    map_size: tuple[int, int],
    stride: float,
    output_size: int | tuple[int, int] = (3, 3),
    dtype=np.float32,
) -> dict[str, np.ndarray]:
    """Share of each box's area that can reach the output, per method (:func:`coverage_methods`), K each.

    Each method's share follows from its record's traits:

    - whole-cell bins (RoI pooling), per rounding rule: :attr:`ProposalGeometry.coverage`,
      lost to snapping and, under the article's rule, to the split's leftover rows and columns;
    - snapped, then sampled (RoIWarp), per rounding rule: it samples the whole snapped
      region, so the split drops nothing: ``overlap_area / projected_area`` (equal to
      ``roi_warp``'s trace coverage);
    - nothing snapped (RoIAlign, PrRoI): what they lose is the part of the box off the
      feature map (past the image's last whole cell), where they read zeros; this is the
      share inside the map. RoIAlign also reads the map only at its sampling points: see
      :func:`align_density`.
    """
    b = check_boxes(boxes)
    H, W = _check_map_size(map_size)
    cut: dict[str, np.ndarray] = {}  # by rounding rule: the share reaching a bin of whole cells
    snapped: dict[str, np.ndarray] = {}  # by rounding rule: the share inside the snapped cells
    for scheme in g.SCHEMES:
        geo = geometry(b, map_size=(H, W), stride=stride, output_size=output_size, scheme=scheme, dtype=dtype)
        cut[scheme] = geo.coverage
        area = geo.projected_area
        snapped[scheme] = np.divide(geo.overlap_area, area, out=np.zeros_like(area), where=area > 0)
    projected = b / g.check_stride(stride)
    area = projected[:, 2] * projected[:, 3]
    inside = _intersection_area(projected, 0.0, 0.0, float(W), float(H))
    free = np.divide(inside, area, out=np.zeros_like(area), where=area > 0)
    out: dict[str, np.ndarray] = {}
    for k, m in METHODS.items():
        if m.snaps_to_cells:
            for scheme in g.SCHEMES:
                out[f"{k}-{scheme}"] = (cut if m.whole_cell_bins else snapped)[scheme]
        else:
            out[k] = free
    return {name: out[name] for name in coverage_methods()}


def align_density(boxes, *, stride: float, output_size: int | tuple[int, int] = (3, 3),
                  sampling_ratio: int = 2) -> np.ndarray:
    """RoIAlign's sampling points per square cell of each box (K), ``aligned=True``.

    With a fixed ratio a large box is read at few points per cell: below about
    one point per cell some of its cells are read by no point (each point
    reads its four nearest cells). ``sampling_ratio <= 0`` is torchvision's
    adaptive rule, ``ceil(bin size)`` points per axis, which keeps the density
    at one or more.
    """
    b = check_boxes(boxes)
    ph, pw = g.check_output_size(output_size)
    projected = b / g.check_stride(stride)
    bin_w, bin_h = projected[:, 2] / pw, projected[:, 3] / ph
    if sampling_ratio > 0:
        gh = gw = np.full(len(b), float(sampling_ratio))
    else:
        gh, gw = np.ceil(bin_h), np.ceil(bin_w)
    return (gh * gw) / (bin_h * bin_w)


# ------------------------------------------------------------------------ pooling
def pool_all(
    feature_map,
    boxes,
    *,
    stride: float,
    output_size: int | tuple[int, int] = (3, 3),
    method: str = POOL,
    sampling_ratio: int = 2,
    aligned: bool = False,
) -> np.ndarray:
    """Pool every box in one call of ``torchvision.ops.roi_pool`` or ``roi_align`` (the record's ``batched``).

    Args:
        feature_map: ``C x H x W`` (or ``1 x C x H x W``) NumPy array or torch
            tensor. A CUDA tensor is pooled on its GPU.
        boxes: ``K x 4`` ``(x, y, w, h)`` in model-input pixels.
        stride: image pixels per cell; ``spatial_scale = 1 / stride``.
        output_size: ``(ph, pw)`` or one int.
        method: a key of :func:`pool_methods`: RoI pooling under Fast R-CNN's rule
            (torchvision has no other), or RoIAlign (mean of the points).
        sampling_ratio, aligned: RoIAlign's options, as in torchvision.

    Returns:
        ``K x C x ph x pw`` NumPy array in the map's dtype. All outputs are held
        at once: 2,000 boxes x 512 channels x 7 x 7 in float32 is 200 MB.
    """
    import torch
    from torchvision.ops import roi_align, roi_pool

    if method not in pool_methods():
        offered = ", ".join(f"{k!r} ({METHODS[k].name})" for k in pool_methods())
        raise ValueError(f"Pool with one of {offered}; got {method!r}.")
    b = check_boxes(boxes)
    s = g.check_stride(stride)
    size = g.check_output_size(output_size)
    fm = feature_map if isinstance(feature_map, torch.Tensor) else torch.from_numpy(np.asarray(feature_map))
    if fm.ndim == 4 and fm.shape[0] == 1:
        fm = fm[0]
    if fm.ndim != 3 or 0 in fm.shape:
        raise ValueError(
            f"The feature map must be C x H x W (one image); got shape {tuple(fm.shape)}."
        )
    if not fm.is_floating_point():
        fm = fm.float()
    C = int(fm.shape[0])
    if len(b) == 0:
        return np.zeros((0, C, *size), dtype=fm.cpu().numpy().dtype)
    corners = np.concatenate([np.zeros((len(b), 1)), b[:, :2], b[:, :2] + b[:, 2:]], axis=1)
    rois = torch.from_numpy(corners).to(dtype=fm.dtype, device=fm.device)
    with torch.no_grad():
        if METHODS[method].batched == "roi_pool":  # the one snapping op torchvision has: Fast R-CNN's RoI pooling
            out = roi_pool(fm[None], rois, size, spatial_scale=1.0 / s)
        else:
            out = roi_align(fm[None], rois, size, spatial_scale=1.0 / s,
                            sampling_ratio=sampling_ratio, aligned=aligned)
    return out.cpu().numpy()


# -------------------------------------------------------------------------- table
CSV_COLUMNS = (
    "index", "x", "y", "w", "h",
    "projected_x", "projected_y", "projected_w", "projected_h",
    "quantized_x", "quantized_y", "quantized_w", "quantized_h",
    "region_row0", "region_row1", "region_col0", "region_col1",
    "projected_area", "region_area", "overlap_area", "lost_area", "gained_area",
    "covered_area", "coverage", "empty_bins", "dropped_cells", "all_empty",
)


def to_csv(boxes, geo: ProposalGeometry) -> str:
    """One row per proposal (in ``boxes``' order): the box in pixels and its numbers in cells.

    Floats are written with Python's shortest exact form, so reading the table
    back gives the same numbers.
    """
    b = check_boxes(boxes)
    if len(b) != geo.count:
        raise ValueError(f"There are {len(b)} boxes but the geometry has {geo.count} rows.")
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(CSV_COLUMNS)
    columns = (
        b, geo.projected, geo.quantized, geo.region,
        geo.projected_area[:, None], geo.region_area[:, None], geo.overlap_area[:, None],
        geo.lost_area[:, None], geo.gained_area[:, None], geo.covered_area[:, None],
        geo.coverage[:, None], geo.empty_bins[:, None], geo.dropped_cells[:, None],
    )
    all_empty = geo.all_empty
    for k in range(len(b)):
        row: list = [k]
        for col in columns:
            row.extend(v.item() for v in col[k])
        row.append(int(all_empty[k]))
        out.writerow(row)
    return buf.getvalue()


def map_size(image_size: tuple[int, int], stride: int) -> tuple[int, int]:
    """``(H, W)`` of VGG16's map at ``stride`` for an input of ``image_size = (width, height)`` pixels.

    Its 3 x 3 convolutions keep the size and each 2 x 2 pool floors half of it,
    so ``k`` pools give ``n // 2**k`` cells: ``height // stride`` rows.
    """
    try:
        w, h = (int(v) for v in image_size)
    except (TypeError, ValueError):
        raise ValueError(f"The image size is two whole numbers (width, height); got {image_size!r}.") from None
    s = g.check_stride(stride)
    if not s.is_integer():
        raise ValueError(f"VGG16's strides are whole numbers of pixels (16, 32); got {stride!r}.")
    s = int(s)
    if min(w, h) < s:
        raise ValueError(f"An input of {w} x {h} pixels is smaller than one cell of stride {s}.")
    return h // s, w // s


def short_sides(boxes) -> np.ndarray:
    """K: each box's shorter side, ``min(w, h)``, in pixels of the model input."""
    b = check_boxes(boxes)
    return np.minimum(b[:, 2], b[:, 3])


def too_small(boxes, *, stride: float, output_size: int | tuple[int, int]) -> np.ndarray:
    """K bool: the article's rule gives such a box no whole cell per bin on some side.

    It floors the width and height to whole cells, ``floor(w / s)``, and gives
    each of ``pw`` bins ``floor(cells / pw)`` of them: a box narrower than
    ``pw`` cells (or lower than ``ph``) has bins of no cell, so every bin is
    empty and its output all zeros, whatever the photo shows. (Inside the map,
    this is exactly :attr:`ProposalGeometry.all_empty` under that rule.)
    """
    b = check_boxes(boxes)
    s = g.check_stride(stride)
    ph, pw = g.check_output_size(output_size)
    return (np.floor(b[:, 2] / s) < pw) | (np.floor(b[:, 3] / s) < ph)


def summary(geo: ProposalGeometry) -> dict[str, float]:
    """A few shares over all proposals, for the words under the figures."""
    k = geo.count
    if k == 0:
        return {"count": 0}
    cov = geo.coverage
    return {
        "count": k,
        "mean_coverage": float(cov.mean()),
        "median_coverage": float(np.median(cov)),
        "share_below_half": float((cov < 0.5).mean()),
        "share_with_empty_bins": float((geo.empty_bins > 0).mean()),
        "share_all_empty": float(geo.all_empty.mean()),
    }


# ------------------------------------------------------------------ on a feature pyramid
# torchvision's Faster R-CNN pools from P2..P5; level k has stride 2**k px. VGG16's two cuts, for the comparison.
PYRAMID_LEVELS = (2, 3, 4, 5)
VGG_CUTS = tuple((name, LAYERS[name].stride) for name in ("pool5", "conv5_3"))  # (32, 16)


@dataclass(frozen=True)
class Loss:
    """What RoI pooling's rounding does to a group of boxes at one stride (or, for the whole pyramid, each box at
    its own level's stride): the means over the group of each box's shares, and shares of the group.

    ``kept + lost + dropped == 1`` for every box (up to float rounding), so also for the means:
    ``kept`` is :attr:`ProposalGeometry.coverage`, ``lost`` the share of the projected box outside the snapped
    cells (:attr:`ProposalGeometry.lost_area`), ``dropped`` the share inside them that no bin reads.
    ``gained``: the mean area of the snapped cells outside the box, as a share of the box (it passes 1 where a
    small box is snapped to a whole cell, as Fast R-CNN's rule does; it is read as if it were the box).
    ``all_empty``: share of the boxes whose bins are all empty (output all zeros); ``under_cell``: share whose
    shorter side is under one cell of their stride (``min(w, h) < stride``). A group of no box has ``count`` 0
    and every share 0.
    """

    name: str  # "P2" .. "P5", "pyramid", "pool5", "conv5_3"
    stride: int | None  # px per cell; None for the whole pyramid (each box at its own level's)
    count: int
    kept: float
    lost: float
    dropped: float
    gained: float
    all_empty: float
    under_cell: float


@dataclass(frozen=True)
class PyramidLoss:
    """``K`` proposals on a feature pyramid, beside VGG16's cuts, at one pooling setting.

    ``levels`` (``K`` int): each box's level (:func:`roi_viz.ops.fpn_level`); ``by_level``: one :class:`Loss` per
    level of ``PYRAMID_LEVELS``, its boxes measured at its stride; ``pyramid``: all boxes, each at its own level;
    ``cuts``: all boxes at each VGG16 cut's stride (pool5, then conv5_3).
    """

    levels: np.ndarray
    by_level: tuple[Loss, ...]
    pyramid: Loss
    cuts: tuple[Loss, ...]
    output_size: tuple[int, int]
    scheme: str

    @property
    def count(self) -> int:
        return int(self.levels.shape[0])


def _shares(geo: ProposalGeometry) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """K each: the shares of every projected box kept (in some bin), lost (outside the snapped cells),
    dropped (in the snapped cells, in no bin), and the snapped cells' area outside it (gained), per box area."""
    area = geo.projected_area
    kept = geo.coverage
    lost = np.divide(geo.lost_area, area, out=np.zeros_like(area), where=area > 0)
    dropped = np.divide(geo.overlap_area - geo.covered_area, area, out=np.zeros_like(area), where=area > 0)
    gained = np.divide(geo.gained_area, area, out=np.zeros_like(area), where=area > 0)
    return kept, lost, dropped, gained


def _loss(name: str, stride: int | None, kept, lost, dropped, gained, all_empty, under_cell) -> Loss:
    if len(kept) == 0:
        return Loss(name, stride, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    return Loss(name, stride, int(len(kept)), float(np.mean(kept)), float(np.mean(lost)), float(np.mean(dropped)),
                float(np.mean(gained)), float(np.mean(all_empty)), float(np.mean(under_cell)))


def pyramid_loss(boxes, *, image_size: tuple[int, int], output_size: int | tuple[int, int] = (3, 3),
                 scheme: str = "article", dtype=np.float32) -> PyramidLoss:
    """The proposals' levels on a P2..P5 pyramid, and RoI pooling's loss per level beside VGG16's pool5 and conv5_3.

    Args:
        boxes: ``K x 4`` ``(x, y, w, h)`` in model-input pixels.
        image_size: ``(W, H)`` of the model input; each stride's map is :func:`map_size` of it.
        output_size, scheme, dtype: the pooling rule, the page's setting, the same at every stride, so that the
            rows compare like for like: only the stride changes from row to row.

    Returns:
        A :class:`PyramidLoss`. Each box's level is torchvision's ``LevelMapper`` rule (224 px at P4, clamped to
        P2..P5); a box at level ``k`` is measured by :func:`geometry` at stride ``2**k``, exactly as a box drawn
        on that level's map would be. (torchvision pools the levels with RoIAlign, which snaps nothing: this
        measures what the pyramid alone changes for the page's rule.)
    """
    from ..ops.pyramid import fpn_level

    b = check_boxes(boxes)
    size = g.check_output_size(output_size)
    g.check_scheme(scheme)
    k_min, k_max = PYRAMID_LEVELS[0], PYRAMID_LEVELS[-1]
    levels = np.array([fpn_level(w, h, k_min=k_min, k_max=k_max) for w, h in b[:, 2:]], dtype=np.int64)
    short = short_sides(b)

    def at(sel: np.ndarray, stride: int):
        geo = geometry(b[sel], map_size=map_size(image_size, stride), stride=stride, output_size=size,
                       scheme=scheme, dtype=dtype)
        return (*_shares(geo), geo.all_empty, short[sel] < stride)

    # Per box, at its own level's stride: filled level by level.
    own = [np.zeros(len(b)) for _ in range(4)] + [np.zeros(len(b), bool), np.zeros(len(b), bool)]
    by_level = []
    for k in PYRAMID_LEVELS:
        sel = levels == k
        parts = at(sel, 2 ** k)
        for whole, part in zip(own, parts):
            whole[sel] = part
        by_level.append(_loss(f"P{k}", 2 ** k, *parts))
    cuts = tuple(_loss(name, stride, *at(np.ones(len(b), bool), stride)) for name, stride in VGG_CUTS)
    return PyramidLoss(levels, tuple(by_level), _loss("pyramid", None, *own), cuts, size, scheme)
