"""A feature map two ways: a grid of cells, and a continuous surface through them.

RoI pooling reads whole cells. RoIAlign, RoIWarp and Precise RoI Pooling read
the map *between* cells, so they need the map as a surface: here it is the
bilinear interpolation of the cell values, exactly as ``torchvision.ops.roi_align``
builds it.

Two coordinate systems meet here, and mixing them up is the classic bug:

- **Cell coordinates** (the rest of ``roi_viz``): cell ``(r, c)`` covers
  ``[c, c+1) x [r, r+1)``; its centre is ``(c + 0.5, r + 0.5)``.
- **Value coordinates** (inside the kernels): the value of cell ``(r, c)``
  sits at the point ``(c, r)``. So a point at value coordinate ``v`` lies at
  cell coordinate ``v + 0.5``. :data:`VALUE_TO_CELL` is that half cell.

Beyond the outermost cell values the two surfaces differ, and each method keeps
its authors' rule: torchvision's sampling holds the edge value for one more
cell (a point in ``[-1, 0]`` reads the edge cell) and gives 0 past that;
Precise RoI Pooling lets the surface fall linearly to 0 over that cell.
"""
from __future__ import annotations

import numpy as np

VALUE_TO_CELL = 0.5  # cell coordinate = value coordinate + 0.5


def as_numpy_map(feature_map) -> np.ndarray:
    """A ``C x H x W`` float array from a NumPy array or a torch tensor (no copy if possible).

    Whole numbers become float32. A half-precision tensor (bfloat16, float16),
    which NumPy cannot hold or which loses the kernels' precision, is read as
    float32. Complex numbers, text and objects are refused with a sentence.
    """
    if hasattr(feature_map, "detach"):  # a torch tensor; avoids importing torch here
        t = feature_map.detach().cpu()
        if t.is_floating_point() and t.element_size() < 4:
            t = t.float()
        feature_map = t.numpy()
    fm = np.asarray(feature_map)
    if fm.dtype == np.float16:
        fm = fm.astype(np.float32)
    if not (np.issubdtype(fm.dtype, np.floating) or np.issubdtype(fm.dtype, np.integer)
            or fm.dtype == np.bool_):
        raise ValueError(f"The feature map must hold real numbers; got values of type {fm.dtype}.")
    if fm.ndim != 3:
        raise ValueError(
            f"The feature map must have three axes (channels x height x width); "
            f"got shape {tuple(fm.shape)}."
        )
    if 0 in fm.shape:
        raise ValueError(f"The feature map is empty: shape {tuple(fm.shape)}.")
    if not np.issubdtype(fm.dtype, np.floating):
        fm = fm.astype(np.float32)
    if not np.isfinite(fm).all():
        raise ValueError("The feature map contains NaN or infinity.")
    return fm


def bilinear_weights(y, x, height: int, width: int):
    """The four cells a point reads, and how much of each, by torchvision's rules.

    Args:
        y, x: arrays of the same shape, in *value* coordinates.
        height, width: the map's ``H`` and ``W``.

    Returns:
        ``rows, cols, weights`` each of shape ``(..., 4)`` (the corners in the
        order top-left, top-right, bottom-left, bottom-right) and ``valid``
        of shape ``(...)``. The weights of a point sum to 1, or are all 0 for a
        point more than one cell off the map (``valid`` False).
    """
    y = np.asarray(y, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    valid = ~((y < -1.0) | (y > height) | (x < -1.0) | (x > width))
    y = np.maximum(y, 0.0)  # the margin [-1, 0] reads the edge cell
    x = np.maximum(x, 0.0)
    rows_lo, rows_hi, y = _low_high(y, height)
    cols_lo, cols_hi, x = _low_high(x, width)
    ly, lx = y - rows_lo, x - cols_lo
    hy, hx = 1.0 - ly, 1.0 - lx
    weights = np.stack([hy * hx, hy * lx, ly * hx, ly * lx], axis=-1) * valid[..., None]
    rows = np.stack([rows_lo, rows_lo, rows_hi, rows_hi], axis=-1)
    cols = np.stack([cols_lo, cols_hi, cols_lo, cols_hi], axis=-1)
    return rows, cols, weights, valid


def _low_high(v: np.ndarray, n: int):
    """The lattice points either side of ``v``; past the last one, both are the last one."""
    low = np.floor(v).astype(np.int64)
    last = low >= n - 1
    low = np.where(last, n - 1, low)
    high = np.where(last, n - 1, low + 1)
    v = np.where(last, low.astype(np.float64), v)
    return low, high, v


def interpolate(fm: np.ndarray, y, x) -> np.ndarray:
    """Bilinear values of every channel at points ``(y, x)`` (value coordinates): ``C x ...``."""
    rows, cols, weights, _ = bilinear_weights(y, x, fm.shape[1], fm.shape[2])
    return (fm[:, rows, cols] * weights).sum(axis=-1)


def _hat_antiderivative(t: np.ndarray) -> np.ndarray:
    """The integral of the hat ``max(0, 1 - |u|)`` from ``-inf`` to ``t``."""
    t = np.clip(t, -1.0, 1.0)
    return np.where(t < 0, 0.5 * (t + 1.0) ** 2, 1.0 - 0.5 * (1.0 - t) ** 2)


def hat_integrals(a: float, b: float, n: int) -> np.ndarray:
    """``n`` weights: the integral over ``[a, b]`` of the hat centred on each of ``0 .. n-1``.

    The bilinear surface is a sum of hats, one per cell,
    ``f(x, y) = sum_rc v[r, c] * hat(x - c) * hat(y - r)``, so its exact
    integral over a rectangle is ``wy @ v @ wx`` with these weights on each
    axis. That is all Precise RoI Pooling needs: no sampling points. (This is
    the PrRoI surface: zero beyond the map, falling to it linearly.)
    """
    centres = np.arange(n, dtype=np.float64)
    return _hat_antiderivative(b - centres) - _hat_antiderivative(a - centres)
