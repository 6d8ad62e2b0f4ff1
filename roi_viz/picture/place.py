"""Where a mark lands in drawing pixels: the arithmetic both painters share.

A painter converts nothing itself: it asks here where a rectangle's corners, a line's
points and a text's baseline fall, so the page's SVG and the files' Matplotlib put every
mark at the same pixel. Pixels are the drawing's CSS pixels, y downwards.
"""
from __future__ import annotations

from . import fonts
import math

from .spec import Line, Panel, Point, Rect, Text

# Where the em box's top sits above the baseline, per ``Text.baseline``, in em.
_BASELINE = {"top": fonts.ASCENT, "middle": fonts.ASCENT - (fonts.ASCENT + fonts.DESCENT) / 2, "bottom": -fonts.DESCENT}


def rect(panel: Panel, r: Rect) -> tuple[float, float, float, float]:
    """``(x, y, w, h)`` in drawing px, ``w`` and ``h`` positive whatever the panel's axes do."""
    x0, y0 = panel.to_px(r.x, r.y)
    x1, y1 = panel.to_px(r.x + r.w, r.y + r.h)
    return min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0)


def line(panel: Panel, ln: Line) -> list[tuple[float, float]]:
    return [panel.to_px(x, y) for x, y in ln.points]


def text(panel: Panel, t: Text) -> tuple[float, float]:
    """``(x, baseline y)`` in drawing px of the text's anchor point."""
    x, y = panel.to_px(t.x, t.y)
    return x, y + _BASELINE[t.baseline] * t.size


def text_box(panel: Panel, t: Text) -> tuple[float, float, float, float]:
    """``(x, y, w, h)`` in drawing px of the text's em box, measured in the figures' font."""
    x, base = text(panel, t)
    w = fonts.width(t.text, t.size, t.weight)
    left = {"start": x, "middle": x - w / 2, "end": x - w}[t.anchor]
    return left, base - fonts.ASCENT * t.size, w, fonts.height(t.size)


# Each marker's outline around its centre, in units of its size (its width across), y downwards; a circle is
# its radius. Areas roughly alike, so that no method's marker looks heavier than another's.
_OUTLINES = {
    "square": ((-0.42, -0.42), (0.42, -0.42), (0.42, 0.42), (-0.42, 0.42)),
    "triangle": ((0.0, -0.56), (0.5, 0.31), (-0.5, 0.31)),
    "diamond": ((0.0, -0.56), (0.56, 0.0), (0.0, 0.56), (-0.56, 0.0)),
}


def point(panel: Panel, pt: Point) -> tuple[float, float]:
    """``(x, y)`` in drawing px of the marker's centre."""
    return panel.to_px(pt.x, pt.y)


def outline(panel: Panel, pt: Point) -> list[tuple[float, float]]:
    """The marker's corners in drawing px (a circle: ``[(cx, cy), (radius, radius)]``)."""
    cx, cy = point(panel, pt)
    if pt.shape == "circle":
        return [(cx, cy), (pt.size / 2, pt.size / 2)]
    return [(cx + dx * pt.size, cy + dy * pt.size) for dx, dy in _OUTLINES[pt.shape]]


def point_box(panel: Panel, pt: Point) -> tuple[float, float, float, float]:
    """``(x, y, w, h)`` in drawing px of the marker, its stroke included."""
    half = (pt.stroke.width / 2) if pt.stroke else 0.0
    if pt.shape == "circle":
        (cx, cy), (r, _) = outline(panel, pt)
        return cx - r - half, cy - r - half, 2 * (r + half), 2 * (r + half)
    xs, ys = zip(*outline(panel, pt))
    # A sharp corner's stroke reaches past the corner: the mitre, bounded by its half width / sin(half angle).
    grow = half / math.sin(math.radians(30)) if pt.shape == "triangle" else half * math.sqrt(2)
    return min(xs) - grow, min(ys) - grow, max(xs) - min(xs) + 2 * grow, max(ys) - min(ys) + 2 * grow
