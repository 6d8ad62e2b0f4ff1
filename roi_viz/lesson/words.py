"""The words of each step, with the live numbers of the scene filled in.

Each function takes a :class:`~roi_viz.state.scene.Scene` and returns Markdown
(the page renders it; the CLI prints it as plain text). Which function
explains which step of which method is said once, in the method's record
(:mod:`roi_viz.methods`). Ranges of cells are written inclusively ("rows 6 to
9") because that is how a student counts cells on the figure; the trace
itself keeps half-open spans. The steps of the methods that read between cells (sampling points,
bilinear weights, the integral) are in :mod:`roi_viz.lesson.sampling_words`.

Every sentence is marked for the catalog (:mod:`roi_viz.language`) and looked up when a step is shown, whole,
with its numbers as named placeholders written by :mod:`roi_viz.lesson.numbers`; where English changes a
word with a count ("1 cell falls", "2 cells fall") the sentence has both forms (``ngettext``). Sentences in
a row are put together by :func:`roi_viz.lesson.alt.joined` (no space after a Chinese full stop).
"""
from __future__ import annotations

import functools
from typing import Callable

from .glossary import INLINE
from .numbers import cells, eq, exact, num, pct, span_words, value, weight  # noqa: F401  (the CLI and page format with these too)
from ..language import N_, _, ngettext
from ..state.scene import Scene
from .alt import cell_count, joined, reach  # where the RoI's area goes: the figure's text alternative reads the same account
from .shown import pool_values

# The layer names as the steps write them (keys of glossary.INLINE).
LAYER_NAMES = {"pool5": "pool5", "conv5_3": "conv5_3 + ReLU"}

# What an empty bin gives: in short in steps 4 and 5, in full in step 6, where the output figure prints it.
# Stored, so marked here and translated where a step shows them (``_(EMPTY_BIN_SHORT)``).
EMPTY_BIN_SHORT = N_("an empty bin outputs 0 (step 6 says why)")
EMPTY_BIN = N_(
    "An empty bin has no cell to take a maximum of, so it outputs **0**: that is what torchvision's "
    "`roi_pool` and the original Caffe layer write (with −1 as the arg-max). These features come after a "
    "ReLU, so 0 is also their smallest possible value: an empty bin reads as \"nothing here\"."
)


def span(a: int, b: int, what: str) -> str:
    """Half-open ``[a, b)`` of rows (``what="row"``), columns (``"column"``) or table columns (``"col"``) in
    words, in the language in force; in English exactly :func:`~roi_viz.lesson.numbers.span_words`'s."""
    if b <= a:
        return {"row": _("no rows"), "column": _("no columns"), "col": _("no cols")}[what]
    if b - a == 1:
        return {"row": _("row {a}"), "column": _("column {a}"), "col": _("col {a}")}[what].format(a=a)
    return {"row": _("rows {a} to {b}"), "column": _("columns {a} to {b}"),
            "col": _("cols {a} to {b}")}[what].format(a=a, b=b - 1)


def _many(v: float) -> int:
    """The count that picks a sentence's plural form for a number as printed (``num``): "1" is one, else many."""
    return 1 if num(v) == "1" else 2


def untrained_warning(scene: Scene) -> str:
    if scene.pretrained:
        return ""
    if scene.settings.pyramid:
        warning = _("**Untrained network.** The COCO weights could not be loaded, so these features come from an "
                    "untrained ResNet-50-FPN (fixed random seed). The arithmetic is exactly the same; the "
                    "activations mean nothing.")
    else:
        warning = _("**Untrained network.** The ImageNet weights could not be loaded, so these features come from "
                    "an untrained VGG16 (fixed random seed). The arithmetic is exactly the same; the activations "
                    "mean nothing.")
    return "\n\n> ⚠ " + warning


@functools.cache
def receptive_size(layer: str) -> int:
    """Side in pixels of what one cell of ``layer`` sees (212 at pool5, 196 at conv5_3)."""
    from ..study.receptive import receptive_field  # walks VGG16's layers once; cached

    return receptive_field(layer).size


def input_words(scene: Scene) -> str:
    """How the photo became the model input: a square (the article) or its own proportions (Fast R-CNN)."""
    IW, IH = scene.input_dims
    if scene.settings.shape == "square":
        return _("The picture is resized to {W} × {H} pixels (a square, as in the article)").format(W=IW, H=IH)
    return _("The picture keeps its proportions, its shorter side resized to {side} pixels, as Fast R-CNN builds "
             "its input: {W} × {H} pixels (width × height)").format(side=scene.input_size, W=IW, H=IH)


