"""The asks of the methods that sample points (RoIAlign, RoIWarp) and the bin size they share
with Precise RoI Pooling: one bin's size, where one sampling point lies, the four cells it
reads and their bilinear weights.
"""
from __future__ import annotations

from ...lesson.numbers import exact, num
from ...ops.maps import VALUE_TO_CELL
from ...ops.prroi import PrRoITrace
from ...ops.roialign import AlignTrace
from ..model import Ask, Field
from .kit import AREA_TOLERANCE, WEIGHT_TOLERANCE, about, cells_field, index_field


def bin_size_ask(t: AlignTrace | PrRoITrace, name: str, step: str) -> Ask:
    (H, W), (ph, pw) = t.map_size, t.output_size
    bh, bw = t.bin_size
    bx, by, bwid, bhei = t.box
    if t.snapped:
        what = f"the snapped box ({exact(bhei)} rows × {exact(bwid)} columns)"
        why = "the snapped box split evenly, fractions kept"
    else:
        what = "the box"
        why = "the projected box split evenly; nothing is rounded"
        # RoIAlign's legacy rule (RoIWarp is always aligned; PrRoI's authors' rule does not widen).
        if isinstance(t, AlignTrace) and not t.aligned and min(t.projected[2:]) < 1:
            why += " (the legacy rule widens a box narrower than a cell to one cell)"
    fields = [cells_field("bin_rows", "rows per bin", bh, H), cells_field("bin_cols", "columns per bin", bw, W)]
    reason = f"{exact(bhei)} / {ph} {about(bh)} rows and {exact(bwid)} / {pw} {about(bw)} columns: {why}."
    text = f"{name} splits {what} into {ph} × {pw} bins. How many rows and columns is one bin?"
    if isinstance(t, PrRoITrace):  # an exact integral over the bin: its area is what it divides by
        fields.append(Field("bin_area", "bin area", "cells²", t.bin_area, AREA_TOLERANCE, 0.0, float(H * W)))
        text = text[:-1] + ", and what is its area?"
        reason = reason[:-1] + f"; the area is {num(bh)} × {num(bw)} {about(t.bin_area)} cells²."
    return Ask("bin_size", text, tuple(fields), reason, step)


def point_ask(t: AlignTrace, i: int, j: int, k: int) -> Ask:
    (H, W), (ph, pw), (gh, gw) = t.map_size, t.output_size, t.grid
    y, x = (float(v) for v in t.samples[i, j, k])
    iy, ix = divmod(k, gw)
    bx, by, bwid, bhei = t.box
    legacy = not t.aligned  # RoIWarp samples its snapped cells aligned, so only RoIAlign's legacy rule
    # Where the point sits inside its bin: the centre of its sub-cell, as a fraction of the bin.
    fy, fx = (iy + 0.5) / gh, (ix + 0.5) / gw
    shift = (f" The legacy rule reads the box half a cell right and down: it starts at "
             f"{exact(t.projected[0])} + 0.5, {exact(t.projected[1])} + 0.5." if legacy else "")
    return Ask(
        "point",
        f"Each bin holds {gh} × {gw} sampling points at the centres of equal sub-cells, counted from 1 left to right, "
        f"then top to bottom; bins are counted from (0, 0) at the top left. Where does point {k + 1} of bin ({i}, {j}) "
        "lie? Give x (across) and y (down) in cells: cell (r, c) covers columns c to c + 1 and rows r to r + 1."
        + (" (aligned is off.)" if legacy else ""),
        (cells_field("x", "x", x, W + 1), cells_field("y", "y", y, H + 1)),
        f"x = {exact(bx)} + ({j} + {num(fx)}) × {exact(bwid)}/{pw} {about(x)}, "
        f"y = {exact(by)} + ({i} + {num(fy)}) × {exact(bhei)}/{ph} {about(y)}: the box's corner, plus {j} bins "
        f"across and {i} down, plus the centre of the point's sub-cell ({ix + 1} of {gw} across, {iy + 1} of {gh} "
        "down)." + shift,
        "sampling",
        (i, j, k),
    )


def bilinear_asks(t: AlignTrace, i: int, j: int, k: int) -> tuple[Ask, Ask]:
    (H, W) = t.map_size
    y, x = (float(v) for v in t.samples[i, j, k])
    four = t.neighbours(i, j, k)  # top-left, top-right, bottom-left, bottom-right
    (r, c, _), names = four[0], ("top left", "top right", "bottom left", "bottom right")
    vy, vx = y - VALUE_TO_CELL, x - VALUE_TO_CELL
    listed = ", ".join(f"({rr}, {cc})" for rr, cc, _ in four)
    cells = Ask(
        "cells",
        f"That point (x {about(x)}, y {about(y)}) reads the four cells whose centres surround it; a cell's "
        "value sits at its centre, half a cell in from its edges. Give the row of the upper two cells and the "
        "column of the left two.",
        (index_field("row", "upper row", r, H - 1), index_field("col", "left column", c, W - 1)),
        f"y − 0.5 {about(vy)} lies between rows {r} and {r + 1}, x − 0.5 {about(vx)} between columns "
        f"{c} and {c + 1}: cells {listed}.",
        "bilinear",
        (i, j, k),
    )
    dx, dy = vx - c, vy - r
    formulas = ("(1 − dx)(1 − dy)", "dx(1 − dy)", "(1 − dx)dy", "dx·dy")
    weights = Ask(
        "weights",
        f"How much does each of the four cells {listed} count in the point's value? "
        "Give the bilinear weights (fractions that add up to 1).",
        tuple(Field(n.replace(" ", "_"), n, "", w, WEIGHT_TOLERANCE, 0.0, 1.0) for n, (_, _, w) in zip(names, four)),
        f"From the top-left centre the point is dx {about(dx)} across and dy {about(dy)} down: "
        + ", ".join(f"{f} {about(w)}" for f, (_, _, w) in zip(formulas, four)) + ".",
        "bilinear",
        (i, j, k),
    )
    return cells, weights
