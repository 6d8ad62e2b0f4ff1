"""Reading what was typed: :func:`parse_number` turns one answer box's text into a number, or says why not."""
from __future__ import annotations

import math
import re

from ..language import _
from ..lesson.numbers import num

# A Chinese keyboard types full-width digits and marks (９．２５，３７／８，６０％): read as their ASCII twins.
_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + d): str(d) for d in range(10)},
                             "．": ".", "，": ",", "／": "/", "％": "%", "－": "-", "＋": "+", "\u3000": " "})
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def parse_number(text: str | None, *, percent: bool = False, low: float = -math.inf,
                 high: float = math.inf) -> tuple[float | None, str]:
    """Read one typed answer. Returns ``(value, note)`` or ``(None, why)``: one plain sentence.

    Accepted: ``9.25``, `` 9.25 `` (spaces around), ``37/8`` (a fraction, read as
    4.625), ``-0`` (read as 0), ``1e1`` (read as 10), the minus sign ``−`` the
    lesson's text prints, and ``60 %`` or ``60%`` where ``percent`` is true; full-width digits and
    marks as a Chinese keyboard types them (``９．２５``, ``３７／８``, ``６０％``) read as the same.

    A comma is a **decimal mark**: ``4,625`` is 4.625, and so is ``1,234`` read
    as 1.234, not 1234. Every number in this quiz is small (cells, shares,
    weights), so a thousands separator is never needed, while half of Europe
    types its decimals with a comma. Two commas, or a comma and a point, are
    refused rather than guessed. The note says how a fraction or a comma was read.

    ``None`` (not answered yet, never counted as a try): empty, not a number
    (``abc``, ``nan``, ``inf``), a division by zero, too large to be finite, or
    outside ``[low, high]``, what can ever be right for that field.
    """
    t = ("" if text is None else str(text)).translate(_FULL_WIDTH).strip().replace("\u2212", "-")
    if not t:
        return None, _("No answer yet.")
    if t.endswith("%"):
        if not percent:
            return None, _("This answer is not a percentage: type the number alone.")
        t = t[:-1].rstrip()
        if not t:
            return None, _("Type a number before the {sign} sign.").format(sign="%")  # "% s" would read as a format
    comma = "," in t
    if comma:
        if t.count(",") > 1 or "." in t:
            return None, _("Use one decimal mark, as in 4.625 or 4,625 (thousands separators are not read).")
        t = t.replace(",", ".")
    parts = [p.strip() for p in t.split("/")]
    if len(parts) > 2 or not all(_NUMBER.fullmatch(p) for p in parts):
        shown = str(text).strip()
        return None, _("“{typed}” is not a number: type digits such as 9.25 or a fraction such as 37/8.").format(
            typed=shown[:20])
    fraction = len(parts) == 2
    if fraction:
        if float(parts[1]) == 0:
            return None, _("A fraction cannot divide by zero.")
        value = float(parts[0]) / float(parts[1])
    else:
        value = float(parts[0])
    if not math.isfinite(value):
        return None, _("That number is too large to be an answer here.")
    value += 0.0  # -0.0 becomes 0.0
    # A huge typed value is echoed in scientific notation: 1e308 written out has 309 digits.
    shown = num(value, 4) if abs(value) < 1e9 else f"{value:.3g}"
    if value < low:
        if low == 0:
            return None, _("A negative number cannot be right here.")
        return None, _("{typed} is below anything possible here (at least {low}).").format(typed=shown, low=num(low))
    if value > high:
        return None, _("{typed} is more than anything possible here (at most {high}).").format(
            typed=shown, high=num(high))
    if comma and fraction:
        return value, _("Read as {value} (the comma is read as a decimal mark; a fraction).").format(
            value=num(value, 6))
    if comma:
        return value, _("Read as {value} (the comma is read as a decimal mark).").format(value=num(value, 6))
    if fraction:
        return value, _("Read as {value} (a fraction).").format(value=num(value, 6))
    return value, ""
