"""The words of each step, with the live numbers of the scene filled in.

Each function takes a :class:`~roi_viz.state.scene.Scene` and returns Markdown
(the page renders it; the CLI prints it as plain text). Which function
explains which step of which method is said once, in the method's record
(:mod:`roi_viz.methods`). Ranges of cells are written inclusively ("rows 6 to
9") because that is how a student counts cells on the figure; the trace
itself keeps half-open spans. The steps of the methods that read between cells (sampling points,
bilinear weights, the integral) are in :mod:`roi_viz.lesson.sampling_words`.
"""
from __future__ import annotations

import functools
from typing import Callable

from .glossary import INLINE
from .numbers import cells, eq, exact, num, pct, span_words, value, weight  # noqa: F401  (the CLI and page format with these too)
from ..state.scene import Scene
from .alt import reach  # where the RoI's area goes: the figure's text alternative reads the same account
from .shown import pool_values

# The layer names as the steps write them (keys of glossary.INLINE).
LAYER_NAMES = {"pool5": "pool5", "conv5_3": "conv5_3 + ReLU"}

# What an empty bin gives: in short in steps 4 and 5, in full in step 6, where the output figure prints it.
EMPTY_BIN_SHORT = "an empty bin outputs 0 (step 6 says why)"
EMPTY_BIN = (
    "An empty bin has no cell to take a maximum of, so it outputs **0**: that is what torchvision's "
    "`roi_pool` and the original Caffe layer write (with −1 as the arg-max). These features come after a "
    "ReLU, so 0 is also their smallest possible value: an empty bin reads as \"nothing here\"."
)


def untrained_warning(scene: Scene) -> str:
    if scene.pretrained:
        return ""
    weights, name = ("COCO weights", "ResNet-50-FPN") if scene.settings.pyramid else ("ImageNet weights", "VGG16")
    return (
        f"\n\n> ⚠ **Untrained network.** The {weights} could not be loaded, so these "
        f"features come from an untrained {name} (fixed random seed). The arithmetic is exactly "
        "the same; the activations mean nothing."
    )


@functools.cache
def receptive_size(layer: str) -> int:
    """Side in pixels of what one cell of ``layer`` sees (212 at pool5, 196 at conv5_3)."""
    from ..study.receptive import receptive_field  # walks VGG16's layers once; cached

    return receptive_field(layer).size


def input_words(scene: Scene) -> str:
    """How the photo became the model input: a square (the article) or its own proportions (Fast R-CNN)."""
    IW, IH = scene.input_dims
    if scene.settings.shape == "square":
        return f"The picture is resized to {IW} × {IH} pixels (a square, as in the article)"
    return (f"The picture keeps its proportions, its shorter side resized to {scene.input_size} pixels, as Fast "
            f"R-CNN builds its input: {IW} × {IH} pixels (width × height)")


def step_image(scene: Scene) -> str:
    s = scene.pooled.stride
    x, y, w, h = scene.pooled.roi
    H, W = scene.pooled.map_size
    n = len(scene.rois)
    layer = scene.settings.layer
    name = LAYER_NAMES.get(layer, layer)
    field = receptive_size(layer)
    return (
        f"**The model input.** {input_words(scene)}, the size the "
        f"network receives. The grid lines are {exact(s)} pixels apart: {exact(s)} pixels is the **stride** "
        f"of VGG16 cut at {name} ({INLINE[name]}). It is the spacing of the feature map's cells on the "
        f"image: one step from a cell to its neighbour is {exact(s)} pixels here, so there is one cell per "
        f"square ({H} rows × {W} columns of cells in all).\n\n"
        f"A square is **not** what its cell sees. Each {layer} cell is computed from about {field} × {field} "
        f"pixels around its square (its *receptive field*; neighbouring cells see mostly the same pixels). "
        "The square only says where the cell sits.\n\n"
        f"The thick box is **RoI {scene.active + 1}** of {n}: top-left corner "
        f"x = {exact(x)}, y = {exact(y)}, size w = {exact(w)} × h = {exact(h)} pixels. "
        "An RoI is only a proposal: a region some earlier stage wants the detector to "
        "examine, not an answer."
    )


