"""Today's detectors, described once (page: SVG; files: Matplotlib): a feature pyramid's level, where each
output cell really reads, and the box head's regression.

- :func:`describe_level`: which level of an FPN a box is pooled from, and why: a number line of the box's
  ``sqrt(w h)`` with the level boundaries (112, 224, 448 px), the rule's arithmetic written out, and the box on
  each level's grid of cells with the chosen level framed.
- :func:`describe_alignment`: for each method, its ``ph x pw`` bins with a segment from each bin's true centre to
  where the bin really reads (offsets from :func:`roi_viz.ops.looking.offsets`), and its largest and mean offset.
- :func:`describe_offset_spread`: the same offsets over many proposals, one histogram of ``|offset|`` per method.
- :func:`describe_regression`: a proposal and a target on the input, the four numbers ``(tx, ty, tw, th)``
  of :func:`roi_viz.ops.regression.encode`, and the box they decode to, laid over the target.

Every function takes plain data (numbers, boxes, arrays), never a scene. Boxes are ``(x, y, w, h)`` in input
pixels, ``(x, y)`` the top-left corner, y downwards; offsets ``(dx, dy)`` in input pixels. Sizes are CSS px of a
drawing ``width`` px wide whose smallest text is ``text`` px (13 px: still 12 px when a 560-px drawing is shown
in the 528-px lesson column). No painting library is imported here.
"""
from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np

from ..language import _, ngettext
from ..lesson.detector_words import blocks, floor_digits, level_digits, level_of, level_sums, names_list
from ..lesson.numbers import eq, exact, num
from ..ops import geometry as g
from ..ops.pyramid import EPS, fpn_level, levels_of
from ..ops.regression import BOX_HEAD_WEIGHTS, decode, encode
from ..picture import fonts
from ..picture.spec import Drawing, Line, Panel, Point, Rect, Stroke, Text
from . import look
from .compare import SHAPES, nice_ticks
from .frame import PAD, TICK, Entry, Sheet, bars, block, lines, ticks

WIDTH, TEXT = 560.0, 13.0
GAP = 12.0  # px between two panels side by side
CANONICAL_SIZE, CANONICAL_LEVEL = 224.0, 4  # the level rule's anchor: a 224-px box goes to P4
SHOWN_LO, SHOWN_HI = 28.0, 1024.0  # the number line always shows at least these sides (px)
SHOWN_MOST = (4.0, 4096.0)  # and never more: a side beyond is marked at the line's end
LINE_SPACING_LEAST = 4.0  # px between two grid lines drawn; denser grids draw every k-th line


def _f(v: float, digits: int = 2) -> str:
    """A computed number (not the box's own), as :func:`~roi_viz.lesson.numbers.num` writes it; a minus sign."""
    return num(v, digits).replace("-", "−")


_digits_for_floor = floor_digits  # one rule for the figure and the words


def _size(input_size) -> tuple[float, float]:
    """``(W, H)`` px of the input from an int (square) or a ``(W, H)`` pair."""
    if isinstance(input_size, (int, float)):
        return float(input_size), float(input_size)
    w, h = input_size
    return float(w), float(h)


# ------------------------------------------------------------------------------------------ the pyramid's level
def level_arithmetic(w: float, h: float, levels: Sequence[int]) -> dict:
    """The level rule for a ``w x h`` box, step by step, as torchvision's ``LevelMapper`` computes it (float32).

    Returns ``side`` (``sqrt(w h)``, px), ``log`` (``log2(side / 224)``), ``raw`` (``4 + log + eps``), ``floor``,
    ``level`` (clamped to ``levels``; equal to :func:`~roi_viz.ops.pyramid.fpn_level`) and its ``stride``.
    """
    f = np.float32
    side = np.sqrt(f(w) * f(h))
    log = np.log2(side / f(CANONICAL_SIZE))
    raw = f(CANONICAL_LEVEL) + log + f(EPS)
    k = fpn_level(w, h, canonical_size=CANONICAL_SIZE, canonical_level=CANONICAL_LEVEL,
                  k_min=levels[0], k_max=levels[-1])
    return {"side": float(side), "log": float(log), "raw": float(raw), "floor": int(math.floor(raw)), "level": k,
            "stride": 2 ** k}


def _levels(strides: Sequence[float]) -> list[int]:
    return levels_of(strides)


def boundaries(levels: Sequence[int]) -> list[float]:
    """The sides (px) where the rule steps from one level to the next: 112, 224, 448 for P2..P5."""
    return [CANONICAL_SIZE * 2.0 ** (k - CANONICAL_LEVEL) for k in levels[1:]]


