"""The two figures of "What the gradient reaches", described once (page: SVG; files: Matplotlib).

- :func:`describe_gradient_map`: the feature grid around the RoI with the gradient of one bin's value on each
  cell (darker red = more; a cell that receives nothing stays unpainted), the bin outlined in black, its sampling
  points as white dots where it has them. The title gives the number of cells reached and the shares of the RoI's
  cells. The gradients are printed on their cells where every one fits clear of the cell's edges and of the bins'
  lines, all or none (the figure says so when none); each cell answers a hover with its gradient.
- :func:`describe_box_slide`: the value (top) and its derivative by the box's x (bottom) while the box slides to
  the right, in the method's own colour, line style and marker (its record's ``style``, as the sliding-box plot of
  :mod:`roi_viz.figures.compare` draws them). A jump of the value is a dashed vertical line with an open circle on
  the derivative's axis: the derivative does not exist there, so no number is drawn. A kink is a dotted line.

Both take a :class:`~roi_viz.state.scene.Scene`, the numbers of :func:`roi_viz.lesson.training.backward_pass`
and a method record of :mod:`roi_viz.methods`. Map cells: cell ``(r, c)`` covers ``[c, c+1) x [r, r+1)``, x counts
columns, y rows, row 0 on top; slide offsets in cells, derivatives per input pixel. Sizes are CSS px of a drawing
``width`` px wide; ``text`` is the smallest type. No painting library is imported here.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from ..language import _, ngettext
from ..lesson.numbers import num, pct, value as activation
from ..lesson.shown import window
from ..ops import geometry as g
from ..picture import fonts, scale
from ..picture.spec import Drawing, Line, Panel, Point, Rect, Stroke, Text
from . import look
from .compare import DASHES, SHAPES, VALUE_GAP, nice_ticks
from .frame import PAD, Entry, Sheet, block, cell_lines, channel_cells, channel_name, lines

WIDTH, TEXT = 560.0, 13.0
SAMPLE_STROKE = Stroke("#000000", 1.5)
MOST_PRINTED = 40  # more gradients than this would crowd the map: a hover gives them


def _bin_box(trace, i: int, j: int) -> g.Box | None:
    """The bin's rectangle in cells: whole cells for RoI pooling, fractional edges for the others."""
    if hasattr(trace, "bins"):
        span = trace.bins[i][j]
        return g.box_of_span(span) if span[1] > span[0] and span[3] > span[2] else None
    y0, y1 = trace.row_edges[i], trace.row_edges[i + 1]
    x0, x1 = trace.col_edges[j], trace.col_edges[j + 1]
    return float(x0), float(y0), float(x1 - x0), float(y1 - y0)


def gradient_text(v: float) -> str:
    """A gradient as printed on its cell: 2 decimals; a share too small for them is still a share ("<0.01", never
    a "0" on a painted cell)."""
    return num(v) if v >= 0.005 else "<0.01"


def _spot(r: int, c: int, vertical, horizontal, sx: float, sy: float, w: float, h: float):
    """Where in cell ``(r, c)`` a text ``w x h`` px fits clear of every line: the centre of the widest free column
    and the tallest free row between the lines that pass through the cell, or ``None``.

    ``vertical``: ``(x, y0, y1)`` lines in cells; ``horizontal``: ``(y, x0, x1)``; ``sx``, ``sy``: px per cell.
    """
    xs = sorted({c, c + 1, *(x for x, a, b in vertical if c < x < c + 1 and a < r + 1 and b > r)})
    ys = sorted({r, r + 1, *(y for y, a, b in horizontal if r < y < r + 1 and a < c + 1 and b > c)})
    xa, xb = max(zip(xs, xs[1:]), key=lambda p: p[1] - p[0])
    ya, yb = max(zip(ys, ys[1:]), key=lambda p: p[1] - p[0])
    if (xb - xa) * sx < w + 2 * VALUE_GAP or (yb - ya) * sy < h + 2 * VALUE_GAP:
        return None
    return (xa + xb) / 2, (ya + yb) / 2


