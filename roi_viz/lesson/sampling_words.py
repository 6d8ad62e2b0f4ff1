"""The words of the steps that read the map between cells: RoIAlign's and RoIWarp's sampling points, the
bilinear weights, one value per bin, Precise RoI Pooling's integral, and the output they give.

Each ``step_*`` takes a :class:`~roi_viz.state.scene.Scene` and returns Markdown with the live numbers, as
:mod:`roi_viz.lesson.words` does for RoI pooling's steps (the steps every method shares live there).
"""
from __future__ import annotations

from ..state.scene import Scene
from .alt import reach  # where the RoI's area goes: the figure's text alternative reads the same account
from .glossary import INLINE
from .numbers import cells, eq, exact, num, pct, span_words, value, weight
from .shown import printed_shares

def _ratio_words(r) -> str:
    gh, gw = r.grid
    bh, bw = r.bin_size
    what = f"The sampling ratio ({INLINE['sampling ratio']}) is {r.sampling_ratio}"
    if r.sampling_ratio > 0:
        return f"{what}, so each bin has {gh} × {gw} points"
    return (
        f"{what}, and 0 or less means *adaptive*: ⌈bin height⌉ × ⌈bin width⌉ = "
        f"⌈{num(bh)}⌉ × ⌈{num(bw)}⌉ = {gh} × {gw} points per bin, about one per cell"
    )


def _aligned_words(aligned: bool, legacy_min: bool) -> str:
    """RoIAlign (and RoIWarp's sampling): the half-cell shift, told with sampling points."""
    if aligned:
        return (
            "**Why −0.5?** A cell's value belongs to its centre: cell 3 covers 3 to 4, so its value sits at 3.5. "
            f"With `aligned=True` ({INLINE['aligned=True']}) the kernel subtracts half a cell from every coordinate "
            "before it reads, so a point at 3.5 reads cell 3 and nothing else. The points therefore lie where the "
            "box was drawn."
        )
    text = (
        f"**Legacy rule (`aligned=False`).** The half cell is *not* subtracted (`aligned` is "
        f"{INLINE['aligned=True']}, here off), so every point reads the map as if "
        "it were half a cell further right and down. The figure draws the bins where the map is really read: "
        "half a cell off the orange box."
    )
    if legacy_min:
        text += " The legacy rule also widens a box narrower than one cell to one cell."
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
            return (
                "**Nothing to sample.** The snapped box has no cells, so every bin is empty and the output is 0. "
                "Make the RoI larger."
            )
        head = (
            f"**Sample the snapped box.** RoIWarp keeps the quantized region of the previous step, "
            f"{span_words(r0, r1, 'row')} and {span_words(c0, c1, 'column')} ({r1 - r0} × {c1 - c0} cells), "
            f"and from here on works like RoIAlign: the region is cut into {ph} × {pw} bins of "
            f"**{num(bh)} × {num(bw)} cells** — fractions allowed, nothing more is rounded.\n\n"
        )
        tail = (
            f"\n\nBut what quantization cut off stays cut off: {cells(r.projected_area - r.covered_area)} of the RoI lie "
            "outside the region and get no point of their own (points near the edge only borrow a little from "
            "the next cell through interpolation)."
        )
    else:
        head = (
            f"**No rounding.** RoIAlign keeps the projected box exactly: columns {exact(x)} to {exact(x + w)}, "
            f"rows {exact(y)} to {exact(y + h)} on the map. It is cut into {ph} × {pw} bins of "
            f"**{num(bh)} × {num(bw)} cells**. Fractional edges are no problem, because no cell is taken whole: "
            "the map is read at points instead.\n\n"
        )
        tail = "\n\n" + _aligned_words(r.aligned, scene.pooled.projected[2] < 1 or scene.pooled.projected[3] < 1)
    body = (
        f"{_ratio_words(r)}: {n * ph * pw} points in all, each at the centre of an equal sub-cell of its bin."
    )
    off = int((~r.valid).sum())
    if off:
        body += f" {off} of them lie more than a cell off the map (crosses) and read 0."
    i, j, k = scene.focus
    body += f" The red ring marks point {k + 1} of bin ({i}, {j}): the next step looks at it closely."
    return head + body + tail


