"""Every proposal at once: the numbers the Proposals view shows, and the words under its figures.

:func:`study` measures a whole proposal set at the page's setting (layer,
output size, rounding rule); the ``*_words`` functions say what each figure
shows, reading the same arrays the figures are drawn from, with numbers
formatted by :mod:`roi_viz.lesson.numbers`. No Streamlit here: the command
line prints the same words. :func:`pyramid` measures the same boxes on a
feature pyramid, each at its own level's stride, and ``pyramid_*`` say it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..study import proposals
from ..methods import METHODS
from ..model.layers import LAYERS
from .numbers import cells, num, pct
from ..state.settings import ARTICLE, FAST_RCNN

# The rounding rules as the distribution figure's panels name them (a snapping method's panel per rule).
SCHEME_LABEL = {"article": "rounded down (article)", "fastrcnn": "Fast R-CNN's code"}
# "ends" draws the proposals that keep the least and the most, half each: a few boxes a student can tell apart.
ORDERS = {"ends": "the worst and the best", "rank": "selective search's rank", "largest": "largest first",
          "smallest": "smallest first"}


@dataclass(frozen=True)
class Setting:
    """Where and how the boxes are pooled: the part of the sidebar that decides the shares."""

    name: str  # "the article's", "Fast R-CNN's"
    layer: str
    output_size: tuple[int, int]  # (rows, columns)
    scheme: str

    @property
    def stride(self) -> int:
        return LAYERS[self.layer].stride

    def describe(self) -> str:
        ph, pw = self.output_size
        return f"{self.layer} (stride {self.stride}), {ph} × {pw} bins, {SCHEME_LABEL[self.scheme]}"


# The two presets of the sidebar (roi_viz.state.settings), the one place their values are written.
ARTICLE_SETTING = Setting("the article's", ARTICLE["layer"], ARTICLE["output_size"], ARTICLE["scheme"])
FAST_RCNN_SETTING = Setting("Fast R-CNN's", FAST_RCNN["layer"], FAST_RCNN["output_size"], FAST_RCNN["scheme"])

# Fast R-CNN (Girshick, 2015): how many proposals it pooled per image at test time, and how it sampled them in training.
TEST_BOXES = 2000
TRAIN_IMAGES, TRAIN_ROIS, TRAIN_FOREGROUND = 2, 128, 0.25


def setting_of(layer: str, output_size, scheme: str) -> Setting:
    """The setting the page is at: one of the two presets' when it matches, else the sidebar's own."""
    for preset in (ARTICLE_SETTING, FAST_RCNN_SETTING):
        if (preset.layer, tuple(preset.output_size), preset.scheme) == (layer, tuple(output_size), scheme):
            return preset
    return Setting("the sidebar's", layer, tuple(output_size), scheme)


def heading(setting: Setting) -> str:
    """The view's heading at this setting: it promises Fast R-CNN's view only at Fast R-CNN's setting."""
    if setting == FAST_RCNN_SETTING:
        return f"As Fast R-CNN saw them: {setting.describe()}"
    if setting == ARTICLE_SETTING:
        return f"At the article's setting: {setting.describe()}"
    return f"At the sidebar's setting: {setting.describe()}"


@dataclass(frozen=True)
class Side:
    """One setting's shares over a proposal set (:func:`roi_viz.study.proposals.summary` of its geometry)."""

    setting: Setting
    summary: dict[str, float]


def contrast(boxes, image_size: tuple[int, int]) -> tuple[Side, Side]:
    """The article's setting and Fast R-CNN's on the same boxes (``K x 4``, input pixels; ``image_size`` ``(W, H)``).

    Each is measured on the map its layer gives for this input (:func:`roi_viz.study.proposals.map_size`):
    vectorized, about a millisecond for 2,000 boxes.
    """
    out = []
    for setting in (ARTICLE_SETTING, FAST_RCNN_SETTING):
        geo = proposals.geometry(boxes, map_size=proposals.map_size(image_size, setting.stride), stride=setting.stride,
                         output_size=setting.output_size, scheme=setting.scheme)
        out.append(Side(setting, proposals.summary(geo)))
    return out[0], out[1]


