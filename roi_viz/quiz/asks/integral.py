"""The ask of the methods that integrate (Precise RoI Pooling): how much one cell counts in one bin's average."""
from __future__ import annotations

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
        f"Bin ({i}, {j})'s value is the exact average of the bilinear surface over the bin, a weighted sum of "
        f"cells: each cell adds one bump, its value at its centre falling to 0 at the neighbouring centres. How much "
        f"does cell ({r}, {c}) count? Give its share along the rows (how much of the bin's rows its bump covers), "
        "along the columns, and in the bin's average (their product), in %.",
        (
            Field("row_share", "share along the rows", "%", 100 * rows, PERCENT_TOLERANCE, 0.0, 100.0),
            Field("col_share", "share along the columns", "%", 100 * cols, PERCENT_TOLERANCE, 0.0, 100.0),
            Field("share", "share in the bin", "%", 100 * share, PERCENT_TOLERANCE, 0.0, 100.0),
        ),
        f"Row {r}'s bump covers {num(row_int)} of the bin's {num(bh)} rows: {pct(rows)}; column {c}'s covers "
        f"{num(col_int)} of its {num(bw)} columns: {pct(cols)}; {pct(rows)} × {pct(cols)} {about_pct(share)}.",
        "integrate",
        (i, j, 0),
        (int(r), int(c)),
    )
