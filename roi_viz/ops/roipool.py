"""RoI pooling (Fast R-CNN): any box on a feature map in, a fixed ``C x ph x pw`` tensor out.

``roi_pool`` runs the whole operation and returns a :class:`PoolTrace` that keeps
every intermediate number (projection, quantization, bins, what was lost), so
that the walkthrough, the CLI and the tests all read the same arithmetic.

Two rules are implemented (see ``geometry`` for the details):

- ``scheme="article"``: every number is rounded down, and the split into bins
  drops the rows and columns that do not divide evenly.
- ``scheme="fastrcnn"``: the rule of Fast R-CNN's Caffe layer, kept by
  ``torchvision.ops.roi_pool``; values and arg-max cells equal torchvision's.

NumPy only: a torch tensor is accepted and converted, but torch is not imported.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from . import geometry as g
from .maps import as_numpy_map


@dataclass(frozen=True)
class PoolTrace:
    """Every step of one RoI through RoI pooling.

    Units: ``roi`` in input-image pixels; everything else in feature cells.
    Spans are half-open ``(row0, row1, col0, col1)`` in absolute map indices.
    """

    scheme: str
    stride: float
    output_size: tuple[int, int]
    map_size: tuple[int, int]  # (H, W) of the feature map
    roi: g.Box  # (x, y, w, h), image pixels
    projected: g.Box  # roi / stride, fractions kept
    quantized: tuple[int, int, int, int]  # (x, y, w, h) whole cells, before clipping
    region: g.Span  # the cells pooled before the split, clipped to the map
    bins: list[list[g.Span]]  # ph lists of pw spans
    bin_size: tuple[float, float]  # (rows, cols) per bin as the rule computes it
    output: np.ndarray  # C x ph x pw, the max over each bin (0 for an empty bin)
    argmax: np.ndarray  # C x ph x pw int64, flat index row*W + col, -1 if empty
    projected_area: float  # cells
    region_area: int  # cells
    overlap_area: float  # projected box inside the region, cells
    covered_area: float  # projected box inside some bin, cells
    bin_use: np.ndarray = field(repr=False)  # H x W: how many bins read each cell

    @property
    def channels(self) -> int:
        return int(self.output.shape[0])

    @property
    def lost_area(self) -> float:
        """Projected area left outside the quantized region (the article's dark blue)."""
        return self.projected_area - self.overlap_area

    @property
    def gained_area(self) -> float:
        """Region area that the projected RoI never covered (the article's green)."""
        return self.region_area - self.overlap_area

    @property
    def coverage(self) -> float:
        """Share of the projected RoI's area that lies inside some bin, in [0, 1]."""
        return self.covered_area / self.projected_area if self.projected_area > 0 else 0.0

    @property
    def dropped_cells(self) -> int:
        """Cells of the quantized region that no bin reads (lost a second time)."""
        r0, r1, c0, c1 = self.region
        return int((self.bin_use[r0:r1, c0:c1] == 0).sum())

    @property
    def shared_cells(self) -> int:
        """Cells read by more than one bin (only the fastrcnn rule makes bins overlap)."""
        return int((self.bin_use > 1).sum())

    @property
    def empty_bins(self) -> np.ndarray:
        """``ph x pw`` bool: bins with no cells (their output is 0)."""
        return np.array([[b[1] <= b[0] or b[3] <= b[2] for b in row] for row in self.bins])

    snapped = True  # the box is rounded to whole cells before the split

    def details(self) -> dict:
        """The numbers of this method beyond the output, JSON-able (the rule and the whole-cell bins)."""
        return {"pool": {"scheme": self.scheme, "quantized": list(self.quantized), "region": list(self.region),
                         "bin_size": list(self.bin_size), "bins": [[list(b) for b in row] for row in self.bins]}}

    def argmax_cell(self, channel: int, i: int, j: int) -> tuple[int, int] | None:
        """``(row, col)`` of the cell that bin ``(i, j)`` took its maximum from."""
        k = int(self.argmax[channel, i, j])
        return None if k < 0 else divmod(k, self.map_size[1])


def max_per_bin(fm: np.ndarray, bins: Sequence[Sequence[g.Span]]) -> tuple[np.ndarray, np.ndarray]:
    """Max over each bin, per channel, and the flat index ``row*W + col`` it came from.

    Ties go to the first cell in row-major order, as in torchvision's kernel.
    An empty bin gives value 0 and index -1.
    """
    C, _, W = fm.shape
    ph, pw = len(bins), len(bins[0])
    out = np.zeros((C, ph, pw), dtype=fm.dtype)
    arg = np.full((C, ph, pw), -1, dtype=np.int64)
    for i, row in enumerate(bins):
        for j, (r0, r1, c0, c1) in enumerate(row):
            if r1 <= r0 or c1 <= c0:
                continue
            block = fm[:, r0:r1, c0:c1].reshape(C, -1)
            k = block.argmax(axis=1)
            out[:, i, j] = block[np.arange(C), k]
            rows, cols = np.divmod(k, c1 - c0)
            arg[:, i, j] = (r0 + rows) * W + (c0 + cols)
    return out, arg


def roi_pool(
    feature_map,
    roi: Sequence[float],
    *,
    stride: float,
    output_size: int | tuple[int, int] = (3, 3),
    scheme: str = "article",
) -> PoolTrace:
    """Max-pool the cells under ``roi`` into a fixed ``ph x pw`` grid.

    Args:
        feature_map: ``C x H x W`` NumPy array or torch tensor (one image).
        roi: ``(x, y, w, h)`` in pixels of the model-input image, floats allowed,
            each at most 2**24 in size (``geometry.MAX_COORD``).
        stride: image pixels per feature cell (32 after VGG16's pool5).
        output_size: ``(ph, pw)``, or one int for a square output; each from 1 to
            64 (``geometry.MAX_OUTPUT_SIDE``): a trace of more bins is too big to keep.
        scheme: ``"article"`` or ``"fastrcnn"``.

    Returns:
        A :class:`PoolTrace`; ``trace.output`` is ``C x ph x pw``.

    Raises:
        ValueError: a sentence saying what is wrong with the input.
    """
    fm = as_numpy_map(feature_map)
    box = g.check_roi(roi)
    s = g.check_stride(stride)
    size = g.check_output_size(output_size)
    g.check_scheme(scheme)
    map_size = (int(fm.shape[1]), int(fm.shape[2]))

    projected = g.project(box, s)
    quantized = g.quantize(box, s, scheme, fm.dtype)
    region = g.span_of_box(*quantized, map_size)
    if scheme == "article":
        bins, bin_size = g.article_bins(region, size)
    else:
        bins, bin_size = g.fastrcnn_bins(quantized, size, map_size, np.float64 if fm.dtype == np.float64 else np.float32)

    output, argmax = max_per_bin(fm, bins)
    return PoolTrace(
        scheme=scheme,
        stride=s,
        output_size=size,
        map_size=map_size,
        roi=box,
        projected=projected,
        quantized=quantized,
        region=region,
        bins=bins,
        bin_size=bin_size,
        output=output,
        argmax=argmax,
        projected_area=g.box_area(projected),
        region_area=g.span_cells(region),
        overlap_area=g.intersection_area(projected, g.box_of_span(region)),
        covered_area=g.covered_area(projected, bins),
        bin_use=g.bin_use(bins, map_size),
    )