def contrast_words(sides: tuple[Side, Side]) -> str:
    """The two settings side by side (a table), then what the difference means."""
    a, f = sides
    k = int(a.summary["count"])
    if k == 0:
        return "Selective search found no box, so there is nothing to compare."

    def row(label, cell):
        return f"| {label} | {cell(a)} | {cell(f)} |"

    lines = [
        f"On the same {k:,} proposal{'' if k == 1 else 's'} of this photo:",
        "",
        "| | The article's setting | Fast R-CNN's setting |",
        "|---|---|---|",
        row("Layer", lambda x: f"{x.setting.layer}, stride {x.setting.stride}"),
        row("Bins, rounding", lambda x: f"{x.setting.output_size[0]} × {x.setting.output_size[1]}, "
                                        f"{SCHEME_LABEL[x.setting.scheme]}"),
        row("Output all zeros", lambda x: f"**{pct(x.summary['share_all_empty'])}**"),
        row("Keep less than half of their area", lambda x: f"**{pct(x.summary['share_below_half'])}**"),
        row("Median share kept", lambda x: pct(x.summary["median_coverage"])),
        "",
        (f"The article's setting leaves {pct(a.summary['share_all_empty'])} of these boxes all zeros, Fast R-CNN's "
         f"{pct(f.summary['share_all_empty'])}: the same boxes, so the difference is the setting's geometry "
         "(the size of a cell, the number of bins, the rounding rule), not the photo."),
    ]
    return "\n".join(lines)


def why_words(st: Study) -> str:
    """Why the share of all-zero outputs is what it is at this setting: the median box against one cell."""
    if st.count == 0:
        return ""
    s = st.geo.stride
    ph, pw = _ph_pw(st)
    med = float(np.median(proposals.short_sides(st.boxes)))
    median = (f"the median proposal's shorter side is **{num(med)} px**, {cells(med / s)} of {st.layer} "
              f"(stride {num(s)} px)")
    if st.scheme == "article":
        small = proposals.too_small(st.boxes, stride=s, output_size=(ph, pw))
        if ph == pw:
            share = f"each of the {ph} × {pw} bins ⌊cells ÷ {pw}⌋ of them per side"
            under = f"with a side under {pw} cells ({num(pw * s)} px)"
        else:
            share = f"each of the {ph} × {pw} bins ⌊cells ÷ {pw}⌋ of them across and ⌊cells ÷ {ph}⌋ down"
            under = f"under {pw} cells ({num(pw * s)} px) wide or {ph} cells ({num(ph * s)} px) tall"
        return (f"Why so many all-zero outputs here: {median}. The article's rule floors a box's width and height to "
                f"whole cells and gives {share}, so a box {under} has bins of no cell: all its bins are empty. "
                f"**{pct(float(small.mean()))}** of these proposals are that small; "
                f"**{pct(float(st.geo.all_empty.mean()))}** give all zeros.")
    return (f"Here {median}. Fast R-CNN's rule rounds each corner to the nearest cell and counts the end cell, "
            "so even a box smaller than a cell spans one, and every bin gets at least one cell (bins overlap "
            f"instead): **{pct(float(st.geo.all_empty.mean()))}** of these proposals give all zeros, those whose "
            "bins all fall off the map.")


@dataclass(frozen=True)
class Study:
    """A proposal set measured at one setting. Boxes are ``K x 4`` ``(x, y, w, h)`` in input pixels."""

    boxes: np.ndarray
    geo: proposals.ProposalGeometry  # RoI pooling under the page's rule
    coverage: dict[str, np.ndarray]  # panel label -> K shares, in the distribution figure's order
    short_side: np.ndarray  # K: the shorter side of each box, in cells (projected)
    density: np.ndarray  # K: RoIAlign's sampling points per square cell
    layer: str
    scheme: str
    sampling_ratio: int

    @property
    def count(self) -> int:
        return self.geo.count


def panels(by: dict[str, np.ndarray], scheme: str) -> dict[str, np.ndarray]:
    """The distribution figure's panels, label -> K shares, from :func:`roi_viz.study.proposals.coverage_by_method`.

    Methods whose shares are the same by their traits share a panel, named for all of them: those with
    whole-cell bins once per rounding rule, those that snap and then sample at the page's rule, and those
    that snap nothing once.
    """
    cut = [m for m in METHODS.values() if m.snaps_to_cells and m.whole_cell_bins]
    snapped = [m for m in METHODS.values() if m.snaps_to_cells and not m.whole_cell_bins]
    free = [m for m in METHODS.values() if not m.snaps_to_cells]
    out: dict[str, np.ndarray] = {}
    if cut:
        for rule in SCHEME_LABEL:
            out[f"{' / '.join(m.name for m in cut)}, {SCHEME_LABEL[rule]}"] = by[f"{cut[0].key}-{rule}"]
    if snapped:
        out[f"{' / '.join(m.name for m in snapped)}, {SCHEME_LABEL[scheme]}"] = by[f"{snapped[0].key}-{scheme}"]
    if free:
        out[f"{' / '.join(m.short for m in free)} (nothing snapped)"] = by[free[0].key]
    return out


