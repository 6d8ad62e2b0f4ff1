"""The ask of the methods that integrate (Precise RoI Pooling): how much one cell counts in one bin's average."""
from __future__ import annotations

from ...language import _
from ...lesson.numbers import num, pct
from ...ops.prroi import PrRoITrace
from ..model import Ask, Field
from .kit import PERCENT_TOLERANCE, about_pct


def share_ask(t: PrRoITrace, i: int, j: int, cell: tuple[int, int]) -> Ask:
    r, c = cell
    bh, bw = t.bin_size
    row_int, col_int = float(t.row_weights[i][r]), float(t.col_weights[j][c])
    rows, cols, share = row_int / bh, col_int / bw, float(t.weight_map(i, j)[r, c])
    return Ask(
        "share",
        _("Bin ({i}, {j})'s value is the exact average of the bilinear surface over the bin, a weighted sum of "
          "cells: each cell adds one bump, its value at its centre falling to 0 at the neighbouring centres. How much "
          "does cell ({r}, {c}) count? Give its share along the rows (how much of the bin's rows its bump covers), "
          "along the columns, and in the bin's average (their product), in %.").format(i=i, j=j, r=r, c=c),
        (
            Field("row_share", _("share along the rows"), "%", 100 * rows, PERCENT_TOLERANCE, 0.0, 100.0),
            Field("col_share", _("share along the columns"), "%", 100 * cols, PERCENT_TOLERANCE, 0.0, 100.0),
            Field("share", _("share in the bin"), "%", 100 * share, PERCENT_TOLERANCE, 0.0, 100.0),
        ),
        _("Row {r}'s bump covers {row_cells} of the bin's {bin_rows} rows: {rows}; column {c}'s covers "
          "{col_cells} of its {bin_cols} columns: {cols}; {rows} × {cols} {share}.").format(
            r=r, row_cells=num(row_int), bin_rows=num(bh), rows=pct(rows), c=c, col_cells=num(col_int),
            bin_cols=num(bw), cols=pct(cols), share=about_pct(share)),
        "integrate",
        (i, j, 0),
        (int(r), int(c)),
    )
