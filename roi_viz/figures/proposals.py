"""Every proposal at once, described once (page: SVG; files: Matplotlib).

- :func:`describe_ends`: the worst and the best proposals on the photo.
- :func:`describe_on_photo`: many proposals on the photo, each outlined in the colour of its share.
- :func:`describe_distribution`: one histogram per panel of methods, how many boxes keep what share.
- :func:`describe_by_size`: the share each box keeps against its shorter side in cells (log axis).
- :func:`describe_pyramid`: the boxes on a P2..P5 pyramid, each at its level's stride, beside VGG16's pool5 and
  conv5_3: a table of bars (how many, what reaches the output, all zeros, under one cell).

The photo, the boxes that keep the least of their area (solid orange) and those that
keep the most (dashed blue), each outlined in black so it reads on any photo, a title
wrapped to the width, and a legend that names each group with the shares it keeps.
Each box answers a hover or a tap with its number, its box and its share. Boxes are
``(x, y, w, h)`` in pixels of the photo (the model input); the drawing's width is the
column it is shown in, in CSS pixels.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

import math
from typing import Mapping

from ..language import N_, _, ngettext
from ..lesson import proposals as words
from ..lesson.numbers import exact, num, pct
from ..study.proposals import VGG_CUTS
from ..picture import fonts, scale
from ..picture.spec import Drawing, Line, Panel, Photo, Point, Rect, Stroke, Text
from . import look
from .compare import SHAPES, nice_ticks
from .frame import TICK, Entry, Sheet, bars, block, lines, ticks

TITLE, LABEL = 16.0, 13.0  # px on the page
PAD = 6.0
# Two colours told apart with any colour vision (Okabe and Ito's orange and sky blue), two line styles so they
# read in greyscale too, and a black edge under each line so it reads on any photo.
WORST = Stroke("#E69F00", 2.6, (), "#000000", 4.6)
BEST = Stroke("#56B4E9", 2.6, (8.0, 4.0), "#000000", 4.6)
LEGEND_TITLE = N_("share of the box that reaches the output")  # stored, drawn with _()


def encoded(image) -> tuple[bytes, str, tuple[int, int]]:
    """``(PNG bytes, "PNG", (W, H))`` of a photo given as an ``H x W x 3`` array or a PIL image."""
    import io

    from PIL import Image

    img = image if isinstance(image, Image.Image) else Image.fromarray(np.asarray(image))
    buf = io.BytesIO()
    img.convert("RGB").save(buf, format="PNG", compress_level=1)
    return buf.getvalue(), "PNG", img.size


def _kept(cov: np.ndarray) -> str:
    lo, hi = float(cov.min()), float(cov.max())
    return pct(lo) if pct(lo) == pct(hi) else _("{lo} to {hi}").format(lo=pct(lo), hi=pct(hi))


def describe_ends(photo: bytes, fmt: str, photo_size: tuple[int, int], boxes: np.ndarray, coverage: np.ndarray,
                  worst: Sequence[int], best: Sequence[int], *, title: str, alt: str, width: float = 720.0,
                  text: float = 1.0) -> Drawing:
    """The drawing of the ``worst`` and ``best`` proposals (indices into ``boxes``, ``K x 4``) on ``photo``.

    Args:
        photo: the encoded photo (``fmt`` "PNG" or "JPEG"), ``photo_size`` ``(W, H)`` pixels.
        coverage: ``K`` shares in [0, 1], what each box keeps.
        title, alt: the figure's title and its text alternative (the lesson's words).
        width: the column's width in CSS px; the height follows the photo's proportions.
        text: every text this many times its page size (a projector's slide).
    """
    W, H = photo_size
    title_px, label_px = TITLE * text, LABEL * text
    inner = width - 2 * PAD
    title_lines = fonts.wrap(title, title_px, inner, "bold")
    line_h = fonts.height(title_px) * 1.1
    top = PAD + line_h * len(title_lines) + PAD
    photo_h = inner * H / W
    groups = [(kind, np.asarray(idx, dtype=np.int64), stroke) for kind, idx, stroke in
              (("best", best, BEST), ("worst", worst, WORST))]
    shown = [(kind, idx, stroke) for kind, idx, stroke in groups if len(idx)]
    label_h = fonts.height(label_px) * 1.35
    legend_h = PAD + label_h * (1 + len(shown)) + PAD
    height = top + photo_h + legend_h

    heading = Panel.pixels(0, 0, width, top, [
        Text(PAD, PAD + i * line_h, line, title_px, weight="bold", kind="title") for i, line in enumerate(title_lines)])
    marks: list = [Photo(photo, fmt, 0, 0, W, H)]
    for kind, idx, stroke in groups:  # the best first: the worst, the lesson, are drawn on top
        for k in idx:
            x, y, w, h = (float(v) for v in boxes[k])
            marks.append(Rect(x, y, w, h, stroke=stroke, kind=kind,
                              title=_("Proposal {n}: ({x}, {y}, {w}, {h}) px, keeps {share}").format(
                                  n=k + 1, x=exact(x), y=exact(y), w=exact(w), h=exact(h),
                                  share=pct(float(coverage[k])))))
    picture = Panel(PAD, top, inner, photo_h, (0.0, float(W)), (0.0, float(H)), tuple(marks))

    legend = [Text(width / 2, PAD, _(LEGEND_TITLE), label_px, anchor="middle", kind="legend")]
    sample_w = 44.0
    for row, (kind, idx, stroke) in enumerate(reversed(shown), start=1):  # the worst named first
        label = (_("the {n} worst: keep {share}") if kind == "worst" else _("the {n} best: keep {share}")).format(
            n=len(idx), share=_kept(np.asarray(coverage)[idx]))
        row_w = sample_w + 8 + fonts.width(label, label_px)
        x0, y_mid = (width - row_w) / 2, PAD + row * label_h + fonts.height(label_px) / 2
        legend.append(Line(((x0, y_mid), (x0 + sample_w, y_mid)), stroke, kind=kind))
        legend.append(Text(x0 + sample_w + 8, y_mid, label, label_px, baseline="middle", kind="legend"))
    key = Panel.pixels(0, top + photo_h, width, legend_h, legend)
    return Drawing(width, height, (heading, picture, key), alt)


# ------------------------------------------------------------------------------------------ many on the photo
# Past this many boxes a hover title on each would make the page's SVG heavy (thousands of boxes on one photo):
# the outlines are drawn alone, the figure says so, and the table of every proposal names them.
NAMED_MOST = 300
SCALE_NAME = N_("share of the box that reaches the output")  # stored, drawn with _()


def _share_scale(s: Sheet) -> None:
    """The colour of a share, 0 % (dark) to 100 % (light), named above and numbered below, across the sheet."""
    t = s.text
    s.marks.append(Text(s.width / 2, s.y, _(SCALE_NAME), t, anchor="middle", colour="#333333", kind="scale name"))
    s.y += fonts.height(t) + 4
    half = fonts.width("100 %", t) / 2
    x0, x1 = PAD + half, s.width - PAD - half
    steps = 24
    s.marks += [Rect(x0 + k * (x1 - x0) / steps, s.y, (x1 - x0) / steps + 0.3, 12.0,
                     fill=scale.colour(look.COVERAGE_SCALE, (k + 0.5) / steps, 0.0, 1.0), kind="scale")
                for k in range(steps)]
    s.y += 12.0
    for v in (0.0, 0.25, 0.5, 0.75, 1.0):
        px = x0 + v * (x1 - x0)
        s.marks.append(Line(((px, s.y), (px, s.y + 4)), TICK, kind="tick"))
        s.marks.append(Text(px, s.y + 5, f"{int(v * 100)} %", t, anchor="middle", kind="scale"))
    s.y += 5 + fonts.height(t) + PAD


def describe_on_photo(photo: bytes, fmt: str, photo_size: tuple[int, int], boxes: np.ndarray, coverage: np.ndarray,
                      shown: Sequence[int], *, title: str, alt: str, width: float = 560.0,
                      text: float = 13.0) -> Drawing:
    """The photo with the proposals ``shown`` (indices into ``boxes``, ``K x 4`` ``(x, y, w, h)`` photo pixels),
    each outlined in the colour of its share (``coverage``: ``K`` shares in [0, 1]) on a viridis scale.

    The worst are drawn last, on top: they are the lesson. Up to :data:`NAMED_MOST` boxes answer a hover with
    their number, box and share; past that the outlines are drawn alone and a note says how many there are.
    ``photo`` is encoded (``fmt`` "PNG" or "JPEG"), ``photo_size`` its ``(W, H)``; the photo fills the width.
    """
    W, H = photo_size
    cov = np.asarray(coverage, dtype=float)
    idx = np.asarray(shown, dtype=np.int64)
    idx = idx[np.argsort(-cov[idx], kind="stable")]
    named = len(idx) <= NAMED_MOST
    s = Sheet(width, text)
    s.title(title)
    marks: list = [Photo(photo, fmt, 0, 0, W, H)]
    for k in idx:
        x, y, w, h = (float(v) for v in boxes[k])
        colour = scale.colour(look.COVERAGE_SCALE, float(cov[k]), 0.0, 1.0)
        marks.append(Rect(x, y, w, h, stroke=Stroke(colour, 1.5), kind="proposal",
                          title=_("Proposal {n}: ({x}, {y}, {w}, {h}) px, keeps {share}").format(
                              n=int(k) + 1, x=exact(x), y=exact(y), w=exact(w), h=exact(h), share=pct(float(cov[k])))
                          if named else ""))
    photo_h = s.inner * H / W
    s.panels.append(Panel(PAD, s.y, s.inner, photo_h, (0.0, float(W)), (0.0, float(H)), tuple(marks)))
    s.y += photo_h + PAD
    n = len(idx)
    # One whole sentence per case, so that a translation says each its own way.
    note = (ngettext("{n} box drawn, each outlined in the colour of the share it keeps; a hover over a box names it.",
                     "{n} boxes drawn, each outlined in the colour of the share it keeps; a hover over a box names it.",
                     n) if named else
            ngettext("{n} box drawn, each outlined in the colour of the share it keeps: too many to name each on a "
                     "hover (more than {most}); the table of every proposal (CSV) gives them.",
                     "{n} boxes drawn, each outlined in the colour of the share it keeps: too many to name each on a "
                     "hover (more than {most}); the table of every proposal (CSV) gives them.", n))
    s.note(note.format(n=f"{n:,}", most=NAMED_MOST))
    _share_scale(s)
    return s.done(alt)


# ------------------------------------------------------------------------------------------ the distribution
EDGES = np.linspace(0.0, 100.0, 21)  # 5 % bins: what share of its area a box keeps, in per cent
X_NAME = N_("share of the box that can reach the output (%); dashed: median")  # stored, drawn with _()


def _boxes(n: int) -> str:
    return ngettext("{n} box", "{n} boxes", n).format(n=f"{n:,}")


def describe_distribution(coverage: Mapping[str, np.ndarray], *, alt: str, width: float = 560.0,
                          text: float = 13.0) -> Drawing:
    """One histogram per panel of methods (``coverage``: panel label -> ``K`` shares in [0, 1]), stacked on the
    same axes: how many proposals keep what share of their area, in 5 % bins, the median dashed.

    Each bar answers a hover with its panel, its bin and its count; the x axis (per cent) is numbered under the
    last panel only, as the axes are shared.
    """
    s = Sheet(width, text)
    t = text
    counts = {label: np.histogram(np.asarray(cov, dtype=float) * 100, bins=EDGES)[0] for label, cov in coverage.items()}
    top = max((int(c.max()) for c in counts.values()), default=0)
    top = max(top, 1)
    ymax = top * 1.06
    # The panels keep their height as the type grows (a projector's): only the words grow, so the whole stays
    # short enough for a screen. Numbers on the y axis at least 1.4 lines apart.
    h = max(3 * fonts.height(t), 0.2 * width)
    most = max(3, min(5, int(h // (fonts.height(t) * 1.5)) + 1))
    yt = [v for v in nice_ticks(0.0, float(top), most)[0] if v <= top]
    ylabels = [f"{int(round(v)):,}" for v in yt]
    left = PAD + max(fonts.width(v, t) for v in ylabels) + 8
    plot_w = width - left - PAD - fonts.width("100", t) / 2
    xt = ticks(0.0, 100.0, plot_w, fonts.width("100", t) + 10, most=6)
    items = list(coverage.items())
    for n_panel, (label, cov) in enumerate(items):
        cov = np.asarray(cov, dtype=float) * 100
        s.title(_("{label}: median {median}").format(label=label, median=pct(float(np.median(cov)) / 100))
                if len(cov) else label)
        if n_panel == 0:  # the axes are shared: the y axis is named once
            s.marks.append(Text(left, s.y, _("boxes"), t, colour="#333333", kind="axis name"))
            s.y += fonts.height(t) + 4
        else:  # the top number reaches half a line above its panel
            s.y += fonts.height(t) / 2
        marks: list = bars(EDGES, counts[label], lambda lo, hi, n, label=label:
                           _("{label}: {lo} % to {hi} %: {boxes}").format(label=label, lo=num(lo), hi=num(hi),
                                                                         boxes=_boxes(n)))
        marks.append(Line(((50.0, 0.0), (50.0, ymax)), look.HALF_STROKE, kind="half"))
        if len(cov):
            med = float(np.median(cov))
            marks.append(Line(((med, 0.0), (med, ymax)), look.MEDIAN_STROKE, kind="median"))
        marks.append(Line(((0.0, ymax), (0.0, 0.0), (100.0, 0.0)), TICK, kind="axis"))
        panel = Panel(left, s.y, plot_w, h, (0.0, 100.0), (ymax, 0.0), tuple(marks), clip=False)
        s.panels.append(panel)
        for v, words in zip(yt, ylabels):
            __, py = panel.to_px(0.0, v)
            s.marks.append(Line(((left - 4, py), (left, py)), TICK, kind="tick"))
            # The bottom number is lifted clear of the x axis's first number, which sits under the same corner.
            ty = min(py, s.y + h + 4.5 - fonts.height(t) / 2)
            s.marks.append(Text(left - 6, ty, words, t, anchor="end", baseline="middle", kind="tick"))
        s.y += h
        if n_panel < len(items) - 1:  # the bottom number reaches half a line below its panel
            s.y += fonts.height(t) / 2 + PAD
    for v in xt:
        px, __ = s.panels[-1].to_px(v, 0.0)
        s.marks.append(Line(((px, s.y), (px, s.y + 4)), TICK, kind="tick"))
        s.marks.append(Text(px, s.y + 5, str(int(v)), t, anchor="middle", kind="tick"))
    s.y += 5 + fonts.height(t) + 4
    rows = fonts.wrap(_(X_NAME), t, s.inner)
    s.marks += lines(width / 2, s.y, rows, t, "middle", colour="#333333", kind="axis name")
    s.y += fonts.height(t) * (1.15 * (len(rows) - 1) + 1) + PAD
    return s.done(alt)


# ------------------------------------------------------------------------------------------ against size
# Stored English, marked for the catalog and translated where drawn.
SIZE_TITLE = N_("Coverage against size: the small ones lose most")
HAS_VALUES, ALL_ZERO = N_("output has values"), N_("all bins empty: output all 0")
# A marker's hover title costs about 100 bytes of the page's SVG: up to this many (selective search's fast mode
# proposes about 2,000) each answers a hover; past it, none does and the figure says so.
POINTS_NAMED_MOST = 2500


def _log_ticks(lo: float, hi: float, px, t: float) -> list[float]:
    """Round sides (1, 2, 5 times a power of ten, then fewer) between ``10**lo`` and ``10**hi`` cells whose
    numbers, ``t`` px, keep 10 px apart where ``px(log10 v)`` puts them."""
    decades = range(math.floor(lo) - 1, math.ceil(hi) + 1)
    for mults, every in (((1, 2, 5), 1), ((1, 3), 1), ((1,), 1), ((1,), 2), ((1,), 3)):
        vals = [m * 10.0 ** d for d in decades if d % every == 0 for m in mults]
        vals = [v for v in vals if lo - 1e-9 <= math.log10(v) <= hi + 1e-9]
        pos = [px(math.log10(v)) for v in vals]
        widths = [fonts.width(num(v, 3), t) for v in vals]
        if all(b - a >= (wa + wb) / 2 + 10 for a, b, wa, wb in zip(pos, pos[1:], widths, widths[1:])):
            return vals
    return vals[:1]


def describe_by_size(short_side: np.ndarray, coverage: np.ndarray, all_empty: np.ndarray, output_side: int, *,
                     layer: str, style: tuple[str, str, str], alt: str, width: float = 560.0,
                     text: float = 13.0) -> Drawing:
    """The share each proposal keeps (``coverage``, ``K`` in [0, 1]) against its shorter side in cells of
    ``layer`` (``short_side``, ``K``; a log axis), one marker per box.

    ``style``: the record of the method measured (colour, line style, marker as Matplotlib names them): its
    marker, open, for a box whose output has values; a box whose bins are all empty (``all_empty``, ``K``) is
    a filled black marker of another shape. A dashed line marks ``output_side`` cells. Each marker answers a
    hover with the box's number, its side and its share.
    """
    s = Sheet(width, text)
    t = text
    colour, __, marker = style
    shape = SHAPES.get(marker, "circle")
    other = next(v for v in ("diamond", "square", "circle", "triangle") if v != shape)
    side = np.maximum(np.asarray(short_side, dtype=float), 1e-3)  # a log axis: a zero side sits at its left end
    cov = np.asarray(coverage, dtype=float) * 100
    empty = np.asarray(all_empty, dtype=bool)
    s.title(_(SIZE_TITLE))
    entries = [Entry(_(HAS_VALUES), swatch=shape, stroke=Stroke(colour, 1.2))]
    if empty.any():
        entries.append(Entry(_(ALL_ZERO), swatch=other, fill=look.ALL_EMPTY, stroke=Stroke(look.ALL_EMPTY, 0.8)))
    s.legend(entries)

    lx = np.log10(side)
    lp = math.log10(max(output_side, 1))
    lo, hi = min(float(lx.min(initial=lp)), lp), max(float(lx.max(initial=lp)), lp)
    if hi - lo < 1.0:  # at least a decade, so the axis has round numbers at both ends
        mid = (hi + lo) / 2
        lo, hi = mid - 0.5, mid + 0.5
    ylo, yhi = -3.0, 110.0
    yt = [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
    left = PAD + max(fonts.width(str(int(v)), t) for v in yt) + 8
    plot_w = width - left - PAD - fonts.width("0.001", t) / 2
    h = max(0.45 * width, 7 * fonts.height(t))
    pad = (hi - lo) * 8 / plot_w  # px inside the frame kept for the markers at its ends
    x0, x1 = lo - pad, hi + pad

    # The y axis's name, then the output side's words above where its line meets the panel.
    s.marks.append(Text(PAD, s.y, _("reaches the output (%)"), t, colour="#333333", kind="axis name"))
    s.y += fonts.height(t) + 4
    words = ngettext("{n} cell", "{n} cells", output_side).format(n=output_side)
    line_px = left + (lp - x0) / (x1 - x0) * plot_w
    ww = fonts.width(words, t)
    wx, anchor = (line_px + 3, "start") if line_px + 3 + ww <= width - PAD else (line_px - 3, "end")
    s.marks.append(Text(wx, s.y, words, t, anchor=anchor, kind="output side"))
    s.y += fonts.height(t) + 2

    named = len(cov) <= POINTS_NAMED_MOST

    def title(k: int, empty_: bool = False) -> str:
        """A marker's hover: one whole sentence for a box with values, another for one whose bins are all empty."""
        if not named:
            return ""
        said = dict(n=k + 1, side=num(side[k]), keeps=pct(cov[k] / 100))
        if empty_:
            return _("Proposal {n}: shorter side {side} cells, keeps {keeps}; all its bins are empty: it outputs 0"
                     ).format(**said)
        return _("Proposal {n}: shorter side {side} cells, keeps {keeps}").format(**said)

    marks: list = [Rect(x0, ylo, x1 - x0, yhi - ylo, fill="#ffffff", stroke=TICK, kind="frame")]
    marks.append(Line(((lp, ylo), (lp, yhi)), look.SIZE_LINE, kind="output side"))
    for k in np.flatnonzero(~empty):  # the boxes with values first, the all-zero ones over them
        marks.append(Point(float(lx[k]), float(cov[k]), shape, 6.0, None, Stroke(colour, 1.0), kind="proposal",
                           title=title(int(k))))
    for k in np.flatnonzero(empty):
        marks.append(Point(float(lx[k]), float(cov[k]), other, 7.0, look.ALL_EMPTY, Stroke(look.ALL_EMPTY, 0.8),
                           kind="all empty", title=title(int(k), True)))
    panel = Panel(left, s.y, plot_w, h, (x0, x1), (yhi, ylo), tuple(marks))
    s.panels.append(panel)
    for v in yt:
        __, py = panel.to_px(x0, v)
        s.marks.append(Line(((left - 4, py), (left, py)), TICK, kind="tick"))
        s.marks.append(Text(left - 6, py, str(int(v)), t, anchor="end", baseline="middle", kind="tick"))
    s.y += h
    for v in _log_ticks(x0, x1, lambda u: panel.to_px(u, ylo)[0], t):
        px, __ = panel.to_px(math.log10(v), ylo)
        s.marks.append(Line(((px, s.y), (px, s.y + 4)), TICK, kind="tick"))
        s.marks.append(Text(px, s.y + 5, num(v, 3), t, anchor="middle", kind="tick"))
    s.y += 5 + fonts.height(t) + 4
    rows = fonts.wrap(_("shorter side of the box, in cells of {layer} (log scale)").format(layer=layer), t, s.inner)
    s.marks += lines(width / 2, s.y, rows, t, "middle", colour="#333333", kind="axis name")
    s.y += fonts.height(t) * (1.15 * (len(rows) - 1) + 1) + PAD
    if not named:
        s.note(_("{n} boxes: too many to name each on a hover (more than {most}); the table of every proposal "
                 "(CSV) gives them.").format(n=f"{len(cov):,}", most=f"{POINTS_NAMED_MOST:,}"))
    return s.done(alt)


# ------------------------------------------------------------------------------------------ on the pyramid
PYRAMID_FILLS = (  # per column: the bar's fill and edge. Boxes: the histograms' grey; what reaches the output: the
    # light grey the steps give it; all zeros: black, as the scatter marks them; under a cell: dark grey.
    (look.HIST_BAR, look.HIST_BAR_EDGE), (look.COVERED[0], Stroke("#333333", 0.8)),
    (look.ALL_EMPTY, Stroke(look.ALL_EMPTY, 0.8)), (look.BAR, Stroke(look.BAR, 0.8)))
TRACK = Stroke("#9a9a9a", 0.8)  # the frame of a bar's 100 %


def describe_pyramid(pl, *, alt: str, width: float = 560.0, text: float = 13.0) -> Drawing:
    """The proposals on a P2..P5 pyramid beside VGG16's pool5 and conv5_3 (``pl``: a
    :class:`roi_viz.study.proposals.PyramidLoss`), as a table of bars.

    One row per group of :func:`roi_viz.lesson.proposals.pyramid_rows` (P2..P5, the whole pyramid, pool5,
    conv5_3), one column per number of :data:`roi_viz.lesson.proposals.COLUMNS`: how many boxes (out of all),
    the mean share of a box that reaches the output, the share of boxes whose output is all zeros, the share
    whose shorter side is under one cell of their stride. Each bar fills its frame as far as its number, which
    is printed over it (a white halo keeps it legible on any fill); each answers a hover with its row and number,
    the share-kept bars also with what is lost to snapping and what falls in no bin. A table keeps the figure
    short enough for a projector's screen at 18 px; the row names wrap where a phone's column is narrow.
    """
    s = Sheet(width, text)
    t = text
    s.title(words.pyramid_title(pl))
    rows = words.pyramid_rows(pl)
    value_w = max(fonts.width(v, t, "bold") for v in ("100.0 %", _("no box"), f"{pl.count:,}"))
    col_need = value_w + 12
    ncol = len(words.COLUMNS)
    label_room = s.inner - 8 - ncol * col_need
    labels = {r.name: fonts.wrap(words.row_label(r), t, label_room) for r in rows}
    label_w = max(fonts.width(line, t) for rs in labels.values() for line in rs)
    x0 = PAD + label_w + 8
    col_w = (width - PAD - x0) / ncol
    line_h = fonts.height(t)
    bar_h = line_h * 1.25

    # The columns' names, wrapped to their width, bottom-aligned over their bars.
    heads = [fonts.wrap(_(c), t, col_w - 6) for c in words.COLUMNS]  # stored English, shown translated
    head_h = max(block(h, t) for h in heads)
    for k, h in enumerate(heads):
        cx = x0 + (k + 0.5) * col_w
        s.marks += lines(cx, s.y + head_h - block(h, t), h, t, "middle", colour="#333333", kind="column name")
    s.y += head_h + 6

    def bar(k: int, mid: float, share: float, words_: str, hover: str) -> None:
        bx, bw = x0 + k * col_w + 3, col_w - 6
        fill, edge = PYRAMID_FILLS[k]
        # The frame answers the hover too: a share of 0 has no bar, and its row's numbers are still asked for.
        s.marks.append(Rect(bx, mid - bar_h / 2, bw, bar_h, fill="#ffffff", stroke=TRACK, kind="frame", title=hover))
        if share > 0:
            s.marks.append(Rect(bx, mid - bar_h / 2, bw * share, bar_h, fill=fill, stroke=edge, kind="bar",
                                title=hover))
        s.marks.append(Text(bx + bw / 2, mid, words_, t, weight="bold", anchor="middle", baseline="middle",
                            halo="#ffffff", kind="share value"))

    total = max(pl.count, 1)
    for r in rows:
        if r.name in ("pyramid", VGG_CUTS[0][0]):  # the whole pyramid and VGG16's cuts stand apart from the levels
            s.y += line_h * 0.5
        name = words.row_label(r)
        row_h = max(block(labels[r.name], t), bar_h) + 6
        mid = s.y + row_h / 2
        s.marks += lines(x0 - 8, mid - block(labels[r.name], t) / 2, labels[r.name], t, "end", kind="row label")
        bar(0, mid, r.count / total, f"{r.count:,}", _("{row}: {boxes} of {total}").format(
            row=name, boxes=words.boxes_count(r.count), total=f"{pl.count:,}"))
        if r.count == 0:  # a share of no box is no number
            for k in range(1, ncol):
                bar(k, mid, 0.0, _("no box"), "")
        else:
            bar(1, mid, r.kept, pct(r.kept), words.kept_title(r))
            bar(2, mid, r.all_empty, pct(r.all_empty),
                _("{row}, {boxes}: {share} give all zeros").format(row=name, boxes=words.boxes_count(r.count),
                                                                   share=pct(r.all_empty)))
            bar(3, mid, r.under_cell, pct(r.under_cell),
                _("{row}, {boxes}: {share} have a shorter side under one cell").format(
                    row=name, boxes=words.boxes_count(r.count), share=pct(r.under_cell)))
        s.y += row_h
    s.y += PAD
    s.note(_(words.PYRAMID_NOTE))
    return s.done(alt)