def study(boxes, *, map_size, stride, output_size, scheme: str, layer: str, sampling_ratio: int = 2) -> Study:
    """Measure every box at this setting (vectorized: milliseconds for thousands of boxes)."""
    geo = proposals.geometry(boxes, map_size=map_size, stride=stride, output_size=output_size, scheme=scheme)
    by = proposals.coverage_by_method(boxes, map_size=map_size, stride=stride, output_size=output_size)
    coverage = panels(by, scheme)
    b = proposals.check_boxes(boxes)
    density = (proposals.align_density(b, stride=stride, output_size=output_size, sampling_ratio=sampling_ratio)
               if len(b) else np.zeros(0))
    return Study(b, geo, coverage, np.minimum(b[:, 2], b[:, 3]) / stride, density, layer, scheme, sampling_ratio)


def shown(st: Study, count: int, order: str) -> np.ndarray:
    """Indices of the ``count`` boxes drawn on the photo, in ``order`` (``ORDERS``).

    ``"ends"``: the worst half then the best half, as :func:`ends` splits them.
    """
    if order not in ORDERS:
        raise ValueError(f"The proposals are drawn in one of these orders: {', '.join(ORDERS)}; got {order!r}.")
    if order == "ends":
        worst, best = ends(st, count)
        return np.concatenate([worst, best])
    area = st.boxes[:, 2] * st.boxes[:, 3]
    idx = {"rank": np.arange(st.count), "largest": np.argsort(-area, kind="stable"),
           "smallest": np.argsort(area, kind="stable")}[order]
    return idx[:max(0, int(count))]


