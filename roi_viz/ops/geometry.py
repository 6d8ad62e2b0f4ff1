"""Where an RoI lands on the feature grid, and which cells each output bin reads.

Pure NumPy and plain arithmetic: no torch, no drawing. Everything the walkthrough
says about projection, quantization, bins and coverage is computed here.

Coordinate conventions (the same as ``torchvision.ops``):

- An RoI is ``(x, y, w, h)``: top-left corner and size in pixels of the *model
  input* image (after resizing). Floats are allowed.
- The feature map is ``C x H x W`` with output stride ``s``. Cell ``(r, c)``
  stands for image pixels ``[c*s, (c+1)*s) x [r*s, (r+1)*s)``, so an image
  coordinate ``x`` lands at the fractional cell coordinate ``x / s``.
- A *span* is a half-open rectangle of cells ``(row0, row1, col0, col1)``:
  rows ``row0 <= r < row1`` and columns ``col0 <= c < col1``.
- A *box* is a rectangle in cell units ``(x, y, w, h)`` whose numbers may be
  fractional (a projected RoI is one).
"""
from __future__ import annotations

import math
from typing import Iterable, Sequence

import numpy as np

Box = tuple[float, float, float, float]
Span = tuple[int, int, int, int]

SCHEMES = ("article", "fastrcnn")
# Bounds that keep every number exact in float32 and every cell index inside int64.
# No photo is 16 million pixels across, so they refuse only nonsense (1e21, 1e300).
MAX_COORD = 2.0**24  # |x|, |y|, w, h of an RoI, in pixels
MIN_STRIDE = 2.0**-24  # pixels per cell; smaller would put a box past int64's cell indices
MAX_OUTPUT_SIDE = 64  # rows or columns of the output; 64 x 64 bins keep a trace small and quick


# --------------------------------------------------------------------------- checks
def check_roi(roi: Sequence[float]) -> Box:
    """Return ``roi`` as four floats, or raise ``ValueError`` saying what is wrong.

    Every number must be finite and at most :data:`MAX_COORD` (2**24) pixels in
    size; text (``"1234"``) is refused rather than read character by character.
    """
    if isinstance(roi, (str, bytes)):
        raise ValueError(f"An RoI is four numbers (x, y, w, h), not the text {roi[:40]!r}.")
    try:
        values = [float(v) for v in roi]
    except (TypeError, ValueError):
        raise ValueError(
            f"An RoI is four numbers (x, y, w, h); got {roi!r}, which are not all numbers."
        ) from None
    if len(values) != 4:
        raise ValueError(
            f"An RoI is four numbers (x, y, w, h); got {len(values)} numbers."
        )
    if not all(math.isfinite(v) for v in values):
        raise ValueError(f"The RoI {tuple(values)} contains NaN or infinity.")
    if any(abs(v) > MAX_COORD for v in values):
        raise ValueError(f"The RoI {tuple(values)} reaches beyond any image: each number must be at most "
                         f"{MAX_COORD:,.0f} pixels in size.")
    x, y, w, h = values
    if w <= 0 or h <= 0:
        raise ValueError(
            f"The RoI must have a positive width and height; got w={w:g}, h={h:g}."
        )
    return x, y, w, h


def check_stride(stride: float) -> float:
    try:
        s = float(stride)
    except (TypeError, ValueError):
        raise ValueError(f"The stride must be a number; got {stride!r}.") from None
    if not math.isfinite(s) or s <= 0:
        raise ValueError(
            f"The stride is how many image pixels one feature cell spans; "
            f"it must be positive, got {stride!r}."
        )
    if s < MIN_STRIDE:
        raise ValueError(
            f"A stride of {s:g} pixels per cell is far too small (the least is {MIN_STRIDE:.2g}): "
            f"the RoI would land millions of cells away."
        )
    return s


