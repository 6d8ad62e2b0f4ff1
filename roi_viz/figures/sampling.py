"""The steps of the methods that read between cells (RoIAlign, RoIWarp, Precise RoI Pooling), described once.

Every function takes a :class:`~roi_viz.state.scene.Scene` whose ``chosen`` is the method's trace (an
:class:`~roi_viz.ops.roialign.AlignTrace` or a :class:`~roi_viz.ops.prroi.PrRoITrace`) and whose ``focus`` is
``(bin row i, bin column j, point index k)``, and returns a :class:`~roi_viz.picture.spec.Drawing` ``width`` px
wide whose smallest text is ``text`` px. Map figures are in cells: cell ``(r, c)`` covers ``[c, c+1) x [r, r+1)``,
x counts columns and y rows, row 0 on top; a sampling point ``(y, x)`` of a trace is in the same cell
coordinates, so it is drawn where it lies. A point's hover title says it as ``(x, y)``, column first.

- :func:`describe_sampling`: the fractional bins and the grid of sampling points in each; the point picked is ringed.
- :func:`describe_bilinear`: that point, the cells it reads and the weight each one gets.
- :func:`describe_combine`: the channel under the bins and points, and how a bin's points become one value.
- :func:`describe_integrate`: Precise RoI Pooling: each cell's share of the picked bin's exact average.
- :func:`describe_output`: the output grid and where the RoI's area went.

A value is printed only where every one of its kind fits (measured in the figures' font, clear of the bin lines
and of each other); where they do not, none is printed and a note says where to find them. Every word is looked up
in the catalog as the figure is described (:mod:`roi_viz.language`). No painting library is imported here.
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np

from ..language import N_, _
from ..lesson.numbers import num, pct, value, weight
from ..state.scene import Scene
from ..methods import method
from ..lesson.shown import printed_shares, window
from ..picture import fonts, place, scale
from ..picture.spec import Drawing, Line, Panel, Point, Rect, Stroke, Text
from . import look
from .compare import VALUE_GAP, output_cells, values_fit
from .frame import Entry, Sheet, cell_count as cells, cell_lines, channel_cells, channel_name, \
    size_words as rows_by_columns
from .steps import channel_entry, roi_entries, roi_marks

WIDTH, TEXT = 560.0, 13.0
RING = Stroke(look.ARGMAX, 3.0)  # the point (or a bin's maximum) looked at: a red ring round it
OFF_STROKE = Stroke(look.OFF_MAP, 2.5, (), "#000000", 4.5)  # a point off the map: a red cross outlined in black
GAP = 2.0  # px kept between a printed number and what it must not touch
# A share of the RoI's area below this is float32's rounding, not a part of the RoI left out (the legacy
# half-cell shift leaves out far more: half a cell along two sides).
OUTSIDE_NOISE = 1e-4
# Notes stored for the catalog, translated where drawn.
NO_VALUES = N_("The cells are too small to print their values here: a hover over a cell gives its value.")


# ------------------------------------------------------------------------------------------ shared pieces
def _bin_lines(r) -> list[Line]:
    """The bins' fractional edges across the box (kind "bin"), in cells."""
    y0, y1, x0, x1 = (float(v) for v in (r.row_edges[0], r.row_edges[-1], r.col_edges[0], r.col_edges[-1]))
    return ([Line(((float(x), y0), (float(x), y1)), look.BIN_STROKE, kind="bin") for x in r.col_edges]
            + [Line(((x0, float(y)), (x1, float(y))), look.BIN_STROKE, kind="bin") for y in r.row_edges])


def _bins_label(r) -> str:
    if method(r.method).integrates:  # PrRoI's authors shift by half a cell unless aligned
        return _("bins") if r.aligned else _("bins (authors' rule: ½ cell off)")
    return _("bins") if r.snapped or r.aligned else _("bins (legacy: ½ cell off)")


def _bins_entry(r) -> Entry:
    return Entry(_bins_label(r), swatch="line", stroke=look.BIN_STROKE)


