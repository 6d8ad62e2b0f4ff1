"""Where a mark lands in drawing pixels: the arithmetic both painters share.

A painter converts nothing itself: it asks here where a rectangle's corners, a line's
points and a text's baseline fall, so the page's SVG and the files' Matplotlib put every
mark at the same pixel. Pixels are the drawing's CSS pixels, y downwards.
"""
from __future__ import annotations

from . import fonts
from .spec import Line, Panel, Rect, Text

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