def step_features(scene: Scene, note: Callable[[Scene, bool], str] | None = None) -> str:
    """Step 2. ``note`` adds what the method does next with fractional cells (see :func:`keeps_fractions`)."""
    t = scene.pooled
    s = t.stride
    IW, IH = scene.input_dims
    H, W = t.map_size
    C = scene.features.shape[0]
    shown = (
        "the mean over all channels"
        if scene.mean_view
        else f"channel {scene.channel}" + (" (the strongest one inside the RoI)" if scene.channel_auto else "")
    )
    names = ("x", "y", "w", "h")
    lines = [f"- {n}: {exact(v)} / {exact(s)} = **{exact(p)}**" for n, v, p in zip(names, t.roi, t.projected)]
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
        f"**What the network sees.** {scene.layer_label} turns the {IW} × {IH}-pixel colour image into a "
        f"feature map of {C} channels, each a grid of {H} rows × {W} columns, and one step on "
        f"the grid is {exact(s)} pixels of the image. The picture shows {shown}.\n\n"
        f"To place the RoI on this grid, divide each of its numbers by the stride {exact(s)} "
        "(exact: the stride is a power of two, so the division ends after a few digits):\n\n"
        + "\n".join(lines)
        + f"\n\n{verdict}"
        + (note(scene, len(whole) == 4) if note else "")
        + untrained_warning(scene)
    )


def keeps_fractions(scene: Scene, whole: bool) -> str:
    """RoIAlign and PrRoI, step 2: what they do *not* do with these numbers."""
    if whole:
        return ""
    return f" RoI pooling would snap them to whole cells here. **{scene.method_name} does not**: it keeps these numbers as they are."


def snaps_first(scene: Scene, whole: bool) -> str:
    """RoIWarp, step 2."""
    return " RoIWarp will snap them to whole cells first, exactly as RoI pooling does, and only then read between cells."


def step_quantize(scene: Scene) -> str:
    t = scene.pooled
    r0, r1, c0, c1 = t.region
    px, py, pw_, ph_ = t.projected
    if t.scheme == "article":
        xq, yq, wq, hq = t.quantized
        rule = (
            "**Snap to whole cells.** The article's rule rounds each of the four numbers down, "
            "independently of the others:\n\n"
            f"- x: ⌊{exact(px)}⌋ = **{xq}**\n- y: ⌊{exact(py)}⌋ = **{yq}**\n"
            f"- w: ⌊{exact(pw_)}⌋ = **{wq}**\n- h: ⌊{exact(ph_)}⌋ = **{hq}**\n\n"
        )
    else:
        xs, ys, rw, rh = t.quantized
        x1, y1 = px, py
        x2, y2 = px + pw_, py + ph_
        rule = (
            "**Snap to whole cells (Fast R-CNN's code).** Each *corner* is rounded to the nearest "
            "cell (halves away from zero), and the cell of the far corner is included (the +1 of Caffe's code, "
            "whose pixel boxes count both ends: pixels 0 to 9 make a box 10 pixels wide):\n\n"
            f"- columns: {exact(x1)} → **{xs}**, {exact(x2)} → **{xs + rw - 1}**, so {rw} columns\n"
            f"- rows: {exact(y1)} → **{ys}**, {exact(y2)} → **{ys + rh - 1}**, so {rh} rows\n\n"
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
        "Every cell holds a whole vector of activations, so a fraction of a cell is a real piece of the picture. "
        f"(The grey shading underneath is channel {scene.channel}: the darker, the larger.)"
    )


def step_bins(scene: Scene) -> str:
    t = scene.pooled
    ph, pw = t.output_size
    r0, r1, c0, c1 = t.region
    rh, rw = r1 - r0, c1 - c0
    if t.scheme == "article":
        bh, bw = (int(v) for v in t.bin_size)
        text = (
            f"**Split into {ph} × {pw} bins.** The next layer needs exactly {ph} × {pw} values per "
            f"channel, so the {rh} × {rw} region is cut into bins. Each size is divided and rounded down:\n\n"
            f"- rows: {rh} / {ph} {eq(rh / ph)} {num(rh / ph)} → **{bh}** per bin\n"
            f"- columns: {rw} / {pw} {eq(rw / pw)} {num(rw / pw)} → **{bw}** per bin\n\n"
        )
        if bh == 0 or bw == 0:
            short = [f"{have} {what if have != 1 else what[:-1]} for {need} bins" for what, have, need, size in
                     (("rows", rh, ph, bh), ("columns", rw, pw, bw)) if size == 0]
            return text + (
                f"**The split has no cells.** The region has only {' and '.join(short)}, so every bin gets "
                f"{' and '.join(f'0 {w}' for w, z in (('rows', bh), ('columns', bw)) if z == 0)}: "
                f"all {ph * pw} bins are empty, {EMPTY_BIN_SHORT}, and the output "
                "is all zeros. The article's rule simply breaks here: draw a larger RoI or choose a smaller output size."
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
                "(blue, cross-hatched): the second loss, after quantization."
            )
        else:
            text += "The sizes divide evenly, so every cell of the region belongs to exactly one bin."
        return text
    bh, bw = t.bin_size
    text = (
        f"**Split into {ph} × {pw} bins (Fast R-CNN's code).** The bin size is kept as a fraction: "
        f"{t.quantized[3]} / {ph} {eq(bh)} **{num(bh)}** rows and {t.quantized[2]} / {pw} {eq(bw)} **{num(bw)}** "
        "columns. Each bin starts at the cell under its fractional start (rounded down) and ends at the "
        "cell under its fractional end (rounded up), so no cell of the region is left out. "
    )
    if t.shared_cells:
        text += f"Where a bin edge falls inside a cell, both neighbours read it: **{cells(t.shared_cells)} are read by more than one bin** (dotted)."
    n_empty = int(t.empty_bins.sum())
    if n_empty:
        text += (f" {n_empty} bin{' falls' if n_empty == 1 else 's fall'} off the edge of the map and "
                 f"{'is' if n_empty == 1 else 'are'} empty: {EMPTY_BIN_SHORT}.")
    return text


