"""The asks of the methods whose bins are whole cells (RoI pooling), under each rounding rule,
and the snapping step RoIWarp shares with them.

- the article's rule: project, round down, what is lost and gained, the bins, the cells dropped, the coverage;
- Fast R-CNN's code: the rounded corners, the fractional bin size, the cells one bin reads;
- :func:`snap_ask`: which cells RoIWarp keeps, read from RoI pooling's trace.
"""
from __future__ import annotations

from ...language import _
from ...lesson.numbers import exact, num, pct
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
        _("Project the RoI onto the map of {H} rows × {W} columns: what are x, y, w and h in cells? "
          "(Keep the fractions.)").format(H=H, W=W),
        box_fields(t.projected, side, whole=False),
        _("{formulas}: divide every number by the stride {stride}.").format(
            formulas=", ".join(f"{exact(v)} / {exact(s)} = {exact(p)}" for v, p in zip(t.roi, t.projected)),
            stride=exact(s)),
        "features",
    )
    quantize = Ask(
        "quantize",
        _("The article's rule snaps the projected box to whole cells. What are x, y, w and h now?"),
        box_fields(t.quantized, side, whole=True),
        _("{formulas}: round each number down, independently of the others.").format(
            formulas=_floors(t)),
        "quantize",
    )
    # The overlap's two sides, for the reason only: its area is the trace's.
    ow, oh = g.overlap_1d(px, px + pw_, c0, c1), g.overlap_1d(py, py + ph_, r0, r1)
    area, inside = t.projected_area, t.overlap_area
    lost_gained = Ask(
        "lost_gained",
        _("How many cells of the projected RoI fall outside the snapped box (lost), "
          "and how many cells of the snapped box lie outside the RoI (gained)?"),
        (
            Field("lost", _("lost"), "cells", t.lost_area, AREA_TOLERANCE, 0.0, float(H * W)),
            Field("gained", _("gained"), "cells", t.gained_area, AREA_TOLERANCE, 0.0, float(H * W)),
        ),
        _("The RoI covers w × h = {w} × {h} {area} cells and the box {rw} × {rh} = {region}; "
          "they share {ow} × {oh} {inside}: lost {area_n} − {inside_n} {lost}, "
          "gained {region} − {inside_n} {gained}.").format(
            w=exact(pw_), h=exact(ph_), area=about(area), rw=rw, rh=rh, region=t.region_area, ow=exact(ow),
            oh=exact(oh), inside=about(inside), area_n=num(area), inside_n=num(inside), lost=about(t.lost_area),
            gained=about(t.gained_area)),
        "quantize",
    )
    used_r, used_c = min(ph * bh, rh), min(pw * bw, rw)

    bins = Ask(
        "bins",
        _("The box of {rh} rows × {rw} columns is split into {ph} × {pw} bins (rows × columns) of whole cells, each "
          "size rounded down, laid from the top-left corner. How many rows and columns is one bin, and how many rows "
          "(at the bottom) and columns (at the right) belong to no bin?").format(rh=rh, rw=rw, ph=ph, pw=pw),
        (
            Field("bin_rows", _("rows per bin"), "", bh, 0.0, 0.0, float(H)),
            Field("bin_cols", _("columns per bin"), "", bw, 0.0, 0.0, float(W)),
            Field("left_rows", _("rows in no bin"), "", rh - used_r, 0.0, 0.0, float(H)),
            Field("left_cols", _("columns in no bin"), "", rw - used_c, 0.0, 0.0, float(W)),
        ),
        _("Rows: {rh} / {ph} {rows} → {bh} per bin, {rows_left}; "
          "columns: {rw} / {pw} {cols} → {bw} per bin, {cols_left}.").format(
            rh=rh, ph=ph, rows=about(rh / ph), bh=bh, rows_left=_rows_left(r0 + used_r, r1),
            rw=rw, pw=pw, cols=about(rw / pw), bw=bw, cols_left=_columns_left(c0 + used_c, c1)),
        "bins",
    )
    dropped = Ask(
        "dropped",
        _("How many cells of the snapped box does the split drop (they belong to no bin)?"),
        (Field("dropped", _("cells dropped"), "cells", t.dropped_cells, 0.0, 0.0, float(H * W)),),
        _("The box has {rh} × {rw} = {area} cells; the bins use {ur} × {uc} = {used}: "
          "{area} − {used} = {dropped} dropped.").format(
            rh=rh, rw=rw, area=t.region_area, ur=used_r, uc=used_c, used=used_r * used_c, dropped=t.dropped_cells),
        "bins",
    )
    # The bins' rows and columns are contiguous: the RoI inside them is a product of two overlaps.
    cw, ch = g.overlap_1d(px, px + pw_, c0, c0 + used_c), g.overlap_1d(py, py + ph_, r0, r0 + used_r)
    coverage = Ask(
        "coverage",
        _("What share of the projected RoI's area lies inside some bin, and so can reach the output at all?"),
        (Field("coverage", _("coverage"), "%", 100 * t.coverage, PERCENT_TOLERANCE, 0.0, 100.0),),
        _("Inside the bins: {cw} columns × {ch} rows {covered} of the RoI's {area} cells; "
          "{covered_n} / {area} {share}, so {never} never reaches the output.").format(
            cw=exact(cw), ch=exact(ch), covered=about(t.covered_area), area=num(area), covered_n=num(t.covered_area),
            share=about_pct(t.coverage), never=pct(1 - t.coverage)),
        "output",
    )
    return project, quantize, lost_gained, bins, dropped, coverage


def _floors(t: PoolTrace) -> str:
    """ "⌊9.25⌋ = 9, ⌊6⌋ = 6, …": the article's rounding of each projected number."""
    return ", ".join(f"⌊{exact(p)}⌋ = {q}" for p, q in zip(t.projected, t.quantized))