def check_output_size(output_size: int | Sequence[int]) -> tuple[int, int]:
    """Accept ``n`` or ``(ph, pw)``; return ``(ph, pw)`` as ints from 1 to :data:`MAX_OUTPUT_SIDE` (64).

    ``True`` and ``2.0`` are refused: an output size is counted, not measured.
    """
    if isinstance(output_size, (bool, np.bool_)):
        raise ValueError(f"The output size is one whole number or two (rows, columns); got {output_size!r}.")
    if isinstance(output_size, (int, np.integer)):
        output_size = (int(output_size), int(output_size))
    try:
        if isinstance(output_size, (str, bytes)):
            raise TypeError
        ph, pw = output_size
    except (TypeError, ValueError):
        raise ValueError(
            f"The output size is one number or two (rows, columns); got {output_size!r}."
        ) from None
    for v in (ph, pw):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(
                f"The output size must be whole numbers of at least 1; got {output_size!r}."
            )
        if v > MAX_OUTPUT_SIDE:
            raise ValueError(
                f"The output size {tuple(map(int, (ph, pw)))} is too large: at most {MAX_OUTPUT_SIDE} rows and "
                f"{MAX_OUTPUT_SIDE} columns (Fast R-CNN uses 7 x 7)."
            )
    return int(ph), int(pw)


def check_scheme(scheme: str) -> str:
    if scheme not in SCHEMES:
        raise ValueError(
            f"Unknown scheme {scheme!r}: use 'article' (everything rounded down, as the "
            "article tells it) or 'fastrcnn' (the rule of Fast R-CNN's code)."
        )
    return scheme


# ----------------------------------------------------------------- boxes and spans
def project(roi: Box, stride: float) -> Box:
    """Divide every number of the RoI by the stride. Fractions are kept."""
    return tuple(v / stride for v in roi)  # type: ignore[return-value]


def span_of_box(x: int, y: int, w: int, h: int, map_size: tuple[int, int]) -> Span:
    """The half-open span of an integer box, clipped to a map of ``(H, W)`` cells."""
    H, W = map_size
    return (_clip(y, 0, H), _clip(y + h, 0, H), _clip(x, 0, W), _clip(x + w, 0, W))


def touched_span(box: Box, map_size: tuple[int, int]) -> Span:
    """Every cell a fractional box overlaps, even partly, clipped to the map."""
    x, y, w, h = box
    c0, r0 = math.floor(x), math.floor(y)
    return span_of_box(c0, r0, math.ceil(x + w) - c0, math.ceil(y + h) - r0, map_size)


def box_of_span(span: Span) -> Box:
    r0, r1, c0, c1 = span
    return float(c0), float(r0), float(max(c1 - c0, 0)), float(max(r1 - r0, 0))


def span_cells(span: Span) -> int:
    r0, r1, c0, c1 = span
    return max(r1 - r0, 0) * max(c1 - c0, 0)


def box_area(box: Box) -> float:
    return max(box[2], 0.0) * max(box[3], 0.0)


def overlap_1d(a0: float, a1: float, b0: float, b1: float) -> float:
    """Length of the overlap of the intervals ``[a0, a1)`` and ``[b0, b1)``."""
    return max(0.0, min(a1, b1) - max(a0, b0))


def intersection_area(a: Box, b: Box) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    # (x + w) - x can exceed w by round-off; an overlap never exceeds either side.
    ox = min(overlap_1d(ax, ax + aw, bx, bx + bw), aw, bw)
    oy = min(overlap_1d(ay, ay + ah, by, by + bh), ah, bh)
    return ox * oy