def step_pool(scene: Scene) -> str:
    t = scene.pooled
    ph, pw = t.output_size
    c = scene.channel
    shown = pool_values(scene)
    head = (
        f"**Take the maximum of each bin.** For channel {c}, each output value is the largest "
        "activation inside its bin; the red box marks the cell it came from. The same happens in "
        f"all {t.channels} channels independently, so each channel may pick a different cell.\n\n"
    )
    if shown.mode == "empty":
        return head + (
            f"Here no bin has a cell (step 4), so there is no maximum to take: {EMPTY_BIN_SHORT}. "
            + ("The figure prints the region's values; none of them reaches the output."
               if shown.cells else "The figure shows the region; none of its values reaches the output.")
        )
    n_empty = int(t.empty_bins.sum())
    if n_empty:
        head += f"{n_empty} bin{'' if n_empty == 1 else 's'} {'has' if n_empty == 1 else 'have'} no cell: {EMPTY_BIN_SHORT}.\n\n"
    if shown.mode == "all":
        figure = "The figure prints the value of every cell of the region; in each red box, the bold one is its bin's maximum."
    elif shown.mode == "maxima":
        figure = (
            f"The view is {shown.side} cells across: too many to print every value legibly, so the figure prints "
            "only each bin's maximum, inside its red box"
            + ("; bins that overlap can share their maximum cell, and then one number serves both." if len(shown.winners) < ph * pw - n_empty else ".")
        )
    else:
        figure = (
            f"The view is {shown.side} cells across: too crowded to print the values legibly, so the figure only marks where each "
            "maximum is (red boxes); the next step shows the output."
        )
    if ph * pw > 16:
        return head + f"({ph * pw} bins: too many for a table.) " + figure
    rows = ["| bin (row, col) | cells | max | from cell |", "|---|---|---|---|"]
    for i in range(ph):
        for j in range(pw):
            r0, r1, c0, c1 = t.bins[i][j]
            cell = t.argmax_cell(c, i, j)
            where = f"row {cell[0]}, col {cell[1]}" if cell else "— (empty)"
            rows.append(
                f"| ({i}, {j}) | {span_words(r0, r1, 'row')}, {span_words(c0, c1, 'col')} "
                f"| {value(t.output[c, i, j])} | {where} |"
            )
    return head + figure + "\n\n" + "\n".join(rows)


def step_output(scene: Scene) -> str:
    """RoI pooling's last step: the output and where the RoI's area went."""
    t = scene.pooled
    ph, pw = t.output_size
    s2 = t.stride**2
    k = reach(scene)
    split = k.split
    never = 0.0 if k.whole else 1.0 - k.coverage
    text = (
        f"**A fixed-size answer.** Whatever the size of the RoI, the result has {ph} × {pw} values "
        f"per channel: a {ph} × {pw} × {t.channels} tensor for the fully connected layers. "
        f"The grid shows channel {scene.channel}."
    )
    n_empty = int(t.empty_bins.sum())
    if n_empty:
        which = "Every bin is" if n_empty == ph * pw else f"{n_empty} of the bins are"
        text += f" {which} empty (hatched in the figure). {EMPTY_BIN}"
    text += (
        f"\n\n**Coverage.** The RoI is {cells(t.projected_area)} ({num(t.projected_area * s2)} px²). "
        f"Of it, {cells(t.covered_area)} ({num(t.covered_area * s2)} px²) lie inside some bin and can "
        f"reach the output: **{k.share}**. Lost to quantization: {cells(k.lost)}; "
        f"lost to the split: {cells(split)}"
    )
    if k.dropped and abs(split - k.dropped) > 1e-9:
        text += (
            f" (step 4 counted {cells(k.dropped)} of the region in no bin: those are whole cells, while "
            f"this counts only the part of them the RoI covers; the remaining {cells(k.dropped - split)} "
            f"{'was' if num(k.dropped - split) == '1' else 'were'} gained by quantization and never belonged to the RoI)"
        )
    text += ". " + (
        f"So **{pct(never)} of the RoI never reaches the output**, whatever the image shows there."
        if never > 1e-9
        else "Every part of this RoI reaches the output."
    )
    return text