def step_image(scene: Scene) -> str:
    s = scene.pooled.stride
    x, y, w, h = scene.pooled.roi
    H, W = scene.pooled.map_size
    n = len(scene.rois)
    layer = scene.settings.layer
    name = LAYER_NAMES.get(layer, layer)
    field = receptive_size(layer)
    IW, IH = scene.input_dims
    if scene.settings.shape == "square":
        model_input = _("**The model input.** The picture is resized to {W} × {H} pixels (a square, as in the "
                        "article), the size the network receives.").format(W=IW, H=IH)
    else:
        model_input = _("**The model input.** The picture keeps its proportions, its shorter side resized to {side} "
                        "pixels, as Fast R-CNN builds its input: {W} × {H} pixels (width × height), the size the "
                        "network receives.").format(side=scene.input_size, W=IW, H=IH)
    grid = _("The grid lines are {s} pixels apart: {s} pixels is the **stride** of VGG16 cut at {name} ({note}). "
             "It is the spacing of the feature map's cells on the image: one step from a cell to its neighbour is "
             "{s} pixels here, so there is one cell per square ({rows} rows × {cols} columns of cells in all)."
             ).format(s=exact(s), name=name, note=_(INLINE[name]), rows=H, cols=W)
    field_words = _("A square is **not** what its cell sees. Each {layer} cell is computed from about {f} × {f} "
                    "pixels around its square (its *receptive field*; neighbouring cells see mostly the same "
                    "pixels). The square only says where the cell sits.").format(layer=layer, f=field)
    box = _("The thick box is **RoI {k}** of {n}: top-left corner x = {x}, y = {y}, size w = {w} × h = {h} pixels. "
            "An RoI is only a proposal: a region some earlier stage wants the detector to examine, not an answer."
            ).format(k=scene.active + 1, n=n, x=exact(x), y=exact(y), w=exact(w), h=exact(h))
    return joined(model_input, grid) + "\n\n" + field_words + "\n\n" + box


def step_features(scene: Scene, note: Callable[[Scene, bool], str] | None = None) -> str:
    """Step 2. ``note`` adds what the method does next with fractional cells (see :func:`keeps_fractions`)."""
    t = scene.pooled
    s = t.stride
    IW, IH = scene.input_dims
    H, W = t.map_size
    C = scene.features.shape[0]
    if scene.mean_view:
        shown = _("The picture shows the mean over all channels.")
    elif scene.channel_auto:
        shown = _("The picture shows channel {c} (the strongest one inside the RoI).").format(c=scene.channel)
    else:
        shown = _("The picture shows channel {c}.").format(c=scene.channel)
    names = ("x", "y", "w", "h")
    lines = [f"- {n}: {exact(v)} / {exact(s)} = **{exact(p)}**" for n, v, p in zip(names, t.roi, t.projected)]
    whole = [n for n, p in zip(names, t.projected) if float(p).is_integer()]
    if len(whole) == 4:
        verdict = _("All four are whole numbers: this RoI sits exactly on cell edges, and nothing will be lost to "
                    "rounding.")
    elif whole:
        verdict = ngettext(
            "Only {names} is a whole number. The box's other edges cut through cells, but a pooling window can "
            "only take whole cells.",
            "Only {names} are whole numbers. The box's other edges cut through cells, but a pooling window can "
            "only take whole cells.", len(whole)).format(names=", ".join(whole))
    else:
        verdict = _("None is a whole number: every edge of the box cuts through cells, but a pooling window can only "
                    "take whole cells.")
    sees = _("**What the network sees.** {layer} turns the {W} × {H}-pixel colour image into a feature map of {C} "
             "channels, each a grid of {rows} rows × {cols} columns, and one step on the grid is {s} pixels of the "
             "image.").format(layer=_(scene.layer_label), W=IW, H=IH, C=C, rows=H, cols=W, s=exact(s))
    divide = _("To place the RoI on this grid, divide each of its numbers by the stride {s} (exact: the stride is a "
               "power of two, so the division ends after a few digits):").format(s=exact(s))
    return (
        joined(sees, shown) + "\n\n" + divide + "\n\n"
        + "\n".join(lines)
        + "\n\n" + joined(verdict, note(scene, len(whole) == 4) if note else "")
        + untrained_warning(scene)
    )


