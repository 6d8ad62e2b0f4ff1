"""What one cell sees, on the photo, described once (page: SVG; files: Matplotlib).

- :func:`describe_cell_field`: one cell's ``stride x stride`` patch (what the grid suggests) against its
  theoretical field (what it depends on), which often reaches past the image into the zero padding;
- :func:`describe_roi_field`: an RoI, the cells its pooled output reads, and the union of their fields:
  how far outside the RoI the output really looks;
- :func:`describe_effective`: the effective field (the input gradient of the cell) as a heat map over the
  faded photo, with the field and the patch on top, and its colour scale.

Plain data in: the model-input photo already encoded (:func:`photo_jpeg`, or :func:`heat_photo` for the
effective field: encoded once, however many sizes the figure is described at), a field (anything with
``size``, ``stride``, ``offset``, ``layer``, ``span(r, c)``, ``patch(r, c)`` and ``block_span(cells)``, as
:class:`roi_viz.study.receptive.Field` has) and numbers. Charts are in input pixels, x to the right, y down, a pixel
``(x, y)`` covering ``[x, x+1) x [y, y+1)``; pixel spans are ``(x0, y0, x1, y1)``, half-open and unclipped; cell
spans ``(row0, row1, col0, col1)``. The view is widened past the image when a field is, and the area outside the
image is hatched grey: the network sees zeros there. Every word is looked up in the catalog as the figure is
described (:mod:`roi_viz.language`). No painting library is imported here.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field as dc_field

import numpy as np
from PIL import Image

from ..language import N_, _
from ..lesson.numbers import exact, pct
from ..picture import fonts, scale
from ..picture.spec import Drawing, Line, Photo, Rect, Text
from . import look
from .frame import PAD, SWATCH_GAP, SWATCH_W, Entry, Sheet, block, lines

WIDTH, TEXT = 560.0, 13.0
XNAME, YNAME = N_("x (pixels of the model input)"), N_("y (pixels)")  # translated where drawn
HEAT = "inferno"
QUALITY = 90


# ------------------------------------------------------------------------ photos, encoded once
def photo_jpeg(image: Image.Image) -> bytes:
    """The model-input photo as a JPEG (a photograph: ten times faster to encode than a PNG, and smaller)."""
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="JPEG", quality=QUALITY)
    return buf.getvalue()


@dataclass(frozen=True)
class HeatPhoto:
    """The effective field painted over the faded photo, cropped to ``box`` ``(x0, y0, x1, y1)`` (input px).

    ``peak``: the largest ``|gradient|`` (0: the cell depends on no pixel, the scale has one end).
    """

    data: bytes = dc_field(repr=False)
    fmt: str
    box: tuple[int, int, int, int]
    peak: float


def zoom(field, cell: tuple[int, int]) -> tuple[int, int, int, int]:
    """The effective field's view: the cell's field and one stride round it (the gradient is zero further out)."""
    x0, y0, x1, y1 = field.span(*cell)
    return x0 - field.stride, y0 - field.stride, x1 + field.stride, y1 + field.stride


def heat_photo(image: Image.Image, erf: np.ndarray, field, cell: tuple[int, int]) -> HeatPhoto:
    """The photo in faded grey with ``erf`` (``H x W``, the input gradient's size per pixel) laid over it on a
    square-root scale (the gradient is peaked: on a linear scale only its centre would show); where the gradient
    is zero the photo shows through. Cropped to the part of the image the chart shows (:func:`zoom`)."""
    erf = np.abs(np.asarray(erf, dtype=np.float64))
    H, W = erf.shape
    vx0, vy0, vx1, vy1 = _view((W, H), [], view=zoom(field, cell))  # all the chart shows, its margin too
    x0, y0 = max(int(np.floor(vx0)), 0), max(int(np.floor(vy0)), 0)
    x1, y1 = min(int(np.ceil(vx1)), W), min(int(np.ceil(vy1)), H)
    if x1 <= x0 or y1 <= y0:  # the view holds no pixel of the image: a one-pixel stand-in, never shown
        x0, y0, x1, y1 = 0, 0, 1, 1
    grey = 255 - 0.45 * (255 - np.asarray(image.convert("L"), dtype=np.float64)[y0:y1, x0:x1])
    peak = float(erf.max())
    t = np.sqrt(np.clip(erf[y0:y1, x0:x1] / peak, 0, 1)) if peak > 0 else np.zeros((y1 - y0, x1 - x0))
    stops = np.array([scale.rgb(c) for c in scale.SCALES[HEAT]])
    pos = t * (len(stops) - 1)
    k = np.minimum(pos.astype(int), len(stops) - 2)
    frac = (pos - k)[..., None]
    colour = stops[k] + frac * (stops[k + 1] - stops[k])
    alpha = np.clip(1.6 * t, 0, 1)[..., None]
    rgb = grey[..., None] * (1 - alpha) + colour * alpha
    buf = io.BytesIO()
    Image.fromarray(np.clip(np.round(rgb), 0, 255).astype(np.uint8), "RGB").save(buf, format="JPEG", quality=QUALITY)
    return HeatPhoto(buf.getvalue(), "JPEG", (x0, y0, x1, y1), peak)


# ------------------------------------------------------------------------ helpers
def _box(span) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = span
    return float(x0), float(y0), float(x1 - x0), float(y1 - y0)


def _view(size, spans, view=None) -> tuple[float, float, float, float]:
    """The chart's limits ``(x0, y0, x1, y1)``: the image widened to every span (or ``view``), and a margin."""
    W, H = size
    if view is None:
        view = (min([0] + [s[0] for s in spans]), min([0] + [s[1] for s in spans]),
                max([W] + [s[2] for s in spans]), max([H] + [s[3] for s in spans]))
    x0, y0, x1, y1 = view
    margin = 0.02 * max(x1 - x0, y1 - y0)
    return x0 - margin, y0 - margin, x1 + margin, y1 + margin


def _under(size, view, photo: Photo, grid: int | None) -> list:
    """The padding (hatched, where the view passes the image), the photo, its edge and the stride's grid."""
    W, H = size
    x0, y0, x1, y1 = view
    marks: list = []
    if x0 < 0 or y0 < 0 or x1 > W or y1 > H:
        marks.append(Rect(x0, y0, x1 - x0, y1 - y0, kind="padding", **look.fill(look.PADDING)))
    marks.append(photo)
    if grid:  # the squares the feature grid suggests
        marks += [Line(((float(x), 0.0), (float(x), float(H))), look.CELL_ON_DARK, kind="grid")
                  for x in range(0, W + 1, grid)]
        marks += [Line(((0.0, float(y)), (float(W), float(y))), look.CELL_ON_DARK, kind="grid")
                  for y in range(0, H + 1, grid)]
    marks.append(Rect(0.0, 0.0, float(W), float(H), stroke=look.PHOTO_EDGE, kind="image"))
    return marks


def _chart(s: Sheet, view, marks) -> None:
    x0, y0, x1, y1 = view
    s.chart((x0, x1), (y0, y1), marks, xname=_(XNAME), yname=_(YNAME))


def _legend(s: Sheet, entries: list[Entry]) -> None:
    """One entry a row, each label whole: wrapped under itself where the column is too narrow for it."""
    t = s.text
    room = s.inner - SWATCH_W - SWATCH_GAP
    row_h = max(fonts.height(t), 16.0) + 6
    for e in entries:
        rows = fonts.wrap(e.label, t, room)
        mid = s.y + row_h / 2 - 3
        s.marks += Sheet._swatch(e, PAD, mid)
        s.marks += lines(PAD + SWATCH_W + SWATCH_GAP, mid - fonts.height(t) / 2, rows, t, kind="legend")
        s.y += max(row_h, block(rows, t) + 6)
    s.y += PAD


def outside_words(span, W: int, H: int) -> str:
    """``"90 px left, 90 px top"``: how far a field reaches past the image, or ``""``."""
    left, top, right, bottom = max(-span[0], 0), max(-span[1], 0), max(span[2] - W, 0), max(span[3] - H, 0)
    sides = ((left, N_("{v} px left")), (top, N_("{v} px top")), (right, N_("{v} px right")),
             (bottom, N_("{v} px bottom")))
    return _(", ").join(_(words).format(v=v) for v, words in sides if v)


def reach_words(roi, union) -> str:
    """``"reaching past the RoI by 98 px left, 90 px up, ..."``; a side where the union stops inside the RoI says so."""
    x, y, w, h = roi
    sides = ((N_("{v} px left"), x - union[0]), (N_("{v} px up"), y - union[1]),
             (N_("{v} px right"), union[2] - (x + w)), (N_("{v} px down"), union[3] - (y + h)))
    past = _(", ").join(_(side).format(v=exact(v)) for side, v in sides if v > 0)
    short = _(", ").join(_(side).format(v=exact(-v)) for side, v in sides if v < 0)
    if short:
        words = (_("reaching past the RoI by {past}; short of it by {short}") if past else
                 _("reaching past the RoI by nothing; short of it by {short}"))
    else:
        words = _("reaching past the RoI by {past}") if past else _("reaching past the RoI by nothing")
    return words.format(past=past, short=short)


# ------------------------------------------------------------------------ figures
def cell_title(field, cell: tuple[int, int]) -> str:
    r, c = cell
    return _("{layer}, cell (row {r}, col {c}): {stride} px patch, {size} px field").format(
        layer=field.layer, r=r, c=c, stride=field.stride, size=field.size)


def describe_cell_field(photo: bytes, size: tuple[int, int], field, cell: tuple[int, int], *, width: float = WIDTH,
                        text: float = TEXT, alt: str | None = None) -> Drawing:
    """One cell: the patch it stands for on the grid, and the field it really depends on.

    ``photo``: the model input encoded as JPEG (:func:`photo_jpeg`), ``size`` its ``(W, H)`` in pixels.
    """
    W, H = size
    r, c = cell
    patch, span = field.patch(r, c), field.span(r, c)
    view = _view(size, [span])
    s = field.stride
    marks = _under(size, view, Photo(photo, "JPEG", 0.0, 0.0, float(W), float(H)), s)
    marks += [Rect(*_box(span), stroke=look.FIELD_STROKE, kind="field",
                   title=_("its field: columns [{x0}, {x1}), rows [{y0}, {y1})").format(
                       x0=span[0], x1=span[2], y0=span[1], y1=span[3])),
              Rect(*_box(patch), stroke=look.PATCH_STROKE, kind="patch",
                   title=_("its patch: columns [{x0}, {x1}), rows [{y0}, {y1})").format(
                       x0=patch[0], x1=patch[2], y0=patch[1], y1=patch[3]))]
    out = outside_words(span, W, H)
    entries = [Entry(_("the cell's patch on the grid: {s}×{s} px (the stride)").format(s=s), swatch="line",
                     stroke=look.PATCH_STROKE),
               Entry(_("what the cell depends on: its {n}×{n} px field").format(n=field.size), swatch="line",
                     stroke=look.FIELD_STROKE)]
    if out:
        entries.append(Entry.area(_("outside the image ({out}): the network sees zeros").format(out=out),
                                  look.PADDING))
    sheet = Sheet(width, text)
    heading = cell_title(field, cell)
    sheet.title(heading)
    _chart(sheet, view, marks)
    _legend(sheet, entries)
    told = _("{heading}. Its field reaches past the image: {out}.") if out else _("{heading}.")
    return sheet.done(alt or told.format(heading=heading, out=out))


def roi_title(cells, number: int | None = None) -> str:
    if number is None:
        return _("The RoI: its pooled output reads no cell at all") if cells is None else \
            _("The RoI: what its pooled output really sees")
    return (_("RoI {n}: its pooled output reads no cell at all") if cells is None else
            _("RoI {n}: what its pooled output really sees")).format(n=number)


def describe_roi_field(photo: bytes, size: tuple[int, int], field, roi, cells, number: int | None = None, *,
                       width: float = WIDTH, text: float = TEXT, alt: str | None = None) -> Drawing:
    """An RoI ``(x, y, w, h)`` (input px), the cells its pooled output reads (``cells``: ``(r0, r1, c0, c1)``,
    half-open, or ``None``) and the union of their fields."""
    W, H = size
    st = field.stride
    union = field.block_span(cells) if cells is not None else None
    view = _view(size, [union] if union else [])
    x, y, w, h = roi
    marks = _under(size, view, Photo(photo, "JPEG", 0.0, 0.0, float(W), float(H)), None)
    entries = []
    if union is not None:
        r0, r1, c0, c1 = cells
        read = (st * c0, st * r0, st * c1, st * r1)
        uw, uh = union[2] - union[0], union[3] - union[1]
        marks += [Rect(*_box(union), stroke=look.UNION_STROKE, kind="union",
                       title=_("what they see: columns [{x0}, {x1}), rows [{y0}, {y1})").format(
                           x0=union[0], x1=union[2], y0=union[1], y1=union[3])),
                  Rect(*_box(read), stroke=look.READ_STROKE, kind="read",
                       title=_("the cells read: rows {r0} to {r1}, columns {c0} to {c1}").format(
                           r0=r0, r1=r1 - 1, c0=c0, c1=c1 - 1))]
        entries += [Entry(_("the {rows} rows × {cols} columns of cells its pooled output reads").format(
                              rows=r1 - r0, cols=c1 - c0), swatch="line", stroke=look.READ_STROKE),
                    Entry(_("what they see: {w}×{h} px, {reach}").format(w=uw, h=uh, reach=reach_words(roi, union)),
                          swatch="line", stroke=look.UNION_STROKE)]
    box_words = (_("RoI {n} ({x}, {y}), {w}×{h} px") if number is not None else
                 _("The RoI ({x}, {y}), {w}×{h} px")).format(n=number, x=exact(x), y=exact(y), w=exact(w), h=exact(h))
    marks.append(Rect(float(x), float(y), float(w), float(h), stroke=look.ROI_STROKE, kind="roi", title=box_words))
    entries.insert(0, Entry(box_words, swatch="line", stroke=look.ROI_STROKE))
    if union is not None and outside_words(union, W, H):
        entries.append(Entry.area(_("outside the image: zeros"), look.PADDING))
    sheet = Sheet(width, text)
    heading = roi_title(cells, number)
    sheet.title(heading)
    _chart(sheet, view, marks)
    _legend(sheet, entries)
    return sheet.done(alt or _("{heading}. {legend}.").format(heading=heading,
                                                              legend=" ".join(e.label for e in entries)))


def effective_title(field, cell: tuple[int, int]) -> str:
    r, c = cell
    return _("What {layer} cell ({r}, {c}) really uses").format(layer=field.layer, r=r, c=c)


def describe_effective(heat: HeatPhoto, size: tuple[int, int], field, cell: tuple[int, int], in_patch: float, *,
                       width: float = WIDTH, text: float = TEXT, alt: str | None = None) -> Drawing:
    """The effective field (:func:`heat_photo`) zoomed on the cell's field, the field and the patch on top;
    ``in_patch``: the share of the gradient inside the patch (:func:`roi_viz.study.receptive.field_shares`)."""
    r, c = cell
    patch, span = field.patch(r, c), field.span(r, c)
    view = _view(size, [span], view=zoom(field, cell))
    bx0, by0, bx1, by1 = heat.box
    photo = Photo(heat.data, heat.fmt, float(bx0), float(by0), float(bx1 - bx0), float(by1 - by0))
    marks = _under(size, view, photo, None)
    marks += [Rect(*_box(span), stroke=look.FIELD_STROKE, kind="field",
                   title=_("its field: columns [{x0}, {x1}), rows [{y0}, {y1})").format(
                       x0=span[0], x1=span[2], y0=span[1], y1=span[3])),
              Rect(*_box(patch), stroke=look.PATCH_STROKE, kind="patch",
                   title=_("its patch: {share} of the gradient").format(share=pct(in_patch)))]
    sheet = Sheet(width, text)
    heading = effective_title(field, cell)
    sheet.title(heading)
    _chart(sheet, view, marks)
    _heat_scale(sheet, heat.peak)
    _legend(sheet, [Entry(_("its {s}×{s} px patch: {share} of the gradient").format(s=field.stride,
                                                                                    share=pct(in_patch)),
                          swatch="line", stroke=look.PATCH_STROKE),
                    Entry(_("its {n}×{n} px field: all of it (zero outside)").format(n=field.size), swatch="line",
                          stroke=look.FIELD_STROKE)])
    return sheet.done(alt or _("{heading}: {share} of the gradient inside its {s}-pixel square.").format(
        heading=heading, share=pct(in_patch), s=field.stride))


def _heat_scale(s: Sheet, peak: float) -> None:
    """The heat map's colour scale, left to right: 0, a quarter of the peak (half-way on a square-root scale), and
    the peak; only 0 when the cell depends on no pixel."""
    t = s.text
    s.note(_("|gradient| (square-root scale):"), colour="#000000", kind="scale name")
    n = 24
    strip_h = 12.0
    s.marks += [Rect(PAD + k * s.inner / n, s.y, s.inner / n + 0.3, strip_h,
                     fill=scale.colour(HEAT, k / (n - 1), 0.0, 1.0), kind="scale") for k in range(n)]
    s.y += strip_h + 3
    marks = [(0.0, "0", "start")] + ([(0.5, _("¼ max"), "middle"), (1.0, _("max"), "end")] if peak > 0 else [])
    for at, words, anchor in marks:
        x = PAD + at * s.inner
        s.marks.append(Text(x, s.y, words, t, anchor=anchor, kind="scale"))
    s.y += fonts.height(t) + PAD
