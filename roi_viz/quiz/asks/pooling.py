"""The asks of the methods whose bins are whole cells (RoI pooling), under each rounding rule,
and the snapping step RoIWarp shares with them.

- the article's rule: project, round down, what is lost and gained, the bins, the cells dropped, the coverage;
- Fast R-CNN's code: the rounded corners, the fractional bin size, the cells one bin reads;
- :func:`snap_ask`: which cells RoIWarp keeps, read from RoI pooling's trace.
"""
from __future__ import annotations

from ...lesson.numbers import exact, num, pct, span_words
from ...ops import geometry as g
from ...ops.roipool import PoolTrace
from ..model import Ask, Field
from .kit import AREA_TOLERANCE, PERCENT_TOLERANCE, about, about_pct, box_fields, cells_field, index_field


# ------------------------------------------------------------ the article's rule
def article_asks(t: PoolTrace) -> tuple[Ask, ...]:
    s, (H, W), (ph, pw) = t.stride, t.map_size, t.output_size
    px, py, pw_, ph_ = t.projected
    r0, r1, c0, c1 = t.region
    rh, rw = r1 - r0, c1 - c0
    bh, bw = (int(v) for v in t.bin_size)
    side = max(H, W)

    project = Ask(
        "project",
        f"Project the RoI onto the map of {H} rows × {W} columns: what are x, y, w and h in cells? (Keep the fractions.)",
        box_fields(t.projected, side, whole=False),
        ", ".join(f"{exact(v)} / {exact(s)} = {exact(p)}" for v, p in zip(t.roi, t.projected))
        + f": divide every number by the stride {exact(s)}.",
        "features",
    )
    quantize = Ask(
        "quantize",
        "The article's rule snaps the projected box to whole cells. What are x, y, w and h now?",
        box_fields(t.quantized, side, whole=True),
        ", ".join(f"⌊{exact(p)}⌋ = {q}" for p, q in zip(t.projected, t.quantized))
        + ": round each number down, independently of the others.",
        "quantize",
    )
    # The overlap's two sides, for the reason only: its area is the trace's.
    ow, oh = g.overlap_1d(px, px + pw_, c0, c1), g.overlap_1d(py, py + ph_, r0, r1)
    area, inside = t.projected_area, t.overlap_area
    lost_gained = Ask(
        "lost_gained",
        "How many cells of the projected RoI fall outside the snapped box (lost), "
        "and how many cells of the snapped box lie outside the RoI (gained)?",
        (
            Field("lost", "lost", "cells", t.lost_area, AREA_TOLERANCE, 0.0, float(H * W)),
            Field("gained", "gained", "cells", t.gained_area, AREA_TOLERANCE, 0.0, float(H * W)),
        ),
        f"The RoI covers w × h = {exact(pw_)} × {exact(ph_)} {about(area)} cells and the box {rw} × {rh} = {t.region_area}; "
        f"they share {exact(ow)} × {exact(oh)} {about(inside)}: "
        f"lost {num(area)} − {num(inside)} {about(t.lost_area)}, "
        f"gained {t.region_area} − {num(inside)} {about(t.gained_area)}.",
        "quantize",
    )
    used_r, used_c = min(ph * bh, rh), min(pw * bw, rw)

    def left(a: int, b: int, what: str) -> str:
        return f"{span_words(a, b, what)} left over" if b > a else f"no {what}s left over"

    bins = Ask(
        "bins",
        f"The box of {rh} rows × {rw} columns is split into {ph} × {pw} bins (rows × columns) of whole cells, each size rounded down, laid from "
        "the top-left corner. How many rows and columns is one bin, and how many rows (at the bottom) and "
        "columns (at the right) belong to no bin?",
        (
            Field("bin_rows", "rows per bin", "", bh, 0.0, 0.0, float(H)),
            Field("bin_cols", "columns per bin", "", bw, 0.0, 0.0, float(W)),
            Field("left_rows", "rows in no bin", "", rh - used_r, 0.0, 0.0, float(H)),
            Field("left_cols", "columns in no bin", "", rw - used_c, 0.0, 0.0, float(W)),
        ),
        f"Rows: {rh} / {ph} {about(rh / ph)} → {bh} per bin, {left(r0 + used_r, r1, 'row')}; "
        f"columns: {rw} / {pw} {about(rw / pw)} → {bw} per bin, {left(c0 + used_c, c1, 'column')}.",
        "bins",
    )
    dropped = Ask(
        "dropped",
        "How many cells of the snapped box does the split drop (they belong to no bin)?",
        (Field("dropped", "cells dropped", "cells", t.dropped_cells, 0.0, 0.0, float(H * W)),),
        f"The box has {rh} × {rw} = {t.region_area} cells; the bins use {used_r} × {used_c} = {used_r * used_c}: "
        f"{t.region_area} − {used_r * used_c} = {t.dropped_cells} dropped.",
        "bins",
    )
    # The bins' rows and columns are contiguous: the RoI inside them is a product of two overlaps.
    cw, ch = g.overlap_1d(px, px + pw_, c0, c0 + used_c), g.overlap_1d(py, py + ph_, r0, r0 + used_r)
    coverage = Ask(
        "coverage",
        "What share of the projected RoI's area lies inside some bin, and so can reach the output at all?",
        (Field("coverage", "coverage", "%", 100 * t.coverage, PERCENT_TOLERANCE, 0.0, 100.0),),
        f"Inside the bins: {exact(cw)} columns × {exact(ch)} rows {about(t.covered_area)} of the RoI's "
        f"{num(area)} cells; {num(t.covered_area)} / {num(area)} {about_pct(t.coverage)}, "
        f"so {pct(1 - t.coverage)} never reaches the output.",
        "output",
    )
    return project, quantize, lost_gained, bins, dropped, coverage


