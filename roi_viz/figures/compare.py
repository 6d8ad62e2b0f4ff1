"""The two figures that put the methods side by side, described once (page: SVG; files: Matplotlib).

- :func:`describe_compare`: the same RoI through every method. Above, what each reads from
  the map (cells in grey, the bins, the sampling points or PrRoI's shares, the projected RoI);
  below, its output for one channel, all on one colour scale so equal colours mean equal
  numbers. Each output cell answers a hover with its row, column and value; the values are
  printed only where every one fits clear of its cell's edges, and the figure says so where not.
- :func:`describe_slide`: one output value (top) and the coverage (bottom) while the box slides
  by fractions of a cell. Each method has its own colour, line style and marker (its record's
  ``style``), so the plot reads on a greyscale projector; ``at`` marks one position (the GIF).

Both take ``methods``: the records of :mod:`roi_viz.methods`, keyed like the traces. Sizes are
CSS px of a drawing ``width`` px wide; ``text`` is the smallest type (13 px: still 12 px when a
560-px drawing is shown in the 528-px lesson column of a 1366 x 768 laptop). Cells are in map
coordinates: x counts columns, y rows, row 0 on top. No painting library is imported here.
"""
from __future__ import annotations

import math
import re

import numpy as np

from ..language import _, ngettext
from ..lesson.numbers import num, pct, value as activation
from ..lesson.shown import window
from ..ops import geometry as g
from ..picture import fonts, scale
from ..picture.spec import Drawing, Line, Panel, Point, Rect, Stroke, Text
from . import look

PAD = 6.0
GAP = 10.0  # between two methods' columns
ROI = "#ff7f0e"  # the RoI as projected: orange, dashed, outlined in black (as the walkthrough draws it)
ROI_STROKE = Stroke(ROI, 2.5, (6.0, 3.0), "#000000", 4.5)
BIN = Stroke("#000000", 2.0)
READ = "#bbbbbb"  # the cells a whole-cell method reads, laid at 0.55 over the channel
CELL_EDGE = Stroke("#b3b3b3", 0.6)
BADGE, BADGE_TEXT = look.BADGE, look.BADGE_TEXT  # the words: look.badge_text(network), translated where drawn
# A method's record says its line style and marker as Matplotlib names them; here they are px and shapes.
DASHES = {"-": (), "--": (8.0, 4.0), "-.": (8.0, 3.0, 2.0, 3.0), ":": (2.0, 3.0),
          "-..": (8.0, 3.0, 2.0, 3.0, 2.0, 3.0)}  # "-..": dash, dot, dot (no Matplotlib name: ours)
SHAPES = {"o": "circle", "s": "square", "^": "triangle", "D": "diamond"}
VALUE_GAP = 2.0  # px kept clear between a printed value and its cell's edge (and its white line)


def _lines(x: float, y: float, lines: list[str], size: float, anchor: str = "start", **kw) -> list[Text]:
    step = fonts.height(size) * 1.1
    return [Text(x, y + k * step, line, size, anchor=anchor, **kw) for k, line in enumerate(lines)]


def _block(lines: list[str], size: float) -> float:
    """The height of ``lines`` set by :func:`_lines`."""
    return fonts.height(size) * (1.1 * (len(lines) - 1) + 1) if lines else 0.0


def _badge(width: float, y: float, size: float, network: str = "vgg16") -> list:
    """The red "untrained" label naming ``network``, right-aligned at ``y`` (its top), on a row of its own."""
    words = look.badge_text(network)
    w = fonts.width(words, size, "bold") + 8
    h = fonts.height(size) + 4
    return [Rect(width - PAD - w, y, w, h, fill=BADGE, kind="badge"),
            Text(width - PAD - w / 2, y + h / 2, words, size, "#ffffff", "bold", "middle", "middle", kind="badge")]


def _ticks(lo: float, hi: float, room: float, label_px, most: int = 8) -> list[float]:
    """Whole-cell ticks from ``lo`` to ``hi`` (``room`` px long), as many as keep ``label_px`` apart."""
    span = hi - lo
    if span <= 0:
        return [float(lo)]
    for step in (1, 2, 5, 10, 20, 50, 100, 200):
        if span / step <= most and step * room / max(span, 1e-9) >= label_px:
            return [float(v) for v in np.arange(math.ceil(lo / step) * step, hi + 1e-9, step)]
    return [float(lo), float(hi)]


