"""RoIAlign (Mask R-CNN) and RoIWarp (MNC): read the map *between* cells.

RoI pooling snaps the box to whole cells and loses the fractions. RoIAlign keeps
the box exactly where it is: each bin gets a small grid of sampling points, each
point reads the map by bilinear interpolation of its four nearest cells, and the
bin is the mean (or the maximum) of its points. RoIWarp sits between the two: it
snaps the box to cells as RoI pooling does, then samples it as RoIAlign does.

With ``mode="avg"``, :func:`roi_align` equals ``torchvision.ops.roi_align``
(tested on thousands of random cases), including its float32 arithmetic for
the box and the sampling grid.

Every position in a trace is in *cell coordinates* (cell ``(r, c)`` covers
``[c, c+1) x [r, r+1)``), the same as the projected RoI, so a figure can draw
points and bins straight onto the map. The kernel itself works in value
coordinates, half a cell off; see :mod:`roi_viz.ops.maps`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from . import geometry as g
from .maps import VALUE_TO_CELL, as_numpy_map, bilinear_weights

MODES = ("avg", "max")
MAX_POINTS = 2**16  # sampling points per RoI; keeps one RoI under ~130 MB at 512 channels


@dataclass(frozen=True)
class AlignTrace(g.FractionalBins):
    """Every step of one RoI through RoIAlign (``method="align"``) or RoIWarp (``"warp"``).

    Units: ``roi`` in input-image pixels; everything else in cell coordinates.
    """

    method: str
    stride: float
    output_size: tuple[int, int]
    map_size: tuple[int, int]  # (H, W)
    roi: g.Box  # (x, y, w, h), image pixels
    projected: g.Box  # roi / stride, fractions kept
    aligned: bool  # True: the -0.5 cell shift, so points land where the box is
    sampling_ratio: int  # as asked; <= 0 means adaptive
    grid: tuple[int, int]  # sampling points per bin actually used, (rows, cols)
    mode: str  # "avg" or "max"
    box: g.Box  # the rectangle that is split into bins
    row_edges: np.ndarray  # ph + 1 bin edges along y
    col_edges: np.ndarray  # pw + 1 bin edges along x
    samples: np.ndarray  # ph x pw x n x 2: (y, x) of every sampling point
    valid: np.ndarray  # ph x pw x n: False where a point is over a cell off the map (it reads 0)
    sample_values: np.ndarray = field(repr=False)  # C x ph x pw x n
    output: np.ndarray = field(repr=False)  # C x ph x pw
    region: g.Span | None = None  # RoIWarp: the whole cells the box was snapped to

    @property
    def snapped(self) -> bool:
        """RoIWarp: the box was rounded to whole cells (``region``) before it was sampled."""
        return self.region is not None

    def details(self) -> dict:
        """The numbers of this method beyond the output, JSON-able (the grid and bin 0, 0's points)."""
        return {"sampling": {"ratio": self.sampling_ratio, "grid": list(self.grid), "aligned": self.aligned,
                             "mode": self.mode, "box": list(self.box), "row_edges": self.row_edges.tolist(),
                             "col_edges": self.col_edges.tolist(), "points_bin_0_0": self.samples[0, 0].tolist()}}

    @property
    def points_per_bin(self) -> int:
        return self.grid[0] * self.grid[1]

    def neighbours(self, i: int, j: int, k: int) -> list[tuple[int, int, float]]:
        """``(row, col, weight)`` of the cells that point ``k`` of bin ``(i, j)`` reads, top-left first.

        Four cells inside the map; at its edge a cell may stand for two corners, and is
        listed once with their weights added.
        """
        y, x = self.samples[i, j, k] - VALUE_TO_CELL
        rows, cols, weights, _ = bilinear_weights(y, x, *self.map_size)
        merged: dict[tuple[int, int], float] = {}
        for r, c, w in zip(rows, cols, weights):
            merged[(int(r), int(c))] = merged.get((int(r), int(c)), 0.0) + float(w)
        return [(r, c, w) for (r, c), w in merged.items()]

    def cells_read(self) -> np.ndarray:
        """``H x W`` bool: the cells that some sampling point gives a non-zero weight."""
        y = self.samples[..., 0] - VALUE_TO_CELL
        x = self.samples[..., 1] - VALUE_TO_CELL
        rows, cols, weights, _ = bilinear_weights(y, x, *self.map_size)
        read = np.zeros(self.map_size, dtype=bool)
        read[rows[weights > 0], cols[weights > 0]] = True
        return read


def roi_align(
    feature_map,
    roi: Sequence[float],
    *,
    stride: float,
    output_size: int | tuple[int, int] = (3, 3),
    sampling_ratio: int = 2,
    aligned: bool = False,
    mode: str = "avg",
) -> AlignTrace:
    """RoIAlign: bilinear sampling points in every bin, no rounding anywhere.

    Args:
        feature_map: ``C x H x W`` NumPy array or torch tensor (one image).
        roi: ``(x, y, w, h)`` in pixels of the model-input image, floats allowed,
            each at most 2**24 in size (``geometry.MAX_COORD``).
        stride: image pixels per feature cell.
        output_size: ``(ph, pw)``, or one int for a square output; each from 1 to
            64 (``geometry.MAX_OUTPUT_SIDE``): a trace of more bins is too big to keep.
        sampling_ratio: points per bin along each axis; ``<= 0`` picks
            ``ceil(bin size)`` points per axis (torchvision's adaptive rule).
        aligned: ``False`` is the legacy rule (the box is read half a cell
            off and is at least one cell wide); ``True`` shifts by -0.5 cell
            so the points land inside the box drawn.
        mode: ``"avg"`` (torchvision) or ``"max"`` over the points of a bin.

    Returns:
        An :class:`AlignTrace`; ``trace.output`` is ``C x ph x pw``.

    Limits (the trace keeps every point, so its size is bounded): a sampling
    ratio of at most 64, and at most ``MAX_POINTS`` = 65,536 points per RoI
    (``ph * pw * points per bin``); past that a ``ValueError`` says so.
    torchvision has neither limit because it keeps no trace.
    """
    fm, box, s, size, ratio = _checked(feature_map, roi, stride, output_size, sampling_ratio, mode)
    dt = fm.dtype.type
    # torchvision receives corners in the map's dtype and computes the box in it too.
    x1, y1, x2, y2 = (dt(v) for v in (box[0], box[1], box[0] + box[2], box[1] + box[3]))
    scale, offset = dt(1.0 / s), dt(0.5 if aligned else 0.0)
    start_x, start_y = x1 * scale - offset, y1 * scale - offset
    width, height = x2 * scale - offset - start_x, y2 * scale - offset - start_y
    if not aligned:  # the legacy rule: never narrower than one cell
        width, height = max(width, dt(1.0)), max(height, dt(1.0))
    return _sample(fm, "align", box, s, size, ratio, bool(aligned), mode, (start_x, start_y, width, height), None)


def roi_warp(
    feature_map,
    roi: Sequence[float],
    *,
    stride: float,
    output_size: int | tuple[int, int] = (3, 3),
    sampling_ratio: int = 2,
    mode: str = "max",
    scheme: str = "article",
) -> AlignTrace:
    """RoIWarp: snap the box to whole cells as RoI pooling does, then sample it as RoIAlign does.

    Args are those of :func:`roi_align`, plus ``scheme``, the rounding rule of
    :func:`~roi_viz.roipool.roi_pool` (``"article"`` or ``"fastrcnn"``). The
    snapped cells are sampled with the aligned rule, so the points spread
    evenly over exactly those cells. A box that snaps to no cell gives 0.
    """
    fm, box, s, size, ratio = _checked(feature_map, roi, stride, output_size, sampling_ratio, mode)
    g.check_scheme(scheme)
    region = g.span_of_box(*g.quantize(box, s, scheme, fm.dtype), (int(fm.shape[1]), int(fm.shape[2])))
    r0, r1, c0, c1 = region
    dt = fm.dtype.type
    value_box = (dt(c0 - VALUE_TO_CELL), dt(r0 - VALUE_TO_CELL), dt(max(c1 - c0, 0)), dt(max(r1 - r0, 0)))
    return _sample(fm, "warp", box, s, size, ratio, True, mode, value_box, region, empty=r1 <= r0 or c1 <= c0)


def _sample(fm, method, roi, s, size, ratio, aligned, mode, value_box, region, empty=False) -> AlignTrace:
    """The part RoIAlign and RoIWarp share: a grid of points per bin, read bilinearly, pooled."""
    start_x, start_y, width, height = value_box
    dt = fm.dtype.type
    ph, pw = size
    bin_h, bin_w = height / dt(ph), width / dt(pw)
    gh = ratio if ratio > 0 else int(math.ceil(height / dt(ph)))
    gw = ratio if ratio > 0 else int(math.ceil(width / dt(pw)))
    if empty:  # RoIWarp's box snapped to no cells: there is nothing to sample
        gh = gw = 0
    if ph * pw * gh * gw > MAX_POINTS:
        raise ValueError(
            f"This RoI would need {gh} x {gw} sampling points in each of the {ph} x {pw} bins, "
            f"more than {MAX_POINTS:,} in all: draw a smaller RoI or set a sampling ratio."
        )
    # Point (iy, ix) of bin (i, j) sits at the centre of its sub-cell, in the kernel's float order.
    iy = (np.arange(gh, dtype=fm.dtype) + dt(0.5)) * bin_h / dt(max(gh, 1))
    ix = (np.arange(gw, dtype=fm.dtype) + dt(0.5)) * bin_w / dt(max(gw, 1))
    ys = start_y + np.arange(ph, dtype=fm.dtype)[:, None] * bin_h + iy[None, :]  # ph x gh
    xs = start_x + np.arange(pw, dtype=fm.dtype)[:, None] * bin_w + ix[None, :]  # pw x gw
    y = np.broadcast_to(ys[:, None, :, None], (ph, pw, gh, gw)).reshape(ph, pw, gh * gw)
    x = np.broadcast_to(xs[None, :, None, :], (ph, pw, gh, gw)).reshape(ph, pw, gh * gw)
    rows, cols, weights, valid = bilinear_weights(y, x, fm.shape[1], fm.shape[2])
    values = (fm[:, rows, cols] * weights.astype(fm.dtype)).sum(axis=-1)  # C x ph x pw x n
    n = gh * gw
    if n == 0:
        output = np.zeros((fm.shape[0], ph, pw), dtype=fm.dtype)
    elif mode == "avg":
        output = values.sum(axis=-1) / dt(n)
    else:
        output = values.max(axis=-1)
    shift = VALUE_TO_CELL
    return AlignTrace(
        method=method,
        stride=s,
        output_size=size,
        map_size=(int(fm.shape[1]), int(fm.shape[2])),
        roi=roi,
        projected=g.project(roi, s),
        aligned=aligned,
        sampling_ratio=ratio,
        grid=(gh, gw),
        mode=mode,
        box=(float(start_x) + shift, float(start_y) + shift, float(width), float(height)),
        row_edges=float(start_y) + shift + np.arange(ph + 1) * float(bin_h),
        col_edges=float(start_x) + shift + np.arange(pw + 1) * float(bin_w),
        samples=np.stack([y, x], axis=-1).astype(np.float64) + shift,
        valid=valid,
        sample_values=values,
        output=output.astype(fm.dtype),
        region=region,
    )


def _checked(feature_map, roi, stride, output_size, sampling_ratio, mode):
    """The inputs RoIAlign and RoIWarp share, checked: ``(map, roi, stride, (ph, pw), ratio)``."""
    fm = as_numpy_map(feature_map)
    box = g.check_roi(roi)
    s = g.check_stride(stride)
    size = g.check_output_size(output_size)
    ratio = _check_ratio(sampling_ratio)
    _check_mode(mode)
    return fm, box, s, size, ratio


def _check_ratio(sampling_ratio) -> int:
    try:
        ratio = int(sampling_ratio)
    except (TypeError, ValueError, OverflowError):  # OverflowError: int(inf)
        raise ValueError(f"The sampling ratio must be a whole number; got {sampling_ratio!r}.") from None
    if ratio != sampling_ratio:
        raise ValueError(f"The sampling ratio must be a whole number; got {sampling_ratio!r}.")
    if ratio > 64:
        raise ValueError(f"A sampling ratio of {ratio} means {ratio * ratio} points per bin: use 64 or fewer.")
    return ratio


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"The mode must be 'avg' (the mean of the points) or 'max'; got {mode!r}.")
