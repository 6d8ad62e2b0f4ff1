"""The asks about one RoI, in the walkthrough's order, chosen by the method record's traits.

:func:`asks_for` runs the record (``run``) once and asks its traits, never its
name: bins of whole cells (:mod:`.pooling`), points sampled, after a snap to
cells or not (:mod:`.sampling`), or an exact integral (:mod:`.integral`).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ...language import _
from ...state.settings import Settings
from ...methods import POOL, method
from ...ops.maps import VALUE_TO_CELL
from ...ops.roialign import AlignTrace
from ..model import Ask
from ..run import run_method
from .integral import share_ask
from .pooling import article_asks, fastrcnn_asks, snap_ask
from .sampling import bilinear_asks, bin_size_ask, point_ask


def asks_for(
    roi: Sequence[float],
    settings: Settings,
    *,
    focus: tuple[int, int, int] = (0, 0, 0),
    cell: tuple[int, int] | None = None,
) -> tuple[Ask, ...]:
    """Every ask about ``roi`` under ``settings``, in the walkthrough's order.

    Args:
        roi: ``(x, y, w, h)`` in pixels of the model input.
        settings: the method, rule, layer, output size and options.
        focus: the bin ``(i, j)`` asked about (Fast R-CNN's rule, PrRoI) and point
            ``k`` in it (RoIAlign, RoIWarp; counted from 0).
        cell: PrRoI: the cell ``(row, column)`` whose share is asked; by default the
            one that counts most in the bin.

    Raises:
        ValueError: the focus is outside the output, or (RoIAlign, RoIWarp) the point
            lies where torchvision reads the map's edge cell (see :func:`interior`).
    """
    t = run_method(roi, settings)
    ph, pw = settings.output_size
    i, j, k = focus
    if not (0 <= i < ph and 0 <= j < pw):
        raise ValueError(f"There is no bin ({i}, {j}) in a {ph} × {pw} output.")
    rec = method(settings.method)
    if rec.whole_cell_bins:
        return article_asks(t) if t.scheme == "article" else fastrcnn_asks(t, (i, j))
    if rec.integrates:
        if cell is None:
            cell = tuple(int(v) for v in np.unravel_index(np.argmax(t.weight_map(i, j)), t.map_size))
        return (bin_size_ask(t, _(rec.name), "integrate"), share_ask(t, i, j, cell))
    if not 0 <= k < t.points_per_bin or not interior(t, i, j, k):
        raise ValueError(f"Point {k + 1} of bin ({i}, {j}) does not read four cells inside the map; pick another.")
    head = (snap_ask(run_method(roi, settings.with_(method=POOL))),) if rec.snaps_to_cells else ()
    return head + (bin_size_ask(t, _(rec.name), "sampling"), point_ask(t, i, j, k), *bilinear_asks(t, i, j, k))


def interior(t: AlignTrace, i: int, j: int, k: int) -> bool:
    """Does point ``k`` of bin ``(i, j)`` read four distinct cells by the plain bilinear rule?

    Near the map's edge torchvision reads the edge cell for the missing ones,
    which is not what a student computes by hand; the quiz avoids those points.
    """
    y, x = t.samples[i, j, k] - VALUE_TO_CELL  # value coordinates: cell centres at whole numbers
    H, W = t.map_size
    return bool(t.valid[i, j, k]) and 0 <= y < H - 1 and 0 <= x < W - 1
