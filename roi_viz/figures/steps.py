"""The steps of the walkthrough, each described once (page: SVG; files: Matplotlib).

Every function takes a :class:`~roi_viz.lesson.scene.Scene` and returns a
:class:`~roi_viz.picture.spec.Drawing` ``width`` px wide whose smallest text is ``text``
px (13 px: still 12 px when a 560-px drawing is shown in the 528-px lesson column of a
1366 x 768 laptop). Map figures are in cells: cell ``(r, c)`` covers
``[c, c+1) x [r, r+1)``, x counts columns, y rows, row 0 on top, as
:mod:`roi_viz.ops.geometry` counts them. The look (which colour and hatch means
lost, gained, dropped) is :mod:`roi_viz.figures.look`'s; the layout is
:mod:`roi_viz.figures.frame`'s. No painting library is imported here.
"""
from __future__ import annotations

from ..lesson.numbers import cells
from ..lesson.scene import Scene
from ..lesson.shown import window
from ..ops import geometry as g
from ..picture.spec import Drawing, Rect
from . import look
from .frame import Entry, Sheet, cell_lines, channel_cells

WIDTH, TEXT = 560.0, 13.0


def roi_marks(scene: Scene) -> list[Rect]:
    """The RoI as projected (dashed orange) and the quantized region (black), as every zoomed step draws them."""
    t = scene.pooled
    out = [Rect(*(float(v) for v in t.projected), stroke=look.ROI_STROKE, kind="roi")]
    if t.region_area:
        out.append(Rect(*g.box_of_span(t.region), stroke=look.REGION_STROKE, kind="region"))
    return out


def roi_entries() -> list[Entry]:
    return [Entry("RoI as projected", stroke=look.ROI_STROKE, swatch="line"),
            Entry("quantized region", stroke=look.REGION_STROKE, swatch="line")]


def channel_entry(scene: Scene) -> Entry:
    """The legend entry of the channel shown in light greys under a zoomed step."""
    from ..picture import scale

    ramp = tuple(scale.mix("#ffffff", scale.colour("greys", v, 0, 1), 0.35) for v in (0.15, 0.55, 0.95))
    return Entry(f"channel {scene.channel}: darker = larger", fills=ramp)


def describe_quantize(scene: Scene, *, width: float = WIDTH, text: float = TEXT) -> Drawing:
    """Step 3 of RoI pooling: the projected RoI, the region its corners snap to, and the area lost and gained."""
    t = scene.pooled
    win = window(scene)
    r0, r1, c0, c1 = win
    region = g.box_of_span(t.region)
    marks: list = channel_cells(scene.features[scene.channel], win, alpha=0.35, name=f"channel {scene.channel}")
    marks += [Rect(*p, kind="lost", **look.fill(look.LOST)) for p in g.box_difference(t.projected, region)]
    marks += [Rect(*p, kind="gained", **look.fill(look.GAINED)) for p in g.box_difference(region, t.projected)]
    marks += cell_lines(win, look.CELL_ON_LIGHT)
    marks += roi_marks(scene)
    rule = "rounded down" if t.scheme == "article" else "corners rounded, end cell kept"
    s = Sheet(width, text)
    s.title(f"Quantization ({rule})")
    s.chart((c0, c1), (r0, r1), marks)
    s.legend([Entry.area(f"lost: {cells(t.lost_area)}", look.LOST), channel_entry(scene),
              Entry.area(f"gained: {cells(t.gained_area)}", look.GAINED), *roi_entries()])
    s.badge(scene.pretrained)
    return s.done(f"Quantization ({rule}): lost {cells(t.lost_area)}, gained {cells(t.gained_area)}.")