def compare_table(scene: Scene, traces: dict, names: dict, labels: dict) -> str:
    """Markdown: every method's coverage and output for the chosen channel, and how far apart they are.

    ``traces``, ``names`` and ``labels`` are keyed by method: its trace, its
    name ("RoIAlign") and its name with settings ("RoIAlign (avg, ratio 2, aligned)").
    """
    c = scene.channel
    # The yardstick: the trace of the exact integral over each bin, when one is among the traces.
    yardstick = next((m for m, t in traces.items() if hasattr(t, "weight_map")), None)
    ref = traces[yardstick] if yardstick else None
    rows = [
        f"| method | coverage | mean output | max \\|difference\\| from {names[yardstick] if ref else 'the exact integral'} |",
        "|---|---|---|---|",
    ]
    for m, t in traces.items():
        diff = "—" if m == yardstick or ref is None else value(abs(t.output[c] - ref.output[c]).max())
        rows.append(f"| {labels[m]} | {pct(t.coverage)} | {value(t.output[c].mean())} | {diff} |")
    text = f"**Channel {c}, the same RoI through every method.**\n\n" + "\n".join(rows)
    ph, pw = next(iter(traces.values())).output_size
    if ph * pw <= 9:
        head = "| bin (row, col) | " + " | ".join(names[m] for m in traces) + " |"
        lines = [head, "|---" * (len(traces) + 1) + "|"]
        for i in range(ph):
            for j in range(pw):
                lines.append(f"| ({i}, {j}) | " + " | ".join(value(t.output[c, i, j]) for t in traces.values()) + " |")
        text += "\n\n**Every bin, side by side.**\n\n" + "\n".join(lines)
    text += (
        "\n\nPrRoI is the exact average of the surface, so it serves as the yardstick. RoIAlign approaches "
        "it as the sampling ratio grows; RoI pooling and RoIWarp read a box snapped to whole cells, so they can "
        "differ however fine they sample."
    )
    return text


def _fraction(v: float) -> str:
    """A move as the fraction of a cell it is (1/60 rather than 0.02, which would not add up to the distance)."""
    from fractions import Fraction

    f = Fraction(float(v)).limit_denominator(960)
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def slide_text(slide, names: dict) -> str:
    """What the sliding experiment showed, in numbers."""
    n = len(slide.offsets)
    step = slide.offsets[1] - slide.offsets[0] if n > 1 else 0.0
    lines = []
    for m in slide.values:
        jumps = slide.jumps(m)
        lines.append(
            f"- **{names[m]}**: changed {jumps} time{'s' if jumps != 1 else ''} in {n - 1} moves; "
            f"largest single change {value(slide.largest_step(m))}; range {value(slide.spread(m))}; "
            f"coverage {pct(slide.coverage[m].min())} to {pct(slide.coverage[m].max())}."
        )
    word = "right" if slide.axis == "x" else "down"
    return (
        f"**Slide the box.** The RoI was moved {word} in {n - 1} equal moves of {_fraction(step)} cell "
        f"({num(step * slide.stride)} px), from 0 to {num(slide.offsets[-1])} cell, and bin {slide.bin} of "
        f"channel {slide.channel} was recorded at every position.\n\n"
        + "\n".join(lines)
        + "\n\nRoI pooling sees only whole cells: while no edge of the box crosses a cell boundary it reads the "
        "same cells and gives the same number, then it jumps. Its coverage swings as the rounding changes. "
        "RoIAlign and Precise RoI Pooling move with the box, a little at a time: a detector built on them can "
        "tell a box from one moved by a few pixels."
    )


def plain(markdown: str) -> str:
    """Markdown to plain text for a terminal: drop emphasis and quote marks."""
    text = markdown.replace("**", "").replace("\\\\", "\\").replace("> ", "")
    return text
