"""The asks of the methods that sample points (RoIAlign, RoIWarp) and the bin size they share
with Precise RoI Pooling: one bin's size, where one sampling point lies, the four cells it
reads and their bilinear weights.
"""
from __future__ import annotations

from ...language import N_, _
from ...lesson.numbers import exact, num
from ...ops.maps import VALUE_TO_CELL
from ...ops.prroi import PrRoITrace
from ...ops.roialign import AlignTrace
from ..model import Ask, Field
from .kit import AREA_TOLERANCE, WEIGHT_TOLERANCE, about, cells_field, index_field


# The four cells around a point, in the trace's order; the names are also the answer boxes' keys (in English).
CORNERS = (N_("top left"), N_("top right"), N_("bottom left"), N_("bottom right"))


def bin_size_ask(t: AlignTrace | PrRoITrace, name: str, step: str) -> Ask:
    (H, W), (ph, pw) = t.map_size, t.output_size
    bh, bw = t.bin_size
    bx, by, bwid, bhei = t.box
    area = isinstance(t, PrRoITrace)  # an exact integral over the bin: its area is what it divides by
    if t.snapped:
        why = _("the snapped box split evenly, fractions kept")
        if area:
            text = _("{name} splits the snapped box ({h} rows × {w} columns) into {ph} × {pw} bins. How many rows and "
                     "columns is one bin, and what is its area?")
        else:
            text = _("{name} splits the snapped box ({h} rows × {w} columns) into {ph} × {pw} bins. How many rows and "
                     "columns is one bin?")
    else:
        why = _("the projected box split evenly; nothing is rounded")
        # RoIAlign's legacy rule (RoIWarp is always aligned; PrRoI's authors' rule does not widen).
        if isinstance(t, AlignTrace) and not t.aligned and min(t.projected[2:]) < 1:
            why = _("the projected box split evenly; nothing is rounded (the legacy rule widens a box narrower than "
                    "a cell to one cell)")
        if area:
            text = _("{name} splits the box into {ph} × {pw} bins. How many rows and columns is one bin, and what is "
                     "its area?")
        else:
            text = _("{name} splits the box into {ph} × {pw} bins. How many rows and columns is one bin?")
    text = text.format(name=name, h=exact(bhei), w=exact(bwid), ph=ph, pw=pw)
    fields = [cells_field("bin_rows", _("rows per bin"), bh, H), cells_field("bin_cols", _("columns per bin"), bw, W)]
    numbers = dict(h=exact(bhei), ph=ph, rows=about(bh), w=exact(bwid), pw=pw, cols=about(bw), why=why)
    if area:
        fields.append(Field("bin_area", _("bin area"), "cells²", t.bin_area, AREA_TOLERANCE, 0.0, float(H * W)))
        reason = _("{h} / {ph} {rows} rows and {w} / {pw} {cols} columns: {why}; the area is {bh} × {bw} {area} "
                   "cells².").format(**numbers, bh=num(bh), bw=num(bw), area=about(t.bin_area))
    else:
        reason = _("{h} / {ph} {rows} rows and {w} / {pw} {cols} columns: {why}.").format(**numbers)
    return Ask("bin_size", text, tuple(fields), reason, step)


