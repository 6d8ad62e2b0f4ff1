"""A figure as data: panels of marks in data coordinates, before any painting library sees it.

A :class:`Drawing` is what a figure *is*: its size in CSS pixels, its panels, and in
each panel the marks (a photo, rectangles, lines, texts) placed in the panel's own data
coordinates (cells of a feature map, pixels of a photo). Every decision of the figure
(what is printed where, which label fits, what is hatched) is made when the drawing is
described; the painters (:mod:`roi_viz.picture.svg` for the page, :mod:`roi_viz.picture.mpl`
for files) only put the marks where the drawing says, so the page and the handout
cannot disagree.

Coordinates. A panel covers the rectangle ``(x, y, w, h)`` of the drawing, in CSS pixels
from the drawing's top-left corner. Its data coordinates run from ``xlim[0]`` at its left
edge to ``xlim[1]`` at its right edge, and from ``ylim[0]`` at its *top* edge to ``ylim[1]``
at its bottom edge: y grows downwards, as rows of a feature map and pixels of a photo
do. A panel whose limits are its own size in pixels (:func:`Panel.pixels`) places marks
in drawing pixels (titles, legends).

Sizes. Text sizes and stroke widths are CSS pixels of the drawing at its own size; a
painter scaling the drawing (a 150 dpi file, a projector) scales them with it. This
module imports no painting library (no Matplotlib, no Streamlit).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence, Union


@dataclass(frozen=True)
class Stroke:
    """A line's look: colour (``#rrggbb``), width in px, dash pattern in px (``()`` = solid).

    ``edge``: a wider line of this colour drawn under it, so the line reads on any photo (``None``: none).
    """

    colour: str
    width: float = 1.0
    dash: tuple[float, ...] = ()
    edge: str | None = None
    edge_width: float = 0.0


@dataclass(frozen=True)
class Rect:
    """A rectangle ``(x, y, w, h)`` in data coordinates, ``(x, y)`` its top-left corner.

    ``title``: what a hover or a tap on it says (a cell's row, column and value).
    ``kind``: what it stands for ("worst", "bin", "lost" ...), for tests and the look's legend.
    ``hatch``: lines laid over the fill, one of :data:`HATCHES` ("" = none), in ``hatch_colour``: a
    meaning told by a mark as well as a colour (greyscale-safe).
    """

    x: float
    y: float
    w: float
    h: float
    fill: str | None = None
    stroke: Stroke | None = None
    title: str = ""
    kind: str = ""
    hatch: str = ""
    hatch_colour: str = "#000000"


@dataclass(frozen=True)
class Line:
    """A polyline through ``points`` ``((x, y), ...)`` in data coordinates."""

    points: tuple[tuple[float, float], ...]
    stroke: Stroke
    kind: str = ""


@dataclass(frozen=True)
class Text:
    """A text at ``(x, y)`` in data coordinates.

    ``anchor``: which part of the text sits at ``x`` ("start", "middle", "end");
    ``baseline``: which part sits at ``y`` ("top", "middle", "bottom"): the em box's, so that both
    painters put the same box at the same place. ``size`` in px; ``halo``: a colour drawn round
    the letters so they read across lines and colours (``None``: none).
    """

    x: float
    y: float
    text: str
    size: float
    colour: str = "#000000"
    weight: str = "normal"  # "normal" | "bold"
    anchor: str = "start"
    baseline: str = "top"
    halo: str | None = None
    kind: str = ""


@dataclass(frozen=True)
class Photo:
    """An encoded picture (``fmt`` "PNG" or "JPEG") filling ``(x, y, w, h)`` in data coordinates."""

    data: bytes = field(repr=False)
    fmt: str
    x: float
    y: float
    w: float
    h: float


SHAPES = ("circle", "square", "triangle", "diamond")
# Hatches, as Matplotlib names them: "/" rising lines, "\\" falling lines, "x" both, "." dots, "-" level lines.
HATCHES = ("", "/", "\\", "x", ".", "-")


@dataclass(frozen=True)
class Point:
    """A marker centred on ``(x, y)`` in data coordinates, ``size`` px across whatever the panel's scale.

    ``shape``: one of :data:`SHAPES` (a method's marker: told apart without colour). ``fill`` and
    ``stroke`` as a rectangle's; ``title``: what a hover or a tap on it says.
    """

    x: float
    y: float
    shape: str
    size: float
    fill: str | None = None
    stroke: Stroke | None = None
    title: str = ""
    kind: str = ""


Mark = Union[Rect, Line, Text, Photo, Point]


@dataclass(frozen=True)
class Panel:
    """Marks in data coordinates, shown in the rectangle ``(x, y, w, h)`` (px) of the drawing."""

    x: float
    y: float
    w: float
    h: float
    xlim: tuple[float, float]
    ylim: tuple[float, float]  # (top, bottom): y grows downwards
    marks: tuple[Mark, ...] = ()
    clip: bool = True  # marks are cut at the panel's edge (a photo's boxes); titles and legends are not

    @classmethod
    def pixels(cls, x: float, y: float, w: float, h: float, marks: Sequence[Mark] = (), clip: bool = False) -> "Panel":
        """A panel whose data coordinates are its own pixels: ``(0, 0)`` its top-left corner."""
        return cls(x, y, w, h, (0.0, w), (0.0, h), tuple(marks), clip)

    def to_px(self, x: float, y: float) -> tuple[float, float]:
        """Data coordinates -> drawing pixels."""
        (x0, x1), (y0, y1) = self.xlim, self.ylim
        return (self.x + (x - x0) * self.w / (x1 - x0), self.y + (y - y0) * self.h / (y1 - y0))

    def scale(self) -> tuple[float, float]:
        """Drawing pixels per data unit, along x and along y."""
        (x0, x1), (y0, y1) = self.xlim, self.ylim
        return self.w / (x1 - x0), self.h / (y1 - y0)


@dataclass(frozen=True)
class Drawing:
    """A whole figure: ``width x height`` CSS px, its panels in painting order, and its text alternative."""

    width: float
    height: float
    panels: tuple[Panel, ...]
    alt: str
    background: str = "#ffffff"

    def marks(self, kind: type | None = None):
        """``(panel, mark)`` for every mark, in painting order (only marks of ``kind`` if given)."""
        for p in self.panels:
            for m in p.marks:
                if kind is None or isinstance(m, kind):
                    yield p, m