def map_title(bp, method) -> tuple[str, str]:
    i, j = bp.bin
    return (ngettext("{method}: bin ({i},{j}), channel {k} reaches {n} cell",
                     "{method}: bin ({i},{j}), channel {k} reaches {n} cells", bp.reached).format(
                method=_(method.short), i=i, j=j, k=bp.channel, n=bp.reached),
            _("the RoI's {n} cells reached: {share}; by all bins: {all}").format(
                n=bp.touched, share=pct(bp.share_bin), all=pct(bp.share_all)))


def describe_gradient_map(scene, bp, method, *, width: float = WIDTH, text: float = TEXT,
                          alt: str | None = None) -> Drawing:
    """The map around the RoI (:func:`roi_viz.lesson.shown.window`): where the gradient of
    ``output[bp.channel, bp.bin]`` lands, in cells of the map."""
    win = window(scene)
    r0, r1, c0, c1 = win
    grad = np.asarray(bp.gradient, dtype=np.float64)
    top = float(grad.max()) if bp.reached else 1.0
    trace = scene.chosen
    i, j = bp.bin
    marks: list = channel_cells(scene.features[bp.channel], win, alpha=0.2, name=channel_name(bp.channel))
    nz = [(r, c) for r, c in zip(*np.nonzero(grad)) if r0 <= r < r1 and c0 <= c < c1]
    marks += [Rect(float(c), float(r), 1.0, 1.0, fill=scale.colour(look.GRADIENT_SCALE, grad[r, c], 0.0, top),
                   title=_("row {r}, column {c}: gradient {v}").format(r=r, c=c, v=activation(grad[r, c])),
                   kind="gradient") for r, c in nz]
    marks += cell_lines(win, look.GRADIENT_CELL)
    vertical, horizontal = [], []  # every line a printed value must keep clear of, in cells
    if not hasattr(trace, "bins"):  # fractional bins: their edges, thin
        rows, cols = trace.row_edges, trace.col_edges
        ya, yb, xa, xb = float(rows[0]), float(rows[-1]), float(cols[0]), float(cols[-1])
        marks += [Line(((float(x), ya), (float(x), yb)), look.GRADIENT_BIN_EDGE, kind="bin edge") for x in cols]
        marks += [Line(((xa, float(y)), (xb, float(y))), look.GRADIENT_BIN_EDGE, kind="bin edge") for y in rows]
        vertical += [(float(x), ya, yb) for x in cols]
        horizontal += [(float(y), xa, xb) for y in rows]
    box = _bin_box(trace, i, j)
    if box is not None:
        bx, by, bw, bh = box
        marks.append(Rect(bx, by, bw, bh, stroke=look.FOLLOWED_BIN, kind="bin",
                          title=_("bin ({i},{j})").format(i=i, j=j)))
        vertical += [(bx, by, by + bh), (bx + bw, by, by + bh)]
        horizontal += [(by, bx, bx + bw), (by + bh, bx, bx + bw)]
    points = hasattr(trace, "samples") and trace.points_per_bin
    if points:
        pts = trace.samples[i, j]
        size = 9.0 if len(pts) <= 64 else 6.0 if len(pts) <= 256 else 4.0
        marks += [Point(float(x), float(y), "circle", size, look.SAMPLE_FILL, SAMPLE_STROKE, kind="sample",
                        title=_("a sampling point of bin ({i},{j}): column {x}, row {y}").format(i=i, j=j, x=num(x),
                                                                                              y=num(y)))
                  for y, x in pts]
    marks.append(Rect(*(float(v) for v in scene.pooled.projected), stroke=look.ROI_STROKE, kind="roi"))

    s = Sheet(width, text)
    head = map_title(bp, method)
    for heading in head:
        s.title(heading)
    panel = s.chart((c0, c1), (r0, r1), marks)
    # The values themselves, when every one fits its cell: a student checks that they add up to 1.
    sx, sy = panel.scale()
    texts = [gradient_text(grad[r, c]) for r, c in nz]
    spots = [_spot(r, c, vertical, horizontal, sx, sy, fonts.width(t, text), fonts.height(text))
             for (r, c), t in zip(nz, texts)]
    printed = 0 < len(nz) <= MOST_PRINTED and all(p is not None for p in spots)
    if printed:
        values = [Text(x, y, t, text, anchor="middle", baseline="middle", halo="#ffffff", kind="value")
                  for (x, y), t in zip(spots, texts)]
        s.panels[-1] = dataclasses.replace(panel, marks=panel.marks + tuple(values))
    elif nz:
        s.note(_("The cells are too small to print every gradient clear of the bins' lines: on the page, a hover "
                 "over a cell gives its gradient."))
    s.colour_bar(0.0, top, name=look.GRADIENT_SCALE, what=_("gradient on the cell"))
    entries = [Entry(_("bin ({i},{j})").format(i=i, j=j), stroke=look.FOLLOWED_BIN),
               Entry(_("receives gradient"), fill=scale.colour(look.GRADIENT_SCALE, 0.7, 0.0, 1.0),
                     stroke=Stroke("#555555", 0.8)),
               Entry(_("RoI as projected"), swatch="line", stroke=look.ROI_STROKE)]
    if points:
        entries.append(Entry(_("its sampling points"), swatch="circle", fill=look.SAMPLE_FILL, stroke=SAMPLE_STROKE))
    s.legend(entries)
    s.badge(scene.pretrained, scene.settings.network)
    return s.done(alt or _("{first}; {second}.").format(first=head[0], second=head[1]))


