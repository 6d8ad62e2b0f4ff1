"""The words of each step, with the live numbers of the scene filled in.

Each function takes a :class:`~roi_viz.walkthrough.Scene` and returns Markdown
(the page renders it; the CLI prints it as plain text). Ranges of cells are
written inclusively ("rows 6 to 9") because that is how a student counts
cells on the figure; the trace itself keeps half-open spans.
"""
from __future__ import annotations

from .walkthrough import STEPS, Scene


def num(v: float, digits: int = 6) -> str:
    """A number as a student would write it: no trailing zeros, at most ``digits`` decimals."""
    if float(v).is_integer():
        return str(int(v))
    return f"{v:.{digits}f}".rstrip("0").rstrip(".")


def cells(v: float) -> str:
    return f"{num(v, 7)} cell" + ("" if v == 1 else "s")


def pct(v: float) -> str:
    return f"{100 * v:.1f} %"


def span_words(a: int, b: int, what: str) -> str:
    """Half-open ``[a, b)`` in words."""
    if b <= a:
        return f"no {what}s"
    return f"{what} {a}" if b - a == 1 else f"{what}s {a} to {b - 1}"


def untrained_warning(scene: Scene) -> str:
    if scene.pretrained:
        return ""
    return (
        "\n\n> ⚠ **Untrained network.** The ImageNet weights could not be loaded, so these "
        "features come from an untrained VGG16 (fixed random seed). The arithmetic is exactly "
        "the same; the activations mean nothing."
    )


def step_image(scene: Scene) -> str:
    S, s = scene.input_size, scene.trace.stride
    x, y, w, h = scene.trace.roi
    n = len(scene.rois)
    return (
        f"**The model input.** The picture is resized to {S} × {S} pixels, the size the "
        f"network receives. Each square of the grid is {num(s)} × {num(s)} pixels: the patch "
        f"of the image that one cell of the feature map will stand for "
        f"({scene.trace.map_size[1]} × {scene.trace.map_size[0]} cells in all).\n\n"
        f"The thick box is **RoI {scene.active + 1}** of {n}: top-left corner "
        f"x = {num(x)}, y = {num(y)}, size w = {num(w)} × h = {num(h)} pixels. "
        "An RoI is only a proposal: a region some earlier stage wants the detector to "
        "examine, not an answer."
    )


def step_features(scene: Scene) -> str:
    t = scene.trace
    S, s = scene.input_size, t.stride
    H, W = t.map_size
    C = scene.features.shape[0]
    shown = (
        "the mean over all channels"
        if scene.mean_view
        else f"channel {scene.channel}" + (" (the strongest one inside the RoI)" if scene.channel_auto else "")
    )
    names = ("x", "y", "w", "h")
    lines = [f"- {n}: {num(v)} / {num(s)} = **{num(p)}**" for n, v, p in zip(names, t.roi, t.projected)]
    whole = [n for n, p in zip(names, t.projected) if float(p).is_integer()]
    if len(whole) == 4:
        verdict = "All four are whole numbers: this RoI sits exactly on cell edges, and nothing will be lost to rounding."
    elif whole:
        verdict = (
            f"Only {', '.join(whole)} {'is a whole number' if len(whole) == 1 else 'are whole numbers'}. "
            "The box's other edges cut through cells, but a pooling window can only take whole cells."
        )
    else:
        verdict = "None is a whole number: every edge of the box cuts through cells, but a pooling window can only take whole cells."
    return (
        f"**What the network sees.** {scene.layer_label} turns the {S} × {S} × 3 image into a "
        f"{W} × {H} × {C} feature map: {C} channels, each a {W} × {H} grid, and one step on "
        f"the grid is {num(s)} pixels of the image. The picture shows {shown}.\n\n"
        f"To place the RoI on this grid, divide each of its numbers by the stride {num(s)}:\n\n"
        + "\n".join(lines)
        + f"\n\n{verdict}"
        + untrained_warning(scene)
    )