def keeps_fractions(scene: Scene, whole: bool) -> str:
    """RoIAlign and PrRoI, step 2: what they do *not* do with these numbers (a sentence that follows the verdict)."""
    if whole:
        return ""
    return " " + _("RoI pooling would snap them to whole cells here. **{name} does not**: it keeps these numbers as "
                   "they are.").format(name=_(scene.method_name))


def snaps_first(scene: Scene, whole: bool) -> str:
    """RoIWarp, step 2."""
    return " " + _("RoIWarp will snap them to whole cells first, exactly as RoI pooling does, and only then read "
                   "between cells.")


def step_quantize(scene: Scene) -> str:
    t = scene.pooled
    r0, r1, c0, c1 = t.region
    px, py, pw_, ph_ = t.projected
    if t.scheme == "article":
        xq, yq, wq, hq = t.quantized
        rule = (
            _("**Snap to whole cells.** The article's rule rounds each of the four numbers down, independently of "
              "the others:") + "\n\n"
            f"- x: ⌊{exact(px)}⌋ = **{xq}**\n- y: ⌊{exact(py)}⌋ = **{yq}**\n"
            f"- w: ⌊{exact(pw_)}⌋ = **{wq}**\n- h: ⌊{exact(ph_)}⌋ = **{hq}**\n\n"
        )
    else:
        xs, ys, rw, rh = t.quantized
        x1, y1 = px, py
        x2, y2 = px + pw_, py + ph_
        rule = (
            _("**Snap to whole cells (Fast R-CNN's code).** Each *corner* is rounded to the nearest cell (halves "
              "away from zero), and the cell of the far corner is included (the +1 of Caffe's code, whose pixel "
              "boxes count both ends: pixels 0 to 9 make a box 10 pixels wide):") + "\n\n"
            + _("- columns: {a} → **{first}**, {b} → **{last}**, so {n} columns").format(
                a=exact(x1), first=xs, b=exact(x2), last=xs + rw - 1, n=rw) + "\n"
            + _("- rows: {a} → **{first}**, {b} → **{last}**, so {n} rows").format(
                a=exact(y1), first=ys, b=exact(y2), last=ys + rh - 1, n=rh) + "\n\n"
        )
    if t.region_area == 0:
        where = _("The snapped box has **no cells at all**: the RoI is smaller than a cell along one side (or lies "
                  "off the map), so nothing of it can be pooled. Make the RoI larger.")
    else:
        where = _("The pooled region is {rows} and {cols}: {h} × {w} = {area} cells.").format(
            rows=span(r0, r1, "row"), cols=span(c0, c1, "column"), h=r1 - r0, w=c1 - c0, area=t.region_area)
        qx, qy, qw, qh = t.quantized
        if (qy, qy + qh, qx, qx + qw) != t.region:
            where = joined(where, _("(The snapped box reached past the edge of the map and was cut there.)"))
    covers = _("The projected RoI covers {area}; {inside} of it lie inside the region.").format(
        area=cell_count(t.projected_area), inside=cell_count(t.overlap_area))
    lost = ngettext("**Lost: {lost}** of the RoI falls outside the region (dark blue, hatched ///).",
                    "**Lost: {lost}** of the RoI fall outside the region (dark blue, hatched ///).",
                    _many(t.lost_area)).format(lost=cell_count(t.lost_area))
    gained = ngettext("**Gained: {gained}** of the region lies outside the RoI (green, hatched \\\\\\\\).",
                      "**Gained: {gained}** of the region lie outside the RoI (green, hatched \\\\\\\\).",
                      _many(t.gained_area)).format(gained=cell_count(t.gained_area))
    why = _("Every cell holds a whole vector of activations, so a fraction of a cell is a real piece of the picture.")
    shading = _("(The grey shading underneath is channel {c}: the darker, the larger.)").format(c=scene.channel)
    return rule + where + "\n\n" + joined(covers, lost, gained, why, shading)


