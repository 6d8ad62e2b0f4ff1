"""The files' painter: a :class:`~roi_viz.picture.spec.Drawing` as a Matplotlib figure.

For what leaves the page (the handout PDF, PNG figures, the GIFs, ``explain --figures``).
The figure is ``width/100 x height/100`` inches, so at 100 dpi one drawing pixel is one
figure pixel (and a point is 100/72 of a pixel): sizes in the drawing's pixels become
points by ``* 72 / 100``, and a file at 150 dpi is the same figure, sharper. Positions come
from :mod:`roi_viz.picture.place`, shared with the SVG painter; each panel is an axes
whose data limits are the panel's, y downwards.
"""
from __future__ import annotations

import io

import numpy as np
from matplotlib import font_manager, patheffects
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Polygon, Rectangle
from PIL import Image

from . import fonts, place
from .spec import Drawing, Line, Panel, Photo, Point, Rect, Stroke, Text

BASE_DPI = 100
PT = 72 / BASE_DPI  # points per drawing pixel
HA = {"start": "left", "middle": "center", "end": "right"}
# The Chinese font is the project's own file (roi_viz.picture.fonts), not a system font: known to Matplotlib by
# name, it is the fallback for every character DejaVu Sans lacks (Agg, SVG, PDF and PS all fall back per glyph).
font_manager.fontManager.addfont(str(fonts.CJK_FILE))
FAMILIES = list(fonts.FAMILIES)


def _dashes(s: Stroke):
    # Matplotlib scales a dash pattern by the line width; the drawing's dashes are pixels.
    return (0, tuple(d / s.width for d in s.dash)) if s.dash else "solid"


def _edge(s: Stroke | None):
    if s is None or not s.edge:
        return None
    return [patheffects.Stroke(linewidth=s.edge_width * PT, foreground=s.edge), patheffects.Normal()]


def _rect(fig, ax, p: Panel, r: Rect) -> None:
    s = r.stroke
    patch = Rectangle((r.x, r.y), r.w, r.h, facecolor=r.fill or "none", edgecolor=s.colour if s else "none",
                      linewidth=s.width * PT if s else 0, linestyle=_dashes(s) if s else "solid", gid=r.kind or None)
    if s is not None and s.edge:
        patch.set_path_effects(_edge(s))
    if r.hatch:  # Matplotlib's hatch: its pattern, in the hatch's colour, over the fill
        patch.set_hatch(r.hatch * 2)
        patch.set_hatchcolor(r.hatch_colour)
        patch.set_hatch_linewidth(1.5 * PT)
    patch.set_clip_on(p.clip)
    ax.add_patch(patch)
    return patch


def _line(fig, ax, p: Panel, ln: Line) -> None:
    xs, ys = zip(*ln.points)
    (artist,) = ax.plot(xs, ys, color=ln.stroke.colour, linewidth=ln.stroke.width * PT, linestyle=_dashes(ln.stroke),
                        solid_capstyle="butt", gid=ln.kind or None)
    artist.set_clip_on(p.clip)
    if ln.stroke.edge:
        artist.set_path_effects(_edge(ln.stroke))
    return artist


def _text(fig, ax, p: Panel, t: Text) -> None:
    x, base = place.text(p, t)
    W, H = fig.get_size_inches() * BASE_DPI
    artist = fig.text(x / W, 1 - base / H, t.text, fontsize=t.size * PT, color=t.colour, fontweight=t.weight,
                      ha=HA[t.anchor], va="baseline", family=FAMILIES, gid=t.kind or None)
    if t.halo:
        artist.set_path_effects([patheffects.withStroke(linewidth=t.size / 4 * PT, foreground=t.halo)])


def _photo(fig, ax, p: Panel, ph: Photo) -> None:
    img = np.asarray(Image.open(io.BytesIO(ph.data)).convert("RGB"))
    return ax.imshow(img, extent=(ph.x, ph.x + ph.w, ph.y + ph.h, ph.y), interpolation="antialiased")


def _point(fig, ax, p: Panel, pt: Point) -> None:
    # Placed in inches of the figure, not in data: a marker keeps its size and shape whatever the panel's scale.
    H = fig.get_size_inches()[1] * BASE_DPI
    inch = lambda x, y: (x / BASE_DPI, (H - y) / BASE_DPI)  # drawing px (y down) -> inches from the bottom-left
    shape = place.outline(p, pt)
    style = dict(facecolor=pt.fill or "none", edgecolor=pt.stroke.colour if pt.stroke else "none",
                 linewidth=pt.stroke.width * PT if pt.stroke else 0, gid=pt.kind or None, joinstyle="miter",
                 transform=fig.dpi_scale_trans)
    if pt.shape == "circle":
        (cx, cy), (r, _) = shape
        patch = Circle(inch(cx, cy), r / BASE_DPI, **style)
    else:
        patch = Polygon([inch(x, y) for x, y in shape], closed=True, **style)
    ax.add_patch(patch)
    patch.set_clip_on(p.clip)
    return patch


PAINT = {Rect: _rect, Line: _line, Text: _text, Photo: _photo, Point: _point}


def paint(d: Drawing) -> Figure:
    """The drawing as a Matplotlib figure (no pyplot: no global state between sessions)."""
    fig = Figure(figsize=(d.width / BASE_DPI, d.height / BASE_DPI), dpi=BASE_DPI, facecolor=d.background)
    for p in d.panels:
        ax = fig.add_axes((p.x / d.width, 1 - (p.y + p.h) / d.height, p.w / d.width, p.h / d.height))
        ax.set_axis_off()
        ax.set_xlim(*p.xlim)
        ax.set_ylim(p.ylim[1], p.ylim[0])  # y downwards: ylim[0] at the top
        ax.set_autoscale_on(False)
        for order, m in enumerate(p.marks):
            artist = PAINT[type(m)](fig, ax, p, m)
            if artist is not None:  # in the drawing's order, as the SVG paints, whatever their type (texts: on top)
                artist.set_zorder(1 + order * 1e-5)
    return fig
