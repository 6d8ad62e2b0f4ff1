"""The steps of the walkthrough, each described once (page: SVG; files: Matplotlib).

Every function takes a :class:`~roi_viz.state.scene.Scene` and returns a
:class:`~roi_viz.picture.spec.Drawing` ``width`` px wide whose smallest text is ``text``
px (13 px: still 12 px when a 560-px drawing is shown in the 528-px lesson column of a
1366 x 768 laptop). Map figures are in cells: cell ``(r, c)`` covers
``[c, c+1) x [r, r+1)``, x counts columns, y rows, row 0 on top, as
:mod:`roi_viz.ops.geometry` counts them. The look (which colour and hatch means
lost, gained, dropped) is :mod:`roi_viz.figures.look`'s; the layout is
:mod:`roi_viz.figures.frame`'s. Every word is looked up in the catalog as the figure is described
(:mod:`roi_viz.language`). No painting library is imported here.
"""
from __future__ import annotations

import io
import threading
from collections import OrderedDict
from dataclasses import replace

import numpy as np

from ..language import N_, _, ngettext
from ..lesson.numbers import exact, pct, value as activation
from ..state.scene import Scene
from ..lesson.shown import pool_values, split_loss, window
from ..ops import geometry as g
from ..picture import fonts, scale
from ..picture.spec import Drawing, Line, Panel, Photo, Rect, Stroke, Text
from . import look
from .compare import values_fit
from .frame import PAD, Entry, Sheet, cell_count as cells, cell_lines, channel_cells, channel_name, \
    size_words as rows_by_columns

WIDTH, TEXT = 560.0, 13.0


def roi_marks(scene: Scene) -> list[Rect]:
    """The RoI as projected (dashed orange) and the quantized region (black), as every zoomed step draws them."""
    t = scene.pooled
    out = [Rect(*(float(v) for v in t.projected), stroke=look.ROI_STROKE, kind="roi")]
    if t.region_area:
        out.append(Rect(*g.box_of_span(t.region), stroke=look.REGION_STROKE, kind="region"))
    return out


def roi_entries() -> list[Entry]:
    return [Entry(_("RoI as projected"), stroke=look.ROI_STROKE, swatch="line"),
            Entry(_("quantized region"), stroke=look.REGION_STROKE, swatch="line")]


def channel_entry(scene: Scene) -> Entry:
    """The legend entry of the channel shown in light greys under a zoomed step."""
    from ..picture import scale

    ramp = tuple(scale.mix("#ffffff", scale.colour("greys", v, 0, 1), 0.35) for v in (0.15, 0.55, 0.95))
    return Entry(_("channel {k}: darker = larger").format(k=scene.channel), fills=ramp)


def describe_quantize(scene: Scene, *, width: float = WIDTH, text: float = TEXT) -> Drawing:
    """Step 3 of RoI pooling: the projected RoI, the region its corners snap to, and the area lost and gained."""
    t = scene.pooled
    win = window(scene)
    r0, r1, c0, c1 = win
    region = g.box_of_span(t.region)
    marks: list = channel_cells(scene.features[scene.channel], win, alpha=0.35, name=channel_name(scene.channel))
    marks += [Rect(*p, kind="lost", **look.fill(look.LOST)) for p in g.box_difference(t.projected, region)]
    marks += [Rect(*p, kind="gained", **look.fill(look.GAINED)) for p in g.box_difference(region, t.projected)]
    marks += cell_lines(win, look.CELL_ON_LIGHT)
    marks += roi_marks(scene)
    article = t.scheme == "article"
    s = Sheet(width, text)
    s.title(_("Quantization (rounded down)") if article else _("Quantization (corners rounded, end cell kept)"))
    s.chart((c0, c1), (r0, r1), marks)
    lost, gained = cells(t.lost_area), cells(t.gained_area)
    s.legend([Entry.area(_("lost: {n}").format(n=lost), look.LOST), channel_entry(scene),
              Entry.area(_("gained: {n}").format(n=gained), look.GAINED), *roi_entries()])
    s.badge(scene.pretrained, scene.settings.network)
    alt = (_("Quantization (rounded down): lost {lost}, gained {gained}.") if article else
           _("Quantization (corners rounded, end cell kept): lost {lost}, gained {gained}."))
    return s.done(alt.format(lost=lost, gained=gained))