def box_difference(a: Box, b: Box) -> list[Box]:
    """The part of box ``a`` outside box ``b``, as at most four boxes.

    Used to draw the cells an RoI loses (projected minus quantized) and gains
    (quantized minus projected).
    """
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    a_x1, a_y1, b_x1, b_y1 = ax + aw, ay + ah, bx + bw, by + bh
    if aw <= 0 or ah <= 0:
        return []
    if intersection_area(a, b) == 0:
        return [a]
    pieces: list[Box] = []
    top, bottom = max(ay, by), min(a_y1, b_y1)
    if by > ay:  # band of a above b
        pieces.append((ax, ay, aw, by - ay))
    if b_y1 < a_y1:  # band of a below b
        pieces.append((ax, b_y1, aw, a_y1 - b_y1))
    if bx > ax:  # left of b, between the bands
        pieces.append((ax, top, bx - ax, bottom - top))
    if b_x1 < a_x1:  # right of b, between the bands
        pieces.append((b_x1, top, a_x1 - b_x1, bottom - top))
    return [p for p in pieces if p[2] > 0 and p[3] > 0]


def _clip(v: int, lo: int, hi: int) -> int:
    return min(max(v, lo), hi)


# ------------------------------------------------------------------- quantization
def quantize_article(projected: Box) -> tuple[int, int, int, int]:
    """Round each of the four projected numbers down, independently (the article's rule).

    Rounding the size down on its own (rather than rounding both corners) is
    what makes the article's 6.25 x 4.53 box become 6 x 4 cells.
    """
    return tuple(int(math.floor(v)) for v in projected)  # type: ignore[return-value]


def article_bins(region: Span, output_size: tuple[int, int]) -> tuple[list[list[Span]], tuple[int, int]]:
    """Split a region into ``ph x pw`` equal bins of ``floor(h/ph) x floor(w/pw)`` cells.

    Bins are laid from the region's top-left corner; rows and columns left over
    at the bottom and right belong to no bin. Returns ``(bins, (bin_h, bin_w))``.
    When the region has fewer rows than ``ph`` (or columns than ``pw``) the bin
    size is 0 and every bin is empty.
    """
    r0, r1, c0, c1 = region
    ph, pw = output_size
    bh, bw = max(r1 - r0, 0) // ph, max(c1 - c0, 0) // pw
    bins = [
        [(r0 + i * bh, r0 + (i + 1) * bh, c0 + j * bw, c0 + (j + 1) * bw) for j in range(pw)]
        for i in range(ph)
    ]
    return bins, (bh, bw)


def round_half_away(v: float) -> int:
    """C's ``round``: halves go away from zero (Python's ``round`` goes to even)."""
    v = float(v)
    return int(math.copysign(math.floor(abs(v) + 0.5), v))


def quantize_fastrcnn(roi: Box, stride: float, dtype=np.float32) -> tuple[int, int, int, int]:
    """Round both corners to the nearest cell, the end cell included (Caffe / torchvision).

    Returns ``(start_col, start_row, width, height)`` in whole cells, where the
    width and height count the end cell (``end - start + 1``, at least 1).
    The arithmetic is done in ``dtype`` (float32 for float32 maps), as the
    reference kernel does, so that the same half-way cases round the same way.
    """
    x, y, w, h = roi
    scale = dtype(1.0 / stride)
    x1, y1, x2, y2 = (dtype(v) for v in (x, y, x + w, y + h))
    start_w, start_h = round_half_away(x1 * scale), round_half_away(y1 * scale)
    end_w, end_h = round_half_away(x2 * scale), round_half_away(y2 * scale)
    return start_w, start_h, max(end_w - start_w + 1, 1), max(end_h - start_h + 1, 1)


def quantize(roi: Box, stride: float, scheme: str, dtype=np.float32) -> tuple[int, int, int, int]:
    """The box snapped to whole cells by ``scheme``'s rule: ``(x, y, w, h)`` in cells, before clipping.

    ``dtype`` is the feature map's: Fast R-CNN's rule rounds in it, as the kernel does.
    """
    if scheme == "article":
        return quantize_article(project(roi, stride))
    return quantize_fastrcnn(roi, stride, np.float64 if dtype == np.float64 else np.float32)