def _roi(scene: Scene) -> tuple[list, list[Entry]]:
    """The RoI as projected, and for RoIWarp the region it snapped to, with their legend entries."""
    marks, entries = roi_marks(scene), roi_entries()
    if getattr(scene.chosen, "snapped", False) and marks[-1].kind == "region":
        return marks, entries
    return marks[:1], entries[:1]


def _point_title(r, channel: int, i: int, j: int, k: int) -> str:
    """What a sampling point answers a hover with: which it is, where it is as (x, y), what it reads."""
    y, x = (float(v) for v in r.samples[i, j, k])
    if not r.valid[i, j, k]:
        return _("bin ({i},{j}), point {k} at (x, y) = ({x}, {y}): off the map, it reads 0").format(
            i=i, j=j, k=k + 1, x=num(x), y=num(y))
    return _("bin ({i},{j}), point {k} at (x, y) = ({x}, {y}): reads {v}").format(
        i=i, j=j, k=k + 1, x=num(x), y=num(y), v=value(float(r.sample_values[channel, i, j, k])))


def _point_size(r, panel: Panel, most: float) -> float:
    """A marker's width in px: as large as ``most``, and no wider than 70 % of the room between two points."""
    sx, sy = panel.scale()
    gh, gw = r.grid
    bh, bw = r.bin_size
    room = min(bh / gh * sy, bw / gw * sx) if gh and gw else most
    return float(min(most, max(3.0, 0.7 * room)))


def _points(r, scene: Scene, panel: Panel, size: float) -> list:
    """Every sampling point as a marker (one off the map, which reads 0, also crossed in red); the view
    (:func:`_view`) holds them all."""
    ph, pw = r.output_size
    marks: list = []
    crosses: list = []
    sx, __ = panel.scale()
    arm = size / 2 / sx  # the cross's half width, in cells
    for i in range(ph):
        for j in range(pw):
            for k in range(r.points_per_bin):
                y, x = (float(v) for v in r.samples[i, j, k])
                title = _point_title(r, scene.channel, i, j, k)
                marks.append(Point(x, y, "circle", size, look.SAMPLE_FILL, look.SAMPLE_STROKE, title=title,
                                   kind="sample"))
                if not r.valid[i, j, k]:
                    crosses += [Line(((x - arm, y - arm), (x + arm, y + arm)), OFF_STROKE, kind="off map"),
                                Line(((x - arm, y + arm), (x + arm, y - arm)), OFF_STROKE, kind="off map")]
    return marks + crosses


def _add(s: Sheet, panel: Panel, marks: list) -> Panel:
    """``panel`` (the sheet's last) with ``marks`` laid over its own: marks placed once its scale is known."""
    new = dataclasses.replace(panel, marks=panel.marks + tuple(marks))
    s.panels[s.panels.index(panel)] = new
    return new


def _text_fits(panel: Panel, t: Text, edges: list[Line], avoid: list) -> bool:
    """Whether ``t`` lies inside ``panel``, crossed by none of ``edges`` and clear of every box in ``avoid``."""
    x, y, w, h = place.text_box(panel, t)
    if x < panel.x or y < panel.y or x + w > panel.x + panel.w or y + h > panel.y + panel.h:
        return False
    for ln in edges:
        (ax, ay), (bx, by) = place.line(panel, ln)
        if abs(ax - bx) < 1e-6 and x - GAP < ax < x + w + GAP and min(ay, by) < y + h and max(ay, by) > y:
            return False
        if abs(ay - by) < 1e-6 and y - GAP < ay < y + h + GAP and min(ax, bx) < x + w and max(ax, bx) > x:
            return False
    return not any(x < bx + bw + GAP and bx < x + w + GAP and y < by + bh + GAP and by < y + h + GAP
                   for bx, by, bw, bh in avoid)