def step_quantize(scene: Scene) -> str:
    t = scene.trace
    r0, r1, c0, c1 = t.region
    px, py, pw_, ph_ = t.projected
    if t.scheme == "article":
        xq, yq, wq, hq = t.quantized
        rule = (
            "**Snap to whole cells.** The article's rule rounds each of the four numbers down, "
            "independently of the others:\n\n"
            f"- x: ⌊{num(px)}⌋ = **{xq}**\n- y: ⌊{num(py)}⌋ = **{yq}**\n"
            f"- w: ⌊{num(pw_)}⌋ = **{wq}**\n- h: ⌊{num(ph_)}⌋ = **{hq}**\n\n"
        )
    else:
        xs, ys, rw, rh = t.quantized
        x1, y1 = px, py
        x2, y2 = px + pw_, py + ph_
        rule = (
            "**Snap to whole cells (Fast R-CNN's code).** Each *corner* is rounded to the nearest "
            "cell (halves away from zero), and the cell of the far corner is included:\n\n"
            f"- columns: {num(x1)} → **{xs}**, {num(x2)} → **{xs + rw - 1}**, so {rw} columns\n"
            f"- rows: {num(y1)} → **{ys}**, {num(y2)} → **{ys + rh - 1}**, so {rh} rows\n\n"
        )
    if t.region_area == 0:
        where = (
            "The snapped box has **no cells at all**: the RoI is smaller than a cell along one side "
            "(or lies off the map), so nothing of it can be pooled. Make the RoI larger."
        )
    else:
        where = (
            f"The pooled region is {span_words(r0, r1, 'row')} and {span_words(c0, c1, 'column')}: "
            f"{r1 - r0} × {c1 - c0} = {t.region_area} cells."
        )
        qx, qy, qw, qh = t.quantized
        if (qy, qy + qh, qx, qx + qw) != t.region:
            where += " (The snapped box reached past the edge of the map and was cut there.)"
    return (
        rule
        + where
        + f"\n\nThe projected RoI covers {cells(t.projected_area)}; {cells(t.overlap_area)} of it lie inside the region. "
        f"**Lost: {cells(t.lost_area)}** of the RoI {'falls' if t.lost_area == 1 else 'fall'} outside the region (dark blue, hatched ///). "
        f"**Gained: {cells(t.gained_area)}** of the region {'lies' if t.gained_area == 1 else 'lie'} outside the RoI (green, hatched \\\\\\\\). "
        "Every cell holds a whole vector of activations, so a fraction of a cell is a real piece of the picture."
    )


def step_bins(scene: Scene) -> str:
    t = scene.trace
    ph, pw = t.output_size
    r0, r1, c0, c1 = t.region
    rh, rw = r1 - r0, c1 - c0
    if t.scheme == "article":
        bh, bw = (int(v) for v in t.bin_size)
        text = (
            f"**Split into {ph} × {pw} bins.** The next layer needs exactly {ph} × {pw} values per "
            f"channel, so the {rh} × {rw} region is cut into bins. Each size is divided and rounded down:\n\n"
            f"- rows: {rh} / {ph} = {num(rh / ph, 2)} → **{bh}** per bin\n"
            f"- columns: {rw} / {pw} = {num(rw / pw, 2)} → **{bw}** per bin\n\n"
        )
        if bh == 0 or bw == 0:
            short = "rows" if bh == 0 else "columns"
            return text + (
                f"**The split has no cells.** The region has fewer {short} than the output has bins, "
                "so every bin is 0 cells wide and the output is all zeros. The article's rule simply "
                "breaks here: draw a larger RoI or choose a smaller output size."
            )
        used_r, used_c = ph * bh, pw * bw
        left = []
        if used_r < rh:
            left.append(span_words(r0 + used_r, r1, "row"))
        if used_c < rw:
            left.append(span_words(c0 + used_c, c1, "column"))
        text += f"Every bin is {bh} × {bw} cells, laid from the top-left corner. "
        if left:
            text += (
                f"The bins use {used_r} rows and {used_c} columns; {' and '.join(left)} "
                f"{'belongs' if len(left) == 1 and ' to ' not in left[0] else 'belong'} to no bin. **{cells(t.dropped_cells)} of the region are dropped** "
                "(light blue, cross-hatched): the second loss, after quantization."
            )
        else:
            text += "The sizes divide evenly, so every cell of the region belongs to exactly one bin."
        return text
    bh, bw = t.bin_size
    text = (
        f"**Split into {ph} × {pw} bins (Fast R-CNN's code).** The bin size is kept as a fraction: "
        f"{t.quantized[3]} / {ph} = **{num(bh, 3)}** rows and {t.quantized[2]} / {pw} = **{num(bw, 3)}** "
        "columns. Each bin starts at the cell under its fractional start (rounded down) and ends at the "
        "cell under its fractional end (rounded up), so no cell of the region is left out. "
    )
    if t.shared_cells:
        text += f"Where a bin edge falls inside a cell, both neighbours read it: **{cells(t.shared_cells)} are read by more than one bin** (dotted). "
    if t.empty_bins.any():
        text += f"{int(t.empty_bins.sum())} bin(s) fall off the edge of the map and are empty: they output 0."
    return text


