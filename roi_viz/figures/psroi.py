"""Position-sensitive RoIAlign's own steps, described (no painting library).

Every function takes a :class:`~roi_viz.state.scene.Scene` whose ``chosen`` is a
:class:`~roi_viz.ops.psroi.PSAlignTrace` and returns a :class:`~roi_viz.picture.spec.Drawing`
``width`` px wide whose smallest text is ``text`` px. Map figures are in cells: cell ``(r, c)``
covers ``[c, c+1) x [r, r+1)``, x counts columns, y rows, row 0 on top.

- :func:`describe_sampling`: RoIAlign's bins and points (the shared figure, its points read in the shown channel).
- :func:`describe_bilinear`: RoIAlign's close-up of one point, in the shown channel.
- :func:`describe_groups`: the bins over the map, each labelled with the channel it reads and the mean it
  gives for the output channel followed; all printed or none (a note then says where they are).
- :func:`describe_output`: the ``ph x pw`` output of the followed output channel.

The numbers come from :mod:`roi_viz.lesson.psroi_words` (the step's words read the same ones).
"""
from __future__ import annotations

import dataclasses
import math

from ..language import _
from ..lesson import psroi_words as pw_words
from ..lesson.numbers import value
from ..picture import fonts, scale
from ..picture.spec import Drawing, Rect, Stroke, Text
from ..state.scene import Scene
from . import look
from . import sampling as dsa
from .compare import VALUE_GAP, output_cells, values_fit
from .frame import Entry, Sheet, cell_lines, channel_cells

WIDTH, TEXT = 560.0, 13.0


def describe_sampling(scene: Scene, *, width: float = WIDTH, text: float = TEXT) -> Drawing:
    """RoIAlign's sampling figure for the same box and ratio: position-sensitive RoIAlign reads at those points."""
    return dsa.describe_sampling(pw_words.plain_align(scene), width=width, text=text)


def describe_bilinear(scene: Scene, *, width: float = WIDTH, text: float = TEXT) -> Drawing:
    """RoIAlign's close-up of the picked point, in the shown channel: how one point reads four cells."""
    return dsa.describe_bilinear(pw_words.plain_align(scene), width=width, text=text)


def _labels(b: pw_words.BinRead) -> tuple[str, str]:
    # TRANSLATORS: a bin's first label in the figure: the channel it reads, short ("ch 7").
    return _("ch {channel}").format(channel=b.channel), value(b.mean)


def labels_fit(reads: list[pw_words.BinRead], cell_w: float, cell_h: float, size: float) -> bool:
    """Whether every bin's two lines (its channel, its mean) fit inside the smallest bin, ``cell_w x cell_h`` px,
    clear of its edges (the bin line's half width and its white frame included)."""
    if not reads:
        return False
    edge = look.BIN_STROKE.edge_width / 2 + VALUE_GAP
    widest = max(fonts.width(t, size) for b in reads for t in _labels(b))
    return cell_w >= widest + 2 * edge and cell_h >= 2 * fonts.height(size) + 2 + 2 * edge


def _mosaic(scene: Scene, reads, win) -> list[tuple]:
    """Under each bin, the pieces of the cells it overlaps, in its own channel: ``(x, y, w, h, channel, row,
    column, bin, value)`` in cells, clipped to the bin, the window and the map."""
    r = scene.chosen
    H, W = r.map_size
    rows, cols = r.row_edges, r.col_edges
    out = []
    for b in reads:
        y0, y1, x0, x1 = (float(v) for v in (rows[b.i], rows[b.i + 1], cols[b.j], cols[b.j + 1]))
        for rr in range(max(math.floor(y0), win[0], 0), min(math.ceil(y1), win[1], H)):
            for cc in range(max(math.floor(x0), win[2], 0), min(math.ceil(x1), win[3], W)):
                top, left = max(y0, rr), max(x0, cc)
                h, w = min(y1, rr + 1) - top, min(x1, cc + 1) - left
                if h > 1e-9 and w > 1e-9:
                    out.append((left, top, w, h, b.channel, rr, cc, b, float(scene.features[b.channel, rr, cc])))
    return out