def point_ask(t: AlignTrace, i: int, j: int, k: int) -> Ask:
    (H, W), (ph, pw), (gh, gw) = t.map_size, t.output_size, t.grid
    y, x = (float(v) for v in t.samples[i, j, k])
    iy, ix = divmod(k, gw)
    bx, by, bwid, bhei = t.box
    legacy = not t.aligned  # RoIWarp samples its snapped cells aligned, so only RoIAlign's legacy rule
    # Where the point sits inside its bin: the centre of its sub-cell, as a fraction of the bin.
    fy, fx = (iy + 0.5) / gh, (ix + 0.5) / gw
    if legacy:
        text = _("Each bin holds {gh} × {gw} sampling points at the centres of equal sub-cells, counted from 1 left to "
                 "right, then top to bottom; bins are counted from (0, 0) at the top left. Where does point {k} of bin "
                 "({i}, {j}) lie? Give x (across) and y (down) in cells: cell (r, c) covers columns c to c + 1 "
                 "and rows r to r + 1. (aligned is off.)")
        reason = _("x = {x}, y = {y}: the box's corner, plus {j} bins across and {i} down, plus the centre of the "
                   "point's sub-cell ({ix} of {gw} across, {iy} of {gh} down). The legacy rule reads the box half a "
                   "cell right and down: it starts at {px} + 0.5, {py} + 0.5.")
    else:
        text = _("Each bin holds {gh} × {gw} sampling points at the centres of equal sub-cells, counted from 1 left to "
                 "right, then top to bottom; bins are counted from (0, 0) at the top left. Where does point {k} of bin "
                 "({i}, {j}) lie? Give x (across) and y (down) in cells: cell (r, c) covers columns c to c + 1 "
                 "and rows r to r + 1.")
        reason = _("x = {x}, y = {y}: the box's corner, plus {j} bins across and {i} down, plus the centre of the "
                   "point's sub-cell ({ix} of {gw} across, {iy} of {gh} down).")
    return Ask(
        "point",
        text.format(gh=gh, gw=gw, k=k + 1, i=i, j=j),
        (cells_field("x", "x", x, W + 1), cells_field("y", "y", y, H + 1)),
        reason.format(x=f"{exact(bx)} + ({j} + {num(fx)}) × {exact(bwid)}/{pw} {about(x)}",
                      y=f"{exact(by)} + ({i} + {num(fy)}) × {exact(bhei)}/{ph} {about(y)}", i=i, j=j, ix=ix + 1,
                      gw=gw, iy=iy + 1, gh=gh, px=exact(t.projected[0]), py=exact(t.projected[1])),
        "sampling",
        (i, j, k),
    )


def bilinear_asks(t: AlignTrace, i: int, j: int, k: int) -> tuple[Ask, Ask]:
    (H, W) = t.map_size
    y, x = (float(v) for v in t.samples[i, j, k])
    four = t.neighbours(i, j, k)  # top-left, top-right, bottom-left, bottom-right
    (r, c, _w), names = four[0], CORNERS
    vy, vx = y - VALUE_TO_CELL, x - VALUE_TO_CELL
    listed = ", ".join(f"({rr}, {cc})" for rr, cc, __ in four)
    cells = Ask(
        "cells",
        _("That point (x {x}, y {y}) reads the four cells whose centres surround it; a cell's value sits at its "
          "centre, half a cell in from its edges. Give the row of the upper two cells and the column of the left "
          "two.").format(x=about(x), y=about(y)),
        (index_field("row", _("upper row"), r, H - 1), index_field("col", _("left column"), c, W - 1)),
        _("y − 0.5 {vy} lies between rows {r} and {r1}, x − 0.5 {vx} between columns {c} and {c1}: "
          "cells {cells}.").format(vy=about(vy), r=r, r1=r + 1, vx=about(vx), c=c, c1=c + 1, cells=listed),
        "bilinear",
        (i, j, k),
    )
    dx, dy = vx - c, vy - r
    formulas = ("(1 − dx)(1 − dy)", "dx(1 − dy)", "(1 − dx)dy", "dx·dy")
    weights = Ask(
        "weights",
        _("How much does each of the four cells {cells} count in the point's value? "
          "Give the bilinear weights (fractions that add up to 1).").format(cells=listed),
        tuple(Field(n.replace(" ", "_"), _(n), "", w, WEIGHT_TOLERANCE, 0.0, 1.0)
              for n, (_r, _c, w) in zip(names, four)),
        _("From the top-left centre the point is dx {dx} across and dy {dy} down: {formulas}.").format(
            dx=about(dx), dy=about(dy),
            formulas=", ".join(f"{f} {about(w)}" for f, (_r, _c, w) in zip(formulas, four))),
        "bilinear",
        (i, j, k),
    )
    return cells, weights