def _view(scene: Scene, r) -> tuple[tuple[float, float], tuple[float, float], list, list[Entry]]:
    """The limits ``(xlim, ylim)`` of a map figure of ``r``'s points: the lesson's window, grown to whole cells
    round any sampling point outside it (half a cell of room) so that none is hidden, even one off the map; and,
    when the view passes the map's edge, the area off the map (level lines) and its legend entry."""
    r0, r1, c0, c1 = window(scene)
    if getattr(r, "points_per_bin", 0):  # grown only where a point lies outside it
        ys, xs = r.samples[..., 0], r.samples[..., 1]
        lo_y, hi_y, lo_x, hi_x = (float(v) for v in (ys.min(), ys.max(), xs.min(), xs.max()))
        r0, r1 = (math.floor(lo_y - 0.5) if lo_y < r0 else r0), (math.ceil(hi_y + 0.5) if hi_y > r1 else r1)
        c0, c1 = (math.floor(lo_x - 0.5) if lo_x < c0 else c0), (math.ceil(hi_x + 0.5) if hi_x > c1 else c1)
    H, W = r.map_size
    xlim, ylim = (float(c0), float(c1)), (float(r0), float(r1))
    if r0 >= 0 and c0 >= 0 and r1 <= H and c1 <= W:
        return xlim, ylim, [], []
    area = Rect(float(c0), float(r0), float(c1 - c0), float(r1 - r0), kind="off map area", **look.fill(look.OFF_MAP_AREA))
    return xlim, ylim, [area], [Entry.area(_("off the map"), look.OFF_MAP_AREA)]


