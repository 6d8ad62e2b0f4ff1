"""Every proposal at once: the numbers the Proposals view shows, and the words under its figures.

:func:`study` measures a whole proposal set at the page's setting (layer,
output size, rounding rule); the ``*_words`` functions say what each figure
shows, reading the same arrays the figures are drawn from, with numbers
formatted by :mod:`roi_viz.lesson.numbers`. No Streamlit here: the command
line prints the same words.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import proposals as P
from .numbers import num, pct

# The distribution figure's panels: (key in coverage_by_method, label). RoIWarp follows the page's rounding rule.
SCHEME_LABEL = {"article": "rounded down (article)", "fastrcnn": "Fast R-CNN's code"}
ORDERS = {"rank": "selective search's rank", "largest": "largest first", "smallest": "smallest first"}


@dataclass(frozen=True)
class Study:
    """A proposal set measured at one setting. Boxes are ``K x 4`` ``(x, y, w, h)`` in input pixels."""

    boxes: np.ndarray
    geo: P.ProposalGeometry  # RoI pooling under the page's rule
    coverage: dict[str, np.ndarray]  # panel label -> K shares, in the distribution figure's order
    short_side: np.ndarray  # K: the shorter side of each box, in cells (projected)
    density: np.ndarray  # K: RoIAlign's sampling points per square cell
    layer: str
    scheme: str
    sampling_ratio: int

    @property
    def count(self) -> int:
        return self.geo.count


def study(boxes, *, map_size, stride, output_size, scheme: str, layer: str, sampling_ratio: int = 2) -> Study:
    """Measure every box at this setting (vectorized: milliseconds for thousands of boxes)."""
    geo = P.geometry(boxes, map_size=map_size, stride=stride, output_size=output_size, scheme=scheme)
    by = P.coverage_by_method(boxes, map_size=map_size, stride=stride, output_size=output_size)
    coverage = {
        "RoI pooling, " + SCHEME_LABEL["article"]: by["pool-article"],
        "RoI pooling, " + SCHEME_LABEL["fastrcnn"]: by["pool-fastrcnn"],
        "RoIWarp, " + SCHEME_LABEL[scheme]: by[f"warp-{scheme}"],
        "RoIAlign / PrRoI (nothing snapped)": by["align"],
    }
    b = P.check_boxes(boxes)
    density = (P.align_density(b, stride=stride, output_size=output_size, sampling_ratio=sampling_ratio)
               if len(b) else np.zeros(0))
    return Study(b, geo, coverage, np.minimum(b[:, 2], b[:, 3]) / stride, density, layer, scheme, sampling_ratio)


def shown(st: Study, count: int, order: str) -> np.ndarray:
    """Indices of the ``count`` boxes drawn on the photo, in ``order`` (``ORDERS``)."""
    if order not in ORDERS:
        raise ValueError(f"The proposals are drawn in one of these orders: {', '.join(ORDERS)}; got {order!r}.")
    area = st.boxes[:, 2] * st.boxes[:, 3]
    idx = {"rank": np.arange(st.count), "largest": np.argsort(-area, kind="stable"),
           "smallest": np.argsort(area, kind="stable")}[order]
    return idx[:max(0, int(count))]


def by_loss(st: Study) -> np.ndarray:
    """Indices sorted by what RoI pooling loses at this setting, the worst first (ties in rank order)."""
    return np.argsort(st.geo.coverage, kind="stable")


def _ph_pw(st: Study) -> tuple[int, int]:
    return st.geo.output_size


def count_words(st: Study, seconds: float, mode: str) -> str:
    return (f"Selective search ({mode} mode) proposed **{st.count:,} box{'' if st.count == 1 else 'es'}** on this input in {num(seconds, 1)} s; "
            "Fast R-CNN pooled about 2,000 like these for every image.")


def photo_words(st: Study, drawn: int, order: str) -> str:
    cov = st.geo.coverage
    return (f"Drawn: {drawn:,} of {st.count:,} ({ORDERS[order]}), each box coloured by the share of it that RoI "
            f"pooling ({SCHEME_LABEL[st.scheme]}, {st.layer}) lets reach the output: from {pct(cov.min())} to "
            f"{pct(cov.max())}, median {pct(float(np.median(cov)))}.")


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
    s = P.summary(st.geo)
    ph, pw = _ph_pw(st)
    lines = [f"Proposals: {st.count}; RoI pooling at {st.layer}, {ph} x {pw}, {SCHEME_LABEL[st.scheme]}"]
    if st.count:
        lines.append(f"  mean coverage {pct(s['mean_coverage'])}, median {pct(s['median_coverage'])}, "
                     f"keeping less than half: {pct(s['share_below_half'])}")
        lines.append(f"  with an empty bin: {pct(s['share_with_empty_bins'])}, all bins empty: {pct(s['share_all_empty'])}")
        for label, cov in st.coverage.items():
            lines.append(f"  {label}: median {pct(float(np.median(cov)))}, less than half {pct(float((cov < 0.5).mean()))}")
    return "\n".join(lines)
