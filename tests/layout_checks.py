"""What a described figure must be wherever it is shown, checked on the description itself.

Positions are those both painters use (:mod:`roi_viz.picture.place`), measured in the font both use, so what
passes here is what the page's SVG and the files' Matplotlib show. :func:`problems` lists every fault found
(an empty list: none), so that a failing test names them all.
"""
from __future__ import annotations

import itertools

from roi_viz.picture import place
from roi_viz.picture.spec import Drawing, Line, Point, Rect, Text

COLUMN_PX = 528  # the lesson column of a 1366 x 768 laptop
PAGE_LEAST, PRESENTED_LEAST = 12.0, 18.0
# Texts printed inside a cell or a bin: none may cross a line of the kinds below.
INSIDE = ("value", "bin label", "share value", "weight")
EDGES = ("bin", "bin edge")


def overlap(a, b, slack: float = 0.0) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw - slack and bx < ax + aw - slack and ay < by + bh - slack and by < ay + ah - slack


def _segments(p, m):
    """The straight pieces, in drawing px, of a line mark or of a rectangle's outline."""
    if isinstance(m, Line):
        pts = place.line(p, m)
        return list(zip(pts, pts[1:]))
    x, y, w, h = place.rect(p, m)
    c = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
    return list(zip(c, c[1:] + c[:1]))


def _crosses(seg, box, inset: float = 0.5) -> bool:
    """Whether an axis-parallel segment passes through the inside of ``box`` (a touching edge does not count)."""
    (x0, y0), (x1, y1) = seg
    bx, by, bw, bh = box[0] + inset, box[1] + inset, box[2] - 2 * inset, box[3] - 2 * inset
    if abs(x0 - x1) < 1e-6:  # vertical
        return bx < x0 < bx + bw and min(y0, y1) < by + bh and max(y0, y1) > by
    if abs(y0 - y1) < 1e-6:
        return by < y0 < by + bh and min(x0, x1) < bx + bw and max(x0, x1) > bx
    return False


def problems(d: Drawing, shown_width: float | None = None, least: float = PAGE_LEAST) -> list[str]:
    """Every fault of ``d`` shown ``shown_width`` CSS px wide (default: its own width): a text under ``least`` px,
    two texts overlapping, a text or a panel outside the drawing, a text printed in a cell crossed by a bin line."""
    shown = (shown_width or d.width) / d.width
    out: list[str] = []
    texts = [(m, place.text_box(p, m)) for p, m in d.marks(Text) if m.text.strip()]
    if not texts:
        out.append("no text at all")
    for m, (x, y, w, h) in texts:
        if m.size * shown < least - 1e-6:
            out.append(f"{m.text!r} is {m.size * shown:.1f} px where it is shown")
        if x < -0.5 or y < -0.5 or x + w > d.width + 0.5 or y + h > d.height + 0.5:
            out.append(f"{m.text!r} leaves the figure ({x:.0f}, {y:.0f}, {w:.0f} x {h:.0f} in {d.width:.0f} x {d.height:.0f})")
    for (a, ba), (b, bb) in itertools.combinations(texts, 2):
        if overlap(ba, bb, slack=0.5):
            out.append(f"{a.text!r} ({a.kind}) overlaps {b.text!r} ({b.kind})")
    for p in d.panels:
        if p.x < -0.5 or p.y < -0.5 or p.x + p.w > d.width + 0.5 or p.y + p.h > d.height + 0.5:
            out.append(f"a panel leaves the figure: {(p.x, p.y, p.w, p.h)}")
    edges = [s for p, m in d.marks() if isinstance(m, (Line, Rect)) and m.kind in EDGES for s in _segments(p, m)]
    for m, box in texts:
        if m.kind in INSIDE and any(_crosses(s, box) for s in edges):
            out.append(f"the printed {m.kind} {m.text!r} is crossed by a bin line")
    for p, m in d.marks(Point):
        x, y, w, h = place.point_box(p, m)
        if x < -0.5 or y < -0.5 or x + w > d.width + 0.5 or y + h > d.height + 0.5:
            out.append(f"a marker leaves the figure at ({m.x}, {m.y})")
    return out
