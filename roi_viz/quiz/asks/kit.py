"""Small parts every ask is built from: answer boxes with their tolerances, and "= 23" / "≈ 28.32" in reasons."""
from __future__ import annotations

from ...lesson.numbers import eq, exact, num, pct
from ..model import Field

CELL_TOLERANCE = 0.01  # a position or size in cells
PERCENT_TOLERANCE = 0.5  # percentage points
WEIGHT_TOLERANCE = 0.01  # a bilinear weight, a fraction of 1
AREA_TOLERANCE = 0.01  # cells


def cells_field(key: str, label: str, answer: float, high: float, whole: bool = False, shown: str = "") -> Field:
    """A position or size in cells: exact when it is whole cells, else ±0.01 cell."""
    return Field(key, label, "cells", float(answer), 0.0 if whole else CELL_TOLERANCE, 0.0, float(high), shown)


def index_field(key: str, label: str, answer: int, high: int) -> Field:
    """A row or column number, counted from 0: exact."""
    return Field(key, label, "", float(answer), 0.0, 0.0, float(high))


def box_fields(box, high: float, whole: bool) -> tuple[Field, ...]:
    # A projected box is printed in full, as the lesson prints the RoI's own numbers.
    return tuple(cells_field(n, n, v, high, whole, "" if whole else exact(v)) for n, v in zip("xywh", box))


def about(v: float, text: str | None = None) -> str:
    """ "= 23" or "≈ 28.32": the sign, then the number as the lesson prints it."""
    return f"{eq(v)} {num(v) if text is None else text}"


def about_pct(share: float) -> str:
    """ "= 50.0 %" or "≈ 60.9 %" for a share in [0, 1]."""
    return f"{'=' if abs(1000 * share - round(1000 * share)) < 1e-9 else '≈'} {pct(share)}"