def _number_line(s: Sheet, side: float, levels: list[int], chosen: int) -> None:
    """The sides as a log2 line: the boundaries, each level's name (and stride, where it fits) in its interval,
    the box's side marked by a diamond and written under the boundaries' numbers."""
    t = s.text
    edges = boundaries(levels)
    lo = max(min(math.log2(SHOWN_LO), math.log2(max(side, 1e-9)) - 0.4), math.log2(SHOWN_MOST[0]))
    hi = min(max(math.log2(SHOWN_HI), math.log2(max(side, 1e-9)) + 0.4), math.log2(SHOWN_MOST[1]))
    if edges:  # every level keeps an interval at least an octave wide
        lo, hi = min(lo, math.log2(edges[0]) - 1), max(hi, math.log2(edges[-1]) + 1)
    x0, x1 = PAD + 4, s.width - PAD - 4
    at = lambda v: x0 + (math.log2(v) - lo) / (hi - lo) * (x1 - x0)  # noqa: E731 (a side in px -> drawing px)
    cuts = [x0] + [at(v) for v in edges] + [x1]
    names = [(f"P{k}", _("stride {stride}").format(stride=2 ** k)) for k in levels]
    # Each interval's name and stride centred in it; the strides only where every one fits (else a note).
    strides_fit = all(fonts.width(sw, t) + 6 <= b - a for (_nw, sw), a, b in zip(names, cuts, cuts[1:]))
    names_fit = all(fonts.width(nw, t, "bold") + 6 <= b - a for (nw, _sw), a, b in zip(names, cuts, cuts[1:]))
    top = s.y
    rows = 1 + int(strides_fit)
    axis_y = top + block(["."] * rows, t) + 6
    marks: list = []
    for (nw, sw), k, a, b in zip(names, levels, cuts, cuts[1:]):
        mid = (a + b) / 2
        if k == chosen:  # the chosen interval shaded on the line's band
            marks.append(Rect(a, top - 2, b - a, axis_y - top + 2, fill="#e8e8e8", kind="chosen level",
                              title=_("P{k}: stride {stride} px").format(k=k, stride=2 ** k)))
        words = [nw] + ([sw] if strides_fit else [])
        if names_fit:
            marks += lines(mid, top, words, t, "middle", weight="bold" if k == chosen else "normal",
                           kind="level name")
    marks.append(Line(((x0, axis_y), (x1, axis_y)), look.LEVEL_AXIS, kind="axis"))
    for v in edges:
        bx = at(v)
        marks.append(Line(((bx, top - 2), (bx, axis_y + 4)), look.LEVEL_BOUNDARY, kind="level boundary"))
    s.y = axis_y + 6
    taken = []
    for v in edges:
        words = exact(v)
        marks.append(Text(at(v), s.y, words, t, anchor="middle", kind="boundary"))
        tw = fonts.width(words, t)
        taken.append((at(v) - tw / 2, at(v) + tw / 2))
    s.y += fonts.height(t) + 4
    shown = min(max(side, 2.0 ** lo), 2.0 ** hi)
    sx = at(shown)
    label = (_("√(w·h) {eq} {side} px") if shown == side else _("√(w·h) {eq} {side} px (off the line)")).format(
        eq=eq(side), side=_f(side))
    lw = fonts.width(label, t, "bold")
    lx = min(max(sx - lw / 2, PAD), s.width - PAD - lw)
    # A leader from the line down to the label, where it passes no boundary's number.
    if all(not (a - 3 <= sx <= b + 3) for a, b in taken):
        marks.append(Line(((sx, axis_y), (sx, s.y)), Stroke(look.SIDE_MARK, 2.0), kind="side leader"))
    marks.append(Point(sx, axis_y, "diamond", 13.0, look.SIDE_MARK, Stroke("#000000", 1.2),
                       title=_("the box: √(w·h) {eq} {side} px").format(eq=eq(side), side=_f(side)), kind="side"))
    marks.append(Text(lx, s.y, label, t, weight="bold", kind="side"))
    s.y += fonts.height(t) + PAD
    s.marks += marks
    s.note(_("√(w·h) in input pixels, log scale; each boundary doubles the last"))
    if not strides_fit:
        s.note(_("Strides: {strides}.").format(strides=names_list(f"P{k} {2 ** k} px" for k in levels)))
    if not names_fit:
        s.note(_("Levels, left to right: {levels}.").format(levels=names_list(f"P{k}" for k in levels)))


def _grid_step(stride: float, px_per_unit: float) -> int:
    """Every how many cells a grid line is drawn so that lines stay :data:`LINE_SPACING_LEAST` px apart."""
    for k in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        if stride * k * px_per_unit >= LINE_SPACING_LEAST:
            return k
    return 1000


def _window(box, stride: float) -> tuple[float, float, float]:
    """A square window ``(x0, y0, side)`` px on whole cells of ``stride``: the box snapped out, one cell around."""
    x, y, w, h = box
    c0, c1 = math.floor(x / stride) - 1, math.ceil((x + w) / stride) + 1
    r0, r1 = math.floor(y / stride) - 1, math.ceil((y + h) / stride) + 1
    n = max(c1 - c0, r1 - r0)
    c0 -= (n - (c1 - c0)) // 2
    r0 -= (n - (r1 - r0)) // 2
    return c0 * stride, r0 * stride, n * stride


