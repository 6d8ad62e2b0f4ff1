"""Where each output cell really looks: the centre of what a bin reads, against the bin's own centre.

Why Mask R-CNN needed RoIAlign. Bin ``(i, j)`` of a box ``(x, y, w, h)`` split into
``ph x pw`` bins is *meant* to describe the part of the photo around
``(x + (j + 0.5) w / pw, y + (i + 0.5) h / ph)``. What it actually describes is where its
method read the map. That can be found with no trained weights at all: give the method
a map whose cells hold their own position (cell ``(r, c)`` holds ``((c + 0.5) s, (r + 0.5) s)``,
the centre of the input pixels it stands for, at stride ``s``) and pool it. An average
(RoIAlign, PrRoI, RoIWarp's mean) returns the mean position read; a maximum (RoI
pooling, RoIWarp's max) returns the last cell read, and the same maximum of the
*negated* map returns the first, so their midpoint is the centre of the span read:
``(pool(X) - pool(-X)) / 2`` is the centre for both kinds, and no method is asked its name.

RoI pooling's rounding moves a bin by up to half a cell, differently for every bin;
the legacy RoIAlign (``aligned=False``) reads every bin half a cell down and to the
right: 8 px at stride 16, 16 px at stride 32. At stride 4 (FPN's P2) the same half cell
is 2 px. A bin that reaches off the map reads zeros there, which pulls its centre;
a bin that reads nothing has no centre (NaN).

Positions are ``(x, y)`` in input pixels; arrays are ``ph x pw x 2``.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from . import geometry as g


def position_map(map_size: tuple[int, int], stride: float) -> np.ndarray:
    """``5 x H x W`` float64: each cell's centre ``x``, ``y`` in input pixels, their negatives, and ones."""
    H, W = map_size
    s = g.check_stride(stride)
    ys, xs = np.meshgrid((np.arange(H) + 0.5) * s, (np.arange(W) + 0.5) * s, indexing="ij")
    return np.stack([xs, ys, -xs, -ys, np.ones_like(xs)])


def centres_read(pool: Callable[[np.ndarray], np.ndarray], map_size: tuple[int, int], stride: float) -> np.ndarray:
    """Where each bin of a method reads, ``ph x pw x 2`` ``(x, y)`` in input pixels (NaN: it reads nothing).

    Args:
        pool: the method on one box, ``C x H x W`` map -> ``C x ph x pw`` output; e.g.
            ``lambda fm: record.run(fm, roi, settings).output``.
        map_size: ``(H, W)`` of the feature map the method reads.
        stride: input pixels per cell.
    """
    out = np.asarray(pool(position_map(map_size, stride)), dtype=np.float64)
    share = out[4]  # 1 where a bin read only cells of the map; less where it read zeros off it; 0: nothing
    with np.errstate(invalid="ignore", divide="ignore"):
        x = (out[0] - out[2]) / 2 / share
        y = (out[1] - out[3]) / 2 / share
    centre = np.stack([x, y], axis=-1)
    centre[share <= 0] = np.nan
    return centre


def bin_centres(roi: Sequence[float], output_size: int | tuple[int, int]) -> np.ndarray:
    """Where each bin is meant to look: the centres of the box split exactly, ``ph x pw x 2`` ``(x, y)`` pixels."""
    x, y, w, h = g.check_roi(roi)
    ph, pw = g.check_output_size(output_size)
    cy, cx = np.meshgrid(y + (np.arange(ph) + 0.5) * h / ph, x + (np.arange(pw) + 0.5) * w / pw, indexing="ij")
    return np.stack([cx, cy], axis=-1)


def offsets(pool: Callable[[np.ndarray], np.ndarray], roi: Sequence[float], output_size, map_size: tuple[int, int],
            stride: float) -> np.ndarray:
    """How far each bin reads from where it is meant to, ``ph x pw x 2`` ``(dx, dy)`` in input pixels."""
    return centres_read(pool, map_size, stride) - bin_centres(roi, output_size)
