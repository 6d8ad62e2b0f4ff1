"""The quiz's picture, described once (page: SVG; files: Matplotlib): the model input, the stride grid and the RoI.

What a student is given to predict from, and nothing more: the input size, the stride
(one square of the grid is one cell of the map), the map's and the output's sizes, and
the RoI in pixels, in the headings and as the box on the photo. No projected box, no
snapped box, no cell counted, in no text and no hover: those are the answers. The
photo's panel is in pixels of the ``S x S`` model input, ``x`` to the right and ``y``
down, as in the walkthrough's first step. No painting library is imported here.
"""
from __future__ import annotations

from ..language import _
from ..picture import fonts
from ..picture.spec import Drawing, Line, Panel, Photo, Rect, Stroke, Text
from . import look
from .frame import PAD, Sheet, block, lines

WIDTH, TEXT = 560.0, 13.0
TAG = "RoI"


def roi_words(question) -> str:
    x, y, w, h = question.roi
    return _("RoI: x = {x}, y = {y}, w = {w}, h = {h} pixels").format(x=x, y=y, w=w, h=h)


def given_words(question) -> list[str]:
    """The sizes a student is given, one line each, as the Matplotlib figure's title said them."""
    S, s = question.input_size, question.stride
    (H, W), (ph, pw) = question.map_size, question.output_size
    return [_("Input {S}×{S} px; one square = stride {s} px").format(S=S, s=s),
            _("map {H}×{W} cells, output {ph}×{pw} (rows×columns)").format(H=H, W=W, ph=ph, pw=pw)]


def alt_of(question) -> str:
    S = question.input_size
    return _("The photo at {S} × {S} with the question's RoI ({roi}) and the stride grid.").format(
        S=S, roi=", ".join(f"{v:g}" for v in question.roi))


def pixel_ticks(S: int, s: int, room: float, size: float) -> list[int]:
    """Every k-th grid line numbered (k a whole number of cells, at most about eight numbers), the least k whose
    numbers stand apart on an axis ``room`` px long, across and up."""
    k = max(1, (S // s) // 8)
    need = max(fonts.width(str(S), size) + 8, fonts.height(size) + 3)
    while k * s * room / S < need and k * s < S:
        k += 1
    return list(range(0, S + 1, k * s))


def tag_place(panel: Panel, box, tag_w: float, tag_h: float) -> tuple[float, float]:
    """Where the box's tag (``tag_w x tag_h`` px) goes, its top-left corner in drawing px: inside the box's top-left
    corner where the box holds it, else beside a corner of the box, the first that keeps it on the photo (a small
    box stays in sight, not under its tag)."""
    x0, y0 = panel.to_px(box[0], box[1])
    x1, y1 = panel.to_px(box[0] + box[2], box[1] + box[3])

    def on_photo(left: float, top: float) -> bool:
        return panel.x <= left and left + tag_w <= panel.x + panel.w and panel.y <= top and top + tag_h <= panel.y + panel.h

    gap = 5.0  # clear of the box's outline
    spots = [(x0 + gap, y0 + gap)] if x1 - x0 >= tag_w + 2 * gap and y1 - y0 >= tag_h + 2 * gap else []
    spots += [(x0, y0 - gap - tag_h), (x0, y1 + gap), (x0 - gap - tag_w, y0), (x1 + gap, y0),
              (x1 - tag_w, y0 - gap - tag_h), (x1 - tag_w, y1 + gap)]
    for left, top in spots:
        if on_photo(left, top):
            return left, top
    return (min(max(x0 + gap, panel.x), panel.x + panel.w - tag_w),
            min(max(y0 + gap, panel.y), panel.y + panel.h - tag_h))


def describe_question(question, photo: bytes, fmt: str = "JPEG", *, width: float = WIDTH, text: float = TEXT,
                      alt: str = "") -> Drawing:
    """The drawing of ``question`` (:func:`roi_viz.quiz.make_question`) on ``photo``.

    Args:
        photo: the model input, encoded (``fmt`` "JPEG" or "PNG"); it fills the ``S x S`` square whatever its own
            size, as the network's input is stretched.
        width, text: the drawing's width and its smallest text, in px.
        alt: the text alternative (default: the photo, its size, the RoI and the grid, in words).
    """
    S, s = question.input_size, question.stride
    x, y, w, h = (float(v) for v in question.roi)
    sheet = Sheet(width, text)
    sheet.title(roi_words(question))
    for line in given_words(question):  # the sizes, each wrapped on its own
        rows = fonts.wrap(line, sheet.big, sheet.inner)
        sheet.marks += lines(PAD, sheet.y, rows, sheet.big, kind="title")
        sheet.y += block(rows, sheet.big) + 2
    sheet.gap()
    room = width - 3 * PAD - fonts.width(str(S), text) * 1.5 - 6  # about the chart's width (see Sheet.chart)
    ticks = pixel_ticks(S, s, room, text)
    edges = [float(v) for v in range(0, S + 1, s)]
    marks: list = [Photo(photo, fmt, 0.0, 0.0, float(S), float(S))]
    marks += [Line(((v, 0.0), (v, float(S))), look.GRID_ON_PHOTO, kind="grid") for v in edges]
    marks += [Line(((0.0, v), (float(S), v)), look.GRID_ON_PHOTO, kind="grid") for v in edges]
    panel = sheet.chart((0, S), (0, S), marks, xname=_("x (pixels)"), yname=_("y (pixels)"), xticks=ticks, yticks=ticks)
    # The box over the photo, not cut at its edge: a box on the photo's edge keeps its whole stroke.
    box = Rect(x, y, w, h, stroke=look.FOLLOWED_STROKE, title=roi_words(question), kind="roi")
    sheet.panels.append(Panel(panel.x, panel.y, panel.w, panel.h, panel.xlim, panel.ylim, (box,), clip=False))
    tag_w, tag_h = fonts.width(TAG, text, "bold") + 6, fonts.height(text) + 4
    left, top = tag_place(panel, (x, y, w, h), tag_w, tag_h)
    sheet.marks += [Rect(left, top, tag_w, tag_h, fill=look.FOLLOWED_TAG, stroke=Stroke("#000000", 1.0), kind="tag"),
                    Text(left + tag_w / 2, top + tag_h / 2, TAG, text, "#ffffff", "bold", "middle", "middle",
                         kind="tag")]
    return sheet.done(alt or alt_of(question))
