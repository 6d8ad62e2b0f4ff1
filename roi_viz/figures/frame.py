"""The frame every figure of the lesson is laid out in: a column of parts, top to bottom.

A :class:`Sheet` is ``width`` px wide and grows downwards as parts are added: a title
(wrapped to the width), a chart (a panel in data coordinates, square units, with its
ticks and axis names), a legend (swatches and labels in as many columns as fit), notes,
a stacked bar, a colour scale, the "untrained" badge. Every text is measured in the
figures' font when it is placed (:mod:`roi_viz.picture.fonts`), so nothing placed here
overlaps anything else or leaves the drawing; ``text`` is the smallest size used, and
titles are a little larger.

Charts are in data coordinates with y growing downwards (rows of a map, pixels of a
photo): x counts columns, y rows, and the axis names say so ("x: column", "y: row").
Every word is looked up in the catalog when the figure is described (:mod:`roi_viz.language`), so a figure
is in the language in force then, and measured in it. No painting library is imported here.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..language import N_, _, ngettext
from ..lesson.numbers import num, value as activation
from ..picture import fonts, scale
from ..picture.spec import Drawing, Line, Panel, Point, Rect, Stroke, Text
from . import look

PAD = 6.0
TICK = Stroke("#555555", 1.0)
LEADING = 1.15  # line spacing of wrapped text, in line heights
# A map chart's axis names, translated where drawn (Sheet.chart).
X_CELLS, Y_CELLS = N_("x: column (cells)"), N_("y: row (cells)")


def cell_count(v: float) -> str:
    """An area or length in cells as a figure prints it, in the language in force: "5.32 cells", "1 cell"."""
    text = num(v)
    return ngettext("{n} cell", "{n} cells", 1 if text == "1" else 2).format(n=text)


def size_words(rows: float, cols: float) -> str:
    """The size of a block of cells, rows first (see :func:`roi_viz.lesson.numbers.rows_by_columns`), in the
    language in force: "1 row × 2 columns", "1.43 rows × 1.86 columns"."""
    r, c = num(rows), num(cols)
    one_r, one_c = r == "1", c == "1"
    if one_r and one_c:
        words = _("{r} row × {c} column")
    elif one_r:
        words = _("{r} row × {c} columns")
    elif one_c:
        words = _("{r} rows × {c} column")
    else:
        words = _("{r} rows × {c} columns")
    return words.format(r=r, c=c)


def channel_name(k: int) -> str:
    """A channel's name as figures write it: "channel 12"."""
    return _("channel {k}").format(k=k)


def cell_title(r: int, c: int, v: str, name: str = "") -> str:
    """A cell's hover: "channel 12, row 3, column 4: 0.640" (``name`` first where given)."""
    if name:
        return _("{name}, row {r}, column {c}: {v}").format(name=name, r=r, c=c, v=v)
    return _("row {r}, column {c}: {v}").format(r=r, c=c, v=v)


def lines(x: float, y: float, rows: list[str], size: float, anchor: str = "start", **kw) -> list[Text]:
    """``rows`` set one under the other from ``y`` (the first row's top)."""
    step = fonts.height(size) * LEADING
    return [Text(x, y + k * step, row, size, anchor=anchor, **kw) for k, row in enumerate(rows)]


def block(rows: list[str], size: float) -> float:
    """The height of ``rows`` set by :func:`lines`."""
    return fonts.height(size) * (LEADING * (len(rows) - 1) + 1) if rows else 0.0


def ticks(lo: float, hi: float, room: float, label_px: float, most: int = 10) -> list[float]:
    """Round ticks from ``lo`` to ``hi`` (``room`` px long), as many as keep labels ``label_px`` wide apart."""
    span = hi - lo
    if span <= 0:
        return [float(lo)]
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000):
        if span / step <= most and step * room / span >= label_px:
            return [float(v) for v in np.arange(math.ceil(lo / step) * step, hi + 1e-9, step)]
    return [float(lo), float(hi)]