# ------------------------------------------------------------ Fast R-CNN's code
def _corner_words(p0: float, p1: float, first: int, last: int) -> str:
    return f"{exact(p0)} → {first} and {exact(p1)} → {last}"


def fastrcnn_asks(t: PoolTrace, bin_: tuple[int, int]) -> tuple[Ask, ...]:
    (H, W), (ph, pw) = t.map_size, t.output_size
    px, py, pw_, ph_ = t.projected
    xs, ys, rw, rh = t.quantized
    corners = Ask(
        "corners",
        "Fast R-CNN's code rounds each corner of the projected box to the nearest cell (halves away from zero) "
        "and keeps the cell of the far corner too. Which are the first and last columns, and the first and "
        "last rows? (Count as the rule does, before the box is cut at the map's edge.)",
        (
            index_field("first_col", "first column", xs, W),
            index_field("last_col", "last column", xs + rw - 1, W),
            index_field("first_row", "first row", ys, H),
            index_field("last_row", "last row", ys + rh - 1, H),
        ),
        f"Columns: {_corner_words(px, px + pw_, xs, xs + rw - 1)}, so {rw} columns; "
        f"rows: {_corner_words(py, py + ph_, ys, ys + rh - 1)}, so {rh} rows: round each corner, keep the far cell.",
        "quantize",
    )
    bh, bw = t.bin_size
    size = Ask(
        "bin_size",
        f"The rounded box is cut into {ph} × {pw} bins whose size is kept as a fraction. "
        "How many rows and columns is one bin?",
        (cells_field("bin_rows", "rows per bin", bh, H), cells_field("bin_cols", "columns per bin", bw, W)),
        f"{rh} rows / {ph} {about(bh)} and {rw} columns / {pw} {about(bw)}: nothing is rounded yet.",
        "bins",
    )
    i, j = bin_
    r0, r1, c0, c1 = t.bins[i][j]
    # The same bins, not cut at the map's edge: the reason shows the rule's own numbers.
    uncut, _ = g.fastrcnn_bins(t.quantized, t.output_size, (2**30, 2**30))
    ur0, ur1, uc0, uc1 = uncut[i][j]

    def edges(start: int, n: int, size: int, p: int, lo: int, hi: int, cut: int, what: str) -> str:
        # The bin size as the fraction it is (10/7), so no rounded number is floored or ceiled.
        text = f"{start} + ⌊{n} × {size}/{p}⌋ = {lo} to {start} + ⌈{n + 1} × {size}/{p}⌉ − 1 = {hi - 1}"
        return text + (f", cut to {what} {cut - 1} at the map's edge" if cut != hi else "")

    one_bin = Ask(
        "bin",
        f"Which cells does bin ({i}, {j}) read? Give its first and last row and first and last column. "
        "(Bins are counted from (0, 0) at the top left; a bin takes every cell its fractional edges touch.)",
        (
            index_field("first_row", "first row", r0, H),
            index_field("last_row", "last row", r1 - 1, H),
            index_field("first_col", "first column", c0, W),
            index_field("last_col", "last column", c1 - 1, W),
        ),
        f"Rows: {edges(ys, i, rh, ph, ur0, ur1, r1, 'row')}; columns: {edges(xs, j, rw, pw, uc0, uc1, c1, 'column')}.",
        "bins",
        (i, j, 0),
    )
    return corners, size, one_bin


# ------------------------------------------------------------ RoIWarp's first step
def snap_ask(t: PoolTrace) -> Ask:
    """RoIWarp's first step: the quantized region, exactly RoI pooling's (its trace is passed)."""
    H, W = t.map_size
    r0, r1, c0, c1 = t.region
    px, py, pw_, ph_ = t.projected
    if t.scheme == "article":
        rule = "the article's rule"
        how = ", ".join(f"⌊{exact(p)}⌋ = {q}" for p, q in zip(t.projected, t.quantized)) + ": round each number down"
    else:
        xs, ys, rw, rh = t.quantized
        rule = "Fast R-CNN's rule"
        how = (f"columns {_corner_words(px, px + pw_, xs, xs + rw - 1)}, "
               f"rows {_corner_words(py, py + ph_, ys, ys + rh - 1)}: round each corner, keep the far cell")
        if (ys, ys + rh, xs, xs + rw) != t.region:
            how += f", then cut at the map's edge to {r1 - r0} rows × {c1 - c0} columns"
    return Ask(
        "snap",
        f"RoIWarp first snaps the RoI to whole cells, as RoI pooling does with {rule}. Which cells does it keep? "
        "Give x and y (the first column and row) and w and h (how many columns and rows).",
        box_fields(g.box_of_span(t.region), max(H, W), whole=True),
        how + ".",
        "quantize",
    )
