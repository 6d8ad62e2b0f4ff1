"""What a figure shows, decided once, so that its words can say the same.

A figure (:mod:`roi_viz.draw`) and its words (:mod:`roi_viz.lesson.words`)
never import each other; where the words must describe what the figure
chose to draw (which cells of the map it zooms into, which values it prints,
which area it calls "lost to the split"), both ask this module.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..ops import geometry as g
from .scene import Scene

# Max pooling's figure (step 5) prints cell values only while they stay legible on the page (85 dpi,
# about 700 px for 8 inches): a value in every cell up to 14 cells across the view, and up to 49 cells
# in the region (7 x 7; past that a number in every cell is clutter), then only each bin's maximum up to
# 18 cells across; wider than that the cells are too small for any number.
ALL_VALUES_SIDE, ALL_VALUES_CELLS, MAXIMA_SIDE = 14, 49, 18


def window(scene: Scene, pad: int = 1, minimum: int = 6) -> g.Span:
    """The part of the map around the RoI that the zoomed steps show, ``(r0, r1, c0, c1)``."""
    t = scene.pooled
    H, W = t.map_size
    spans = [g.touched_span(t.projected, t.map_size)]
    if t.region_area:
        spans.append(t.region)
    box = getattr(scene.chosen, "box", None)  # RoIAlign's legacy rule reads half a cell off
    if box is not None and box[2] > 0 and box[3] > 0:
        spans.append(g.touched_span(box, t.map_size))
    r0 = min(s[0] for s in spans) - pad
    r1 = max(s[1] for s in spans) + pad
    c0 = min(s[2] for s in spans) - pad
    c1 = max(s[3] for s in spans) + pad
    # Grow to a minimum size so a tiny RoI is not drawn as a giant blur.
    while r1 - r0 < minimum and (r0 > 0 or r1 < H):
        r0, r1 = max(r0 - (r0 > 0), 0), min(r1 + 1, H)
    while c1 - c0 < minimum and (c0 > 0 or c1 < W):
        c0, c1 = max(c0 - (c0 > 0), 0), min(c1 + 1, W)
    return max(r0, 0), min(r1, H), max(c0, 0), min(c1, W)


@dataclass(frozen=True)
class PoolValues:
    """Which values the max-pooling figure prints for ``scene.channel``.

    ``mode``:

    - ``"all"``: every cell of the region, each bin's maximum in bold;
    - ``"maxima"``: only the cell each bin takes its maximum from;
    - ``"none"``: no numbers, the cells are too small (the red boxes still show where each maximum is);
    - ``"empty"``: no bin has a cell, so there is no maximum; the region's cells are printed if they fit.
    """

    mode: str
    cells: tuple[tuple[int, int], ...]  # (row, col) of every printed value
    winners: frozenset  # (row, col) of every bin's maximum
    side: int  # cells across the view (the larger of rows and columns)
    bins: int  # ph * pw


def pool_values(scene: Scene) -> PoolValues:
    t = scene.pooled
    r0, r1, c0, c1 = window(scene)
    side = max(r1 - r0, c1 - c0)
    W = t.map_size[1]
    winners = frozenset(divmod(int(k), W) for k in t.argmax[scene.channel].ravel() if k >= 0)
    qr0, qr1, qc0, qc1 = t.region
    region = tuple((r, c) for r in range(qr0, qr1) for c in range(qc0, qc1))
    fits_all = side <= ALL_VALUES_SIDE and t.region_area <= ALL_VALUES_CELLS
    ph, pw = t.output_size
    if not winners:
        return PoolValues("empty", region if fits_all else (), winners, side, ph * pw)
    if fits_all:
        return PoolValues("all", region, winners, side, ph * pw)
    if side <= MAXIMA_SIDE:
        return PoolValues("maxima", tuple(sorted(winners)), winners, side, ph * pw)
    return PoolValues("none", (), winners, side, ph * pw)


# Precise RoI Pooling's step 3 prints every cell's share of the bin while the view is at most this many cells across.
SHARES_SIDE = 14


def printed_shares(scene: Scene) -> dict:
    """The cells whose share of the focused bin the integration figure prints: ``{(row, col): share}``.

    A share under 0.05 % would print as 0.0 % and is left out; a view wider than
    :data:`SHARES_SIDE` cells prints none.
    """
    r = scene.chosen
    i, j, _ = scene.focus
    r0, r1, c0, c1 = window(scene)
    if max(r1 - r0, c1 - c0) > SHARES_SIDE:
        return {}
    share = r.weight_map(i, j)
    return {(rr, cc): float(share[rr, cc]) for rr in range(r0, r1) for cc in range(c0, c1) if share[rr, cc] >= 0.0005}


def split_loss(trace) -> float:
    """Area of the projected RoI inside the region but in no bin, in cells: what the split loses.

    Step 4 counts the region's *whole cells* in no bin (``trace.dropped_cells``);
    this counts only the RoI's part of them, which is smaller where the RoI
    covers a dropped cell only in part.
    """
    return max(trace.overlap_area - trace.covered_area, 0.0)
