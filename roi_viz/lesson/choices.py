"""The lists the page, the link and the CLI offer, each written once: quiz levels, slide directions and distances.

Each list is read by the widget that offers it (``ui/``), by the link that
carries it (:mod:`roi_viz.link`) and, where there is one, by the CLI flag; the
quiz's :data:`roi_viz.quiz.LEVELS` is this module's :data:`QUIZ_LEVELS`. Pure:
nothing here imports Matplotlib or torch, so parsing a link stays light.
"""
from __future__ import annotations

from ..ops.sliding import AXES  # noqa: F401  (the op checks the direction, so the list lives beside it)

# The quiz's levels, in the order the page offers them: key (what a link carries, ``level=fastrcnn``)
# to (the radio button's label, the title above a question).
QUIZ_LEVELS: dict[str, tuple[str, str]] = {
    "starter": ("Starter: the article's setting",
                "Starter: the article's setting (512 × 512, pool5, 3 × 3, rounded down)"),
    "fastrcnn": ("Fast R-CNN: conv5_3, 7 × 7", "Fast R-CNN: conv5_3, 7 × 7, the rounding of its code"),
    "beyond": ("Beyond: RoIAlign, RoIWarp, PrRoI", "Beyond: RoIAlign, RoIWarp and Precise RoI Pooling"),
}

# How the page names each of AXES, the directions the box slides in.
AXIS_WORDS = {"x": "right (x)", "y": "down (y)"}

SLIDE_CELLS = (0.25, 0.5, 1.0, 2.0)  # the distances the page and a link offer, in cells
MAX_SLIDE_CELLS = 16.0  # the CLI and the GIF take any distance up to this, in cells