# ------------------------------------------------------------------------------------ step 1: the model input
_PHOTOS: "OrderedDict[int, tuple]" = OrderedDict()  # id(image) -> (image, JPEG bytes)
_PHOTOS_KEPT = 8
_PHOTOS_LOCK = threading.Lock()  # the page's sessions describe figures in threads of one process


def photo_jpeg(image) -> bytes:
    """The model input (a PIL image, ``W x H``) as JPEG bytes, encoded once per photo.

    Every size of step 1 (page, phone, projector, file) and every rerun of the page reuse the bytes: the
    photo is the one costly part of the drawing. The image itself is kept beside its bytes, so that its
    ``id`` cannot be taken by another image while the entry lives.
    """
    key = id(image)
    with _PHOTOS_LOCK:
        hit = _PHOTOS.get(key)
        if hit is not None and hit[0] is image:
            _PHOTOS.move_to_end(key)
            return hit[1]
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="JPEG", quality=90)
    data = buf.getvalue()
    with _PHOTOS_LOCK:
        _PHOTOS[key] = (image, data)
        while len(_PHOTOS) > _PHOTOS_KEPT:
            _PHOTOS.popitem(last=False)
    return data


def _pixel_ticks(size: int, stride: float, px_per_unit: float, label_px: float, S: int) -> list[float]:
    """Multiples of the stride from 0 to ``size`` pixels, about eight across the longer side, fewer if the
    labels would touch at this scale."""
    step = stride * max(1, int(S / stride) // 8)
    while step * px_per_unit < label_px and step < S:
        step *= 2
    return [float(v) for v in np.arange(0, size + 1e-9, step)]


def _clear(box, taken, gap: float = 2.0) -> bool:
    x, y, w, h = box
    return all(x + w + gap <= ox or ox + ow + gap <= x or y + h + gap <= oy or oy + oh + gap <= y
               for ox, oy, ow, oh in taken)


def _within(box, area, slack: float = 0.0) -> bool:
    x, y, w, h = box
    ax, ay, aw, ah = area
    return x >= ax - slack and y >= ay - slack and x + w <= ax + aw + slack and y + h <= ay + ah + slack


def describe_image(scene: Scene, *, width: float = WIDTH, text: float = TEXT) -> Drawing:
    """Step 1: the model input (``W x H`` pixels, x across, y down, ``(0, 0)`` its top-left corner) with a grid
    line every stride (each square is one cell of the map) and every RoI, the followed one solid and thick,
    each with its number in a tag at its top-left corner."""
    (IW, IH), stride = scene.input_dims, scene.pooled.stride
    S = max(IW, IH)
    t = text
    per_px = (width - 2 * PAD - fonts.width(str(S), t) * 1.5 - 6) / IW  # about the panel's scale: for the ticks
    xt = _pixel_ticks(IW, stride, per_px, fonts.width(str(S), t) + 8, S)
    yt = _pixel_ticks(IH, stride, per_px, fonts.height(t) + 3, S)
    marks: list = [Photo(photo_jpeg(scene.image), "JPEG", 0.0, 0.0, float(IW), float(IH))]
    marks += [Line(((float(x), 0.0), (float(x), float(IH))), look.CELL_ON_DARK, "stride line")
              for x in np.arange(stride, IW - 1e-9, stride)]
    marks += [Line(((0.0, float(y)), (float(IW), float(y))), look.CELL_ON_DARK, "stride line")
              for y in np.arange(stride, IH - 1e-9, stride)]
    # A picture is width x height, as a box's w and h (said where it is not square).
    heading = (_("Model input {w}×{h} px; grid lines every {stride} px = the stride") if IW == IH else
               _("Model input {w}×{h} px (w×h); grid lines every {stride} px = the stride"))
    heading = heading.format(w=IW, h=IH, stride=exact(stride))
    s = Sheet(width, text)
    s.title(heading)
    panel = s.chart((0, IW), (0, IH), marks, xname=_("x (pixels)"), yname=_("y (pixels)"), xticks=xt, yticks=yt)
    unit = panel.scale()[0]
    # The others first, the followed one on top; its white inner line as the board draws it.
    order = [k for k in range(len(scene.rois)) if k != scene.active] + [scene.active]
    boxes: list = []
    for k in order:
        followed = k == scene.active
        box = tuple(float(v) for v in scene.rois[k])
        boxes.append(Rect(*box, stroke=look.FOLLOWED_STROKE if followed else look.OTHER_STROKE,
                          title=_("RoI {k}: x {x}, y {y}, w {w}, h {h} px").format(
                              k=k + 1, x=exact(box[0]), y=exact(box[1]), w=exact(box[2]), h=exact(box[3])),
                          kind="followed roi" if followed else "roi"))
        inset = (look.FOLLOWED_STROKE.edge_width / 2 + 0.6) / unit
        if followed and box[2] > 2 * inset and box[3] > 2 * inset:
            boxes.append(Rect(box[0] + inset, box[1] + inset, box[2] - 2 * inset, box[3] - 2 * inset,
                              stroke=Stroke("#ffffff", 1.2), kind="inner line"))
    s.panels[-1] = replace(panel, marks=panel.marks + tuple(boxes))
    # Tags: the followed RoI's first, so that it keeps its number where tags would meet.
    taken: list = []
    for k in reversed(order):
        followed = k == scene.active
        size_t = s.big if followed else t
        label = f"RoI {k + 1}"
        tw, th = fonts.width(label, size_t, "bold") + 6, fonts.height(size_t) + 2
        x, y, w, h = scene.rois[k]
        (x0, y0), (x1, y1) = panel.to_px(x, y), panel.to_px(x + w, y + h)
        places = [(x0 + 4, y0 + 4), (x0 + 4, y1 - 4 - th), (x1 - 4 - tw, y0 + 4), (x1 - 4 - tw, y1 - 4 - th),
                  (x0, y0 - 4 - th), (x0, y1 + 4)]
        for px, py in places:
            px = min(max(px, panel.x + 1), panel.x + panel.w - tw - 1)  # slid inside the photo
            py = min(max(py, panel.y + 1), panel.y + panel.h - th - 1)
            if _clear((px, py, tw, th), taken):
                taken.append((px, py, tw, th))
                s.marks += [Rect(px, py, tw, th, fill=look.FOLLOWED_TAG if followed else look.OTHER_TAG,
                                 stroke=Stroke("#000000", 1.0), kind="roi tag"),
                            Text(px + 3, py + 1, label, size_t, "#ffffff" if followed else "#000000", "bold",
                                 kind="roi tag")]
                break
    x, y, w, h = scene.rois[scene.active]
    n = len(scene.rois)
    told = ngettext("{heading}. {n} RoI on the photo; RoI {k}, the one followed, is {w} × {h} px from ({x}, {y}).",
                    "{heading}. {n} RoIs on the photo; RoI {k}, the one followed, is {w} × {h} px from ({x}, {y}).", n)
    return s.done(told.format(heading=heading, n=n, k=scene.active + 1, w=exact(w), h=exact(h), x=exact(x),
                              y=exact(y)))


# ------------------------------------------------------------------------------------ step 2: the feature map
CORNER_GAP = 6.0  # px between a corner label's frame and the box's outline (its black edge included)
CORNER_PAD = 3.0  # px between a corner label's words and its frame


def corner_text(x: float, y: float) -> str:
    """A corner of the projected box as its label reads: a point, so (x, y), across then down, exact."""
    return f"({exact(x)}, {exact(y)})"


def corner_labels(panel: Panel, box: g.Box, size: float) -> list:
    """The projected box's top-left and bottom-right corners as labels, in drawing px, outside the box.

    Each label tries its places in turn (the top-left one above the box, then to its left, below, to its
    right; the bottom-right one below, to its right, above, to its left), slid along that side to stay inside
    the map, and takes the first clear of the box's outline and of the other label. Where no side has room,
    the nearest clear spot of the map is taken; where the box leaves none (it covers the map), its corner
    inside the box. Returns a frame (kind "corner frame") and a text (kind "corner") per label.
    """
    x, y, w, h = box
    (bx0, by0), (bx1, by1) = panel.to_px(x, y), panel.to_px(x + w, y + h)
    grow = look.ROI_STROKE.edge_width / 2
    outline = (bx0 - grow, by0 - grow, bx1 - bx0 + 2 * grow, by1 - by0 + 2 * grow)
    within = (bx0 + grow + 1, by0 + grow + 1, bx1 - bx0 - 2 * grow - 2, by1 - by0 - 2 * grow - 2)
    area = (panel.x + 1, panel.y + 1, panel.w - 2, panel.h - 2)  # the frame's stroke stays on the map
    G = grow + CORNER_GAP
    out: list = []
    taken: list = []
    for key, label in (("tl", corner_text(x, y)), ("br", corner_text(x + w, y + h))):
        fw = fonts.width(label, size, "bold") + 2 * CORNER_PAD
        fh = fonts.height(size) + 2 * CORNER_PAD
        cx, cy = (bx0, by0) if key == "tl" else (bx1, by1)
        sides = {  # (left, top, the direction it may slide in)
            "above": (bx0 if key == "tl" else bx1 - fw, by0 - G - fh, "x"),
            "below": (bx0 if key == "tl" else bx1 - fw, by1 + G, "x"),
            "left": (bx0 - G - fw, by0 if key == "tl" else by1 - fh, "y"),
            "right": (bx1 + G, by0 if key == "tl" else by1 - fh, "y"),
        }
        order = ("above", "left", "below", "right") if key == "tl" else ("below", "right", "above", "left")
        chosen = None
        for side in order:
            fx, fy, slide = sides[side]
            if slide == "x":
                fx = min(max(fx, area[0]), area[0] + area[2] - fw)
            else:
                fy = min(max(fy, area[1]), area[1] + area[3] - fh)
            frame = (fx, fy, fw, fh)
            if _within(frame, area) and _clear(frame, [outline], 0.0) and _clear(frame, taken):
                chosen = frame
                break
        if chosen is None:  # no side has room: the clear spot of the map nearest the corner
            best = None
            for fy in np.arange(area[1], area[1] + area[3] - fh + 1e-9, 4.0):
                for fx in np.arange(area[0], area[0] + area[2] - fw + 1e-9, 4.0):
                    frame = (float(fx), float(fy), fw, fh)
                    if _clear(frame, [outline], 0.0) and _clear(frame, taken):
                        d = (fx + fw / 2 - cx) ** 2 + (fy + fh / 2 - cy) ** 2
                        if best is None or d < best[0]:
                            best = (d, frame)
            if best is not None:
                chosen = best[1]
        if chosen is None:  # the box covers the map: inside, in its corner, clear of its edges
            fx = within[0] + CORNER_GAP if key == "tl" else within[0] + within[2] - CORNER_GAP - fw
            fy = within[1] + CORNER_GAP if key == "tl" else within[1] + within[3] - CORNER_GAP - fh
            chosen = (fx, fy, fw, fh)
        taken.append(chosen)
        fx, fy, __, __ = chosen
        out += [Rect(fx, fy, fw, fh, fill="#ffffff", stroke=Stroke(look.ROI, 2.0), kind="corner frame"),
                Text(fx + CORNER_PAD, fy + CORNER_PAD, label, size, weight="bold", kind="corner")]
    return out


def describe_features(scene: Scene, *, width: float = WIDTH, text: float = TEXT) -> Drawing:
    """Step 2: the whole feature map (``H x W`` cells; the mean over the channels or one channel) on the
    viridis scale, the RoI projected onto it (dashed) and its two corners written as points ``(x, y)``."""
    t = scene.pooled
    H, W = t.map_size
    C = scene.features.shape[0]
    if scene.mean_view:
        chan, name = scene.features.mean(axis=0), _("mean")
        heading = _("Feature map, {h} rows × {w} columns: mean over {n} channels").format(h=H, w=W, n=C)
    else:
        chan, name = scene.features[scene.channel], channel_name(scene.channel)
        heading = _("Feature map, {h} rows × {w} columns: channel {k} of {n}").format(h=H, w=W, k=scene.channel, n=C)
    lo, hi = float(chan.min()), float(chan.max())
    marks: list = channel_cells(chan, (0, H, 0, W), "viridis", name=name)
    marks += cell_lines((0, H, 0, W), look.CELL_ON_DARK)
    marks.append(Rect(*(float(v) for v in t.projected), stroke=look.ROI_STROKE, kind="roi"))
    s = Sheet(width, text)
    s.title(heading)
    panel = s.chart((0, W), (0, H), marks, max_height=width)
    s.marks += corner_labels(panel, t.projected, text)
    s.colour_bar(lo, hi, "viridis")
    s.badge(scene.pretrained, scene.settings.network)
    x, y, w, h = t.projected
    return s.done(_("{heading}. The RoI projected onto it runs from {start} to {end}, in cells.").format(
        heading=heading, start=corner_text(x, y), end=corner_text(x + w, y + h)))


# ------------------------------------------------------------------------------------ step 4: the bins
def _fractional_edges(t) -> tuple[np.ndarray, np.ndarray]:
    """Fast R-CNN's rule: the bins' edges as the rule computes them, before widening to whole cells, in cells
    (``ph + 1`` row edges, ``pw + 1`` column edges, clipped to the map)."""
    xs, ys, __, __ = t.quantized
    ph, pw = t.output_size
    bh, bw = t.bin_size
    H, W = t.map_size
    return np.clip(ys + np.arange(ph + 1) * bh, 0, H), np.clip(xs + np.arange(pw + 1) * bw, 0, W)


def _runs(mask: np.ndarray, span: g.Span) -> list[g.Box]:
    """Cells of ``mask`` (``H x W``) inside ``span`` as row-wise runs ``(x, y, w, h)``: one mark per run."""
    r0, r1, c0, c1 = span
    out = []
    for r in range(r0, r1):
        c = c0
        while c < c1:
            if mask[r, c]:
                start = c
                while c < c1 and mask[r, c]:
                    c += 1
                out.append((float(start), float(r), float(c - start), 1.0))
            else:
                c += 1
    return out


def _numbered(items: list[tuple[int, float]]) -> list[tuple[float, str]]:
    """Bin numbers at their centres; bins of a small region can share a centre (they overlap): one range for them."""
    groups: list[list] = []
    for k, c in items:
        if groups and abs(groups[-1][2] - c) < 1e-9:
            groups[-1][1] = k
        else:
            groups.append([k, k, c])
    return [(float(c), str(a) if a == b else f"{a}–{b}") for a, b, c in groups]


def describe_bins(scene: Scene, *, width: float = WIDTH, text: float = TEXT) -> Drawing:
    """Step 4 of RoI pooling: the quantized region split into ``ph x pw`` bins, in cells of the map.

    Under the article's rule a bin is a block of whole cells; under Fast R-CNN's, it is drawn where the rule
    computes it (fractional edges), the whole cells it reads being wider. Cells in no bin are cross-hatched,
    cells read by two bins or more dotted. Each bin is named "i,j" inside it where every name fits; else
    the bins are numbered on the free sides (rows on the right, columns on top), thinned where crowded.
    """
    t = scene.pooled
    whole = t.scheme == "article"
    win = window(scene)
    r0, r1, c0, c1 = win
    ph, pw = t.output_size
    faces = [scale.mix("#ffffff", f, 0.8) for f in look.BIN_FACES]
    full = [(i, j, span) for i, row in enumerate(t.bins) for j, span in enumerate(row)
            if span[1] > span[0] and span[3] > span[2]]
    if whole:
        boxes = {(i, j): g.box_of_span(span) for i, j, span in full}
    else:
        rows, cols = _fractional_edges(t)
        boxes = {(i, j): (float(cols[j]), float(rows[i]), float(cols[j + 1] - cols[j]), float(rows[i + 1] - rows[i]))
                 for i, j, __ in full}
    marks: list = [Rect(*boxes[i, j], fill=faces[(i + j) % 2], kind="bin face",
                        title=_("bin {i},{j}: {size}").format(i=i, j=j, size=rows_by_columns(boxes[i, j][3],
                                                                                              boxes[i, j][2])))
                   for i, j, __ in full]
    marks += [Rect(*b, title=_("in no bin"), kind="dropped", **look.fill(look.DROPPED)) for b in _runs(t.bin_use == 0, t.region)]
    marks += [Rect(*b, title=_("read by 2+ bins"), kind="shared", **look.fill(look.SHARED)) for b in _runs(t.bin_use > 1, t.region)]
    # The cells over the shading, under the bins' edges: under Fast R-CNN's rule many edges cut through cells.
    marks += cell_lines(win, look.CELL_ON_LIGHT)
    if whole:
        marks += [Rect(*boxes[i, j], stroke=Stroke("#000000", 2.5), kind="bin") for i, j, __ in full]
    elif full:
        y0, y1, x0, x1 = float(rows[0]), float(rows[-1]), float(cols[0]), float(cols[-1])
        marks += ([Line(((float(x), y0), (float(x), y1)), look.BIN_STROKE, "bin edge") for x in cols]
                  + [Line(((x0, float(y)), (x1, float(y))), look.BIN_STROKE, "bin edge") for y in rows])
    marks += roi_marks(scene)
    bh, bw = t.bin_size
    heading = (_("{ph}×{pw} bins of {size}") if full else _("{ph}×{pw} bins of {size}: every bin is empty")).format(
        ph=ph, pw=pw, size=rows_by_columns(bh, bw))

    def sheet(top=None, right=None):
        s = Sheet(width, text)
        s.title(heading)
        panel = s.chart((c0, c1), (r0, r1), marks, top=top, top_name=_("bin column") if top else "", right=right,
                        right_name=_("bin row") if right else "")
        return s, panel

    s, panel = sheet()
    size = s.big if max(ph, pw) <= 4 else text
    unit = panel.scale()[0]
    inside = bool(full) and not t.shared_cells and all(
        fonts.width(f"{i},{j}", size) + 8 <= boxes[i, j][2] * unit and fonts.height(size) + 6 <= boxes[i, j][3] * unit
        for i, j, __ in full)
    if inside:
        labels = [Text(x + w / 2, y + h / 2, f"{i},{j}", size, anchor="middle", baseline="middle", halo="#ffffff",
                       kind="bin label") for (i, j), (x, y, w, h) in boxes.items()]
        s.panels[-1] = replace(panel, marks=panel.marks + tuple(labels))
    elif full:  # numbered on the free sides, level with the centres of the bins drawn
        if whole:
            by_row = [(i, (t.bins[i][0][0] + t.bins[i][0][1]) / 2) for i in range(ph) if t.bins[i][0][1] > t.bins[i][0][0]]
            by_col = [(j, (t.bins[0][j][2] + t.bins[0][j][3]) / 2) for j in range(pw) if t.bins[0][j][3] > t.bins[0][j][2]]
        else:
            by_row = [(i, (rows[i] + rows[i + 1]) / 2) for i in range(ph) if t.bins[i][0][1] > t.bins[i][0][0]]
            by_col = [(j, (cols[j] + cols[j + 1]) / 2) for j in range(pw) if t.bins[0][j][3] > t.bins[0][j][2]]
        s, panel = sheet(top=_numbered(by_col), right=_numbered(by_row))
    entries = []
    if full:
        entries.append(Entry(_("a bin (row, col)") if inside else _("a bin: row on the right, column on top"),
                             fills=tuple(faces), stroke=Stroke("#000000", 2.0)))
    if t.dropped_cells:
        entries.append(Entry.area(_("in no bin: {n}").format(n=cells(t.dropped_cells)), look.DROPPED))
    if t.shared_cells:
        entries.append(Entry.area(_("read by 2+ bins: {n}").format(n=cells(t.shared_cells)), look.SHARED))
    s.legend(entries + roi_entries())
    s.badge(scene.pretrained, scene.settings.network)
    alt = [_("{heading}.").format(heading=heading)]
    if t.dropped_cells:
        alt.append(_("In no bin: {n}.").format(n=cells(t.dropped_cells)))
    if t.shared_cells:
        alt.append(_("Read by 2 bins or more: {n}.").format(n=cells(t.shared_cells)))
    return s.done(" ".join(alt))


# ------------------------------------------------------------------------------------ step 5: max pooling
POOL_HEADINGS = {  # stored for the catalog; the heading is translated whole where drawn
    "all": N_("Channel {k}: max per bin (red box; its value in bold)"),
    "maxima": N_("Channel {k}: each bin's max (red box) and its value"),
    "none": N_("Channel {k}: where each bin's max is (red box)"),
    "empty": N_("Channel {k}: no bin has a cell, so every output is 0"),
}
TOO_SMALL = N_("The cells are too small here to print their values: a hover over a cell (or a tap) gives it.")


def describe_pool(scene: Scene, *, width: float = WIDTH, text: float = TEXT) -> Drawing:
    """Step 5: the channel around the RoI (cells of the map, viridis on the window's own range), each bin
    outlined and the cell it takes its maximum from in a red box; the values that
    :func:`roi_viz.lesson.shown.pool_values` prints (every cell of the region, bins' maxima in bold, or only
    the maxima), where every one of them fits inside its cell at ``text`` px; else none, and a note says so."""
    t = scene.pooled
    win = window(scene)
    r0, r1, c0, c1 = win
    chan = scene.features[scene.channel]
    block = chan[r0:r1, c0:c1]
    marks: list = channel_cells(chan, win, "viridis", vmin=float(block.min()), vmax=float(block.max()),
                                name=channel_name(scene.channel))
    marks += cell_lines(win, look.CELL_ON_DARK)
    for i, row in enumerate(t.bins):
        for j, span in enumerate(row):
            if span[1] <= span[0] or span[3] <= span[2]:
                continue
            marks.append(Rect(*g.box_of_span(span), stroke=look.BIN_STROKE, kind="bin"))
            cell = t.argmax_cell(scene.channel, i, j)
            if cell:
                r, c = cell
                marks.append(Rect(c + 0.06, r + 0.06, 0.88, 0.88, stroke=look.ARGMAX_STROKE, kind="argmax",
                                  title=_("bin {i},{j}: its max, row {r}, column {c}: {v}").format(
                                      i=i, j=j, r=r, c=c, v=activation(float(chan[r, c])))))
    # What is printed is decided where the words decide it, at this figure's own cell width and text size (the
    # page's figure is the one the words describe): a chart laid out once, without its title, to know the width.
    unit = Sheet(width, text).chart((c0, c1), (r0, r1), ()).scale()[0]
    shown = pool_values(scene, unit, text)
    heading = _(POOL_HEADINGS[shown.mode]).format(k=scene.channel)
    s = Sheet(width, text)
    s.title(heading)
    panel = s.chart((c0, c1), (r0, r1), marks)
    printed = [(r, c, activation(float(chan[r, c])), "bold" if (r, c) in shown.winners else "normal")
               for r, c in shown.cells]
    fits = True
    if printed and fits:
        values = [Text(c + 0.5, r + 0.5, words, text, weight=weight, anchor="middle", baseline="middle",
                       halo="#ffffff", kind="value") for r, c, words, weight in printed]
        s.panels[-1] = replace(panel, marks=panel.marks + tuple(values))
    if shown.mode == "none":
        s.note(_(TOO_SMALL))
    s.badge(scene.pretrained, scene.settings.network)
    alt = (_("{heading}. The cells are too small here to print their values.") if shown.mode == "none" else
           _("{heading}.")).format(heading=heading)
    return s.done(alt)


# ------------------------------------------------------------------------------------ step 6: the output
def describe_output(scene: Scene, *, width: float = WIDTH, text: float = TEXT) -> Drawing:
    """Step 6: RoI pooling's ``ph x pw`` output for the channel (cells: x = column, y = row), values printed
    where every one fits, empty bins hatched; then where the RoI's area went, as one bar: what reaches the
    output, what quantization lost, what the split lost (shares of the projected RoI)."""
    t = scene.pooled
    ph, pw = t.output_size
    out = t.output[scene.channel]
    empty = np.asarray(t.empty_bins, bool)
    vmin, vmax = float(out.min()), float(out.max())
    labels = [[activation(float(v)) for v in row] for row in out]
    marks: list = []
    for i in range(ph):
        for j in range(pw):
            title = (_("row {r}, column {c}: {v} (an empty bin: it outputs 0)") if empty[i, j] else
                     _("row {r}, column {c}: {v}")).format(r=i, c=j, v=labels[i][j])
            hatch = look.fill(look.EMPTY) if empty[i, j] else {}
            marks.append(Rect(float(j), float(i), 1.0, 1.0, stroke=Stroke("#ffffff", 1.0), title=title, kind="output",
                              **{**hatch, "fill": scale.colour("viridis", out[i, j], vmin, vmax)}))
    heading = _("Output {ph}×{pw}×{n}: channel {k}").format(ph=ph, pw=pw, n=t.channels, k=scene.channel)
    s = Sheet(width, text)
    s.title(heading)
    panel = s.chart((0, pw), (0, ph), marks, xname=_("output column"), yname=_("output row"), tick_at=0.5,
                    max_height=min(0.75 * width, max(0.6 * width, ph * 4.6 * text)) * min(1.0, 1.5 * TEXT / text))
    # (a 1 x 1 not huge, a 7 x 7's values room; never taller than that: on a projector, where the text grows to
    # be read from the back, a grid growing with it would shrink the figure as fast as its text grows; past half
    # again the page's text the grid gives up height as the text takes it, or the figure, shown no taller than
    # the screen, could never bring its smallest text to 18 px)
    fits = ph * pw <= 64 and values_fit([out], panel.scale()[0], text)
    if fits:
        values = [Text(j + 0.5, i + 0.5, labels[i][j], text, anchor="middle", baseline="middle", halo="#ffffff",
                       kind="value") for i in range(ph) for j in range(pw)]
        s.panels[-1] = replace(panel, marks=panel.marks + tuple(values))
    if empty.any():
        s.legend([Entry(_("empty bin: outputs 0"), fill=scale.colour("viridis", 0.0, vmin, vmax),
                        **{k: v for k, v in look.fill(look.EMPTY).items() if k != "fill"})])
    if not fits:
        s.note(_(TOO_SMALL))
        s.colour_bar(vmin, vmax, "viridis")
    area = t.projected_area
    parts = [(t.covered_area, look.COVERED, _("reaches the output")), (t.lost_area, look.LOST, _("lost: quantization")),
             (split_loss(t), look.DROPPED, _("lost: split"))]
    went = _("Where the RoI's {n} went: coverage {share}").format(n=cells(area), share=pct(t.coverage))
    s.bar([(part / area if area else 0.0, kind, label) for part, kind, label in parts], went)
    s.legend([Entry.area(_("{label}: {n}").format(label=label, n=cells(part)), kind) for part, kind, label in parts],
             columns=1)
    s.badge(scene.pretrained, scene.settings.network)
    return s.done(_("{heading}. {went}: reaches the output {covered}, lost to quantization {lost}, lost to the split "
                    "{split}.").format(heading=heading, went=went, covered=cells(t.covered_area),
                                       lost=cells(t.lost_area), split=cells(split_loss(t))))