def ends(st: Study, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``ceil(count / 2)`` proposals that keep the least and the ``floor(count / 2)`` that keep the most.

    Never one box twice: with fewer than ``count`` proposals, all of them are
    split so (the worst half, the best half). Worst first in the first array,
    best first in the second; see :func:`by_loss` for ties.
    """
    n = min(max(0, int(count)), st.count)
    order = by_loss(st)
    n_worst = (n + 1) // 2
    worst = order[:n_worst]
    best = order[::-1][: n - n_worst]
    return worst, best


def by_loss(st: Study) -> np.ndarray:
    """Indices sorted by the share RoI pooling keeps at this setting, the worst first.

    Among boxes that keep the same share, the larger comes first at the bad end
    (it loses more area: a 90 px box reduced to zeros is the lesson, not a
    3 px speck), then selective search's rank.
    """
    area = st.boxes[:, 2] * st.boxes[:, 3]
    return np.lexsort((np.arange(st.count), -area, st.geo.coverage))


def _ph_pw(st: Study) -> tuple[int, int]:
    return st.geo.output_size


def count_words(st: Study, seconds: float, mode: str, image_size: tuple[int, int]) -> str:
    """How many boxes selective search found here, and how Fast R-CNN used its own (``image_size`` ``(W, H)``)."""
    w, h = image_size
    per_image = TRAIN_ROIS // TRAIN_IMAGES
    return (f"Selective search ({mode} mode) proposed **{st.count:,} box{'' if st.count == 1 else 'es'}** on this "
            f"input in {num(seconds, 1)} s. Fast R-CNN ran it on the original photo and scaled the boxes with the "
            f"photo; this page runs it on the model input ({w} × {h} px). At test time Fast R-CNN pooled about "
            f"{TEST_BOXES:,} boxes per image; in training it sampled only {per_image} RoIs per image "
            f"({TRAIN_ROIS} per mini-batch of {TRAIN_IMAGES} images, {num(100 * TRAIN_FOREGROUND)} % of them "
            "foreground: IoU of at least 0.5 with an object).")


def photo_words(st: Study, drawn: int, order: str) -> str:
    """What the photo shows: the boxes drawn, and the shares they keep (the figure's own selection)."""
    cov = st.geo.coverage
    where = f"RoI pooling ({SCHEME_LABEL[st.scheme]}, {st.layer})"
    if order == "ends":
        worst, best = ends(st, drawn)
        text = (f"Drawn: the {len(worst):,} proposal{'' if len(worst) == 1 else 's'} that keep the least "
                f"(solid orange) and the {len(best):,} that keep the most (dashed blue), of {st.count:,}, by the "
                f"share of each box that {where} lets reach the output: the worst keep {_span(cov[worst])}")
        text += f", the best {_span(cov[best])}." if len(best) else "."
        return text + f" Over all {st.count:,}: median {pct(float(np.median(cov)))}."
    return (f"Drawn: {drawn:,} of {st.count:,} ({ORDERS[order]}), each box coloured by the share of it that "
            f"{where} lets reach the output: from {pct(cov.min())} to {pct(cov.max())}, "
            f"median {pct(float(np.median(cov)))}.")


def photo_alt(st: Study, drawn: int, order: str) -> str:
    """The photo figure's text alternative: what is drawn, in the figure's own counts, and the shares they keep."""
    cov = st.geo.coverage
    if order == "ends":
        worst, best = ends(st, drawn)
        text = (f"The photo with the {len(worst)} worst and the {len(best)} best of {st.count:,} proposals, "
                f"{len(worst) + len(best)} boxes, at {st.layer}, {SCHEME_LABEL[st.scheme]}: solid orange outlines "
                f"are the worst, keeping {_span(cov[worst])} of their area")
        text += f"; dashed blue the best, keeping {_span(cov[best])}." if len(best) else "."
        return text
    return "The proposals on the photo, coloured by the share that reaches the output. " + photo_words(st, drawn, order)


def photo_title(st: Study, drawn: int, order: str) -> str:
    if order == "ends":
        worst, best = ends(st, drawn)
        return f"The {len(worst)} worst and {len(best)} best of {st.count:,} proposals ({st.layer})"
    return f"{min(drawn, st.count):,} of {st.count:,} proposals, by what RoI pooling keeps ({st.layer})"


def _span(cov: np.ndarray) -> str:
    lo, hi = float(cov.min()), float(cov.max())
    return pct(lo) if pct(lo) == pct(hi) else f"{pct(lo)} to {pct(hi)}"


def distribution_words(st: Study) -> str:
    """One sentence per panel of the distribution figure, the same shares it marks."""
    lines = []
    for label, cov in st.coverage.items():
        lines.append(f"- **{label}**: median {pct(float(np.median(cov)))}; {pct(float((cov < 0.5).mean()))} of the "
                     "proposals keep less than half of their area.")
    sparse = float((st.density < 1).mean()) if st.count else 0.0
    ratio = "adaptive" if st.sampling_ratio <= 0 else f"{st.sampling_ratio} × {st.sampling_ratio}"
    lines.append(
        "RoIAlign and PrRoI snap nothing: what they lose is only the part of a box past the map's last whole cell "
        "(they read zeros there). They lose detail instead: a bin becomes one number however many cells it spans "
        f"(PrRoI averages all of them, RoIAlign reads {ratio} points per bin), so with RoIAlign "
        f"{pct(sparse)} of these proposals get fewer than one sampling point per cell and skip some cells.")
    return "\n".join(lines)


def size_words(st: Study) -> str:
    ph, pw = _ph_pw(st)
    p = min(ph, pw)
    cov, side = st.geo.coverage, st.short_side
    small, large = side < p, side >= 4 * p
    head = (f"The horizontal axis is the shorter side of each proposal in cells of {st.layer} "
             f"(stride {num(st.geo.stride)}); the dashed line is {p} cells, the output's smaller side.")
    parts = []
    if small.any():
        parts.append(f"the {int(small.sum()):,} proposals shorter than {p} cells keep {pct(float(cov[small].mean()))} "
                     "of their area on average")
    if large.any():
        parts.append(f"the {int(large.sum()):,} at least {4 * p} cells keep {pct(float(cov[large].mean()))}")
    if not parts:
        return head
    tail = "; ".join(parts)
    return (f"{head} {tail[0].upper()}{tail[1:]}: the small ones lose most, because a cell or a leftover row is a "
            "large share of a small box.")


def empty_words(st: Study) -> str:
    ph, pw = _ph_pw(st)
    geo = st.geo
    some, all_ = float((geo.empty_bins > 0).mean()), float(geo.all_empty.mean())
    text = (f"At this setting ({st.layer}, {ph} × {pw} bins, {SCHEME_LABEL[st.scheme]}) **{pct(some)}** of the "
            f"proposals have at least one empty bin (it outputs 0) and **{pct(all_)}** give an output of empty bins "
            "only: all zeros, whatever the photo shows.")
    if st.scheme == "article":
        text += (f" Under the article's rule a box snapped to fewer than {ph} rows or {pw} columns has no whole "
                 "cell to give each bin.")
    else:
        text += (" Fast R-CNN's rule gives every bin at least one cell (bins overlap instead); a bin is empty only "
                 "where it falls off the map.")
    return text


def pick_label(st: Study, k: int) -> str:
    x, y, w, h = (int(round(v)) if float(v).is_integer() else v for v in st.boxes[k])
    return f"#{k + 1}: ({x}, {y}, {w} × {h}) keeps {pct(float(st.geo.coverage[k]))}"


def summary_text(st: Study) -> str:
    """The summary the command line prints: the same numbers as the page's words, without Markdown."""
    s = proposals.summary(st.geo)
    ph, pw = _ph_pw(st)
    lines = [f"Proposals: {st.count}; RoI pooling at {st.layer}, {ph} x {pw}, {SCHEME_LABEL[st.scheme]}"]
    if st.count:
        lines.append(f"  mean coverage {pct(s['mean_coverage'])}, median {pct(s['median_coverage'])}, "
                     f"keeping less than half: {pct(s['share_below_half'])}")
        lines.append(f"  with an empty bin: {pct(s['share_with_empty_bins'])}, all bins empty: {pct(s['share_all_empty'])}")
        for label, cov in st.coverage.items():
            lines.append(f"  {label}: median {pct(float(np.median(cov)))}, less than half {pct(float((cov < 0.5).mean()))}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------ on the pyramid
PYRAMID_HEADING = "Proposals on the pyramid"
# The figure's columns, left to right, named as the words' table names them.
COLUMNS = ("boxes", "reaches the output (mean)", "output all zeros", "shorter side under one cell")
REST = ("lost to snapping", "in no bin", "gained by snapping")  # the words' second table: the share-kept bars' hover
PYRAMID_NOTE = ("Levels by torchvision's rule (a 224-px box goes to P4). A level's row holds its own boxes, each "
                "measured at its level's stride; the pyramid's row all boxes, each at its own level; VGG16's rows "
                "all boxes at one stride.")


def pyramid(boxes, image_size: tuple[int, int], setting: Setting) -> proposals.PyramidLoss:
    """The proposals (``K x 4``, input pixels) on a P2..P5 pyramid and at VGG16's two cuts, each at the page's
    output size and rounding rule (``image_size`` ``(W, H)``): :func:`roi_viz.study.proposals.pyramid_loss`."""
    return proposals.pyramid_loss(boxes, image_size=image_size, output_size=setting.output_size,
                                  scheme=setting.scheme)


def pyramid_rows(pl: proposals.PyramidLoss) -> tuple[proposals.Loss, ...]:
    """The rows of the figure and of the table, in their order: P2..P5, the whole pyramid, pool5, conv5_3."""
    return (*pl.by_level, pl.pyramid, *pl.cuts)


def row_label(loss: proposals.Loss) -> str:
    """A row's name, as the figure and the table write it: "P2, stride 4", "pyramid, all", "VGG16 pool5, stride 32"."""
    if loss.stride is None:
        return "pyramid, all"
    if loss.name in dict(proposals.VGG_CUTS):
        return f"VGG16 {loss.name}, stride {loss.stride}"
    return f"{loss.name}, stride {loss.stride}"


def boxes_count(n: int) -> str:
    return f"{n:,} box{'' if n == 1 else 'es'}"


def pyramid_setting(pl: proposals.PyramidLoss) -> str:
    ph, pw = pl.output_size
    return f"{ph} × {pw} bins, {SCHEME_LABEL[pl.scheme]}"


def pyramid_title(pl: proposals.PyramidLoss) -> str:
    """The figure's title: the rule every row is measured with."""
    return f"{PYRAMID_HEADING}: RoI pooling, {pyramid_setting(pl)}, at each stride"


def kept_title(loss: proposals.Loss) -> str:
    """A bar's hover in the figure's share-kept part: the row, its boxes, and where the rest of their area goes."""
    return (f"{row_label(loss)}, {boxes_count(loss.count)}: {pct(loss.kept)} reaches the output; "
            f"{pct(loss.lost)} lost to snapping, {pct(loss.dropped)} in no bin; snapping adds {pct(loss.gained)} "
            "of its area from outside it")


def pyramid_words(pl: proposals.PyramidLoss) -> str:
    """What the pyramid does to the loss above, with the figure's numbers: the boxes per level, a table of the
    figure's columns for every row, a table of where the rest of each box goes, then what it means. Empty when
    there is no box. Two narrow tables rather than one wide: each fits the lesson's column."""
    if pl.count == 0:
        return ""
    rows = pyramid_rows(pl)
    levels = pl.by_level
    per_level = ", ".join(f"{lv.count:,} at {lv.name}" for lv in levels[:-1]) + f" and {levels[-1].count:,} at " \
        f"{levels[-1].name}"
    strides = ", ".join(str(lv.stride) for lv in levels[:-1]) + f" and {levels[-1].stride}"
    pool5 = next(c for c in pl.cuts if c.name == "pool5")
    pyr = pl.pyramid

    def table(head: tuple[str, ...], cells) -> list[str]:
        out = ["| | " + " | ".join(c[0].upper() + c[1:] for c in head) + " |", "|---" * (len(head) + 1) + "|"]
        for r in rows:
            values = cells(r) if r.count else ["0"] * (head[0] == "boxes") + ["–"] * (len(head) - (head[0] == "boxes"))
            out.append(f"| {row_label(r)} | " + " | ".join(values) + " |")
        return out

    lines = [
        f"Today's detectors pool from a feature **pyramid** (FPN): one map per **level**, "
        f"P{proposals.PYRAMID_LEVELS[0]} to P{proposals.PYRAMID_LEVELS[-1]} at strides {strides} px, each box from "
        "the level its size picks (torchvision's rule: a 224-px box goes to P4, a box half as large one level "
        f"finer). Of these {boxes_count(pl.count)}, {per_level}. Below, each is measured with this page's rule "
        f"({pyramid_setting(pl)}) at its own level's stride, beside all of them at VGG16's pool5 and conv5_3:",
        "",
        *table(COLUMNS, lambda r: [f"{r.count:,}", f"**{pct(r.kept)}**", f"**{pct(r.all_empty)}**",
                                   pct(r.under_cell)]),
        "",
        "Where the rest of each box goes: what reaches the output, what is lost to snapping and what falls in no "
        "bin add up to the box; what snapping gains (cells outside the box, read as if they were in it) is a share "
        "of the box's area too (means over the row's boxes):",
        "",
        *table(REST, lambda r: [pct(r.lost), pct(r.dropped), pct(r.gained)]),
        "",
        f"At pool5 {pct(pool5.under_cell)} of these proposals have a shorter side under one cell ({pool5.stride} px) "
        f"and {pct(pool5.all_empty)} give all zeros; on the pyramid, each box at its level, {pct(pyr.under_cell)} "
        f"and {pct(pyr.all_empty)}. A small box is pooled from a fine map, where it spans more cells. "
        "torchvision pools the levels with RoIAlign, which snaps nothing; the tables show what the pyramid alone "
        "changes for this page's rule.",
    ]
    return "\n".join(lines)


def pyramid_alt(pl: proposals.PyramidLoss) -> str:
    """The figure's text alternative: every number it prints, row by row, named as its columns name them."""
    if pl.count == 0:
        return f"{PYRAMID_HEADING}: no box."

    def row(r: proposals.Loss) -> str:
        if r.count == 0:
            return f"{row_label(r)}: no box"
        values = (boxes_count(r.count), pct(r.kept), pct(r.all_empty), pct(r.under_cell))
        return f"{row_label(r)}: " + ", ".join(f"{v} {c}" if k else v for k, (v, c) in enumerate(zip(values, COLUMNS)))

    return f"A table of bars, {pyramid_title(pl)}. " + "; ".join(row(r) for r in pyramid_rows(pl)) + "."


def pyramid_glossary() -> str:
    """The glossary's lines for the terms the pyramid's words use (in bold there), as the words' help."""
    from .glossary import GLOSSARY

    return "\n\n".join(f"**{term}**: {GLOSSARY[term]}" for term in ("pyramid", "level"))
