"""Numbers as a student reads them: one rule, kept here and nowhere else.

The words of every step, the labels, legends and titles of every figure, and
the handout all format their numbers with these functions, so a number reads
the same wherever it appears. The JSON of ``explain --json``
(:func:`roi_viz.export.numbers`) keeps the full values and never comes here.

**The rule.** The RoI's own numbers are exact; every other number is rounded
to 2 decimals; a share is a percentage to 1 decimal; an activation (and an
interpolation weight) keeps 3 significant figures, all of them written.

- :func:`exact`: the RoI in pixels and the RoI projected onto the map (pixels
  divided by the stride), wherever they appear. Exactness is the lesson
  there: the stride is a power of two (16 or 32), so a whole number of pixels
  divided by it ends after at most 5 decimals (145 / 32 = 4.53125), and the
  article writes them in full. Sums of them (the far corner, 9.25 + 6.25 =
  15.5) end as soon.
- :func:`num`, :func:`cells`: everything else measured in cells or pixels
  (areas, bin sizes, positions of sampling points),
  rounded to 2 decimals with the trailing zeros dropped: 28.3203125 cells
  reads 28.32 cells. Where an equation shows rounded numbers it says "≈"
  (:func:`eq`).
- :func:`pct`: a share of an area, 60.9 %.
- :func:`value`: an activation of the network. Its scale changes from channel
  to channel (0.004 in one, 120 in another), so it keeps 3 significant
  figures instead of 2 decimals, and writes all three, trailing zeros
  included (4.50, 0.640, 12.0): a table that says "3 significant figures"
  shows them. Only 0 is written bare, and a value of 1000 or more whole.
- :func:`weight`: an interpolation weight, which a student multiplies by an
  activation. It keeps 3 significant figures as the activation does (0.640,
  1.00): with 2 decimals a weight of 0.033 would read 0.03, and 0.437 × 0.03
  would not give the product printed beside it.
"""
from __future__ import annotations

DECIMALS = 2  # every number that is not the RoI's own, see the rule above


def exact(v: float) -> str:
    """The RoI's own numbers (pixels, and pixels ÷ stride), in full: 4.53125, 9.25, 296."""
    v = float(v)
    if v.is_integer():
        return str(int(v))
    return f"{v:.10f}".rstrip("0").rstrip(".")  # 10 places: the float's noise (…0000001) is dropped


def num(v: float, digits: int = DECIMALS) -> str:
    """Any other number: rounded to 2 decimals, no trailing zeros (28.3203125 → 28.32, 6.0 → 6)."""
    text = f"{float(v):.{digits}f}".rstrip("0").rstrip(".") if digits > 0 else f"{float(v):.0f}"
    return "0" if text in ("-0", "") else text


def rounded(v: float) -> bool:
    """Whether :func:`num` drops digits of ``v`` (then an equation with it says "≈")."""
    return abs(float(num(v)) - float(v)) > 1e-12


def eq(*values: float) -> str:
    """ "=" or, when any of ``values`` is shown rounded, "≈"."""
    return "≈" if any(rounded(v) for v in values) else "="


def cells(v: float) -> str:
    """An area or length in cells: "5.32 cells", "1 cell"."""
    text = num(v)
    return f"{text} cell" + ("" if text == "1" else "s")


def pct(v: float) -> str:
    """A share in [0, 1] as a percentage to 1 decimal: "60.9 %"."""
    return f"{100 * v:.1f} %"


def value(v: float) -> str:
    """An activation: 3 significant figures, all written (0.0123, 4.50, 0.640, 123), never a power of ten.

    0 is written "0"; from 999.5 on, the whole number (1000, 1234).
    """
    v = float(v)
    if v == 0:
        return "0"
    if abs(v) >= 999.5:  # 3 significant figures would be written 1e+03
        return f"{v:.0f}"
    text = f"{v:#.3g}"  # "#": the trailing zeros stay (0.640, not 0.64)
    if "e" in text:  # tiny values: 3 significant figures written out
        text = f"{v:.{2 - int(f'{v:e}'.split('e')[1])}f}"
    return text.rstrip(".")  # "123." -> "123"


def weight(v: float) -> str:
    """An interpolation weight in [0, 1]: 3 significant figures, as the activations it multiplies (0.0333, 0.640, 1.00)."""
    return value(v)


def rows_by_columns(rows: float, cols: float) -> str:
    """The size of a block of cells, rows first as everywhere (see the glossary's "order of numbers"), in words:
    "1 row × 2 columns", "1.43 rows × 1.86 columns"."""
    r, c = num(rows), num(cols)
    return f"{r} row{'' if r == '1' else 's'} × {c} column{'' if c == '1' else 's'}"


def span_words(a: int, b: int, what: str) -> str:
    """Half-open ``[a, b)`` in words."""
    if b <= a:
        return f"no {what}s"
    return f"{what} {a}" if b - a == 1 else f"{what}s {a} to {b - 1}"