def step_bins(scene: Scene) -> str:
    t = scene.pooled
    ph, pw = t.output_size
    r0, r1, c0, c1 = t.region
    rh, rw = r1 - r0, c1 - c0
    empty_short = _(EMPTY_BIN_SHORT)
    if t.scheme == "article":
        bh, bw = (int(v) for v in t.bin_size)
        text = (
            _("**Split into {ph} × {pw} bins.** The next layer needs exactly {ph} × {pw} values per channel, so the "
              "{rh} × {rw} region is cut into bins. Each size is divided and rounded down:").format(
                ph=ph, pw=pw, rh=rh, rw=rw) + "\n\n"
            + _("- rows: {a} / {b} {eq} {q} → **{n}** per bin").format(
                a=rh, b=ph, eq=eq(rh / ph), q=num(rh / ph), n=bh) + "\n"
            + _("- columns: {a} / {b} {eq} {q} → **{n}** per bin").format(
                a=rw, b=pw, eq=eq(rw / pw), q=num(rw / pw), n=bw) + "\n\n"
        )
        if bh == 0 or bw == 0:
            rows = ngettext("{have} row for {need} bins", "{have} rows for {need} bins", rh).format(have=rh, need=ph)
            cols = ngettext("{have} column for {need} bins", "{have} columns for {need} bins", rw).format(
                have=rw, need=pw)
            if bh == 0 and bw == 0:
                short = _("**The split has no cells.** The region has only {rows} and {cols}, so every bin gets 0 rows "
                          "and 0 columns: all {n} bins are empty, {empty}, and the output is all zeros.")
            elif bh == 0:
                short = _("**The split has no cells.** The region has only {rows}, so every bin gets 0 rows: all {n} "
                          "bins are empty, {empty}, and the output is all zeros.")
            else:
                short = _("**The split has no cells.** The region has only {cols}, so every bin gets 0 columns: all "
                          "{n} bins are empty, {empty}, and the output is all zeros.")
            return text + joined(short.format(rows=rows, cols=cols, n=ph * pw, empty=empty_short), _(
                "The article's rule simply breaks here: draw a larger RoI or choose a smaller output size."))
        used_r, used_c = ph * bh, pw * bw
        every = _("Every bin is {h} × {w} cells, laid from the top-left corner.").format(h=bh, w=bw)
        left_r = span(r0 + used_r, r1, "row") if used_r < rh else None
        left_c = span(c0 + used_c, c1, "column") if used_c < rw else None
        if left_r or left_c:
            if left_r and left_c:
                nobody = _("The bins use {rows} rows and {cols} columns; {left_rows} and {left_cols} belong to no bin.")
            elif (left_r and used_r + 1 == rh) or (left_c and used_c + 1 == rw):  # a single row or column is left
                nobody = _("The bins use {rows} rows and {cols} columns; {left} belongs to no bin.")
            else:
                nobody = _("The bins use {rows} rows and {cols} columns; {left} belong to no bin.")
            nobody = nobody.format(rows=used_r, cols=used_c, left=left_r or left_c, left_rows=left_r, left_cols=left_c)
            dropped = _("**{dropped} of the region are dropped** (blue, cross-hatched): the second loss, after "
                        "quantization.").format(dropped=cell_count(t.dropped_cells))
            return text + joined(every, nobody, dropped)
        return text + joined(every, _("The sizes divide evenly, so every cell of the region belongs to exactly one "
                                      "bin."))
    bh, bw = t.bin_size
    text = _(
        "**Split into {ph} × {pw} bins (Fast R-CNN's code).** The bin size is kept as a fraction: {h} / {ph} {eq_h} "
        "**{bh}** rows and {w} / {pw} {eq_w} **{bw}** columns. Each bin starts at the cell under its fractional start "
        "(rounded down) and ends at the cell under its fractional end (rounded up), so no cell of the region is left "
        "out.").format(ph=ph, pw=pw, h=t.quantized[3], eq_h=eq(bh), bh=num(bh), w=t.quantized[2], eq_w=eq(bw),
                       bw=num(bw))
    more = []
    if t.shared_cells:
        more.append(_("Where a bin edge falls inside a cell, both neighbours read it: **{shared} are read by more "
                      "than one bin** (dotted).").format(shared=cell_count(t.shared_cells)))
    n_empty = int(t.empty_bins.sum())
    if n_empty:
        more.append(ngettext("{n} bin falls off the edge of the map and is empty: {empty}.",
                             "{n} bins fall off the edge of the map and are empty: {empty}.", n_empty).format(
            n=n_empty, empty=empty_short))
    return joined(text, *more) + ("" if more else " ")


