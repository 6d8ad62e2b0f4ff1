"""The words of the steps that read the map between cells: RoIAlign's and RoIWarp's sampling points, the
bilinear weights, one value per bin, Precise RoI Pooling's integral, and the output they give.

Each ``step_*`` takes a :class:`~roi_viz.state.scene.Scene` and returns Markdown with the live numbers, as
:mod:`roi_viz.lesson.words` does for RoI pooling's steps (the steps every method shares live there).

Every sentence is marked for the catalog (:mod:`roi_viz.language`) and translated whole, its numbers as named
placeholders formatted by :mod:`roi_viz.lesson.numbers`; where a step's words vary (snapped or not, a legacy
rule, a jump), each variant is a sentence of its own.
"""
from __future__ import annotations

from ..language import _, ngettext
from ..state.scene import Scene
from .alt import reach  # where the RoI's area goes: the figure's text alternative reads the same account
from .glossary import INLINE
from .numbers import eq, exact, num, pct, value, weight
from .shown import printed_shares


# Chinese sentences end in full-width punctuation and are written with no space between them; English ones take one.
_FULL_STOPS = ("。", "：", "；", "！", "？", "）")


def then(text: str, more: str) -> str:
    """``more`` after the sentence ``text``, with the space the language puts between sentences (none in Chinese)."""
    return text + ("" if text.endswith(_FULL_STOPS) else " ") + more


def cells_words(v: float) -> str:
    """An area or length in cells in the language in force: numbers.cells's rule ("5.32 cells", "1 cell")."""
    text = num(v)
    return ngettext("{n} cell", "{n} cells", 1 if text == "1" else 2).format(n=text)


def _rows(a: int, b: int) -> str:
    """Half-open rows ``[a, b)`` in words (numbers.span_words's rule)."""
    if b <= a:
        return _("no rows")
    return _("row {a}").format(a=a) if b - a == 1 else _("rows {a} to {b}").format(a=a, b=b - 1)


def _columns(a: int, b: int) -> str:
    """Half-open columns ``[a, b)`` in words (numbers.span_words's rule)."""
    if b <= a:
        return _("no columns")
    return _("column {a}").format(a=a) if b - a == 1 else _("columns {a} to {b}").format(a=a, b=b - 1)


def _inline(term: str) -> str:
    """The glossary's short explanation of ``term`` in brackets' words, in the language in force."""
    return _(INLINE[term])


def _ratio_words(r) -> str:
    """The sampling ratio and the points it gives, one sentence (without its full stop's neighbours)."""
    gh, gw = r.grid
    bh, bw = r.bin_size
    total = r.points_per_bin * r.output_size[0] * r.output_size[1]
    if r.sampling_ratio > 0:
        return _("The sampling ratio ({meaning}) is {ratio}, so each bin has {gh} × {gw} points: {total} points in "
                 "all, each at the centre of an equal sub-cell of its bin.").format(
            meaning=_inline("sampling ratio"), ratio=r.sampling_ratio, gh=gh, gw=gw, total=total)
    return _("The sampling ratio ({meaning}) is {ratio}, and 0 or less means *adaptive*: ⌈bin height⌉ × ⌈bin "
             "width⌉ = ⌈{bh}⌉ × ⌈{bw}⌉ = {gh} × {gw} points per bin, about one per cell: {total} points in "
             "all, each at the centre of an equal sub-cell of its bin.").format(
        meaning=_inline("sampling ratio"), ratio=r.sampling_ratio, bh=num(bh), bw=num(bw), gh=gh, gw=gw, total=total)


def _aligned_words(aligned: bool, legacy_min: bool) -> str:
    """RoIAlign (and RoIWarp's sampling): the half-cell shift, told with sampling points."""
    if aligned:
        return _(
            "**Why −0.5?** A cell's value belongs to its centre: cell 3 covers 3 to 4, so its value sits at 3.5. "
            "With `aligned=True` ({meaning}) the kernel subtracts half a cell from every coordinate "
            "before it reads, so a point at 3.5 reads cell 3 and nothing else. The points therefore lie where the "
            "box was drawn.").format(meaning=_inline("aligned=True"))
    text = _(
        "**Legacy rule (`aligned=False`).** The half cell is *not* subtracted (`aligned` is "
        "{meaning}, here off), so every point reads the map as if "
        "it were half a cell further right and down. The figure draws the bins where the map is really read: "
        "half a cell off the orange box.").format(meaning=_inline("aligned=True"))
    if legacy_min:
        text = then(text, _("The legacy rule also widens a box narrower than one cell to one cell."))
    return text