def describe_groups(scene: Scene, *, width: float = WIDTH, text: float = TEXT) -> Drawing:
    """The bins over the map, each labelled with its channel and the mean it gives (output channel followed).

    Under each bin, the pieces of the cells it overlaps in *its own* channel (light greys, one scale), each
    answering a hover with "channel k, row r, column c: v"; each bin a rectangle at its fractional edges,
    answering "bin (i, j): channel k, mean of n points = v". Every bin's two lines are printed where
    every one fits; otherwise none are, and a note says the table below the figure holds them.
    """
    r = scene.chosen
    ph, pw = r.output_size
    s = Sheet(width, text)
    c = pw_words.followed(scene)
    xlim, ylim, off, off_entries = dsa._view(scene, r)
    win = (int(ylim[0]), int(ylim[1]), int(xlim[0]), int(xlim[1]))
    rows, cols = r.row_edges, r.col_edges
    roi, roi_entry = dsa._roi(scene)
    bins_entry = Entry(_("bins: each reads its own channel"), stroke=look.BIN_STROKE, swatch="line")
    if c is None:  # nothing to follow: the bins over the channel shown, and why, in a sentence
        heading = _("Each bin reads its own channel: no output channel to follow")
        s.title(heading)
        H, W = r.map_size
        inside = (max(win[0], 0), min(win[1], H), max(win[2], 0), min(win[3], W))
        marks = list(off) + channel_cells(scene.features[scene.channel], inside, alpha=0.35,
                                          name=_("channel {channel}").format(channel=scene.channel))
        marks += [Rect(float(cols[j]), float(rows[i]), float(cols[j + 1] - cols[j]), float(rows[i + 1] - rows[i]),
                       stroke=look.BIN_STROKE, kind="bin",
                       title=_("bin ({i}, {j}): no channel of its own to read").format(i=i, j=j))
                  for i in range(ph) for j in range(pw)]
        s.chart(xlim, ylim, marks + roi[:1], max_height=0.6 * width)  # a slide must fit it beside its words
        s.legend([*roi_entry, bins_entry, *off_entries], columns=1)
        missing = pw_words.nothing_read(scene).replace("**", "")
        s.note(missing)
        s.badge(scene.pretrained, scene.settings.network)
        return s.done(_("{heading}. {missing}").format(heading=heading, missing=missing))
    reads = pw_words.bin_reads(scene)
    heading = _("Each bin reads its own channel: output channel {c} (channels {first} to {last}, one per bin)").format(
        c=c, first=c * r.groups, last=c * r.groups + r.groups - 1)
    s.title(heading)
    pieces = _mosaic(scene, reads, win)
    lo = min((v for *_rest, v in pieces), default=0.0)
    hi = max((v for *_rest, v in pieces), default=1.0)
    marks: list = list(off)
    for (x, y, w, h, ch, rr, cc, b), v in ((p[:8], p[8]) for p in pieces):
        marks.append(Rect(x, y, w, h, fill=scale.mix("#ffffff", scale.colour("greys", v, lo, hi), 0.35),
                          kind="cell", title=_("channel {ch}, row {r}, column {c}: {v} (bin ({i}, {j}) reads it)").format(
                              ch=ch, r=rr, c=cc, v=value(v), i=b.i, j=b.j)))
    marks += cell_lines(win, look.CELL_ON_LIGHT)
    for b in reads:
        marks.append(Rect(float(cols[b.j]), float(rows[b.i]), float(cols[b.j + 1] - cols[b.j]),
                          float(rows[b.i + 1] - rows[b.i]), stroke=look.BIN_STROKE, kind="bin",
                          title=_("bin ({i}, {j}): channel {channel}, mean of {n} points = {v}").format(
                              i=b.i, j=b.j, channel=b.channel, n=b.points, v=value(b.mean))))
    shown = [b for b in reads if b.channel == scene.channel]  # the one bin that reads the channel of step 2
    marks += [Rect(float(cols[b.j]), float(rows[b.i]), float(cols[b.j + 1] - cols[b.j]),
                   float(rows[b.i + 1] - rows[b.i]), stroke=look.ARGMAX_STROKE, kind="shown channel",
                   title=_("bin ({i}, {j}) reads channel {channel}, the channel shown").format(
                       i=b.i, j=b.j, channel=b.channel)) for b in shown]
    marks += roi[:1]
    panel = s.chart(xlim, ylim, marks, max_height=0.6 * width)  # a slide must fit it beside its words
    per_cell = panel.w / (xlim[1] - xlim[0])  # px per cell, as drawn (one data unit as wide as it is high)
    cell_w = min(float(cols[j + 1] - cols[j]) for j in range(pw)) * per_cell
    cell_h = min(float(rows[i + 1] - rows[i]) for i in range(ph)) * per_cell
    fits = labels_fit(reads, cell_w, cell_h, text)
    if fits:  # each bin's two lines, centred in it, one above and one below its middle
        half = (fonts.height(text) / 2 + 1) / per_cell
        texts = []
        for b in reads:
            cx, cy = float(cols[b.j] + cols[b.j + 1]) / 2, float(rows[b.i] + rows[b.i + 1]) / 2
            top, bottom = _labels(b)
            texts += [Text(cx, cy - half, top, text, anchor="middle", baseline="middle", halo="#ffffff",
                           kind="bin label"),
                      Text(cx, cy + half, bottom, text, anchor="middle", baseline="middle", halo="#ffffff",
                           kind="value")]
        s.panels[-1] = dataclasses.replace(panel, marks=panel.marks + tuple(texts))
    ramp = tuple(scale.mix("#ffffff", scale.colour("greys", v, 0, 1), 0.35) for v in (0.15, 0.55, 0.95))
    s.legend([*roi_entry, bins_entry, Entry(_("under each bin, the cells of its own channel: darker = larger"),
                                            fills=ramp),
              *[Entry(_("red: bin ({i}, {j}), the one that reads channel {channel}, the channel shown").format(
                  i=b.i, j=b.j, channel=b.channel), swatch="line", stroke=look.ARGMAX_STROKE) for b in shown],
              *off_entries], columns=1)
    note = "" if fits else _("The bins are too small to print their channels and means here: the table below the "
                             "figure gives them (and, on the page, a hover over a bin).")
    if note:
        s.note(note)
    s.badge(scene.pretrained, scene.settings.network)
    listed = _("; ").join(_("bin ({i}, {j}) reads channel {channel}: {v}").format(
        i=b.i, j=b.j, channel=b.channel, v=value(b.mean)) for b in reads)
    alt = (_("{heading}. {listed}. {note}") if note else _("{heading}. {listed}.")).format(
        heading=heading, listed=listed, note=note)
    return s.done(alt)


