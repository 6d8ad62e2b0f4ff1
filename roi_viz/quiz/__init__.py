"""Predict, then check: a quiz on what RoI pooling (and its successors) do to one box.

A question is a random RoI on the model input with the settings of a level, and
an ordered tuple of :class:`Ask`: the walkthrough's numbers, asked one at a time
in the walkthrough's order. Every correct value is read from the trace of the
same op the walkthrough runs (:func:`run_method`), never computed a second time
here: the geometry does not depend on the feature values, so the op runs on a
zero map of the right shape (see :func:`zero_map`).

Pure: NumPy and the project's ops; no Streamlit, no Matplotlib, no torch.

The package, one idea per module, in the order a question lives:

- :mod:`.model`: the records (:class:`Question`, :class:`Ask`, :class:`Field`);
- :mod:`.run`: the method's record run on a zero map, where every answer is read from;
- :mod:`.making`: the levels, a seeded random RoI, :func:`make_question`;
- :mod:`.asks`: what is asked about one RoI, per kind of method (built on the records' traits);
- :mod:`.answers`: reading a typed answer (:func:`parse_number`);
- :mod:`.grading`: :func:`grade`, :class:`Grade`, :class:`FieldVerdict`;
- :mod:`.scoring`: :class:`Score`, :func:`update_score`.

Usage (the page)::

    q = make_question(seed, "starter")                # or (seed, "beyond", settings=current)
    ask = q.asks[n]                                    # ask.text, ask.fields (label, unit, tolerance)
    g = grade(ask, {"x": "9.25", ...}, tries=wrong_so_far)
    g.status, g.message, g.fields, g.revealed, g.reason, g.step
    score = update_score(score, g)
    # the link: METHODS[q.method].step_keys().index(g.step), with ask.focus as the close-up

Conventions (those of :mod:`roi_viz.ops.geometry`):

- the RoI is ``(x, y, w, h)`` in whole pixels of the ``S x S`` model input;
- positions and sizes on the map are in cells: cell ``(r, c)`` covers columns
  ``c`` to ``c + 1`` and rows ``r`` to ``r + 1``; its value sits at its centre;
- bins are ``(i, j)`` = (row, column) from ``(0, 0)`` at the top left, as on the page;
- sampling points are counted from 1 in the words (left to right, then top to
  bottom) and from 0 in ``Ask.focus``, as :class:`~roi_viz.state.scene.Scene` does;
- ranges of cells are asked inclusively ("first row", "last row"), as the
  walkthrough writes them; the traces keep half-open spans.
"""
from __future__ import annotations

from .answers import parse_number
from .asks import asks_for
from .asks.kit import AREA_TOLERANCE, CELL_TOLERANCE, PERCENT_TOLERANCE, WEIGHT_TOLERANCE
from .grading import TRIES, FieldVerdict, Grade, grade
from .making import LEVEL_TITLES, LEVELS, beyond_methods, check_level, level_settings, make_question
from .model import Ask, Field, Question, method_words
from .run import Trace, map_size, run_method, zero_map
from .scoring import Score, update_score

__all__ = [
    "AREA_TOLERANCE", "CELL_TOLERANCE", "LEVELS", "LEVEL_TITLES", "PERCENT_TOLERANCE", "TRIES", "WEIGHT_TOLERANCE",
    "Ask", "Field", "FieldVerdict", "Grade", "Question", "Score", "Trace",
    "asks_for", "beyond_methods", "check_level", "grade", "level_settings", "make_question", "map_size",
    "method_words", "parse_number", "run_method", "update_score", "zero_map",
]
