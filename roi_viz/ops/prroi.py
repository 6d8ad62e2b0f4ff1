"""Precise RoI Pooling (Jiang et al., 2018): the exact average of the map over each bin.

RoIAlign reads a few points per bin and hopes they are representative.
Precise RoI Pooling reads *everything*: it treats the map as a continuous
surface (the bilinear interpolation of the cells) and integrates that surface
over each bin exactly, then divides by the bin's area. No rounding, no sampling
ratio, and the output moves smoothly when the box moves.

The surface is a sum of one "hat" per cell (see :func:`roi_viz.ops.maps.hat_integrals`),
so the integral over a bin splits into a weight per row times a weight per
column: ``output[c, i, j] = row_weights[i] @ map[c] @ col_weights[j] / area``.
Those weights are the figure: they say how much each cell counts in a bin.

As in the authors' code, the box is not shifted by default (cell values sit at
integer points, so the box is read half a cell off); ``aligned=True`` applies
RoIAlign's -0.5 cell shift. Positions in the trace are in cell coordinates.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from . import geometry as g
from .maps import VALUE_TO_CELL, as_numpy_map, hat_integrals


@dataclass(frozen=True)
class PrRoITrace(g.FractionalBins):
    """One RoI through Precise RoI Pooling. Units: ``roi`` in pixels, the rest in cells."""

    stride: float
    output_size: tuple[int, int]
    map_size: tuple[int, int]  # (H, W)
    roi: g.Box
    projected: g.Box
    aligned: bool
    box: g.Box  # the rectangle split into bins, cell coordinates
    row_edges: np.ndarray  # ph + 1
    col_edges: np.ndarray  # pw + 1
    row_weights: np.ndarray = field(repr=False)  # ph x H: integral of each row's hat over each bin row
    col_weights: np.ndarray = field(repr=False)  # pw x W
    output: np.ndarray = field(repr=False)  # C x ph x pw

    method = "prroi"
    snapped = False  # nothing is rounded

    def details(self) -> dict:
        """The numbers of this method beyond the output, JSON-able (the box and its fractional bins)."""
        return {"prroi": {"aligned": self.aligned, "box": list(self.box), "bin_area": self.bin_area,
                          "row_edges": self.row_edges.tolist(), "col_edges": self.col_edges.tolist()}}

    @property
    def bin_area(self) -> float:
        bh, bw = self.bin_size
        return bh * bw

    def weight_map(self, i: int, j: int) -> np.ndarray:
        """``H x W``: how much each cell counts in bin ``(i, j)``'s average (sums to 1 inside the map)."""
        if self.bin_area <= 0:
            return np.zeros(self.map_size)
        return np.outer(self.row_weights[i], self.col_weights[j]) / self.bin_area

    def cells_read(self) -> np.ndarray:
        """``H x W`` bool: cells with a non-zero weight in some bin."""
        return (self.row_weights.sum(axis=0)[:, None] * self.col_weights.sum(axis=0)[None, :]) > 0


def prroi_pool(
    feature_map,
    roi: Sequence[float],
    *,
    stride: float,
    output_size: int | tuple[int, int] = (3, 3),
    aligned: bool = False,
) -> PrRoITrace:
    """Precise RoI Pooling: the exact integral of the bilinear surface over each bin / its area.

    Args:
        feature_map: ``C x H x W`` NumPy array or torch tensor (one image).
        roi: ``(x, y, w, h)`` in pixels of the model-input image, floats allowed,
            each at most 2**24 in size (``geometry.MAX_COORD``).
        stride: image pixels per feature cell.
        output_size: ``(ph, pw)``, or one int for a square output; each from 1 to
            64 (``geometry.MAX_OUTPUT_SIDE``): a trace of more bins is too big to keep.
        aligned: apply RoIAlign's -0.5 cell shift (the authors' code does not).

    Returns:
        A :class:`PrRoITrace`; ``trace.output`` is ``C x ph x pw`` (float64 sums
        cast back to the map's dtype).
    """
    fm = as_numpy_map(feature_map)
    box = g.check_roi(roi)
    s = g.check_stride(stride)
    ph, pw = size = g.check_output_size(output_size)
    H, W = fm.shape[1:]
    px, py, pw_, ph_ = g.project(box, s)
    shift = VALUE_TO_CELL if aligned else 0.0
    vx, vy = px - shift, py - shift  # the box's corner in value coordinates
    row_edges = vy + np.arange(ph + 1) * (ph_ / ph)
    col_edges = vx + np.arange(pw + 1) * (pw_ / pw)
    row_weights = np.stack([hat_integrals(row_edges[i], row_edges[i + 1], H) for i in range(ph)])
    col_weights = np.stack([hat_integrals(col_edges[j], col_edges[j + 1], W) for j in range(pw)])
    area = (ph_ / ph) * (pw_ / pw)
    sums = np.einsum("ih,chw,jw->cij", row_weights, fm.astype(np.float64), col_weights, optimize=True)
    output = sums / area if area > 0 else np.zeros_like(sums)
    return PrRoITrace(
        stride=s,
        output_size=size,
        map_size=(int(H), int(W)),
        roi=box,
        projected=(px, py, pw_, ph_),
        aligned=bool(aligned),
        box=(vx + VALUE_TO_CELL, vy + VALUE_TO_CELL, pw_, ph_),
        row_edges=row_edges + VALUE_TO_CELL,
        col_edges=col_edges + VALUE_TO_CELL,
        row_weights=row_weights,
        col_weights=col_weights,
        output=output.astype(fm.dtype),
    )
