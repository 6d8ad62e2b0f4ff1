"""The page's painter: a :class:`~roi_viz.picture.spec.Drawing` as inline SVG.

Vector, so it stays sharp on a projector and at 200 % zoom; every text is a ``<text>``
element (a screen reader and a test find it); a rectangle with a title answers a hover
or a tap with it (``<title>``); the whole is ``role="img"`` with the drawing's text
alternative. Every string is escaped: a text from a link or a file is shown, never read
as markup. Positions come from :mod:`roi_viz.picture.place`, shared with the Matplotlib
painter.
"""
from __future__ import annotations

import base64
import hashlib
from html import escape

from . import fonts, place
from .spec import HATCHES, Drawing, Line, Panel, Photo, Point, Rect, Stroke, Text

MIME = {"PNG": "image/png", "JPEG": "image/jpeg"}


def _n(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _stroke(s: Stroke | None, width: float | None = None, colour: str | None = None) -> str:
    if s is None:
        return 'stroke="none"'
    out = f'stroke="{escape(colour or s.colour)}" stroke-width="{_n(width if width is not None else s.width)}"'
    if s.dash:
        out += f' stroke-dasharray="{" ".join(_n(d) for d in s.dash)}"'
    return out


HATCH_STEP = 7.0  # px between two lines of a hatch, whatever the panel's scale
# Each hatch's lines in one tile of HATCH_STEP px (a path), drawn in the hatch's colour.
_HATCH_PATHS = {
    "/": "M0,{s} L{s},0 M-1,1 L1,-1 M{t},{u} L{u},{t}",
    "\\": "M0,0 L{s},{s} M-1,{t} L1,{u} M{t},-1 L{u},1",
    "x": "M0,{s} L{s},0 M0,0 L{s},{s}",
    "-": "M0,{h} L{s},{h}",
}


def hatch_id(uid: str, hatch: str, colour: str) -> str:
    return f"h{uid}-{HATCHES.index(hatch)}-{colour.lstrip('#')}"


def _pattern(uid: str, hatch: str, colour: str) -> str:
    s = HATCH_STEP
    pid = hatch_id(uid, hatch, colour)
    head = f'<pattern id="{pid}" patternUnits="userSpaceOnUse" width="{_n(s)}" height="{_n(s)}">'
    if hatch == ".":
        return head + f'<circle cx="{_n(s / 2)}" cy="{_n(s / 2)}" r="1.1" fill="{escape(colour)}"/></pattern>'
    path = _HATCH_PATHS[hatch].format(s=_n(s), t=_n(s - 1), u=_n(s + 1), h=_n(s / 2))
    return head + f'<path d="{path}" stroke="{escape(colour)}" stroke-width="1.5" fill="none"/></pattern>'


def _rect(p: Panel, r: Rect, uid: str = "") -> str:
    x, y, w, h = place.rect(p, r)
    geo = f'x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}"'
    kind = f' data-kind="{escape(r.kind)}"' if r.kind else ""
    out = ""
    if r.stroke is not None and r.stroke.edge:
        out += f'<rect {geo} fill="none" {_stroke(r.stroke, r.stroke.edge_width, r.stroke.edge)} pointer-events="none"/>'
    title = f"<title>{escape(r.title)}</title>" if r.title else ""
    fill = escape(r.fill) if r.fill else "none"
    if r.hatch:  # the fill, then its hatch over it (a pattern in drawing px), then the stroke with the title
        out += f'<rect {geo} fill="{fill}" stroke="none"/>'
        out += f'<rect {geo} fill="url(#{hatch_id(uid, r.hatch, r.hatch_colour)})" stroke="none" pointer-events="none"/>'
        fill = "none" if r.stroke is not None else "transparent"
    return out + f'<rect {geo} fill="{fill}" {_stroke(r.stroke)}{kind}>{title}</rect>'


def _line(p: Panel, ln: Line) -> str:
    pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in place.line(p, ln))
    out = ""
    if ln.stroke.edge:
        out += (f'<polyline points="{pts}" fill="none" {_stroke(ln.stroke, ln.stroke.edge_width, ln.stroke.edge)} '
                'pointer-events="none"/>')
    kind = f' data-kind="{escape(ln.kind)}"' if ln.kind else ""
    return out + f'<polyline points="{pts}" fill="none" {_stroke(ln.stroke)}{kind}/>'