def _rows_left(a: int, b: int) -> str:
    """The rows ``[a, b)`` that no bin takes, as a clause of the reason."""
    if b <= a:
        return _("no rows left over")
    return _("row {a} left over").format(a=a) if b - a == 1 else _("rows {a} to {b} left over").format(a=a, b=b - 1)


def _columns_left(a: int, b: int) -> str:
    """The columns ``[a, b)`` that no bin takes, as a clause of the reason."""
    if b <= a:
        return _("no columns left over")
    if b - a == 1:
        return _("column {a} left over").format(a=a)
    return _("columns {a} to {b} left over").format(a=a, b=b - 1)


# ------------------------------------------------------------ Fast R-CNN's code
def _corner_words(p0: float, p1: float, first: int, last: int) -> str:
    return _("{p0} → {first} and {p1} → {last}").format(p0=exact(p0), first=first, p1=exact(p1), last=last)


def fastrcnn_asks(t: PoolTrace, bin_: tuple[int, int]) -> tuple[Ask, ...]:
    (H, W), (ph, pw) = t.map_size, t.output_size
    px, py, pw_, ph_ = t.projected
    xs, ys, rw, rh = t.quantized
    corners = Ask(
        "corners",
        _("Fast R-CNN's code rounds each corner of the projected box to the nearest cell (halves away from zero) "
          "and keeps the cell of the far corner too. Which are the first and last columns, and the first and "
          "last rows? (Count as the rule does, before the box is cut at the map's edge.)"),
        (
            index_field("first_col", _("first column"), xs, W),
            index_field("last_col", _("last column"), xs + rw - 1, W),
            index_field("first_row", _("first row"), ys, H),
            index_field("last_row", _("last row"), ys + rh - 1, H),
        ),
        _("Columns: {columns}, so {rw} columns; rows: {rows}, so {rh} rows: round each corner, "
          "keep the far cell.").format(
            columns=_corner_words(px, px + pw_, xs, xs + rw - 1), rw=rw,
            rows=_corner_words(py, py + ph_, ys, ys + rh - 1), rh=rh),
        "quantize",
    )
    bh, bw = t.bin_size
    size = Ask(
        "bin_size",
        _("The rounded box is cut into {ph} × {pw} bins whose size is kept as a fraction. "
          "How many rows and columns is one bin?").format(ph=ph, pw=pw),
        (cells_field("bin_rows", _("rows per bin"), bh, H), cells_field("bin_cols", _("columns per bin"), bw, W)),
        _("{rh} rows / {ph} {rows} and {rw} columns / {pw} {cols}: nothing is rounded yet.").format(
            rh=rh, ph=ph, rows=about(bh), rw=rw, pw=pw, cols=about(bw)),
        "bins",
    )
    i, j = bin_
    r0, r1, c0, c1 = t.bins[i][j]
    # The same bins, not cut at the map's edge: the reason shows the rule's own numbers.
    uncut, _sizes = g.fastrcnn_bins(t.quantized, t.output_size, (2**30, 2**30))
    ur0, ur1, uc0, uc1 = uncut[i][j]

    def edges(start: int, n: int, size: int, p: int, lo: int, hi: int) -> str:
        # The bin size as the fraction it is (10/7), so no rounded number is floored or ceiled.
        return _("{first} to {last}").format(first=f"{start} + ⌊{n} × {size}/{p}⌋ = {lo}",
                                             last=f"{start} + ⌈{n + 1} × {size}/{p}⌉ − 1 = {hi - 1}")

    rows, columns = edges(ys, i, rh, ph, ur0, ur1), edges(xs, j, rw, pw, uc0, uc1)
    if r1 != ur1:
        rows = _("{span}, cut to row {cut} at the map's edge").format(span=rows, cut=r1 - 1)
    if c1 != uc1:
        columns = _("{span}, cut to column {cut} at the map's edge").format(span=columns, cut=c1 - 1)
    one_bin = Ask(
        "bin",
        _("Which cells does bin ({i}, {j}) read? Give its first and last row and first and last column. "
          "(Bins are counted from (0, 0) at the top left; a bin takes every cell its fractional edges touch.)").format(
            i=i, j=j),
        (
            index_field("first_row", _("first row"), r0, H),
            index_field("last_row", _("last row"), r1 - 1, H),
            index_field("first_col", _("first column"), c0, W),
            index_field("last_col", _("last column"), c1 - 1, W),
        ),
        _("Rows: {rows}; columns: {columns}.").format(rows=rows, columns=columns),
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
        text = _("RoIWarp first snaps the RoI to whole cells, as RoI pooling does with the article's rule. Which "
                 "cells does it keep? Give x and y (the first column and row) and w and h (how many columns and rows).")
        how = _("{formulas}: round each number down.").format(formulas=_floors(t))
    else:
        xs, ys, rw, rh = t.quantized
        text = _("RoIWarp first snaps the RoI to whole cells, as RoI pooling does with Fast R-CNN's rule. Which "
                 "cells does it keep? Give x and y (the first column and row) and w and h (how many columns and rows).")
        corners = {"columns": _corner_words(px, px + pw_, xs, xs + rw - 1),
                   "rows": _corner_words(py, py + ph_, ys, ys + rh - 1)}
        if (ys, ys + rh, xs, xs + rw) != t.region:
            how = _("columns {columns}, rows {rows}: round each corner, keep the far cell, then cut at the map's edge "
                    "to {h} rows × {w} columns.").format(**corners, h=r1 - r0, w=c1 - c0)
        else:
            how = _("columns {columns}, rows {rows}: round each corner, keep the far cell.").format(**corners)
    return Ask("snap", text, box_fields(g.box_of_span(t.region), max(H, W), whole=True), how, "quantize")
