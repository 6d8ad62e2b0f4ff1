"""What the quiz is made of: a :class:`Question` (a random RoI and its settings), its
:class:`Ask` s in the walkthrough's order, and the :class:`Field` s a student types.

Plain frozen records: they hold the answers and the words, and compute nothing
but how an answer is printed and whether a typed value is within tolerance.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..language import _, ngettext
from ..lesson.numbers import num
from ..state.settings import Settings
from ..methods import method
from .run import map_size


@dataclass(frozen=True)
class Field:
    """One number to type: its input box and the value it is graded against."""

    key: str  # the key in the answers dict
    label: str  # the input box's label, e.g. "x" or "rows per bin"
    unit: str  # "cells", "cells²", "%", "" (a plain number)
    answer: float
    tolerance: float  # 0: exact (a whole number)
    low: float  # nothing below can be right here: refused unread, like a typo
    high: float  # nothing above can be right here
    shown: str = ""  # the answer as the lesson prints it; "" for the usual rule (see answer_text)

    @property
    def percent(self) -> bool:
        return self.unit == "%"

    @property
    def tolerance_words(self) -> str:
        if self.tolerance == 0:
            return _("exact")
        return "±" + amount(num(self.tolerance), self.unit)

    @property
    def unit_words(self) -> str:
        """The unit as the input box's label names it ("cells", "%"); "" for a plain number."""
        return unit_name(self.unit)

    @property
    def label_words(self) -> str:
        """The input box's label: "x (cells)", "rows per bin"."""
        return _("{label} ({unit})").format(label=self.label, unit=self.unit_words) if self.unit else self.label

    @property
    def answer_text(self) -> str:
        """The answer by the lesson's rule (``lesson.numbers``): a share to 1 decimal, anything else to 2,
        unless the ask says otherwise (the projected RoI is printed in full)."""
        return self.shown or (f"{self.answer:.1f}" if self.percent else num(self.answer))

    @property
    def answer_words(self) -> str:
        text = self.answer_text
        sign = "=" if float(text) == self.answer else "≈"
        return f"{self.label} {sign} {amount(text, self.unit)}"

    def is_right(self, value: float) -> bool:
        # The tiny slack absorbs float round-off, so 9.26 is within ±0.01 of 9.25.
        return abs(value - self.answer) <= self.tolerance + 1e-9 * max(1.0, abs(self.answer))


@dataclass(frozen=True)
class Ask:
    """One question: the words, the numbers to type, why the answer is what it is, and where it is taught."""

    id: str  # unique within a question, e.g. "project"
    text: str  # the question, for a student who has read the article
    fields: tuple[Field, ...]
    reason: str  # one line: the arithmetic with this RoI's numbers
    step: str  # the key of the step in roi_viz.methods.METHODS[method].plan that teaches it
    focus: tuple[int, int, int] | None = None  # bin (i, j) and point k asked about (the step's close-up)
    cell: tuple[int, int] | None = None  # PrRoI: the cell (row, column) whose share is asked

    @property
    def answer(self) -> dict[str, float]:
        return {f.key: f.answer for f in self.fields}

    @property
    def answer_words(self) -> str:
        words = [f.answer_words for f in self.fields]
        text = words[0]
        for word in words[1:]:  # "x = 9.25 cells, y = 6 cells": a list in the language's own punctuation
            text = _("{first}, {then}").format(first=text, then=word)
        return text


@dataclass(frozen=True)
class Question:
    """A random RoI, the settings it is pooled with, and what is asked about it, in order."""

    seed: int
    level: str
    settings: Settings  # input size, layer, method, rule, output size and the method's options
    roi: tuple[int, int, int, int]  # (x, y, w, h), whole pixels of the S x S model input
    asks: tuple[Ask, ...]

    @property
    def method(self) -> str:
        return self.settings.method

    @property
    def input_size(self) -> int:
        return self.settings.input_size

    @property
    def stride(self) -> int:
        return self.settings.stride

    @property
    def map_size(self) -> tuple[int, int]:
        """``(H, W)`` of the feature map, in cells."""
        return map_size(self.settings)

    @property
    def output_size(self) -> tuple[int, int]:
        return self.settings.output_size

    @property
    def intro(self) -> str:
        """What the student is given, in one paragraph (nothing that is asked)."""
        x, y, w, h = self.roi
        S, (H, W), (ph, pw) = self.input_size, self.map_size, self.output_size
        return _(
            "An RoI at x = {x}, y = {y}, w = {w}, h = {h} pixels on the {S} × {S} model input. "
            "{layer} gives a map of {H} rows × {W} columns; {method} "
            "turns the box into {ph} × {pw} values per channel (rows × columns)."
        ).format(x=x, y=y, w=w, h=h, S=S, layer=_(self.settings.layer_label), H=H, W=W,
                 method=method_words(self.settings), ph=ph, pw=pw)


def unit_name(unit: str) -> str:
    """A field's unit (``Field.unit``, an identifier: "cells", "cells²", "%", "") as a student reads it."""
    return {"cells": _("cells"), "cells²": _("cells²")}.get(unit, unit)


def amount(text: str, unit: str) -> str:
    """A number already written by the lesson's rule, with its unit: "9.25 cells", "1 cell", "60.9 %", "3"."""
    if unit == "cells":
        return ngettext("{n} cell", "{n} cells", 1 if text == "1" else 2).format(n=text)
    if unit == "cells²":
        return _("{n} cells²").format(n=text)
    return f"{text} {unit}" if unit else text


def method_words(s: Settings) -> str:
    """The method with the options that change its numbers, as the question states them."""
    return method(s.method).describe(s)