def _overlaps(a, b) -> bool:
    """Whether two boxes ``(x, y, w, h)`` share some inside."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def _empty(s: Sheet, heading: str, scene: Scene, alt: str) -> Drawing:
    s.title(heading)
    s.badge(scene.pretrained, scene.settings.network)
    return s.done(alt)


# ------------------------------------------------------------------------------------------ the steps
def describe_sampling(scene: Scene, *, width: float = WIDTH, text: float = TEXT) -> Drawing:
    """RoIAlign / RoIWarp: the bins with their fractional edges and the grid of sampling points inside each.

    The channel in light greys under the view (each cell answering a hover), the bins (black lines), every
    sampling point (a white circle whose hover says where it is and what it reads; one off the map, which reads
    0, crossed in red), the point ``scene.focus`` picks ringed in red, the projected RoI and, for RoIWarp, the
    region it snapped to.
    """
    r = scene.chosen
    win = window(scene)
    ph, pw = r.output_size
    bh, bw = r.bin_size
    gh, gw = r.grid
    s = Sheet(width, text)
    if not r.points_per_bin:
        heading = _("No cells to sample: the box snapped to nothing")
    else:
        heading = _("{ph}×{pw} bins of {size}; {gh}×{gw} points in each").format(
            ph=ph, pw=pw, size=rows_by_columns(bh, bw), gh=gh, gw=gw)
    s.title(heading)
    xlim, ylim, marks, off = _view(scene, r)
    marks += channel_cells(scene.features[scene.channel], win, alpha=0.35, name=channel_name(scene.channel))
    marks += cell_lines(win, look.CELL_ON_LIGHT)
    roi, entries = _roi(scene)
    panel = s.chart(xlim, ylim, marks)
    if r.points_per_bin:
        size = _point_size(r, panel, 14.0)
        pts = _points(r, scene, panel, size)
        i, j, k = scene.focus
        y, x = (float(v) for v in r.samples[i, j, k])
        over = _bin_lines(r) + pts
        over.append(Point(x, y, "circle", 2 * size + 4, None, RING, title=_point_title(r, scene.channel, i, j, k),
                          kind="focus"))
        panel = _add(s, panel, over + roi)
        entries += [_bins_entry(r), Entry(_("sampling point"), swatch="circle", fill=look.SAMPLE_FILL,
                                          stroke=look.SAMPLE_STROKE),
                    Entry(_("point looked at in the next step"), swatch="circle", stroke=RING)]
        if not r.valid.all():
            entries.append(Entry(_("off the map: reads 0"), swatch="cross", stroke=OFF_STROKE))
    else:
        panel = _add(s, panel, roi)
    s.legend(entries + [channel_entry(scene)] + off)
    s.badge(scene.pretrained, scene.settings.network)
    return s.done(_("{heading}.").format(heading=heading))


def describe_bilinear(scene: Scene, *, width: float = WIDTH, text: float = TEXT) -> Drawing:
    """RoIAlign / RoIWarp: the point ``scene.focus`` picks, the cells round it, and the weight of each it reads.

    The cells of the channel (viridis, each answering a hover with its value) with their values printed, a cross
    at each cell's centre, a white line from the point to each centre it reads (the heavier the weight, the
    thicker) and the weight itself ("×0.640") in that cell, on the side away from the point, so that neither
    the line nor the point's ring covers a number.
    """
    r = scene.chosen
    i, j, k = scene.focus
    H, W = r.map_size
    s = Sheet(width, text)
    if not r.points_per_bin:
        return _empty(s, _("This box has no sampling points"), scene, _("This box has no sampling points."))
    y, x = (float(v) for v in r.samples[i, j, k])
    weights = {(row, col): w for row, col, w in r.neighbours(i, j, k)}
    rows = [rc[0] for rc in weights] + [int(np.clip(np.floor(y), 0, H - 1))]
    cols = [rc[1] for rc in weights] + [int(np.clip(np.floor(x), 0, W - 1))]
    r0, r1 = max(min(rows) - 1, 0), min(max(rows) + 2, H)
    c0, c1 = max(min(cols) - 1, 0), min(max(cols) + 2, W)
    read = float(r.sample_values[scene.channel, i, j, k])
    if r.valid[i, j, k]:
        heading = _("Bin ({i},{j}), point {k}: reads {v} (channel {c})").format(i=i, j=j, k=k + 1, v=value(read),
                                                                                 c=scene.channel)
    else:
        heading = _("Bin ({i},{j}), point {k} is off the map: it reads 0").format(i=i, j=j, k=k + 1)
    s.title(heading)
    chan = scene.features[scene.channel]
    block = chan[r0:r1, c0:c1]
    lo, hi = float(block.min()), float(block.max())
    win = (r0, r1, c0, c1)
    # A point at the map's edge may lie outside the cells shown: the view reaches it, the area off the map lined.
    xlim = (float(min(c0, math.floor(x - 0.3))), float(max(c1, math.ceil(x + 0.3))))
    ylim = (float(min(r0, math.floor(y - 0.3))), float(max(r1, math.ceil(y + 0.3))))
    marks: list = []
    off: list[Entry] = []
    if xlim != (c0, c1) or ylim != (r0, r1):
        marks.append(Rect(xlim[0], ylim[0], xlim[1] - xlim[0], ylim[1] - ylim[0], kind="off map area",
                          **look.fill(look.OFF_MAP_AREA)))
        off.append(Entry.area(_("off the map"), look.OFF_MAP_AREA))
    marks += channel_cells(chan, win, "viridis", vmin=lo, vmax=hi, name=channel_name(scene.channel))
    marks += cell_lines(win, look.CELL_ON_DARK)
    panel = s.chart(xlim, ylim, marks)
    S = panel.scale()[0]  # px per cell
    t, h = text, fonts.height(text)
    box_h = h + 3  # the weight's white box
    over: list = []
    for rr in range(r0, r1):  # a cross at every cell's centre: what a weight is measured from
        for cc in range(c0, c1):
            arm = 5.0 / S
            over += [Line(((cc + 0.5 - arm, rr + 0.5), (cc + 0.5 + arm, rr + 0.5)), Stroke("#ffffff", 2.0), kind="centre"),
                     Line(((cc + 0.5, rr + 0.5 - arm), (cc + 0.5, rr + 0.5 + arm)), Stroke("#ffffff", 2.0), kind="centre")]
    for (rr, cc), w in weights.items():
        if w <= 0:
            continue
        lw = (1.5 + 8 * w) * 100 / 72
        over.append(Line(((x, y), (cc + 0.5, rr + 0.5)), Stroke("#ffffff", lw, (), "#000000", lw + 3), kind="leader"))
    over.append(Point(x, y, "circle", 28.0, look.SAMPLE_FILL, Stroke(look.ARGMAX, 4.0),
                      title=_point_title(r, scene.channel, i, j, k), kind="focus"))
    # Each read cell's weight (and its value) in the half of the cell away from the point: its leader line and
    # the ring lie in the half facing the point.
    labels: list = []
    values: list = []
    mid = (lo + hi) / 2
    for rr in range(r0, r1):
        for cc in range(c0, c1):
            v = float(chan[rr, cc])
            colour = "#000000" if v > mid else "#ffffff"
            if (rr, cc) in weights and weights[rr, cc] > 0:
                up = rr + 0.5 < y  # the point below the centre: the numbers go to the top of the cell
                wy = rr + (GAP + box_h / 2) / S if up else rr + 1 - (GAP + box_h / 2) / S
                vy = rr + (GAP + box_h + 1 + h / 2) / S if up else rr + 1 - (GAP + box_h + 1 + h / 2) / S
                words = f"×{weight(weights[rr, cc])}"
                bw = fonts.width(words, t, "bold") + 6
                labels += [Rect(cc + 0.5 - bw / 2 / S, wy - box_h / 2 / S, bw / S, box_h / S, fill="#ffffff",
                                stroke=Stroke("#000000", 1.0), kind="weight box"),
                           Text(cc + 0.5, wy, words, t, weight="bold", anchor="middle", baseline="middle",
                                kind="weight")]
                values.append(Text(cc + 0.5, vy, value(v), t, colour, anchor="middle", baseline="middle", kind="value"))
            else:  # a cell not read (or read with weight 0): its value under its centre's cross
                values.append(Text(cc + 0.5, rr + 1 - (GAP + h / 2) / S, value(v), t, colour, anchor="middle",
                                   baseline="middle", kind="value"))
    # Every value within its cell, and the weight and the value together in half a cell, clear of the centre's
    # cross (5 px) and the leader's end: all printed, or none.
    fits = all(fonts.width(m.text, t) + 2 * GAP <= S for m in values) and GAP + box_h + 1 + h <= S / 2 - 5
    note = ""
    if not fits:
        values = []
        note = _(NO_VALUES)
    ring_box = place.point_box(panel, over[-1])
    kept = []
    for m in values:  # a value the ring would cover (a point near its cell's centre) is left out
        if not _overlaps(place.text_box(panel, m), ring_box):
            kept.append(m)
        else:
            note = note or _("A value under the point's ring is left out: a hover over its cell gives it.")
    panel = _add(s, panel, over + labels + kept)
    s.legend(off)
    if not kept:  # the colours alone tell the values: their scale (where printed, the numbers tell them)
        s.colour_bar(lo, hi, "viridis", _("Channel {k}, the cells shown:").format(k=scene.channel))
    if note:
        s.note(note)
    s.badge(scene.pretrained, scene.settings.network)
    read_words = _("; ").join(_("row {r}, column {c}: weight {w}").format(r=rr, c=cc, w=weight(w))
                              for (rr, cc), w in weights.items() if w > 0)
    return s.done(_("{heading}. {weights}.").format(heading=heading, weights=read_words))


def describe_combine(scene: Scene, *, width: float = WIDTH, text: float = TEXT) -> Drawing:
    """RoIAlign / RoIWarp: the channel under the bins, each point's value, and the one value each bin keeps.

    The mean of a bin's points (``mode="avg"``) or their maximum (``"max"``: the winning point of each bin ringed
    in red). Each point's value is printed up and right of it while at most 40 points are shown and every value
    fits clear of the others, the bin lines and the view's edge; otherwise none is, and a note says so.
    """
    r = scene.chosen
    win = window(scene)
    r0, r1, c0, c1 = win
    heading = (_("Channel {k}: the mean of the {n} points in each bin") if r.mode == "avg" else
               _("Channel {k}: the max (red ring) of the {n} points in each bin")).format(k=scene.channel,
                                                                                          n=r.points_per_bin)
    s = Sheet(width, text)
    s.title(heading)
    chan = scene.features[scene.channel]
    block = chan[r0:r1, c0:c1]
    lo, hi = float(block.min()), float(block.max())
    xlim, ylim, marks, off = _view(scene, r)
    marks += channel_cells(chan, win, "viridis", vmin=lo, vmax=hi, name=channel_name(scene.channel))
    marks += cell_lines(win, look.CELL_ON_DARK)
    # Not taller than 72 % of the width: the legend and the colour scale below still fit a projector's screen.
    panel = s.chart(xlim, ylim, marks, max_height=0.72 * width)
    roi, entries = _roi(scene)
    note = ""
    if r.points_per_bin:
        size = _point_size(r, panel, 12.0)
        edges = _bin_lines(r)
        over: list = edges + _points(r, scene, panel, size)
        vals = r.sample_values[scene.channel]
        entries += [_bins_entry(r), Entry(_("sampling point"), swatch="circle", fill=look.SAMPLE_FILL,
                                          stroke=look.SAMPLE_STROKE)]
        if r.mode == "max":
            best = vals.argmax(axis=-1)
            ph, pw = r.output_size
            for bi in range(ph):
                for bj in range(pw):
                    kk = int(best[bi, bj])
                    yy, xx = (float(v) for v in r.samples[bi, bj, kk])
                    over.append(Point(xx, yy, "circle", 2 * size + 4, None, RING, kind="winner",
                                      title=_("bin ({i},{j}): its maximum, {v}, from point {k}").format(
                                          i=bi, j=bj, v=value(float(r.output[scene.channel, bi, bj])), k=kk + 1)))
            entries.append(Entry(_("the bin's maximum"), swatch="circle", stroke=RING))
        labels = _point_values(r, scene, panel, size, edges, text)
        if labels is None:
            note = _("The points are too close to print their values here: a hover over a point gives its value.")
            labels = []
        panel = _add(s, panel, over + roi + labels)
    else:
        panel = _add(s, panel, roi)
    s.legend(entries + off)
    s.colour_bar(lo, hi, "viridis", _("Channel {k}, the cells shown:").format(k=scene.channel))
    if note:
        s.note(note)
    s.badge(scene.pretrained, scene.settings.network)
    return s.done(_with_note(heading, note))


def _with_note(heading: str, note: str) -> str:
    """A figure's text alternative: its heading, then its note if it has one (each a sentence of its own)."""
    return (_("{heading}. {note}") if note else _("{heading}.")).format(heading=heading, note=note)


