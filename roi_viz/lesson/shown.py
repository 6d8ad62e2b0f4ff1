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

# The boxes on the photo, on the board (ui/board passes these to its script) and in the figures alike: the followed
# RoI magenta, thick and solid with a white inner line (dark in greyscale), the others yellow and dashed (light).
ROI_FOLLOWED = "#d4007a"
ROI_OTHER = "#ffd000"

# Max pooling's figure (step 5) prints cell values only while they stay legible on the page (85 dpi,
# about 700 px for 8 inches): a value in every cell up to 14 cells across the view, and up to 49 cells
# in the region (7 x 7; past that a number in every cell is clutter), then only each bin's maximum up to
# 18 cells across; wider than that the cells are too small for any number.
ALL_VALUES_SIDE, ALL_VALUES_CELLS, MAXIMA_SIDE = 14, 49, 18
# A number printed in a cell: its size in points (13 px on the page, 19 px on the projector, which draws every
# text 1.2 times larger), and the room the max-pooling figure's axes give the view (6.9 x 6.7 inches).
NUMBER_SIZE, PROJECTOR = 11.0, 1.2
POOL_VIEW_PT = (0.86 * 8.0 * 72, 0.84 * 8.0 * 72)
GAP_PT = 4.0  # between two numbers, and between a number and its cell's edge


def label_width_pt(text: str, size: float, bold: bool = False) -> float:
    """How wide ``text`` is drawn at ``size`` points once enlarged for the projector (DejaVu Sans's advances).

    Digits are about 0.64 em wide (0.7 in bold), a point or a comma about a third of an em; checking
    against the larger projector size keeps a number that fits there fitting on the page too.
    """
    narrow = sum(ch in ".,:;' " for ch in text)
    return (0.34 * narrow + (0.7 if bold else 0.64) * (len(text) - narrow)) * size * PROJECTOR


def _maxima_fit(cells, labels, win: g.Span, cell_pt: float) -> bool:
    """Whether each maximum's number fits in the view and clear of the others on its row (rows are a cell apart)."""
    r0, r1, c0, c1 = win
    for (r, c), text in zip(cells, labels):
        half = label_width_pt(text, NUMBER_SIZE, bold=True) / 2 + GAP_PT / 2
        if (c - c0 + 0.5) * cell_pt < half or (c1 - c - 0.5) * cell_pt < half:
            return False
    for a, (ra, ca) in enumerate(cells):
        for b in range(a + 1, len(cells)):
            rb, cb = cells[b]
            need = (label_width_pt(labels[a], NUMBER_SIZE, True) + label_width_pt(labels[b], NUMBER_SIZE, True)) / 2 + GAP_PT
            if ra == rb and abs(ca - cb) * cell_pt < need:
                return False
    return True


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
    """What the max-pooling figure prints: every value of the region, the maxima, or none, whichever fits.

    A number fits where it stays inside its cell (every value) or clear of the
    other numbers of its row and inside the view (maxima only), drawn at
    :data:`NUMBER_SIZE` points and 1.2 times that on the projector.
    """
    from .numbers import value

    t = scene.pooled
    r0, r1, c0, c1 = win = window(scene)
    side = max(r1 - r0, c1 - c0)
    cell_pt = min(POOL_VIEW_PT[0] / (c1 - c0), POOL_VIEW_PT[1] / (r1 - r0))
    chan = scene.features[scene.channel]
    W = t.map_size[1]
    winners = frozenset(divmod(int(k), W) for k in t.argmax[scene.channel].ravel() if k >= 0)
    qr0, qr1, qc0, qc1 = t.region
    region = tuple((r, c) for r in range(qr0, qr1) for c in range(qc0, qc1))
    widest = max((label_width_pt(value(chan[r, c]), NUMBER_SIZE, True) for r, c in region), default=0.0)
    fits_all = side <= ALL_VALUES_SIDE and t.region_area <= ALL_VALUES_CELLS and widest + GAP_PT <= cell_pt
    ph, pw = t.output_size
    if not winners:
        return PoolValues("empty", region if fits_all else (), winners, side, ph * pw)
    if fits_all:
        return PoolValues("all", region, winners, side, ph * pw)
    maxima = tuple(sorted(winners))
    if side <= MAXIMA_SIDE and _maxima_fit(maxima, [value(chan[r, c]) for r, c in maxima], win, cell_pt):
        return PoolValues("maxima", maxima, winners, side, ph * pw)
    return PoolValues("none", (), winners, side, ph * pw)


# Precise RoI Pooling's step 3 prints every cell's share of the bin while the view is at most this many cells across.
SHARES_SIDE = 14
SHARE_SIZE = 11.0  # points: 13 px on the page, 18.5 px on the projector
INTEGRATE_VIEW_PT = (0.86 * 8.0 * 72, 0.72 * 8.4 * 72)  # the integration figure's axes


def printed_shares(scene: Scene) -> dict:
    """The cells whose share of the focused bin the integration figure prints: ``{(row, col): share}``.

    A share under 0.05 % would print as 0.0 % and is left out; a view wider than
    :data:`SHARES_SIDE` cells prints none.
    """
    from .numbers import pct

    r = scene.chosen
    i, j, _ = scene.focus
    r0, r1, c0, c1 = window(scene)
    if max(r1 - r0, c1 - c0) > SHARES_SIDE:
        return {}
    share = r.weight_map(i, j)
    shown = {(rr, cc): float(share[rr, cc]) for rr in range(r0, r1) for cc in range(c0, c1) if share[rr, cc] >= 0.0005}
    # Each share sits in a white frame in its cell; a share whose frame would not fit leaves them all out.
    cell_pt = min(INTEGRATE_VIEW_PT[0] / (c1 - c0), INTEGRATE_VIEW_PT[1] / (r1 - r0))
    frame = 0.3 * SHARE_SIZE * PROJECTOR
    if any(label_width_pt(pct(v), SHARE_SIZE) + frame + GAP_PT > cell_pt for v in shown.values()):
        return {}
    return shown


def split_loss(trace) -> float:
    """Area of the projected RoI inside the region but in no bin, in cells: what the split loses.

    Step 4 counts the region's *whole cells* in no bin (``trace.dropped_cells``);
    this counts only the RoI's part of them, which is smaller where the RoI
    covers a dropped cell only in part.
    """
    return max(trace.overlap_area - trace.covered_area, 0.0)