def step_sampling(scene: Scene) -> str:
    r = scene.chosen
    ph, pw = r.output_size
    bh, bw = r.bin_size
    n = r.points_per_bin
    x, y, w, h = r.box
    if r.snapped:
        r0, r1, c0, c1 = r.region if r.region else (0, 0, 0, 0)
        if n == 0 or r1 <= r0 or c1 <= c0:
            return _(
                "**Nothing to sample.** The snapped box has no cells, so every bin is empty and the output is 0. "
                "Make the RoI larger.")
        head = _(
            "**Sample the snapped box.** RoIWarp keeps the quantized region of the previous step, "
            "{rows} and {columns} ({nr} × {nc} cells), "
            "and from here on works like RoIAlign: the region is cut into {ph} × {pw} bins of "
            "**{bh} × {bw} cells** — fractions allowed, nothing more is rounded.").format(
            rows=_rows(r0, r1), columns=_columns(c0, c1), nr=r1 - r0, nc=c1 - c0, ph=ph, pw=pw, bh=num(bh),
            bw=num(bw)) + "\n\n"
        tail = "\n\n" + _(
            "But what quantization cut off stays cut off: {lost} of the RoI lie "
            "outside the region and get no point of their own (points near the edge only borrow a little from "
            "the next cell through interpolation).").format(lost=cells_words(r.projected_area - r.covered_area))
    else:
        head = _(
            "**No rounding.** RoIAlign keeps the projected box exactly: columns {x0} to {x1}, "
            "rows {y0} to {y1} on the map. It is cut into {ph} × {pw} bins of "
            "**{bh} × {bw} cells**. Fractional edges are no problem, because no cell is taken whole: "
            "the map is read at points instead.").format(
            x0=exact(x), x1=exact(x + w), y0=exact(y), y1=exact(y + h), ph=ph, pw=pw, bh=num(bh), bw=num(bw)) + "\n\n"
        tail = "\n\n" + _aligned_words(r.aligned, scene.pooled.projected[2] < 1 or scene.pooled.projected[3] < 1)
    body = _ratio_words(r)
    off = int((~r.valid).sum())
    if off:
        body = then(body, _("{off} of them lie more than a cell off the map (crosses) and read 0.").format(off=off))
    i, j, k = scene.focus
    body = then(body, _("The red ring marks point {k} of bin ({i}, {j}): the next step looks at it closely.").format(
        k=k + 1, i=i, j=j))
    return head + body + tail


def step_bilinear(scene: Scene) -> str:
    r = scene.chosen
    if not r.points_per_bin:
        return _("This box has no sampling points (it snapped to no cells), so there is nothing to interpolate.")
    i, j, k = scene.focus
    y, x = r.samples[i, j, k]
    c = scene.channel
    read = float(r.sample_values[c, i, j, k])
    if not r.valid[i, j, k]:
        return _(
            "**Off the map.** Point {k} of bin ({i}, {j}) lies at x = {x}, y = {y}: more than "
            "a cell outside the feature map. There is nothing to interpolate, so it reads **0**, and that 0 still "
            "counts in its bin's mean.").format(k=k + 1, i=i, j=j, x=num(x), y=num(y))
    corners = r.neighbours(i, j, k)
    fm = scene.features[c]
    rows = [_("| cell (row, col) | value | weight | value × weight |"), "|---|---|---|---|"]
    for rr, cc, w in corners:
        rows.append(f"| ({rr}, {cc}) | {value(fm[rr, cc])} | {weight(w)} | {value(fm[rr, cc] * w)} |")
    rows.append(_("| **sum** | | **{total}** | **{read}** |").format(
        total=weight(sum(w for _r, _c, w in corners)), read=value(read)))
    ly = y - 0.5 - corners[0][0] if r.map_size[0] > 1 else 0.0
    lx = x - 0.5 - corners[0][1] if r.map_size[1] > 1 else 0.0
    where = _(
        "**Bilinear interpolation.** Point {k} of bin ({i}, {j}) lies at x = {x}, y = {y} "
        "(cell coordinates). It falls between four cell centres, and its value is their weighted mean: "
        "the nearer a centre, the larger its weight.").format(k=k + 1, i=i, j=j, x=num(x), y=num(y))
    if 0 <= lx <= 1 and 0 <= ly <= 1:
        where = then(where, _(
            "Measured from the top-left centre, the point is dx = {dx} across and dy = {dy} down, "
            "so the weights are (1 − dx)(1 − dy), dx(1 − dy), (1 − dx)dy and dx·dy.").format(
            dx=num(lx), dy=num(ly))) + "\n\n"
    else:
        edge = _("At the edge of the map the missing neighbours are replaced by the edge cell.")
        where = then(where, edge) + "\n\n"
    rounding = "\n\n" + _("Every number of the table keeps 3 significant figures, so a product worked out from the "
                          "rounded numbers can differ from the printed one in its last digit.")
    read_words = _("Channel {c} at this point: **{read}**. Every channel is read at the same point with the same "
                   "weights.").format(c=c, read=value(read))
    return where + "\n".join(rows) + rounding + "\n\n" + read_words


