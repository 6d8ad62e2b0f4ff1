"""The page's views, in the order it shows them: the one list the page, the link and the handout read.

Each is ``key: (label, heading)``; the key is what a link carries (``view=compare``). The page's
module for a view (``ui/views/<view>.py``) takes its ``LABEL`` and ``HEADING`` from here by its
``KEY``, and ``ui.views.ALL`` lists those modules in this order; ``{method}`` in a heading stands
for the chosen method's name.

Labels and headings are written in English and marked for the catalog (:mod:`roi_viz.language`):
``LABEL`` and ``HEADING`` are the catalog's keys, and :func:`label` and :func:`heading` say them in
the language in force.
"""
from __future__ import annotations

from ..language import N_, _

VIEWS: dict[str, tuple[str, str]] = {
    "walk": (N_("Walkthrough"), N_("Walkthrough: {method}")),
    "compare": (N_("Compare the methods"), N_("Compare the methods")),
    "slide": (N_("Slide the box"), N_("Slide the box by fractions of a cell")),
    "quiz": (N_("Quiz"), N_("Quiz: predict, then check")),
    "field": (N_("What a cell sees"), N_("What one cell really sees")),
    "head": (N_("After pooling"), N_("After pooling: VGG16's own classifier, for every RoI")),
    "proposals": (N_("Proposals"), N_("Every proposal: what pooling keeps of selective search's boxes")),
    # Not "what training sees": a detector's boxes get no gradient in training (its regression head corrects them).
    "train": (N_("What the gradient reaches"), N_("What the gradient reaches: one value followed backwards")),
    "detect": (N_("Today's detectors"), N_("Today's detectors: the pyramid's level, where cells read, the box head")),
}


def label(key: str) -> str:
    """The view picker's name of view ``key``, in the language in force."""
    return _(VIEWS[key][0])


def heading(key: str, method: str) -> str:
    """The heading of view ``key`` in the language in force; ``method``: the chosen method's name, as shown."""
    return _(VIEWS[key][1]).format(method=method)