# ------------------------------------------------------------------------------------------ the box's derivative
def _post(xs, ys) -> list[tuple[tuple[float, float], ...]]:
    """A value held until the next position (a whole-cell method between two of them), one piece per finite run."""
    out = []
    for run in _runs(ys):
        pts = []
        for n, k in enumerate(run):
            if n:
                pts.append((float(xs[k]), float(ys[run[n - 1]])))
            pts.append((float(xs[k]), float(ys[k])))
        out.append(tuple(pts))
    return out


def _mid(xs, ys) -> list[tuple[tuple[float, float], ...]]:
    """Steps changing half-way between two positions (a derivative constant between kinks), one piece per run."""
    out = []
    for run in _runs(ys):
        pts = [(float(xs[run[0]]), float(ys[run[0]]))]
        for a, b in zip(run, run[1:]):
            mid = (float(xs[a]) + float(xs[b])) / 2
            pts += [(mid, float(ys[a])), (mid, float(ys[b]))]
        pts.append((float(xs[run[-1]]), float(ys[run[-1]])))
        out.append(tuple(pts))
    return out


def _straight(xs, ys) -> list[tuple[tuple[float, float], ...]]:
    return [tuple((float(xs[k]), float(ys[k])) for k in run) for run in _runs(ys)]


def _runs(ys) -> list[list[int]]:
    """The indices of ``ys`` in runs of finite values (a NaN, an undefined derivative, breaks the line)."""
    runs, cur = [], []
    for k, v in enumerate(ys):
        if np.isfinite(v):
            cur.append(k)
        elif cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return runs


def slide_title(bp, method) -> str:
    i, j = bp.bin
    return _("{method}: bin ({i},{j}), channel {k}, while the RoI moves right").format(
        method=_(method.short), i=i, j=j, k=bp.channel)