def _text(p: Panel, t: Text) -> str:
    x, y = place.text(p, t)
    attrs = (f'x="{_n(x)}" y="{_n(y)}" font-size="{_n(t.size)}" text-anchor="{t.anchor}" fill="{escape(t.colour)}"'
             + (' font-weight="bold"' if t.weight == "bold" else ""))
    if t.halo:  # drawn round the letters, under them
        attrs += f' stroke="{escape(t.halo)}" stroke-width="{_n(t.size / 4)}" paint-order="stroke" stroke-linejoin="round"'
    kind = f' data-kind="{escape(t.kind)}"' if t.kind else ""
    # A text lets the mouse through to what it is printed on: a value's cell answers the hover with its title.
    return f'<text {attrs}{kind} pointer-events="none">{escape(t.text)}</text>'


def _photo(p: Panel, ph: Photo) -> str:
    x, y, w, h = place.rect(p, Rect(ph.x, ph.y, ph.w, ph.h))
    uri = f"data:{MIME[ph.fmt.upper()]};base64,{base64.b64encode(ph.data).decode('ascii')}"
    return (f'<image x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" preserveAspectRatio="none" '
            f'href="{uri}"/>')


def _point(p: Panel, pt: Point) -> str:
    shape = place.outline(p, pt)
    fill = escape(pt.fill) if pt.fill else "none"
    kind = f' data-kind="{escape(pt.kind)}"' if pt.kind else ""
    title = f"<title>{escape(pt.title)}</title>" if pt.title else ""
    # The stroke of a marker is never dashed: the method's line style belongs to its line.
    stroke = _stroke(pt.stroke and Stroke(pt.stroke.colour, pt.stroke.width))
    if pt.shape == "circle":
        (cx, cy), (r, _) = shape
        return f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r)}" fill="{fill}" {stroke}{kind}>{title}</circle>'
    pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in shape)
    return f'<polygon points="{pts}" fill="{fill}" {stroke} stroke-linejoin="miter"{kind}>{title}</polygon>'


PAINT = {Rect: _rect, Line: _line, Text: _text, Photo: _photo, Point: _point}


def paint(d: Drawing, *, css_class: str = "roi-figure", max_width: float | None = None) -> str:
    """The drawing as one ``<svg>`` element filling its container's width, its proportions kept.

    ``max_width``: CSS px it may not grow past (a projector's figure sized to fit the screen's height).
    """
    style = "width: 100%; height: auto" + (f"; max-width: {_n(max_width)}px; margin: 0 auto" if max_width else "")
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" viewBox="0 0 {_n(d.width)} {_n(d.height)}" '
             f'width="{_n(d.width)}" height="{_n(d.height)}" role="img" aria-label="{escape(d.alt)}" '
             f'font-family="{", ".join(fonts.FAMILIES)}, sans-serif" style="{style}">',
             f'<rect width="100%" height="100%" fill="{escape(d.background)}"/>']
    # Clip ids unique to this drawing: several figures share one page.
    uid = hashlib.sha1(f"{d.alt}|{d.width}|{d.height}|{len(d.panels)}".encode()).hexdigest()[:10]
    hatches = sorted({(m.hatch, m.hatch_colour) for _, m in d.marks(Rect) if m.hatch})
    if hatches:
        parts.append("<defs>" + "".join(_pattern(uid, h, c) for h, c in hatches) + "</defs>")
    for i, p in enumerate(d.panels):
        clip = ""
        if p.clip:
            parts.append(f'<clipPath id="c{uid}-{i}"><rect x="{_n(p.x)}" y="{_n(p.y)}" width="{_n(p.w)}" height="{_n(p.h)}"/>'
                         "</clipPath>")
            clip = f' clip-path="url(#c{uid}-{i})"'
        parts.append(f'<g data-panel="{i}"{clip}>')
        parts += [_rect(p, m, uid) if isinstance(m, Rect) else PAINT[type(m)](p, m) for m in p.marks]
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