def _point_values(r, scene: Scene, panel: Panel, size: float, edges: list[Line], text: float) -> list | None:
    """Each point's value up and right of it, or ``None`` where not every one fits (more than 40 points, or one
    leaving the view, crossing a bin line, or touching another value or another point)."""
    ph, pw = r.output_size
    n = r.points_per_bin
    if ph * pw * n > 40:
        return None
    sx, __ = panel.scale()
    off = (size / 2 + 1) / sx  # clear of the point's own marker
    vals = r.sample_values[scene.channel]
    texts = []
    for i in range(ph):
        for j in range(pw):
            for k in range(n):
                y, x = (float(v) for v in r.samples[i, j, k])
                texts.append(Text(x + off, y - off, value(float(vals[i, j, k])), text, weight="bold",
                                  anchor="start", baseline="bottom", halo="#ffffff", kind="value"))
    boxes = [place.text_box(panel, m) for m in texts]
    markers = [place.point_box(panel, Point(float(x), float(y), "circle", size)) for y, x in r.samples.reshape(-1, 2)]
    for a, m in enumerate(texts):
        others = [b for c, b in enumerate(boxes) if c != a] + [b for c, b in enumerate(markers) if c != a]
        if not _text_fits(panel, m, edges, others):
            return None
    return texts