def _combine_head(r, n: int, c: int) -> str:
    """Which value each bin keeps, and why (one sentence per rule: the mean, or the maximum of RoIWarp or RoIAlign)."""
    if r.mode == "avg":
        return _("**One value per bin.** Each bin keeps the **mean** of its {n} point values (what "
                 "`torchvision.ops.roi_align` does). Channel {c}:").format(n=n, c=c)
    if r.snapped:
        return _("**One value per bin.** Each bin keeps the **maximum** of its {n} point values (as in the paper "
                 "that introduced RoIWarp, Multi-task Network Cascades: it max-pools the warped box, as RoI pooling "
                 "does). Channel {c}:").format(n=n, c=c)
    return _("**One value per bin.** Each bin keeps the **maximum** of its {n} point values (torchvision takes the "
             "mean; the Mask R-CNN paper ({meaning}) allows either the mean or the maximum). Channel {c}:").format(
        n=n, c=c, meaning=_inline("Mask R-CNN"))


def step_combine(scene: Scene) -> str:
    r = scene.chosen
    ph, pw = r.output_size
    c = scene.channel
    n = r.points_per_bin
    if not n:
        return _(
            "**No points, so every bin outputs 0.** The snapped box has no cells to sample. Make the RoI larger, "
            "or pick RoIAlign, which does not round the box at all.")
    head = _combine_head(r, n, c) + "\n\n"
    if ph * pw > 16 or n > 9:  # 16 values of 3 significant figures make a row too long to read (or to print)
        return head + _("({bins} bins of {n} points: the figure shows the points; the next step prints the "
                        "outputs.)").format(bins=ph * pw, n=n)
    rows = [_("| bin (row, col) | point values | output |"), "|---|---|---|"]
    vals = r.sample_values[c]
    for i in range(ph):
        for j in range(pw):
            rows.append(f"| ({i}, {j}) | {', '.join(value(v) for v in vals[i, j])} | **{value(r.output[c, i, j])}** |")
    tail = ""
    if r.mode == "avg" and scene.pooled.output_size == r.output_size and not r.snapped:
        tail = "\n\n" + _(
            "A mean of a few points is smoother than RoI pooling's maximum over whole cells: a small move of "
            "the box moves the points a little, and the mean follows. The *Slide the box* view shows it.")
    return head + "\n".join(rows) + tail


def _prroi_aligned_words(aligned: bool) -> str:
    """Precise RoI Pooling: the half-cell shift, told with the surface (PrRoI has no sampling points)."""
    if aligned:
        return _(
            "**Why −0.5?** A cell's value belongs to its centre: cell 3 covers 3 to 4, so its value belongs at 3.5. "
            "The authors' code builds the surface with each value at its cell's corner (at 3); with "
            "`aligned=True` ({meaning}) half a cell is subtracted from the box before it is "
            "integrated, which puts every value back at its cell's centre. The bins are therefore integrated "
            "exactly where the box was drawn. PrRoI is not in torchvision, and its authors' code has no such switch: "
            "the page offers one so that PrRoI and RoIAlign can read the map the same way.").format(
            meaning=_inline("aligned=True"))
    return _(
        "**The authors' rule.** Their code does not shift by half a cell: a cell's value is placed at the "
        "cell's corner, so the surface, and the bins drawn, sit half a cell off the orange box. "
        "Switch *aligned* on in the sidebar to put them back.")


