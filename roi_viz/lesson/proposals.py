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

from ..language import N_, _, ngettext
from ..study import proposals
from ..methods import METHODS
from ..model.layers import LAYERS
from .numbers import num, pct
from ..state.settings import ARTICLE, FAST_RCNN

# The rounding rules as the distribution figure's panels name them (a snapping method's panel per rule).
SCHEME_LABEL = {"article": N_("rounded down (article)"), "fastrcnn": N_("Fast R-CNN's code")}
# "ends" draws the proposals that keep the least and the most, half each: a few boxes a student can tell apart.
ORDERS = {"ends": N_("the worst and the best"), "rank": N_("selective search's rank"),
          "largest": N_("largest first"), "smallest": N_("smallest first")}


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
        """The setting in words, in the language in force: "pool5 (stride 32), 3 × 3 bins, rounded down (article)"."""
        ph, pw = self.output_size
        return _("{layer} (stride {stride}), {ph} × {pw} bins, {rule}").format(
            layer=self.layer, stride=self.stride, ph=ph, pw=pw, rule=_(SCHEME_LABEL[self.scheme]))


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


def rule_label(scheme: str) -> str:
    """A rounding rule's name (:data:`SCHEME_LABEL`), in the language in force."""
    return _(SCHEME_LABEL[scheme])


def listing(items) -> str:
    """Items as a list in a sentence: "a, b and c" (each item already in the language in force)."""
    items = [str(v) for v in items]
    if len(items) < 2:
        return "".join(items)
    # TRANSLATORS: what stands between the items of a list in a sentence ("4, 8, 16 and 32").
    return _("{first} and {last}").format(first=_(", ").join(items[:-1]), last=items[-1])


def n_cells(v: float) -> str:
    """A length in cells, as :func:`roi_viz.lesson.numbers.cells` writes it ("2.5 cells", "1 cell"), translated."""
    text = num(v)
    return ngettext("{n} cell", "{n} cells", 1 if text == "1" else 2).format(n=text)


def heading(setting: Setting) -> str:
    """The view's heading at this setting: it promises Fast R-CNN's view only at Fast R-CNN's setting."""
    if setting == FAST_RCNN_SETTING:
        return _("As Fast R-CNN saw them: {setting}").format(setting=setting.describe())
    if setting == ARTICLE_SETTING:
        return _("At the article's setting: {setting}").format(setting=setting.describe())
    return _("At the sidebar's setting: {setting}").format(setting=setting.describe())


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
        return _("Selective search found no box, so there is nothing to compare.")

    def row(label, cell):
        return f"| {label} | {cell(a)} | {cell(f)} |"

    lines = [
        ngettext("On the same {n} proposal of this photo:", "On the same {n} proposals of this photo:", k).format(
            n=f"{k:,}"),
        "",
        "| | " + _("The article's setting") + " | " + _("Fast R-CNN's setting") + " |",
        "|---|---|---|",
        row(_("Layer"), lambda x: _("{layer}, stride {stride}").format(layer=x.setting.layer,
                                                                       stride=x.setting.stride)),
        row(_("Bins, rounding"), lambda x: _("{ph} × {pw}, {rule}").format(
            ph=x.setting.output_size[0], pw=x.setting.output_size[1], rule=rule_label(x.setting.scheme))),
        row(_("Output all zeros"), lambda x: f"**{pct(x.summary['share_all_empty'])}**"),
        row(_("Keep less than half of their area"), lambda x: f"**{pct(x.summary['share_below_half'])}**"),
        row(_("Median share kept"), lambda x: pct(x.summary["median_coverage"])),
        "",
        _("The article's setting leaves {article} of these boxes all zeros, Fast R-CNN's {fast}: the same boxes, so "
          "the difference is the setting's geometry (the size of a cell, the number of bins, the rounding rule), not "
          "the photo.").format(article=pct(a.summary["share_all_empty"]), fast=pct(f.summary["share_all_empty"])),
    ]
    return "\n".join(lines)