def describe_box_slide(scene, bp, method, *, width: float = WIDTH, text: float = TEXT,
                       alt: str | None = None) -> Drawing:
    """The value (top) and its derivative by the box's x (bottom, per input pixel) as the box slides right by
    ``bp.slide.offsets`` cells."""
    sl = bp.slide
    colour, dash, marker = method.style
    shape = SHAPES.get(marker, "circle")
    style = Stroke(colour, 3.0, DASHES.get(dash, ()))
    edge = Stroke("#000000", 1.0)
    big = text * 1.12
    heading = slide_title(bp, method)
    marks: list = []
    head = fonts.wrap(heading, big, width - 2 * PAD, "bold")
    marks += lines(PAD, PAD, head, big, weight="bold", kind="title")
    y = PAD + block(head, big) + PAD

    # The legend: the method's line and marker, then what the vertical lines mean (where there are any).
    items = [("method", _(method.short))]
    if len(sl.jumps):
        items.append(("jump", _("jump: derivative undefined")))
    if len(sl.kinks):
        items.append(("kink", _("kink: a point crosses a cell centre")))
    sample, row_h = 34.0, max(fonts.height(text), 16.0) + 6
    x = PAD
    for what, label in items:
        w = sample + 6 + fonts.width(label, text) + 16
        if x > PAD and x + w > width - PAD:
            x, y = PAD, y + row_h
        mid = y + row_h / 2
        if what == "method":
            marks += [Line(((x, mid), (x + sample, mid)), style, kind="swatch"),
                      Point(x + sample / 2, mid, shape, 10.0, colour, edge, kind="swatch")]
        elif what == "jump":
            marks.append(Point(x + sample / 2, mid, "circle", 14.0, look.UNDEFINED_FILL, look.UNDEFINED_STROKE,
                               kind="swatch"))
        else:
            marks.append(Line(((x, mid), (x + sample, mid)), look.KINK_STROKE, kind="swatch"))
        marks.append(Text(x + sample + 6, mid, label, text, baseline="middle", kind="legend"))
        x += w
    y += row_h + 4

    xs = np.asarray(sl.offsets, dtype=np.float64)
    values = np.asarray(sl.values, dtype=np.float64)
    deriv = np.asarray(sl.derivative, dtype=np.float64)
    first, last = float(xs[0]), float(xs[-1])
    vlo, vhi = float(values.min()), float(values.max())
    if vhi - vlo < 1e-9:
        vlo, vhi = vlo - 0.5 * max(abs(vlo), 1e-3), vhi + 0.5 * max(abs(vhi), 1e-3)
    finite = deriv[np.isfinite(deriv)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
    pad = max(hi - lo, abs(hi), abs(lo)) * 0.15 or 1.0  # all zero (RoI pooling): a plain -1 .. 1 axis
    dlo, dhi = min(lo, 0.0) - pad, max(hi, 0.0) + pad  # 0 always in view: RoI pooling sits on it
    top_ticks, top_dec = nice_ticks(vlo, vhi, 5)
    bot_ticks, bot_dec = nice_ticks(dlo, dhi, 5)
    top_labels = [num(t, top_dec) for t in top_ticks]
    bot_labels = [num(t, bot_dec) for t in bot_ticks]
    left = PAD + max(fonts.width(t, text) for t in top_labels + bot_labels) + 6
    plot_w = width - left - PAD
    half = fonts.height(text) / 2 + 2  # a tick label at a plot's top edge reaches this far above it
    margin = 9.0  # px inside a plot's frame kept for the markers at its ends
    xr = (last - first) or 1.0
    xpad = xr * margin / (plot_w - 2 * margin)

    xticks: list[float] = []
    xlabels: list[str] = []
    for most in (11, 9, 7, 5, 4, 3, 2):
        xticks, x_dec = nice_ticks(first, last, most)
        xlabels = [num(t, max(x_dec, 0)) for t in xticks]
        widest = max(fonts.width(t, text) for t in xlabels)
        room = plot_w * (xticks[1] - xticks[0]) / xr if len(xticks) > 1 else plot_w
        if room >= widest + 10:
            break

    every = max(len(xs) // 10, 1)

    def plot(top: float, h: float, caption: str, ylo: float, yhi: float, ticks, labels, pieces, ys, hover: str,
             extra: list):
        """A panel of ``ys`` against the slide; ``hover``: a marker's words, with {method}, {moved} and {v}."""
        marks.append(Text(PAD, top, caption, text, kind="axis"))
        ptop = top + fonts.height(text) + half + 2
        ypad = (yhi - ylo) * margin / (h - 2 * margin)
        inner: list = [Rect(first - xpad, ylo - ypad, xr + 2 * xpad, yhi - ylo + 2 * ypad, fill="#ffffff",
                            stroke=Stroke("#555555", 1.0), kind="frame")]
        inner += [Line(((first - xpad, t), (last + xpad, t)), Stroke("#dddddd", 1.0), kind="grid") for t in ticks]
        inner += [Line(((t, ylo - ypad), (t, yhi + ypad)), Stroke("#dddddd", 1.0), kind="grid") for t in xticks]
        inner += [Line(((float(at), ylo - ypad), (float(at), yhi + ypad)), look.JUMP_STROKE, kind="jump")
                  for at, __ in sl.jumps]
        inner += [Line(((float(at), ylo - ypad), (float(at), yhi + ypad)), look.KINK_STROKE, kind="kink")
                  for at in sl.kinks]
        inner += extra
        inner += [Line(pts, style, kind="curve") for pts in pieces if len(pts) > 1]
        inner += [Point(float(xs[k]), float(ys[k]), shape, 10.0, colour, edge, kind="marker",
                        title=hover.format(method=_(method.short), moved=num(float(xs[k]), 3),
                                           v=activation(float(ys[k]))))
                  for k in range(0, len(xs), every) if np.isfinite(ys[k])]
        p = Panel(left, ptop, plot_w, h, (first - xpad, last + xpad), (yhi + ypad, ylo - ypad), tuple(inner))
        for t, lab in zip(ticks, labels):
            __, py = p.to_px(0, t)
            marks.append(Line(((left - 3, py), (left, py)), Stroke("#555555", 1.0), kind="tick"))
            marks.append(Text(left - 4, py, lab, text, anchor="end", baseline="middle", kind="tick"))
        return p, ptop + h

    h = width * 0.3
    pieces = _post(xs, values) if method.snaps_to_cells else _straight(xs, values)
    top_panel, y = plot(y, h, _("output value"), vlo, vhi, top_ticks, top_labels, pieces, values,
                        _("{method}, moved {moved} cells: {v}"), [])
    y += 6
    # Bilinear sampling gives a derivative constant between kinks: drawn as steps, not as slopes between samples
    # that straddle a kink. PrRoI's is continuous: drawn as a line.
    pieces = _straight(xs, deriv) if method.integrates else _mid(xs, deriv)
    zero = [Line(((first - xpad, 0.0), (last + xpad, 0.0)), Stroke("#000000", 1.0), kind="zero")]
    # No number exists at a jump: an open circle on the axis, not a point of the curve.
    holes = [Point(float(at), 0.0, "circle", 14.0, look.UNDEFINED_FILL, look.UNDEFINED_STROKE, kind="undefined",
                   title=_("moved {moved} cells: the value jumps by {step}, the derivative does not exist").format(
                       moved=num(float(at), 3), step=activation(float(step)))) for at, step in sl.jumps]
    bottom_panel, y = plot(y, h, _("d value / d x (per pixel)"), dlo, dhi, bot_ticks, bot_labels, pieces, deriv,
                           _("{method}, moved {moved} cells: d value / d x {v}"), zero)
    bottom_panel = dataclasses.replace(bottom_panel, marks=bottom_panel.marks + tuple(holes))
    for t, lab in zip(xticks, xlabels):
        px, __ = bottom_panel.to_px(t, 0)
        marks.append(Text(px, y + 3, lab, text, anchor="middle", kind="tick"))
    y += 3 + fonts.height(text) + 4
    xl = fonts.wrap(_("RoI moved right by (cells; 1 cell = {stride} px)").format(stride=f"{sl.stride:g}"), text,
                    width - 2 * PAD)
    # Centred under the plots, but slid left where its widest row would pass the drawing's edge (a long caption,
    # such as the Chinese one on a phone).
    half = max(fonts.width(row, text) for row in xl) / 2
    marks += lines(min(max(left + plot_w / 2, PAD + half), width - PAD - half), y, xl, text, "middle", kind="axis")
    y += block(xl, text) + PAD
    sheet = Sheet(width, text, y, marks, [top_panel, bottom_panel])
    sheet.badge(scene.pretrained, scene.settings.network)
    if alt is None:
        alt = _("{heading}: the output value (top) and its derivative by the box's x (bottom) against how far the box "
                "has moved.").format(heading=heading)
    return sheet.done(alt)