def step_bilinear(scene: Scene) -> str:
    r = scene.chosen
    if not r.points_per_bin:
        return "This box has no sampling points (it snapped to no cells), so there is nothing to interpolate."
    i, j, k = scene.focus
    y, x = r.samples[i, j, k]
    c = scene.channel
    read = float(r.sample_values[c, i, j, k])
    if not r.valid[i, j, k]:
        return (
            f"**Off the map.** Point {k + 1} of bin ({i}, {j}) lies at x = {num(x)}, y = {num(y)}: more than "
            "a cell outside the feature map. There is nothing to interpolate, so it reads **0**, and that 0 still "
            "counts in its bin's mean."
        )
    corners = r.neighbours(i, j, k)
    fm = scene.features[c]
    rows = ["| cell (row, col) | value | weight | value × weight |", "|---|---|---|---|"]
    for rr, cc, w in corners:
        rows.append(f"| ({rr}, {cc}) | {value(fm[rr, cc])} | {weight(w)} | {value(fm[rr, cc] * w)} |")
    rows.append(f"| **sum** | | **{weight(sum(w for _, _, w in corners))}** | **{value(read)}** |")
    ly = y - 0.5 - corners[0][0] if r.map_size[0] > 1 else 0.0
    lx = x - 0.5 - corners[0][1] if r.map_size[1] > 1 else 0.0
    where = (
        f"**Bilinear interpolation.** Point {k + 1} of bin ({i}, {j}) lies at x = {num(x)}, y = {num(y)} "
        "(cell coordinates). It falls between four cell centres, and its value is their weighted mean: "
        "the nearer a centre, the larger its weight. "
    )
    if 0 <= lx <= 1 and 0 <= ly <= 1:
        where += (
            f"Measured from the top-left centre, the point is dx = {num(lx)} across and dy = {num(ly)} down, "
            "so the weights are (1 − dx)(1 − dy), dx(1 − dy), (1 − dx)dy and dx·dy.\n\n"
        )
    else:
        where += "At the edge of the map the missing neighbours are replaced by the edge cell.\n\n"
    rounding = ("\n\nEvery number of the table keeps 3 significant figures, so a product worked out from the "
                "rounded numbers can differ from the printed one in its last digit.")
    return where + "\n".join(rows) + rounding + f"\n\nChannel {c} at this point: **{value(read)}**. Every channel is read at the same point with the same weights."


def step_combine(scene: Scene) -> str:
    r = scene.chosen
    ph, pw = r.output_size
    c = scene.channel
    n = r.points_per_bin
    if not n:
        return (
            "**No points, so every bin outputs 0.** The snapped box has no cells to sample. Make the RoI larger, "
            "or pick RoIAlign, which does not round the box at all."
        )
    how = "the **mean**" if r.mode == "avg" else "the **maximum**"
    if r.mode == "avg":
        why = "(what `torchvision.ops.roi_align` does)"
    elif r.snapped:
        why = ("(as in the paper that introduced RoIWarp, Multi-task Network Cascades: it max-pools the warped "
               "box, as RoI pooling does)")
    else:
        why = (f"(torchvision takes the mean; the Mask R-CNN paper ({INLINE['Mask R-CNN']}) allows either the "
               "mean or the maximum)")
    head = f"**One value per bin.** Each bin keeps {how} of its {n} point values {why}. Channel {c}:\n\n"
    if ph * pw > 16 or n > 9:  # 16 values of 3 significant figures make a row too long to read (or to print)
        return head + f"({ph * pw} bins of {n} points: the figure shows the points; the next step prints the outputs.)"
    rows = ["| bin (row, col) | point values | output |", "|---|---|---|"]
    vals = r.sample_values[c]
    for i in range(ph):
        for j in range(pw):
            rows.append(f"| ({i}, {j}) | {', '.join(value(v) for v in vals[i, j])} | **{value(r.output[c, i, j])}** |")
    tail = ""
    if r.mode == "avg" and scene.pooled.output_size == r.output_size and not r.snapped:
        tail = (
            "\n\nA mean of a few points is smoother than RoI pooling's maximum over whole cells: a small move of "
            "the box moves the points a little, and the mean follows. The *Slide the box* view shows it."
        )
    return head + "\n".join(rows) + tail