def cell_lines(win, stroke: Stroke, kind: str = "cell line") -> list[Line]:
    """A line on every cell edge of the window ``(r0, r1, c0, c1)``, in cells."""
    r0, r1, c0, c1 = win
    return ([Line(((float(c), float(r0)), (float(c), float(r1))), stroke, kind) for c in range(c0, c1 + 1)]
            + [Line(((float(c0), float(r)), (float(c1), float(r))), stroke, kind) for r in range(r0, r1 + 1)])


def channel_cells(chan: np.ndarray, win, scale_name: str = "greys", alpha: float = 1.0, vmin=None, vmax=None,
                  under: str = "#ffffff", name: str = "") -> list[Rect]:
    """The cells of ``chan`` (``H x W``) inside ``win``, coloured on a scale (laid at ``alpha`` over ``under``),
    each answering a hover with its row, column and value (``name`` first, e.g. "channel 12")."""
    r0, r1, c0, c1 = win
    lo = float(chan.min()) if vmin is None else vmin
    hi = float(chan.max()) if vmax is None else vmax
    out = []
    for r in range(r0, r1):
        for c in range(c0, c1):
            colour = scale.colour(scale_name, chan[r, c], lo, hi)
            if alpha < 1:
                colour = scale.mix(under, colour, alpha)
            out.append(Rect(float(c), float(r), 1.0, 1.0, fill=colour,
                            title=cell_title(r, c, activation(float(chan[r, c])), name), kind="cell"))
    return out


def bars(edges, counts, title) -> list[Rect]:
    """A histogram's bars, one per non-empty bin: from ``edges[k]`` to ``edges[k + 1]`` along x, ``counts[k]``
    high, each answering a hover with ``title(lo, hi, count)``."""
    return [Rect(float(lo), 0.0, float(hi - lo), float(n), fill=look.HIST_BAR, stroke=look.HIST_BAR_EDGE, kind="bar",
                 title=title(lo, hi, int(n))) for lo, hi, n in zip(edges, edges[1:], counts) if n]


@dataclass(frozen=True)
class Entry:
    """One line of a legend: a swatch and its label.

    ``swatch``: "box" (a rectangle filled and hatched like the area it names; ``fills``: several boxes side
    by side, e.g. a ramp of greys), "line" (a stroke across), "cross" (two strokes crossed, e.g. a point off the
    map), or one of the point shapes (``stroke`` and ``fill`` are the marker's; a ring: ``fill=None``).
    """

    label: str
    swatch: str = "box"
    fill: str | None = None
    hatch: str = ""
    hatch_colour: str = "#000000"
    stroke: Stroke | None = None
    fills: tuple[str, ...] = ()

    @classmethod
    def area(cls, label: str, kind: tuple, stroke: Stroke | None = None) -> "Entry":
        """An entry for one of :mod:`look`'s kinds of area (LOST, GAINED ...)."""
        return cls(label, stroke=stroke, **look.fill(kind))


SWATCH_W, SWATCH_GAP = 30.0, 6.0


def _thinned(items: list[tuple[float, str]], need) -> list[tuple[float, str]]:
    """``(px, words)`` in order along an edge, keeping every k-th one, the least k that leaves every two kept
    neighbours ``need(a, b)`` px apart."""
    for k in range(1, len(items) + 1):
        kept = items[::k]
        if all(abs(b[0] - a[0]) >= need(a[1], b[1]) for a, b in zip(kept, kept[1:])):
            return kept
    return items[:1]