def _level_marks(box, stride: float, image: tuple[float, float], px_per_unit: float, win) -> tuple[list, int]:
    """The box on one level's grid, in input px: outside the image hatched, a line every k cells."""
    X0, Y0, n = win
    W, H = image
    marks: list = [Rect(X0, Y0, n, n, fill="#ffffff", kind="level face")]
    # Outside the image: the map has no cells there.
    for part in g.box_difference((X0, Y0, n, n), (0.0, 0.0, W, H)):
        marks.append(Rect(*part, kind="outside", title=_("outside the image: no cells"),
                          **look.fill(look.OFF_MAP_AREA)))
    k = _grid_step(stride, px_per_unit)
    step = stride * k
    first_x, first_y = math.ceil(X0 / step) * step, math.ceil(Y0 / step) * step
    for v in np.arange(first_x, X0 + n + 1e-9, step):
        marks.append(Line(((float(v), Y0), (float(v), Y0 + n)), look.CELL_ON_LIGHT, kind="cell line"))
    for v in np.arange(first_y, Y0 + n + 1e-9, step):
        marks.append(Line(((X0, float(v)), (X0 + n, float(v))), look.CELL_ON_LIGHT, kind="cell line"))
    x, y, w, h = box
    marks.append(Rect(float(x), float(y), float(w), float(h), stroke=look.ROI_STROKE, kind="roi",
                      title=_("the box: {blocks} at stride {stride}").format(blocks=blocks(h / stride, w / stride),
                                                                              stride=exact(stride))))
    return marks, k


def _columns(n: int, inner: float, need: float) -> int:
    """The most of ``n`` panels side by side (4, 2 or 1 per row) that are each at least ``need`` px wide."""
    for c in (n, 4, 2, 1):
        if c <= n and (inner - (c - 1) * GAP) / c >= need:
            return c
    return 1


def describe_level(box: Sequence[float], *, input_size, strides: Sequence[float] = (4, 8, 16, 32),
                   width: float = WIDTH, text: float = TEXT) -> Drawing:
    """Which pyramid level ``box`` (``(x, y, w, h)`` input px) is pooled from, and why.

    ``input_size``: the input's ``(W, H)`` px (or one int: square); ``strides``: the levels' strides, finest first,
    powers of two doubling (P2..P5: 4, 8, 16, 32). Top: a number line of ``sqrt(w h)`` (log scale) with the
    boundaries and the box's side; the rule's arithmetic; below, the box on each level's grid (its cells at that
    stride, a line every k cells where they would crowd), the chosen level framed thick, each with the box's
    extent in cells.
    """
    x, y, w, h = g.check_roi(box)
    levels = _levels(strides)
    image = _size(input_size)
    a = level_arithmetic(w, h, levels)
    k, stride = a["level"], a["stride"]
    t = text
    s = Sheet(width, text)
    heading = _("Which level of the pyramid: a {w}×{h} px box is pooled from P{k} (stride {stride})").format(
        w=exact(w), h=exact(h), k=k, stride=stride)
    s.title(heading)
    _number_line(s, a["side"], levels, k)
    # The rule's arithmetic in the words' own strings (lesson.detector_words.level_sums): near a boundary the
    # logarithm and the sum keep the decimals that tell which side of it the box is.
    lv = level_of((x, y, w, h), strides)
    d = level_digits(lv)
    lg = _f(a["log"], d)
    for line in level_sums(lv):
        s.note(line, colour="#000000", kind="arithmetic")
    s.note(_("The 0.000001 is torchvision's: a box exactly on a boundary goes to the level above."))
    # The box on each level's grid.
    captions = []
    for lv, st in zip(levels, strides):
        first = (_("P{k}, stride {stride} (chosen)") if lv == k else _("P{k}, stride {stride}")).format(
            k=lv, stride=exact(st))
        captions.append((first, blocks(h / st, w / st)))
    # As many grids side by side as leave each its level's name on one line ("(chosen)" may wrap under it).
    need = max(72.0, max(fonts.width(_("P{k}, stride {stride}").format(k=lv, stride=exact(st)), t, "bold")
                         for lv, st in zip(levels, strides)) + 4)
    cols = _columns(len(levels), s.inner, need)
    colw = (s.inner - (cols - 1) * GAP) / cols
    pw = min(colw, max(0.3 * width, need))  # a grid no larger than the number line needs beside it
    extents = []
    for start in range(0, len(levels), cols):
        row = list(range(start, min(start + cols, len(levels))))
        texts_h = []
        for j, i in enumerate(row):
            lv, st = levels[i], float(strides[i])
            win = _window((x, y, w, h), st)
            marks, every = _level_marks((x, y, w, h), st, image, pw / win[2], win)
            px = PAD + j * (colw + GAP)
            frame = look.LEVEL_CHOSEN_FRAME if lv == k else look.LEVEL_OTHER_FRAME
            s.panels.append(Panel(px, s.y, pw, pw, (win[0], win[0] + win[2]), (win[1], win[1] + win[2]),
                                  tuple(marks)))
            s.marks.append(Rect(px, s.y, pw, pw, stroke=frame, kind="chosen frame" if lv == k else "level frame"))
            words = [captions[i][0]] + fonts.wrap(captions[i][1], t, colw)
            if every > 1:
                words += fonts.wrap(_("a line every {n} cells").format(n=every), t, colw)
            head = fonts.wrap(words[0], t, colw, "bold")
            ty = s.y + pw + 6
            s.marks += lines(px, ty, head, t, weight="bold" if lv == k else "normal", kind="level caption")
            ty += block(head, t) + 2
            s.marks += lines(px, ty, words[1:], t, kind="level caption")
            texts_h.append(block(head, t) + 2 + block(words[1:], t))
            extents.append(f"P{lv} {blocks(h / st, w / st)}")
        s.y += pw + 6 + max(texts_h) + PAD + 4
    s.legend([Entry(_("the box"), stroke=look.ROI_STROKE, swatch="line"),
              Entry(_("the chosen level's grid"), stroke=look.LEVEL_CHOSEN_FRAME, swatch="line"),
              Entry.area(_("outside the image"), look.OFF_MAP_AREA)])
    bounds = names_list(exact(v) for v in boundaries(levels))
    alt = _("{heading}. √(w·h) {eq_side} {side} px; the boundaries are {bounds} px; log2({side} / 224) {eq_log} {lg}, "
            "4 plus that plus 0.000001 is {raw}, floor {floor}, clamped to {lo}..{hi}: P{k}, stride {stride} px. The "
            "box spans {extents}.").format(
                heading=heading, eq_side=eq(a['side']), side=_f(a['side']), bounds=bounds, eq_log=eq(a['log']), lg=lg,
                raw=_f(a['raw'], d), floor=_f(a['floor']), lo=levels[0], hi=levels[-1], k=k, stride=stride,
                extents=_("; ").join(extents))
    return s.done(alt)