def describe_integrate(scene: Scene, *, width: float = WIDTH, text: float = TEXT) -> Drawing:
    """Precise RoI Pooling: how much each cell counts in the exact average of the bin ``scene.focus`` picks.

    Each cell in oranges by its share of bin ``(i, j)`` (its hover says the share), the shares printed where
    :func:`roi_viz.lesson.shown.printed_shares` prints them (the words add up the same ones) if every one of them
    fits in its cell clear of the bin lines, the bins, the picked bin outlined in red and the projected RoI.
    """
    r = scene.chosen
    i, j, __ = scene.focus
    win = window(scene)
    r0, r1, c0, c1 = win
    bh, bw = r.bin_size
    heading = _("Bin ({i},{j}), {size}: each cell's share").format(i=i, j=j, size=rows_by_columns(bh, bw))
    s = Sheet(width, text)
    s.title(heading)
    share = r.weight_map(i, j)
    top = max(float(share[r0:r1, c0:c1].max()), 1e-12)
    marks: list = []
    for rr in range(r0, r1):
        for cc in range(c0, c1):
            marks.append(Rect(float(cc), float(rr), 1.0, 1.0, fill=scale.colour("oranges", share[rr, cc], 0.0, top),
                              title=_("row {r}, column {c}: {share} of bin ({i},{j})'s average").format(
                                  r=rr, c=cc, share=pct(float(share[rr, cc])), i=i, j=j),
                              kind="cell"))
    marks += cell_lines(win, look.CELL_ON_LIGHT)
    panel = s.chart((c0, c1), (r0, r1), marks)
    edges = _bin_lines(r)
    picked = Rect(float(r.col_edges[j]), float(r.row_edges[i]), float(r.col_edges[j + 1] - r.col_edges[j]),
                  float(r.row_edges[i + 1] - r.row_edges[i]), stroke=Stroke(look.ARGMAX, 4.5), kind="picked bin")
    roi, entries = _roi(scene)
    shown = printed_shares(scene)
    labels: list = []
    # "12.3 %" in every cell printed, or where a bin line leaves too little room, "12.3" (the legend says %).
    for words in (pct, lambda v: pct(v)[:-2]):
        labels = []
        for (rr, cc), v in shown.items():
            spot = _free_spot(panel, rr, cc, words(v), text, r)
            if spot is None:
                labels = []
                break
            labels.append(Text(spot[0], spot[1], words(v), text, anchor="middle", baseline="middle", halo="#ffffff",
                               kind="share value"))
        if labels:
            break
    note = ""
    if not labels:
        note = _("The cells are too small to print their shares here: a hover over a cell gives its share.")
    in_percent = bool(labels) and not labels[0].text.endswith("%")
    panel = _add(s, panel, edges + [picked] + roi + labels)
    ramp = tuple(scale.colour("oranges", v, 0, 1) for v in (0.2, 0.55, 0.9))
    s.legend(entries + [Entry(_bins_label(r), swatch="line", stroke=look.BIN_STROKE),
                        Entry(_("bin ({i},{j})").format(i=i, j=j), swatch="line", stroke=Stroke(look.ARGMAX, 4.5)),
                        Entry(_("share of the bin's average (%)") if in_percent else _("share of the bin's average"),
                              fills=ramp)])
    if note:
        s.note(note)
    s.badge(scene.pretrained, scene.settings.network)
    return s.done(_with_note(heading, note))