def fastrcnn_bins(
    quantized: tuple[int, int, int, int],
    output_size: tuple[int, int],
    map_size: tuple[int, int],
    dtype=np.float32,
) -> tuple[list[list[Span]], tuple[float, float]]:
    """Bins of fractional size ``roi/p``, widened outwards to whole cells (may overlap).

    Bin ``j`` spans ``[start + floor(j*b), start + ceil((j+1)*b))`` with
    ``b = size / p``, then is clipped to the map. Returns ``(bins, (bin_h, bin_w))``.
    """
    xs, ys, rw, rh = quantized
    ph, pw = output_size
    H, W = map_size
    bin_h, bin_w = dtype(rh) / dtype(ph), dtype(rw) / dtype(pw)

    def edges(i: int, size, start: int, limit: int) -> tuple[int, int]:
        lo = int(math.floor(dtype(i) * size)) + start
        hi = int(math.ceil(dtype(i + 1) * size)) + start
        return _clip(lo, 0, limit), _clip(hi, 0, limit)

    rows = [edges(i, bin_h, ys, H) for i in range(ph)]
    cols = [edges(j, bin_w, xs, W) for j in range(pw)]
    bins = [[(r[0], r[1], c[0], c[1]) for c in cols] for r in rows]
    return bins, (float(bin_h), float(bin_w))


# ------------------------------------------------------------------------ coverage
def _union_length(intervals: Iterable[tuple[float, float]], lo: float, hi: float) -> float:
    """Length of ``[lo, hi)`` covered by the union of the given intervals."""
    covered, reach = 0.0, lo
    for a, b in sorted(intervals):
        a, b = max(a, reach), min(b, hi)
        if b > a:
            covered += b - a
            reach = b
    return covered


def covered_area(projected: Box, bins: Sequence[Sequence[Span]]) -> float:
    """Area of the projected RoI (in cells) that lies inside at least one bin.

    Bins form a grid (every bin in a row shares its rows, every bin in a
    column its columns), so their union is the product of the union of the
    row intervals and the union of the column intervals.
    """
    x, y, w, h = projected
    rows = [(b[0], b[1]) for b in (row[0] for row in bins) if b[1] > b[0]]
    cols = [(b[2], b[3]) for b in bins[0] if b[3] > b[2]]
    if not rows or not cols:
        return 0.0
    return min(_union_length(rows, y, y + h), h) * min(_union_length(cols, x, x + w), w)


def bin_use(bins: Sequence[Sequence[Span]], map_size: tuple[int, int]) -> np.ndarray:
    """``H x W`` int array: how many bins read each cell (0 = no bin reads it)."""
    counts = np.zeros(map_size, dtype=np.int32)
    for row in bins:
        for r0, r1, c0, c1 in row:
            counts[r0:r1, c0:c1] += 1
    return counts


class FractionalBins:
    """What RoIAlign, RoIWarp and PrRoI traces share: a box split into ``ph x pw`` bins
    with fractional edges. A mixin for dataclasses with the fields ``projected``,
    ``box``, ``output_size``, ``row_edges``, ``col_edges`` and ``output``.
    """

    @property
    def channels(self) -> int:
        return int(self.output.shape[0])

    @property
    def bin_edges(self) -> tuple[np.ndarray, np.ndarray]:
        """``(row_edges, col_edges)``: ``ph + 1`` and ``pw + 1`` fractional bin edges, cell coordinates."""
        return self.row_edges, self.col_edges

    @property
    def bin_size(self) -> tuple[float, float]:
        ph, pw = self.output_size
        return self.box[3] / ph, self.box[2] / pw

    @property
    def projected_area(self) -> float:
        return box_area(self.projected)

    @property
    def covered_area(self) -> float:
        """Projected RoI inside the box that is split into bins."""
        return intersection_area(self.projected, self.box)

    @property
    def coverage(self) -> float:
        """Share of the projected RoI's area inside the bins, in [0, 1]."""
        return self.covered_area / self.projected_area if self.projected_area > 0 else 0.0