def step_pool(scene: Scene) -> str:
    t = scene.trace
    ph, pw = t.output_size
    c = scene.channel
    head = (
        f"**Take the maximum of each bin.** For channel {c}, each output value is the largest "
        "activation inside its bin; the outlined cell is where it came from. The same happens in "
        f"all {t.channels} channels independently, so each channel may pick a different cell.\n\n"
    )
    if ph * pw > 16:
        return head + f"({ph * pw} bins: the values are printed in the figure.)"
    rows = ["| bin | cells | max | from cell |", "|---|---|---|---|"]
    for i in range(ph):
        for j in range(pw):
            r0, r1, c0, c1 = t.bins[i][j]
            cell = t.argmax_cell(c, i, j)
            where = f"row {cell[0]}, col {cell[1]}" if cell else "— (empty)"
            rows.append(
                f"| ({i}, {j}) | {span_words(r0, r1, 'row')}, {span_words(c0, c1, 'col')} "
                f"| {t.output[c, i, j]:.3g} | {where} |"
            )
    return head + "\n".join(rows)


def step_output(scene: Scene) -> str:
    t = scene.trace
    ph, pw = t.output_size
    s2 = t.stride**2
    split_loss = max(t.overlap_area - t.covered_area, 0.0)
    never = 1.0 - t.coverage
    return (
        f"**A fixed-size answer.** Whatever the size of the RoI, the result has {ph} × {pw} values "
        f"per channel: a {ph} × {pw} × {t.channels} tensor for the fully connected layers. "
        f"The grid shows channel {scene.channel}.\n\n"
        f"**Coverage.** The RoI is {cells(t.projected_area)} ({num(t.projected_area * s2, 1)} px²). "
        f"Of it, {cells(t.covered_area)} ({num(t.covered_area * s2, 1)} px²) lie inside some bin and can "
        f"reach the output: **{pct(t.coverage)}**. Lost to quantization: {cells(t.lost_area)}; "
        f"lost to the split: {cells(split_loss)}. "
        + (
            f"So **{pct(never)} of the RoI never reaches the output**, whatever the image shows there."
            if never > 1e-9
            else "Every part of this RoI reaches the output."
        )
    )


TEXTS = {
    "image": step_image,
    "features": step_features,
    "quantize": step_quantize,
    "bins": step_bins,
    "pool": step_pool,
    "output": step_output,
}
assert set(TEXTS) == {s.key for s in STEPS}


def explain_step(key: str, scene: Scene) -> str:
    return TEXTS[key](scene)


def plain(markdown: str) -> str:
    """Markdown to plain text for a terminal: drop emphasis and quote marks."""
    text = markdown.replace("**", "").replace("\\\\", "\\").replace("> ", "")
    return text