def step_pool(scene: Scene) -> str:
    t = scene.pooled
    ph, pw = t.output_size
    c = scene.channel
    shown = pool_values(scene)
    empty_short = _(EMPTY_BIN_SHORT)
    head = _("**Take the maximum of each bin.** For channel {c}, each output value is the largest activation inside "
             "its bin; the red box marks the cell it came from. The same happens in all {C} channels independently, "
             "so each channel may pick a different cell.").format(c=c, C=t.channels) + "\n\n"
    if shown.mode == "empty":
        return head + joined(
            _("Here no bin has a cell (step 4), so there is no maximum to take: {empty}.").format(empty=empty_short),
            _("The figure prints the region's values; none of them reaches the output.") if shown.cells
            else _("The figure shows the region; none of its values reaches the output."))
    n_empty = int(t.empty_bins.sum())
    if n_empty:
        head += ngettext("{n} bin has no cell: {empty}.", "{n} bins have no cell: {empty}.", n_empty).format(
            n=n_empty, empty=empty_short) + "\n\n"
    if shown.mode == "all":
        figure = _("The figure prints the value of every cell of the region; in each red box, the bold one is its "
                   "bin's maximum.")
    elif shown.mode == "maxima":
        if len(shown.winners) < ph * pw - n_empty:
            figure = _("The view is {side} cells across: too many to print every value legibly, so the figure prints "
                       "only each bin's maximum, inside its red box; bins that overlap can share their maximum cell, "
                       "and then one number serves both.")
        else:
            figure = _("The view is {side} cells across: too many to print every value legibly, so the figure prints "
                       "only each bin's maximum, inside its red box.")
        figure = figure.format(side=shown.side)
    else:
        figure = _("The view is {side} cells across: too crowded to print the values legibly, so the figure only "
                   "marks where each maximum is (red boxes); the next step shows the output.").format(side=shown.side)
    if ph * pw > 16:
        return head + joined(_("({n} bins: too many for a table.)").format(n=ph * pw), figure)
    rows = [_("| bin (row, col) | cells | max | from cell |"), "|---|---|---|---|"]
    for i in range(ph):
        for j in range(pw):
            r0, r1, c0, c1 = t.bins[i][j]
            cell = t.argmax_cell(c, i, j)
            where = _("row {r}, col {c}").format(r=cell[0], c=cell[1]) if cell else _("— (empty)")
            rows.append(
                f"| ({i}, {j}) | {span(r0, r1, 'row')}, {span(c0, c1, 'col')} "
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
    text = _("**A fixed-size answer.** Whatever the size of the RoI, the result has {ph} × {pw} values per channel: "
             "a {ph} × {pw} × {C} tensor for the fully connected layers. The grid shows channel {c}.").format(
        ph=ph, pw=pw, C=t.channels, c=scene.channel)
    n_empty = int(t.empty_bins.sum())
    if n_empty:
        which = (_("Every bin is empty (hatched in the figure).") if n_empty == ph * pw
                 else _("{n} of the bins are empty (hatched in the figure).").format(n=n_empty))
        text = joined(text, which, _(EMPTY_BIN))
    numbers = dict(area=cell_count(t.projected_area), area_px=num(t.projected_area * s2),
                   covered=cell_count(t.covered_area), covered_px=num(t.covered_area * s2), share=k.share,
                   lost=cell_count(k.lost), split=cell_count(split))
    if k.dropped and abs(split - k.dropped) > 1e-9:
        rest = k.dropped - split
        if num(rest) == "1":
            coverage = _("**Coverage.** The RoI is {area} ({area_px} px²). Of it, {covered} ({covered_px} px²) lie "
                         "inside some bin and can reach the output: **{share}**. Lost to quantization: {lost}; lost "
                         "to the split: {split} (step 4 counted {dropped} of the region in no bin: those are whole "
                         "cells, while this counts only the part of them the RoI covers; the remaining {rest} was "
                         "gained by quantization and never belonged to the RoI).")
        else:
            coverage = _("**Coverage.** The RoI is {area} ({area_px} px²). Of it, {covered} ({covered_px} px²) lie "
                         "inside some bin and can reach the output: **{share}**. Lost to quantization: {lost}; lost "
                         "to the split: {split} (step 4 counted {dropped} of the region in no bin: those are whole "
                         "cells, while this counts only the part of them the RoI covers; the remaining {rest} were "
                         "gained by quantization and never belonged to the RoI).")
        coverage = coverage.format(dropped=cell_count(k.dropped), rest=cell_count(rest), **numbers)
    else:
        coverage = _("**Coverage.** The RoI is {area} ({area_px} px²). Of it, {covered} ({covered_px} px²) lie inside "
                     "some bin and can reach the output: **{share}**. Lost to quantization: {lost}; lost to the "
                     "split: {split}.").format(**numbers)
    if never > 1e-9:
        end = _("So **{share} of the RoI never reaches the output**, whatever the image shows there.").format(
            share=pct(never))
    else:
        end = _("Every part of this RoI reaches the output.")
    return text + "\n\n" + joined(coverage, end)


def compare_table(scene: Scene, traces: dict, names: dict, labels: dict) -> str:
    """Markdown: every method's coverage and output for the chosen channel, and how far apart they are.

    ``traces``, ``names`` and ``labels`` are keyed by method: its trace, its
    name ("RoIAlign") and its name with settings ("RoIAlign (avg, ratio 2, aligned)").
    """
    c = scene.channel
    # The yardstick: the trace of the exact integral over each bin, when one is among the traces.
    yardstick = next((m for m, t in traces.items() if hasattr(t, "weight_map")), None)
    ref = traces[yardstick] if yardstick else None
    head = (_("| method | coverage | mean output | max \\|difference\\| from {name} |").format(name=names[yardstick])
            if ref else _("| method | coverage | mean output | max \\|difference\\| from the exact integral |"))
    rows = [head, "|---|---|---|---|"]
    for m, t in traces.items():
        diff = "—" if m == yardstick or ref is None else value(abs(t.output[c] - ref.output[c]).max())
        rows.append(f"| {labels[m]} | {pct(t.coverage)} | {value(t.output[c].mean())} | {diff} |")
    text = _("**Channel {c}, the same RoI through every method.**").format(c=c) + "\n\n" + "\n".join(rows)
    ph, pw = next(iter(traces.values())).output_size
    if ph * pw <= 9:
        head = "| " + _("bin (row, col)") + " | " + " | ".join(names[m] for m in traces) + " |"
        lines = [head, "|---" * (len(traces) + 1) + "|"]
        for i in range(ph):
            for j in range(pw):
                lines.append(f"| ({i}, {j}) | " + " | ".join(value(t.output[c, i, j]) for t in traces.values()) + " |")
        text += "\n\n" + _("**Every bin, side by side.**") + "\n\n" + "\n".join(lines)
    text += "\n\n" + _(
        "PrRoI is the exact average of the surface, so it serves as the yardstick. RoIAlign approaches "
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
        lines.append(ngettext(
            "- **{name}**: changed {n} time in {moves} moves; largest single change {largest}; range {spread}; "
            "coverage {low} to {high}.",
            "- **{name}**: changed {n} times in {moves} moves; largest single change {largest}; range {spread}; "
            "coverage {low} to {high}.", jumps).format(
            name=names[m], n=jumps, moves=n - 1, largest=value(slide.largest_step(m)), spread=value(slide.spread(m)),
            low=pct(slide.coverage[m].min()), high=pct(slide.coverage[m].max())))
    if slide.axis == "x":
        moved = _("**Slide the box.** The RoI was moved right in {moves} equal moves of {step} cell ({px} px), from 0 "
                  "to {end} cell, and bin {bin} of channel {c} was recorded at every position.")
    else:
        moved = _("**Slide the box.** The RoI was moved down in {moves} equal moves of {step} cell ({px} px), from 0 "
                  "to {end} cell, and bin {bin} of channel {c} was recorded at every position.")
    return (
        moved.format(moves=n - 1, step=_fraction(step), px=num(step * slide.stride), end=num(slide.offsets[-1]),
                     bin=slide.bin, c=slide.channel) + "\n\n"
        + "\n".join(lines)
        + "\n\n" + _(
            "RoI pooling sees only whole cells: while no edge of the box crosses a cell boundary it reads the "
            "same cells and gives the same number, then it jumps. Its coverage swings as the rounding changes. "
            "RoIAlign and Precise RoI Pooling move with the box, a little at a time: a detector built on them can "
            "tell a box from one moved by a few pixels.")
    )


def plain(markdown: str) -> str:
    """Markdown to plain text for a terminal: drop emphasis and quote marks."""
    text = markdown.replace("**", "").replace("\\\\", "\\").replace("> ", "")
    return text