# ------------------------------------------------------------------------------------------ where a bin reads
def _magnitudes(offsets: np.ndarray) -> np.ndarray:
    """``|(dx, dy)|`` px of every bin that reads something (NaN bins dropped), flat."""
    o = np.asarray(offsets, dtype=float).reshape(-1, 2)
    m = np.hypot(o[:, 0], o[:, 1])
    return m[np.isfinite(m)]


def offset_stats(offsets: np.ndarray) -> tuple[float, float] | None:
    """``(largest, mean)`` ``|offset|`` px over the bins that read something; ``None`` if none does."""
    m = _magnitudes(offsets)
    return (float(m.max()), float(m.mean())) if len(m) else None


def _px_and_cells(v: float, stride: float) -> str:
    c = _f(v / stride)
    return (_("{px} px ({c} cell)") if c == "1" else _("{px} px ({c} cells)")).format(px=_f(v), c=c)


def _marker(style, x: float, y: float, size: float, title: str = "", kind: str = "reads") -> Point:
    colour, _dash, marker = style
    return Point(x, y, SHAPES.get(marker, "circle"), size, colour, Stroke("#000000", 1.0), title=title, kind=kind)


def describe_alignment(offsets_by_method: Mapping[str, np.ndarray], *, names: Mapping[str, str],
                       styles: Mapping[str, tuple], stride: float, output_size, width: float = WIDTH,
                       text: float = TEXT) -> Drawing:
    """Where each output cell really looks, per method: its ``ph x pw`` bins (a unit square each, x = column,
    y = row), a segment from each bin's true centre (a white ring) to where it reads (the method's marker).

    ``offsets_by_method``: key -> ``ph x pw x 2`` ``(dx, dy)`` px (NaN: the bin reads nothing), as
    :func:`roi_viz.ops.looking.offsets` returns them; ``names`` / ``styles``: key -> the method's name and its
    record's style ``(colour, line style, marker)``; ``stride``: input px per cell of the map read. All panels
    share one scale, chosen so the largest offset is 0.45 of a bin, and the figure says it.
    """
    ph, pw = g.check_output_size(output_size)
    keys = list(offsets_by_method)
    offs = {k: np.asarray(offsets_by_method[k], dtype=float).reshape(ph, pw, 2) for k in keys}
    stats = {k: offset_stats(offs[k]) for k in keys}
    largest = max((st[0] for st in stats.values() if st), default=0.0)
    per_bin = largest / 0.45 if largest > 0 else 0.0  # px of offset drawn as one bin's width
    t = text
    s = Sheet(width, text)
    names = {k: _(v) for k, v in names.items()}  # the records' names, said in the language in force
    heading = _("Where each output cell really reads: the {ph}×{pw} bins, stride {stride} px, from each bin's centre "
                "to where it reads").format(ph=ph, pw=pw, stride=exact(stride))
    s.title(heading)
    if per_bin:
        s.note(_("Segments scaled: one bin's width stands for {px} px of offset.").format(px=_f(per_bin)))
    elif any(stats.values()):
        s.note(_("Every bin reads at its own centre: no segments."))
    else:
        s.note(_("No bin reads anything: the box lies off the map."))
    captions = {}
    for k in keys:
        st = stats[k]
        captions[k] = [_("largest {px}").format(px=_px_and_cells(st[0], stride)),
                       _("mean {px}").format(px=_px_and_cells(st[1], stride))] if st else [_("reads nothing")]
    widest_word = max(fonts.width(wd, t, "bold") for k in keys for wd in names[k].split())
    need = max(80.0, 12.0 * pw, widest_word + 20)
    cols = _columns(len(keys), s.inner, need)
    colw = (s.inner - (cols - 1) * GAP) / cols
    side = colw / max(pw, ph / 1.2)  # px per bin: a panel at most 1.2 times as tall as wide
    any_empty = False
    for start in range(0, len(keys), cols):
        row = keys[start:start + cols]
        used = []
        for j, key in enumerate(row):
            o = offs[key]
            px = PAD + j * (colw + GAP)
            marks: list = []
            centres: list = []
            size = max(5.0, min(10.0, side * 0.3))
            for i in range(ph):
                for jj in range(pw):
                    dx, dy = o[i, jj]
                    if not (np.isfinite(dx) and np.isfinite(dy)):
                        any_empty = True
                        marks.append(Rect(float(jj), float(i), 1.0, 1.0, stroke=Stroke("#9a9a9a", 0.8),
                                          title=_("row {r}, column {c}: reads nothing").format(r=i, c=jj),
                                          kind="reads nothing",
                                          **look.fill(look.READS_NOTHING)))
                        continue
                    mag = math.hypot(dx, dy)
                    marks.append(Rect(float(jj), float(i), 1.0, 1.0, fill=look.BIN_FACES[(i + jj) % 2],
                                      stroke=Stroke("#9a9a9a", 0.8), kind="bin face",
                                      title=_("row {r}, column {c}: reads {dx} px across, {dy} px down of its "
                                              "centre ({away} away)").format(r=i, c=jj, dx=_f(dx), dy=_f(dy),
                                                                             away=_px_and_cells(mag, stride))))
            for i in range(ph):
                for jj in range(pw):
                    dx, dy = o[i, jj]
                    if not (np.isfinite(dx) and np.isfinite(dy)):
                        continue
                    cx, cy = jj + 0.5, i + 0.5
                    ex, ey = (cx + dx / per_bin, cy + dy / per_bin) if per_bin else (cx, cy)
                    if (ex, ey) != (cx, cy):
                        marks.append(Line(((cx, cy), (ex, ey)), Stroke(styles[key][0], 1.8), kind="offset"))
                    marks.append(_marker(styles[key], ex, ey, size, kind="reads"))
                    # The centre on top, smaller: a bin reading at its own centre shows both.
                    centres.append(Point(cx, cy, "circle", max(4.0, size * 0.55), look.CENTRE_FILL,
                                         look.CENTRE_STROKE, kind="centre"))
            marks += centres
            pwid, phgt = pw * side, ph * side
            s.panels.append(Panel(px + (colw - pwid) / 2, s.y, pwid, phgt, (0.0, float(pw)), (0.0, float(ph)),
                                  tuple(marks), clip=False))
            head = fonts.wrap(names[key], t, colw - 18, "bold")
            ty = s.y + ph * side + 8
            s.marks.append(_marker(styles[key], px + 6, ty + fonts.height(t) / 2, 11.0, kind="swatch"))
            s.marks += lines(px + 16, ty, head, t, weight="bold", kind="method")
            ty += block(head, t) + 2
            words = [r for c in captions[key] for r in fonts.wrap(c, t, colw)]
            s.marks += lines(px, ty, words, t, kind="offset stat")
            used.append(block(head, t) + 2 + block(words, t))
        s.y += ph * side + 8 + max(used) + PAD + 4
    entries = [Entry(_("where a bin is meant to look: its centre"), swatch="circle", fill=look.CENTRE_FILL,
                     stroke=look.CENTRE_STROKE)]
    entries += [Entry(_("where it reads: {name}").format(name=names[k]), swatch=SHAPES.get(styles[k][2], "circle"),
                      fill=styles[k][0], stroke=Stroke("#000000", 1.0)) for k in keys]
    if any_empty:
        entries.append(Entry.area(_("a bin that reads nothing"), look.READS_NOTHING))
    s.legend(entries, columns=1)
    said = _("; ").join(
        _("{name}: largest {largest}, mean {mean}").format(name=names[k], largest=_px_and_cells(stats[k][0], stride),
                                                         mean=_px_and_cells(stats[k][1], stride))
        if stats[k] else _("{name}: reads nothing").format(name=names[k]) for k in keys)
    alt = (_("{heading}. {said}. Segments scaled: one bin's width stands for {px} px.") if per_bin else
           _("{heading}. {said}.")).format(heading=heading, said=said, px=_f(per_bin))
    return s.done(alt)


