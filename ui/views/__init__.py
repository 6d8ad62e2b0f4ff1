"""One module per view, each of one shape, and :data:`ALL`, the views in the order the page shows them.

A view module has ``KEY`` (the link's ``view=``, and the key of its ``LABEL`` and ``HEADING``
in the library's one list, :data:`roi_viz.lesson.views.VIEWS`), ``HEADING`` (``{method}``
stands for the method's name), ``PRESENTS_ALONE`` (in presenter mode it draws the whole
slide itself, with no picker or heading above it) and ``render(context)``, where
``context`` is the :class:`ui.views.context.Context` the page builds once per run.
"""
from __future__ import annotations

from roi_viz.lesson.views import VIEWS

from . import compare, detectors, field, head, proposals, quiz, slide, training, walkthrough

ALL = (walkthrough, compare, slide, quiz, field, head, proposals, training, detectors)
BY_KEY = {view.KEY: view for view in ALL}
# The library's list and the page's modules name the same views in the same order: a link opens what it names.
if tuple(BY_KEY) != tuple(VIEWS):
    raise ImportError(f"ui.views lists {tuple(BY_KEY)}, the library {tuple(VIEWS)}")