def describe_output(scene: Scene, *, width: float = WIDTH, text: float = TEXT) -> Drawing:
    """The ``ph x pw`` output of the followed output channel (its ``C' x ph x pw`` shape in the heading)."""
    r = scene.chosen
    ph, pw = r.output_size
    s = Sheet(width, text)
    c = pw_words.followed(scene)
    if c is None:  # the grid the method would fill, each cell saying why it holds 0 here
        heading = _("Output {ph}×{pw}×{cout}: no output channel to follow").format(ph=ph, pw=pw, cout=r.out_channels)
        s.title(heading)
        why = (_("row {i}, column {j}: 0 (no output channel)") if r.out_channels == 0 else
               _("row {i}, column {j}: 0 (channel {channel} is read by no bin)"))
        cells = [Rect(float(j), float(i), 1.0, 1.0, fill="#ffffff", stroke=Stroke("#9a9a9a", 1.0), kind="output",
                      title=why.format(i=i, j=j, channel=scene.channel)) for i in range(ph) for j in range(pw)]
        side = min((s.inner - 40) / pw, 0.5 * width / ph, 3 * text)
        s.chart((0, pw), (0, ph), cells, xname=_("column"), yname=_("row"), tick_at=0.5, max_height=side * ph)
        missing = pw_words.nothing_read(scene).replace("**", "")
        s.note(missing)
        s.badge(scene.pretrained, scene.settings.network)
        return s.done(_("{heading}. {missing}").format(heading=heading, missing=missing))
    out = r.scores[c]
    vmin, vmax = float(out.min()), float(out.max())
    heading = _("Output {ph}×{pw}×{cout}: output channel {c} (map channel {channel}'s group)").format(
        ph=ph, pw=pw, cout=r.out_channels, c=c, channel=scene.channel)
    s.title(heading)
    widest = max(fonts.width(str(v), text) for v in range(max(ph, pw)))
    room = s.inner - widest - 12
    need = max(fonts.width(value(float(v)), text) for v in out.ravel()) + 2 * VALUE_GAP + 1
    cell_px = min(room / pw, 0.75 * width / ph, max(0.6 * width / max(ph, pw), need)) * min(1.0, 1.5 * TEXT / text)
    fits = values_fit([out], cell_px, text)
    s.chart((0, pw), (0, ph), output_cells(out, None, vmin, vmax, fits, text), xname=_("column"), yname=_("row"),
            tick_at=0.5, max_height=cell_px * ph)
    s.colour_bar(vmin, vmax, "viridis", "")
    note = "" if fits else _("The cells are too small to print their values here: a hover over a cell gives its "
                             "value.")
    if note:
        s.note(note)
    # The groups' arithmetic (C' = C // (ph·pw)) is in the heading's shape and the step's words: as a note its
    # lines grew with the text faster than a slide's height, and no projector size could show it.
    cover = pw_words.coverage_words(scene).replace("**", "")
    s.note(cover)
    s.badge(scene.pretrained, scene.settings.network)
    rows = _("; ").join(", ".join(value(float(v)) for v in row) for row in out)
    alt = (_("{heading}. Row by row: {rows}. {cover} {note}") if note else
           _("{heading}. Row by row: {rows}. {cover}")).format(heading=heading, rows=rows, cover=cover, note=note)
    return s.done(alt)
