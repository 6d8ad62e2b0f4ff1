"""The page's views, in the order it shows them: the one list the page, the link and the handout read.

Each is ``key: (label, heading)``; the key is what a link carries (``view=compare``). The page's
module for a view (``ui/views/<view>.py``) takes its ``LABEL`` and ``HEADING`` from here by its
``KEY``, and ``ui.views.ALL`` lists those modules in this order; ``{method}`` in a heading stands
for the chosen method's name.
"""
from __future__ import annotations

VIEWS: dict[str, tuple[str, str]] = {
    "walk": ("Walkthrough", "Walkthrough: {method}"),
    "compare": ("Compare the methods", "Compare the methods"),
    "slide": ("Slide the box", "Slide the box by fractions of a cell"),
    "quiz": ("Quiz", "Quiz: predict, then check"),
    "field": ("What a cell sees", "What one cell really sees"),
    "head": ("After pooling", "After pooling: VGG16's own classifier, for every RoI"),
    "proposals": ("Proposals", "Every proposal: what pooling keeps of selective search's boxes"),
    # Not "what training sees": a detector's boxes get no gradient in training (its regression head corrects them).
    "train": ("What the gradient reaches", "What the gradient reaches: one value followed backwards"),
    "detect": ("Today's detectors", "Today's detectors: the pyramid's level, where cells read, the box head"),
}