def nice_ticks(lo: float, hi: float, most: int) -> tuple[list[float], int]:
    """At most ``most`` round ticks covering ``lo .. hi`` (1, 2, 5 times a power of ten) and their decimals."""
    span = hi - lo if hi > lo else max(abs(hi), 1.0)
    raw = span / max(most - 1, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    ticks = [first + k * step for k in range(int((hi - first) / step + 1e-9) + 1)]
    return ticks, max(0, -math.floor(math.log10(step) + 1e-9) + (1 if step / mag == 2.5 else 0))


# ------------------------------------------------------------------------------------------ comparison
def _share(trace) -> np.ndarray:
    """PrRoI: how much of the bins each cell of the map feeds (``H x W``)."""
    return np.outer(trace.row_weights.sum(axis=0), trace.col_weights.sum(axis=0))


def _fractional_bins(t) -> tuple[np.ndarray, np.ndarray]:
    """Fast R-CNN's rule: the bins' edges as the rule computes them, before widening to whole cells, in cells."""
    xs, ys = t.quantized[:2]
    ph, pw = t.output_size
    bh, bw = t.bin_size
    H, W = t.map_size
    return np.clip(ys + np.arange(ph + 1) * bh, 0, H), np.clip(xs + np.arange(pw + 1) * bw, 0, W)


def _edges(rows, cols) -> list[Line]:
    y0, y1, x0, x1 = float(rows[0]), float(rows[-1]), float(cols[0]), float(cols[-1])
    return ([Line(((float(x), y0), (float(x), y1)), BIN, kind="bin") for x in cols]
            + [Line(((x0, float(y)), (x1, float(y))), BIN, kind="bin") for y in rows])


def reads(rec, trace, channel: np.ndarray, win) -> list:
    """What the method of ``rec`` reads from the map, as marks in cells of the map (``win`` = ``(r0, r1, c0, c1)``).

    The channel in grey under everything; then, by the method's traits: whole cells in grey blocks, one per bin
    (RoI pooling; under Fast R-CNN's rule the cells read are shaded and the bins drawn at the fractional edges
    the rule computes, as step 4 does: widened blocks would overlap and hide every bin), the bins and their
    sampling points (RoIAlign, RoIWarp), or every cell's share of the bins (PrRoI); the projected RoI on top.
    """
    r0, r1, c0, c1 = win
    lo, hi = float(channel.min()), float(channel.max())
    fill = {(r, c): scale.mix("#ffffff", scale.colour("greys", channel[r, c], lo, hi), 0.35)
            for r in range(r0, r1) for c in range(c0, c1)}
    over: list = []
    if rec.integrates:
        share = _share(trace)
        top = float(share.max())
        for (r, c) in fill:
            if share[r, c] > 0 and top > 0:
                fill[r, c] = scale.mix(fill[r, c], scale.colour("oranges", share[r, c], 0.0, top), 0.75)
        over = _edges(trace.row_edges, trace.col_edges)
    elif rec.samples_points:
        if trace.points_per_bin:
            over = _edges(trace.row_edges, trace.col_edges)
            pts = trace.samples.reshape(-1, 2)
            size = 7.0 if len(pts) <= 64 else 5.0 if len(pts) <= 256 else 3.5
            over += [Point(float(x), float(y), "circle", size, "#ffffff", Stroke("#000000", 1.0), kind="sample")
                     for y, x in pts]
    elif trace.scheme == "article":
        for row in trace.bins:
            for span in row:
                if span[1] > span[0] and span[3] > span[2]:
                    for r in range(max(span[0], r0), min(span[1], r1)):
                        for c in range(max(span[2], c0), min(span[3], c1)):
                            fill[r, c] = scale.mix(fill[r, c], READ, 0.55)
                    over.append(Rect(*g.box_of_span(span), stroke=Stroke("#000000", 2.2), kind="bin"))
    elif trace.region_area:
        used = trace.bin_use > 0
        for (r, c) in fill:
            if used[r, c]:
                fill[r, c] = scale.mix(fill[r, c], READ, 0.55)
        over = _edges(*_fractional_bins(trace))
    cells = [Rect(float(c), float(r), 1.0, 1.0, fill=f, stroke=CELL_EDGE, kind="map") for (r, c), f in fill.items()]
    return cells + over + [Rect(*(float(v) for v in trace.projected), stroke=ROI_STROKE, kind="roi")]


def values_fit(outs, cell_px: float, size: float) -> bool:
    """Whether every value of every output (``ph x pw`` each), at ``size`` px, clears the edges of its
    ``cell_px``-wide cell by :data:`VALUE_GAP` px: the values are printed in all or in none, so that a
    student never wonders why one method's are missing."""
    widest = max(fonts.width(activation(float(v)), size) for o in outs for v in np.ravel(o))
    return cell_px >= widest + 2 * VALUE_GAP and cell_px >= fonts.height(size) + 2 * VALUE_GAP


def output_cells(out: np.ndarray, empty, vmin: float, vmax: float, values: bool, size: float) -> list:
    """A ``ph x pw`` output as cells coloured on one scale, each answering a hover with its row, column and value;
    the values printed in them, at ``size`` px, if ``values`` (see :func:`values_fit`). Marks in cells: x = column,
    y = row."""
    ph, pw = out.shape
    empty = np.zeros(out.shape, bool) if empty is None else np.asarray(empty, bool)
    labels = [[activation(float(v)) for v in row] for row in out]
    marks: list = []
    for i in range(ph):
        for j in range(pw):
            title = (_("row {r}, column {c}: {v} (an empty bin: it outputs 0)") if empty[i, j] else
                     _("row {r}, column {c}: {v}")).format(r=i, c=j, v=labels[i][j])
            marks.append(Rect(float(j), float(i), 1.0, 1.0, fill=scale.colour("viridis", out[i, j], vmin, vmax),
                              stroke=Stroke("#ffffff", 1.0), title=title,
                              kind="output"))
            if empty[i, j]:  # struck through, so an empty bin is told from a dark value without colour
                marks.append(Line(((j + 0.15, i + 0.85), (j + 0.85, i + 0.15)), Stroke("#ffffff", 1.5), kind="empty"))
    if values:
        marks += [Text(j + 0.5, i + 0.5, labels[i][j], size, anchor="middle", baseline="middle", halo="#ffffff",
                       kind="value") for i in range(ph) for j in range(pw)]
    return marks


def describe_compare_slide(scene, traces: dict, methods: dict, *, width: float = 560.0, text: float = 13.0,
                           alt: str | None = None) -> Drawing:
    """:func:`describe_compare` for a slide (presenter mode): every method in one row, since a slide is wide and
    short and two rows of columns could not grow their text to a projector's size within its height."""
    return describe_compare(scene, traces, methods, width=width, text=text, alt=alt, per_row=len(traces))


def describe_compare(scene, traces: dict, methods: dict, *, width: float = 560.0, text: float = 13.0,
                     alt: str | None = None, per_row: int | None = None) -> Drawing:
    """Top: what each method reads. Bottom: its output for ``scene.channel``, one colour scale.

    ``traces``: method key -> trace of the same RoI; ``methods``: method key -> record. One column per method,
    up to four side by side (five or more: two rows, the first the longer), ``width`` px in all; every text at
    least ``text`` px, none overlapping another, none outside the drawing. ``per_row``: columns side by side
    instead (a slide is wide and short: every method in one row).
    """
    n = len(traces)
    if per_row is None:
        per_row = math.ceil(n / math.ceil(n / 4))  # up to four columns side by side; five or more in two rows (3 + 2)
    per_row = max(1, min(int(per_row), n))
    rows_of = math.ceil(n / per_row)
    big = text + 1
    win = window(scene)
    r0, r1, c0, c1 = win
    first = next(iter(traces.values()))
    ph, pw = first.output_size
    outs = [t.output[scene.channel] for t in traces.values()]
    vmin, vmax = min(float(o.min()) for o in outs), max(float(o.max()) for o in outs)
    heading = _("The same RoI through every method, channel {channel}: above, what each reads from the map; below, "
                "its {ph}×{pw} output on one colour scale").format(channel=scene.channel, ph=ph, pw=pw)
    head_lines = fonts.wrap(heading, big, width - 2 * PAD)
    y = PAD + _block(head_lines, big) + PAD
    marks: list = _lines(PAD, PAD, head_lines, big, kind="title")

    row_labels = [str(r) for r in range(r0, r1 + 1)] + [str(i) for i in range(ph)]
    left = PAD + max(fonts.width(t, text) for t in row_labels) + 5  # room for the row numbers of the first column
    col_w = (width - left - PAD - GAP * (per_row - 1)) / per_row
    side = col_w
    cell = side / max(r1 - r0, c1 - c0)
    map_w, map_h = (c1 - c0) * cell, (r1 - r0) * cell

    names = {k: fonts.wrap(_(methods[k].short), big, col_w, "bold") for k in traces}
    settings = {k: fonts.wrap(_in_brackets(methods[k].label(t)), text, col_w) for k, t in traces.items()}
    covers = {k: fonts.wrap(_("coverage {share}").format(share=pct(t.coverage)), text, col_w) for k, t in traces.items()}
    name_h = max(_block(v, big) for v in names.values())
    set_h = max(_block(v, text) for v in settings.values())
    cover_h = max(_block(v, text) for v in covers.values())
    tick_h = fonts.height(text) + 4

    map_top = y + name_h + 4
    set_top = map_top + map_h + tick_h + 2
    cover_top = set_top + set_h + 8
    out_cell = min(col_w / pw, 4.6 * text)  # as wide as the column allows (the values need the room), a 1 x 1 not huge
    out_w, out_h = out_cell * pw, out_cell * ph
    out_top = cover_top + cover_h + 4
    bottom = out_top + out_h + tick_h + PAD

    panels = []
    tops = (map_top, set_top, cover_top, out_top)
    fits_all = values_fit(outs, out_cell, text)
    row_h = bottom - y + GAP  # one row of columns, names to output numbers
    for k, (key, trace) in enumerate(traces.items()):
        rec = methods[key]
        x = left + (k % per_row) * (col_w + GAP)
        dy = (k // per_row) * row_h
        first = k % per_row == 0  # the first column of its row carries the row numbers
        map_top, set_top, cover_top, out_top = (v + dy for v in tops)
        mid = x + col_w / 2
        marks += _lines(mid, y + dy, names[key], big, "middle", colour=rec.style[0], weight="bold", kind="method")
        mx = x + (col_w - map_w) / 2
        read = Panel(mx, map_top, map_w, map_h, (float(c0), float(c1)), (float(r0), float(r1)),
                     tuple(reads(rec, trace, scene.features[scene.channel], win)))
        panels.append(read)
        xt = _ticks(c0, c1, map_w, max(fonts.width(str(c1), text), fonts.width(str(c0), text)) + 6)
        for c in xt:
            px = read.to_px(c, r1)[0]
            half = fonts.width(str(int(c)), text) / 2
            if x - GAP / 2 + 1 <= px - half and px + half <= x + col_w + GAP / 2 - 1:  # clear of the next column's
                marks.append(Line(((px, map_top + map_h), (px, map_top + map_h + 3)), Stroke("#555555", 1.0), kind="tick"))
                marks.append(Text(px, map_top + map_h + 3, str(int(c)), text, anchor="middle", kind="tick"))
        if first:
            for r in _ticks(r0, r1, map_h, fonts.height(text) + 2):
                py = read.to_px(c0, r)[1]
                if py + fonts.height(text) / 2 > map_top + map_h:  # it would meet the column numbers below
                    continue
                marks.append(Text(mx - 4, py, str(int(r)), text, anchor="end", baseline="middle", kind="tick"))
        marks += _lines(mid, set_top, settings[key], text, "middle", colour="#333333", kind="settings")
        marks += _lines(mid, cover_top, covers[key], text, "middle", kind="coverage")
        ox = x + (col_w - out_w) / 2
        cells = output_cells(trace.output[scene.channel], getattr(trace, "empty_bins", None), vmin, vmax,
                             fits_all, text)
        out = Panel(ox, out_top, out_w, out_h, (0.0, float(pw)), (0.0, float(ph)), tuple(cells))
        panels.append(out)
        if first:
            for j in _ticks(0, pw - 1, out_w * (pw - 1) / pw, fonts.width(str(pw - 1), text) + 4):
                px = out.to_px(j + 0.5, ph)[0]
                marks.append(Text(px, out_top + out_h + 3, str(int(j)), text, anchor="middle", kind="tick"))
            for i in _ticks(0, ph - 1, out_h * (ph - 1) / ph, fonts.height(text) + 2):
                py = out.to_px(0, i + 0.5)[1]
                marks.append(Text(ox - 4, py, str(int(i)), text, anchor="end", baseline="middle", kind="tick"))
    footer = bottom + (rows_of - 1) * row_h
    if not fits_all:
        note = fonts.wrap(_("The cells are too small to print their values here: the table below gives them "
                            "(and, on the page, a hover over a cell)."), text, width - 2 * PAD)
        marks += _lines(PAD, footer, note, text, colour="#333333", kind="note")
        footer += _block(note, text) + PAD
    marks += _colour_bar(PAD, footer, width - 2 * PAD, vmin, vmax, text)
    footer += fonts.height(text) + 2 + 10 + PAD
    if not scene.pretrained:
        marks += _badge(width, footer, text, scene.settings.network)
        footer += fonts.height(text) + 4 + PAD
    if alt is None:
        alt = (_("{heading}.") if fits_all else _("{heading}. The values are in the table below.")).format(
            heading=heading)
    return Drawing(width, footer, (*panels, Panel.pixels(0, 0, width, footer, marks)), alt)


def _in_brackets(label: str) -> str:
    """What a method's label says in its brackets (its settings): "mean, ratio 2, aligned" of "RoIAlign (…)", in
    either language's brackets."""
    return re.split(r"[(（]", label, maxsplit=1)[-1].rstrip(")）")


def _colour_bar(x: float, y: float, w: float, vmin: float, vmax: float, size: float) -> list:
    """The one colour scale of the outputs: a strip from ``vmin`` to ``vmax``, named at both ends."""
    lo, hi = _("{v} (lowest)").format(v=activation(vmin)), _("{v} (highest)").format(v=activation(vmax))
    lo_w, hi_w = fonts.width(lo, size), fonts.width(hi, size)
    strip_x, strip_w = x + lo_w + 8, w - lo_w - hi_w - 16
    mid = y + (fonts.height(size) + 2 + 10) / 2
    steps = 24
    marks: list = [Rect(strip_x + k * strip_w / steps, mid - 5, strip_w / steps + 0.3, 10,
                        fill=scale.colour("viridis", k / (steps - 1), 0.0, 1.0)) for k in range(steps)]
    marks += [Text(x, mid, lo, size, baseline="middle", kind="scale"),
              Text(x + w, mid, hi, size, anchor="end", baseline="middle", kind="scale")]
    return marks


# ------------------------------------------------------------------------------------------ sliding box
def _steps_post(xs, ys) -> tuple[tuple[float, float], ...]:
    """A value held until the next position: what a whole-cell method does between two of them."""
    pts = []
    for k in range(len(xs)):
        if k:
            pts.append((float(xs[k]), float(ys[k - 1])))
        pts.append((float(xs[k]), float(ys[k])))
    return tuple(pts)


def describe_slide(scene, slide, methods: dict, at: int | None = None, *, width: float = 560.0,
                   text: float = 13.0, alt: str | None = None) -> Drawing:
    """Output value (top) and coverage (bottom) against how far the box has moved.

    ``at``: one position of the slide (an index into ``slide.offsets``) to mark: a dashed line there, one marker
    per method on each curve, each method's value and coverage printed, and the heading saying how far the box
    has moved. The page shows the figure unmarked; the sliding-box GIF is it marked at each position in turn.
    """
    big = text + 2
    i, j = slide.bin
    right = slide.axis == "x"
    heading = (_("Channel {channel}, bin ({i},{j}), while the RoI moves right") if right else
               _("Channel {channel}, bin ({i},{j}), while the RoI moves down")).format(channel=slide.channel, i=i, j=j)
    if at is not None:
        off = float(slide.offsets[at])
        n = 1 if off == 1 else 2
        heading = (ngettext("Channel {channel}, bin ({i},{j}): the RoI moved right by {d} cell ({px} px)",
                            "Channel {channel}, bin ({i},{j}): the RoI moved right by {d} cells ({px} px)", n)
                   if right else
                   ngettext("Channel {channel}, bin ({i},{j}): the RoI moved down by {d} cell ({px} px)",
                            "Channel {channel}, bin ({i},{j}): the RoI moved down by {d} cells ({px} px)", n)).format(
                       channel=slide.channel, i=i, j=j, d=num(off, 3), px=num(off * slide.stride, 2))
    marks: list = []
    head = fonts.wrap(heading, big, width - 2 * PAD)
    marks += _lines(PAD, PAD, head, big, kind="title")
    y = PAD + _block(head, big) + PAD

    # The legend: a sample of each method's line and marker, then its name (or, marked, its numbers there).
    sample, row_h = 34.0, fonts.height(text) + 6
    x = PAD
    for key in slide.values:
        rec = methods[key]
        colour, dash, marker = rec.style
        label = _(rec.short)  # a short name that is a phrase ("RoI pooling") has a translation
        weight = "normal"
        if at is not None:
            label = _("{name}  {value}   coverage {share}").format(
                name=_(rec.short), value=activation(float(slide.values[key][at])),
                share=pct(float(slide.coverage[key][at])))
            weight = "bold"
        w = sample + 6 + fonts.width(label, text, weight) + 16
        if x > PAD and x + w > width - PAD:
            x, y = PAD, y + row_h
        mid = y + row_h / 2
        marks += [Line(((x, mid), (x + sample, mid)), Stroke(colour, 2.6, DASHES.get(dash, ())), kind="legend"),
                  Point(x + sample / 2, mid, SHAPES.get(marker, "circle"), 10.0, colour, Stroke("#000000", 1.0),
                        kind="legend"),
                  Text(x + sample + 6, mid, label, text, colour if at is not None else "#000000", weight,
                       baseline="middle", kind="numbers" if at is not None else "legend")]
        x += w
    y += row_h + 4

    # The biggest jump of a whole-cell method (the article's point), named only if it shows: a change of a
    # ten-thousandth of the values' scale is float noise or a jump no one can see on the plot.
    snapping = {m: np.abs(np.diff(np.asarray(slide.values[m], float))) for m in slide.values
                if methods[m].snaps_to_cells and len(slide.values[m]) > 1}
    jumpy = max(snapping, key=lambda m: snapping[m].max(), default=None)
    scale_of = max(float(np.abs(np.asarray(v, float)).max()) for v in slide.values.values())
    jump = None
    if jumpy is not None and snapping[jumpy].max() > 1e-4 * max(scale_of, 1e-12):
        jump = float(slide.offsets[int(snapping[jumpy].argmax()) + 1])
        note = fonts.wrap(_("{name} jumps at the dotted grey line: a box edge crossed a cell boundary").format(
            name=_(methods[jumpy].short)), text, width - 2 * PAD)
        marks += _lines(PAD, y, note, text, kind="note")
        y += _block(note, text) + 4

    first, last = float(slide.offsets[0]), float(slide.offsets[-1])
    values = np.concatenate([np.asarray(v, float) for v in slide.values.values()])
    vlo, vhi = float(values.min()), float(values.max())
    if vhi - vlo < 1e-9:
        vlo, vhi = vlo - 0.5 * max(abs(vlo), 1e-3), vhi + 0.5 * max(abs(vhi), 1e-3)
    clo = min(100 * min(float(c.min()) for c in slide.coverage.values()) - 5, 50.0)
    top_ticks, top_dec = nice_ticks(vlo, vhi, 5)
    cov_ticks, cov_dec = nice_ticks(clo, 100.0, 5)
    top_labels = [num(t, top_dec) for t in top_ticks]
    cov_labels = [num(t, cov_dec) for t in cov_ticks]
    left = PAD + max(fonts.width(t, text) for t in top_labels + cov_labels) + 6
    plot_w = width - left - PAD
    half = fonts.height(text) / 2 + 2  # a tick label at a plot's top edge reaches this far above it
    margin = 9.0  # px inside a plot's frame kept for the markers at its ends

    def plot(top: float, h: float, caption: str, ylo: float, yhi: float, ticks, labels, series, at_marks):
        marks.append(Text(PAD, top, caption, text, kind="axis"))
        ptop = top + fonts.height(text) + half + 2
        xr = (last - first) or 1.0
        ypad = (yhi - ylo) * margin / (h - 2 * margin)
        xpad = xr * margin / (plot_w - 2 * margin)
        p = Panel(left, ptop, plot_w, h, (first - xpad, last + xpad), (yhi + ypad, ylo - ypad))
        inner: list = [Rect(first - xpad, ylo - ypad, xr + 2 * xpad, yhi - ylo + 2 * ypad, fill="#ffffff",
                            stroke=Stroke("#555555", 1.0), kind="frame")]
        inner += [Line(((first - xpad, t), (last + xpad, t)), Stroke("#dddddd", 1.0), kind="grid") for t in ticks]
        inner += [Line(((t, ylo - ypad), (t, yhi + ypad)), Stroke("#dddddd", 1.0), kind="grid") for t in xticks]
        if jump is not None:
            inner.append(Line(((jump, ylo - ypad), (jump, yhi + ypad)), Stroke("#555555", 1.6, (3.0, 3.0)), kind="jump"))
        if at is not None:
            off = float(slide.offsets[at])
            inner.append(Line(((off, ylo - ypad), (off, yhi + ypad)), Stroke("#000000", 2.0, (6.0, 3.0)), kind="at"))
        inner += series + at_marks
        p = Panel(p.x, p.y, p.w, p.h, p.xlim, p.ylim, tuple(inner))
        for t, lab in zip(ticks, labels):
            py = p.to_px(0, t)[1]
            marks.append(Text(left - 4, py, lab, text, anchor="end", baseline="middle", kind="tick"))
        return p, ptop + h

    xlabels_w = 0.0
    xticks: list[float] = []
    for most in (9, 7, 5, 4, 3, 2):
        xticks, x_dec = nice_ticks(first, last, most)
        xlabels = [num(t, max(x_dec, 0)) for t in xticks]
        xlabels_w = max(fonts.width(t, text) for t in xlabels)
        room = plot_w * (xticks[1] - xticks[0]) / ((last - first) or 1.0) if len(xticks) > 1 else plot_w
        if room >= xlabels_w + 10:
            break

    def series(get, mult: float, size: float, where: int | None):
        lines, points = [], []
        every = max(len(slide.offsets) // 10, 1)
        for key in slide.values:
            rec = methods[key]
            colour, dash, marker = rec.style
            ys = mult * np.asarray(get(key), float)
            xs = np.asarray(slide.offsets, float)
            pts = _steps_post(xs, ys) if rec.snaps_to_cells else tuple((float(a), float(b)) for a, b in zip(xs, ys))
            lines.append(Line(pts, Stroke(colour, 2.6, DASHES.get(dash, ())), kind=f"curve-{key}"))
            picks = [where] if where is not None else range(0, len(xs), every)
            for k in picks:
                shown = activation(float(ys[k])) if mult == 1 else pct(float(ys[k]) / 100)
                points.append(Point(float(xs[k]), float(ys[k]), SHAPES.get(marker, "circle"), size, colour,
                                    Stroke("#000000", 1.0), title=_("{name}, moved {d} cells: {shown}").format(
                                        name=_(rec.short), d=num(float(xs[k]), 3), shown=shown),
                                    kind="marker" if where is None else "at"))
        return lines, points

    h_top, h_bottom = width * 0.36, width * 0.28
    lines, pts = series(lambda k: slide.values[k], 1.0, 10.0, None)
    at_pts = series(lambda k: slide.values[k], 1.0, 14.0, at)[1] if at is not None else []
    top_panel, y = plot(y, h_top, _("output value"), vlo, vhi, top_ticks, top_labels, lines + pts, at_pts)
    y += 6
    lines, pts = series(lambda k: slide.coverage[k], 100.0, 10.0, None)
    at_pts = series(lambda k: slide.coverage[k], 100.0, 14.0, at)[1] if at is not None else []
    bottom_panel, y = plot(y, h_bottom, _("coverage (%)"), clo, 100.0, cov_ticks, cov_labels, lines + pts, at_pts)
    for t, lab in zip(xticks, xlabels):
        px = bottom_panel.to_px(t, 0)[0]
        marks.append(Text(px, y + 3, lab, text, anchor="middle", kind="tick"))
    y += 3 + fonts.height(text) + 4
    xl = fonts.wrap((_("RoI moved right by (cells; 1 cell = {px} px)") if right else
                     _("RoI moved down by (cells; 1 cell = {px} px)")).format(px=f"{slide.stride:g}"), text,
                    width - 2 * PAD)
    marks += _lines(left + plot_w / 2, y, xl, text, "middle", kind="axis")
    y += _block(xl, text) + PAD
    if not scene.pretrained:
        marks += _badge(width, y, text, scene.settings.network)
        y += fonts.height(text) + 4 + PAD
    if alt is None:
        alt = _("{heading}: the output value (top) and the coverage (bottom) of each method against how far the box "
                "has moved.").format(heading=heading)
    return Drawing(width, y, (top_panel, bottom_panel, Panel.pixels(0, 0, width, y, marks)), alt)