def why_words(st: Study) -> str:
    """Why the share of all-zero outputs is what it is at this setting: the median box against one cell.
    One whole sentence per rule (and per shape of the output, under the article's), its numbers as placeholders."""
    if st.count == 0:
        return ""
    s = st.geo.stride
    ph, pw = _ph_pw(st)
    med = float(np.median(proposals.short_sides(st.boxes)))
    said = dict(med=num(med), cells=n_cells(med / s), layer=st.layer, stride=num(s), ph=ph, pw=pw,
                empty=pct(float(st.geo.all_empty.mean())))
    if st.scheme == "article":
        small = proposals.too_small(st.boxes, stride=s, output_size=(ph, pw))
        said.update(small=pct(float(small.mean())), pw_px=num(pw * s), ph_px=num(ph * s))
        if ph == pw:
            text = _("Why so many all-zero outputs here: the median proposal's shorter side is **{med} px**, {cells} "
                     "of {layer} (stride {stride} px). The article's rule floors a box's width and height to whole "
                     "cells and gives each of the {ph} × {pw} bins ⌊cells ÷ {pw}⌋ of them per side, so a box with a "
                     "side under {pw} cells ({pw_px} px) has bins of no cell: all its bins are empty. **{small}** of "
                     "these proposals are that small; **{empty}** give all zeros.")
        else:
            text = _("Why so many all-zero outputs here: the median proposal's shorter side is **{med} px**, {cells} "
                     "of {layer} (stride {stride} px). The article's rule floors a box's width and height to whole "
                     "cells and gives each of the {ph} × {pw} bins ⌊cells ÷ {pw}⌋ of them across and ⌊cells ÷ {ph}⌋ "
                     "down, so a box under {pw} cells ({pw_px} px) wide or {ph} cells ({ph_px} px) tall has bins of "
                     "no cell: all its bins are empty. **{small}** of these proposals are that small; **{empty}** "
                     "give all zeros.")
        return text.format(**said)
    return _("Here the median proposal's shorter side is **{med} px**, {cells} of {layer} (stride {stride} px). Fast "
             "R-CNN's rule rounds each corner to the nearest cell and counts the end cell, so even a box smaller than "
             "a cell spans one, and every bin gets at least one cell (bins overlap instead): **{empty}** of these "
             "proposals give all zeros, those whose bins all fall off the map.").format(**said)


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
    that snap nothing once. The labels are in the language in force.
    """
    cut = [m for m in METHODS.values() if m.snaps_to_cells and m.whole_cell_bins]
    snapped = [m for m in METHODS.values() if m.snaps_to_cells and not m.whole_cell_bins]
    free = [m for m in METHODS.values() if not m.snaps_to_cells]
    out: dict[str, np.ndarray] = {}
    if cut:
        for rule in SCHEME_LABEL:
            out[_("{methods}, {rule}").format(methods=" / ".join(m.name for m in cut), rule=rule_label(rule))] = \
                by[f"{cut[0].key}-{rule}"]
    if snapped:
        out[_("{methods}, {rule}").format(methods=" / ".join(m.name for m in snapped), rule=rule_label(scheme))] = \
            by[f"{snapped[0].key}-{scheme}"]
    if free:
        out[_("{methods} (nothing snapped)").format(methods=" / ".join(m.short for m in free))] = by[free[0].key]
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
    said = dict(n=f"{st.count:,}", seconds=num(seconds, 1), w=w, h=h, test=f"{TEST_BOXES:,}", per_image=per_image,
                batch=TRAIN_ROIS, images=TRAIN_IMAGES, fg=num(100 * TRAIN_FOREGROUND) + " %")
    # The mode is a link's value (fast, quality): one sentence per mode, the mode's name in its own words.
    if mode == "quality":
        text = ngettext(
            "Selective search (quality mode) proposed **{n} box** on this input in {seconds} s. Fast R-CNN ran it on "
            "the original photo and scaled the boxes with the photo; this page runs it on the model input ({w} × {h} "
            "px). At test time Fast R-CNN pooled about {test} boxes per image; in training it sampled only "
            "{per_image} RoIs per image ({batch} per mini-batch of {images} images, {fg} of them foreground: IoU of "
            "at least 0.5 with an object).",
            "Selective search (quality mode) proposed **{n} boxes** on this input in {seconds} s. Fast R-CNN ran it on "
            "the original photo and scaled the boxes with the photo; this page runs it on the model input ({w} × {h} "
            "px). At test time Fast R-CNN pooled about {test} boxes per image; in training it sampled only "
            "{per_image} RoIs per image ({batch} per mini-batch of {images} images, {fg} of them foreground: IoU of "
            "at least 0.5 with an object).", st.count)
    else:
        text = ngettext(
            "Selective search (fast mode) proposed **{n} box** on this input in {seconds} s. Fast R-CNN ran it on "
            "the original photo and scaled the boxes with the photo; this page runs it on the model input ({w} × {h} "
            "px). At test time Fast R-CNN pooled about {test} boxes per image; in training it sampled only "
            "{per_image} RoIs per image ({batch} per mini-batch of {images} images, {fg} of them foreground: IoU of "
            "at least 0.5 with an object).",
            "Selective search (fast mode) proposed **{n} boxes** on this input in {seconds} s. Fast R-CNN ran it on "
            "the original photo and scaled the boxes with the photo; this page runs it on the model input ({w} × {h} "
            "px). At test time Fast R-CNN pooled about {test} boxes per image; in training it sampled only "
            "{per_image} RoIs per image ({batch} per mini-batch of {images} images, {fg} of them foreground: IoU of "
            "at least 0.5 with an object).", st.count)
    return text.format(**said)


def photo_words(st: Study, drawn: int, order: str) -> str:
    """What the photo shows: the boxes drawn, and the shares they keep (the figure's own selection)."""
    cov = st.geo.coverage
    where = _("RoI pooling ({rule}, {layer})").format(rule=rule_label(st.scheme), layer=st.layer)
    if order == "ends":
        worst, best = ends(st, drawn)
        said = dict(worst=f"{len(worst):,}", best=f"{len(best):,}", n=f"{st.count:,}", where=where,
                    worst_span=_span(cov[worst]), median=pct(float(np.median(cov))))
        if len(best):
            text = ngettext(
                "Drawn: the {worst} proposal that keep the least (solid orange) and the {best} that keep the most "
                "(dashed blue), of {n}, by the share of each box that {where} lets reach the output: the worst keep "
                "{worst_span}, the best {best_span}. Over all {n}: median {median}.",
                "Drawn: the {worst} proposals that keep the least (solid orange) and the {best} that keep the most "
                "(dashed blue), of {n}, by the share of each box that {where} lets reach the output: the worst keep "
                "{worst_span}, the best {best_span}. Over all {n}: median {median}.", len(worst))
            return text.format(best_span=_span(cov[best]), **said)
        return ngettext(
            "Drawn: the {worst} proposal that keep the least (solid orange) and the {best} that keep the most "
            "(dashed blue), of {n}, by the share of each box that {where} lets reach the output: the worst keep "
            "{worst_span}. Over all {n}: median {median}.",
            "Drawn: the {worst} proposals that keep the least (solid orange) and the {best} that keep the most "
            "(dashed blue), of {n}, by the share of each box that {where} lets reach the output: the worst keep "
            "{worst_span}. Over all {n}: median {median}.", len(worst)).format(**said)
    return _("Drawn: {drawn} of {n} ({order}), each box coloured by the share of it that {where} lets reach the "
             "output: from {low} to {high}, median {median}.").format(
        drawn=f"{drawn:,}", n=f"{st.count:,}", order=_(ORDERS[order]), where=where, low=pct(cov.min()),
        high=pct(cov.max()), median=pct(float(np.median(cov))))


def photo_alt(st: Study, drawn: int, order: str) -> str:
    """The photo figure's text alternative: what is drawn, in the figure's own counts, and the shares they keep."""
    cov = st.geo.coverage
    if order == "ends":
        worst, best = ends(st, drawn)
        said = dict(worst=len(worst), best=len(best), n=f"{st.count:,}", drawn=len(worst) + len(best),
                    layer=st.layer, rule=rule_label(st.scheme), worst_span=_span(cov[worst]))
        if len(best):
            return _("The photo with the {worst} worst and the {best} best of {n} proposals, {drawn} boxes, at "
                     "{layer}, {rule}: solid orange outlines are the worst, keeping {worst_span} of their area; "
                     "dashed blue the best, keeping {best_span}.").format(best_span=_span(cov[best]), **said)
        return _("The photo with the {worst} worst and the {best} best of {n} proposals, {drawn} boxes, at {layer}, "
                 "{rule}: solid orange outlines are the worst, keeping {worst_span} of their area.").format(**said)
    return _("The proposals on the photo, coloured by the share that reaches the output. {words}").format(
        words=photo_words(st, drawn, order))


def photo_title(st: Study, drawn: int, order: str) -> str:
    if order == "ends":
        worst, best = ends(st, drawn)
        return _("The {worst} worst and {best} best of {n} proposals ({layer})").format(
            worst=len(worst), best=len(best), n=f"{st.count:,}", layer=st.layer)
    return _("{drawn} of {n} proposals, by what RoI pooling keeps ({layer})").format(
        drawn=f"{min(drawn, st.count):,}", n=f"{st.count:,}", layer=st.layer)


def _span(cov: np.ndarray) -> str:
    lo, hi = float(cov.min()), float(cov.max())
    return pct(lo) if pct(lo) == pct(hi) else _("{low} to {high}").format(low=pct(lo), high=pct(hi))


def distribution_words(st: Study) -> str:
    """One sentence per panel of the distribution figure, the same shares it marks."""
    lines = []
    for label, cov in st.coverage.items():
        lines.append("- " + _("**{panel}**: median {median}; {below} of the proposals keep less than half of their "
                              "area.").format(panel=label, median=pct(float(np.median(cov))),
                                              below=pct(float((cov < 0.5).mean()))))
    sparse = float((st.density < 1).mean()) if st.count else 0.0
    said = dict(sparse=pct(sparse), ratio=f"{st.sampling_ratio} × {st.sampling_ratio}")
    if st.sampling_ratio <= 0:
        text = _("RoIAlign and PrRoI snap nothing: what they lose is only the part of a box past the map's last whole "
                 "cell (they read zeros there). They lose detail instead: a bin becomes one number however many cells "
                 "it spans (PrRoI averages all of them, RoIAlign reads adaptive points per bin), so with RoIAlign "
                 "{sparse} of these proposals get fewer than one sampling point per cell and skip some cells.")
    else:
        text = _("RoIAlign and PrRoI snap nothing: what they lose is only the part of a box past the map's last whole "
                 "cell (they read zeros there). They lose detail instead: a bin becomes one number however many cells "
                 "it spans (PrRoI averages all of them, RoIAlign reads {ratio} points per bin), so with RoIAlign "
                 "{sparse} of these proposals get fewer than one sampling point per cell and skip some cells.")
    lines.append(text.format(**said))
    return "\n".join(lines)


def size_words(st: Study) -> str:
    ph, pw = _ph_pw(st)
    p = min(ph, pw)
    cov, side = st.geo.coverage, st.short_side
    small, large = side < p, side >= 4 * p
    head = _("The horizontal axis is the shorter side of each proposal in cells of {layer} (stride {stride}); the "
             "dashed line is {p} cells, the output's smaller side.").format(layer=st.layer, stride=num(st.geo.stride),
                                                                           p=p)
    said = dict(head=head, p=p, large_p=4 * p)
    if small.any():
        said.update(n_small=f"{int(small.sum()):,}", small=pct(float(cov[small].mean())))
    if large.any():
        said.update(n_large=f"{int(large.sum()):,}", large=pct(float(cov[large].mean())))
    if small.any() and large.any():
        text = _("{head} The {n_small} proposals shorter than {p} cells keep {small} of their area on average; the "
                 "{n_large} at least {large_p} cells keep {large}: the small ones lose most, because a cell or a "
                 "leftover row is a large share of a small box.")
    elif small.any():
        text = _("{head} The {n_small} proposals shorter than {p} cells keep {small} of their area on average: the "
                 "small ones lose most, because a cell or a leftover row is a large share of a small box.")
    elif large.any():
        text = _("{head} The {n_large} at least {large_p} cells keep {large}: the small ones lose most, because a "
                 "cell or a leftover row is a large share of a small box.")
    else:
        return head
    return text.format(**said)


def empty_words(st: Study) -> str:
    ph, pw = _ph_pw(st)
    geo = st.geo
    some, all_ = float((geo.empty_bins > 0).mean()), float(geo.all_empty.mean())
    said = dict(layer=st.layer, ph=ph, pw=pw, rule=rule_label(st.scheme), some=pct(some), all=pct(all_))
    if st.scheme == "article":
        text = _("At this setting ({layer}, {ph} × {pw} bins, {rule}) **{some}** of the proposals have at least one "
                 "empty bin (it outputs 0) and **{all}** give an output of empty bins only: all zeros, whatever the "
                 "photo shows. Under the article's rule a box snapped to fewer than {ph} rows or {pw} columns has no "
                 "whole cell to give each bin.")
    else:
        text = _("At this setting ({layer}, {ph} × {pw} bins, {rule}) **{some}** of the proposals have at least one "
                 "empty bin (it outputs 0) and **{all}** give an output of empty bins only: all zeros, whatever the "
                 "photo shows. Fast R-CNN's rule gives every bin at least one cell (bins overlap instead); a bin is "
                 "empty only where it falls off the map.")
    return text.format(**said)


def pick_label(st: Study, k: int) -> str:
    x, y, w, h = (int(round(v)) if float(v).is_integer() else v for v in st.boxes[k])
    return _("#{n}: ({x}, {y}, {w} × {h}) keeps {share}").format(n=k + 1, x=x, y=y, w=w, h=h,
                                                                 share=pct(float(st.geo.coverage[k])))


def summary_text(st: Study) -> str:
    """The summary the command line prints: the same numbers as the page's words, without Markdown."""
    s = proposals.summary(st.geo)
    ph, pw = _ph_pw(st)
    lines = [_("Proposals: {n}; RoI pooling at {layer}, {ph} x {pw}, {rule}").format(
        n=st.count, layer=st.layer, ph=ph, pw=pw, rule=rule_label(st.scheme))]
    if st.count:
        lines.append("  " + _("mean coverage {mean}, median {median}, keeping less than half: {below}").format(
            mean=pct(s["mean_coverage"]), median=pct(s["median_coverage"]), below=pct(s["share_below_half"])))
        lines.append("  " + _("with an empty bin: {some}, all bins empty: {all}").format(
            some=pct(s["share_with_empty_bins"]), all=pct(s["share_all_empty"])))
        for label, cov in st.coverage.items():
            lines.append("  " + _("{panel}: median {median}, less than half {below}").format(
                panel=label, median=pct(float(np.median(cov))), below=pct(float((cov < 0.5).mean()))))
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------ on the pyramid
PYRAMID_HEADING = N_("Proposals on the pyramid")  # translated where shown
# The figure's columns, left to right, named as the words' table names them.
COLUMNS = (N_("boxes"), N_("reaches the output (mean)"), N_("output all zeros"), N_("shorter side under one cell"))
REST = (N_("lost to snapping"), N_("in no bin"), N_("gained by snapping"))  # the words' second table: the bars' hover
# The same columns as the words' tables head them (a sentence's first word written large, in the catalog).
COLUMN_HEADS = (N_("Boxes"), N_("Reaches the output (mean)"), N_("Output all zeros"), N_("Shorter side under one cell"))
REST_HEADS = (N_("Lost to snapping"), N_("In no bin"), N_("Gained by snapping"))
PYRAMID_NOTE = N_("Levels by torchvision's rule (a 224-px box goes to P4). A level's row holds its own boxes, each "
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
        return _("pyramid, all")
    if loss.name in dict(proposals.VGG_CUTS):
        return _("VGG16 {layer}, stride {stride}").format(layer=loss.name, stride=loss.stride)
    return _("{level}, stride {stride}").format(level=loss.name, stride=loss.stride)


def boxes_count(n: int) -> str:
    return ngettext("{n} box", "{n} boxes", n).format(n=f"{n:,}")


def pyramid_setting(pl: proposals.PyramidLoss) -> str:
    ph, pw = pl.output_size
    return _("{ph} × {pw} bins, {rule}").format(ph=ph, pw=pw, rule=rule_label(pl.scheme))


def pyramid_title(pl: proposals.PyramidLoss) -> str:
    """The figure's title: the rule every row is measured with."""
    return _("{heading}: RoI pooling, {setting}, at each stride").format(heading=_(PYRAMID_HEADING),
                                                                        setting=pyramid_setting(pl))


def kept_title(loss: proposals.Loss) -> str:
    """A bar's hover in the figure's share-kept part: the row, its boxes, and where the rest of their area goes."""
    return _("{row}, {boxes}: {kept} reaches the output; {lost} lost to snapping, {dropped} in no bin; snapping adds "
             "{gained} of its area from outside it").format(
        row=row_label(loss), boxes=boxes_count(loss.count), kept=pct(loss.kept), lost=pct(loss.lost),
        dropped=pct(loss.dropped), gained=pct(loss.gained))


def pyramid_words(pl: proposals.PyramidLoss) -> str:
    """What the pyramid does to the loss above, with the figure's numbers: the boxes per level, a table of the
    figure's columns for every row, a table of where the rest of each box goes, then what it means. Empty when
    there is no box. Two narrow tables rather than one wide: each fits the lesson's column."""
    if pl.count == 0:
        return ""
    rows = pyramid_rows(pl)
    levels = pl.by_level
    per_level = listing(_("{n} at {level}").format(n=f"{lv.count:,}", level=lv.name) for lv in levels)
    strides = listing(str(lv.stride) for lv in levels)
    pool5 = next(c for c in pl.cuts if c.name == "pool5")
    pyr = pl.pyramid

    def table(head: tuple[str, ...], cells, counted: bool) -> list[str]:
        """``counted``: the first column is the row's count (0 where the row has no box, "–" elsewhere)."""
        out = ["| | " + " | ".join(_(c) for c in head) + " |", "|---" * (len(head) + 1) + "|"]
        for r in rows:
            values = cells(r) if r.count else ["0"] * counted + ["–"] * (len(head) - counted)
            out.append(f"| {row_label(r)} | " + " | ".join(values) + " |")
        return out

    lines = [
        _("Today's detectors pool from a feature **pyramid** (FPN): one map per **level**, P{first} to P{last} at "
          "strides {strides} px, each box from the level its size picks (torchvision's rule: a 224-px box goes to "
          "P4, a box half as large one level finer). Of these {boxes}, {per_level}. Below, each is measured with this "
          "page's rule ({setting}) at its own level's stride, beside all of them at VGG16's pool5 and conv5_3:").format(
            first=proposals.PYRAMID_LEVELS[0], last=proposals.PYRAMID_LEVELS[-1], strides=strides,
            boxes=boxes_count(pl.count), per_level=per_level, setting=pyramid_setting(pl)),
        "",
        *table(COLUMN_HEADS, lambda r: [f"{r.count:,}", f"**{pct(r.kept)}**", f"**{pct(r.all_empty)}**",
                                        pct(r.under_cell)], True),
        "",
        _("Where the rest of each box goes: what reaches the output, what is lost to snapping and what falls in no "
          "bin add up to the box; what snapping gains (cells outside the box, read as if they were in it) is a share "
          "of the box's area too (means over the row's boxes):"),
        "",
        *table(REST_HEADS, lambda r: [pct(r.lost), pct(r.dropped), pct(r.gained)], False),
        "",
        _("At pool5 {pool5_under} of these proposals have a shorter side under one cell ({stride} px) and "
          "{pool5_empty} give all zeros; on the pyramid, each box at its level, {pyr_under} and {pyr_empty}. A small "
          "box is pooled from a fine map, where it spans more cells. torchvision pools the levels with RoIAlign, "
          "which snaps nothing; the tables show what the pyramid alone changes for this page's rule.").format(
            pool5_under=pct(pool5.under_cell), stride=pool5.stride, pool5_empty=pct(pool5.all_empty),
            pyr_under=pct(pyr.under_cell), pyr_empty=pct(pyr.all_empty)),
    ]
    return "\n".join(lines)


def pyramid_alt(pl: proposals.PyramidLoss) -> str:
    """The figure's text alternative: every number it prints, row by row, named as its columns name them."""
    if pl.count == 0:
        return _("{heading}: no box.").format(heading=_(PYRAMID_HEADING))

    def row(r: proposals.Loss) -> str:
        if r.count == 0:
            return _("{row}: no box").format(row=row_label(r))
        return _("{row}: {boxes}, {kept} reaches the output (mean), {empty} output all zeros, {under} shorter side "
                 "under one cell").format(row=row_label(r), boxes=boxes_count(r.count), kept=pct(r.kept),
                                          empty=pct(r.all_empty), under=pct(r.under_cell))

    return _("A table of bars, {title}. {rows}.").format(title=pyramid_title(pl),
                                                         rows=_("; ").join(row(r) for r in pyramid_rows(pl)))


def pyramid_glossary() -> str:
    """The glossary's lines for the terms the pyramid's words use (in bold there), as the words' help."""
    from .glossary import GLOSSARY

    return "\n\n".join(_("**{term}**: {meaning}").format(term=_(term), meaning=_(GLOSSARY[term]))
                        for term in ("pyramid", "level"))
