"""Numbers as a student writes them: no trailing zeros, cells counted in words.

Shared by the words of each step and the labels in the figures, so that a
number reads the same in both.
"""
from __future__ import annotations


def num(v: float, digits: int = 6) -> str:
    """A number as a student would write it: no trailing zeros, at most ``digits`` decimals."""
    if float(v).is_integer():
        return str(int(v))
    return f"{v:.{digits}f}".rstrip("0").rstrip(".")


def cells(v: float) -> str:
    return f"{num(v, 7)} cell" + ("" if v == 1 else "s")


def pct(v: float) -> str:
    return f"{100 * v:.1f} %"


def span_words(a: int, b: int, what: str) -> str:
    """Half-open ``[a, b)`` in words."""
    if b <= a:
        return f"no {what}s"
    return f"{what} {a}" if b - a == 1 else f"{what}s {a} to {b - 1}"