def _prroi_aligned_words(aligned: bool) -> str:
    """Precise RoI Pooling: the half-cell shift, told with the surface (PrRoI has no sampling points)."""
    if aligned:
        return (
            "**Why −0.5?** A cell's value belongs to its centre: cell 3 covers 3 to 4, so its value belongs at 3.5. "
            "The authors' code builds the surface with each value at its cell's corner (at 3); with "
            f"`aligned=True` ({INLINE['aligned=True']}) half a cell is subtracted from the box before it is "
            "integrated, which puts every value back at its cell's centre. The bins are therefore integrated "
            "exactly where the box was drawn. PrRoI is not in torchvision, and its authors' code has no such switch: "
            "the page offers one so that PrRoI and RoIAlign can read the map the same way."
        )
    return (
        "**The authors' rule.** Their code does not shift by half a cell: a cell's value is placed at the "
        "cell's corner, so the surface, and the bins drawn, sit half a cell off the orange box. "
        "Switch *aligned* on in the sidebar to put them back."
    )


def step_integrate(scene: Scene) -> str:
    r = scene.chosen
    i, j, _ = scene.focus
    c = scene.channel
    bh, bw = r.bin_size
    share = r.weight_map(i, j)
    total = float(share.sum())
    text = (
        "**No sampling points.** Precise RoI Pooling sees the map as a continuous surface: the bilinear "
        "interpolation of the cell values, the same surface RoIAlign reads. For each bin it takes the "
        "*exact* average of that surface: the integral over the bin divided by the bin's area "
        f"({num(bh)} × {num(bw)} {eq(bh, bw, r.bin_area)} {num(r.bin_area)} cells²).\n\n"
        "Each cell adds one bump to the surface: its value at the cell's centre, falling in a straight line "
        "to 0 at the centres of the neighbouring cells (rows and columns alike). So the integral is a weighted "
        "sum of the cells, and a cell's weight is its share along the rows times its share along the columns. "
        f"The figure shows these shares for bin ({i}, {j}): every cell that lies in the bin, or next to it, "
        "counts a little. "
    )
    if abs(total - 1) < 1e-6:
        text += "They add up to exactly 100 %"
        shown = printed_shares(scene).values()
        printed = sum(float(pct(v).split()[0]) for v in shown)
        if shown and abs(printed - 100) > 0.05:  # each share is printed to 0.1 %: the printed ones can miss 100 by a little
            text += f" (the figure rounds each share to 0.1 %, so the printed ones add up to {printed:.1f} %)"
        text += "."
    else:
        text += (
            f"They add up to {pct(total)}, not 100 %: part of this bin lies beyond the map, where the "
            "surface is 0."
        )
    text += f"\n\nChannel {c}, bin ({i}, {j}): Σ share × value = **{value(r.output[c, i, j])}**."
    return text + "\n\n" + _prroi_aligned_words(r.aligned)


def output_between_cells(scene: Scene) -> str:
    """The last step of RoIAlign, RoIWarp and PrRoI."""
    r = scene.chosen
    ph, pw = r.output_size
    name = scene.method_name
    k = reach(scene)
    area = k.area
    text = (
        f"**A fixed-size answer.** {name} also gives {ph} × {pw} values per channel: a {ph} × {pw} × {r.channels} "
        f"tensor. The grid shows channel {scene.channel}.\n\n"
    )
    read = int(r.cells_read().sum())
    if r.snapped:
        text += (
            f"**Coverage: {k.share}.** The bins span {cells(k.covered)} of the RoI's {cells(area)}; "
            f"the other {cells(k.lost)} were cut off by quantization before any point was placed. Compared with "
            f"RoI pooling ({pct(scene.pooled.coverage)}), RoIWarp loses nothing *in the split*, because its bins may have "
            "fractional edges, but it keeps quantization's loss."
        )
    elif k.shifted:
        text += (
            f"**Coverage: {k.share}.** Nothing is rounded, but the legacy half-cell shift puts "
            f"{cells(k.shifted)} of the RoI outside the bins that are read. With *aligned* on, coverage is 100 %."
        )
    else:
        text += (
            f"**Coverage: {k.share}.** Nothing is rounded, so the bins span the whole RoI ({cells(area)}), against "
            f"{pct(scene.pooled.coverage)} for RoI pooling on the same box."
        )
    if hasattr(r, "points_per_bin"):  # a trace of sampling points, not of an integral
        text += (
            f" Still, the map is only read at {r.points_per_bin * ph * pw} points, which touch {read} cells: "
            "what lies between the points counts only through its neighbours."
        )
    else:
        text += f" Every one of the {read} cells under or beside the bins counts, each by its exact share."
    return text