def step_integrate(scene: Scene) -> str:
    r = scene.chosen
    i, j, _k = scene.focus
    c = scene.channel
    bh, bw = r.bin_size
    share = r.weight_map(i, j)
    total = float(share.sum())
    text = _(
        "**No sampling points.** Precise RoI Pooling sees the map as a continuous surface: the bilinear "
        "interpolation of the cell values, the same surface RoIAlign reads. For each bin it takes the "
        "*exact* average of that surface: the integral over the bin divided by the bin's area "
        "({bh} × {bw} {eq} {area} cells²).").format(
        bh=num(bh), bw=num(bw), eq=eq(bh, bw, r.bin_area), area=num(r.bin_area)) + "\n\n"
    text += _(
        "Each cell adds one bump to the surface: its value at the cell's centre, falling in a straight line "
        "to 0 at the centres of the neighbouring cells (rows and columns alike). So the integral is a weighted "
        "sum of the cells, and a cell's weight is its share along the rows times its share along the columns. "
        "The figure shows these shares for bin ({i}, {j}): every cell that lies in the bin, or next to it, "
        "counts a little.").format(i=i, j=j)
    if abs(total - 1) < 1e-6:
        shown = printed_shares(scene).values()
        printed = sum(float(pct(v).split()[0]) for v in shown)
        # each share is printed to 0.1 %: the printed ones can miss 100 by a little
        if shown and abs(printed - 100) > 0.05:
            text = then(text, _("They add up to exactly 100 % (the figure rounds each share to 0.1 %, so the "
                                "printed ones add up to {printed} %).").format(printed=f"{printed:.1f}"))
        else:
            text = then(text, _("They add up to exactly 100 %."))
    else:
        text = then(text, _("They add up to {total}, not 100 %: part of this bin lies beyond the map, where the "
                  "surface is 0.").format(total=pct(total)))
    text += "\n\n" + _("Channel {c}, bin ({i}, {j}): Σ share × value = **{out}**.").format(
        c=c, i=i, j=j, out=value(r.output[c, i, j]))
    return text + "\n\n" + _prroi_aligned_words(r.aligned)


def output_between_cells(scene: Scene) -> str:
    """The last step of RoIAlign, RoIWarp and PrRoI."""
    r = scene.chosen
    ph, pw = r.output_size
    name = scene.method_name
    k = reach(scene)
    area = k.area
    text = _(
        "**A fixed-size answer.** {name} also gives {ph} × {pw} values per channel: a {ph} × {pw} × {channels} "
        "tensor. The grid shows channel {channel}.").format(
        name=_(name), ph=ph, pw=pw, channels=r.channels, channel=scene.channel) + "\n\n"
    read = int(r.cells_read().sum())
    if r.snapped:
        text += _(
            "**Coverage: {share}.** The bins span {covered} of the RoI's {area}; "
            "the other {lost} were cut off by quantization before any point was placed. Compared with "
            "RoI pooling ({pooled}), RoIWarp loses nothing *in the split*, because its bins may have "
            "fractional edges, but it keeps quantization's loss.").format(
            share=k.share, covered=cells_words(k.covered), area=cells_words(area), lost=cells_words(k.lost),
            pooled=pct(scene.pooled.coverage))
    elif k.shifted:
        text += _(
            "**Coverage: {share}.** Nothing is rounded, but the legacy half-cell shift puts "
            "{shifted} of the RoI outside the bins that are read. With *aligned* on, coverage is 100 %.").format(
            share=k.share, shifted=cells_words(k.shifted))
    else:
        text += _(
            "**Coverage: {share}.** Nothing is rounded, so the bins span the whole RoI ({area}), against "
            "{pooled} for RoI pooling on the same box.").format(
            share=k.share, area=cells_words(area), pooled=pct(scene.pooled.coverage))
    if hasattr(r, "points_per_bin"):  # a trace of sampling points, not of an integral
        text = then(text, _(
            "Still, the map is only read at {points} points, which touch {read} cells: "
            "what lies between the points counts only through its neighbours.").format(
            points=r.points_per_bin * ph * pw, read=read))
    else:
        text = then(text, _("Every one of the {read} cells under or beside the bins counts, each by its "
                            "exact share.").format(read=read))
    return text