def _free_spot(panel: Panel, rr: int, cc: int, words: str, size: float, r) -> tuple[float, float] | None:
    """Where in cell ``(rr, cc)`` ``words`` fit between the bin lines that cross it (the middle of the widest
    stretch free of them, along each axis), in cells; ``None`` if nowhere."""
    sx, sy = panel.scale()
    need_x = (fonts.width(words, size) + 2 * GAP + 3) / sx  # the bin line's half width (and its white frame)
    need_y = (fonts.height(size) + 2 * GAP + 3) / sy

    def middle(lo: float, hi: float, edges, need: float):
        cuts = [lo] + sorted(float(e) for e in edges if lo < e < hi) + [hi]
        best = max(zip(cuts, cuts[1:]), key=lambda ab: ab[1] - ab[0])
        return (best[0] + best[1]) / 2 if best[1] - best[0] >= need else None

    x = middle(float(cc), cc + 1.0, r.col_edges, need_x)
    y = middle(float(rr), rr + 1.0, r.row_edges, need_y)
    return None if x is None or y is None else (x, y)


def describe_output(scene: Scene, *, width: float = WIDTH, text: float = TEXT) -> Drawing:
    """RoIAlign, RoIWarp or PrRoI: the ``ph x pw`` output for ``scene.channel`` and how much of the RoI the bins span.

    The output's cells on one colour scale, each answering a hover with its row, column and value; the values
    printed when every one fits. Below, the RoI's area as a bar: inside the bins, and what the bins leave out
    (RoIWarp's rounding, or the legacy half-cell shift) when it is more than float32's noise.
    """
    r = scene.chosen
    ph, pw = r.output_size
    out = r.output[scene.channel]
    vmin, vmax = float(out.min()), float(out.max())
    heading = _("Output {ph}×{pw}×{n}: channel {k}").format(ph=ph, pw=pw, n=r.channels, k=scene.channel)
    s = Sheet(width, text)
    s.title(heading)
    widest = max(fonts.width(str(v), text) for v in range(max(ph, pw)))
    room = s.inner - widest - 12
    # The grid 60 % of the width, as the file's was, or wider where that lets its values be printed.
    need = max(fonts.width(value(float(v)), text) for v in out.ravel()) + 2 * VALUE_GAP + 1
    # Never taller than 3/4 of the width: on a projector a grid growing with the text would shrink the figure; past
    # half again the page's text the grid gives up height as the text takes it, or the figure, shown no taller
    # than the screen, could never bring its smallest text to 18 px.
    cell_px = min(room / pw, 0.75 * width / ph, max(0.6 * width / max(ph, pw), need)) * min(1.0, 1.5 * TEXT / text)
    fits = values_fit([out], cell_px, text)
    s.chart((0, pw), (0, ph), output_cells(out, None, vmin, vmax, fits, text), xname=_("column"), yname=_("row"),
            tick_at=0.5, max_height=cell_px * ph)
    note = "" if fits else _(NO_VALUES)
    s.colour_bar(vmin, vmax, "viridis", "")
    if note:
        s.note(note)
    area = r.projected_area
    left_out = max(area - r.covered_area, 0.0)
    # Bins that span the RoI exactly (aligned, nothing rounded) leave only float32's noise outside, a few
    # millionths of a cell: no share and no legend entry for it, or the legend would name a shift that is not there.
    whole = left_out <= OUTSIDE_NOISE * max(area, 1e-12)
    parts = [(r.covered_area / area if area else 0.0, look.COVERED,
              _("inside the bins: {n}").format(n=cells(r.covered_area)))]
    if not whole:
        why = (_("lost: quantization: {n}") if r.snapped else _("outside the bins (½-cell shift): {n}"))
        parts.append((left_out / area if area else 0.0, look.LOST, why.format(n=cells(left_out))))
    bar_heading = _("The RoI's {n}: {share} inside the bins").format(n=cells(area),
                                                                      share="100 %" if whole else pct(r.coverage))
    s.bar(parts, bar_heading)
    s.legend([Entry.area(label, kind) for __, kind, label in parts], columns=1)
    s.badge(scene.pretrained, scene.settings.network)
    return s.done(_with_note(_("{heading}. {bar}").format(heading=heading, bar=bar_heading), note))
