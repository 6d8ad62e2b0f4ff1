"""What a figure shows, decided once, so that its words can say the same.

A figure (:mod:`roi_viz.figures`) and its words (:mod:`roi_viz.lesson.words`)
never import each other; where the words must describe what the figure
chose to draw (which cells of the map it zooms into, which values it prints,
which area it calls "lost to the split"), both ask this module.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..ops import geometry as g
from ..state.scene import Scene

# The boxes on the photo, on the board (ui/board passes these to its script) and in the figures alike: the followed
# RoI magenta, thick and solid with a white inner line (dark in greyscale), the others yellow and dashed (light).
ROI_FOLLOWED = "#d4007a"
ROI_OTHER = "#ffd000"

# Max pooling's figure (step 5) prints cell values only while they stay legible: every value of the region while
# each fits inside its cell (and the region has at most 49 cells: past 7 x 7 a number in every cell is clutter),
# else each bin's maximum while each stays inside its bin and clear of the others, else none. "Fits" is measured
# in the figures' font (roi_viz.picture.fonts) at the size and cell width the figure is drawn with; the words ask
# with the page's (PAGE_CHART_PX across the view, NUMBER_PX text), the figure with its own.
ALL_VALUES_CELLS = 49
NUMBER_PX = 13.0  # the page's figure's values (12 px in the 528-px lesson column)
PAGE_CHART_PX = 512.0  # how wide the page's 560-px figure draws the view of the map (its axes take the rest)
VALUE_ROOM_PX = 4.0  # kept clear between a value and its cell's (or bin's) edge, and between two values


# PrRoI's shares (printed_shares) are still judged in points of an 8-inch figure, enlarged 1.2 times as a
# projector showed it: a share that fits there fits on the page too.
PROJECTOR, GAP_PT = 1.2, 4.0


def label_width_pt(text: str, size: float, bold: bool = False) -> float:
    """How wide ``text`` is drawn at ``size`` points once enlarged for the projector (DejaVu Sans's advances)."""
    narrow = sum(ch in ".,:;' " for ch in text)
    return (0.34 * narrow + (0.7 if bold else 0.64) * (len(text) - narrow)) * size * PROJECTOR


def _fits_inside(labels, cell_px: float, size: float, bold) -> bool:
    """Whether each label fits inside its own cell, ``VALUE_ROOM_PX`` clear of its edges."""
    from ..picture import fonts

    return fonts.height(size) + 2 * VALUE_ROOM_PX <= cell_px and all(
        fonts.width(t, size, "bold" if b else "normal") + 2 * VALUE_ROOM_PX <= cell_px for t, b in zip(labels, bold))


def _maxima_fit(cells, labels, spans, win: g.Span, cell_px: float, size: float) -> bool:
    """Whether each maximum's number (bold, centred on its cell) stays inside the view, crosses no bin's edge and
    keeps clear of the other numbers. In cells: x = column, y = row."""
    from ..picture import fonts

    r0, r1, c0, c1 = win
    room = VALUE_ROOM_PX / cell_px
    half_h = fonts.height(size) / cell_px / 2 + room
    boxes = []
    for (r, c), text in zip(cells, labels):
        half_w = fonts.width(text, size, "bold") / cell_px / 2 + room
        x0, x1, y0, y1 = c + 0.5 - half_w, c + 0.5 + half_w, r + 0.5 - half_h, r + 0.5 + half_h
        if x0 < c0 or x1 > c1 or y0 < r0 or y1 > r1:
            return False
        for sr0, sr1, sc0, sc1 in spans:  # an edge of a bin through the number
            rows_meet, cols_meet = sr0 < y1 and sr1 > y0, sc0 < x1 and sc1 > x0
            if rows_meet and any(x0 < e < x1 for e in (sc0, sc1)) or cols_meet and any(y0 < e < y1 for e in (sr0, sr1)):
                return False
        boxes.append((x0, x1, y0, y1))
    return all(a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2]
               for k, a in enumerate(boxes) for b in boxes[k + 1:])


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


def pool_values(scene: Scene, cell_px: float | None = None, size: float = NUMBER_PX) -> PoolValues:
    """What the max-pooling figure prints: every value of the region, the maxima, or none, whichever fits.

    ``cell_px``: how wide a cell of the view is drawn, ``size`` the values' text, both in px; by default the
    page's figure's (what the step's words describe). The figure asks with its own, so that what it prints is
    what this says.
    """
    from .numbers import value

    t = scene.pooled
    r0, r1, c0, c1 = win = window(scene)
    side = max(r1 - r0, c1 - c0)
    if cell_px is None:
        cell_px = PAGE_CHART_PX / (c1 - c0)
    chan = scene.features[scene.channel]
    W = t.map_size[1]
    winners = frozenset(divmod(int(k), W) for k in t.argmax[scene.channel].ravel() if k >= 0)
    qr0, qr1, qc0, qc1 = t.region
    region = tuple((r, c) for r in range(qr0, qr1) for c in range(qc0, qc1))
    labels = [value(chan[r, c]) for r, c in region]
    fits_all = bool(region) and t.region_area <= ALL_VALUES_CELLS and _fits_inside(
        labels, cell_px, size, [(r, c) in winners for r, c in region])
    ph, pw = t.output_size
    if not winners:
        return PoolValues("empty", region if fits_all else (), winners, side, ph * pw)
    if fits_all:
        return PoolValues("all", region, winners, side, ph * pw)
    maxima = tuple(sorted(winners))
    spans = [span for row in t.bins for span in row if span[1] > span[0] and span[3] > span[2]]
    if _maxima_fit(maxima, [value(chan[r, c]) for r, c in maxima], spans, win, cell_px, size):
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