def describe_offset_spread(offsets_by_method: Mapping[str, np.ndarray], *, names: Mapping[str, str],
                           styles: Mapping[str, tuple], stride: float, width: float = WIDTH,
                           text: float = TEXT) -> Drawing:
    """Over many proposals: per method, a histogram of ``|offset|`` px over all bins of all proposals.

    ``offsets_by_method``: key -> ``(..., 2)`` ``(dx, dy)`` px (e.g. ``N x ph x pw x 2``), NaN bins left out
    and counted in words. All histograms share their bins (20 across) and axes; each has its median dashed and
    the half cell (``stride / 2`` px) in faint grey. Each bar answers a hover with its range and count.
    """
    keys = list(offsets_by_method)
    mags = {k: _magnitudes(offsets_by_method[k]) for k in keys}
    dropped = {k: int(np.asarray(offsets_by_method[k]).size // 2 - len(mags[k])) for k in keys}
    top = max([float(m.max()) for m in mags.values() if len(m)] + [stride / 2])
    hi = nice_ticks(0.0, top, 6)[0]
    hi = hi[-1] if hi[-1] >= top else hi[-1] + (hi[1] - hi[0] if len(hi) > 1 else top)
    edges = np.linspace(0.0, hi, 21)
    counts = {k: np.histogram(np.minimum(mags[k], hi), bins=edges)[0] for k in keys}
    cmax = max(1, max((int(c.max()) for c in counts.values()), default=1))
    ymax = cmax * 1.06
    t = text
    s = Sheet(width, text)
    names = {k: _(v) for k, v in names.items()}  # the records' names, said in the language in force
    heading = _("How far each bin reads from its centre, over every bin of every proposal (stride {stride} px)").format(
        stride=exact(stride))
    s.title(heading)
    h = max(3 * fonts.height(t), 0.2 * width)
    most = max(3, min(5, int(h // (fonts.height(t) * 1.5)) + 1))
    yt = [v for v in nice_ticks(0.0, float(cmax), most)[0] if v <= cmax]
    ylabels = [f"{int(round(v)):,}" for v in yt]
    left = PAD + max(fonts.width(v, t) for v in ylabels) + 8
    xlab = lambda v: _f(v)  # noqa: E731
    plot_w = width - left - PAD - fonts.width(xlab(hi), t) / 2
    widest = max(fonts.width(xlab(v), t) for v in nice_ticks(0.0, hi, 8)[0])
    xt = [v for v in nice_ticks(0.0, hi, 8)[0] if v <= hi + 1e-9]
    while len(xt) > 2 and (xt[1] - xt[0]) / hi * plot_w < widest + 10:
        xt = xt[::2]
    said = []
    for n_panel, k in enumerate(keys):
        m = mags[k]
        med = float(np.median(m)) if len(m) else None
        if len(m) and dropped[k]:
            words = _("{name}: median {median} px, largest {largest} px ({n} bins read nothing)")
        elif len(m):
            words = _("{name}: median {median} px, largest {largest} px")
        elif dropped[k]:
            words = _("{name}: no bin reads anything ({n} bins read nothing)")
        else:
            words = _("{name}: no bin reads anything")
        words = words.format(name=names[k], median=_f(med) if len(m) else "", largest=_f(float(m.max())) if len(m)
                             else "", n=f"{dropped[k]:,}")
        said.append(words)
        rows = fonts.wrap(words, s.big, s.inner - 18, "bold")
        s.marks.append(_marker(styles[k], PAD + 6, s.y + fonts.height(s.big) / 2, 11.0, kind="swatch"))
        s.marks += lines(PAD + 16, s.y, rows, s.big, weight="bold", kind="title")
        s.y += block(rows, s.big) + PAD
        if n_panel == 0:
            s.marks.append(Text(left, s.y, _("bins"), t, colour="#333333", kind="axis name"))
            s.y += fonts.height(t) + 4
        else:
            s.y += fonts.height(t) / 2
        marks: list = bars(edges, counts[k], lambda lo_, hi_, n, k=k: ngettext(
            "{name}: {lo} to {hi} px: {n} bin", "{name}: {lo} to {hi} px: {n} bins", n).format(
                name=names[k], lo=_f(lo_), hi=_f(hi_), n=f"{n:,}"))
        marks.append(Line(((stride / 2, 0.0), (stride / 2, ymax)), look.HALF_STROKE, kind="half cell"))
        if med is not None:
            marks.append(Line(((med, 0.0), (med, ymax)), look.MEDIAN_STROKE, kind="median"))
        marks.append(Line(((0.0, ymax), (0.0, 0.0), (hi, 0.0)), TICK, kind="axis"))
        panel = Panel(left, s.y, plot_w, h, (0.0, hi), (ymax, 0.0), tuple(marks), clip=False)
        s.panels.append(panel)
        for v, words in zip(yt, ylabels):
            py = panel.to_px(0.0, v)[1]
            s.marks.append(Line(((left - 4, py), (left, py)), TICK, kind="tick"))
            ty = min(py, s.y + h + 4.5 - fonts.height(t) / 2)
            s.marks.append(Text(left - 6, ty, words, t, anchor="end", baseline="middle", kind="tick"))
        s.y += h
        if n_panel < len(keys) - 1:
            s.y += fonts.height(t) / 2 + PAD
    for v in xt:
        px = s.panels[-1].to_px(v, 0.0)[0]
        s.marks.append(Line(((px, s.y), (px, s.y + 4)), TICK, kind="tick"))
        s.marks.append(Text(px, s.y + 5, xlab(v), t, anchor="middle", kind="tick"))
    s.y += 5 + fonts.height(t) + 4
    rows = fonts.wrap(_("|offset|: px between where a bin reads and its centre"), t, s.inner)
    s.marks += lines(width / 2, s.y, rows, t, "middle", colour="#333333", kind="axis name")
    s.y += block(rows, t) + PAD
    s.legend([Entry(_("median"), swatch="line", stroke=look.MEDIAN_STROKE),
              Entry(_("half a cell: {px} px").format(px=_f(stride / 2)), swatch="line", stroke=look.HALF_STROKE)])
    return s.done(_("{heading}. {said}. Half a cell is {px} px.").format(heading=heading, said=_("; ").join(said),
                                                                        px=_f(stride / 2)))


# ------------------------------------------------------------------------------------------ the box head
def regression_lines(proposal, target, weights) -> list[str]:
    """The encoding written out: each of ``tx, ty, tw, th`` with its formula, its numbers and its value."""
    px, py, pw, ph = proposal
    cx, cy = px + pw / 2, py + ph / 2
    X, Y, W, H = target
    tcx, tcy = X + W / 2, Y + H / 2
    tx, ty, tw, th = encode(proposal, target, weights)
    wx, wy, ww, wh = (float(v) for v in weights)
    lead = lambda v: "" if v == 1 else f"{_f(v)} × "  # noqa: E731 (the RPN's weights of 1 are not written)
    return [
        f"tx = {lead(wx)}(x* − x) / w = {lead(wx)}({exact(tcx)} − {exact(cx)}) / {exact(pw)} {eq(tx)} {_f(tx)}",
        f"ty = {lead(wy)}(y* − y) / h = {lead(wy)}({exact(tcy)} − {exact(cy)}) / {exact(ph)} {eq(ty)} {_f(ty)}",
        f"tw = {lead(ww)}log(w* / w) = {lead(ww)}log({exact(W)} / {exact(pw)}) {eq(tw)} {_f(tw)}",
        f"th = {lead(wh)}log(h* / h) = {lead(wh)}log({exact(H)} / {exact(ph)}) {eq(th)} {_f(th)}",
    ]


def _box_words(box) -> str:
    return "(" + ", ".join(_f(v) for v in box) + ")"


def describe_regression(proposal: Sequence[float], target: Sequence[float], *,
                        weights: Sequence[float] = BOX_HEAD_WEIGHTS, image_size, width: float = WIDTH,
                        text: float = TEXT) -> Drawing:
    """The box head's regression: ``proposal`` (the pooled box) and ``target`` on the input's pixels, their
    centres, the four numbers :func:`~roi_viz.ops.regression.encode` gives (times ``weights``, as torchvision's box
    head), and the box :func:`~roi_viz.ops.regression.decode` makes of them, laid over the target.

    Boxes ``(x, y, w, h)`` input px; ``image_size``: ``(W, H)`` px (or one int: square).
    """
    p = g.check_roi(proposal)
    q = g.check_roi(target)
    W, H = _size(image_size)
    deltas = encode(p, q, weights)
    back = decode(p, deltas, weights)
    t = text
    s = Sheet(width, text)
    heading = _("The box head's regression: four numbers move the proposal onto the target")
    s.title(heading)
    xs = [0.0, W, p[0], p[0] + p[2], q[0], q[0] + q[2], back[0], back[0] + back[2]]
    ys = [0.0, H, p[1], p[1] + p[3], q[1], q[1] + q[3], back[1], back[1] + back[3]]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    m = 0.04 * max(x1 - x0, y1 - y0)
    x0, x1, y0, y1 = math.floor(x0 - m), math.ceil(x1 + m), math.floor(y0 - m), math.ceil(y1 + m)
    pc, qc = (p[0] + p[2] / 2, p[1] + p[3] / 2), (q[0] + q[2] / 2, q[1] + q[3] / 2)
    marks: list = [Rect(0.0, 0.0, W, H, fill="#f4f4f4", stroke=look.PHOTO_EDGE, kind="image",
                        title=_("the input: {W}×{H} px").format(W=exact(W), H=exact(H)))]
    marks.append(Rect(*p, stroke=look.PROPOSAL_STROKE, kind="proposal",
                      title=_("proposal: x {x}, y {y}, w {w}, h {h} px").format(x=exact(p[0]), y=exact(p[1]),
                                                                                 w=exact(p[2]), h=exact(p[3]))))
    marks.append(Rect(*q, stroke=look.TARGET_STROKE, kind="target",
                      title=_("target: x {x}, y {y}, w {w}, h {h} px").format(x=exact(q[0]), y=exact(q[1]),
                                                                               w=exact(q[2]), h=exact(q[3]))))
    marks.append(Rect(*back, stroke=look.DECODED_STROKE, kind="decoded",
                      title=_("decoded from (tx, ty, tw, th): {box} px").format(box=_box_words(back))))
    if pc != qc:
        marks.append(Line((pc, qc), look.SHIFT_STROKE, kind="shift"))
    marks.append(Point(*pc, "circle", 9.0, look.ROI, Stroke("#000000", 1.0), kind="proposal centre",
                       title=_("proposal's centre (x, y) = ({x}, {y})").format(x=exact(pc[0]), y=exact(pc[1]))))
    marks.append(Point(*qc, "square", 9.0, look.TARGET, Stroke("#000000", 1.0), kind="target centre",
                       title=_("target's centre (x*, y*) = ({x}, {y})").format(x=exact(qc[0]), y=exact(qc[1]))))
    side = max(x1 - x0, y1 - y0)
    s.chart((x0, x1), (y0, y1), marks, xname=_("x (pixels)"), yname=_("y (pixels)"), max_height=0.75 * width,
            xticks=ticks(x0, x1, s.inner, fonts.width(str(int(side)), t) * 1.6 + 8, most=8))
    s.legend([Entry(_("proposal (the pooled box); ● its centre"), stroke=look.PROPOSAL_STROKE, swatch="line"),
              Entry(_("target; ■ its centre"), stroke=look.TARGET_STROKE, swatch="line"),
              Entry(_("box decoded from the four numbers"), stroke=look.DECODED_STROKE, swatch="line")])
    s.note(_("proposal: centre (x, y) = ({x}, {y}), w × h = {w} × {h} px").format(
        x=exact(pc[0]), y=exact(pc[1]), w=exact(p[2]), h=exact(p[3])), colour="#000000", kind="numbers")
    s.note(_("target: centre (x*, y*) = ({x}, {y}), w* × h* = {w} × {h} px").format(
        x=exact(qc[0]), y=exact(qc[1]), w=exact(q[2]), h=exact(q[3])), colour="#000000", kind="numbers")
    for row in regression_lines(p, q, weights):
        s.note(row, colour="#000000", kind="arithmetic")
    s.note(_("decoded: (x, y, w, h) {eq} {box} px, on the target ({x}, {y}, {w}, {h})").format(
        eq=eq(*back), box=_box_words(back), x=exact(q[0]), y=exact(q[1]), w=exact(q[2]), h=exact(q[3])),
        colour="#000000", kind="numbers")
    wt = "(" + ", ".join(_f(v) for v in weights) + ")"
    s.note(_("Weights {weights}, as torchvision's box head; log is the natural logarithm.").format(weights=wt))
    s.note(_("The proposal is a constant to the pooling: no gradient through the RoI moves it. The head's "
             "regression, trained on these four numbers, is what moves the box."))
    tx, ty, tw, th = deltas
    return s.done(_("{heading}. Proposal {pw}×{ph} px centred at ({px}, {py}); target {qw}×{qh} px centred at ({qx}, "
                    "{qy}); weights {weights}: tx {eq_tx} {tx}, ty {eq_ty} {ty}, tw {eq_tw} {tw}, th {eq_th} {th}; "
                    "decoded {back} px, the target.").format(
                        heading=heading, pw=exact(p[2]), ph=exact(p[3]), px=exact(pc[0]), py=exact(pc[1]),
                        qw=exact(q[2]), qh=exact(q[3]), qx=exact(qc[0]), qy=exact(qc[1]), weights=wt, eq_tx=eq(tx),
                        tx=_f(tx), eq_ty=eq(ty), ty=_f(ty), eq_tw=eq(tw), tw=_f(tw), eq_th=eq(th), th=_f(th),
                        back=_box_words(back)))