@dataclass
class Sheet:
    """A figure built top to bottom; :meth:`done` makes it a :class:`~roi_viz.picture.spec.Drawing`."""

    width: float
    text: float = 13.0
    y: float = PAD
    marks: list = field(default_factory=list)
    panels: list = field(default_factory=list)

    @property
    def big(self) -> float:
        return self.text * 1.12

    @property
    def inner(self) -> float:
        return self.width - 2 * PAD

    def gap(self, px: float = PAD) -> None:
        self.y += px

    def title(self, heading: str) -> None:
        rows = fonts.wrap(heading, self.big, self.inner, "bold")
        self.marks += lines(PAD, self.y, rows, self.big, weight="bold", kind="title")
        self.y += block(rows, self.big) + PAD

    def note(self, words: str, colour: str = "#333333", kind: str = "note") -> None:
        rows = fonts.wrap(words, self.text, self.inner)
        self.marks += lines(PAD, self.y, rows, self.text, colour=colour, kind=kind)
        self.y += block(rows, self.text) + PAD

    def chart(self, xlim, ylim, marks, *, xname: str = X_CELLS, yname: str = Y_CELLS,
              xticks=None, yticks=None, tick_at: float = 0.0, max_height: float | None = None,
              fmt=lambda v: str(int(round(v))), top=None, top_name: str = "", right=None,
              right_name: str = "") -> Panel:
        """A panel of ``marks`` in data coordinates ``xlim x ylim`` (y down), one data unit as wide as it is high.

        The y axis's name sits above the panel, its numbers on the left; the x axis's numbers and name below.
        ``xticks`` / ``yticks``: where to put numbers (default: round values that fit); ``tick_at``: their
        offset within a unit (0.5 numbers the cells of an output grid instead of their edges);
        ``max_height``: px the panel may not pass (it narrows instead).
        ``top`` / ``right``: extra labels ``[(position in data, words), ...]`` along the panel's top edge (x
        positions) and right edge (y positions), named ``top_name`` / ``right_name`` above them, where no
        grid line crosses them (bin numbers); neighbours too close for their words keep every k-th one.
        """
        (x0, x1), (y0, y1) = xlim, ylim
        t = self.text
        xname = _(xname) if xname == X_CELLS else xname
        yname = _(yname) if yname == Y_CELLS else yname
        yt = yticks
        if yt is None:
            yt = ticks(y0, y1 - (1 if tick_at else 0), 1e9, 0)  # placeholder: refined once the height is known
        labels_w = max((fonts.width(fmt(v), t) for v in yt), default=0.0)
        left = PAD + labels_w + 6
        # The last x number is centred on the right edge: half of it needs room past the panel.
        room = self.width - left - PAD - max(fonts.width(fmt(v), t) for v in (x0, x1)) / 2
        if right:  # room for the right labels' column (its name sits on the line of the y axis's name)
            room = min(room, self.width - left - PAD - 6 - max(fonts.width(words, t) for __, words in right))
        aspect = (y1 - y0) / (x1 - x0)
        w = room
        h = w * aspect
        if max_height is not None and h > max_height:
            h = max_height
            w = h / aspect
        x = left + (room - w) / 2
        # The name starts where the panel does: a panel narrowed by max_height has its numbers under the line.
        name_x = min(x, self.width - PAD - fonts.width(yname, t))
        self.marks.append(Text(max(name_x, PAD), self.y, yname, t, colour="#333333", kind="axis name"))
        if right and right_name:
            self.marks.append(Text(self.width - PAD, self.y, right_name, t, anchor="end", colour="#333333",
                                   kind="axis name"))
        self.y += fonts.height(t) + 4
        if top:
            if top_name:
                self.marks.append(Text(x + w / 2, self.y, top_name, t, anchor="middle", colour="#333333",
                                       kind="axis name"))
                self.y += fonts.height(t) + 2
            top_y = self.y
            self.y += fonts.height(t) + 6
        panel = Panel(x, self.y, w, h, (float(x0), float(x1)), (float(y0), float(y1)), tuple(marks))
        self.panels.append(panel)
        if yticks is None:
            yt = ticks(y0, y1 - (1 if tick_at else 0), h * (y1 - y0 - (1 if tick_at else 0)) / (y1 - y0),
                       fonts.height(t) + 3)
        if xticks is None:
            widest = max(fonts.width(fmt(v), t) for v in (x0, x1))
            xt = ticks(x0, x1 - (1 if tick_at else 0), w * (x1 - x0 - (1 if tick_at else 0)) / (x1 - x0), widest + 8)
        else:
            xt = xticks
        bottom = self.y + h
        if top:
            px = [(panel.to_px(v, y0)[0], words) for v, words in top]
            for cx, words in _thinned(px, lambda a, b: (fonts.width(a, t) + fonts.width(b, t)) / 2 + 8):
                self.marks.append(Line(((cx, self.y - 4), (cx, self.y)), TICK, kind="tick"))
                self.marks.append(Text(cx, top_y, words, t, anchor="middle", kind="bin number"))
        if right:
            py = [(panel.to_px(x1, v)[1], words) for v, words in right]
            for cy, words in _thinned(py, lambda a, b: fonts.height(t) + 2):
                self.marks.append(Line(((x + w, cy), (x + w + 4, cy)), TICK, kind="tick"))
                self.marks.append(Text(x + w + 6, cy, words, t, baseline="middle", kind="bin number"))
        # A y number level with the bottom edge would meet the first x number below it: it moves up, clear of it.
        first_x = min((panel.to_px(v + tick_at, y1)[0] - fonts.width(fmt(v), t) / 2 for v in xt), default=x)
        for v in yt:
            __, py = panel.to_px(x0, v + tick_at)
            ty = min(py, bottom + 4.5 - fonts.height(t) / 2) if first_x < x - 6 else py
            self.marks.append(Line(((x - 4, py), (x, py)), TICK, kind="tick"))
            self.marks.append(Text(x - 6, ty, fmt(v), t, anchor="end", baseline="middle", kind="tick"))
        for v in xt:
            px, __ = panel.to_px(v + tick_at, y1)
            self.marks.append(Line(((px, bottom), (px, bottom + 4)), TICK, kind="tick"))
            self.marks.append(Text(px, bottom + 5, fmt(v), t, anchor="middle", kind="tick"))
        self.y = bottom + 5 + fonts.height(t) + 2
        if xname:
            self.marks.append(Text(x + w / 2, self.y, xname, t, anchor="middle", colour="#333333", kind="axis name"))
            self.y += fonts.height(t)
        self.y += PAD
        return panel

    def legend(self, entries: list[Entry], columns: int | None = None) -> None:
        """Swatches and labels, in ``columns`` columns (default: two if every label fits in half the width)."""
        if not entries:
            return
        t = self.text
        if columns is None:
            half = self.inner / 2 - SWATCH_W - SWATCH_GAP - 8
            columns = 2 if all(fonts.width(e.label, t) <= half for e in entries) else 1
        col_w = self.inner / columns
        line_h = max(fonts.height(t), 16.0) + 6
        wrapped = [fonts.wrap(e.label, t, col_w - SWATCH_W - SWATCH_GAP - 8) for e in entries]
        y = self.y
        for start in range(0, len(entries), columns):  # a row as tall as its longest label
            row = range(start, min(start + columns, len(entries)))
            for k in row:
                x = PAD + (k - start) * col_w
                mid = y + line_h / 2 - 3
                self.marks += self._swatch(entries[k], x, mid)
                self.marks += lines(x + SWATCH_W + SWATCH_GAP, mid - fonts.height(t) / 2, wrapped[k], t, kind="legend")
            y += line_h + max(block(wrapped[k], t) for k in row) - fonts.height(t)
        self.y = y + PAD

    @staticmethod
    def _swatch(e: Entry, x: float, mid: float) -> list:
        if e.swatch == "line":
            return [Line(((x, mid), (x + SWATCH_W, mid)), e.stroke or TICK, kind="swatch")]
        if e.swatch == "cross":
            c, r = x + SWATCH_W / 2, 6.0
            return [Line(((c - r, mid - r), (c + r, mid + r)), e.stroke or TICK, kind="swatch"),
                    Line(((c - r, mid + r), (c + r, mid - r)), e.stroke or TICK, kind="swatch")]
        if e.swatch != "box":
            return [Point(x + SWATCH_W / 2, mid, e.swatch, 11.0, e.fill, e.stroke, kind="swatch")]
        fills = e.fills or (e.fill,)
        w = SWATCH_W / len(fills)
        return [Rect(x + k * w, mid - 8, w, 16, fill=f, stroke=e.stroke or Stroke("#555555", 0.8), hatch=e.hatch,
                     hatch_colour=e.hatch_colour, kind="swatch") for k, f in enumerate(fills)]

    def bar(self, parts: list[tuple[float, tuple, str]], heading: str) -> None:
        """Where a whole went, as one stacked bar: ``parts`` are ``(share in [0, 1], look kind, label)``.

        A share's percentage is printed on it where it fits; every part is in the legend below with its label.
        """
        from ..lesson.numbers import pct

        self.title(heading)
        t = self.text
        h = max(2.4 * t, 28.0)
        marks, left = [], 0.0
        for share, kind, label in parts:
            if share <= 0:
                continue
            marks.append(Rect(left, 0.0, share, 1.0, stroke=Stroke("#333333", 0.8), title=_("{label}: {share}").format(label=label, share=pct(share)),
                              kind="share", **look.fill(kind)))
            left += share
        panel = Panel(PAD, self.y, self.inner, h, (0.0, 1.0), (0.0, 1.0), tuple(marks))
        self.panels.append(panel)
        left = 0.0
        for share, kind, label in parts:
            words = pct(share)
            need = fonts.width(words, t, "bold") + 10
            if share > 0 and share * self.inner >= need:
                px, py = panel.to_px(left + share / 2, 0.5)
                self.marks.append(Text(px, py, words, t, weight="bold", anchor="middle", baseline="middle",
                                       halo="#ffffff", kind="share value"))
            left += max(share, 0.0)
        self.y += h
        for v in (0.0, 0.25, 0.5, 0.75, 1.0):
            px, __ = panel.to_px(v, 1.0)
            words = "0" if v == 0 else f"{int(v * 100)} %"
            anchor = "start" if v == 0 else "end" if v == 1 else "middle"
            self.marks.append(Line(((px, self.y), (px, self.y + 4)), TICK, kind="tick"))
            self.marks.append(Text(px, self.y + 5, words, t, anchor=anchor, kind="tick"))
        self.y += 5 + fonts.height(t) + PAD

    def colour_bar(self, vmin: float, vmax: float, name: str = "viridis", what: str = "") -> None:
        """A colour scale from ``vmin`` to ``vmax``, named at both ends (``what``: what its colours are)."""
        t = self.text
        lo = _("{v} (lowest)").format(v=activation(vmin))
        hi = _("{v} (highest)").format(v=activation(vmax))
        if what:
            self.note(what)
        lo_w, hi_w = fonts.width(lo, t), fonts.width(hi, t)
        strip_x, strip_w = PAD + lo_w + 8, self.inner - lo_w - hi_w - 16
        mid = self.y + (fonts.height(t) + 12) / 2
        n = 24
        self.marks += [Rect(strip_x + k * strip_w / n, mid - 6, strip_w / n + 0.3, 12,
                            fill=scale.colour(name, k / (n - 1), 0.0, 1.0), kind="scale") for k in range(n)]
        self.marks += [Text(PAD, mid, lo, t, baseline="middle", kind="scale"),
                       Text(self.width - PAD, mid, hi, t, anchor="end", baseline="middle", kind="scale")]
        self.y += fonts.height(t) + 12 + PAD

    def badge(self, pretrained: bool, network: str = "vgg16") -> None:
        """The red "untrained" label naming ``network`` (VGG16 or ResNet-50-FPN), right-aligned on a row of its own,
        when the features are random."""
        if pretrained:
            return
        t = self.text
        rows = fonts.wrap(look.badge_text(network), t, self.inner - 8, "bold")  # large type on a narrow figure: two lines
        w = max(fonts.width(r, t, "bold") for r in rows) + 8
        h = block(rows, t) + 4
        self.marks.append(Rect(self.width - PAD - w, self.y, w, h, fill=look.BADGE, kind="badge"))
        self.marks += lines(self.width - PAD - w / 2, self.y + 2, rows, t, "middle", colour="#ffffff", weight="bold",
                            kind="badge")
        self.y += h + PAD

    def done(self, alt: str) -> Drawing:
        """The drawing, as tall as what was added (its panels under the titles, legends and ticks)."""
        return Drawing(self.width, self.y, (*self.panels, Panel.pixels(0, 0, self.width, self.y, self.marks)), alt)
