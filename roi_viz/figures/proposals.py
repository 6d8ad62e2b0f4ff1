"""The worst and the best proposals on the photo, described once (page: SVG; files: Matplotlib).

The photo, the boxes that keep the least of their area (solid orange) and those that
keep the most (dashed blue), each outlined in black so it reads on any photo, a title
wrapped to the width, and a legend that names each group with the shares it keeps.
Each box answers a hover or a tap with its number, its box and its share. Boxes are
``(x, y, w, h)`` in pixels of the photo (the model input); the drawing's width is the
column it is shown in, in CSS pixels.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..lesson.numbers import exact, pct
from ..picture import fonts
from ..picture.spec import Drawing, Line, Panel, Photo, Rect, Stroke, Text

TITLE, LABEL = 16.0, 13.0  # px on the page
PAD = 6.0
# Two colours told apart with any colour vision (Okabe and Ito's orange and sky blue), two line styles so they
# read in greyscale too, and a black edge under each line so it reads on any photo.
WORST = Stroke("#E69F00", 2.6, (), "#000000", 4.6)
BEST = Stroke("#56B4E9", 2.6, (8.0, 4.0), "#000000", 4.6)
LEGEND_TITLE = "share of the box that reaches the output"


def _kept(cov: np.ndarray) -> str:
    lo, hi = float(cov.min()), float(cov.max())
    return pct(lo) if pct(lo) == pct(hi) else f"{pct(lo)} to {pct(hi)}"


def describe_ends(photo: bytes, fmt: str, photo_size: tuple[int, int], boxes: np.ndarray, coverage: np.ndarray,
                  worst: Sequence[int], best: Sequence[int], *, title: str, alt: str, width: float = 720.0,
                  text: float = 1.0) -> Drawing:
    """The drawing of the ``worst`` and ``best`` proposals (indices into ``boxes``, ``K x 4``) on ``photo``.

    Args:
        photo: the encoded photo (``fmt`` "PNG" or "JPEG"), ``photo_size`` ``(W, H)`` pixels.
        coverage: ``K`` shares in [0, 1], what each box keeps.
        title, alt: the figure's title and its text alternative (the lesson's words).
        width: the column's width in CSS px; the height follows the photo's proportions.
        text: every text this many times its page size (a projector's slide).
    """
    W, H = photo_size
    title_px, label_px = TITLE * text, LABEL * text
    inner = width - 2 * PAD
    title_lines = fonts.wrap(title, title_px, inner, "bold")
    line_h = fonts.height(title_px) * 1.1
    top = PAD + line_h * len(title_lines) + PAD
    photo_h = inner * H / W
    groups = [(kind, np.asarray(idx, dtype=np.int64), stroke) for kind, idx, stroke in
              (("best", best, BEST), ("worst", worst, WORST))]
    shown = [(kind, idx, stroke) for kind, idx, stroke in groups if len(idx)]
    label_h = fonts.height(label_px) * 1.35
    legend_h = PAD + label_h * (1 + len(shown)) + PAD
    height = top + photo_h + legend_h

    heading = Panel.pixels(0, 0, width, top, [
        Text(PAD, PAD + i * line_h, line, title_px, weight="bold", kind="title") for i, line in enumerate(title_lines)])
    marks: list = [Photo(photo, fmt, 0, 0, W, H)]
    for kind, idx, stroke in groups:  # the best first: the worst, the lesson, are drawn on top
        for k in idx:
            x, y, w, h = (float(v) for v in boxes[k])
            marks.append(Rect(x, y, w, h, stroke=stroke, kind=kind,
                              title=f"Proposal {k + 1}: ({exact(x)}, {exact(y)}, {exact(w)}, {exact(h)}) px, "
                                    f"keeps {pct(float(coverage[k]))}"))
    picture = Panel(PAD, top, inner, photo_h, (0.0, float(W)), (0.0, float(H)), tuple(marks))

    legend = [Text(width / 2, PAD, LEGEND_TITLE, label_px, anchor="middle", kind="legend")]
    sample_w = 44.0
    for row, (kind, idx, stroke) in enumerate(reversed(shown), start=1):  # the worst named first
        label = f"the {len(idx)} {kind}: keep {_kept(np.asarray(coverage)[idx])}"
        row_w = sample_w + 8 + fonts.width(label, label_px)
        x0, y_mid = (width - row_w) / 2, PAD + row * label_h + fonts.height(label_px) / 2
        legend.append(Line(((x0, y_mid), (x0 + sample_w, y_mid)), stroke, kind=kind))
        legend.append(Text(x0 + sample_w + 8, y_mid, label, label_px, baseline="middle", kind="legend"))
    key = Panel.pixels(0, top + photo_h, width, legend_h, legend)
    return Drawing(width, height, (heading, picture, key), alt)
